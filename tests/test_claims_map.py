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
    assert any(v.startswith("wrong") for v in verdicts) and any("caveat" in v for v in verdicts)


VERDICT = re.compile(r"^(holds with a caveat|holds|wrong|not measured)(:|;| \(|$)")


def test_every_verdict_starts_with_one_of_the_four_words():
    odd = [row.split("|")[2].strip() for row in _claims_rows() if not VERDICT.match(row.split("|")[2].strip())]
    assert not odd, f"verdicts that do not start with holds / holds with a caveat / wrong / not measured: {odd}"


def test_the_verdict_pattern_tells_the_words_apart():
    assert VERDICT.match("holds with a caveat: only with He's weights").group(1) == "holds with a caveat"
    assert VERDICT.match("holds").group(1) == "holds" and VERDICT.match("not measured (usage): ...").group(1) == "not measured"
    assert not VERDICT.match("holds for ReLU") and not VERDICT.match("holds with caveats: ...") and not VERDICT.match("mostly holds")


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
