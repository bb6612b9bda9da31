"""Write student copies of the notebooks: every cell tagged ``solution`` removed, every output cleared.

A developer tool for instructors, not part of the course package: it needs ``nbformat`` (the
``test`` extra). Run it from the project root (``make student``)::

    python tools/student.py notebooks/*.ipynb --out build/student

Exercise prompts and self-check cells stay; the self-checks then print "not answered yet" until the
student fills in an answer. Outputs and execution counts are cleared, so students run every cell
themselves (and the copies cannot leak a solution through a stored output).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SOLUTION_TAG = "solution"


def strip_solutions(notebook: dict) -> tuple[dict, int]:
    """Return a copy of a notebook (as a dict) without its solution cells or any outputs, and how many cells were removed.

    Parameters
    ----------
    notebook : dict
        A notebook as ``nbformat.read`` or ``json.load`` returns it; it is not modified.

    Returns
    -------
    copy : dict
        The notebook without the cells tagged ``solution``; code cells have no outputs and no execution count
        (the original is not modified).
    removed : int
        How many cells were removed.

    Raises
    ------
    TypeError
        If ``notebook`` is not a dict with a ``cells`` list.

    Examples
    --------
    >>> nb = {"cells": [{"metadata": {"tags": ["solution"]}}, {"metadata": {}}]}
    >>> strip_solutions(nb)[1]
    1
    """
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise TypeError("notebook must be a notebook dict with a 'cells' list (as nbformat or json reads it)")
    kept = [_without_outputs(c) for c in notebook["cells"] if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    removed = len(notebook["cells"]) - len(kept)
    return {**notebook, "cells": kept}, removed


def _without_outputs(cell: dict) -> dict:
    if cell.get("cell_type") != "code":
        return cell
    return {**cell, "outputs": [], "execution_count": None}


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python tools/student.py NOTEBOOK ... [--out FOLDER]``.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    int
        The exit status, 0.
    """
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help=".ipynb files")
    parser.add_argument("--out", default="build/student", help="folder for the copies (default: build/student)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.notebooks:
        nb = nbformat.read(name, as_version=4)
        copy, removed = strip_solutions(nb)
        nb.cells = [nbformat.from_dict(c) for c in copy["cells"]]
        nbformat.write(nb, out / Path(name).name)
        print(f"{out / Path(name).name}: {removed} solution cell(s) removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
