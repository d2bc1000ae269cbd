"""Issue 10 checked as an outside tester would: pages of other layouts than the DR fixture,
archives with awkward lines and ids, texts in neighbouring languages, Markdown beyond headings
and bullets, legacy encodings, and Danish sentences written for this check (not DDT, not the
team sets). Each test names the failure it guards against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate_summarize.cli.main import main
from translate_summarize.text.archives import parse_json, parse_jsonl
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.language import detect_language
from translate_summarize.text.reading import checked_text, decode_bytes
from translate_summarize.text.segment import parse_article, split_sentences

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
GOLD = DATA / "da_sentences_adversarial.txt"
BODY = "Regeringen vil hæve skatten på tobak fra nytår. Det oplyser skatteministeren mandag."


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def page(name: str) -> str:
    return decode_bytes((PAGES / name).read_bytes(), name)


def sources(article) -> list[str]:
    return [segment.source for segment in article.segments]


# -- web pages of other layouts ------------------------------------------------------------------


def test_jsonld_page_keeps_headline_lead_and_metadata_and_drops_every_box():
    article = parse_input(page("jsonld_paywall_comments.html"), "p.html")
    texts = sources(article)
    assert texts[0] == "Regeringen vil hæve pensionsalderen igen"
    # the lead ("manchet") sits outside the body container trafilatura picks; og:description finds it
    assert texts[1] == "Pensionsalderen skal stige til 70 år i 2040, foreslår regeringen i et nyt udspil."
    assert texts[-1].startswith("Forhandlingerne med partierne begynder")
    assert article.metadata == {
        "title": "Regeringen vil hæve pensionsalderen igen",
        "date": "2024-03-12",
        "author": "Mette Hansen",
        "url": "https://politiken.dk/indland/art123/Regeringen-vil-haeve",
        "source": "Politiken",
    }
    joined = " ".join(texts)
    for boilerplate in (
        "cookies",
        "Accepter",
        "Forside",
        "Pensionister frygter",  # "Læs også" box
        "Annonce",
        "abonnement",  # paywall teaser
        "Del artiklen",
        "vanvittigt",  # a reader's comment
        "nyhedsbrev",
        "Mest læste",
        "Kendt skuespiller",
        "Rådhuspladsen",  # footer
    ):
        assert boilerplate not in joined


def test_headline_only_in_an_h1_outside_the_body_is_the_first_segment():
    article = parse_input(page("headline_outside_article.html"), "tv2.html")
    assert sources(article)[0] == "Storm lukker Storebæltsbroen for al trafik"
    assert "Sådan bliver vejret" not in " ".join(sources(article))  # "Se også" box
    quote = next(s for s in article.segments if s.source.startswith("Vi kan ikke"))
    assert quote.prefix == "- "


def test_amp_page_metadata_from_canonical_link_and_byline():
    article = parse_input(page("amp_article.html"), "amp.html")
    assert sources(article)[0] == "Novo Nordisk sætter ny rekord"
    assert article.metadata["author"] == "Peter Sørensen"
    assert article.metadata["date"] == "2024-02-01"
    assert article.metadata["url"] == "https://www.berlingske.dk/virksomheder/novo-nordisk-saetter-ny-rekord"
    assert "cookies" not in " ".join(sources(article)) and "Annonce" not in " ".join(sources(article))


def test_a_year_in_the_headline_is_not_taken_for_the_date():
    # htmldate's extensive search made "LIVE: Folketingsvalget 2022" a 2022-01-01 article
    article = parse_input(page("liveblog.html"), "live.html")
    assert "date" not in article.metadata
    assert sources(article)[0] == "LIVE: Folketingsvalget 2022"


def test_windows_1252_page_keeps_its_danish_letters():
    article = parse_input(page("windows1252_meta_charset.html"), "w.html")
    assert sources(article)[0] == "Færgen sejlede på grund ved Ærø"
    assert any("Årsagen" in s for s in sources(article))


SCRIPT_BUILT_PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Skoler lukker i Aarhus</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},
{"@type": "NewsArticle", "headline": "Skoler lukker i Aarhus", "datePublished": "2024-05-02T10:00:00+02:00",
"author": [{"@type": "Person", "name": "Lise Berg"}],
"articleBody": "Aarhus Kommune lukker tre skoler efter sommerferien. Det har byrådet besluttet onsdag aften.\\n\\nForældrene har samlet over 2000 underskrifter."}]}</script>
</head><body><div id="app"></div><script src="/bundle.js"></script></body></html>"""


def test_page_built_by_scripts_is_read_from_its_json_ld_article_body():
    # the saved page is an empty shell: "holds no article text", though its JSON-LD holds all of it
    article = parse_input(SCRIPT_BUILT_PAGE, "spa.html")
    assert sources(article) == [
        "Skoler lukker i Aarhus",
        "Aarhus Kommune lukker tre skoler efter sommerferien.",
        "Det har byrådet besluttet onsdag aften.",
        "Forældrene har samlet over 2000 underskrifter.",
    ]
    assert article.metadata == {"title": "Skoler lukker i Aarhus", "date": "2024-05-02", "author": "Lise Berg"}


@pytest.mark.parametrize("name", ["script_only.html", "menus_only.html"])
def test_page_without_article_text_is_one_error_line_and_a_failed_record(model_args, tmp_path, name):
    result = invoke(str(PAGES / name), *model_args, "--no-summary")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "ok.txt").write_text(BODY + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(str(folder), *model_args, "--no-summary", "-o", str(out), "-q")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records[name]["status"] == "failed" and "no article text" in records[name]["error"]
    assert records["ok.txt"]["status"] == "ok"


FURNITURE_PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Ny bro</title></head><body>
<article><h1>Ny bro over Limfjorden</h1>
<p>Af Mette Hansen og Jens Olsen</p>
<p>Publiceret 12. marts 2024 kl. 14.32</p>
<p>Regeringen og et bredt flertal i Folketinget er enige om at bygge en ny bro over Limfjorden ved Aalborg.</p>
<p>ANNONCE</p>
<p>Artiklen fortsætter under annoncen</p>
<p>LÆS OGSÅ | Aalborg får ny letbane</p>
<p>Hør også: Podcast om trafikken i Nordjylland</p>
<p>Broen skal stå færdig i 2032 og koste omkring otte milliarder kroner, oplyser Transportministeriet.</p>
<p>Foto: Henning Bagger/Ritzau Scanpix</p>
<p>Af Danmarks 98 kommuner har 40 sagt ja til planen.</p>
<p>Tilmeld dig vores nyhedsbrev</p>
</article></body></html>"""


def test_ad_labels_credits_bylines_and_teasers_inside_the_body_are_left_out():
    texts = sources(parse_input(FURNITURE_PAGE, "bro.html"))
    assert texts == [
        "Ny bro over Limfjorden",
        "Regeringen og et bredt flertal i Folketinget er enige om at bygge en ny bro over Limfjorden ved Aalborg.",
        "Broen skal stå færdig i 2032 og koste omkring otte milliarder kroner, oplyser Transportministeriet.",
        "Af Danmarks 98 kommuner har 40 sagt ja til planen.",  # prose that starts like a byline stays
    ]


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
    result = invoke(str(archive), *model_args, "--no-summary", "-o", str(out), "--format", "json", "-q")
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
    result = invoke(str(archive), *model_args, "--no-summary", "-o", str(out), "-q")
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
    result = invoke(str(folder), *model_args, "--no-summary", "-o", str(out), "-q")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert sorted(records) == ["blank.jsonl", "empty.jsonl", "none.json", "ok.txt"]
    for name in ("blank.jsonl", "empty.jsonl", "none.json"):
        assert records[name]["status"] == "failed" and "holds no articles" in records[name]["error"]
    result = invoke(str(folder / "empty.jsonl"), *model_args, "--no-summary", "-o", str(tmp_path / "o2"))
    assert result.exit_code == 1 and "no files matching" not in result.output


def test_archive_beside_a_folder_of_the_same_name_writes_nothing_over_it(model_args, tmp_path):
    # news.jsonl#a and news/a.txt were both written to out/news/a.txt: one output was lost
    folder = tmp_path / "in"
    (folder / "news").mkdir(parents=True)
    (folder / "news" / "a.txt").write_text(BODY + "\n", encoding="utf-8")
    (folder / "news.jsonl").write_text(json.dumps({"id": "a", "text": "Oppositionen er imod forslaget."}) + "\n")
    out = tmp_path / "out"
    assert invoke(str(folder), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
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
    result = invoke(str(folder), *model_args, "--no-summary", "-o", str(out), "-q", "--format", "json")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["export.json#item-1"]["status"] == "ok" and records["export.json#item-2"]["status"] == "failed"
    document = json.loads((out / "export" / "item-1.json").read_text(encoding="utf-8"))
    assert document["metadata"]["date"] == "2024-01-02T10:00:00Z" and document["metadata"]["author"] == "Lise Berg"


def test_json_article_on_standard_input_is_read_as_json(model_args):
    # it was translated as plain text, braces, keys and all
    article = json.dumps({"title": "Vejret i dag", "maintext": "Storm i nat over hele landet."}, ensure_ascii=False)
    result = invoke("-", *model_args, "--no-summary", "--format", "json", input=article.encode("utf-8"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [s["source"] for s in document["segments"]] == ["Vejret i dag", "Storm i nat over hele landet."]
    assert document["metadata"]["title"] == "Vejret i dag"


def test_editing_one_line_redoes_only_that_article(model_args, tmp_path):
    archive = tmp_path / "r.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": f"{BODY} Nummer {i}."}) for i in range(3)]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert invoke(str(archive), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
    archive.write_text(
        "\n".join([lines[0], lines[1].replace("Nummer 1", "Nummer en"), lines[2]]) + "\n", encoding="utf-8"
    )
    assert invoke(str(archive), *model_args, "--no-summary", "-o", str(out), "-q").exit_code == 0
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [(r["input"], r["status"]) for r in records] == [
        ("r.jsonl#a0", "skipped"),
        ("r.jsonl#a1", "ok"),
        ("r.jsonl#a2", "skipped"),
    ]


# -- language guard -------------------------------------------------------------------------------

SAMPLES = {
    "sv": "Regeringen vill höja skatten på tobak och alkohol redan nästa år. Det meddelade finansministern "
    "vid en presskonferens i Stockholm på måndagen.",
    "nb": "Regjeringen vil øke avgiften på tobakk allerede neste år. Det opplyste finansministeren på en "
    "pressekonferanse i Oslo mandag. Opposisjonen mener forslaget rammer folk med lav inntekt hardt.",
    "nn": "Regjeringa vil auke avgifta på tobakk allereie neste år. Det opplyste finansministeren på ein "
    "pressekonferanse i Oslo måndag. Opposisjonen meiner at forslaget rammar folk med låg inntekt hardt.",
    "en": "The government wants to raise the tax on tobacco as early as next year. The finance minister "
    "announced this at a press conference in London on Monday.",
    "de": "Die Regierung will die Tabaksteuer bereits im nächsten Jahr erhöhen. Das teilte der Finanzminister "
    "am Montag auf einer Pressekonferenz in Berlin mit.",
}
DANISH_QUOTING_ENGLISH = (
    'Apple-chef Tim Cook siger til The New York Times: "We are very excited about the future of artificial '
    'intelligence and what it means for our customers." Han mødtes med Joe Biden i Det Hvide Hus.'
)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_neighbouring_languages_are_told_apart(code):
    assert detect_language(SAMPLES[code])["code"] == code


@pytest.mark.parametrize(
    "text",
    [
        DANISH_QUOTING_ENGLISH,
        "Statsministeren talte i FN. “The world must act now on climate change, and Denmark will lead the way,” "
        "sagde hun. Talen blev modtaget med klapsalver.",
        "»I think this is a turning point for Europe and for all of us,« said Ursula von der Leyen, "
        "ifølge Ritzau. Hun talte i Bruxelles tirsdag.",
    ],
    ids=["straight-quotes", "curly-quotes", "guillemets"],
)
def test_danish_article_quoting_english_is_danish(text):
    # the English quotation outweighed the Danish sentence around it: "looks like English"
    assert detect_language(text)["code"] == "da"


@pytest.mark.parametrize(
    "text",
    [
        "Manchester United tabte til Liverpool FC på Old Trafford, og manager Erik ten Hag er under pres.",
        "Tottenham Hotspur Football Club har købt den danske landsholdsspiller fra Brentford FC.",
        "Real Madrid slog FC Barcelona 3-1 på Santiago Bernabéu lørdag aften.",
    ],
)
def test_danish_sentence_full_of_english_names_is_never_foreign(text):
    # "Manchester United tabte ..." was "Norwegian Bokmål (nb, 0.59)"
    assert detect_language(text) is None or detect_language(text)["code"] == "da"


DA_LINES = [
    "Regeringen vil hæve skatten på tobak fra nytår.",
    "Det oplyser skatteministeren i en pressemeddelelse mandag.",
    "Oppositionen er kritisk og kalder forslaget usocialt.",
]
SV_LINES = [
    "Regeringen vill höja skatten på tobak och alkohol redan nästa år.",
    "Det meddelade finansministern vid en presskonferens i Stockholm på måndagen.",
    "Oppositionen är kritisk och menar att förslaget slår hårt mot låginkomsttagare.",
    "Beslutet ska fattas av riksdagen i höst.",
]
EN_LINES = [
    "The minister said that the decision was final and that the government would not change its mind.",
    "We will stand by our decision no matter what the opposition says about it.",
]


def test_mostly_swedish_article_with_a_danish_sentence_is_swedish():
    # lingua on the whole text said Danish (1.00): æ and ø rule Swedish out
    verdict = detect_language("\n".join(SV_LINES[:2] * 3 + DA_LINES))
    assert verdict["code"] == "sv" and verdict["confidence"] > 0.5


def test_mostly_danish_article_with_an_english_passage_is_danish():
    assert detect_language("\n".join(DA_LINES * 2 + EN_LINES))["code"] == "da"
    assert detect_language("\n".join(DA_LINES + SV_LINES[:1]))["code"] == "da"


def test_cli_danish_article_quoting_english_does_not_warn(model_args, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DANISH_QUOTING_ENGLISH + "\n", encoding="utf-8")
    result = invoke(str(path), *model_args, "--no-summary", "--format", "json", "--other-language", "fail")
    assert result.exit_code == 0 and "Warning" not in result.output
    assert json.loads(result.stdout)["source_language"]["code"] == "da"


# -- Markdown and quote dashes --------------------------------------------------------------------

MARKDOWN = """# Storm over Danmark #

- Første punkt om vejret.
  - Indrykket punkt om vinden.
1. Nummereret punkt om regnen.
2) Andet nummererede punkt.
>> Dobbelt citat fra ministeren.

```
kode = 1
```

| By | Vind |
|---|---|

-5 grader i nat, siger DMI.
"""


def test_markdown_markers_beyond_headings_and_bullets_stay_out_of_the_sources():
    segments = [(s.prefix, s.source) for s in parse_article(MARKDOWN, markdown=True).segments]
    assert segments == [
        ("# ", "Storm over Danmark"),  # closing hashes dropped
        ("- ", "Første punkt om vejret."),
        ("  - ", "Indrykket punkt om vinden."),  # nesting kept in the prefix
        ("1. ", "Nummereret punkt om regnen."),  # was "1." as a segment of its own
        ("2) ", "Andet nummererede punkt."),
        (">> ", "Dobbelt citat fra ministeren."),
        ("", "```"),  # code and tables: a line each, never merged or split
        ("", "kode = 1"),
        ("", "```"),
        ("", "| By | Vind |"),
        ("", "|---|---|"),
        ("", "-5 grader i nat, siger DMI."),  # a negative number, not a quote dash
    ]


def test_numbered_line_in_plain_text_keeps_its_number_with_its_sentence():
    assert sources(parse_article("1. Regeringen falder.\n2. Valget kommer.\n")) == [
        "1. Regeringen falder.",
        "2. Valget kommer.",
    ]


def test_cli_markdown_keeps_structure_and_letterless_lines_unchanged(model_args, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = invoke(str(path), *model_args, "--no-summary", "--format", "json", "--beam-size", "1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    lines = document["translation"].split("\n")
    assert lines[0].startswith("# ") and any(line.startswith("  - ") for line in lines)
    assert any(line.startswith("1. ") for line in lines) and any(line.startswith(">> ") for line in lines)
    # lines without a letter never reach the model (it invents words for them)
    assert lines.count("```") == 2 and "|---|---|" in lines
    fences = [s for s in document["segments"] if s["source"] == "```"]
    assert fences and all(s["translation"] == "```" for s in fences)


# -- encodings --------------------------------------------------------------------------------------

DANISH = "Færgen til Ærø sejlede på grund. Ø-boerne var rystede, siger Søren Åberg.\nVåbenkontrol og æbler.\n"


@pytest.mark.parametrize("codec", ["cp850", "mac_roman", "cp1252", "latin_1"])
def test_short_legacy_files_decode_to_danish(codec):
    # charset-normalizer read this cp850 text as cp1252: "Fërgen til írõ"
    assert decode_bytes(DANISH.encode(codec)) == DANISH


LEGACY_TEXTS = [
    "„Det er godt“ – sagde han. “Hello” – he said… 5 €",  # no æøå: quotes and dashes decide
    "Æbler og pærer – og så “øl” til 25 kr.",
    "Vi så en café i København – det var “fint”.",
    "Müller kom fra Österreich og så på åen.",
]


@pytest.mark.parametrize("codec", ["cp1252", "latin_1", "cp850", "mac_roman", "iso8859_15"])
@pytest.mark.parametrize("text", LEGACY_TEXTS, ids=["quotes-only", "aeblerne", "cafe", "umlauts"])
def test_legacy_code_pages_with_typography_and_few_danish_letters(codec, text):
    try:
        data = (text + "\n").encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{codec} cannot hold this text")
    assert decode_bytes(data) == text + "\n"


def test_iso_8859_15_euro_sign():
    text = "Æblerne koster 5 € kiloet i år, siger grønthandleren på Østerbro.\n"
    assert decode_bytes(text.encode("iso8859_15")) == text


def test_utf8_with_a_few_invalid_bytes_keeps_its_utf8():
    data = DANISH.encode("utf-8")
    damaged = data[:20] + b"\xff\xfe" + data[20:]
    assert decode_bytes(damaged) == DANISH  # was: "encoding could not be detected" (exit 2)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-32"])
def test_utf32_with_and_without_bom(codec):
    assert decode_bytes(DANISH.encode(codec)) == DANISH  # was: "looks like a binary file"


def test_cp1252_line_in_utf8_file_and_utf16_stdin(model_args):
    mixed = DANISH.encode("utf-8") + "Nyt fra Ålborg: rådhuset brænder.\n".encode("cp1252")
    assert checked_text(decode_bytes(mixed)).endswith("Ålborg: rådhuset brænder.\n")
    result = invoke("-", *model_args, "--no-summary", "--format", "json", input=DANISH.encode("utf-16-be"))
    assert result.exit_code == 0 and json.loads(result.stdout)["segments"][0]["source"].startswith("Færgen")


def test_single_json_file_with_a_line_separator_in_a_string_reads(model_args, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"title": "Vejret i dag", "maintext": "Storm i nat.\u2028Regn i morgen."}, ensure_ascii=False)
    )
    result = invoke(str(path), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [s["source"] for s in json.loads(result.stdout)["segments"]] == [
        "Vejret i dag",
        "Storm i nat.",
        "Regn i morgen.",
    ]


# -- sentence splitting on Danish text written for this check ----------------------------------------


def test_sentence_splitting_on_external_news_sentences():
    blocks = [
        [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        for block in GOLD.read_text(encoding="utf-8").split("\n\n")
    ]
    blocks = [block for block in blocks if block]
    assert sum(map(len, blocks)) >= 100
    misses = [(block, split_sentences(" ".join(block))) for block in blocks]
    misses = [(block, got) for block, got in misses if got != block]
    assert not misses, misses[0]
