"""The README and the docs/ pages: links that resolve, and text that speaks of the project only.

`mkdocs build --strict` (run by CI) checks the links between docs pages too; these tests need no
MkDocs and also cover README.md, whose links are absolute so that they work on the package index.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

REPO_URL = "https://github.com/tsum-project/tsum"
# README.md links to files of the repository through these, so that the package index renders them.
ABSOLUTE_INTO_REPO = re.compile(
    r"^(?:https://github\.com/tsum-project/tsum/(?:blob|tree)/main|https://raw\.githubusercontent\.com/tsum-project/tsum/main)(/[^#?]*)?(#.*)?$"
)
PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "SECURITY.md", ROOT / "CHANGELOG.md"]
    + list((ROOT / "docs").rglob("*.md")),
)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Phrases that only make sense inside the team's workspace, not to a reader of the project.
NOT_THE_PROJECT = [
    (re.compile(r"\.\./shared\b|/work/|\bproject workspace\b", re.I), "a path outside the repository"),
    (re.compile(r"\bissues?\s+#?\d+|(?<![\w/&#`])#\d+\b", re.I), "an issue number"),
    (re.compile(r"\b(?:this|the) project's (?:shared )?(?:\d-core )?machines?\b", re.I), "the team's machines"),
    (re.compile(r"\blent to the session\b|\bthis session\b", re.I), "the team's sessions"),
]


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where link syntax is literal."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def links(path: Path) -> list[str]:
    return LINK.findall(prose(path.read_text(encoding="utf-8")))


def slug(heading: str) -> str:
    """A heading's anchor as MkDocs' toc extension and GitHub write it (they agree on these pages)."""
    text = unicodedata.normalize("NFKD", re.sub(r"[`*_]", "", heading))
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[\s]+", "-", text)


def anchors(path: Path) -> set[str]:
    headings = re.findall(
        r"^#{1,6}\s+(.+?)\s*#*\s*$",
        re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M),
        re.M,
    )
    return {slug(h) for h in headings}


def resolve(page: Path, target: str) -> tuple[Path, str] | None:
    """The repository file a link points at, and its anchor; None for a link off the repository."""
    absolute = ABSOLUTE_INTO_REPO.match(target)
    if absolute:
        return ROOT / (absolute.group(1) or "/").lstrip("/"), (absolute.group(2) or "#")[1:]
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        return None
    file, _, anchor = target.partition("#")
    return (page.parent / file).resolve() if file else page, anchor


def test_the_pages_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    assert {"README.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md", "docs/index.md", "docs/models.md"} <= names


def test_the_readme_is_an_on_ramp():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert "\n## Start here\n" in readme and "docs/images/review-page.png" in readme
    assert (ROOT / "docs" / "images" / "review-page.png").stat().st_size > 10_000


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_into_the_repository_resolves(page):
    broken = []
    for target in links(page):
        found = resolve(page, target)
        if found is None:
            continue
        path, anchor = found
        if not path.resolve().is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: {path.name} has no heading #{anchor}")
    assert broken == []


def test_the_readme_links_absolutely_and_docs_pages_relatively():
    # The package index renders README.md away from the repository; MkDocs builds docs/ on its own.
    relative = [t for t in links(ROOT / "README.md") if not re.match(r"^(https?:|#)", t)]
    assert relative == []
    for page in (ROOT / "docs").rglob("*.md"):
        for target in links(page):
            found = resolve(page, target)
            if found is not None and not target.startswith(("http:", "https:")):
                assert found[0].resolve().is_relative_to(ROOT / "docs"), f"{page.name}: {target} leaves docs/"
            if found is not None and target.startswith("https:"):  # a repository file outside docs/ only
                assert not found[0].resolve().is_relative_to(ROOT / "docs"), f"{page.name}: link {target} relatively"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_pages_speak_of_the_project_only(page):
    text = page.read_text(encoding="utf-8")
    found = [f"{why}: {m.group(0)!r}" for pattern, why in NOT_THE_PROJECT for m in pattern.finditer(text)]
    assert found == []


# A repository path written in a page (`translate_summarize/core/quality.py`, `tests/test_eval.py`):
# when a file moves, the page that names it must move with it.
REPO_PATH = re.compile(
    r"(?<![\w./-])((?:translate_summarize|tests|benchmarks|scripts|examples|docs)/[\w./-]*\.(?:py|md|txt|json|jsonl|html|png|yml))\b"
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_repository_path_a_page_names_exists(page):
    named = set(REPO_PATH.findall(page.read_text(encoding="utf-8")))
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []


@pytest.mark.parametrize(
    "text",
    [
        "see `../shared/models-facts.md`",
        "measured on this project's 2-core machine",
        "issue 15's targets",
        "as asked in #12",
        "no GPU was lent to the session that wrote it",
    ],
)
def test_the_checks_catch_what_they_look_for(text):
    assert any(pattern.search(text) for pattern, _ in NOT_THE_PROJECT)


def test_the_link_checks_catch_a_broken_link(tmp_path):
    assert REPO_PATH.findall("see `tests/test_gone.py`, benchmarks/results/<gpu>.json, x/tests/a.py") == [
        "tests/test_gone.py"
    ]
    page = ROOT / "docs" / "index.md"
    assert resolve(page, "nope.md")[0] == ROOT / "docs" / "nope.md"
    assert resolve(ROOT / "README.md", f"{REPO_URL}/blob/main/docs/usage.md#options") == (
        ROOT / "docs" / "usage.md",
        "options",
    )
    assert "options" in anchors(ROOT / "docs" / "usage.md")
    assert slug("Measuring quality: `tsum eval`") == "measuring-quality-tsum-eval"
    assert resolve(page, "https://www.mkdocs.org") is None
    code = tmp_path / "code.md"
    code.write_text("`[a](b.md)` and [c](d.md)\n```\n[e](f.md)\n```\n", encoding="utf-8")
    assert links(code) == ["d.md"]
