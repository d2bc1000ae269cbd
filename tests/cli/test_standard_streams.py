"""Closed and full standard streams: one error line or the work done, never a traceback."""

from __future__ import annotations

import pytest
from support.cli import ARTICLE, FAST, one_error_line, records, tsum_process, write_articles
from support.common import EXAMPLE

# --- closed and full standard streams -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "redirect", "code", "message"),
    [
        (["-"], "<&-", 2, "standard input is closed"),
        ([str(EXAMPLE)], ">&-", 2, "standard output is closed: pass -o FILE"),
        ([str(EXAMPLE)], ">/dev/full", 1, "cannot write to standard output (No space left on device)"),
        ([str(EXAMPLE), "--help"], ">/dev/full", 1, "cannot write to standard output (No space left on device)"),
    ],
    ids=["closed-stdin", "closed-stdout", "full-stdout", "help-to-full-stdout"],
)
def test_closed_or_full_standard_streams(model_args, args, redirect, code, message):
    result = tsum_process([*args, *model_args, *FAST], shell_redirect=redirect)
    assert result.returncode == code
    assert message in one_error_line(result.stderr)


# --- standard streams ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "redirect", ["2>&-", "2>/dev/full", ">&- 2>&-"], ids=["stderr-closed", "stderr-full", "both-closed"]
)
def test_a_folder_run_with_a_closed_or_full_stderr_still_does_its_work(tmp_path, model_args, redirect):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    result = tsum_process([inputs, "-o", out, *model_args, *FAST], shell_redirect=redirect)
    assert result.returncode == 0
    assert records(out)["a.txt"]["status"] == "ok" and (out / "a.txt").is_file()


def test_a_single_run_with_a_closed_stderr_prints_its_output(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = tsum_process([source, *model_args, "--compute-type", "float32", "--beam-size", "1"], shell_redirect="2>&-")
    assert result.returncode == 0
    assert b"TRANSLATION" in result.stdout


@pytest.mark.parametrize("args", [["eval", "h.txt", "r.txt"], ["models", "list"]], ids=["eval", "models-list"])
def test_commands_that_print_refuse_a_closed_stdout(tmp_path, args):
    for name in ("h.txt", "r.txt"):
        (tmp_path / name).write_text("a b c\n")
    result = tsum_process([tmp_path / a if a.endswith(".txt") else a for a in args], shell_redirect=">&-")
    assert result.returncode == 2
    assert "standard output is closed" in one_error_line(result.stderr)
