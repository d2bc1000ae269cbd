"""The `tsum` command end to end, with the trained tiny models."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, TRANSLATION_PAIRS, known_article

from translate_summarize.cli.main import main
from translate_summarize.output.render import markdown_escape


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_seed_article_json_contract(model_args):
    result = invoke(str(EXAMPLE), "--lang", "en", *model_args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["translation"].strip() and data["summary"].strip()
    assert data["metadata"] == {"date": "2021-07"}
    assert set(data) >= {"translation", "summary", "segments", "metadata", "models", "generation", "tsum_version"}
    assert data["segments"][0]["source"].startswith("USA og Rusland")
    assert all({"source", "translation", "paragraph"} <= set(s) for s in data["segments"])
    assert [s["paragraph"] for s in data["segments"]] == sorted(s["paragraph"] for s in data["segments"])
    assert data["models"]["translation"] == {"name": model_args[1], "revision": "local"}
    generation = data["generation"]["summary"]
    assert (generation["beam_size"], generation["length_penalty"], generation["no_repeat_ngram_size"]) == (4, 2.0, 3)
    assert data["generation"]["translation"]["engine"] == "ctranslate2"  # auto on CPU


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_known_sentences_are_translated_through_the_whole_pipeline(model_args, tmp_path, engine):
    article, expected = known_article()
    path = tmp_path / "artikel.txt"
    path.write_text("date 2024-01-02\n" + article, encoding="utf-8")
    result = invoke(
        str(path), *model_args, "--engine", engine, "--compute-type", "float32", "--format", "json", "--beam-size", "1"
    )
    data = json.loads(result.stdout)
    assert data["translation"] == expected
    assert [s["translation"] for s in data["segments"]] == [en for _, en in TRANSLATION_PAIRS]
    assert data["metadata"] == {"date": "2024-01-02"}


def test_text_format_and_output_file(model_args, tmp_path):
    article, expected = known_article()
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    out = tmp_path / "a.en.txt"
    result = invoke(str(tmp_path / "a.txt"), *model_args, "--compute-type", "float32", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    assert header.splitlines() == [
        f"Input: {tmp_path / 'a.txt'}",
        # local model folders by their folder name: a published output does not show where they lie
        f"Models: {Path(model_args[1]).name} @ local (translation), {Path(model_args[3]).name} @ local (summary)",
        "The translation and the summary are machine-made by tsum 0.1.0: check names, numbers and quotes "
        "against the original.",
    ]
    assert body.startswith("SUMMARY\n")
    assert "TRANSLATION\n" + expected.split("\n\n")[0] in body


def test_stdin_no_summary_and_markdown(model_args):
    article, expected = known_article()
    result = invoke(
        "-",
        *model_args,
        "--compute-type",
        "float32",
        "--no-summary",
        "--format",
        "markdown",
        input=article.encode("cp1252"),
    )
    assert result.exit_code == 0
    assert result.stdout == (
        f"- **Input**: standard input\n- **Models**: {markdown_escape(Path(model_args[1]).name)} @ local (translation)\n\n"
        "*The translation is machine-made by tsum 0.1.0: check names, numbers and quotes against the original.*\n\n"
        f"## Translation\n\n{expected}\n"
    )


def test_summary_only(model_args):
    result = invoke(str(EXAMPLE), *model_args, "--summary-only", "--summary-length", "short")
    assert result.exit_code == 0
    assert result.stdout.strip() and "TRANSLATION" not in result.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", r"^Error: .*missing.txt does not exist\n$"),
        (
            lambda p: (p / "empty.txt").write_text("") and p / "empty.txt" or p / "empty.txt",
            r"^Error: .*empty.txt is empty: there is nothing to translate\n$",
        ),
        (
            lambda p: (p / "bin.txt").write_bytes(b"\x7fELF\x00\x00\x01" * 50) and p / "bin.txt",
            r"^Error: .*bin.txt looks like a binary file",
        ),
    ],
    ids=["missing", "empty", "binary"],
)
def test_bad_input_gives_one_error_line(tmp_path, make, message, model_args):
    result = invoke(str(make(tmp_path)), *model_args)
    assert result.exit_code == 2
    assert re.match(message, result.stderr)
    assert result.stderr.count("\n") == 1


def test_unsupported_language_lists_the_supported_ones(model_args):
    result = invoke(str(EXAMPLE), "--lang", "de", *model_args)
    assert result.exit_code == 2
    assert result.stderr == "Error: language 'de' is not supported: tsum translates Danish into en\n"


def test_contradictory_flags():
    result = invoke(str(EXAMPLE), "--no-summary", "--summary-only")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --no-summary and --summary-only")


def test_int8_on_transformers_is_refused(model_args):
    result = invoke(str(EXAMPLE), *model_args, "--engine", "transformers", "--compute-type", "int8")
    assert result.exit_code == 3
    assert "--engine ctranslate2" in result.stderr


def test_help_has_examples_and_does_not_import_torch():
    code = (
        "import sys; from click.testing import CliRunner; from translate_summarize.cli.main import main; "
        "r = CliRunner().invoke(main, ['--help']); print(r.output); "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    assert "Examples:" in proc.stdout and "tsum articles/ -o out/" in proc.stdout
    assert "--translation-model" in proc.stdout and "models" in proc.stdout


def test_version():
    from translate_summarize import __version__

    assert invoke("--version").stdout.strip() == f"tsum, version {__version__}"


def test_cli_options_match_the_options_dataclass():
    """One source for every default: each PipelineOptions field is a CLI option with its default."""
    from dataclasses import fields

    from translate_summarize.options import PipelineOptions

    command = main.commands["run"]
    params = {p.name: p for p in command.params}
    for field in fields(PipelineOptions):
        if field.name in ("summarize",):
            assert "no_summary" in params
            continue
        assert field.name in params, field.name
        assert params[field.name].default == field.default, field.name


def test_python_api_matches_the_cli(tiny_models):
    from translate_summarize import translate, translate_and_summarize

    article, expected = known_article()
    options = {"translation_model": str(tiny_models["translation"]), "compute_type": "float32", "beam_size": 1}
    assert translate(article, **options) == expected
    result = translate_and_summarize(article, summary_model=str(tiny_models["summary"]), **options)
    assert result.translation == expected and result.summary


@pytest.mark.parametrize("threads", ["100000000000", "1025", "-1"])
def test_absurd_thread_counts_are_refused_with_one_line(model_args, threads):
    # 100000000000 used to abort the process inside libgomp (OpenMP) once a model loaded.
    result = invoke(str(EXAMPLE), *model_args, "--threads", threads)
    assert result.exit_code == 2
    assert f"Invalid value for '--threads': {threads} is not in the range 0<=x<=1024." in result.stderr


def test_library_refuses_absurd_thread_counts_too():
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.errors import UsageError
    from translate_summarize.options import PipelineOptions

    with pytest.raises(UsageError, match=r"^threads must be between 0 \(all cores\) and 1024, not 100000000000$"):
        Pipeline(PipelineOptions(threads=100_000_000_000))


def test_the_largest_thread_count_runs(model_args):
    result = invoke(str(EXAMPLE), *model_args, "--no-summary", "--beam-size", "1", "--threads", "1024")
    assert result.exit_code == 0 and result.stdout.strip()
