"""Bytes -> clean Unicode text.

Danish news archives hold UTF-8, UTF-16 and cp1252/latin-1/cp850/Mac Roman files side by
side. General-purpose detectors (charset-normalizer) misread Danish cp850 as cp1252, so tsum
tells the few Danish legacy code pages apart by the Danish letters each decoding yields.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata

from translate_summarize.errors import InputError
from translate_summarize.util.files import read_input_bytes, read_limited

# An article larger than this is almost certainly not an article (a dump, a binary).
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
# Nor is one of more sentences (and headlines) than this, however few bytes it has: a long
# feature has about 1,500, and 20 MiB of news about 210,000 (100 bytes a sentence; 371,000 for
# benchmarks/input_scaling.py's news, whose paragraphs end in a two-word sentence). So the byte
# limit is the one news meets; only pathological shapes (millions of one-word paragraphs) reach
# this one, and they are refused while parsing, before their segments pile up. Translation,
# summary and both outputs of that 20 MiB of news peaked at 748 MB with the tiny test models
# (docs/inputs.md, "Limits for one article").
MAX_ARTICLE_SEGMENTS = 400_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings a Danish file may be in, tried in this order when UTF-8 fails.
_DANISH_LEGACY = ("cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman")
_CLEAN_BLOCK = 1 << 20  # characters of text cleaned at a time (clean_text)
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def _looks_binary(data: bytes) -> bool:
    # One rule wherever it sits: a NUL byte (outside UTF-16/32, decoded before this) means binary
    # data. Dropping a late one silently while refusing an early one would alter the text unseen.
    if b"\x00" in data:
        return True
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def size_error(name: str, size: int) -> InputError:
    """The one error for an input over ``MAX_ARTICLE_BYTES`` (sizes in MiB, like the limit)."""
    return InputError(
        f"{name} is {size / 2**20:.1f} MiB, over the {MAX_ARTICLE_BYTES / 2**20:.0f} MiB limit "
        "for one article: split it into articles"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-16 text, decoded, else None.

    Text in UTF-16 has a zero byte in (nearly) every other position for Latin script, which no
    8-bit text has; charset-normalizer does not look for BOM-less UTF-16, so tsum checks this
    pattern itself and then requires a strict decode.
    """
    if len(data) % 2 or len(data) < 4:
        return None
    sample = data[:8192]
    pairs = len(sample) // 2
    zeros_even = sample[0::2].count(0) / pairs
    zeros_odd = sample[1::2].count(0) / pairs
    for codec, high, low in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if high >= 0.3 and low <= 0.05:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for ch in text[:4096] if ch < " " and ch not in "\t\n\r\f")
            return text if controls <= max(2, len(text[:4096]) // 100) else None
    return None


# Letters a Danish text is full of, typography a cp1252 text has, and characters that a wrong
# code page makes of them (cp1252 reads cp850's "æøå" as "‘›†" and Mac Roman's as "¾¿Œ";
# cp850 reads cp1252's quotes and dashes as "ôöû"; Latin-1 reads them as C1 controls; "¤" is
# where ISO 8859-15 keeps "€").
_DANISH_LETTERS = frozenset("æøåÆØÅ")
_TYPOGRAPHY = frozenset("“”„’–—…€«»é")
_UNLIKELY = frozenset("‘›†¾¿Œ¤¦¬±³²¹µ¶·¸¼½ßðÐþÞ×÷ƒ‡ˆ‰Š‹ŽšžŸôûòùÔÛ") | frozenset(map(chr, range(0x80, 0xA0)))


def _danish_score(text: str) -> int:
    good = sum(2 if ch in _DANISH_LETTERS else 1 for ch in text if ch in _DANISH_LETTERS or ch in _TYPOGRAPHY)
    bad = sum(ch in _UNLIKELY or "\u2500" <= ch <= "\u25ff" for ch in text)
    return good - 3 * bad


def _utf32_without_bom(data: bytes) -> str | None:
    """BOM-less UTF-32 text (three zero bytes in every four for Latin script), decoded, else None."""
    if len(data) % 4 or len(data) < 8:
        return None
    sample = data[:8192]
    quads = len(sample) // 4
    for codec, zero_at in (("utf-32-le", (1, 2, 3)), ("utf-32-be", (0, 1, 2))):
        if all(sample[i::4].count(0) / quads >= 0.95 for i in zero_at):
            try:
                return data.decode(codec) or None
            except UnicodeDecodeError:
                return None
    return None


def _legacy_codec(data: bytes) -> str:
    """The legacy Danish code page of ``data`` (never a Central European one such as cp1250).

    charset-normalizer, asked to choose among these code pages, reads cp850 Danish as cp1252
    ("Fërgen til írõ"), so tsum decodes with each and keeps the one that yields the most Danish
    letters and the fewest characters a wrong code page produces (the first on a tie: cp1252).
    """
    best, best_score = "latin_1", None
    for codec in _DANISH_LEGACY:
        try:
            score = _danish_score(data.decode(codec))
        except UnicodeDecodeError:
            continue
        if best_score is None or score > best_score:
            best, best_score = codec, score
    return best


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_line(line: bytes, codec: str) -> str:
    """A line that is not valid UTF-8: damaged UTF-8 (it holds UTF-8 sequences for letters such
    as "æ") loses its few invalid bytes; any other line is in the legacy code page."""
    if len(_UTF8_SEQUENCE.findall(line)) > line.decode("utf-8", "replace").count("\ufffd"):
        return line.decode("utf-8", "replace").replace("\ufffd", "")
    try:
        return line.decode(codec)
    except UnicodeDecodeError:
        return line.decode("latin_1")  # cp1252 leaves five bytes undefined; latin-1 none


def _decode_mixed(data: bytes, name: str) -> str:
    """UTF-8 lines as UTF-8 and the others in their legacy Danish code page.

    Archives that were appended to over the years mix UTF-8 lines with cp1252 ones; detecting
    one encoding for the whole file turns either half into mojibake ("vĂĽbenkontrol"). A line
    of UTF-8 with a few invalid bytes keeps its UTF-8 and drops those bytes.
    """
    lines = data.splitlines(keepends=True)
    decoded: list[str | None] = []
    legacy: list[bytes] = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
            legacy.append(line)
    codec = _legacy_codec(b"".join(legacy))
    return "".join(text if text is not None else _decode_line(line, codec) for text, line in zip(decoded, lines))


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode an article's bytes: BOMs, UTF-8, UTF-16 without a BOM, legacy Danish code pages.

    A file that is not UTF-8 as a whole is decoded line by line: UTF-8 lines as UTF-8, the
    others in the legacy Danish code page detected from them.

    Raises:
        InputError: empty, binary, too large or undecodable input.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise size_error(name, len(data))
    return _decode(data, name)


def _decode(data: bytes, name: str) -> str:
    """:func:`decode_bytes` without the size check, for bytes that a bounded read already checked."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from exc
    for without_bom in (_utf32_without_bom, _utf16_without_bom):
        text = without_bom(data)
        if text is not None:
            return text
    if _looks_binary(data):
        where = data.find(b"\x00")
        why = f" (a NUL byte at offset {where})" if where >= 0 else ""
        raise InputError(f"{name} looks like a binary file, not text{why}: pass a plain-text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_mixed(data, name)


def clean_text(text: str) -> str:
    """Normalise newlines and Unicode (NFC), drop control and format characters."""
    text = _NEWLINES.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    # Cc (controls), Cf (soft hyphens, zero-width and bidi marks), Cs (lone surrogates),
    # Co (private use) and Cn (unassigned) carry nothing to translate. str.isprintable() (in C)
    # clears most lines at once; only a line that fails it is filtered character by character
    # (filtering every character took ~10 s for 16 MiB). Lines are listed a block at a time: a
    # list of all 8 million lines of 20 MiB of "Ja." and blank lines took 400 MB.
    blocks = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + _CLEAN_BLOCK)
        end = len(text) if end == -1 else end + 1  # the block ends with its line's newline
        blocks.append(
            "\n".join(
                line
                if line.isprintable()
                else "".join(ch for ch in line if not unicodedata.category(ch).startswith("C"))
                for line in text[start:end].split("\n")
            )
        )
        start = end
    return "".join(blocks)


def read_article(path: str | os.PathLike, regular_only: bool = False) -> str:
    """Read and clean one article file; ``-`` is not handled here (see :func:`read_stdin`).

    At most ``MAX_ARTICLE_BYTES + 1`` bytes are read whatever the file is (a device or a FIFO
    reports no size), so memory stays bounded. Folder runs pass ``regular_only`` so that only
    regular files are ever opened.

    Raises:
        InputError: missing, unreadable, empty, binary, undecodable or huge files.
    """
    data = read_input_bytes(path, MAX_ARTICLE_BYTES, regular_only)  # the size check (one, while reading)
    return checked_text(_decode(data, str(path)), str(path))


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
    return checked_text(_decode(data, name), name)  # read_limited checked the size


def checked_text(text: str, name: str = "input") -> str:
    """Clean text and refuse it when nothing translatable is left."""
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{name} is empty: there is nothing to translate")
    if not any(ch.isalnum() for ch in text):
        raise InputError(f"{name} contains no letters or digits: there is nothing to translate")
    return text
