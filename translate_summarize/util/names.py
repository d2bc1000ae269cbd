"""File names as text (shared by the text/Markdown renderers and the html review pages)."""

from __future__ import annotations


def printable_name(name: str) -> str:
    """A file name as text that can be written as UTF-8.

    Python keeps the bytes of a name that is not UTF-8 as lone surrogates (``\\udcff``); they
    cannot be encoded, so each becomes U+FFFD, as a file manager shows such a name.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
