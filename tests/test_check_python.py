"""tools/check_python.py and the Makefile: a machine's first stumbles get a one-line message, not a traceback."""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import check_python

ROOT = Path(__file__).resolve().parents[1]


def _make_stamp(tmp_path, python):
    """Run the Makefile's environment step with another interpreter, into a throw-away folder."""
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "-C", str(ROOT), f"VENV={venv}", f"PYTHON={python}", f"{venv}/.installed"],
        capture_output=True, text=True, timeout=120,
    )


def test_this_python_will_do():
    assert check_python.problem() is None and check_python.main() == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_explains_a_python_without_the_venv_module(tmp_path):
    shadow = tmp_path / "shadow" / "ensurepip"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('ensurepip is not installed (as on Debian without python3-venv)')\n")
    fake = tmp_path / "python3"
    fake.write_text(f'#!/bin/sh\nPYTHONPATH="{shadow.parent}" exec "{sys.executable}" "$@"\n')
    fake.chmod(0o755)
    result = _make_stamp(tmp_path, fake)
    assert result.returncode != 0
    assert "sudo apt install python3-venv" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "venv").exists()


OLD_PYTHONS = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.[6-9]*/bin/python3"))) + [
    p for p in (shutil.which("python3.9"), shutil.which("python3.8")) if p
]


@pytest.mark.skipif(shutil.which("make") is None or not OLD_PYTHONS, reason="no make, or no Python older than 3.10 on this machine")
def test_make_explains_a_too_old_python(tmp_path):
    result = _make_stamp(tmp_path, OLD_PYTHONS[0])
    assert result.returncode != 0
    assert "The course needs Python 3.10 or newer; this is Python 3." in result.stderr, result.stderr
    assert "make lab PYTHON=python3.12" in result.stderr and not (tmp_path / "venv").exists()
