"""What a folder run reads: only regular files, each real file once, link loops ended, hostile names and
patterns, every input accounted for by one record and none modified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.cli import ARTICLE, FAST, one_error_line, records, snapshot, tsum, tsum_process, write_articles
from support.common import ROOT, TRANSLATION_PAIRS

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, read_job
from translate_summarize.errors import InputError
from translate_summarize.text.archives import REVIEW_PAGE_START, parse_json, tsum_output_kind

# --- only regular files in folders; bounded reads from any source ---------------------------------


def test_a_fifo_in_a_folder_is_recorded_as_failed_and_never_opened(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt")
    os.mkfifo(inputs / "pipe.txt")
    result = tsum_process([inputs, "-o", out, *model_args, *FAST], timeout=120)
    assert result.returncode == 1, result.stderr
    found = records(out)
    assert found["a.txt"]["status"] == "ok"
    assert found["pipe.txt"]["status"] == "failed" and "FIFO" in found["pipe.txt"]["error"]


# --- link loops end; each real file is read once --------------------------------------------------


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


# --- case-insensitive patterns, umask, beam bound, timings of skipped records ---------------------


def test_patterns_match_extensions_ignoring_case(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "A.TXT", "b.Md", "c.csv")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
    assert sorted(records(out)) == ["A.TXT", "b.Md"]


# --- the same file twice is one input; one folder is one output folder ----------------------------


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


NOT_UTF8 = os.fsdecode(b"caf\xe9-\xff.txt")  # a file name whose bytes are not UTF-8


# --- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_an_input_name_that_is_not_utf8_is_translated_in_every_format(tmp_path, model_args, fmt):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, NOT_UTF8, "ok.txt")
    before = snapshot(inputs)
    result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    found = records(out)
    assert {name: record["status"] for name, record in found.items()} == {NOT_UTF8: "ok", "ok.txt": "ok"}
    page = out / found[NOT_UTF8]["outputs"][0]
    text = page.read_text(encoding="utf-8")  # valid UTF-8, the name shown with U+FFFD
    if fmt in ("text", "markdown", "html"):
        assert "caf\ufffd-\ufffd" in text
    if fmt == "html":  # the index links the page by its own bytes
        assert 'href="caf%E9-%FF.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert snapshot(inputs) == before
    assert tsum(inputs, "-o", out, *model_args, *FAST, "--format", fmt).exit_code == 0  # the rerun skips both
    assert {record["status"] for record in records(out).values()} == {"skipped"}


def test_a_single_input_whose_name_is_not_utf8_can_be_written(tmp_path, model_args):
    source = tmp_path / NOT_UTF8
    source.write_text(ARTICLE, encoding="utf-8")
    result = tsum(source, "-o", tmp_path / "page.html", "--format", "html", *model_args, *FAST)
    assert result.exit_code == 0, result.stderr
    assert "caf\ufffd-\ufffd" in (tmp_path / "page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern", ["**/*.txt", "*/", "", "../*", "."])
def test_a_glob_that_is_not_a_file_name_pattern_is_a_usage_error(tmp_path, model_args, pattern):
    write_articles(tmp_path / "in", "a.txt")
    result = tsum(tmp_path / "in", "-o", tmp_path / "out", "--glob", pattern, *model_args, *FAST)
    assert result.exit_code == 2
    assert "is not a file-name pattern" in one_error_line(result.stderr)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pattern, found", [("**", {"a.txt", "b.md"}), ("[", set()), ("*.TXT", {"a.txt"})])
def test_odd_but_valid_globs(tmp_path, model_args, pattern, found):
    write_articles(tmp_path / "in", "a.txt", "b.md")
    result = tsum(tmp_path / "in", "-o", tmp_path / "out", "--glob", pattern, *model_args, *FAST)
    if found:
        assert result.exit_code == 0 and set(records(tmp_path / "out")) == found
    else:
        assert result.exit_code == 2 and "no files matching [" in one_error_line(result.stderr)


# --- files that change between planning and reading ---------------------------------------------


def test_an_article_changed_after_planning_fails_instead_of_recording_the_old_hash(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    job = Job(InputFile(source, "a.txt", "a"), sha256="0" * 64, key="k")  # planned with other bytes
    with pytest.raises(InputError, match="changed while tsum was running"):
        read_job(job)


# --- very deep trees ----------------------------------------------------------------------------


def _deep_tree(root: Path, depth: int) -> None:
    """``root/d/d/.../d/x.txt``, made step by step (the full path may be over PATH_MAX)."""
    root.mkdir(parents=True)
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=folder)
            inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = inner
        fd = os.open("x.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
        os.write(fd, ARTICLE.encode())
        os.close(fd)
    finally:
        os.close(folder)


def _remove_tree(root: Path) -> None:
    """Remove ``root`` bottom-up through folder fds: shutil.rmtree (and so pytest's clean-up of
    tmp_path) recurses and fails past about 1,000 levels."""
    fds, names = [os.open(root, os.O_RDONLY | os.O_DIRECTORY)], []
    while fds:
        with os.scandir(fds[-1]) as scan:
            entries = list(scan)
        folders = [entry.name for entry in entries if entry.is_dir(follow_symlinks=False)]
        for entry in entries:
            if entry.name not in folders:
                os.unlink(entry.name, dir_fd=fds[-1])
        if folders:
            fds.append(os.open(folders[0], os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
            names.append(folders[0])
            continue
        os.close(fds.pop())
        if names:
            os.rmdir(names.pop(), dir_fd=fds[-1])
    os.rmdir(root)


@pytest.fixture
def deep_tmp(tmp_path):
    yield tmp_path
    for name in ("in", "out"):
        if (tmp_path / name).exists():
            _remove_tree(tmp_path / name)


def test_a_tree_1100_folders_deep_is_mirrored_without_recursion_error(deep_tmp, model_args):
    tmp_path = deep_tmp
    _deep_tree(tmp_path / "in", 1100)  # its path fits PATH_MAX; os.walk (recursive) did not cope
    result = tsum_process([tmp_path / "in", "-o", tmp_path / "out", *model_args, *FAST], timeout=120)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr[-500:]
    assert [record["status"] for record in records(tmp_path / "out").values()] == ["ok"]


def test_a_folder_too_deep_to_name_is_accounted_for_and_listing_stays_linear(deep_tmp):
    from translate_summarize.batch.discover import discover

    tmp_path = deep_tmp
    _deep_tree(tmp_path / "in", 2100)  # beyond PATH_MAX (4096 bytes)
    (tmp_path / "in" / "top.txt").write_text(ARTICLE)
    start = time.monotonic()
    found = discover([tmp_path / "in"], ("*.txt",), tmp_path / "out")
    assert time.monotonic() - start < 20  # a realpath() per folder made this quadratic (95 s)
    assert found[0].relative == "top.txt" and found[0].problem is None
    assert len(found) == 2 and "is a folder that cannot be read: File name too long" in found[1].problem


def test_tsum_outputs_are_known_only_by_what_tsum_writes(model_args, tmp_path):
    article = {"text": ARTICLE}
    nested = tmp_path / "list.json"  # one article's own data happens to hold the key
    nested.write_text(json.dumps([article, {**article, "extra": {"tsum_version": "1"}}]), encoding="utf-8")
    tagged = tmp_path / "tagged.json"
    tagged.write_text(json.dumps({**article, "tags": ["tsum_version"], "meta": {"tsum_version": "2"}}))
    quoted = tmp_path / "quoted.html"
    quoted.write_text(
        '<html><head><title>T</title></head><body><article><p>Hej.</p><code><meta name="generator" '
        'content="tsum"></code></article></body></html>',
        encoding="utf-8",
    )
    for path in (nested, tagged, quoted):
        assert tsum_output_kind(path) is None, path
    assert len(parse_json(nested.read_text(encoding="utf-8"), str(nested))) == 2
    # what tsum writes is still known: a JSON output and a review page, written by tsum itself
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    for fmt, name in (("json", "a.json"), ("html", "a-review.html")):
        assert tsum(str(source), *model_args, *FAST, "--format", fmt, "-o", str(tmp_path / name)).exit_code == 0
        assert tsum_output_kind(tmp_path / name) is not None
    assert (tmp_path / "a-review.html").read_text(encoding="utf-8").startswith(REVIEW_PAGE_START)
    out = tmp_path / "out"
    result = tsum(str(tmp_path), *model_args, *FAST, "-o", str(out))
    assert result.exit_code == 0, result.output
    statuses = {key: record["status"] for key, record in records(out).items()}
    assert statuses["a.json"] == statuses["a-review.html"] == "skipped"
    assert statuses["quoted.html"] == statuses["tagged.json"] == statuses["list.json#item-2"] == "ok"
