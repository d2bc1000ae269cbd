"""The bundled examples, the README's commands and the packaging metadata stay true."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from click.testing import CliRunner
from support.common import ROOT, TRANSLATION_PAIRS

from translate_summarize import __version__
from translate_summarize.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_example_articles_translate_sentence_by_sentence_with_the_tiny_models(tmp_path, model_args):
    english = dict(TRANSLATION_PAIRS)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, [str(ROOT / "examples" / "articles"), "-o", str(out), "--format", "json", *model_args]
    )
    assert result.exit_code == 0, result.stderr
    outputs = sorted(out.glob("*.json"))
    assert [p.stem for p in outputs] == ["aftalen", "moede", "renten", "ulykken"]
    for path in outputs:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["segments"], path
        assert [s["translation"] for s in data["segments"]] == [english[s["source"]] for s in data["segments"]]
    assert json.loads((out / "moede.json").read_text(encoding="utf-8"))["metadata"] == {
        "date": "2021-07-14",
        "source": "DR",
    }


@pytest.mark.parametrize(
    ("example", "metadata"),
    [
        (
            "page-da.html",
            {"title": "Aftalen blev underskrevet i København.", "date": "2021-07-15", "author": "Mette Holm"},
        ),
        ("article-da.md", {}),
        ("article-da.json", {"title": "Politiet efterlyser vidner til ulykken.", "author": "Jens Berg"}),
    ],
)
def test_each_input_kind_has_an_example_that_translates_with_the_tiny_models(model_args, example, metadata):
    english = dict(TRANSLATION_PAIRS)
    result = CliRunner().invoke(
        main, [str(ROOT / "examples" / example), "--format", "json", "--no-summary", *model_args]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["segments"]) >= 4  # the page's menus, byline and footer are not among them
    assert [s["translation"] for s in data["segments"]] == [english[s["source"]] for s in data["segments"]]
    assert metadata.items() <= data["metadata"].items()


def test_the_archive_example_gives_one_output_per_article(tmp_path, model_args):
    english = dict(TRANSLATION_PAIRS)
    out = tmp_path / "out"
    archive = ROOT / "examples" / "archive-da.jsonl"
    result = CliRunner().invoke(main, [str(archive), "-o", str(out), "--format", "json", "--no-summary", *model_args])
    assert result.exit_code == 0, result.stderr
    outputs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "archive-da").glob("*.json")}
    assert set(outputs) == {"moedet", "renten", "aftalen"}
    for data in outputs.values():
        assert [s["translation"] for s in data["segments"]] == [english[s["source"]] for s in data["segments"]]


def test_the_seed_article_starts_with_its_text():
    first = (ROOT / "examples" / "article-da.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first == first.strip() and first.startswith("date 2021-07 USA og Rusland")


def test_every_example_path_in_the_readme_exists():
    paths = set(re.findall(r"examples/[\w./-]*[\w/]", README))
    assert "examples/article-da.txt" in paths and "examples/articles/" in paths
    assert [p for p in paths if not (ROOT / p).exists()] == []
    for invented in ("article.txt", "text1", 'open("article'):
        assert invented not in README.replace("examples/article", ""), invented


def test_the_readme_starts_with_two_commands_and_the_second_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    start_here = README.split("\n## Start here\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", start_here, re.DOTALL)
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert commands[0].endswith("&& tsum examples/article-da.txt --lang en")
    assert commands[1].endswith("&& python -m pytest -q")
    cpu_torch = "pip install torch --index-url https://download.pytorch.org/whl/cpu"
    assert all(cpu_torch in command for command in commands)
    # CI runs both commands as the README writes them (scripts/readme_commands.py extracts them),
    # with the venv's own pip: no pip upgrade, no install of its own before them.
    assert 'eval "$(readme_command 1)"' in ci and 'eval "$(readme_command 2)"' in ci
    assert "python3 scripts/readme_commands.py" in ci and "--upgrade pip" not in ci
    before = ci[: ci.index('eval "$(readme_command 1)"')].splitlines()
    assert [line for line in before if "pip install" in line and not line.strip().startswith("#")] == []


def test_the_version_is_written_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "translate_summarize.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_license_file_is_the_apache_2_text_the_metadata_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (project["license"], project["license-files"]) == ("Apache-2.0", ["LICENSE"])
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text and (ROOT / "translate_summarize" / "py.typed").is_file()
