"""Runs killed with kill -9: the lock is released, pages are whole and the rerun accounts for every input."""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys

import pytest
from support.cli import FAST, records, snapshot, write_articles
from support.common import ROOT
from support.polling import wait_for

from translate_summarize.util.files import TMP_PREFIX


def test_kill_9_of_a_run_releases_the_lock_for_the_next_run(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    for i in range(30):
        write_articles(inputs, f"a{i:02d}.txt")
    command = [sys.executable, "-m", "translate_summarize", inputs, "-o", out, *model_args, *FAST]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = out / ".tsum.lock"
    wait_for(lambda: lock.exists() and lock.read_text(), timeout=60, what="the run's pid in its lock")
    with open(out / ".tsum.lock", "rb") as handle, pytest.raises(BlockingIOError):  # held while it runs
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    process.send_signal(signal.SIGKILL)
    process.wait()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(records(out)) == 30


# --- kill -9 of an html folder run, mid-write ---------------------------------------------------


def test_kill_9_of_an_html_run_leaves_whole_pages_and_the_rerun_accounts_for_every_input(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    for i in range(40):
        write_articles(inputs, f"s{i % 3}/a{i:02d}.txt")
    (inputs / "empty.txt").write_text("")
    before = snapshot(inputs)
    command = [sys.executable, "-m", "translate_summarize", inputs, "-o", out, *model_args, *FAST, "--format", "html"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed while the first window is being written.
    wait_for(lambda: any(out.glob("s*/*.html")), timeout=120, interval=0.005, what="the first html page")
    process.send_signal(signal.SIGKILL)
    process.wait()
    for page in out.rglob("*.html"):
        assert page.read_text(encoding="utf-8").endswith("</html>\n"), page
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 1 and b"Traceback" not in result.stderr  # empty.txt fails
    found = records(out)
    assert len(found) == 41 and found["empty.txt"]["status"] == "failed"
    assert not [p for p in out.rglob(f"{TMP_PREFIX}*")]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr") == 42  # a header row and one row per input
    assert snapshot(inputs) == before
