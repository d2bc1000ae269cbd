"""The HTML review page in a real headless Chromium (Debian's chromium + chromium-driver).

CI installs both (.ci/run); locally the browser test is skipped when either is missing. The
screenshot is kept under the test's tmp_path and, when TSUM_TEST_ARTIFACTS is set, copied there.
"""

from __future__ import annotations

import json
import re

import pytest
from browser import headless_chromium, save_screenshot
from click.testing import CliRunner
from conftest import TRANSLATION_PAIRS, known_article

from translate_summarize.cli.main import main
from translate_summarize.core.pipeline import ArticleResult, Segment
from translate_summarize.core.quality import check_results
from translate_summarize.output.render import render

PLANTED = (
    "Ifølge de seneste opgørelser fra Danmarks Statistik har antallet af ledige i hovedstadsområdet "
    "været stigende gennem hele efteråret, selv om eksperterne havde forventet det modsatte."
)


@pytest.fixture
def browser():
    driver = headless_chromium("1200,1600")
    try:
        yield driver
    finally:
        driver.quit()


def test_review_page_shows_summary_both_languages_and_flags_in_a_browser(browser, model_args, tmp_path):
    from selenium.webdriver.common.by import By

    article, _ = known_article()
    source = tmp_path / "artikel.txt"
    source.write_text("date 2024-01-02\n" + article + "\n" + PLANTED + "\n", encoding="utf-8")
    page = tmp_path / "artikel.html"
    result = CliRunner().invoke(
        main, [str(source), *model_args, "--format", "html", "-o", str(page), "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    # self-contained: nothing is fetched from anywhere
    assert not re.search(r"<(script|link|img|iframe)\b", html) and "http://" not in html and "https://" not in html

    browser.get(page.as_uri())
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "artikel.txt" in text and "2024-01-02" in text and "Machine translation" in text
    summary = browser.find_element(By.CSS_SELECTOR, "section.summary p").text
    assert summary and summary in text
    assert "De to lande mødtes onsdag." in text and "The two countries met on Wednesday." in text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.segments tbody tr")
    assert len(rows) == len(TRANSLATION_PAIRS) + 1  # the trained sentences and the planted one
    first = rows[0].find_elements(By.TAG_NAME, "td")
    assert [cell.text for cell in first] == ["De to lande mødtes onsdag.", "The two countries met on Wednesday."]
    # Danish and English side by side: same row, English to the right
    assert first[0].location["y"] == first[1].location["y"] and first[0].location["x"] < first[1].location["x"]
    flagged = browser.find_elements(By.CSS_SELECTOR, "tr.flagged")
    assert len(flagged) == 1
    assert flagged[0].find_element(By.TAG_NAME, "td").text == PLANTED
    assert "length_ratio" in flagged[0].find_element(By.CSS_SELECTOR, ".flags").text
    # highlighted: the flagged row has a different background from an unflagged one
    background = flagged[0].find_element(By.TAG_NAME, "td").value_of_css_property("background-color")
    assert background != first[0].value_of_css_property("background-color")
    assert "1 of 13 sentences flagged" in text

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1200, min(height + 120, 8000))  # the whole page in the screenshot
    screenshot = save_screenshot(browser, "review-page.png", tmp_path)
    assert screenshot.stat().st_size > 10_000


def test_every_text_on_the_page_is_escaped():
    nasty = '<script>alert("x")</script> & <b>'
    result = ArticleResult(
        translation=nasty,
        summary=f"Summary {nasty} Bob",
        segments=[Segment(nasty, nasty, 0, True, prefix="- ")],
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
