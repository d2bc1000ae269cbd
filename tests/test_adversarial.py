"""An outside tester's pass over the file-safety rules: cases that were not in their tables.

Each test is a case that once broke one of the rules of docs/folders.md "What tsum guarantees about
your files" (no traceback, no input modified, nothing written outside the output, no hang, bounded
memory, every input accounted for by one record, one-line errors with the documented codes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import ARTICLE, FAST, one_error_line, records, snapshot, tsum, tsum_process, write_articles
from click.testing import CliRunner
from conftest import ROOT
from helpers import TRANSLATION_PAIRS

from translate_summarize.batch.discover import InputFile
from translate_summarize.batch.jobs import Job, read_job
from translate_summarize.batch.results import Record
from translate_summarize.cli.main import main
from translate_summarize.errors import InputError
from translate_summarize.output.review import index_name
from translate_summarize.util.files import LOCK_NAME, TMP_PREFIX, remove_stale_temporaries

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


def test_an_earlier_runs_outdir_inside_the_input_folder_is_not_read(tmp_path, model_args):
    inputs = tmp_path / "in"
    write_articles(inputs, "a.txt", "sub/b.txt")
    assert tsum(inputs, "-o", inputs / "old", *model_args, *FAST).exit_code == 0
    result = tsum(inputs, "-o", tmp_path / "new", *model_args, *FAST)  # another -o: old/ holds English outputs
    assert result.exit_code == 0, result.stderr
    assert set(records(tmp_path / "new")) == {"a.txt", "sub/b.txt"}


def test_cleanup_leaves_the_temporaries_of_a_nested_outdir_to_its_own_run(tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "nested").mkdir()
    (out / "nested" / LOCK_NAME).write_text("")  # another run's OUTDIR (tsum -o out/nested)
    for folder in ("", "sub", "nested"):
        (out / folder / f"{TMP_PREFIX}abc123").write_text("half")
    remove_stale_temporaries(out)
    assert not (out / f"{TMP_PREFIX}abc123").exists()
    assert not (out / "sub" / f"{TMP_PREFIX}abc123").exists()
    assert (out / "nested" / f"{TMP_PREFIX}abc123").exists()


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


# --- the review page's index --------------------------------------------------------------------


@pytest.mark.parametrize(
    "pages, expected",
    [
        ([], "index.html"),
        (["a.html"], "index.html"),
        (["index.html"], "tsum-index.html"),
        (["index.html", "tsum-index.html"], "tsum-index-2.html"),
        (["INDEX.html", "Tsum-Index.html"], "tsum-index-2.html"),  # case-insensitive file systems
    ],
)
def test_the_index_page_never_takes_an_articles_page_name(pages, expected):
    assert index_name([Record(page, "ok", outputs=[page]) for page in pages]) == expected


def test_html_folder_run_with_index_and_tsum_index_articles_keeps_every_page(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "index.txt", "tsum-index.txt")
    assert tsum(inputs, "-o", out, *model_args, *FAST, "--format", "html").exit_code == 0
    pages = {name: (out / record["outputs"][0]).read_text() for name, record in records(out).items()}
    assert all("<h1>tsum review" not in page for page in pages.values())
    assert "<h1>tsum review: 2 articles</h1>" in (out / "tsum-index-2.html").read_text()


# --- results.jsonl from elsewhere ---------------------------------------------------------------


def test_a_journal_output_name_holding_a_nul_is_not_a_record():
    line = {"input": "a.txt", "status": "ok", "outputs": ["a\x00.txt"], "key": "k"}
    assert Record.from_dict(line) is None  # os.stat would raise ValueError on it


# --- tsum eval with hostile files ---------------------------------------------------------------

GOOD_OUTPUT = {"translation": "The two countries met.", "segments": [{"source": "x", "translation": "A."}]}


def _eval_case(tmp_path: Path, hypothesis, reference) -> tuple[str, str]:
    paths = []
    for name, content in (("hyp.json", hypothesis), ("ref.txt", reference)):
        if isinstance(content, Path):
            paths.append(str(content))
            continue
        path = tmp_path / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        paths.append(str(path))
    return paths[0], paths[1]


def _sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(10**12)


@pytest.mark.parametrize(
    "hypothesis, reference, message",
    [
        ({"translation": "a", "segments": 5}, b"a\n", "its segments are not a list"),
        ({"translation": "a", "segments": [{}]}, b"a\n", "segment 1 has no translation text"),
        ({"translation": None, "segments": []}, b"a\n", "its translation is not a text"),
        ({"translation": "a", "segments": [], "summary": 5}, b"a\n", "its summary is not a text"),
        ({"translation": "a", "segments": [{"translation": "a", "prefix": 5}]}, b"a\n", "segment 1 has no"),
        (b"[" * 100_000, b"a\n", "is not JSON"),
        ({"translation": "", "segments": []}, b"", "is empty: there is nothing to score against"),
        (GOOD_OUTPUT, b"\n\n", "is empty: there is nothing to score against"),
        (GOOD_OUTPUT, _sparse, "over the 64 MiB limit"),
        (Path("/dev/zero"), b"a\n", "over the 64 MiB limit"),
    ],
    ids=[
        "segments-not-a-list",
        "segment-without-translation",
        "translation-null",
        "summary-not-text",
        "prefix-not-text",
        "deeply-nested",
        "both-empty",
        "blank-reference",
        "sparse-terabyte-reference",
        "dev-zero",
    ],
)
def test_eval_on_a_hostile_file_is_one_error_line(tmp_path, hypothesis, reference, message):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    hyp, ref = _eval_case(tmp_path, hypothesis, reference)
    args = ["eval", hyp, ref] + (["--summary"] if isinstance(hypothesis, dict) and "summary" in hypothesis else [])
    result = tsum_process(args, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in one_error_line(result.stderr)


def test_eval_of_a_folder_against_itself_is_refused(tmp_path):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    result = tsum("eval", tmp_path / "out", tmp_path / "out")
    assert result.exit_code == 2
    assert "is both HYPOTHESES and REFERENCES" in one_error_line(result.stderr)


def test_eval_ignores_a_folder_named_like_an_output(tmp_path):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    (tmp_path / "out" / "b.json").mkdir(parents=True)
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.txt").write_text("A.\n")
    result = tsum("eval", tmp_path / "out", tmp_path / "refs", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["segments"] == 1


# --- CLI manners --------------------------------------------------------------------------------


def test_a_subcommand_word_of_a_group_stays_the_subcommand_beside_a_folder_of_that_name(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    result = tsum("models", "path")  # NAME missing: models path's own usage error, not a folder run
    assert result.exit_code == 2
    assert "Missing argument 'NAME'" in result.stderr


def test_help_texts_show_examples_and_the_short_help_option():
    top = tsum("--help").stdout
    assert "-h, --help" in top
    assert "--format html" in top and "tsum eval" in top
    assert "Examples:" in tsum("models", "--help").stdout
    assert "Examples:" in tsum("eval", "--help").stdout


def test_completion_of_an_option_as_the_first_word_offers_the_run_options():
    env = {"_TSUM_COMPLETE": "bash_complete", "COMP_WORDS": "tsum --fo", "COMP_CWORD": "1"}
    result = CliRunner().invoke(main, [], env=env, prog_name="tsum")
    assert "plain,--format" in result.output.splitlines()


# --- kill -9 of an html folder run, mid-write ---------------------------------------------------


def test_kill_9_of_an_html_run_leaves_whole_pages_and_the_rerun_accounts_for_every_input(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    for i in range(40):
        write_articles(inputs, f"s{i % 3}/a{i:02d}.txt")
    (inputs / "empty.txt").write_text("")
    before = snapshot(inputs)
    command = [sys.executable, "-m", "translate_summarize", inputs, "-o", out, *model_args, *FAST, "--format", "html"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not any(out.glob("s*/*.html")):  # the first window is being written
        time.sleep(0.005)
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
    before = snapshot(tmp_path)
    values = [a.format(src=tmp_path / "in" / "a.txt", tmp=tmp_path) for a in args]
    result = tsum(*values, *model_args, *FAST)
    assert result.exit_code == 2
    assert message in one_error_line(result.stderr)
    assert snapshot(tmp_path) == before


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


def test_an_outdir_inside_the_input_folder_that_holds_articles_is_refused(model_args, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    text = TRANSLATION_PAIRS[0][0] + "\n"
    for name in ("moede.txt", "sub/moede.txt"):
        (inputs / name).write_text(text, encoding="utf-8")
    before = (inputs / "sub" / "moede.txt").read_bytes()
    result = CliRunner().invoke(main, [str(inputs), "-o", str(inputs / "sub"), "--offline", "--quiet", *model_args])
    assert result.exit_code == 2, result.output
    assert "already holds files that tsum did not write" in result.output
    assert (inputs / "sub" / "moede.txt").read_bytes() == before
    assert sorted(p.name for p in (inputs / "sub").iterdir()) == ["moede.txt"]
    # A new (or empty) output folder inside the inputs is fine, and so is rerunning into it.
    for _ in range(2):
        ok = CliRunner().invoke(main, [str(inputs), "-o", str(inputs / "out"), "--offline", "--quiet", *model_args])
        assert ok.exit_code == 0, ok.output
