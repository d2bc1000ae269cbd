"""Saved web pages -> article text: headline, body paragraphs and metadata.

Extraction uses trafilatura (maintained, built and evaluated for news pages) rather than
hand-written HTML rules: it finds the article body and leaves out menus, cookie banners,
share buttons, related-article boxes, most-read lists, footers, scripts and styles. tsum adds
only a filter for the lines Danish sites put between paragraphs: "Læs også: ..." teasers, ad
labels ("ANNONCE", "Artiklen fortsætter under annoncen"), photo credits, bylines, time stamps.
trafilatura is imported when a page is read, never at start-up.
"""

from __future__ import annotations

import logging
import re

from translate_summarize.errors import InputError, MissingExtraError
from translate_summarize.util.spacing import one_line


def optional_module(name: str, purpose: str):
    """Import ``name``, or raise one error naming the module to install (never an ImportError
    traceback; in a folder run the article gets a failed record and the others go on).

    Raises:
        MissingExtraError: the module, or one it needs, is not installed.
    """
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = exc.name or name
        raise MissingExtraError(
            f"{purpose} needs the Python module {missing}, which is not installed or cannot be imported "
            f"({exc}): install it (pip install {missing.split('.')[0].replace('_', '-')}) and run again"
        ) from None


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)
# Teasers for other articles that sites put inside the article body, one per line.
_TEASER = re.compile(
    r"^\s*(?:(?:læs|se|hør|lyt|tjek) også|læs mere|mest læste|relaterede artikler|del artiklen|artiklen fortsætter"
    r"|tilmeld dig (?:vores |\w+s )?nyhedsbrev)\b",
    re.IGNORECASE,
)
# Short lines that are page furniture, not prose: ad labels, photo credits, bylines, time stamps.
_FURNITURE = re.compile(
    r"^\s*(?:(?:annonce|reklame|sponsoreret(?: indhold)?)\W*$"
    r"|(?:foto|billede|grafik|illustration|video)\s*:"
    r"|(?:opdateret|publiceret|udgivet)\b[\s\d.:/,-]*(?:kl\.|\d|i (?:dag|går)|[a-zæøå]+\s+\d{4}))",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*Af [A-ZÆØÅ][\w.-]*(?: [A-ZÆØÅ][\w.-]*){0,4}(?:(?:,| og) [A-ZÆØÅ][\w.-]*(?: [A-ZÆØÅ][\w.-]*){0,4})*\s*$"
)
_FURNITURE_MAX = 100


def _is_furniture(line: str) -> bool:
    """A line inside the body that is no part of the article (a teaser, an ad label, a credit)."""
    if _TEASER.match(line):
        return True
    return len(line) <= _FURNITURE_MAX and bool(_FURNITURE.match(line) or _BYLINE.match(line))


# Subtrees that are never article text, whatever the extractor thinks of them.
_PRUNE = (
    "//*[contains(@class,'cookie') or contains(@id,'cookie') or contains(@class,'consent')"
    " or contains(@class,'share') or contains(@class,'related') or contains(@class,'most-read')"
    " or contains(@class,'newsletter')]"
)

_FRAGMENT = re.compile(
    r"^\s*<(?:p|div|article|section|main|header|h[1-6]|figure|span|ul|ol|li|table|blockquote|br|strong|b|em|i|a)"
    r"[\s/>]",
    re.IGNORECASE,
)
_BLOCKS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "td",
        "th",
        "dd",
        "dt",
        "figcaption",
        "div",
        "section",
        "article",
    ]
)


def looks_like_html_fragment(text: str) -> bool:
    """True for article text stored as HTML markup in an archive (``<p>...</p><p>...</p>``)."""
    return bool(_FRAGMENT.match(text[:4096])) or text.count("</p>") >= 2


def fragment_to_text(html: str, name: str = "input") -> str:
    """The text of an HTML fragment that is the article itself (an archive's ``text`` field),
    one paragraph per block element. No boilerplate removal: trafilatura, made for whole
    pages, drops short fragments. lxml (trafilatura's own parser) reads the markup.

    Raises:
        InputError: the fragment holds no text.
    """
    lxml_html = optional_module("lxml.html", "reading HTML")

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise InputError(f"{name}: its HTML could not be read ({exc})") from exc
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.lower() not in _BLOCKS:
            continue
        if any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in element.iterdescendants()):
            # a container: only its own loose text (text and tails around its blocks)
            parts = [element.text or ""] + [c.tail or "" for c in element if isinstance(c.tag, str)]
            loose = one_line(" ".join(parts))
            if loose:
                paragraphs.append(loose)
            continue
        text = "\n".join(one_line(line) for line in element.text_content().split("\n"))
        if text.strip():
            paragraphs.append(text.strip())
    if not paragraphs and one_line(root.text_content()):
        paragraphs = [one_line(root.text_content())]
    if not paragraphs:
        raise InputError(f"{name} holds no article text: its HTML has no text")
    return "\n\n".join(paragraphs) + "\n"


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document (for stdin and unknown file types)."""
    return bool(_SNIFF.match(text[:4096]))


def _visible_lead(html: str, description: str, paragraphs: list[str]) -> str:
    """The article's lead ("manchet") when trafilatura left it out, else "".

    Sites often put the lead outside the body container that trafilatura picks. It is the
    page's description (``og:description``/``description``) when that also stands in the page
    as visible text (between tags) and the extracted body does not already hold it.
    """
    if len(description.split()) < 6 or not description.endswith((".", "!", "?", '"', "”")):
        return ""
    body = one_line(" ".join(paragraphs))
    if description[:60] in body:
        return ""
    pattern = r">\s*" + re.escape(description[:60]).replace(r"\ ", r"\s+")  # any white space between words
    visible = re.search(pattern, html)
    return description if visible else ""


_JSON_LD = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)


def _json_ld_body(html: str) -> str:
    """The ``articleBody`` of the page's schema.org article (JSON-LD), else "".

    Pages built by scripts (the saved HTML is an empty shell) often still describe the article
    for search engines: ``{"@type": "NewsArticle", "articleBody": "..."}``, maybe in a ``@graph``.
    """
    import json

    found = []

    def visit(node) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            body = node.get("articleBody")
            if isinstance(body, str) and any(isinstance(k, str) and k.endswith(("Article", "Posting")) for k in kinds):
                found.append(body)
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                visit(node.get(key))

    for block in _JSON_LD.findall(html):
        try:
            visit(json.loads(block.strip(), strict=False))
        except ValueError:
            continue
    return max(found, key=len, default="")


# libxml2's HTML parser (under lxml and trafilatura) stops descending at this depth and drops
# what lies deeper: a page nested so deep loses its text, and tsum says so rather than guess why.
_LXML_MAX_DEPTH = 256


def _nested_too_deep(html: str) -> bool:
    """Whether the parsed page reaches libxml2's depth limit (one linear walk of the tree)."""
    lxml_html = optional_module("lxml.html", "reading HTML")
    try:
        root = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return False
    depth = deepest = 0
    for event, _ in lxml_html.etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest >= _LXML_MAX_DEPTH


def html_to_text(html: str, name: str = "input") -> str:
    """The article in a saved page as tsum's text format.

    Returns leading ``key: value`` metadata lines (title, date, author, url, source) and then
    the body, one paragraph per block. The title is the headline: ``parse_article`` makes it
    the first segment.

    Raises:
        InputError: the page holds no article text.
    """
    trafilatura = optional_module("trafilatura", "reading web pages")

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
        # Dates from the page's metadata and markup only: htmldate's extensive search guesses
        # one from any year in the text ("LIVE: Folketingsvalget 2022" -> 2022-01-01).
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(document, "text", None) or ""
    paragraphs = [one_line(line) for line in body.splitlines()]
    paragraphs = [p for p in paragraphs if p and not _is_furniture(p)]
    if not paragraphs:  # a page whose text is drawn by scripts may still carry it in its JSON-LD
        paragraphs = [p for p in map(one_line, _json_ld_body(html).splitlines()) if p and not _is_furniture(p)]
    if not paragraphs and _nested_too_deep(html):
        raise InputError(
            f"{name} nests its HTML elements {_LXML_MAX_DEPTH} levels deep or more, deeper than tsum's HTML "
            "reader (lxml) follows, so its text cannot be found: paste the article's text into a .txt file"
        )
    if not paragraphs:
        raise InputError(
            f"{name} holds no article text that tsum can find (menus, links and scripts only?): "
            "save the article's own page, or paste its text into a .txt file"
        )
    if document is None:  # no body found, text from JSON-LD: the page's metadata still counts
        document = trafilatura.extract_metadata(html, extensive=False)
    lead = _visible_lead(html, one_line(getattr(document, "description", None)), paragraphs)
    if lead:
        paragraphs.insert(0, lead)
    fields = {
        key: one_line(getattr(document, attribute, None))
        for key, attribute in (
            ("title", "title"),
            ("date", "date"),
            ("author", "author"),
            ("url", "url"),
            ("source", "sitename"),
        )
    }
    header = "".join(f"{key}: {value}\n" for key, value in fields.items() if value)
    return header + "\n" + "\n\n".join(paragraphs) + "\n"
