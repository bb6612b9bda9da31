"""Developer tools run by the Makefile (``make bench``, ``make student``); not part of the course package.

They need the ``test`` extra (``nbclient``, ``nbformat``), which the learner's plain
``pip install`` does not bring; this folder is importable only so that the tests and doctests reach them.
"""
