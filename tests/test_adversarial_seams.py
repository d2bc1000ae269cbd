"""Hostile inputs found by an independent tester: outputs' owners, true records, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from cli_helpers import ARTICLE, FAST, records, tsum
from helpers import ROOT

from translate_summarize.text.archives import REVIEW_PAGE_START, parse_json, parse_jsonl, tsum_output_kind


def test_a_name_the_journal_gave_stays_taken_after_a_run_that_did_not_see_its_input(model_args, tmp_path):
    # run 1 (--glob '*.jsonl') gives news/b.txt to the archive's article b; run 2 (--glob '*.txt')
    # does not see the archive; run 3 adds the file news/b.txt, whose preferred name is news/b.txt
    folder, out = tmp_path / "in", tmp_path / "out"
    (folder / "news").mkdir(parents=True)
    line = {"text": ARTICLE}
    (folder / "news.jsonl").write_text(
        "".join(json.dumps({"id": i, **line}) + "\n" for i in ("a", "b")), encoding="utf-8"
    )
    base = [str(folder), *model_args, *FAST, "-o", str(out)]
    assert tsum(*base, "--glob", "*.jsonl").exit_code == 0
    archive_b = (out / "news" / "b.txt").read_bytes()
    (folder / "news" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    assert tsum(*base, "--glob", "*.txt").exit_code == 0
    (folder / "news" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = tsum(*base, "--glob", "*.txt")
    assert result.exit_code == 0, result.output
    assert (out / "news" / "b.txt").read_bytes() == archive_b  # never handed to another input
    found = records(out)
    assert found["news/b.txt"]["outputs"] == ["news/b.txt.txt"]
    assert found["news.jsonl#b"]["outputs"] == ["news/b.txt"]  # still in the journal: still held


def test_a_lone_surrogate_escape_in_a_json_article_fails_that_article_with_a_reason(model_args, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    text = json.dumps(ARTICLE)[1:-1]
    (folder / "s.jsonl").write_text(
        f'{{"id": "x", "text": "{text} \\ud800"}}\n{{"id": "y", "title": "T \\udcff", "text": "{text}"}}\n'
        f'{{"id": "z", "text": "{text}"}}\n',
        encoding="utf-8",
    )
    result = tsum(str(folder), *model_args, *FAST, "-o", str(out))
    assert result.exit_code == 1, result.output
    found = records(out)
    assert found["s.jsonl#z"]["status"] == "ok"
    for key, escape in (("s.jsonl#x", "\\ud800"), ("s.jsonl#y", "\\udcff")):
        assert found[key]["status"] == "failed"
        assert escape in found[key]["error"] and "surrogate" in found[key]["error"]
    single = tmp_path / "one.json"
    single.write_text(f'{{"title": "a \\ud83d", "text": "{text}"}}', encoding="utf-8")
    result = tsum(str(single), *model_args, *FAST)
    assert result.exit_code == 2 and "\\ud83d" in result.output
    assert parse_jsonl('{"id": "a", "text": "\\udfff x"}')[0].error is not None


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


def test_a_deleted_current_folder_is_an_error_line(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    code = (
        f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.argv = ['tsum', 'a.txt']; "
        "from translate_summarize.cli.main import main; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "Error: the current folder no longer exists: cd to an existing folder and run again"
    )


def test_a_missing_dependency_is_an_error_line_not_a_traceback(tmp_path):
    # a partial install: the language guard's package cannot be imported
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "sitecustomize.py").write_text('import sys\nsys.modules["lingua"] = None\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{shadow}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-m", "translate_summarize", str(article), "--no-summary", "--translation-model", "x"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: the Python package lingua cannot be imported")


def test_a_crawlers_results_jsonl_is_articles_and_its_folder_is_read(model_args, tmp_path):
    # named like tsum's journal, but written by a crawler: HTTP statuses and article text
    crawl = tmp_path / "in" / "crawl"
    crawl.mkdir(parents=True)
    (crawl / "results.jsonl").write_text(
        "".join(
            json.dumps({"id": f"a{i}", "input": f"https://example.dk/{i}", "status": 200, "text": ARTICLE}) + "\n"
            for i in range(2)
        ),
        encoding="utf-8",
    )
    (crawl / "b.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(tmp_path / "in"), *model_args, *FAST, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert {key: r["status"] for key, r in records(out).items()} == {
        "crawl/b.txt": "ok",
        "crawl/results.jsonl#a0": "ok",
        "crawl/results.jsonl#a1": "ok",
    }


def test_a_page_nested_past_the_html_readers_depth_says_so():
    import pytest

    from translate_summarize.errors import InputError
    from translate_summarize.text.html import html_to_text

    paragraph = "<p>Regeringen har i dag fremlagt et nyt forslag. Det skal behandles i Folketinget i næste uge.</p>"
    assert "Regeringen" in html_to_text("<html><body>" + "<div>" * 100 + paragraph, "shallow.html")
    with pytest.raises(InputError, match="deep.html nests its HTML elements 256 levels deep or more"):
        html_to_text("<html><body>" + "<div>" * 600 + paragraph, "deep.html")
