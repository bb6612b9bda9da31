"""tools/links.py: every link to the course comes from its one address, and the repository agrees with it."""

import json
import shutil

import pytest

from tools import links


def test_every_notebook_and_the_readme_agree_with_the_address():
    assert links.check() == [], "run: make links"


def test_the_links_have_the_formats_colab_binder_and_nbgitpuller_expect():
    address = links.Address("someone/course", "dev")
    assert address.colab("04_x.ipynb") == "https://colab.research.google.com/github/someone/course/blob/dev/notebooks/04_x.ipynb"
    assert address.binder() == "https://mybinder.org/v2/gh/someone/course/dev?urlpath=lab/tree/notebooks"
    assert address.nbgitpuller("hub.uni.edu") == (
        "https://hub.uni.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fcourse"
        "&branch=dev&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks"
    )
    assert address.install_line.strip() == '%pip install --quiet "nbsupport @ git+https://github.com/someone/course@dev"'


@pytest.fixture
def fork(tmp_path):
    """A copy of the notebooks, the README and pyproject.toml, as a fork would have them."""
    shutil.copytree(links.ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(links.ROOT / name, tmp_path / name)
    return tmp_path


def test_a_fork_changes_one_place_and_runs_the_command(fork):
    pyproject = fork / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'repository = "{links.load_address().repository}"', 'repository = "someone/course"'))
    assert links.check(fork), "a changed address should make every file disagree"
    changed = links.write(fork)
    assert len(changed) == len(list((fork / "notebooks").glob("[0-9][0-9]_*.ipynb"))) + 1
    assert links.check(fork) == [] and links.write(fork) == [], "writing twice changes nothing the second time"
    first = json.loads(sorted((fork / "notebooks").glob("0*.ipynb"))[0].read_text())
    assert "colab.research.google.com/github/someone/course/blob/main" in "".join(first["cells"][0]["source"])
    assert "git+https://github.com/someone/course@main" in "".join(next(c for c in first["cells"] if c["cell_type"] == "code")["source"])
    assert "someone%2Fcourse" in (fork / "README.md").read_text()


@pytest.mark.parametrize(
    "table, message",
    [
        ("", r"must have a \[tool.course\] table"),
        ('[tool.course]\nrepository = "no-slash"\nbranch = "main"\n', "repository must look like 'owner/name'"),
        ('[tool.course]\nrepository = "a/b"\n', "branch must be a branch name"),
    ],
)
def test_a_missing_or_malformed_address_is_refused(tmp_path, table, message):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n' + table)
    with pytest.raises(ValueError, match=message):
        links.load_address(tmp_path)


def test_the_readme_must_keep_its_generated_blocks(fork):
    readme = fork / "README.md"
    readme.write_text(readme.read_text().replace("<!-- links:chapters -->", "").replace("<!-- /links:chapters -->", ""))
    with pytest.raises(ValueError, match=r"README.md lacks the generated blocks \['chapters'\]"):
        links.check(fork)
