"""Write every link to the course from its one address: Colab and Binder badges, the Colab install line, nbgitpuller.

The repository's address lives in one place, ``[tool.course]`` in ``pyproject.toml``::

    [tool.course]
    repository = "owner/name"   # on GitHub
    branch = "main"

Run from the project root (``make links``)::

    python tools/links.py          # rewrite the notebooks and the README from the address
    python tools/links.py --check  # exit 1, listing each place that disagrees with it (the tests run this)

It writes: a line of badges (Open in Colab, Binder) at the top of every notebook; the install line of
every notebook's first code cell (run on Colab only); and the README's generated blocks between
``<!-- links:NAME -->`` and ``<!-- /links:NAME -->`` (badges, the table of chapter links, the
nbgitpuller link for a JupyterHub). Forking the course means changing the address and running it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BADGE_PREFIX = "[![Open In Colab]"
INSTALL_COMMENT = "# on Colab only: install the course package"
BLOCK = re.compile(r"(<!-- links:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /links:(?P=name) -->)", re.S)

__all__ = ["Address", "check", "load_address", "main", "write"]


@dataclass(frozen=True)
class Address:
    """Where the course lives on GitHub: ``owner/name`` and a branch."""

    repository: str
    branch: str

    @property
    def github(self) -> str:
        return f"https://github.com/{self.repository}"

    def colab(self, notebook: str) -> str:
        return f"https://colab.research.google.com/github/{self.repository}/blob/{self.branch}/notebooks/{notebook}"

    def binder(self, notebook: str | None = None) -> str:
        path = f"notebooks/{notebook}" if notebook else "notebooks"
        return f"https://mybinder.org/v2/gh/{self.repository}/{self.branch}?urlpath=lab/tree/{path}"

    def nbgitpuller(self, hub: str = "HUB.example.edu", notebook: str | None = None) -> str:
        folder = self.repository.split("/")[1]
        path = f"{folder}/notebooks/{notebook}" if notebook else f"{folder}/notebooks"
        return (
            f"https://{hub}/hub/user-redirect/git-pull?repo={quote(self.github, safe='')}"
            f"&branch={self.branch}&urlpath={quote('lab/tree/' + path, safe='')}"
        )

    @property
    def install_line(self) -> str:
        return f'    %pip install --quiet "nbsupport @ git+{self.github}@{self.branch}"'


def load_address(root: Path = ROOT) -> Address:
    """Read ``[tool.course]`` from ``pyproject.toml``.

    Parameters
    ----------
    root : Path, default=the project root
        The folder that holds ``pyproject.toml``.

    Returns
    -------
    Address

    Raises
    ------
    ValueError
        If the table or one of its two keys is missing or malformed.

    Examples
    --------
    >>> load_address().branch != ""
    True
    """
    text = (Path(root) / "pyproject.toml").read_text(encoding="utf-8")
    table = re.search(r"^\[tool\.course\]\n(?P<body>(?:(?!^\[).*\n?)*)", text, re.M)
    if table is None:
        raise ValueError("pyproject.toml must have a [tool.course] table with repository = 'owner/name' and branch = '...'")
    values = dict(re.findall(r'^(repository|branch)\s*=\s*"([^"]*)"', table.group("body"), re.M))
    repository, branch = values.get("repository", ""), values.get("branch", "")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*", repository):
        raise ValueError(f"[tool.course] repository must look like 'owner/name', got {repository!r}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./-]*", branch):
        raise ValueError(f"[tool.course] branch must be a branch name such as 'main', got {branch!r}")
    return Address(repository, branch)


def _notebooks(root: Path) -> list[Path]:
    return sorted((Path(root) / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _badges(address: Address, notebook: str) -> str:
    return (
        f"{BADGE_PREFIX}(https://colab.research.google.com/assets/colab-badge.svg)]({address.colab(notebook)}) "
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({address.binder(notebook)})"
    )


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _notebook_with_links(nb: dict, address: Address, name: str) -> dict:
    cells = nb["cells"]
    first_md = next(c for c in cells if c["cell_type"] == "markdown")
    text = "".join(first_md["source"])
    if text.startswith(BADGE_PREFIX):
        text = text.split("\n", 2)[2] if text.count("\n") >= 2 else ""
    first_md["source"] = _lines(f"{_badges(address, name)}\n\n{text}")
    first_code = next(c for c in cells if c["cell_type"] == "code")
    code = "".join(first_code["source"]).split("\n")
    for i, line in enumerate(code):
        if line.strip().startswith("%pip install") and "nbsupport" in line:
            code[i] = address.install_line
    first_code["source"] = _lines("\n".join(code))
    return nb


def _readme_blocks(address: Address, notebooks: list[Path]) -> dict[str, str]:
    rows = "\n".join(
        f"| `{nb.stem}` | [Colab]({address.colab(nb.name)}) | [Binder]({address.binder(nb.name)}) |" for nb in notebooks
    )
    return {
        "badges": f"[![Binder](https://mybinder.org/badge_logo.svg)]({address.binder()}) "
        f"(JupyterLab on the chapter list) · repository: <{address.github}> (branch `{address.branch}`)\n",
        "chapters": "| notebook | open on Colab | open on Binder |\n| --- | --- | --- |\n" + rows + "\n",
        "nbgitpuller": "```text\n" + address.nbgitpuller() + "\n```\n",
    }


def _readme_with_links(text: str, address: Address, notebooks: list[Path]) -> str:
    blocks = _readme_blocks(address, notebooks)
    missing = set(blocks) - {m.group("name") for m in BLOCK.finditer(text)}
    if missing:
        raise ValueError(f"README.md lacks the generated blocks {sorted(missing)} (<!-- links:NAME --> ... <!-- /links:NAME -->)")
    return BLOCK.sub(lambda m: m.group(1) + blocks[m.group("name")] + m.group(4), text)


def _expected(root: Path) -> dict[Path, str]:
    """Every file the links live in, as the address says it should read."""
    address = load_address(root)
    notebooks = _notebooks(root)
    out = {}
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        out[path] = json.dumps(_notebook_with_links(nb, address, path.name), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    readme = Path(root) / "README.md"
    out[readme] = _readme_with_links(readme.read_text(encoding="utf-8"), address, notebooks)
    return out


def write(root: Path = ROOT) -> list[Path]:
    """Rewrite the notebooks and the README from the address; return the files that changed.

    Examples
    --------
    >>> write  # doctest: +ELLIPSIS
    <function write at ...>
    """
    changed = []
    for path, text in _expected(Path(root)).items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def check(root: Path = ROOT) -> list[str]:
    """The files whose links disagree with the address (empty when all agree).

    Examples
    --------
    >>> check() == [] or isinstance(check(), list)
    True
    """
    return [str(path.relative_to(root)) for path, text in _expected(Path(root)).items() if path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that disagree with the address")
    args = parser.parse_args(argv)
    if args.check:
        stale = check(ROOT)
        for name in stale:
            print(f"{name}: links disagree with [tool.course] in pyproject.toml; run: make links")
        return 1 if stale else 0
    for path in write(ROOT):
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
