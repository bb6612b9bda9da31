"""Check that installing the course package into a Colab-like environment changes nothing but the package.

Colab (2026) runs Python 3.12 with TensorFlow 2.20, Keras 3.13, numpy, scipy, matplotlib, scikit-learn
and ipywidgets already installed. A notebook's first cell runs ``%pip install "nbsupport @ git+..."``
there; if that upgraded TensorFlow or numpy, the user would have to restart the runtime. Run it with
the Python of an environment made like Colab's (``make test-colab`` builds one)::

    .venv-colab/bin/python tools/colab_like.py

It records every installed distribution, installs the project from this folder without extras, and
exits 1 (listing them) if anything but ``nbsupport`` was added, removed or changed.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def installed() -> dict[str, str]:
    """Every installed distribution and its version, by normalised name.

    Examples
    --------
    >>> "pip" in installed()
    True
    """
    return {dist.metadata["Name"].lower().replace("_", "-"): dist.version for dist in distributions()}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two :func:`installed` snapshots, as readable lines, ``nbsupport`` left out.

    Examples
    --------
    >>> changes({"numpy": "2.0.2"}, {"numpy": "2.1.0", "nbsupport": "0.1.0"})
    ['numpy: 2.0.2 -> 2.1.0']
    """
    names = (set(before) | set(after)) - {"nbsupport"}
    return [f"{n}: {before.get(n, 'absent')} -> {after.get(n, 'absent')}" for n in sorted(names) if before.get(n) != after.get(n)]


def main() -> int:
    before = installed()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
    after = subprocess.run([sys.executable, "-c", "from tools.colab_like import installed; import json; print(json.dumps(installed()))"],
                           check=True, capture_output=True, text=True, cwd=ROOT).stdout
    import json

    diff = changes(before, json.loads(after))
    if "nbsupport" not in json.loads(after):
        print("nbsupport was not installed")
        return 1
    for line in diff:
        print(f"changed by installing the course: {line}")
    print("only nbsupport was added" if not diff else f"{len(diff)} other distribution(s) changed")
    smoke = subprocess.run([sys.executable, "-c", SMOKE], capture_output=True, text=True, cwd=ROOT.parent)
    print(smoke.stdout.strip() or smoke.stderr.strip()[-2000:])
    return 1 if diff or smoke.returncode else 0


# What a chapter's first cells do on Colab, run from outside the project folder so the installed copy is used.
SMOKE = """
import nbsupport
nbsupport.setup_notebook(seed=0)
from nbsupport.models import build_classifier
from nbsupport.data import load_breast_cancer_split
from nbsupport.training import fit_compiled
split = load_breast_cancer_split()
history = fit_compiled(build_classifier(seed=0), split.X_train, split.y_train, epochs=2)
import keras, tensorflow
print(f"the course runs: Keras {keras.__version__}, TensorFlow {tensorflow.__version__}, {len(history['loss'])} epochs trained")
"""


if __name__ == "__main__":
    sys.exit(main())
