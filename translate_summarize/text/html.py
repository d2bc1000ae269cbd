"""Saved web pages -> article text: headline, body paragraphs and metadata.

Extraction uses trafilatura (maintained, built and evaluated for news pages) rather than
hand-written HTML rules: it finds the article body and leaves out menus, cookie banners,
share buttons, related-article boxes, most-read lists, footers, scripts and styles. tsum adds
only a filter for the inline "Læs også: ..." teaser lines Danish sites put between paragraphs.
trafilatura is imported when a page is read, never at start-up.
"""

from __future__ import annotations

import logging
import re

from translate_summarize.errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)
# Teasers for other articles that sites put inside the article body, one per line.
_TEASER = re.compile(r"^\s*(?:læs også|læs mere|se også|mest læste|relaterede artikler|del artiklen)\b", re.IGNORECASE)
# Subtrees that are never article text, whatever the extractor thinks of them.
_PRUNE = (
    "//*[contains(@class,'cookie') or contains(@id,'cookie') or contains(@class,'consent')"
    " or contains(@class,'share') or contains(@class,'related') or contains(@class,'most-read')"
    " or contains(@class,'newsletter')]"
)
_SPACES = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document (for stdin and unknown file types)."""
    return bool(_SNIFF.match(text[:4096]))


def _one_line(value) -> str:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return _SPACES.sub(" ", str(value or "")).strip()


def html_to_text(html: str, name: str = "input") -> str:
    """The article in a saved page as tsum's text format.

    Returns leading ``key: value`` metadata lines (title, date, author, url, source) and then
    the body, one paragraph per block. The title is the headline: ``parse_article`` makes it
    the first segment.

    Raises:
        InputError: the page holds no article text.
    """
    import trafilatura

    # trafilatura logs "empty tree" and the like as warnings; tsum reports its own error.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        prune_xpath=_PRUNE,
    )
    body = getattr(document, "text", None) or ""
    paragraphs = [_one_line(line) for line in body.splitlines()]
    paragraphs = [p for p in paragraphs if p and not _TEASER.match(p)]
    if not paragraphs:
        raise InputError(
            f"{name} holds no article text that tsum can find (menus, links and scripts only?): "
            "save the article's own page, or paste its text into a .txt file"
        )
    fields = {
        "title": _one_line(document.title),
        "date": _one_line(document.date),
        "author": _one_line(document.author),
        "url": _one_line(document.url),
        "source": _one_line(document.sitename),
    }
    header = "".join(f"{key}: {value}\n" for key, value in fields.items() if value)
    return header + "\n" + "\n\n".join(paragraphs) + "\n"
