"""tools/site.py: the course as a static website, built from the stored notebooks and checked page by page."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tools import site

pytest.importorskip("myst_nb", reason="the site extra is not installed (pip install -e '.[site]')")
ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("img", "script") and attrs.get("src"):
            self.sources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.sources.append(attrs["href"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site.build(tmp_path_factory.mktemp("site") / "site")


def _pages(built):
    """The site's pages (the theme's template fragments in _static are not pages)."""
    return sorted(p for p in built.rglob("*.html") if "_static" not in p.relative_to(built).parts)


def test_every_chapter_the_claims_map_and_the_glossary_have_a_page(built):
    for notebook in CHAPTERS:
        assert (built / "notebooks" / f"{notebook.stem}.html").exists(), notebook.name
    for page in ("index.html", "claims.html", "glossary.html"):
        assert (built / page).exists(), page
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "What you will learn" in home and "Run it yourself" in home and "04_vanishing_gradients.html" in home
    assert "勾配消失問題" in (built / "glossary.html").read_text(encoding="utf-8")


def test_no_broken_internal_link_and_every_figure_exists(built):
    broken = []
    for page in _pages(built):
        refs = _References()
        refs.feed(page.read_text(encoding="utf-8"))
        for ref in refs.links + refs.sources:
            parsed = urlparse(ref)
            if parsed.scheme or ref.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            if parsed.path and not target.exists():
                broken.append(f"{page.relative_to(built)} -> {ref}")
    assert not broken, f"broken links or missing files: {broken[:10]}"
    chapter_4 = (built / "notebooks" / "04_vanishing_gradients.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*src="[^"]*_images/', chapter_4)) >= 8, "chapter 4's figures should be on its page"


def test_everything_the_pages_load_ships_with_the_site(built):
    """Scripts, styles and images come from the site itself (MathJax included): it works offline."""
    external = []
    for page in _pages(built):
        refs = _References()
        refs.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.name}: {src}" for src in refs.sources if urlparse(src).scheme in ("http", "https")]
    assert not external, f"pages load files from the network: {external[:5]}"
    assert (built / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_chapter_pages_link_to_colab_binder_and_the_repository_and_fold_the_solutions(built):
    from tools.links import load_address

    address = load_address()
    for notebook in CHAPTERS:
        page = (built / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        for url in (address.colab(notebook.name), address.binder(notebook.name), f"{address.github}/blob/{address.branch}/notebooks/{notebook.name}"):
            assert url.replace("&", "&amp;") in page, f"{notebook.name}: no link to {url}"
        assert "colab-badge.svg" not in page, "badge images would load from the network"
    chapter_1 = (built / "notebooks" / "01_activation_functions.html").read_text(encoding="utf-8")
    solutions = sum("solution" in c.get("metadata", {}).get("tags", []) for c in json.loads((ROOT / "notebooks" / "01_activation_functions.ipynb").read_text())["cells"])
    assert solutions >= 2 and chapter_1.count("hide-cell") >= solutions, "every solution cell should be folded"
    chapter_3 = (built / "notebooks" / "03_gradient_descent_and_learning_rate.html").read_text(encoding="utf-8")
    assert "An interactive explorer" in chapter_3 and "VBox(children" not in chapter_3


def test_the_build_fails_on_a_warning(tmp_path, monkeypatch):
    broken = tmp_path / "site"
    monkeypatch.setattr(site, "_pages", lambda source: (source / "index.md").write_text("# Home\n\n[a link to nothing](missing.md)\n"))
    with pytest.raises(RuntimeError, match="Sphinx failed"):
        site.build(broken)


def test_the_pages_workflow_builds_with_the_site_extra_only():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "['optional-dependencies']['site']" in commands and "python tools/site.py" in commands
    assert any(step.get("with", {}).get("path") == "build/site" for step in steps)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
