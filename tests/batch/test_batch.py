"""Folder runs: discovery, records, resume after SIGKILL, failure isolation, safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import FOLDER_FAST as FAST
from support.cli import article, assert_output_correct, make_tree, records, stray_files
from support.common import ROOT
from support.polling import wait_for

from translate_summarize.cli.main import main


def test_folder_of_200_articles_with_an_empty_and_a_binary_file(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    names = make_tree(inputs, 200)
    (inputs / "år 1" / "tom.txt").write_text("")
    (inputs / "år 2" / "binær.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 64)
    (inputs / "ignored.csv").write_text("a,b\n")
    result = CliRunner().invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST])
    assert result.exit_code == 1
    found = records(out)
    assert len(found) == 202
    statuses = [r["status"] for r in found.values()]
    assert statuses.count("ok") == 200 and statuses.count("failed") == 2
    assert "is empty" in found["år 1/tom.txt"]["error"]
    assert "binary" in found["år 2/binær.txt"]["error"]
    for name in names:
        record = found[name]
        assert record["outputs"] == [name[: -len(".txt")] + ".json"]
        assert len(record["sha256"]) == 64 and record["models"]["translation"]["revision"] == "local"
        assert record["timings"]["seconds"] >= 0 and record["error"] is None
        assert_output_correct(out, record)
    assert not stray_files(out)


def _run(inputs: Path, out: Path, model_args: list[str], *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "translate_summarize", str(inputs), "-o", str(out), *model_args, *FAST, *extra]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())


def test_sigkill_halfway_then_resume_then_skip_everything(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    names = make_tree(inputs, 200, sentences=10)
    process = _run(inputs, out, model_args)
    results = out / "results.jsonl"
    wait_for(
        lambda: process.poll() is not None or (results.exists() and results.read_bytes().count(b"\n") >= 20),
        timeout=120,
        interval=0.01,
        what="20 records, or the end of the run",
    )
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = sum(1 for line in results.read_bytes().splitlines() if line.strip())
    assert 0 < done_before < 200
    # What the killed run left is whole: finished outputs parse, nothing half-written.
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))

    second = _run(inputs, out, model_args)
    assert second.wait(timeout=300) == 0, second.communicate()
    found = records(out)
    assert sorted(found) == sorted(names)
    assert all(r["status"] in ("ok", "skipped") for r in found.values())
    assert sum(r["status"] == "skipped" for r in found.values()) >= done_before - 1
    for record in found.values():
        assert_output_correct(out, record)
    assert not stray_files(out)

    third = _run(inputs, out, model_args)
    assert third.wait(timeout=300) == 0
    assert all(r["status"] == "skipped" for r in records(out).values())


def test_changed_inputs_are_redone_and_force_redoes_all(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_tree(inputs, 6)
    runner = CliRunner()
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST]).exit_code == 0
    changed = "år 1/sub 1/artikel 001.txt"
    (inputs / changed).write_text(article(7), encoding="utf-8")
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST]).exit_code == 0
    found = records(out)
    assert found[changed]["status"] == "ok"
    assert [r["status"] for k, r in found.items() if k != changed] == ["skipped"] * 5
    output = json.loads((out / "år 1/sub 1/artikel 001.json").read_text(encoding="utf-8"))
    assert output["segments"][0]["source"] == article(7).split("\n")[1].split(". ")[0] + "."
    # Other options make other outputs: a new format is not "up to date".
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST, "--format", "text"]).exit_code == 0
    assert all(r["status"] == "ok" and r["outputs"][0].endswith(".txt") for r in records(out).values())
    assert (
        runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST, "--format", "text", "--force"]).exit_code
        == 0
    )
    assert all(r["status"] == "ok" for r in records(out).values())


def test_output_inside_input_links_and_name_clashes(tmp_path, model_args):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "b.txt").write_text(article(1), encoding="utf-8")
    (inputs / "b.md").write_text(article(2), encoding="utf-8")
    (inputs / "navn med æøå.txt").write_text(article(3), encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text(article(4), encoding="utf-8")
    (inputs / "link.txt").symlink_to(outside)
    out = inputs / "out"  # OUTDIR inside the input folder
    runner = CliRunner()
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST]).exit_code == 0
    found = records(out)
    assert sorted(found) == ["b.md", "b.txt", "navn med æøå.txt"]
    assert sorted(r["outputs"][0] for r in found.values()) == ["b.md.json", "b.txt.json", "navn med æøå.json"]
    # A second run does not pick up its own outputs as inputs.
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST, "--glob", "*"]).exit_code == 0
    assert all(not name.startswith("out/") for name in records(out))
    # Links out of the input tree are followed only when asked.
    assert runner.invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST, "--follow-symlinks"]).exit_code == 0
    assert "link.txt" in records(out)


def test_several_roots_and_files(tmp_path, model_args):
    first, second, out = tmp_path / "a" / "news", tmp_path / "b" / "news", tmp_path / "out"
    for root in (first, second):
        root.mkdir(parents=True)
        (root / "x.txt").write_text(article(5), encoding="utf-8")
    single = tmp_path / "single.txt"
    single.write_text(article(6), encoding="utf-8")
    result = CliRunner().invoke(main, [str(first), str(second), str(single), "-o", str(out), *model_args, *FAST])
    assert result.exit_code == 0
    found = records(out)
    assert sorted(found) == ["news-2/x.txt", "news/x.txt", "test_several_roots_and_files0/single.txt"]
    outputs = [r["outputs"][0] for r in found.values()]
    assert sorted(outputs) == ["news-2/x.json", "news/x.json", "test_several_roots_and_files0/single.json"]
    assert all((out / name).is_file() for name in outputs)


def test_batch_needs_an_output_folder(tmp_path):
    (tmp_path / "a.txt").write_text(article(1))
    result = CliRunner().invoke(main, [str(tmp_path)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: folders and several files need -o OUTDIR")


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(main, [str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--glob", "*.txt"])
    assert result.exit_code == 2 and "no files matching *.txt" in result.stderr


def test_run_summary_counts_every_status_explicitly():
    from translate_summarize.batch.jobs import RunSummary
    from translate_summarize.batch.results import Status

    summary = RunSummary()
    for status in [Status.OK, Status.OK, Status.FAILED, Status.SKIPPED]:
        summary.count(status)
    assert (summary.ok, summary.failed, summary.skipped) == (2, 1, 1)
    with pytest.raises(ValueError):
        summary.count("ok")  # a plain string is not a Status: no silent setattr


@pytest.mark.parametrize(
    ("line", "valid"),
    [
        ({"input": "a.txt", "status": "ok", "outputs": ["a.json"], "timings": {"seconds": 1.0}}, True),
        ({"input": "a.txt", "status": "done"}, False),
        ({"input": "a.txt", "status": "ok", "outputs": 5}, False),
        ({"input": "a.txt", "status": "ok", "outputs": ["../../etc/passwd"]}, False),
        ({"input": "a.txt", "status": "ok", "timings": []}, False),
        ({"input": ["a.txt"], "status": "ok"}, False),
        (["not", "a", "record"], False),
    ],
)
def test_journal_records_are_validated(line, valid):
    from translate_summarize.batch.results import Record

    record = Record.from_dict(line)
    assert (record is not None) == valid
    if valid:
        assert json.loads(record.to_json())["status"] == "ok"


def test_disk_full_while_writing_fails_that_article_and_the_run_goes_on(tmp_path, model_args, monkeypatch):
    import errno

    import translate_summarize.util.files as io

    inputs, out = tmp_path / "in", tmp_path / "out"
    make_tree(inputs, 3)
    real_write_all = io._write_all
    calls = []

    def full_once(fd, data):  # the file system is full for the first output only
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write_all(fd, data)

    monkeypatch.setattr(io, "_write_all", full_once)
    result = CliRunner().invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST], catch_exceptions=False)
    assert result.exit_code == 1
    found = records(out)
    failed = [r for r in found.values() if r["status"] == "failed"]
    assert len(found) == 3 and len(failed) == 1 and "No space left on device" in failed[0]["error"]
    assert not stray_files(out)


def test_a_bug_propagates_and_keeps_the_journal(tmp_path, model_args, monkeypatch):
    """Only expected errors become failed records; a bug surfaces, with the records so far kept."""
    from translate_summarize.core.pipeline import Pipeline

    inputs, out = tmp_path / "in", tmp_path / "out"
    make_tree(inputs, 2)
    (inputs / "tom.txt").write_text("")

    def bug(self, articles):
        raise KeyError("a bug in tsum")

    monkeypatch.setattr(Pipeline, "process_parsed", bug)
    with pytest.raises(KeyError):
        CliRunner().invoke(main, [str(inputs), "-o", str(out), *model_args, *FAST], catch_exceptions=False)
    assert records(out)["tom.txt"]["status"] == "failed"
