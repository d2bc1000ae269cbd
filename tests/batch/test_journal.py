"""results.jsonl, the journal of a folder run: damaged lines, odd files and records from elsewhere."""

from __future__ import annotations

import os

import pytest
from support.cli import FAST, one_error_line, records, tsum, write_articles

from translate_summarize.batch.results import Record

# --- a damaged journal is read line by line -------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["[" * 100_000, '{"input": "a.txt", "status": "ok", "outputs": 5}', '{"input": 1}', "\x00\xff garbage"],
    ids=["deep-nesting", "outputs-not-a-list", "input-not-a-string", "garbage"],
)
def test_damaged_journal_lines_are_ignored_with_a_warning(tmp_path, model_args, damage):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    out.mkdir()
    (out / "results.jsonl").write_text(damage + "\n", encoding="utf-8")
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 0
    assert "Warning: ignored 1 damaged line(s)" in result.stderr and "Traceback" not in result.stderr
    assert records(out)["a.txt"]["status"] == "ok"
    assert tsum(inputs, "-o", out, *model_args, *FAST).stderr == ""  # compacted: clean again


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda journal, other: journal.mkdir(), "results.jsonl is a folder, not tsum's journal: move it away"),
        (lambda journal, other: journal.symlink_to(other), "results.jsonl is a symbolic link, not tsum's journal"),
        (lambda journal, other: os.link(other, journal), "other hard link(s): tsum appends to its journal in place"),
    ],
    ids=["folder", "symlink", "hard-link"],
)
def test_a_journal_that_is_not_a_plain_file_is_one_error(tmp_path, model_args, make, message):
    inputs, out, other = tmp_path / "in", tmp_path / "out", tmp_path / "other.jsonl"
    write_articles(inputs, "a.txt")
    other.write_text("")
    out.mkdir()
    make(out / "results.jsonl", other)
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 2
    assert message in one_error_line(result.stderr)
    assert other.read_text() == ""


def test_a_no_op_rerun_keeps_the_timings_of_the_run_that_made_the_output(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    first = records(out)["a.txt"]
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    second = records(out)["a.txt"]
    assert second["status"] == "skipped" and second["timings"] == first["timings"]
    assert second["timings"]["seconds"] >= 0


# --- results.jsonl from elsewhere ---------------------------------------------------------------


def test_a_journal_output_name_holding_a_nul_is_not_a_record():
    line = {"input": "a.txt", "status": "ok", "outputs": ["a\x00.txt"], "key": "k"}
    assert Record.from_dict(line) is None  # os.stat would raise ValueError on it
