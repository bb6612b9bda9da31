"""Check that a Python can build the course's environment; if not, say in one line what to do.

The Makefile runs it with the chosen interpreter before creating ``.venv``. It is written so that
even an old Python (2.7, 3.6) runs it and prints the message, instead of failing later with a
traceback.
"""

import sys

OLDEST = (3, 10)


def problem():
    """The one-line explanation of what is missing, or None when this Python will do."""
    version = sys.version_info[:2]
    if version < OLDEST:
        return (
            "The course needs Python %d.%d or newer; this is Python %d.%d. Install a newer Python and pass it "
            "to make, for example: make lab PYTHON=python3.12" % (OLDEST + version)
        )
    try:
        import ensurepip  # noqa: F401  (python3 -m venv needs it to install pip)
        import venv  # noqa: F401
    except ImportError:
        return (
            "This Python cannot create virtual environments (its venv/ensurepip module is missing). On Debian "
            "or Ubuntu run: sudo apt install python3-venv (or python%d.%d-venv), then run make again." % version
        )
    return None


def main():
    message = problem()
    if message:
        sys.stderr.write(message + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
