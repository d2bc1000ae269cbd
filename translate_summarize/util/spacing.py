"""Whitespace in text read from documents, pages and archives: two meanings, one function each."""

from __future__ import annotations

import re

_HORIZONTAL = re.compile(r"[ \t\u00a0]+")
_ANY = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """``text`` with each run of spaces, tabs and no-break spaces as one space, stripped; line
    breaks are kept (a paragraph read from a document or a PDF page)."""
    return _HORIZONTAL.sub(" ", str(text)).strip()


def one_line(value) -> str:
    """A metadata value as one line: any whitespace run is one space, a list is joined with
    "; ", a JSON-LD style ``{"name": ...}`` object is its name, and any other object (or None)
    is left out, never shown as its Python repr."""
    if isinstance(value, dict):
        value = value.get("name") if isinstance(value.get("name"), (str, int, float)) else None
    if isinstance(value, (list, tuple)):
        value = "; ".join(part for part in (one_line(v) for v in value) if part)
    return _ANY.sub(" ", str(value)).strip() if value is not None else ""
