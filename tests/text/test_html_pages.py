"""Web pages of other layouts than the DR fixture: headline, lead and metadata kept, boxes dropped."""

from __future__ import annotations

import json

import pytest
from support.cli import tsum
from support.common import DATA, sources

from translate_summarize.text.inputs import parse_input
from translate_summarize.text.reading import decode_bytes

PAGES = DATA / "pages"
BODY = "Regeringen vil hæve skatten på tobak fra nytår. Det oplyser skatteministeren mandag."


def page(name: str) -> str:
    return decode_bytes((PAGES / name).read_bytes(), name)


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
    result = tsum(str(PAGES / name), *model_args, "--no-summary")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "ok.txt").write_text(BODY + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = tsum(str(folder), *model_args, "--no-summary", "-o", str(out), "-q")
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


def test_a_page_nested_past_the_html_readers_depth_says_so():
    import pytest

    from translate_summarize.errors import InputError
    from translate_summarize.text.html import html_to_text

    paragraph = "<p>Regeringen har i dag fremlagt et nyt forslag. Det skal behandles i Folketinget i næste uge.</p>"
    assert "Regeringen" in html_to_text("<html><body>" + "<div>" * 100 + paragraph, "shallow.html")
    with pytest.raises(InputError, match="deep.html nests its HTML elements 256 levels deep or more"):
        html_to_text("<html><body>" + "<div>" * 600 + paragraph, "deep.html")
