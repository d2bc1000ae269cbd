"""News feeds (RSS 2.0, Atom, JSON Feed) and lists of URLs or feeds (OPML, one URL a line).

feedparser reads RSS and Atom (every version, the broken ones included, with its HTML
sanitiser); it is given the fetched bytes, never a URL, so that it fetches nothing itself.
JSON Feed is plain JSON. A feed is told from a page by its content type or its content, never
by the spelling of its URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from translate_summarize.errors import FetchError, InputError, UsageError
from translate_summarize.web.fetch import FetchedPage

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
_XML_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*(?:<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_JSON_FEED = "https://jsonfeed.org/version/"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    key: str
    """The item's GUID (RSS guid, Atom id, JSON Feed id), else its link: what resume keys on."""
    link: str | None
    title: str = ""
    published: datetime | None = None
    author: str = ""
    content: str = ""
    """The item's own content (HTML): the whole article, or a teaser."""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    items: list[FeedItem] = field(default_factory=list)


def _json_feed(text: str | None) -> dict | None:
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return data if isinstance(version, str) and version.startswith(_JSON_FEED) else None


def looks_like_feed(page: FetchedPage) -> bool:
    """Whether a fetched page is a feed: a feed content type, or RSS/Atom/JSON Feed content."""
    if page.content_type in FEED_TYPES:
        return True
    if page.content_type in ("text/html", "application/xhtml+xml"):
        return False
    text = page.text or ""
    return bool(_XML_FEED_START.match(text[:4096])) or _json_feed(text) is not None


def _date(value) -> datetime | None:
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if value is not None:  # feedparser's time.struct_time, in UTC
        return datetime(*value[:6], tzinfo=UTC)
    return None


def parse_date(value: str) -> datetime:
    """``--since DATE``: an ISO date or date and time (UTC unless it says).

    Raises:
        UsageError: not an ISO date.
    """
    parsed = _date(value)
    if parsed is None:
        raise UsageError(f"--since {value!r} is not a date: pass an ISO date such as 2026-12-01 or 2026-12-01T08:00")
    return parsed


def parse_feed(page: FetchedPage) -> Feed:
    """The items of a fetched feed, in the feed's order.

    Raises:
        FetchError: the feed is malformed or holds no items.
    """
    data = _json_feed(page.text)
    feed = _parse_json_feed(page.url, data) if data is not None else _parse_xml_feed(page)
    if not feed.items:
        raise FetchError(f"the feed {page.url} holds no items", page.status)
    return feed


def _parse_json_feed(url: str, data: dict) -> Feed:
    items = []
    for entry in data.get("items") or []:
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") if isinstance(entry.get("url"), str) else None
        key = str(entry.get("id") or link or "")
        if not key:
            continue
        authors = entry.get("authors") or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
        author = ", ".join(a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str))
        content = entry.get("content_html") or ""
        if not content and isinstance(entry.get("content_text"), str):
            content = "".join(f"<p>{_escape(p)}</p>" for p in entry["content_text"].split("\n\n"))
        items.append(
            FeedItem(
                key,
                link,
                str(entry.get("title") or ""),
                _date(entry.get("date_published")),
                author,
                content if isinstance(content, str) else "",
            )
        )
    return Feed(url, str(data.get("title") or ""), items)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _parse_xml_feed(page: FetchedPage) -> Feed:
    import feedparser

    parsed = feedparser.parse(page.content)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise FetchError(f"the feed {page.url} is malformed ({reason}): tsum could not read its items", page.status)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        key = entry.get("id") or link
        if not key:
            continue
        contents = entry.get("content") or []
        content = max((c.get("value", "") for c in contents), key=len, default="")
        items.append(
            FeedItem(
                key,
                link,
                entry.get("title", ""),
                _date(entry.get("published_parsed") or entry.get("updated_parsed")),
                entry.get("author", ""),
                content or entry.get("summary", ""),
            )
        )
    return Feed(page.url, parsed.feed.get("title", ""), items)


def select_items(items: list[FeedItem], since: datetime | None, max_items: int | None) -> list[FeedItem]:
    """The items a run takes: published on or after ``since`` (undated ones kept), at most ``max_items``."""
    kept = [item for item in items if since is None or item.published is None or item.published >= since]
    return kept[:max_items] if max_items is not None else kept


def item_article_text(item: FeedItem, min_words: int) -> str | None:
    """The item as tsum's article text when its own content is the whole article (at least
    ``min_words`` words), else None (the article is fetched from its link)."""
    from translate_summarize.text.html import fragment_to_text

    if not item.content.strip():
        return None
    try:
        body = fragment_to_text(item.content, item.key)
    except InputError:
        return None
    if len(body.split()) < min_words and item.link:
        return None
    fields = {
        "title": item.title,
        "date": item.published.isoformat() if item.published else "",
        "author": item.author,
        "url": item.link or "",
    }
    header = "".join(f"{key}: {' '.join(value.split())}\n" for key, value in fields.items() if value.strip())
    return header + "\n" + body


def is_url_list(text: str) -> bool:
    """Whether a file's text is a list of URLs (one a line; blank lines and ``#`` comments
    allowed) or an OPML file."""
    if re.match(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<opml[\s>]", text[:4096], re.IGNORECASE | re.DOTALL):
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and all(_URL.match(line) for line in lines)


def read_url_list(text: str, name: str) -> list[str]:
    """The URLs of a list file: OPML (feed readers' export: every ``xmlUrl``) or one URL a line.

    Raises:
        InputError: neither, or an OPML file that cannot be parsed or lists no feed.
    """
    if not is_url_list(text):
        raise InputError(f"{name} is not a list of URLs (one http(s) URL a line) or an OPML file of feeds")
    if not text.lstrip().startswith("<"):
        lines = [line.strip() for line in text.splitlines()]
        return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))
    from lxml import etree

    # No entities, no network: an OPML file is data, not a program.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name} is not well-formed OPML ({exc})") from None
    urls = [url.strip() for url in root.xpath("//outline/@xmlUrl") if url.strip()]
    if not urls:
        raise InputError(f"{name} is an OPML file that lists no feeds (no outline with an xmlUrl)")
    return list(dict.fromkeys(urls))
