"""What a newcomer meets at the command line: usage errors, odd names, completion, summaries, progress."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from support.cli import tsum
from support.common import EXAMPLE, ROOT, TRANSLATION_PAIRS, known_article

from translate_summarize.cli.main import main
from translate_summarize.options import FORMATS

USAGE = "Usage: tsum [OPTIONS] ARTICLE|FOLDER...\nTry 'tsum --help' for help.\n\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--zzz"], "Error: No such option '--zzz'.\n"),  # (--bogus is close enough to --urls for click to suggest it)
        (
            [str(EXAMPLE), "--format", "pdf"],
            f"Error: Invalid value for '--format': 'pdf' is not one of {', '.join(map(repr, FORMATS))}.\n",
        ),
        (["run"], "Error: Missing argument 'ARTICLE|FOLDER...'.\n"),
    ],
    ids=["unknown-option", "bad-choice", "no-article"],
)
def test_usage_errors_speak_as_tsum_not_as_the_hidden_run_command(args, error):
    result = tsum(*args)
    assert result.exit_code == 2
    assert result.stderr == USAGE + error


def test_a_folder_named_like_a_subcommand_is_translated(tmp_path, monkeypatch, model_args):
    article, expected = known_article()
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.txt").write_text(article, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = tsum("models", "-o", "out", "--no-summary", "--compute-type", "float32", *model_args)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8").endswith(expected + "\n")
    # The subcommand still wins where its arguments make sense.
    assert tsum("models", "list").stdout.startswith("NAME ")
    assert tsum("models", "--help").stdout.startswith("Usage: tsum models [OPTIONS] COMMAND")
    assert "Usage: tsum models [OPTIONS] COMMAND" in tsum("models").output


def test_a_file_named_like_a_subcommand_is_translated(tmp_path, monkeypatch, model_args):
    article, expected = known_article()
    (tmp_path / "models").write_text(article, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = tsum("models", "--no-summary", "--compute-type", "float32", *model_args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(expected + "\n")


def complete(words: str) -> str:
    env = {"_TSUM_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    return tsum(env=env).stdout


def test_shell_completion_offers_files_for_articles_and_languages_for_lang():
    assert complete("tsum --lang ") == "plain,en\n"
    assert complete("tsum --lang e") == "plain,en\n"
    assert complete("tsum --lang d").strip() == ""
    assert complete("tsum article.txt ex") == "file,ex\n"  # bash then lists the files
    subcommands = "".join(f"plain,{name}\n" for name in main.list_commands(None))
    assert "plain,models\n" in subcommands and "plain,run" not in subcommands
    assert complete("tsum ") == subcommands + "file,\n"  # a subcommand or an article
    assert complete("tsum models ") == "".join(
        f"plain,{name}\n" for name in ("convert", "download", "export", "import", "list", "path")
    )


def test_a_folder_run_names_the_failed_files_and_where_the_reasons_are(tmp_path, model_args):
    article, _ = known_article()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(article, encoding="utf-8")
    for name in ("c-empty.txt", "a-empty.txt", "d-empty.txt", "b-empty.txt"):
        (folder / name).write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), "-o", str(out), "--no-summary", *model_args)
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert re.fullmatch(
        rf"tsum: 1 ok, 4 failed, 0 skipped in \d+\.\d s; failed: a-empty.txt, b-empty.txt, c-empty.txt and 1 more; "
        rf"reasons in {re.escape(str(out / 'results.jsonl'))}",
        last,
    ), last


def test_a_clean_folder_run_points_to_the_records(tmp_path, model_args):
    article, _ = known_article()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article, encoding="utf-8")
    result = tsum(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-summary", *model_args)
    assert result.exit_code == 0
    assert re.fullmatch(
        rf"tsum: 1 ok, 0 failed, 0 skipped in \d+\.\d s; records in {re.escape(str(tmp_path / 'out' / 'results.jsonl'))}",
        result.stderr.splitlines()[-1],
    )


def test_pipeline_reports_loading_then_sentences_then_the_summary(tiny_models):
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import PipelineOptions

    article, _ = known_article()
    options = PipelineOptions(
        translation_model=str(tiny_models["translation"]), summary_model=str(tiny_models["summary"]), batch_tokens=64
    )
    events = []
    Pipeline(options).process([article], progress=lambda *event: events.append(event))
    sentences = len(TRANSLATION_PAIRS)
    assert events[:4] == [("load", 0, 2), ("load", 1, 2), ("load", 2, 2), ("translate", 0, sentences)]
    translated = [done for stage, done, _ in events if stage == "translate"]
    assert translated == sorted(translated) and len(translated) > 2 and translated[-1] == sentences
    assert events[-2:] == [("summarize", 0, 1), ("summarize", 1, 1)]


def run_on_terminal(args: list[str], env: dict) -> tuple[int, str]:
    """Run tsum with stdin, stdout and stderr on a pseudo-terminal of 100 columns; return all it drew."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "translate_summarize", *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=120), drawn.decode("utf-8", "replace")


@pytest.fixture
def single_run(tmp_path, model_args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [str(EXAMPLE), *model_args, "-o", str(tmp_path / "out.txt")], env


def test_a_single_article_shows_a_progress_bar_on_a_terminal(single_run):
    args, env = single_run
    code, drawn = run_on_terminal(args, env)
    assert code == 0, drawn
    assert "loading the models" in drawn and re.search(r"loading the models: +\d+%\|[^|]*\| 2/2 ", drawn), drawn
    assert re.search(r"translating: 100%\|[^|]*\| (\d+)/\1 \[", drawn), drawn
    assert "summarising" in drawn
    assert drawn.endswith("\r") and drawn.split("\r")[-2].strip() == ""  # erased when done


def test_no_progress_bar_when_quiet_or_piped(single_run):
    args, env = single_run
    code, drawn = run_on_terminal([*args, "--quiet"], env)
    assert (code, drawn) == (0, "")
    piped = subprocess.run(
        [sys.executable, "-m", "translate_summarize", *args], capture_output=True, text=True, env=env
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, "", "")


@pytest.mark.parametrize("executor", ["local", "ray"])
def test_a_folder_run_shows_its_progress_bar_on_a_terminal(tmp_path, model_args, executor):
    # The Ray executor points file descriptors 1 and 2 at /dev/null while Ray runs: the bar,
    # which writes to its own copy of the terminal, is all that is drawn meanwhile.
    if executor == "ray":
        pytest.importorskip("ray")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (da, _) in enumerate(TRANSLATION_PAIRS[:3]):
        (folder / f"a{i}.txt").write_text(da + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(folder), "-o", str(tmp_path / "out"), *model_args, "--no-summary", "--executor", executor]
    code, drawn = run_on_terminal([*args, "--workers", "1"] if executor == "ray" else args, env)
    assert code == 0, drawn
    assert re.search(r"100%\|[^|]*\| 3/3 \[", drawn), drawn
    assert any(line.startswith("tsum: 3 ok, 0 failed, 0 skipped") for line in drawn.splitlines()), drawn
    assert "INFO" not in drawn and "WARNING" not in drawn  # Ray's own lines stay out of the terminal
    assert len(list((tmp_path / "out").glob("a*.txt"))) == 3


def test_bare_tsum_is_a_short_usage_error_not_success():
    result = tsum()
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == USAGE + "Error: Missing argument 'ARTICLE|FOLDER...'.\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["list", "models"], "Error: list does not exist: did you mean `tsum models list`?\n"),
        (["model", "list"], "Error: model does not exist: did you mean `tsum models list`?\n"),
        (["--format", "json", "models", "list"], "Error: models does not exist: did you mean `tsum models list`?\n"),
        (["modls", "dowload"], "Error: modls does not exist: did you mean `tsum models download`?\n"),
        (["missing.txt", "--workers", "2"], "Error: missing.txt does not exist\n"),
        (["missing/", "--executor", "ray"], "Error: missing/ does not exist\n"),
        (["missing/", "other/"], "Error: missing/ does not exist\n"),  # not "several files need -o OUTDIR"
    ],
)
def test_a_path_that_does_not_exist_is_named_first(tmp_path, monkeypatch, args, error):
    monkeypatch.chdir(tmp_path)
    result = tsum(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", error)


def test_an_unknown_model_name_and_a_missing_model_folder_fail_alike(tmp_path):
    name = tsum(str(EXAMPLE), "--translation-model", "opus-mt-da-nl")
    folder = tsum(str(EXAMPLE), "--translation-model", str(tmp_path / "no-such-model"))
    assert name.exit_code == folder.exit_code == 3
    assert name.stderr.startswith("Error: unknown model 'opus-mt-da-nl' (and no folder of that name): use one of ")
    assert folder.stderr == f"Error: model directory {tmp_path / 'no-such-model'} does not exist\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(
            ["--translation-model", "{translation}", "--summary-model", "{translation}"],
            "Error: --summary-model {translation} holds a translation model (MarianMTModel, task translation), "
            "not a summary model: pass it as --translation-model, or give --summary-model a summary model "
            "(`tsum models list`)\n",
            id="translation-as-summary",
        ),
        pytest.param(
            ["--translation-model", "{summary}", "--summary-model", "{summary}"],
            "Error: --translation-model {summary} holds a summarisation model (BartForConditionalGeneration, task "
            "summary), not a translation model: pass it as --summary-model, or give --translation-model a "
            "translation model (`tsum models list`)\n",
            id="summary-as-translation",
        ),
        pytest.param(  # refused without a download: the Hub is not reachable in tests
            ["--translation-model", "distilbart-cnn-12-6", "--summary-model", "{summary}"],
            "Error: --translation-model distilbart-cnn-12-6 holds a summarisation model (sshleifer/distilbart-cnn-12-6, "
            "task summary), not a translation model: pass it as --summary-model, or give --translation-model a "
            "translation model (`tsum models list`)\n",
            id="registered-summariser",
        ),
    ],
)
def test_a_model_of_the_other_task_is_refused_before_loading(tiny_models, args, error):
    folders = {"translation": tiny_models["translation"], "summary": tiny_models["summary"]}
    result = tsum(str(EXAMPLE), *(arg.format(**folders) for arg in args))
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", error.format(**folders))


def test_completion_offers_model_names_for_model_options_and_commands():
    assert complete("tsum --translation-model opus") == (
        "plain,opus-mt-da-en\nplain,opus-mt-tc-big-gmq-en\ndir,opus\n"  # names, then folders
    )
    assert complete("tsum --summary-model dist") == "plain,distilbart-cnn-12-6\ndir,dist\n"
    assert complete("tsum models download b") == "plain,bart-large-cnn\n"
    assert complete("tsum models path sshleifer/") == "plain,sshleifer/distilbart-cnn-12-6\n"


def test_no_lock_file_stays_in_the_output_folder_after_a_run(tmp_path, model_args):
    article, _ = known_article()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article, encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # the second run finds its earlier records and skips the article
        result = tsum(str(tmp_path / "in"), "-o", str(out), "--no-summary", "--quiet", *model_args)
        assert result.exit_code == 0
        assert not (out / ".tsum.lock").exists() and (out / "results.jsonl").is_file()
