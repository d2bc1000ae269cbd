"""Clean input text -> ParsedArticle, by kind of input: plain text, Markdown or a web page.

The kind comes from the file name's extension; without one (standard input, unknown
extensions) a text that starts like an HTML document is read as a web page. The language
guard runs here too, so that every way into tsum (one file, stdin, folders, the library)
judges the article the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import PurePath

from translate_summarize.errors import InputError
from translate_summarize.text.documents import DOCUMENT_SUFFIXES, document_kind, document_to_text
from translate_summarize.text.html import (
    HTML_SUFFIXES,
    fragment_to_text,
    html_to_text,
    looks_like_html,
    looks_like_html_fragment,
)
from translate_summarize.text.language import detect_language, is_translated, other_language_message
from translate_summarize.text.reading import MAX_ARTICLE_SEGMENTS, checked_text, decode_bytes
from translate_summarize.text.segment import ParsedArticle, TooManySegments, parse_article

logger = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")


def input_kind(name: str, text: str) -> str:
    """``"html"``, ``"markdown"``, ``"json"``, ``"jsonl"`` or ``"text"`` for an input called
    ``name`` holding ``text``."""
    suffix = PurePath(name).suffix.lower()
    if suffix in (".json", ".jsonl"):
        return suffix[1:]
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix not in TEXT_SUFFIXES and looks_like_html(text):
        return "html"
    if suffix not in TEXT_SUFFIXES and suffix not in MARKDOWN_SUFFIXES and _looks_like_json_article(text):
        return "json"  # a JSON article on standard input (or in a file without a known extension)
    return "text"


def _looks_like_json_article(text: str) -> bool:
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return False
    import json

    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return False
    except RecursionError:
        return True  # JSON nested too deep: parse_json says so in one line
    return isinstance(data, (dict, list))


def _single_archive_article(text: str, name: str, kind: str) -> tuple[str, str]:
    """The one article of a JSON file run on its own (news-please style or tsum's fields)."""
    from translate_summarize.text.archives import parse_json, parse_jsonl

    articles = parse_json(text, name) if kind == "json" else parse_jsonl(text)
    if len(articles) != 1:
        raise InputError(f"{name} is an archive of {len(articles)} articles: pass -o OUTDIR to write one output each")
    if articles[0].error:
        raise InputError(f"{name}: {articles[0].error}")
    return archive_article_text(articles[0].text, name), "text"


def archive_article_text(text: str, name: str) -> str:
    """An archive article's text (``key: value`` header lines, a blank line, the body) with an
    HTML body made text: a whole page is extracted like a saved page (its metadata fills the
    fields the archive left out), a fragment (``<p>...</p>``) is taken block by block."""
    header, _, body = text.partition("\n\n") if not text.startswith("\n") else ("", "", text[1:])
    if looks_like_html(body):
        extracted = html_to_text(body, name)
        page_header, _, body = (
            extracted.partition("\n\n") if not extracted.startswith("\n") else ("", "", extracted[1:])
        )
        keys = {line.split(":", 1)[0] for line in header.splitlines()}
        header = "\n".join(
            [*header.splitlines(), *(line for line in page_header.splitlines() if line.split(":", 1)[0] not in keys)]
        )
    elif looks_like_html_fragment(body):
        body = fragment_to_text(body, name)
    return (header + "\n" if header else "") + "\n" + body


def _log_warning(message: str) -> None:
    logger.warning("%s", message)


def parse_input(
    text: str,
    name: str = "input",
    other_language: str = "warn",
    warn: Callable[[str], None] = _log_warning,
    kind: str | None = None,
    translation_model: str | None = None,
) -> ParsedArticle:
    """Parse one article as its kind needs and judge its language.

    Args:
        text: the input's decoded text (raw HTML for web pages).
        name: the input's file name (its extension picks the kind) or a label such as
            ``standard input``; error and warning messages start with it.
        other_language: ``warn`` (call ``warn`` and go on) or ``fail`` for articles that
            do not look Danish.
        warn: receives the warning message (without the ``Warning:`` label).
        kind: the kind of input when the caller knows it (else from ``name`` and ``text``):
            ``"archive"`` for one article of a JSON (Lines) archive, whose body may be HTML.
        translation_model: the chosen model; the guard accepts the languages it translates
            (``language.is_translated``; None or a local folder: Danish only).

    Raises:
        InputError: nothing to translate (an empty page, only a header), or ``fail`` and not Danish.
    """
    kind = kind or input_kind(name, text)
    if kind in ("json", "jsonl"):
        text, kind = _single_archive_article(text, name, kind)
    elif kind == "archive":  # an article of an archive in a folder run
        text, kind = archive_article_text(text, name), "text"
    if kind == "html":
        text = html_to_text(text, name)  # trafilatura is imported only here
    try:
        article = parse_article(
            checked_text(text, name), markdown=kind == "markdown", max_segments=MAX_ARTICLE_SEGMENTS
        )
    except TooManySegments:
        raise InputError(
            f"{name} holds more than {MAX_ARTICLE_SEGMENTS:,} sentences and headlines, the limit for one article: "
            "split it into articles"
        ) from None
    if not article.segments:  # one check for the CLI, folder runs, the server and the Python API
        raise InputError(f"{name} holds only a header (date, author...), no text: there is nothing to translate")
    article.source_language = detect_language("\n".join(segment.source for segment in article.segments))
    if not is_translated(article.source_language, translation_model):
        message = other_language_message(name, article.source_language, translation_model)
        if other_language == "fail":
            raise InputError(f"{message} (--other-language fail)")
        warn(message)
    return article


def input_text(data: bytes, name: str = "input") -> tuple[str, str | None]:
    """An input file's bytes as (text, kind for ``parse_input``): a .docx, .odt or .pdf document
    (by its first bytes or its name) as Markdown-marked text (``documents.document_to_text``),
    anything else decoded and cleaned (kind None: from the name and the text).

    Raises:
        InputError: see ``documents.document_to_text`` and ``reading.decode_bytes``.
    """
    if document_kind(name, data) or PurePath(name).suffix.lower() in DOCUMENT_SUFFIXES:
        return document_to_text(data, name), "markdown"
    return checked_text(decode_bytes(data, name), name), None
