"""Bytes -> clean Unicode text.

Encoding detection uses charset-normalizer (maintained, pure Python, the detector requests
uses) instead of hand-written heuristics: Danish news archives hold UTF-8, UTF-16 and
cp1252/latin-1 files side by side.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata

from translate_summarize.errors import InputError
from translate_summarize.io import read_input_bytes, read_limited

# An article larger than this is almost certainly not an article (a dump, a binary).
MAX_ARTICLE_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings a Danish file may be in, tried in this order when UTF-8 fails.
_DANISH_LEGACY = ("cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman")
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode an article's bytes, detecting BOMs, UTF-8 and legacy Danish encodings.

    Raises:
        InputError: empty, binary, too large or undecodable input.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {len(data) / 1e6:.1f} MB, over the {MAX_ARTICLE_BYTES // 2**20} MiB "
            "limit for one article: split it into articles"
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from exc
    if _looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not text: pass a plain-text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_DANISH_LEGACY)).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name} is not UTF-8 and its encoding could not be detected: save it as UTF-8 and try again")
    return str(best)


def clean_text(text: str) -> str:
    """Normalise newlines and Unicode (NFC), drop control and format characters."""
    text = _NEWLINES.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    # Cc (controls), Cf (soft hyphens, zero-width and bidi marks), Cs (lone surrogates),
    # Co (private use) and Cn (unassigned) carry nothing to translate.
    return "".join(ch for ch in text if ch == "\n" or not unicodedata.category(ch).startswith("C"))


def read_article(path: str | os.PathLike, regular_only: bool = False) -> str:
    """Read and clean one article file; ``-`` is not handled here (see :func:`read_stdin`).

    At most ``MAX_ARTICLE_BYTES + 1`` bytes are read whatever the file is (a device or a FIFO
    reports no size), so memory stays bounded. Folder runs pass ``regular_only`` so that only
    regular files are ever opened.

    Raises:
        InputError: missing, unreadable, empty, binary, undecodable or huge files.
    """
    data = read_input_bytes(path, MAX_ARTICLE_BYTES, regular_only)
    return checked_text(decode_bytes(data, str(path)), str(path))


def read_stdin() -> str:
    """Read and clean an article from standard input (at most ``MAX_ARTICLE_BYTES + 1`` bytes).

    Raises:
        InputError: standard input is closed, or holds no article (see :func:`read_article`).
    """
    name = "standard input"
    if sys.stdin is None:
        raise InputError("standard input is closed: pipe an article in, or pass a file name")
    try:
        data = read_limited(sys.stdin.buffer, MAX_ARTICLE_BYTES, name)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {name} ({exc}): pipe an article in, or pass a file name") from exc
    return checked_text(decode_bytes(data, name), name)


def checked_text(text: str, name: str = "input") -> str:
    """Clean text and refuse it when nothing translatable is left."""
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{name} is empty: there is nothing to translate")
    if not any(ch.isalnum() for ch in text):
        raise InputError(f"{name} contains no letters or digits: there is nothing to translate")
    return text
