"""One writer per OUTDIR: a lock that names its holder, dies with its process and is never followed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import FAST, one_error_line, records, snapshot, timed_tsum, tsum, tsum_process, write_articles

from translate_summarize.util.files import LOCK_NAME

# --- one writer per OUTDIR, and a lock that dies with its process ---------------------------------


def test_a_second_run_on_a_locked_outdir_fails_at_once_naming_the_holder(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    out.mkdir()
    holder_code = (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode()); print('locked', flush=True); "
        "time.sleep(600)"
    )
    holder = subprocess.Popen([sys.executable, "-c", holder_code, out / ".tsum.lock"], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"locked\n"
        result, elapsed = timed_tsum(inputs, "-o", out, *model_args, *FAST)
        assert elapsed < 10  # at once: not waiting for the holder's lock
        assert result.exit_code == 2
        assert f"another tsum (pid {holder.pid}) is writing to" in one_error_line(result.stderr)
        assert not (out / "results.jsonl").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # the OS drops the lock: no stale lock to clean
        holder.wait()
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    assert records(out)["a.txt"]["status"] == "ok"


def test_lock_file_is_not_followed_when_it_is_a_link(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    out.mkdir()
    (out / ".tsum.lock").symlink_to(tmp_path / "victim")
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 2 and "is a symbolic link" in one_error_line(result.stderr)
    assert not (tmp_path / "victim").exists()


# --- OUTDIR and its lock ------------------------------------------------------------------------


def _fifo_lock(out: Path, inputs: Path) -> None:
    out.mkdir()
    os.mkfifo(out / LOCK_NAME)


def _hard_linked_lock(out: Path, inputs: Path) -> None:
    out.mkdir()
    os.link(inputs / "a.txt", out / LOCK_NAME)


@pytest.mark.parametrize(
    "make, message",
    [
        (_fifo_lock, "is a FIFO (named pipe), not tsum's lock file"),
        (_hard_linked_lock, "has other hard links, so it is not tsum's lock file"),
    ],
    ids=["fifo", "hard-link-to-an-input"],
)
def test_a_lock_file_that_is_not_tsums_is_refused_and_left_alone(tmp_path, model_args, make, message):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    make(out, inputs)
    before = snapshot(tmp_path)
    result = tsum_process([inputs, "-o", out, *model_args, *FAST], timeout=60)
    assert result.returncode == 2
    assert message in one_error_line(result.stderr)
    assert snapshot(tmp_path) == before  # the input behind the hard link keeps its text
