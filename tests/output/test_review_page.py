"""The HTML review page in a real headless Chromium (Debian's chromium + chromium-driver), at a
desk's width (1280 px) and a phone's (390 px), and the index page of a folder run.

CI installs both (.ci/run); locally the browser tests are skipped when either is missing. The
screenshots are kept under the test's tmp_path and, when TSUM_TEST_ARTIFACTS is set, copied there.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from support.browser import headless_chromium, save_screenshot
from support.common import TRANSLATION_PAIRS, known_article

from translate_summarize.cli.main import main
from translate_summarize.core.pipeline import ArticleResult, TranslatedSegment
from translate_summarize.core.quality import FLAG_DESCRIPTIONS, check_results
from translate_summarize.output.render import render
from translate_summarize.text.segment import parse_article

PLANTED = (
    "Ifølge de seneste opgørelser fra Danmarks Statistik har antallet af ledige i hovedstadsområdet "
    "været stigende gennem hele efteråret, selv om eksperterne havde forventet det modsatte."
)


COMPOUND = "Arbejdsmarkedsuddannelsesforløbsadministrationssystemet blev underskrevet i København."
# JavaScript run on the page: the geometry the layout promises, measured by the browser.
GEOMETRY = """
const box = (node) => node.getBoundingClientRect();
const textLeft = (cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell.firstChild);
  return range.getClientRects()[0].left;
};
const heads = [...document.querySelectorAll("table.segments thead th")];
const rows = [...document.querySelectorAll("table.segments tbody tr")];
const misaligned = [];
rows.forEach((row, r) => [...row.cells].forEach((cell, c) => {
  const head = heads[c];
  if (Math.abs(box(head).x - box(cell).x) > 0.5 || Math.abs(box(head).width - box(cell).width) > 0.5
      || Math.abs(textLeft(head) - textLeft(cell)) > 0.5) misaligned.push([r, c]);
}));
const root = document.documentElement;
const wide = [...document.querySelectorAll("body *")].filter((node) => box(node).right > root.clientWidth + 0.5);
const spilling = [...document.querySelectorAll("td, th")].filter((cell) => cell.scrollWidth > cell.clientWidth);
return {columns: heads.length, rows: rows.length, misaligned, pageOverflow: root.scrollWidth - root.clientWidth,
        wide: wide.map((node) => node.tagName + "." + node.className), spilling: spilling.map((c) => c.textContent)};
"""


def test_review_page_reads_on_a_desk_and_on_a_phone(model_args, tmp_path):
    from selenium.webdriver.common.by import By

    headline_da, headline_en = TRANSLATION_PAIRS[0]
    body, _ = known_article(TRANSLATION_PAIRS[1:])
    source = tmp_path / "artikel.txt"
    source.write_text(f"Titel: {headline_da}\nDato: 2024-01-02\n\n{body}\n{PLANTED}\n\n{COMPOUND}\n", encoding="utf-8")
    page = tmp_path / "artikel.html"
    result = CliRunner().invoke(
        main, [str(source), *model_args, "--format", "html", "-o", str(page), "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    # self-contained: nothing is fetched from anywhere
    assert not re.search(r"<(script|link|img|iframe)\b", html) and "http://" not in html and "https://" not in html
    paragraphs = 1 + len(body.split("\n\n")) + 2  # the headline, the body's, the planted one, the compound

    for width in (1280, 390):
        browser = headless_chromium(f"{width},1000")
        try:
            browser.get(page.as_uri())
            assert browser.execute_script("return window.innerWidth") == width
            # the headline, in English, heads the page; the Danish original under it; the file is named below
            assert browser.title == f"{headline_en} - tsum review"
            assert browser.find_element(By.TAG_NAME, "h1").text == headline_en
            assert browser.find_element(By.CSS_SELECTOR, "header p.original").text == headline_da
            text = browser.find_element(By.TAG_NAME, "body").text
            assert "artikel.txt" in text and "2024-01-02" in text and "Machine translation" in text
            summary = browser.find_element(By.CSS_SELECTOR, "section.summary p").text
            assert summary and summary in text
            # one table: one header row, a tbody per paragraph, no per-paragraph headers
            assert len(browser.find_elements(By.CSS_SELECTOR, "table.segments")) == 1
            assert [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.segments th")] == [
                "Danish",
                "English",
            ]
            assert len(browser.find_elements(By.CSS_SELECTOR, "table.segments tbody")) == paragraphs
            assert "Paragraph" not in text
            rows = browser.find_elements(By.CSS_SELECTOR, "table.segments tbody tr")
            assert len(rows) == len(TRANSLATION_PAIRS) + 2
            first = rows[0].find_elements(By.TAG_NAME, "td")
            assert [cell.text for cell in first] == [headline_da, headline_en]
            assert first[0].location["y"] == first[1].location["y"] and first[0].location["x"] < first[1].location["x"]
            # paragraphs are set apart by spacing: a paragraph's first row has more room above it
            second_paragraph = browser.find_elements(By.CSS_SELECTOR, "table.segments tbody")[1]
            within = rows[2].find_element(By.TAG_NAME, "td").value_of_css_property("padding-top")
            above = second_paragraph.find_element(By.TAG_NAME, "td").value_of_css_property("padding-top")
            assert float(above.removesuffix("px")) > float(within.removesuffix("px"))
            # the flagged sentence: highlighted, and its reason written next to it, not only on hover
            # (The tiny model garbles the untrained compound sentence too, often dropping its
            # "København": the name check may flag that row as well.)
            flagged = browser.find_elements(By.CSS_SELECTOR, "tr.flagged")
            planted = [row for row in flagged if row.find_element(By.TAG_NAME, "td").text == PLANTED]
            assert len(planted) == 1 and len(flagged) <= 2
            reason = planted[0].find_element(By.CSS_SELECTOR, ".flags .flag")
            assert reason.is_displayed() and reason.text == f"length_ratio: {FLAG_DESCRIPTIONS['length_ratio']}"
            background = planted[0].find_element(By.TAG_NAME, "td").value_of_css_property("background-color")
            assert background != first[0].value_of_css_property("background-color")
            assert f"{len(flagged)} of {len(rows)} sentences flagged" in text
            # the legend: every flag tsum knows, its meaning written out
            legend = browser.find_element(By.CSS_SELECTOR, "section.legend")
            assert legend.is_displayed()
            for flag, meaning in FLAG_DESCRIPTIONS.items():
                item = legend.find_element(By.CSS_SELECTOR, f'li[data-flag="{flag}"]').text
                assert item.startswith(f"{flag}: {meaning}")
            too_short = sum(
                1 for row in flagged if row.find_elements(By.CSS_SELECTOR, '.flag[data-flag="length_ratio"]')
            )
            assert f"({too_short} here)" in legend.find_element(By.CSS_SELECTOR, 'li[data-flag="length_ratio"]').text
            # geometry: header cells over their columns, text starting at the same x; nothing wider than the screen
            geometry = browser.execute_script(GEOMETRY)
            assert geometry["columns"] == 2 and geometry["rows"] == len(rows)
            assert geometry["misaligned"] == [], geometry
            assert geometry["pageOverflow"] <= 0 and geometry["wide"] == [] and geometry["spilling"] == [], geometry
            compound = browser.find_element(By.XPATH, "//td[starts-with(., 'Arbejdsmarkeds')]")
            if width == 390:  # the 56-letter compound is wider than its column: it wraps inside it
                assert compound.size["height"] > 2 * float(compound.value_of_css_property("line-height")[:-2])
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, min(height + 140, 8000))  # the whole page in the screenshot
            screenshot = save_screenshot(browser, f"review-page-{width}.png", tmp_path)
            assert screenshot.stat().st_size > 10_000
        finally:
            browser.quit()


def test_the_page_is_headed_by_the_file_name_when_the_article_has_no_headline(model_args, tmp_path):
    source = tmp_path / "uden-overskrift.txt"
    source.write_text(known_article(TRANSLATION_PAIRS[:3])[0], encoding="utf-8")  # starts with a sentence
    result = CliRunner().invoke(main, [str(source), *model_args, "--format", "html", "--no-summary", "-q"])
    assert result.exit_code == 0, result.output
    assert f"<title>{source} - tsum review</title>" in result.stdout and f"<h1>{source}</h1>" in result.stdout
    assert 'class="original"' not in result.stdout
    # a local model folder by its name: the page does not tell where this machine keeps its models
    assert model_args[1] not in result.stdout and "<dd>translation @ local (ctranslate2, int8)</dd>" in result.stdout


def parsed_result(text: str, markdown: bool = False) -> ArticleResult:
    """An ArticleResult of ``text`` as tsum parses it (translations: the source, upper-cased)."""
    article = parse_article(text, markdown)
    segments = [
        TranslatedSegment(s.source, s.source.upper(), s.paragraph, s.starts_line, s.prefix) for s in article.segments
    ]
    return ArticleResult("", None, segments, article.metadata, {}, {})


@pytest.mark.parametrize(
    ("text", "markdown", "headline"),
    [
        ("Titel: Krig i Europa\n\nDe to lande mødtes onsdag. Mødet foregik bag lukkede døre.", False, "Krig i Europa"),
        ("Politiet efterlyser vidner\n\nDe to lande mødtes onsdag.", False, "Politiet efterlyser vidner"),
        (
            "Politiet efterlyser vidner\nDe to lande mødtes onsdag. Mødet foregik bag lukkede døre.",
            False,
            "Politiet efterlyser vidner",
        ),
        ("Hvem betaler regningen?\n\nRegeringen fremlagde i dag et nyt forslag.", False, "Hvem betaler regningen?"),
        ("# Renten stiger\n\nBanken hæver renten. Prisen steg.", True, "Renten stiger"),
        ("Aftalen blev underskrevet i København.\n\nForhandlingerne fortsætter i morgen.", False, None),
        ("De to lande mødtes\nonsdag. Mødet foregik bag lukkede døre.", False, None),  # a hard-wrapped sentence
        ("- Vi går ikke\n\nsiger ministeren.", False, None),  # a quote line
        ("Politiet efterlyser vidner", False, None),  # the whole article is one line
        ("date 2021-07 USA og Rusland strides om blandt andet hackerangreb.\n\nMen de samarbejder.", False, None),
        ("x" * 250 + "\n\nDe to lande mødtes onsdag.", False, None),  # too long for a headline
    ],
)
def test_the_headline_is_a_title_field_or_a_short_first_line(text, markdown, headline):
    found = parsed_result(text, markdown).headline()
    assert (found.source if found else None) == headline


def test_a_new_flag_shows_in_the_legend_and_beside_its_sentence_with_no_change_to_the_page(monkeypatch):
    """Flags are data (FLAG_DESCRIPTIONS): a flag added there is explained on the page at once."""
    monkeypatch.setitem(FLAG_DESCRIPTIONS, "number_mismatch", "a number in the source is missing from the translation")
    result = parsed_result("Prisen steg med 2,5 pct. sidste år. Banken hæver renten.")
    result.segments[0].flags = ["number_mismatch", "an_unknown_flag"]
    html = render(result, "html", source_name="a.txt")
    assert '<li data-flag="number_mismatch"><strong>number_mismatch</strong>: a number in the source is missing' in html
    assert '<span class="flag" data-flag="number_mismatch"><strong>number_mismatch</strong>: a number' in html
    assert '<li data-flag="an_unknown_flag"><strong>an_unknown_flag</strong>: a flag this version' in html
    assert '<li data-flag="split" class="none">' in html  # the flags no sentence has are listed, muted


def test_every_text_on_the_page_is_escaped():
    nasty = '<script>alert("x")</script> & <b>'
    result = ArticleResult(
        translation=nasty,
        summary=f"Summary {nasty} Bob",
        segments=[TranslatedSegment(nasty, nasty, 0, True, prefix="- ")],
        metadata={"kilde": nasty},
        models={"translation": {"name": nasty, "revision": "local"}, "summary": None},
        generation={},
    )
    check_results([result])
    html = render(result, "html", source_name=nasty)
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;") >= 5


def test_a_folder_run_never_takes_an_old_review_page_as_an_article(model_args, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    text, _ = known_article(TRANSLATION_PAIRS[:2])
    (articles / "a.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    page = articles / "a-review.html"
    first = runner.invoke(
        main, [str(articles / "a.txt"), "--format", "html", "-o", str(page), "--offline", *model_args]
    )
    assert first.exit_code == 0, first.output
    assert page.is_file()
    result = runner.invoke(main, [str(articles), "-o", str(tmp_path / "out"), "--offline", "--quiet", *model_args])
    assert result.exit_code == 0, result.output
    records = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    found = {json.loads(line)["input"]: json.loads(line) for line in records}
    assert found["a.txt"]["status"] == "ok" and found["a.txt"]["outputs"] == ["a.txt"]
    # the old page is never read as an article; its record says why (nothing skipped unrecorded)
    assert found["a-review.html"]["status"] == "skipped" and found["a-review.html"]["outputs"] == []
    assert "a review page written by tsum" in found["a-review.html"]["error"]


def test_the_index_shows_title_and_date_and_puts_the_most_flagged_first(model_args, tmp_path):
    from selenium.webdriver.common.by import By

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    body, _ = known_article(TRANSLATION_PAIRS[1:4])
    (src / "a.txt").write_text(f"Titel: {TRANSLATION_PAIRS[0][0]}\nDato: 2021-07-14\n\n{body}", encoding="utf-8")
    (src / "b.txt").write_text(f"{body}\n{PLANTED}\n", encoding="utf-8")
    (src / "c.txt").write_text(
        f"Titel: {TRANSLATION_PAIRS[11][0]}\nDato: 2. januar 2024\n\n{body}\n{PLANTED}\n\n{PLANTED}\n", encoding="utf-8"
    )
    (src / "empty.txt").write_text("", encoding="utf-8")
    command = [str(src), "-o", str(out), *model_args, "--format", "html", "--no-summary", "-q"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output  # empty.txt fails
    index = out / "index.html"
    for width in (1280, 390):
        browser = headless_chromium(f"{width},900")
        try:
            browser.get(index.as_uri())
            assert browser.execute_script("return window.innerWidth") == width
            rows = [
                [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                for row in browser.find_elements(By.CSS_SELECTOR, "table.index tbody tr")
            ]
            assert [row[1:3] for row in rows] == [["", ""], ["2. januar 2024", "2"], ["", "1"], ["2021-07-14", "0"]]
            assert rows[0][0].split("\n")[0] == "empty.txt" and "is empty" in rows[0][0] and rows[0][-1] == "failed"
            # an article with a headline shows it (in English) over its file name; one without shows the name
            assert rows[1][0].split("\n") == [TRANSLATION_PAIRS[11][1], "c.txt"]
            assert rows[2][0] == "b.txt" and rows[3][0].split("\n") == [TRANSLATION_PAIRS[0][1], "a.txt"]
            assert [row[-1] for row in rows[1:]] == ["ok"] * 3  # the status is the last column
            link = browser.find_element(By.CSS_SELECTOR, "table.index tbody tr:nth-child(2) a")
            assert link.get_attribute("href").endswith("/c.html") and link.text == TRANSLATION_PAIRS[11][1]
            overflow = browser.execute_script(
                "const r = document.documentElement; return r.scrollWidth - r.clientWidth;"
            )
            assert overflow <= 0
            save_screenshot(browser, f"index-{width}.png", tmp_path)
        finally:
            browser.quit()
    # a resumed run skips every article and keeps their titles, dates and counts: the same index
    before = index.read_text(encoding="utf-8")
    assert CliRunner().invoke(main, command).exit_code == 1
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records if r["input"] != "empty.txt"] == ["skipped"] * 3
    assert index.read_text(encoding="utf-8").replace(">skipped</td>", ">ok</td>") == before
