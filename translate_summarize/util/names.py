"""File names as text (shared by the text/Markdown renderers and the html review pages)."""

from __future__ import annotations


def printable_name(name: str) -> str:
    """A file name as text that can be written as UTF-8.

    Python keeps the bytes of a name that is not UTF-8 as lone surrogates (``\\udcff``); they
    cannot be encoded, so each becomes U+FFFD, as a file manager shows such a name.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
