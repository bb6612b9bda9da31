"""Build the course's website from the stored notebooks, without executing them (``make site``).

The home page (what you will learn, the chapters, how to run them), the claims map and the glossary come
from the README and chapter 0; each chapter is its notebook with its stored outputs, each page linking to
the same notebook on Colab, on Binder and in the repository (from the one address, ``tools/links.py``).
Solution cells are folded (one click opens them); the explorers' widgets are replaced by a note (their
static figures stand just above them); MathJax ships with the site, so it works offline.

    python tools/site.py              # build/site/index.html
    python tools/site.py --out DIR    # elsewhere

Sphinx runs with warnings as errors.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from links import BADGE_PREFIX, load_address  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = "solution"
WIDGET_NOTE = (
    "*An interactive explorer: with a running kernel (open this chapter on Colab or Binder) it draws here. "
    "The figures above show what it draws.*"
)

__all__ = ["build", "chapter_notebook", "main", "readme_section"]


def readme_section(readme: str, heading: str) -> str:
    """The README's section under ``## heading``, up to the next ``## `` heading (without the heading line).

    Examples
    --------
    >>> readme_section("# t\\n## A\\ntext\\n## B\\nmore\\n", "A")
    'text\\n'
    """
    parts = re.split(r"^## ", readme, flags=re.M)
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        if title.strip() == heading:
            return body
    raise ValueError(f"README.md has no section '## {heading}'")


def chapter_notebook(nb: dict, name: str) -> dict:
    """A notebook as the website shows it: text links instead of badge images, folded solutions, no widgets.

    Examples
    --------
    >>> nb = {"metadata": {"widgets": {}}, "cells": [{"cell_type": "markdown", "source": ["# T"], "metadata": {}}]}
    >>> sorted(chapter_notebook(nb, "00_x.ipynb")["metadata"])
    []
    """
    address = load_address(ROOT)
    nb = copy.deepcopy(nb)
    nb["metadata"].pop("widgets", None)
    links = (
        f"[Open in Colab]({address.colab(name)}) · [Open on Binder]({address.binder(name)}) · "
        f"[The notebook in the repository]({address.github}/blob/{address.branch}/notebooks/{name})\n"
    )
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith(BADGE_PREFIX):
            rest = source.split("\n", 1)[1] if "\n" in source else ""
            title, _, body = rest.lstrip("\n").partition("\n")
            cell["source"] = f"{title}\n\n{links}{body}"
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            cell["metadata"]["tags"] = [*tags, "hide-cell"]
        for output in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                output["data"] = {"text/markdown": WIDGET_NOTE}
    return nb


def _pages(source: Path) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("\n## ", 1)[0].split("\n", 1)[1]
    intro = re.sub(r"<!-- links:badges -->.*?<!-- /links:badges -->\n?", "", intro, flags=re.S)
    chapters = readme_section(readme, "Chapters")
    chapters = re.sub(r"<!-- links:chapters -->.*?<!-- /links:chapters -->\n?", "", chapters, flags=re.S)
    chapters = re.sub(r"`(\d\d_[a-z_]+)`", r"[`\1`](notebooks/\1)", chapters)
    chapters = chapters.replace("Open a chapter without installing anything:", "Every chapter page links to Colab and Binder.")
    home = (
        "# Activation functions, gradient descent and the vanishing-gradient problem\n"
        + intro
        + "\n## What you will learn\n" + readme_section(readme, "What you will learn")
        + "\n## Chapters\n" + chapters
        + "\n## Run it yourself\n" + readme_section(readme, "Start")
    )
    (source / "index.md").write_text(home, encoding="utf-8")
    claims = readme_section(readme, "What the article claims, and what the course measured")
    claims = re.sub(r"\b(\d\d) §(\d+\.\d+)", lambda m: f"{m.group(1)} §{m.group(2)}", claims)
    (source / "claims.md").write_text("# What the article claims, and what the course measured\n" + claims, encoding="utf-8")
    start = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    glossary = next("".join(c["source"]) for c in start["cells"] if "".join(c["source"]).startswith("## Glossary"))
    (source / "glossary.md").write_text(glossary.replace("## Glossary", "# Glossary", 1) + "\n", encoding="utf-8")
    names = []
    (source / "notebooks").mkdir()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = chapter_notebook(json.loads(path.read_text(encoding="utf-8")), path.name)
        (source / "notebooks" / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
        names.append(f"notebooks/{path.stem}")
    toc = "\n".join(names + ["claims", "glossary"])
    with (source / "index.md").open("a", encoding="utf-8") as f:
        f.write(f"\n```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toc}\n```\n")
    return names


def build(out: Path = ROOT / "build" / "site") -> Path:
    """Write the site's sources to ``build/site-src`` and run Sphinx on them (warnings are errors).

    Returns
    -------
    Path
        The folder of the built site (its ``index.html`` is the home page).

    Raises
    ------
    RuntimeError
        If Sphinx fails or warns.
    """
    source = Path(out).parent / "site-src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    source.mkdir(parents=True)
    shutil.copy(ROOT / "site" / "conf.py", source / "conf.py")
    _pages(source)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(source), str(out)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Sphinx failed:\n{result.stderr[-4000:]}")
    return Path(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "site"), help="folder of the built site (default: build/site)")
    args = parser.parse_args(argv)
    out = build(Path(args.out))
    print(f"the site is in {out}: open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
