"""File names as text: shown to a person (terminal, log, output header), never obeyed.

Shared by the text/Markdown renderers, the html review pages and every message that names a file.
"""

from __future__ import annotations

import re

# Characters a terminal or a header would act on instead of showing: C0/C1 controls and DEL
# (ESC starts "retitle the window" and "clear the screen" sequences; a newline would start a
# spoofed "Date:" header line), line and paragraph separators, and format characters such as
# the bidi overrides that reorder what follows.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable_name(name: str) -> str:
    """A file name as one line of text that can be written as UTF-8 and that no terminal obeys.

    Python keeps the bytes of a name that is not UTF-8 as lone surrogates (``\\udcff``); they
    cannot be encoded, so each becomes U+FFFD, as a file manager shows such a name. Control,
    separator and bidi characters are written as escapes (``\\x1b``, ``\\n``, ``\\u202e``).
    """
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub(_escape, name)


def printable_line(message: str) -> str:
    """A message for a terminal or log (``Error: ...``, a summary line): the names it quotes are
    shown with :func:`printable_name`'s escapes, so it stays one line that nothing obeys."""
    return printable_name(message)


def json_shown(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters a terminal
    obeys written as ``\\uXXXX`` escapes: json leaves DEL, the C1 controls (a UTF-8 ``CSI``),
    line separators and bidi overrides raw. The JSON decodes to the same value."""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def model_label(model: dict, revision_chars: int | None = None) -> str:
    """``name @ revision`` of a ``models`` record for a header a person reads.

    A local model folder shows by its folder name (``my-model @ local``): its absolute path says
    where one machine keeps it, which a reader of a published output neither needs nor should see.
    The JSON output keeps the full path. ``revision_chars`` shortens a Hub revision (a commit hash).
    """
    name, revision = str(model.get("name")), str(model.get("revision", ""))
    if revision == "local":
        name = name.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] or name
    elif revision_chars:
        revision = revision[:revision_chars]
    return f"{printable_name(name)} @ {revision}"


__all__ = ["json_shown", "model_label", "printable_line", "printable_name"]
