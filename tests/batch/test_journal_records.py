"""Nothing skipped without a record and a true message: tsum's journal known by its marker,
record keys unique by construction, JSON lists run as archives, ambiguous JSON refused, NUL bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import ARTICLE, FAST, one_error_line, records, tsum
from support.common import TRANSLATION_PAIRS

from translate_summarize.errors import InputError
from translate_summarize.text.archives import parse_json, parse_jsonl
from translate_summarize.text.reading import decode_bytes

SENTENCES = [da for da, _ in TRANSLATION_PAIRS]
CRAWL_LOG = json.dumps({"input": "https://example.org/a", "status": "ok", "outputs": [], "text": SENTENCES[0]})


def run_folder(model_args, *args):
    return tsum(*args, *model_args, *FAST)


# --- crawler logs, a journal given alone, JSON lists, repeated keys, NUL bytes --------------------


def test_a_crawler_log_with_journal_like_keys_is_an_archive(tmp_path, model_args):
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(CRAWL_LOG + "\n", encoding="utf-8")
    result = run_folder(model_args, crawl, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert records(tmp_path / "out")["crawl.jsonl#line-1"]["status"] == "ok"


def test_tsum_journal_given_alone_is_refused_with_the_real_reason(tmp_path, model_args):
    journal = tmp_path / "old" / "results.jsonl"
    journal.parent.mkdir()
    journal.write_text('{"tsum_journal": 1, "input": "a.txt", "status": "ok", "outputs": ["a.txt"]}\n')
    result = run_folder(model_args, journal, "-o", tmp_path / "out")
    line = one_error_line(result.stderr)
    assert result.exit_code == 2 and "tsum's journal of a folder run" in line and "no files matching" not in line


def test_a_bad_line_after_an_id_that_names_it_keeps_both_records(tmp_path, model_args):
    archive = tmp_path / "a.jsonl"
    archive.write_text(json.dumps({"id": "line-2", "text": SENTENCES[0]}) + "\n{not json\n", encoding="utf-8")
    result = run_folder(model_args, archive, "-o", tmp_path / "out")
    found = records(tmp_path / "out")
    assert result.exit_code == 1
    assert found["a.jsonl#line-2"]["status"] == "ok"
    assert (
        found["a.jsonl#line-2-2"]["status"] == "failed"
        and "line 2: not valid JSON" in found["a.jsonl#line-2-2"]["error"]
    )
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({json.loads(line)["input"] for line in lines}) == 2


def test_a_json_list_alone_runs_as_an_archive_and_both_messages_agree(tmp_path, model_args):
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([{"id": "a", "text": SENTENCES[0]}, {"id": "b", "text": SENTENCES[1]}]))
    without = run_folder(model_args, listing)
    assert without.exit_code == 2 and "an archive needs -o OUTDIR" in one_error_line(without.stderr)
    result = run_folder(model_args, listing, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert {k: r["outputs"] for k, r in records(tmp_path / "out").items()} == {
        "list.json#a": ["list/a.txt"],
        "list.json#b": ["list/b.txt"],
    }


def test_a_repeated_text_key_is_refused_not_silently_resolved():
    (article,) = parse_jsonl(f'{{"id": "a", "text": "{SENTENCES[0]}", "text": "{SENTENCES[1]}"}}')
    assert article.error == "line 1: the key text appears more than once: keep one value and run again"
    with pytest.raises(InputError, match="appears more than once"):
        parse_json(f'{{"text": "{SENTENCES[0]}", "text": "{SENTENCES[1]}"}}', "dup.json")


def test_an_export_with_articles_and_items_says_so():
    export = json.dumps({"articles": [{"text": SENTENCES[0]}], "items": [{"text": SENTENCES[1]}]})
    with pytest.raises(InputError, match=r"several lists of articles \(articles, items\)"):
        parse_json(export, "export.json")


@pytest.mark.parametrize("offset", [10, 20000])
def test_a_nul_byte_refuses_a_text_file_wherever_it_sits(offset):
    data = (SENTENCES[0] + " ") * 1000
    data = data.encode()[:offset] + b"\x00" + data.encode()[offset:]
    with pytest.raises(InputError, match=f"a NUL byte at offset {offset}"):
        decode_bytes(data, "a.txt")


# --- journal markers, wrapped exports, ids of bad lines, renamed records --------------------------


def test_a_journal_under_another_name_is_known_by_its_marker(tmp_path, model_args):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SENTENCES[0] + "\n", encoding="utf-8")
    assert run_folder(model_args, folder, "-o", tmp_path / "out").exit_code == 0
    (folder / "copy-of-journal.jsonl").write_bytes((tmp_path / "out" / "results.jsonl").read_bytes())
    result = run_folder(model_args, folder, "-o", tmp_path / "out2")
    found = records(tmp_path / "out2")
    assert result.exit_code == 0
    assert found["copy-of-journal.jsonl"]["status"] == "skipped"
    assert "tsum's journal" in found["copy-of-journal.jsonl"]["error"]


def test_every_journal_line_carries_the_marker(tmp_path, model_args):
    (tmp_path / "a.txt").write_text(SENTENCES[0] + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\x00binary", encoding="utf-8")
    run_folder(model_args, tmp_path / "a.txt", tmp_path / "b.txt", "-o", tmp_path / "out")
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line)["tsum_journal"] == 1 for line in lines)


def test_a_wrapped_export_alone_runs_as_an_archive(tmp_path, model_args):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"status": "ok", "articles": [{"id": "n1", "text": SENTENCES[0]}] * 2}))
    assert run_folder(model_args, export).exit_code == 2
    result = run_folder(model_args, export, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert sorted(records(tmp_path / "out")) == ["export.json#n1", "export.json#n1-2"]


def test_a_repeated_title_is_refused_but_a_repeated_unread_key_is_not():
    (refused,) = parse_jsonl(json.dumps({"text": SENTENCES[0]})[:-1] + ', "title": "A", "title": "B"}')
    assert "the key title appears more than once" in refused.error
    (kept,) = parse_jsonl(json.dumps({"text": SENTENCES[0]})[:-1] + ', "tags": 1, "tags": 2}')
    assert kept.error is None


def test_a_nul_character_in_archive_text_fails_that_article_only():
    first, second = parse_jsonl(json.dumps({"text": "Hej\u0000 med dig."}) + "\n" + json.dumps({"text": "Hej."}))
    assert "NUL character" in first.error and second.error is None


def test_ids_of_bad_lines_never_collide_with_later_ids():
    articles = parse_jsonl("nope\n" + json.dumps({"id": "line-1", "text": "Hej."}))
    assert [a.id for a in articles] == ["line-1", "line-1-2"]


def test_a_nul_byte_refuses_a_file_in_a_folder_run_with_a_record(tmp_path, model_args):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "late.txt").write_bytes((SENTENCES[0] + " ").encode() * 900 + b"\x00" + b"slut.")
    (folder / "ok.txt").write_text(SENTENCES[1] + "\n", encoding="utf-8")
    result = run_folder(model_args, folder, "-o", tmp_path / "out")
    found = records(tmp_path / "out")
    assert result.exit_code == 1 and found["ok.txt"]["status"] == "ok"
    assert "NUL byte" in found["late.txt"]["error"]


def test_outputs_of_a_renamed_record_are_not_trusted(tmp_path: Path, model_args):
    # a record whose output no longer is the name the plan gives is redone, not skipped
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(SENTENCES[0] + "\n", encoding="utf-8")
    assert run_folder(model_args, folder, "-o", out, "--format", "json").exit_code == 0
    assert run_folder(model_args, folder, "-o", out).exit_code == 0  # another format: another name
    assert records(out)["a.txt"] == {**records(out)["a.txt"], "status": "ok", "outputs": ["a.txt"]}


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
