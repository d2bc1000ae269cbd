"""Never destroy or lose a file: issue 9's adversarial table, one test (or table row) per case.

The rules checked throughout: no traceback, no input modified, nothing written outside OUTDIR or
the named output, no hang, bounded memory, every input accounted for by exactly one record.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.cli import (
    ARTICLE,
    FAST,
    one_error_line,
    records,
    shell_quote,
    snapshot,
    tsum,
    tsum_process,
    write_articles,
)
from support.common import EXAMPLE, ROOT, TRANSLATION_PAIRS, known_article

from translate_summarize.batch.discover import output_stems
from translate_summarize.errors import InputError
from translate_summarize.util.files import read_limited

# --- 1. an output is never an input ----------------------------------------------------------


def test_outdir_equal_to_the_input_folder_is_refused_and_nothing_is_written(tmp_path, model_args):
    inputs = tmp_path / "articles"
    write_articles(inputs, "a.txt", "sub/b.txt")
    before = snapshot(tmp_path)
    result = tsum(inputs, "-o", inputs, *model_args, *FAST)
    assert result.exit_code == 2
    assert "is inside the output folder" in one_error_line(result.stderr)
    assert snapshot(tmp_path) == before


def test_outdir_holding_an_input_folder_is_refused(tmp_path, model_args):
    write_articles(tmp_path / "out" / "news", "a.txt")
    write_articles(tmp_path, "x.txt")
    before = snapshot(tmp_path)
    result = tsum(tmp_path / "out" / "news", tmp_path / "x.txt", "-o", tmp_path / "out", *model_args, *FAST)
    assert result.exit_code == 2 and "pick an output folder outside them" in one_error_line(result.stderr)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("via_link", [False, True], ids=["same-name", "link-to-input"])
def test_single_output_equal_to_its_input_is_refused(tmp_path, model_args, via_link):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    output = source
    if via_link:
        output = tmp_path / "link.txt"
        output.symlink_to(source)
    before = snapshot(tmp_path)
    result = tsum(source, "-o", output, *model_args, *FAST)
    assert result.exit_code == 2
    assert "tsum never overwrites an input" in one_error_line(result.stderr)
    assert snapshot(tmp_path) == before


# --- 2. devices, FIFOs and links named by -o are written into, never replaced ------------------


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


# --- 3. colliding names: every input its own output and record, stable across reruns ----------


@pytest.mark.parametrize(
    ("relatives", "extension", "expected"),
    [
        (["a.txt", "b.md"], ".json", ["a", "b"]),
        (["x.txt", "x.md", "x.txt.md"], ".json", ["x.txt", "x.md", "x.txt.md"]),
        (["x.txt", "x.md"], ".txt", ["x.txt", "x.md"]),
        (["A.TXT", "a.md"], ".json", ["A.TXT", "a.md"]),  # case-insensitive file systems
        (["a.md", "a.txt/b.md"], ".txt", ["a.md", "a.txt/b"]),  # an output file vs an output folder
        (["README", "README.txt"], ".txt", ["README", "README.txt"]),
        (["A.txt", "a.txt"], ".json", ["A.txt-48266a69", "a.txt-18b7cb09"]),  # still taken: a hash
        (["sub/x.txt", "x.txt"], ".json", ["sub/x", "x"]),
    ],
)
def test_output_naming_rule(relatives, extension, expected):
    names = output_stems(relatives, extension)
    assert [names[r] for r in relatives] == expected
    assert output_stems(list(reversed(relatives)), extension) == names  # order does not matter
    assert len({(n + extension).casefold() for n in names.values()}) == len(relatives)


def test_colliding_inputs_each_get_an_output_and_a_record_on_every_run(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "x.txt", "x.md", "x.txt.md")
    for run in range(2):
        result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "json")
        assert result.exit_code == 0
        found = records(out)
        assert {k: v["outputs"] for k, v in found.items()} == {
            "x.txt": ["x.txt.json"],
            "x.md": ["x.md.json"],
            "x.txt.md": ["x.txt.md.json"],
        }
        assert {r["status"] for r in found.values()} == ({"ok"} if run == 0 else {"skipped"})


# --- 4. never write through a link inside OUTDIR ------------------------------------------------


@pytest.mark.parametrize("where", ["folder", "file"])
def test_a_link_inside_outdir_is_never_written_through(tmp_path, model_args, where):
    inputs, out, victim = tmp_path / "in", tmp_path / "out", tmp_path / "victim"
    write_articles(inputs, "sub/a.txt", "b.txt")
    victim.mkdir()
    out.mkdir()
    if where == "folder":
        (out / "sub").symlink_to("../victim")
        failing = "sub/a.txt"
    else:
        (out / "b.json").symlink_to(victim / "b.json")
        failing = "b.txt"
    result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "json")
    assert result.exit_code == 1
    assert list(victim.iterdir()) == []
    found = records(out)
    assert found[failing]["status"] == "failed" and "symbolic link" in found[failing]["error"]
    assert [r["status"] for k, r in found.items() if k != failing] == ["ok"]


# --- 5, 6. only regular files in folders; bounded reads from any source ------------------------


def test_a_fifo_in_a_folder_is_recorded_as_failed_and_never_opened(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    os.mkfifo(inputs / "pipe.txt")
    result = tsum_process([inputs, "-o", out, *model_args, *FAST], timeout=120)
    assert result.returncode == 1, result.stderr
    found = records(out)
    assert found["a.txt"]["status"] == "ok"
    assert found["pipe.txt"]["status"] == "failed" and "FIFO" in found["pipe.txt"]["error"]


def test_a_single_fifo_input_works_like_stdin(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    args = " ".join(shell_quote(a) for a in [*model_args, *FAST, "--format", "markdown"])
    command = f"exec {sys.executable} -m translate_summarize <(cat {shell_quote(source)}) {args}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "## Translation" in result.stdout.decode()


class Endless:
    """A source that never ends, like /dev/zero or `yes`."""

    def __init__(self):
        self.given = 0

    def read(self, size: int) -> bytes:
        self.given += size
        return b"y\n" * (size // 2) + b"y" * (size % 2)


def test_bounded_read_stops_after_limit_plus_one_byte():
    source = Endless()
    with pytest.raises(InputError, match="over the 1 MiB limit"):
        read_limited(source, 2**20, "standard input")
    assert source.given == 2**20 + 1


# Measured from a small launcher: a child forked from pytest itself would count pytest's memory.
_LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _run_measured(command: list[str], stdin) -> tuple[int, bytes, int]:
    """(exit code, stderr, peak RSS in KiB) of one process."""
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *command], stdin=stdin, capture_output=True, cwd=ROOT, timeout=120
    )
    code, rss_kib = map(int, result.stdout.split())
    return code, result.stderr, rss_kib


@pytest.mark.parametrize("source", ["device", "stdin"])
def test_an_endless_input_fails_with_bounded_memory(source):
    base = [sys.executable, "-m", "translate_summarize"]
    with open("/dev/zero", "rb") as zero:
        if source == "device":
            code, stderr, rss_kib = _run_measured([*base, "/dev/zero"], subprocess.DEVNULL)
        else:
            code, stderr, rss_kib = _run_measured([*base, "-"], zero)
    assert code == 2
    assert "over the 20 MiB limit" in one_error_line(stderr)
    assert rss_kib < 200 * 1024  # 20 MiB of input plus the interpreter, far from gigabytes


# --- 7, 10. link loops end; each real file is read once ----------------------------------------


def test_follow_symlinks_with_two_loops_visits_each_real_file_once(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt", "deep/b.txt")
    (inputs / "deep" / "up").symlink_to("..")
    (inputs / "self").symlink_to(".")
    (inputs / "twin.txt").symlink_to("a.txt")
    result = subprocess.run(
        [sys.executable, "-m", "translate_summarize", inputs, "-o", out, *model_args, *FAST, "--follow-symlinks"],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(records(out)) == ["a.txt", "deep/b.txt"]


def test_a_self_referencing_link_is_one_failed_record_and_the_run_goes_on(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    (inputs / "loop.txt").symlink_to("loop.txt")
    (inputs / "gone.txt").symlink_to("nowhere.txt")
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 1
    found = records(out)
    assert found["a.txt"]["status"] == "ok"
    assert "symbolic link loop" in found["loop.txt"]["error"]
    assert "broken symbolic link" in found["gone.txt"]["error"]


# --- 8. one writer per OUTDIR, and a lock that dies with its process ---------------------------


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
        start = time.monotonic()
        result = tsum(inputs, "-o", out, *model_args, *FAST)
        assert time.monotonic() - start < 10
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


# --- 11, 12. output files and folders in the way; unwritable outputs are found before any work --


def test_an_output_file_beside_an_output_folder_of_the_same_name(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.md", "a.txt/b.md")
    result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "text")
    assert result.exit_code == 0
    assert {k: v["outputs"] for k, v in records(out).items()} == {"a.md": ["a.md.txt"], "a.txt/b.md": ["a.txt/b.txt"]}


def test_a_file_where_an_output_folder_must_go_fails_that_input_only(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "sub/a.txt", "b.txt")
    out.mkdir()
    (out / "sub").write_text("someone else's file")
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 1
    found = records(out)
    assert "is a file where a folder of outputs must go" in found["sub/a.txt"]["error"]
    assert found["b.txt"]["status"] == "ok"
    assert (out / "sub").read_text() == "someone else's file"


@pytest.mark.parametrize("problem", ["parent-is-a-file", "output-is-a-folder", "read-only-folder"])
def test_an_unwritable_output_is_refused_before_the_models_load(tmp_path, problem):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    if problem == "parent-is-a-file":
        output, expected = source / "out.txt", "out.txt: Not a directory; pick another -o"
    elif problem == "output-is-a-folder":
        output, expected = tmp_path, "is a folder: pass a file name to -o"
    else:
        if os.geteuid() == 0:
            pytest.skip("root can write into read-only folders")
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o555)
        output, expected = folder / "out.txt", "not a folder you can write to"
    # A model that does not exist: had the models been loaded first, this would be the error.
    result = tsum(source, "-o", output, "--translation-model", tmp_path / "no-model", "--no-summary")
    assert result.exit_code == 2
    assert expected in one_error_line(result.stderr)


# --- 13. a damaged journal is read line by line -------------------------------------------------


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


# --- 14. closed and full standard streams -------------------------------------------------------


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


# --- 15. broken model folders and impossible devices: exit 3, one line naming them --------------


def _broken_model(tiny_models, tmp_path, damage: str) -> Path:
    import shutil

    folder = tmp_path / f"model-{damage}"
    shutil.copytree(tiny_models["translation"], folder)
    weights = folder / "pytorch_model.bin"
    if damage == "truncated":
        with open(weights, "r+b") as handle:
            handle.truncate(weights.stat().st_size // 2)
    elif damage == "missing":
        weights.unlink()
    elif damage == "pickle":
        weights.write_bytes(pickle.dumps({"x": os.system}))  # torch refuses this global
    return folder


@pytest.mark.parametrize("damage", ["truncated", "missing", "pickle"])
@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_a_broken_model_folder_is_exit_3_naming_it(tiny_models, tmp_path, damage, engine):
    folder = _broken_model(tiny_models, tmp_path, damage)
    result = tsum(EXAMPLE, "--translation-model", folder, "--no-summary", "--engine", engine, "--quiet")
    assert result.exit_code == 3
    assert str(folder) in one_error_line(result.stderr)


def test_a_broken_model_fails_a_folder_run_once_not_per_article(tiny_models, tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt", "b.txt")
    folder = _broken_model(tiny_models, tmp_path, "truncated")
    result = tsum(inputs, "-o", out, "--translation-model", folder, "--no-summary", "--quiet")
    assert result.exit_code == 3 and str(folder) in one_error_line(result.stderr)


@pytest.mark.skipif(sys.platform == "darwin", reason="mps exists on Apple silicon")
def test_device_mps_off_apple_silicon_is_exit_3(model_args):
    result = tsum(EXAMPLE, *model_args, "--device", "mps")
    assert result.exit_code == 3
    assert "--device mps needs Apple silicon" in one_error_line(result.stderr)


# --- 16. nothing to translate -------------------------------------------------------------------


def test_a_file_with_only_a_header_has_nothing_to_translate(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text("date 2021-07\n", encoding="utf-8")
    result = tsum(source, *model_args)
    assert result.exit_code == 2 and "nothing to translate" in one_error_line(result.stderr)
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "b.txt")
    (inputs / "c.txt").write_text("date 2021-07\n", encoding="utf-8")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 1
    assert "nothing to translate" in records(out)["c.txt"]["error"]


def test_the_python_api_refuses_a_header_only_text_as_the_cli_does():
    from translate_summarize import translate
    from translate_summarize.errors import InputError

    with pytest.raises(InputError, match="holds only a header"):
        translate("date 2021-07\n", translation_model="opus-mt-da-en", offline=True)


# --- 17-20. case-insensitive patterns, umask, beam bound, timings of skipped records ------------


def test_patterns_match_extensions_ignoring_case(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "A.TXT", "b.Md", "c.csv")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    assert sorted(records(out)) == ["A.TXT", "b.Md"]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_honour_the_umask(tmp_path, model_args, umask):
    inputs, out, single = tmp_path / "in", tmp_path / "out", tmp_path / "single.txt"
    write_articles(inputs, "a.txt")
    old = os.umask(umask)
    try:
        assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
        assert tsum(inputs / "a.txt", "-o", single, *model_args, *FAST).exit_code == 0
    finally:
        os.umask(old)
    for path in (out / "a.txt", out / "results.jsonl", single):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


def test_beam_size_is_bounded_and_the_bound_is_documented(model_args):
    result = tsum(EXAMPLE, *model_args, "--beam-size", "1000")
    assert result.exit_code == 2 and "1000 is not in the range 1<=x<=16" in result.stderr
    assert "1 to 16" in tsum("--help").stdout


def test_a_no_op_rerun_keeps_the_timings_of_the_run_that_made_the_output(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    first = records(out)["a.txt"]
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    second = records(out)["a.txt"]
    assert second["status"] == "skipped" and second["timings"] == first["timings"]
    assert second["timings"]["seconds"] >= 0


# --- 21. conversions killed with kill -9 are cleaned up -----------------------------------------


def test_stale_conversion_folders_are_removed_and_live_ones_kept(tmp_path):
    from translate_summarize.models.convert import OWNER_LOCK, remove_stale_conversions
    from translate_summarize.util.files import try_lock

    dead_locked = tmp_path / ".converting-dead"
    old_unlocked = tmp_path / ".converting-old"
    new_unlocked = tmp_path / ".converting-new"
    live = tmp_path / ".converting-live"
    for folder in (dead_locked, old_unlocked, new_unlocked, live):
        folder.mkdir()
        (folder / "model.bin").write_bytes(b"partial")
    (dead_locked / OWNER_LOCK).touch()  # its owner died: nobody holds the lock
    (live / OWNER_LOCK).touch()
    two_hours_ago = time.time() - 7200
    for folder in (dead_locked, old_unlocked, live):
        os.utime(folder, (two_hours_ago, two_hours_ago))
    holder = try_lock(live / OWNER_LOCK)
    try:
        remove_stale_conversions(tmp_path)
    finally:
        os.close(holder)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".converting-live", ".converting-new"]


# --- 22. the same file twice is one input; one folder is one output folder ----------------------


def test_duplicate_inputs_and_files_of_one_folder(tmp_path, model_args, monkeypatch):
    write_articles(tmp_path / "two", "a.txt", "b.txt")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    result = tsum("two/a.txt", "./two/a.txt", "two/b.txt", "two", "-o", out, *model_args, *FAST)
    assert result.exit_code == 0
    found = records(out)
    assert sorted(found) == ["two/a.txt", "two/b.txt"]
    assert sorted(r["outputs"][0] for r in found.values()) == ["two/a.txt", "two/b.txt"]


# --- in general: many hostile cases at once, every input accounted for --------------------------


def test_a_hostile_folder_accounts_for_every_input_and_modifies_none(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    pairs = dict(TRANSLATION_PAIRS)
    write_articles(inputs, "ok.txt", "x.txt", "x.md", "deep/er/still.md")
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01" * 100)
    (inputs / "header-only.txt").write_text("date 2021-07\n")
    (inputs / "latin1.txt").write_bytes(ARTICLE.encode("latin-1"))
    os.mkfifo(inputs / "fifo.txt")
    (inputs / "loop.txt").symlink_to("loop.txt")
    (inputs / "unreadable.txt").write_text(ARTICLE)
    (inputs / os.fsdecode(b"caf\xe9.txt")).write_bytes(ARTICLE.encode())  # a name that is not UTF-8
    if os.geteuid() != 0:
        (inputs / "unreadable.txt").chmod(0)
    before = snapshot(inputs)
    result = tsum_process([inputs, "-o", out, *model_args, *FAST, "--format", "json"])
    assert "Traceback" not in result.stderr.decode()
    assert result.returncode == 1
    assert snapshot(inputs) == before
    found = records(out)
    expected_inputs = {
        "ok.txt",
        "x.txt",
        "x.md",
        "deep/er/still.md",
        "empty.txt",
        "binary.txt",
        "header-only.txt",
        "latin1.txt",
        "fifo.txt",
        "loop.txt",
        "unreadable.txt",
        os.fsdecode(b"caf\xe9.txt"),
    }
    assert set(found) == expected_inputs
    assert {found[k]["status"] for k in ("empty.txt", "binary.txt", "header-only.txt", "fifo.txt", "loop.txt")} == {
        "failed"
    }
    for name in ("ok.txt", "x.txt", "x.md", "deep/er/still.md", "latin1.txt", os.fsdecode(b"caf\xe9.txt")):
        (output,) = found[name]["outputs"]
        data = json.loads((out / output).read_text(encoding="utf-8"))
        assert all(pairs[s["source"]] == s["translation"] for s in data["segments"])
    outside = {p for p in tmp_path.iterdir()} - {inputs, out}
    assert outside == set()


def test_kill_9_of_a_run_releases_the_lock_for_the_next_run(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    for i in range(30):
        write_articles(inputs, f"a{i:02d}.txt")
    command = [sys.executable, "-m", "translate_summarize", inputs, "-o", out, *model_args, *FAST]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    lock = out / ".tsum.lock"
    while time.time() < deadline and not (lock.exists() and lock.read_text()):  # the pid is written once locked
        time.sleep(0.01)
    with open(out / ".tsum.lock", "rb") as handle, pytest.raises(BlockingIOError):  # held while it runs
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    process.send_signal(signal.SIGKILL)
    process.wait()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(records(out)) == 30
