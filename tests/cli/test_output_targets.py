"""Where a single run writes (-o): devices, FIFOs and links are written into, never replaced; outputs that
cannot be meant or cannot be written are refused before any work."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from contextlib import ExitStack

import pytest
from support.cli import ARTICLE, FAST, one_error_line, refusal, shell_quote, tsum, tsum_process, write_articles
from support.common import ROOT, known_article, mounted_tmpfs


@pytest.mark.parametrize("via_link", [False, True], ids=["same-name", "link-to-input"])
def test_single_output_equal_to_its_input_is_refused(tmp_path, model_args, via_link):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    output = source
    if via_link:
        output = tmp_path / "link.txt"
        output.symlink_to(source)
    assert "tsum never overwrites an input" in refusal(tmp_path, source, "-o", output, *model_args, *FAST)


# --- devices, FIFOs and links named by -o are written into, never replaced ------------------------


def test_output_to_a_fifo_is_written_into_and_stays_a_fifo(tmp_path, model_args):
    source, fifo = tmp_path / "a.txt", tmp_path / "pipe"
    source.write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = tsum_process([source, "-o", fifo, *model_args, *FAST, "--format", "markdown"])
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert received and "## Translation" in received[0].decode()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_to_dev_stdout_works(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = tsum_process([source, "-o", "/dev/stdout", *model_args, *FAST, "--format", "markdown"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().endswith(f"## Translation\n\n{known_article()[1]}\n")


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path, model_args):
    source, target, link = tmp_path / "a.txt", tmp_path / "real.md", tmp_path / "link.md"
    source.write_text(ARTICLE, encoding="utf-8")
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target)
    result = tsum(source, "-o", link, *model_args, *FAST, "--format", "markdown")
    assert result.exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "## Translation" in target.read_text(encoding="utf-8")


def test_output_to_a_full_device_is_one_error_and_the_device_stays(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = tsum_process([source, "-o", "/dev/full", *model_args, *FAST])
    assert result.returncode == 1
    assert "cannot write /dev/full" in one_error_line(result.stderr)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_single_fifo_input_works_like_stdin(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    args = " ".join(shell_quote(a) for a in [*model_args, *FAST, "--format", "markdown"])
    command = f"exec {sys.executable} -m translate_summarize <(cat {shell_quote(source)}) {args}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "## Translation" in result.stdout.decode()


@pytest.mark.parametrize("problem", ["parent-is-a-file", "output-is-a-folder", "read-only-folder"])
def test_an_unwritable_output_is_refused_before_the_models_load(tmp_path, problem):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    if problem == "parent-is-a-file":
        output, expected = source / "out.txt", "out.txt: Not a directory; pick another -o"
    elif problem == "output-is-a-folder":
        output, expected = tmp_path, "is a folder: pass a file name to -o"
    else:
        output, expected = tmp_path / "ro" / "out.txt", "not a folder you can write to"
    with ExitStack() as read_only:
        if problem == "read-only-folder":
            if os.geteuid() == 0:  # root writes into a read-only folder, not into a read-only file system
                read_only.enter_context(mounted_tmpfs(output.parent, "ro,size=64k"))
            else:
                output.parent.mkdir(mode=0o555)
        # A model that does not exist: had the models been loaded first, this would be the error.
        result = tsum(source, "-o", output, "--translation-model", tmp_path / "no-model", "--no-summary")
    assert result.exit_code == 2
    assert expected in one_error_line(result.stderr)


# --- -o spellings -------------------------------------------------------------------------------


def test_dash_as_output_is_standard_output(tmp_path, model_args, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = tsum(source, "-o", "-", *model_args, *FAST)
    assert result.exit_code == 0 and ARTICLE.split()[0] not in result.stdout and result.stdout.strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no file called "-"


@pytest.mark.parametrize(
    "args, message",
    [
        (["{src}", "-o", "{tmp}/newdir/"], "names a folder: pass a file name to -o"),
        (["", "-o", "{tmp}/x.txt"], "an empty file name was given"),
        (["{tmp}/in", "-o", ""], "an empty file name was given"),
        (["{tmp}/in", "-o", "-"], "folders and several files need -o OUTDIR"),
    ],
    ids=["trailing-slash", "empty-article", "empty-output", "folder-to-stdout"],
)
def test_output_spellings_that_cannot_be_meant_are_usage_errors(tmp_path, model_args, args, message):
    write_articles(tmp_path / "in", "a.txt")
    values = [a.format(src=tmp_path / "in" / "a.txt", tmp=tmp_path) for a in args]
    assert message in refusal(tmp_path, *values, *model_args, *FAST)
