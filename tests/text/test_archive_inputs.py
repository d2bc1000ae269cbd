"""Archives (JSON, JSON Lines) with awkward lines, ids and fields: every line one record."""

from __future__ import annotations

import json

from support.cli import ARTICLE, FAST, records, tsum
from support.common import sources

from translate_summarize.text.archives import parse_json, parse_jsonl
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.segment import split_sentences

BODY = "Regeringen vil hæve skatten på tobak fra nytår. Det oplyser skatteministeren mandag."


# -- archives ---------------------------------------------------------------------------------------


def test_a_line_separator_inside_a_json_string_does_not_cut_the_line():
    # str.splitlines() cut at U+2028 and U+0085: one article became three "not valid JSON" records
    lines = [
        json.dumps({"id": "a", "text": "Første afsnit.\u2028Andet afsnit.\u0085Slut."}, ensure_ascii=False),
        json.dumps({"id": "b", "text": BODY}, ensure_ascii=False),
    ]
    articles = parse_jsonl("\r\n".join(lines) + "\r\n")
    assert [(a.id, a.line, a.error) for a in articles] == [("a", 1, None), ("b", 2, None)]


def test_line_numbers_count_blank_and_crlf_lines_like_an_editor():
    text = "\r\n".join(["", json.dumps({"text": BODY}), "", "  ", json.dumps({"text": BODY}), '{"text": "cut'])
    articles = parse_jsonl(text)
    assert [(a.id, a.line) for a in articles] == [("line-2", 2), ("line-5", 5), ("line-6", 6)]
    assert "line 6: not valid JSON" in articles[-1].error


def test_text_of_the_wrong_type_is_named_and_a_list_of_paragraphs_is_read():
    lines = [
        json.dumps({"id": "obj", "text": {"body": BODY}}),
        json.dumps({"id": "num", "maintext": 42}),
        json.dumps({"id": "paras", "text": ["Første afsnit.", "  ", "Andet afsnit."]}),
        json.dumps({"id": "null", "maintext": None, "title": "Kun en titel"}),
    ]
    articles = {a.id: a for a in parse_jsonl("\n".join(lines))}
    assert articles["obj"].error == "line 1: the text field is a JSON object, not a string"
    assert articles["num"].error == "line 2: the maintext field is a JSON number, not a string"
    assert articles["paras"].error is None and articles["paras"].text.endswith("Første afsnit.\n\nAndet afsnit.\n")
    assert "no article text" in articles["null"].error


def test_author_objects_give_their_names_never_a_python_repr():
    data = {
        "text": BODY,
        "author": [{"@type": "Person", "name": "Mette Hansen"}, {"name": "Jens Olsen"}],
        "title": {"no": "name"},
    }
    (article,) = parse_json(json.dumps({"id": "x", **data}), "x.json")
    assert article.metadata == {"author": "Mette Hansen; Jens Olsen"}


def test_html_in_an_archive_text_field_is_read_as_html_in_both_ways_in(model_args, tmp_path):
    fragment = f"<div><p>{BODY}</p><p>Forslaget møder kritik fra oppositionen.</p></div>"
    whole = f"<!DOCTYPE html><html><body><nav>Forside Indland</nav><article>{fragment}</article></body></html>"
    archive = tmp_path / "a.jsonl"
    archive.write_text(
        "\n".join(
            json.dumps({"id": i, "title": "Skat på tobak", "text": t}) for i, t in (("f", fragment), ("w", whole))
        )
        + "\n",
        encoding="utf-8",
    )
    expected = ["Skat på tobak", *split_sentences(BODY), "Forslaget møder kritik fra oppositionen."]
    for article in parse_jsonl(archive.read_text(encoding="utf-8")):
        assert sources(parse_input(article.text, "a.jsonl#x", kind="archive")) == expected
    out = tmp_path / "out"
    result = tsum(str(archive), *model_args, "--no-summary", "-o", str(out), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    for name in ("f", "w"):
        document = json.loads((out / "a" / f"{name}.json").read_text(encoding="utf-8"))
        assert [s["source"] for s in document["segments"]] == expected
        assert document["metadata"]["title"] == "Skat på tobak"


def test_awkward_ids_become_safe_unique_names_and_every_line_one_record(model_args, tmp_path):
    ids = ["a/b", "../etc", "nul\x00x", "ærø", "x" * 300, 42, None, "dup", "dup", "DUP", "", "..."]
    lines = [
        json.dumps({"id": i, "text": f"{BODY} Nummer {n}."} if i is not None else {"text": BODY})
        for n, i in enumerate(ids)
    ]
    lines += ["[1, 2]", "null", '"tekst"']
    archive = tmp_path / "news.jsonl"
    archive.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    out = tmp_path / "out"
    result = tsum(str(archive), *model_args, "--no-summary", "-o", str(out), "-q")
    assert result.exit_code == 1
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(records) == len(lines)
    names = [r["input"].split("#", 1)[1] for r in records]
    assert len({n.lower() for n in names}) == len(names)
    assert names[:12] == [
        "a_b",
        "etc",
        "nul_x",
        "ærø",
        "x" * 100,
        "42",
        "line-7",
        "dup",
        "dup-2",
        "DUP-3",
        "line-11",
        "line-12",
    ]
    assert [r["status"] for r in records[-3:]] == ["failed"] * 3
    assert all(r["error"].endswith("not a JSON object") for r in records[-3:])
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert all(out in p.parents for p in written) and len(written) == 13  # 12 articles + results.jsonl


def test_empty_archives_are_failed_records_not_silence(model_args, tmp_path):
    # they yielded no input at all: a folder run left them out of results.jsonl, and
    # "tsum empty.jsonl -o out/" said "no files matching ... under empty.jsonl"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "blank.jsonl").write_text("\n  \r\n\n", encoding="utf-8")
    (folder / "none.json").write_text("[]", encoding="utf-8")
    (folder / "ok.txt").write_text(BODY + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert sorted(records) == ["blank.jsonl", "empty.jsonl", "none.json", "ok.txt"]
    for name in ("blank.jsonl", "empty.jsonl", "none.json"):
        assert records[name]["status"] == "failed" and "holds no articles" in records[name]["error"]
    result = tsum(str(folder / "empty.jsonl"), *model_args, "--no-summary", "-o", str(tmp_path / "o2"))
    assert result.exit_code == 1 and "no files matching" not in result.output


def test_archive_beside_a_folder_of_the_same_name_writes_nothing_over_it(model_args, tmp_path):
    # news.jsonl#a and news/a.txt were both written to out/news/a.txt: one output was lost
    folder = tmp_path / "in"
    (folder / "news").mkdir(parents=True)
    (folder / "news" / "a.txt").write_text(BODY + "\n", encoding="utf-8")
    (folder / "news.jsonl").write_text(json.dumps({"id": "a", "text": "Oppositionen er imod forslaget."}) + "\n")
    out = tmp_path / "out"
    assert tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
    records = {r["input"]: r["outputs"] for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records == {"news.jsonl#a": ["news.jsonl/a.txt"], "news/a.txt": ["news/a.txt"]}
    assert "Opposition" not in (out / "news" / "a.txt").read_text(encoding="utf-8")


def test_an_article_line_over_the_size_limit_fails_alone():
    big = json.dumps({"id": "big", "text": "Regeringen vil. " * 1_400_000})
    articles = parse_jsonl(big + "\n" + json.dumps({"id": "ok", "text": BODY}))
    assert "over the 20 MiB limit" in articles[0].error and articles[1].error is None


def test_a_json_export_wrapping_its_articles_gives_each_its_own_output(model_args, tmp_path):
    # {"status": "ok", "articles": [...]} (NewsAPI style) was "holds no article"
    export = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {"title": "Skat på tobak", "content": BODY, "publishedAt": "2024-01-02T10:00:00Z", "author": "Lise Berg"},
            {"title": "Tom", "description": "Kun en beskrivelse", "content": None},
        ],
    }
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q", "--format", "json")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["export.json#item-1"]["status"] == "ok" and records["export.json#item-2"]["status"] == "failed"
    document = json.loads((out / "export" / "item-1.json").read_text(encoding="utf-8"))
    assert document["metadata"]["date"] == "2024-01-02T10:00:00Z" and document["metadata"]["author"] == "Lise Berg"


def test_json_article_on_standard_input_is_read_as_json(model_args):
    # it was translated as plain text, braces, keys and all
    article = json.dumps({"title": "Vejret i dag", "maintext": "Storm i nat over hele landet."}, ensure_ascii=False)
    result = tsum("-", *model_args, "--no-summary", "--format", "json", input=article.encode("utf-8"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [s["source"] for s in document["segments"]] == ["Vejret i dag", "Storm i nat over hele landet."]
    assert document["metadata"]["title"] == "Vejret i dag"


def test_editing_one_line_redoes_only_that_article(model_args, tmp_path):
    archive = tmp_path / "r.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": f"{BODY} Nummer {i}."}) for i in range(3)]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert tsum(str(archive), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
    archive.write_text(
        "\n".join([lines[0], lines[1].replace("Nummer 1", "Nummer en"), lines[2]]) + "\n", encoding="utf-8"
    )
    assert tsum(str(archive), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [(r["input"], r["status"]) for r in records] == [
        ("r.jsonl#a0", "skipped"),
        ("r.jsonl#a1", "ok"),
        ("r.jsonl#a2", "skipped"),
    ]


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
