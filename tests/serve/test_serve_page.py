"""The page of `tsum serve` as a reader sees it, in a real headless Chromium: metadata, errors in a
reader's words, Ctrl+Enter, dark mode, the models in the footer, documents; screenshots at desktop
and phone width, light and dark."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.browser import headless_chromium, save_screenshot
from support.common import TRANSLATION_PAIRS, docx_bytes
from support.server import serving

(D1, E1), (D2, E2) = TRANSLATION_PAIRS[:2]
ARTICLE = f"Titel: Møde i Bruxelles\nDato: 2024-03-05\nKilde: DR\n\n{D1}\n\n{D2}\n"


@pytest.fixture(scope="module")
def server(start_server):
    """Behind a proxy at /tsum, 64 KiB bodies, links allowed (the article is served from 127.0.0.1 by the test)."""
    return start_server("--max-bytes", "65536", "--root-path", "/tsum", "--allow-urls", "--allow-private-urls")


@pytest.fixture
def browser():
    driver = headless_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def by():
    from selenium.webdriver.common.by import By

    return By


def wait(browser, condition, timeout: float = 120):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def result_text(browser) -> str:
    return browser.find_element(by().ID, "result").text


def color_scheme(browser, scheme: str) -> None:
    """Emulate the system's light or dark setting (what prefers-color-scheme reads)."""
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def test_metadata_ctrl_enter_footer_and_screenshots(server, browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url + "/tsum")  # the proxy's prefix without its slash: fetches still reach the API
    footer = browser.find_element(by().ID, "models").text
    assert "Translation: translation" in footer and "Summary: summary" in footer
    assert "/" not in footer.replace("tsum ", "")  # model names, never the server's folders
    box = browser.find_element(by().ID, "text")
    box.send_keys(ARTICLE)
    box.send_keys(Keys.CONTROL, Keys.ENTER)  # Ctrl+Enter submits
    wait(browser, lambda b: E2 in result_text(b))
    meta = browser.find_elements(by().CSS_SELECTOR, "#result dl.meta dt")
    values = browser.find_elements(by().CSS_SELECTOR, "#result dl.meta dd")
    shown = {dt.text: dd.text for dt, dd in zip(meta, values)}
    # The article's own lines, under tsum's metadata names (as in the CLI's JSON).
    assert shown == {"Title": "Møde i Bruxelles", "Date": "2024-03-05", "Source": "DR"}
    # The title line is translated as the headline; the body follows.
    assert browser.find_element(by().CSS_SELECTOR, "#result .translation-text").text.endswith(f"{E1}\n\n{E2}")
    shots = {}
    for width, label in ((1280, "desktop"), (390, "phone")):
        browser.set_window_size(width, 1400)
        for scheme in ("light", "dark"):
            color_scheme(browser, scheme)
            background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
            assert (background == "rgb(255, 255, 255)") == (scheme == "light"), background
            shots[(label, scheme)] = save_screenshot(browser, f"serve-page-{label}-{scheme}.png", tmp_path)
    # At phone width nothing is wider than the screen.
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert all(path.stat().st_size > 5000 for path in shots.values())


def test_errors_speak_to_a_reader(server, keyed, browser, tiny_models, workdir, conversion_cache):
    # Too large for this server (--max-bytes 65536): said in a reader's units, before anything is sent.
    browser.get(server.url + "/tsum/")
    browser.execute_script("document.getElementById('text').value = arguments[0];", "Banken hæver renten. " * 5000)
    browser.find_element(by().ID, "submit").click()
    alert = wait(browser, lambda b: b.find_element(by().CSS_SELECTOR, "#result .error"), 10)
    assert alert.text == "The text is 107 KB; this server accepts up to 64 KB."
    # A server that needs a key.
    browser.get(keyed.url + "/")
    browser.find_element(by().ID, "text").send_keys(D1)
    browser.find_element(by().ID, "submit").click()
    alert = wait(browser, lambda b: b.find_element(by().CSS_SELECTOR, "#result .error"), 10)
    assert alert.text == "This server needs an API key: enter it above."
    browser.find_element(by().ID, "api_key").send_keys("wrong")
    browser.find_element(by().ID, "submit").click()
    wait(browser, lambda b: "not accepted" in result_text(b), 30)
    assert result_text(browser) == "The API key was not accepted: check it and try again."
    # A server that went away after the page was loaded.
    with serving(tiny_models, workdir, conversion_cache, "--no-summary") as gone:
        browser.get(gone.url + "/")
    browser.find_element(by().ID, "text").send_keys(D1)
    browser.find_element(by().ID, "submit").click()
    wait(browser, lambda b: "Cannot reach" in result_text(b), 30)
    assert result_text(browser).startswith("Cannot reach the server")


def test_a_word_document_uploaded_from_the_page(server, browser, tmp_path):
    path = tmp_path / "pressemeddelelse.docx"
    path.write_bytes(docx_bytes([D1, D2], heading="Pressemeddelelse"))
    browser.get(server.url + "/tsum/")
    browser.find_element(by().ID, "file").send_keys(str(path))
    assert "pressemeddelelse.docx" in browser.find_element(by().ID, "text").get_attribute("placeholder")
    browser.find_element(by().ID, "summary").click()  # off
    browser.find_element(by().ID, "submit").click()
    wait(browser, lambda b: E2 in result_text(b) or b.find_elements(by().CSS_SELECTOR, "#result .error"))
    assert E2 in result_text(browser), result_text(browser)
    segments = browser.find_elements(by().CSS_SELECTOR, "#result table.segments tbody tr td:first-child")
    assert [cell.text for cell in segments][-2:] == [D1, D2]


def test_a_link_given_on_the_page(server, browser, keyed):
    page = (
        "<!doctype html><html><head><title>Møde i Bruxelles</title></head><body>"
        f"<article><h1>Møde i Bruxelles</h1><p>{D1}</p><p>{D2}</p></article></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            found = self.path == "/nyheder/artikel"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(page)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        browser.get(server.url + "/tsum/")
        link = browser.find_element(by().ID, "url")
        link.send_keys(f"http://127.0.0.1:{site.server_address[1]}/nyheder/artikel")
        browser.find_element(by().ID, "summary").click()  # off
        browser.find_element(by().ID, "submit").click()
        wait(browser, lambda b: E2 in result_text(b) or b.find_elements(by().CSS_SELECTOR, "#result .error"))
        assert E2 in result_text(browser), result_text(browser)
        assert "Møde i Bruxelles" in browser.find_element(by().CSS_SELECTOR, "#result dl.meta").text
    finally:
        site.shutdown()
        site.server_close()
    # A server without --allow-urls offers no link field.
    browser.get(keyed.url + "/")
    assert not browser.find_elements(by().ID, "url")
