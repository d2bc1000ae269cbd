"""Real inputs: saved web pages, the language guard, quote dashes and Markdown structure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import tsum
from support.common import DATA

from translate_summarize.errors import InputError
from translate_summarize.text.archives import is_tsum_output, parse_json, parse_jsonl, safe_id
from translate_summarize.text.html import html_to_text, looks_like_html
from translate_summarize.text.inputs import input_kind, parse_input
from translate_summarize.text.language import detect_language, other_language_message
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, decode_bytes

PAGE = DATA / "dr_article.html"
HEADLINE = "Banken hæver renten for første gang i to år"
# Text from every kind of boilerplate on the fixture page: none of it may reach the model.
BOILERPLATE = [
    "cookie",
    "Accepter",
    "Hovedmenu",
    "DR Forside",
    "DRTV",
    "Podcasts",
    "Log ind",
    "Del på",
    "Kopiér link",
    "Læs også",
    "LÆS OGSÅ",
    "Sådan påvirker renten",
    "Flere renteforhøjelser",
    "Renten kan koste dig dyrt",
    "Tilmeld",
    "nyhedsbrev",
    "Mest læste",
    "Kendt skuespiller",
    "Storm lukker broer",
    "Robert-priser",
    "Emil Holms Kanal",
    "Privatlivspolitik",
    "rettigheder",
    "BOILERPLATE-MARKER",
    "dataLayer",
    "font-family",
    "Scanpix",
    "Indland |",
]
BODY_STARTS = [
    "Nationalbanken hæver den ledende rente",
    "Beslutningen kommer efter en periode",
    "Vi tager situationen meget alvorligt",
    "Boligejere mærker det først",
    "Boligejere med variabelt forrentede lån",
    "Økonomer venter",
]
EMPTY_PAGE = """<!DOCTYPE html><html><head><title>Forside | DR</title><script>var x = 1;</script></head>
<body><nav><ul><li><a href="/nyheder">Nyheder</a></li><li><a href="/sporten">Sporten</a></li></ul></nav>
<div class="cookie-banner">Vi bruger cookies. <button>Accepter</button></div>
<footer><a href="/om">Om DR</a></footer></body></html>
"""

# Samples written for these tests: the same news item in each language.
SAMPLES = {
    "da": "Regeringen vil hæve skatten på tobak fra næste år. Pengene skal bruges på sygehusene, "
    "siger finansministeren, der håber på bred opbakning i Folketinget.",
    "sv": "Regeringen vill höja skatten på tobak från och med nästa år. Pengarna ska användas till "
    "sjukhusen, säger finansministern, som hoppas på brett stöd i riksdagen.",
    "nb": "Regjeringen vil øke skatten på tobakk fra neste år. Pengene skal brukes på sykehusene, "
    "sier finansministeren, som håper på bred støtte i Stortinget.",
    "en": "The government wants to raise the tax on tobacco from next year. The money will go to the "
    "hospitals, says the finance minister, who hopes for broad support in parliament.",
    "de": "Die Regierung will die Tabaksteuer ab dem nächsten Jahr erhöhen. Das Geld soll in die "
    "Krankenhäuser fließen, sagt der Finanzminister, der auf breite Unterstützung hofft.",
}


# -- web pages -------------------------------------------------------------------------------


def test_page_gives_headline_first_and_metadata():
    article = parse_input(PAGE.read_text(encoding="utf-8"), str(PAGE))
    assert article.metadata == {
        "title": HEADLINE,
        "date": "2024-03-14",
        "author": "Mette Sørensen",
        "url": "https://www.dr.dk/nyheder/indland/banken-haever-renten-foerste-gang-i-to-aar",
        "source": "DR",
    }
    sources = [segment.source for segment in article.segments]
    assert sources[0] == HEADLINE
    for start in BODY_STARTS:
        assert any(source.startswith(start) for source in sources), start
    quote = next(s for s in article.segments if s.source.startswith("Vi tager"))
    assert quote.prefix == "- "


def test_no_boilerplate_reaches_the_segments():
    article = parse_input(PAGE.read_text(encoding="utf-8"), str(PAGE))
    text = "\n".join(segment.prefix + segment.source for segment in article.segments)
    leaked = [marker for marker in BOILERPLATE if marker.lower() in text.lower()]
    assert leaked == []
    assert len(article.segments) == 10


def test_page_without_article_text_is_an_input_error():
    with pytest.raises(InputError, match=r"^forside\.html holds no article text"):
        html_to_text(EMPTY_PAGE, "forside.html")


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        pytest.param("a.html", "Ingen tags her.", "html", id="html-extension"),
        pytest.param("a.HTM", "x", "html", id="htm-in-capitals"),
        pytest.param("a.md", "# Overskrift", "markdown", id="markdown-extension"),
        pytest.param("a.txt", "<html><body>x</body></html>", "text", id="txt-extension-wins"),
        pytest.param("standard input", "<!DOCTYPE html>\n<html lang='da'>", "html", id="stdin-doctype"),
        pytest.param("standard input", "  <!-- saved --> <html>", "html", id="stdin-comment-first"),
        pytest.param("standard input", "Regeringen <html> i teksten.", "text", id="stdin-tag-inside-text"),
        pytest.param("noter", "<HTML><body>x", "html", id="no-extension-sniffed"),
    ],
)
def test_input_kind_by_extension_and_sniffing(name, text, kind):
    assert input_kind(name, text) == kind


def test_looks_like_html_needs_a_document_start():
    assert looks_like_html("<?xml version='1.0'?>\n<!DOCTYPE html><html>")
    assert not looks_like_html("<p>Et afsnit</p>")


def test_cli_translates_the_article_of_a_page_only(model_args, tmp_path):
    page = tmp_path / "side.html"
    page.write_bytes(PAGE.read_bytes())
    result = tsum(str(page), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["metadata"]["title"] == HEADLINE
    assert data["segments"][0]["source"] == HEADLINE
    sources = "\n".join(s["source"] for s in data["segments"])
    assert [m for m in BOILERPLATE if m.lower() in sources.lower()] == []
    assert data["source_language"]["code"] == "da"
    assert "Warning" not in result.stderr


def test_cli_reads_html_from_stdin(model_args):
    result = tsum("-", *model_args, "--no-summary", "--format", "json", input=PAGE.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["segments"][0]["source"] == HEADLINE


def test_cli_page_without_text_is_a_one_line_error(model_args, tmp_path):
    page = tmp_path / "forside.htm"
    page.write_text(EMPTY_PAGE, encoding="utf-8")
    result = tsum(str(page), *model_args, "--no-summary")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {page} holds no article text")
    assert result.stderr.count("\n") == 1


def test_folder_run_finds_pages_and_records_an_empty_one_as_failed(model_args, tmp_path):
    folder = tmp_path / "sider"
    folder.mkdir()
    (folder / "artikel.html").write_bytes(PAGE.read_bytes())
    (folder / "forside.htm").write_text(EMPTY_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q")
    assert result.exit_code == 1, result.output
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["artikel.html"]["status"] == "ok"
    assert records["artikel.html"]["source_language"]["code"] == "da"
    assert records["forside.htm"]["status"] == "failed"
    assert "holds no article text" in records["forside.htm"]["error"]
    assert (out / "artikel.txt").is_file()


# -- language guard --------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(SAMPLES))
def test_detects_the_language_of_each_sample(code):
    detected = detect_language(SAMPLES[code])
    assert detected["code"] == code
    assert 0.5 <= detected["confidence"] <= 1.0


@pytest.mark.parametrize("name", ["da_sentences.txt", "ddt_dev_excerpt.txt"])
def test_danish_sentences_one_at_a_time_are_never_called_foreign(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    sentences = [line for line in lines if line.strip() and not line.startswith("#")]
    judged = [(sentence, detect_language(sentence)) for sentence in sentences]
    assert sum(1 for _, language in judged if language) >= 30  # enough of them are long enough to judge
    assert [(s, language) for s, language in judged if language and language["code"] != "da"] == []


@pytest.mark.parametrize("text", ["Regeringen vil hæve skatten", "Kort nyhed: Banken hæver renten.", "12.000 kr."])
def test_short_texts_are_not_judged(text):
    assert detect_language(text) is None


def test_message_names_the_scandinavian_model_only_for_scandinavian_languages():
    assert other_language_message("a.txt", {"code": "sv", "confidence": 0.93}) == (
        "a.txt: looks like Swedish (sv, 0.93), not Danish; "
        "--translation-model opus-mt-tc-big-gmq-en translates Swedish and Norwegian"
    )
    assert other_language_message("a.txt", {"code": "en", "confidence": 1.0}) == (
        "a.txt: looks like English (en, 1.00), not Danish"
    )


@pytest.mark.parametrize(("code", "name"), [("sv", "Swedish"), ("nb", "Norwegian Bokmål"), ("en", "English")])
def test_cli_warns_about_other_languages_and_goes_on(model_args, tmp_path, code, name):
    path = tmp_path / f"{code}.txt"
    path.write_text(SAMPLES[code], encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_language"]["code"] == code
    confidence = data["source_language"]["confidence"]
    warning = f"Warning: {path}: looks like {name} ({code}, {confidence:.2f}), not Danish"
    assert result.stderr.startswith(warning)
    assert ("opus-mt-tc-big-gmq-en" in result.stderr) == (code != "en")


def test_cli_danish_never_warns(model_args, tmp_path):
    path = tmp_path / "da.txt"
    path.write_text(SAMPLES["da"], encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0
    assert "Warning" not in result.stderr
    assert json.loads(result.stdout)["source_language"]["code"] == "da"


def test_cli_other_language_fail_exits_2(model_args, tmp_path):
    path = tmp_path / "sv.txt"
    path.write_text(SAMPLES["sv"], encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--other-language", "fail")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: looks like Swedish (sv, ")
    assert result.stdout == ""


def test_folder_other_language_fail_is_a_failed_record(model_args, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "da.txt").write_text(SAMPLES["da"], encoding="utf-8")
    (folder / "nb.txt").write_text(SAMPLES["nb"], encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q", "--other-language", "fail")
    assert result.exit_code == 1
    records = {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert records["da.txt"]["status"] == "ok"
    assert records["nb.txt"]["status"] == "failed"
    assert "looks like Norwegian Bokmål (nb, " in records["nb.txt"]["error"]


# -- quote dashes and Markdown structure -----------------------------------------------------


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_quote_dash_stays_out_of_the_model(model_args, tmp_path, dash):
    path = tmp_path / "citat.txt"
    path.write_text(f"{dash} Ministeren vil ikke kommentere sagen.\n", encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json", "--beam-size", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["translation"] == f"{dash} The minister will not comment on the case."
    segment = data["segments"][0]
    assert (segment["prefix"], segment["source"]) == (f"{dash} ", "Ministeren vil ikke kommentere sagen.")


def test_markdown_structure_is_kept(model_args, tmp_path):
    path = tmp_path / "artikel.md"
    path.write_text(
        "# Banken hæver renten.\n\n"
        "- Ministeren vil ikke kommentere sagen.\n"
        "* Vejret bliver koldt i weekenden.\n\n"
        "> Forhandlingerne fortsætter i morgen.\n",
        encoding="utf-8",
    )
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json", "--beam-size", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["translation"] == (
        "# The bank raises the interest rate.\n\n"
        "- The minister will not comment on the case.\n"
        "* The weather will be cold at the weekend.\n\n"
        "> The negotiations continue tomorrow."
    )
    assert [s["prefix"] for s in data["segments"]] == ["# ", "- ", "* ", "> "]
    assert data["segments"][0]["source"] == "Banken hæver renten."


def test_hash_and_star_are_text_outside_markdown():
    article = parse_input("# Banken hæver renten.\n* Vejret bliver koldt.", "noter.txt")
    assert [(s.prefix, s.source) for s in article.segments] == [
        ("", "# Banken hæver renten."),
        ("", "* Vejret bliver koldt."),
    ]


# -- encodings -------------------------------------------------------------------------------

MIXED = DATA / "mixed_utf8_cp1252.txt"
DANISH_LINE = "Søren Ågård fra Ærø siger, at mødet gik godt – og at våbenkontrol er vigtig."


def test_mixed_utf8_and_cp1252_lines_decode_line_by_line():
    text = decode_bytes(MIXED.read_bytes(), "mixed.txt")
    assert text.splitlines() == [
        "Våbenkontrol er et af de områder, hvor USA og Rusland vil samarbejde.",
        "Søren Ågård fra Ærø siger, at mødet gik godt.",
        "Det er første gang i knap et år, at emnet er på dagsordenen.",
        "Østjyllands borgmester håber på en aftale før jul – og hurtigt.",
        "Prisen er 1.000 kr. pr. år, oplyser ministeriet.",
    ]
    assert "Ă" not in text and "ř" not in text  # no cp1250 mojibake


def test_mixed_file_through_the_cli_keeps_its_danish_letters(model_args, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(MIXED.read_bytes())
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    sources = " ".join(s["source"] for s in json.loads(result.stdout)["segments"])
    assert "Våbenkontrol" in sources and "Søren Ågård fra Ærø" in sources and "Østjyllands" in sources


@pytest.mark.parametrize("codec", ["cp1252", "latin_1", "cp850", "mac_roman"])
def test_legacy_danish_code_pages(codec):
    text = "\n".join([DANISH_LINE.replace("–", "-")] * 3) + "\n"
    assert decode_bytes(text.encode(codec)) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(codec):
    text = DANISH_LINE + "\n\nDet er første gang.\n"
    assert decode_bytes(text.encode(codec)) == text


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03PK\x03\x04" * 64, b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120 + b"\x01\x02" * 40],
    ids=["zip-like", "elf-like"],
)
def test_binary_is_still_binary(data):
    with pytest.raises(InputError, match="looks like a binary file"):
        decode_bytes(data, "x.bin")


def test_size_error_uses_one_unit():
    with pytest.raises(InputError) as error:
        decode_bytes(b"a" * (MAX_ARTICLE_BYTES + 2**20), "stor.txt")
    assert str(error.value) == "stor.txt is 21.0 MiB, over the 20 MiB limit for one article: split it into articles"


# -- JSON and JSON Lines archives ------------------------------------------------------------

ARCHIVE = DATA / "archive.jsonl"
NEWS_PLEASE = DATA / "newsplease_article.json"


def output_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").rstrip("\n")


def records_of(out: Path) -> dict[str, dict]:
    return {r["input"]: r for r in map(json.loads, (out / "results.jsonl").read_text(encoding="utf-8").splitlines())}


def test_jsonl_lines_become_articles_with_safe_unique_ids():
    articles = parse_jsonl(ARCHIVE.read_text(encoding="utf-8"))
    assert [(a.id, a.line, a.error is None) for a in articles] == [
        ("rente-1", 1, True),
        ("vejr_etc", 2, True),
        ("line-3", 3, False),
        ("tom", 4, False),
        ("Rente-1-2", 5, True),
    ]
    assert articles[0].metadata == {
        "title": "Banken hæver renten",
        "date": "2024-03-14",
        "author": "Mette Sørensen",
        "url": "https://example.dk/rente",
    }
    assert articles[2].error.startswith("line 3: not valid JSON")
    assert articles[3].error == "line 4: no article text (no text or maintext field)"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c", "a_b_c"),
        ("..", "line-1"),
        ("", "line-1"),
        (None, "line-1"),
        (42, "42"),
        ("Årets møde 2024.01", "Årets_møde_2024.01"),
        ("x" * 300, "x" * 100),
        (".hidden", "hidden"),
    ],
)
def test_safe_id(raw, safe):
    assert safe_id(raw, "line-1") == safe


def test_news_please_json_is_one_article():
    article = parse_input(NEWS_PLEASE.read_text(encoding="utf-8"), str(NEWS_PLEASE))
    assert article.metadata == {
        "title": "Banken hæver renten.",
        "date": "2024-03-14 07:45:00",
        "author": "Mette Sørensen; Jens Hansen",
        "url": "https://example.dk/rente",
    }
    assert [(s.prefix, s.source) for s in article.segments] == [
        ("", "Banken hæver renten."),
        ("", "Regeringen fremlagde i dag et nyt forslag."),
        ("", "Prisen steg med 2,5 pct. sidste år."),
        ("- ", "Ministeren vil ikke kommentere sagen."),
    ]


def test_tsum_outputs_are_not_articles(tmp_path):
    output = tmp_path / "out.json"
    output.write_text(json.dumps({"translation": "x", "tsum_version": "0.1.0"}), encoding="utf-8")
    assert is_tsum_output(output)
    # tsum's journal is known by the marker that tsum alone writes (or, as written before the
    # marker, by its name and records); a crawler's log with similar keys is an archive.
    journal = tmp_path / "results.jsonl"
    journal.write_text('{"input": "a.txt", "status": "ok", "error": null, "outputs": ["a.txt"]}\n', encoding="utf-8")
    assert is_tsum_output(journal)
    renamed = tmp_path / "results-2024.jsonl"
    renamed.write_text(
        '{"tsum_journal": 1, "input": "a.txt", "status": "ok", "outputs": ["a.txt"]}\n', encoding="utf-8"
    )
    assert is_tsum_output(renamed)
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text('{"input": "a.txt", "status": "ok", "error": null, "outputs": ["a.txt"]}\n', encoding="utf-8")
    assert not is_tsum_output(crawl)
    assert not is_tsum_output(ARCHIVE)
    assert not is_tsum_output(NEWS_PLEASE)
    with pytest.raises(InputError, match="is a tsum output, not an article"):
        parse_json(output.read_text(encoding="utf-8"), str(output))


def test_folder_run_over_archives(model_args, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nyheder.jsonl").write_bytes(ARCHIVE.read_bytes())
    (folder / "artikel.json").write_bytes(NEWS_PLEASE.read_bytes())
    (folder / "gammel.json").write_text(json.dumps({"translation": "x", "tsum_version": "0.1.0"}), encoding="utf-8")
    (folder / "results.jsonl").write_text('{"input": "a.txt", "status": "ok"}\n', encoding="utf-8")
    out = tmp_path / "out"
    args = [str(folder), *model_args, "--no-summary", "--beam-size", "1", "-o", str(out), "-q"]
    result = tsum(*args)
    assert result.exit_code == 1, result.output
    records = records_of(out)
    assert {name: r["status"] for name, r in records.items()} == {
        "artikel.json": "ok",
        "nyheder.jsonl#rente-1": "ok",
        "nyheder.jsonl#vejr_etc": "ok",
        "nyheder.jsonl#line-3": "failed",
        "nyheder.jsonl#tom": "failed",
        "nyheder.jsonl#Rente-1-2": "ok",
        # tsum's own outputs are never read, but never skipped without a record either
        "gammel.json": "skipped",
        "results.jsonl": "skipped",
    }
    assert "tsum never reads its own outputs" in records["gammel.json"]["error"]
    assert records["nyheder.jsonl#line-3"]["error"].startswith(f"{folder / 'nyheder.jsonl'} line 3: not valid JSON")
    assert records["nyheder.jsonl#rente-1"]["outputs"] == ["nyheder/rente-1.txt"]
    # The translated title (untrained without its full stop) comes first, then the body.
    assert output_text(out / "nyheder" / "rente-1.txt").endswith(
        "\n\nThe bank raises the interest rate. The minister will not comment on the case."
    )
    assert output_text(out / "nyheder" / "vejr_etc.txt").endswith(
        "The weather will be cold at the weekend.\n\n- The negotiations continue tomorrow."
    )
    assert (out / "artikel.txt").is_file()
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")) == [
        "Rente-1-2.txt",
        "artikel.txt",
        "rente-1.txt",
        "results.jsonl",
        "vejr_etc.txt",
    ]

    # resumable per record: change one article, and only that one is redone
    lines = ARCHIVE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Vejret bliver koldt i weekenden.", "Banken hæver renten.")
    (folder / "nyheder.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tsum(*args)
    records = records_of(out)
    assert records["nyheder.jsonl#vejr_etc"]["status"] == "ok"
    assert records["nyheder.jsonl#rente-1"]["status"] == "skipped"
    assert records["nyheder.jsonl#rente-1"]["source_language"]["code"] == "da"  # kept from the first run
    assert records["artikel.json"]["status"] == "skipped"
    assert output_text(out / "nyheder" / "vejr_etc.txt").endswith(
        "The bank raises the interest rate.\n\n- The negotiations continue tomorrow."
    )


def test_archive_needs_an_output_folder(model_args):
    result = tsum(str(ARCHIVE), *model_args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: an archive needs -o OUTDIR for its articles' outputs: tsum {ARCHIVE} -o out/\n"


def test_help_documents_the_formats_without_importing_the_readers():
    code = (
        "import sys; from click.testing import CliRunner; from translate_summarize.cli.main import main; "
        "r = CliRunner().invoke(main, ['--help']); print(r.output); "
        "heavy = [m for m in ('trafilatura', 'lingua', 'charset_normalizer', 'pysbd', 'lxml') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    for text in (".md", ".html", ".htm", "--other-language", "*.jsonl", "*.json"):
        assert text in proc.stdout, text


def test_translate_file_reads_markdown_and_pages(tiny_models, tmp_path):
    from translate_summarize import translate_file

    options = {
        "translation_model": str(tiny_models["translation"]),
        "summarize": False,
        "beam_size": 1,
        "compute_type": "float32",
    }
    markdown = tmp_path / "a.md"
    markdown.write_text("# Banken hæver renten.\n", encoding="utf-8")
    assert translate_file(markdown, **options).translation == "# The bank raises the interest rate."
    result = translate_file(PAGE, **options)
    assert result.metadata["title"] == HEADLINE and result.segments[0].source == HEADLINE
