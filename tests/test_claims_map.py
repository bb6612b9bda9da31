"""The README's map from every claim of the article to the notebook section that measures it cannot rot."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"\b(\d\d) §(\d+)\.(\d+)\b")


def _claims_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the article claims, and what the course measured", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| the article says") and "---" not in line]


def _headings(number: str) -> set[str]:
    (path,) = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {line for c in cells if c["cell_type"] == "markdown" for line in "".join(c["source"]).splitlines() if line.startswith("## ")}


def test_the_map_covers_the_article():
    rows = _claims_rows()
    assert len(rows) >= 30, f"the article makes over thirty claims; the map lists {len(rows)}"
    verdicts = [row.split("|")[2].strip() for row in rows]
    assert all(v.startswith(("holds", "wrong")) for v in verdicts), "each verdict starts with 'holds' or 'wrong'"
    assert any(v.startswith("wrong") for v in verdicts) and any("caveat" in v for v in verdicts)


def test_every_section_the_map_names_exists():
    missing = []
    for row in _claims_rows():
        where = row.split("|")[3]
        references = REFERENCE.findall(where)
        assert references, f"a row names no section: {row}"
        for notebook, chapter, section in references:
            assert int(notebook) == int(chapter), f"{notebook} §{chapter}.{section}: the section belongs to another chapter"
            if not any(h.startswith(f"## {chapter}.{section} ") for h in _headings(notebook)):
                missing.append(f"{notebook} §{chapter}.{section}")
    assert not missing, f"sections the map names but the notebooks lack: {missing}"
