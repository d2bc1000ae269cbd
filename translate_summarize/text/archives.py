"""Article archives: JSON Lines (one article object a line) and single-article JSON files.

A ``*.jsonl`` line is ``{"id", "text", "title"?, "date"?, "url"?, "author"?}``. A ``*.json``
file holds one article, either in that shape or news-please style (``title``, ``maintext``,
``date_publish``, ``authors``, ``url``), or a list of article objects. tsum's own outputs
(``results.jsonl``, JSON carrying ``tsum_version``) are never read as articles. Each article
gets an id that is a safe, unique file name. The standard library's json module does the
parsing; a line that does not parse or holds no text becomes an entry with an ``error``
naming its line number, and the other lines go on. One module although over 350 lines: both
formats share the id, field and error rules.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate_summarize.errors import InputError
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, size_error
from translate_summarize.util.spacing import one_line

ARCHIVE_SUFFIXES = (".jsonl", ".json")
RESULTS_NAME = "results.jsonl"
# Field names -> tsum metadata keys, tsum's own names first, then news-please's.
_TEXT_FIELDS = ("text", "maintext", "body", "content")
_METADATA_FIELDS = {
    "title": ("title", "headline"),
    "date": ("date", "date_publish", "published", "publishedAt", "datePublished"),
    "author": ("author", "authors"),
    "url": ("url", "source_url"),
}
_UNSAFE = re.compile(r"[^\w.-]+")
_DOTS = re.compile(r"\.{2,}")
_MAX_ID = 100
# Fields under which exports list their articles when the file is one object.
_WRAPPER_FIELDS = ("articles", "items", "results", "data", "documents", "entries", "posts")
# Python's json module and tsum's field readers recurse once per nesting level.
_TOO_DEEP = "JSON nested too deep for an article (thousands of levels): pass plain article objects"
_JSON_TYPES = {dict: "object", list: "array", bool: "boolean", int: "number", float: "number"}


@dataclass(frozen=True)
class ArchiveArticle:
    """One article of an archive (or the error that took its place)."""

    id: str
    """A safe file name, unique within the archive (case-insensitively)."""
    line: int
    """1-based line number in a JSON Lines file; the article's position in a JSON file."""
    text: str = ""
    """The article as tsum text: leading ``key: value`` metadata lines, then the body."""
    metadata: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    single: bool = False
    """The one article of a JSON file that holds one object (written like a text file's output)."""

    @property
    def sha256(self) -> str:
        """The content hash that decides whether a finished article can be skipped."""
        payload = self.error if self.error is not None else self.text
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES


# Written in the <head> of tsum's review pages (review.py reads it from here: one source).
REVIEW_PAGE_MARK = '<meta name="generator" content="tsum">'
# How every review page starts (review.py writes it): only a page that starts so is tsum's.
REVIEW_PAGE_START = f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{REVIEW_PAGE_MARK}\n'
# The end of a JSON output: "tsum_version" is the top-level object's last key.
_OUTPUT_END = re.compile(rb'"tsum_version"\s*:\s*"(?:[^"\\]|\\.)*"\s*\}\s*\Z')


def is_tsum_output(path: Path) -> bool:
    """Whether ``path`` is one of tsum's own outputs (see :func:`tsum_output_kind`)."""
    return tsum_output_kind(path) is not None


def tsum_output_kind(path: Path) -> str | None:
    """What kind of tsum output ``path`` is, in words, or None for anything else.

    tsum's journal (a ``.jsonl`` whose first line carries ``JOURNAL_MARKER``, which tsum alone
    writes, or a ``results.jsonl`` of records, as tsum wrote them before the marker existed), a JSON output
    (it carries ``tsum_version``) or a review page (its generator mark). A JSON Lines file of
    another name whose records merely have ``input``/``status``/``outputs`` keys (a crawler's
    own log) is an archive of articles like any other.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "tsum's journal of a folder run (results.jsonl)" if _is_journal(path) else None
    if suffix in (".html", ".htm"):
        try:
            with path.open("rb") as handle:
                head = handle.read(len(REVIEW_PAGE_START.encode()) + 3)
        except OSError:
            return None
        # the mark where tsum writes it, opening the page's <head>: an article that merely
        # quotes it (in its body, or as text) is an article
        mark = head.removeprefix(b"\xef\xbb\xbf").startswith(REVIEW_PAGE_START.encode())
        return "a review page written by tsum" if mark else None
    if suffix != ".json":
        return None
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            handle.seek(max(0, size - 4096))
            tail = handle.read()
    except OSError:
        return None
    # tsum writes tsum_version as the last key of its top-level object: the file ends with it
    # and one closing brace. The same key nested in an article's own data (one of many in a
    # list, or inside a metadata object) is followed by more closing brackets: an article.
    found = _OUTPUT_END.search(tail) is not None
    return "a JSON output of tsum (it carries tsum_version)" if found else None


# Every line of results.jsonl carries this field; an article or a crawler's log never does.
JOURNAL_MARKER = "tsum_journal"
JOURNAL_MARKER_VALUE = 1
# A journal written before the marker existed: named results.jsonl, its records have these keys.
_LEGACY_RECORD_FIELDS = frozenset({"input", "status"})


def _is_journal(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            first = handle.readline(1 << 16)
        record = json.loads(first)
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(record, dict):
        return False
    if record.get(JOURNAL_MARKER) == JOURNAL_MARKER_VALUE:
        return True
    # A record as older tsum wrote it: an input name, one of tsum's three statuses, and no article
    # text (a crawler's results.jsonl of {"input": url, "status": 200, "text": ...} is articles).
    return (
        path.name == RESULTS_NAME
        and set(record) >= _LEGACY_RECORD_FIELDS
        and isinstance(record["input"], str)
        and record["status"] in ("ok", "failed", "skipped")
        and not any(key in record for key in _TEXT_FIELDS)
    )


def _body(data: dict) -> tuple[str, str | None]:
    """The article text of an object and, when there is none, why: the first text field that
    holds a string (or a list of strings: paragraphs, joined by blank lines)."""
    wrong = None
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
            value = "\n\n".join(part.strip() for part in value if part.strip())
        if isinstance(value, str) and value.strip():
            return value, None
        if value is not None and not isinstance(value, str) and wrong is None:
            kind = dict if isinstance(value, dict) else type(value)  # (objects are _Object: see _object)
            wrong = f"the {key} field is a JSON {_JSON_TYPES.get(kind, kind.__name__)}, not a string"
    return "", wrong or "no article text (no text or maintext field)"


def safe_id(value, fallback: str) -> str:
    """A file name from an article id: no separators, no ``..``, no control characters."""
    text = unicodedata.normalize("NFC", str(value)) if value is not None else ""
    text = re.sub(r"_{2,}", "_", _DOTS.sub("_", _UNSAFE.sub("_", text))).strip("._-")[:_MAX_ID].rstrip("._-")
    return text or fallback


class _Object(dict):
    """A JSON object that remembers which of its keys appeared more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    # json keeps the last of repeated keys silently: tsum wants to know (see _read_article).
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(dict.fromkeys(key for key, _ in pairs if key in seen or seen.add(key)))
    return result


# The fields tsum reads from an article object: a repeated one makes the article ambiguous.
_READ_FIELDS = frozenset(("id", *_TEXT_FIELDS, *(name for names in _METADATA_FIELDS.values() for name in names)))


class _Ids:
    """Hands out article ids unique within one archive (ignoring case), each in O(1) amortised:
    a repeated id gets the first free ``-2``, ``-3``... suffix, counted on from the last one given
    (searching from ``-2`` each time was quadratic: 20,000 lines of one id took minutes).
    Error entries take their ids here too, so every entry (and so every record) is unique."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def take(self, name: str) -> str:
        folded = name.lower()
        if folded not in self.used:
            self.used.add(folded)
            return name
        n = self.next_suffix.get(folded, 2)
        while f"{folded}-{n}" in self.used:
            n += 1
        self.next_suffix[folded] = n + 1
        self.used.add(f"{folded}-{n}")
        return f"{name}-{n}"


def _article(data, position: int, ids: _Ids, where: str) -> ArchiveArticle:
    """One article object; ``where`` names its place in error messages ("line 7")."""
    try:
        return _read_article(data, position, ids, where)
    except RecursionError:  # a metadata field nested hundreds of lists deep
        return ArchiveArticle(ids.take(f"item-{position}"), position, error=f"{where}: {_TOO_DEEP}")


def _read_article(data, position: int, ids: _Ids, where: str) -> ArchiveArticle:
    fallback = f"line-{position}" if where.startswith("line") else f"item-{position}"
    if not isinstance(data, dict):
        return ArchiveArticle(ids.take(fallback), position, error=f"{where}: not a JSON object")
    if "tsum_version" in data:
        return ArchiveArticle(ids.take(fallback), position, error=f"{where}: a tsum output, not an article")
    body, why = _body(data)
    unique = ids.take(safe_id(data.get("id"), fallback))
    repeated = [key for key in getattr(data, "duplicates", ()) if key in _READ_FIELDS]
    if repeated:  # JSON parsers keep one of the values silently: say so rather than guess
        keys = ", ".join(repeated)
        return ArchiveArticle(
            unique, position, error=f"{where}: the key {keys} appears more than once: keep one value and run again"
        )
    if not body:
        return ArchiveArticle(unique, position, error=f"{where}: {why}")
    if "\x00" in body:  # the rule for text files too: NUL means binary data, never dropped unseen
        return ArchiveArticle(unique, position, error=f"{where}: its text holds a NUL character (binary data?)")
    if len(body) > MAX_ARTICLE_BYTES // 4 and len(body.encode("utf-8")) > MAX_ARTICLE_BYTES:
        return ArchiveArticle(unique, position, error=str(size_error(where, len(body.encode("utf-8")))))
    metadata = {}
    for key, names in _METADATA_FIELDS.items():
        value = next((one_line(data[n]) for n in names if data.get(n)), "")
        if value:
            metadata[key] = value
    header = "".join(f"{key}: {value}\n" for key, value in metadata.items())
    text = header + "\n" + body.strip() + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # JSON may escape half of a UTF-16 pair ("\ud800") on its own: no character, so it can
        # be neither translated nor written; say where rather than drop it unseen.
        return ArchiveArticle(
            unique,
            position,
            error=f"{where}: its text holds \\u{ord(exc.object[exc.start]):04x}, half of a UTF-16 surrogate pair "
            "and no character (a damaged export?): fix that escape and run again",
        )
    return ArchiveArticle(unique, position, text, metadata)


def parse_jsonl(text: str) -> list[ArchiveArticle]:
    """Each non-blank line an article; a bad line an entry with an error naming its number.

    Lines end at ``\\n`` (and ``\\r\\n``) only: JSON strings may hold U+2028, U+0085 and the
    other characters ``str.splitlines`` would also cut at, and line numbers are an editor's.
    """
    articles: list[ArchiveArticle] = []
    ids = _Ids()
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            # strict=False: raw tabs and newlines inside strings
            data = json.loads(line, strict=False, object_pairs_hook=_object)
        except ValueError as exc:
            data = exc
        except RecursionError:
            data = ValueError(_TOO_DEEP)
        if isinstance(data, ValueError):
            error = f"line {number}: not valid JSON ({data})"
            articles.append(ArchiveArticle(ids.take(f"line-{number}"), number, error=error))
        else:
            articles.append(_article(data, number, ids, f"line {number}"))
    return articles


def parse_json(text: str, name: str = "input") -> list[ArchiveArticle]:
    """A single article (tsum or news-please fields) or a list of them.

    Raises:
        InputError: not JSON, a tsum output, or a single object that is no article.
    """
    try:
        data = json.loads(text, strict=False, object_pairs_hook=_object)
    except ValueError as exc:
        raise InputError(f"{name} is not valid JSON ({exc}): pass a JSON article or a JSON Lines archive") from exc
    except RecursionError:
        raise InputError(f"{name} is not an article: {_TOO_DEEP}") from None
    if isinstance(data, dict) and not any(key in data for key in _TEXT_FIELDS):
        # an export wrapping its articles: {"status": "ok", "articles": [...]} (NewsAPI and the like)
        wrapped = [key for key in _WRAPPER_FIELDS if isinstance(data.get(key), list)]
        if len(wrapped) > 1:
            raise InputError(
                f"{name} holds several lists of articles ({', '.join(wrapped)}): tsum cannot tell which to "
                "translate; keep one list (or give each its own file)"
            )
        if len(wrapped) == 1:
            data = data[wrapped[0]]
    if isinstance(data, list):
        ids = _Ids()
        return [_article(item, position, ids, f"item {position}") for position, item in enumerate(data, start=1)]
    if isinstance(data, dict) and "tsum_version" in data:
        raise InputError(f"{name} is a tsum output, not an article")
    if isinstance(data, dict):
        duplicates = getattr(data, "duplicates", ())
        data = _Object({"id": Path(name).stem, **data})
        data.duplicates = duplicates
    article = _article(data, 1, _Ids(), name)
    if (
        article.error
        and not article.text
        and "no article text" not in article.error
        and "field is" not in article.error
    ):
        raise InputError(article.error)  # ambiguous or damaged: its own reason
    if article.error:
        raise InputError(
            f"{name} holds no article: expected text or maintext (and title, date, url, author) fields, "
            "or a list of such objects"
        )
    return [replace(article, single=True)]


def holds_article_list(path: Path) -> bool:
    """Whether the ``.json`` file at ``path`` is an archive (a list of articles, or an export
    wrapping one) rather than one article: it then runs like a ``.jsonl`` archive, one output
    each under -o OUTDIR. Unreadable or invalid files are not (their run says why)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            if head.startswith(b"["):
                return True
            if not head.startswith(b"{") or path.stat().st_size > MAX_ARTICLE_BYTES:
                return False
            handle.seek(0)
            text = handle.read().decode("utf-8-sig")
        articles = parse_json(text, str(path))
    except (OSError, UnicodeDecodeError, InputError):
        return False
    return not (len(articles) == 1 and articles[0].single)


def read_archive(path: Path, text: str) -> list[ArchiveArticle]:
    """The articles of the archive at ``path`` whose decoded content is ``text``."""
    if path.suffix.lower() == ".jsonl":
        return parse_jsonl(text)
    return parse_json(text, str(path))
