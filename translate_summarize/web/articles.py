"""A fetched page -> tsum's article text, by what the page holds; and output names for URLs.

The kind comes from the content type, then from the content (documents by their first bytes,
web pages by their markup); the URL's spelling never decides. The article's header gets the
URL it was fetched from (after redirects) as its ``url`` field, so every output names it.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

from translate_summarize.errors import FetchError
from translate_summarize.text.documents import DOCUMENT_TYPES, document_kind, document_to_text
from translate_summarize.text.html import html_to_text, looks_like_html
from translate_summarize.web.fetch import FetchedPage

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NAME_PART = re.compile(r"[^\w.-]+")  # letters of any script (æ, ø, å) stay


def with_url(text: str, url: str) -> str:
    """``text`` (``key: value`` header lines, a blank line, the body) with ``url: URL`` as its url field."""
    header, _, body = text.partition("\n\n") if not text.startswith("\n") else ("", "", text[1:])
    lines = [line for line in header.splitlines() if not re.match(r"\s*(?:url|link)\s*:", line, re.IGNORECASE)]
    return "\n".join([*lines, f"url: {url}"]) + "\n\n" + body


def page_article(page: FetchedPage) -> tuple[str, str]:
    """(article text, kind for ``parse_input``: ``"text"`` or ``"markdown"``) of a fetched page.

    Raises:
        FetchError: a content type tsum has no reader for (an image, a video, a zip...).
        InputError: the page or document holds no article text.
    """
    name = page.url
    kind = DOCUMENT_TYPES.get(page.content_type) or document_kind(name, page.content)
    if kind:
        return with_url(document_to_text(page.content, name), page.url), "markdown"
    if page.text is not None and (page.content_type in _HTML_TYPES or looks_like_html(page.text)):
        return with_url(html_to_text(page.text, name), page.url), "text"
    if page.text is not None and page.content_type in ("text/plain", ""):
        return with_url(page.text if "\n\n" in page.text else "\n" + page.text, page.url), "text"
    raise FetchError(
        f"{page.url} is {page.content_type or 'of no stated type'}, which tsum cannot read as an article: "
        "pass a web page, a feed, or a .docx, .odt or .pdf document",
        page.status,
    )


def url_output_name(url: str) -> str:
    """An output name (no extension) for a URL: its host, then its path
    (``https://www.dr.dk/nyheder/indland/a-b`` -> ``www.dr.dk/nyheder/indland/a-b``); a query
    adds 8 hex digits of its hash, so that ``?id=1`` and ``?id=2`` differ."""
    parts = urlsplit(url)
    host = _safe_part(parts.hostname or "host") + (f"_{parts.port}" if parts.port else "")
    segments = [_safe_part(unquote(segment)) for segment in parts.path.split("/") if segment.strip()]
    segments = [segment for segment in segments if segment] or ["index"]
    if parts.query:
        segments[-1] += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    return "/".join([host, *segments])


def _safe_part(text: str) -> str:
    part = _NAME_PART.sub("_", text).strip("._")[:100]
    return part or "_"
