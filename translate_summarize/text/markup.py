"""Translate HTML in place: the text between the tags is replaced, the markup stays as it was.

LibreTranslate's ``format: "html"`` contract. lxml (already a dependency, through trafilatura)
parses the fragment or document as browsers do and serialises it back, so tags, attributes and
comments survive; ``<script>``, ``<style>`` and ``<template>`` content is never translated.
Each text node is translated on its own: a sentence split by inline markup
(``<b>Banken</b> hæver renten``) is translated piece by piece, as LibreTranslate does.
"""

from __future__ import annotations

from collections.abc import Callable

UNTRANSLATED = frozenset({"script", "style", "template", "code", "pre", "textarea"})


def _is_document(html: str) -> bool:
    head = html.lstrip()[:200].lower()
    return head.startswith("<!doctype") or head.startswith("<html")


def translate_markup(html: str, translate: Callable[[list[str]], list[str]]) -> str:
    """``html`` with every text node that has letters or digits replaced by its translation.

    Args:
        html: a fragment (``<b>Banken hæver renten.</b>``) or a whole document.
        translate: texts -> translations, called once with all the text nodes.
    """
    import lxml.html
    from lxml import etree

    if _is_document(html):
        root = lxml.html.document_fromstring(html)
    else:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    slots: list[tuple[object, str]] = []  # (element, "text" | "tail")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() not in UNTRANSLATED and element.text:
            slots.append((element, "text"))
        # An element's tail is text of its parent, so it is translated unless the parent is script-like.
        parent = element.getparent()
        if element is not root and element.tail and (parent is None or parent.tag.lower() not in UNTRANSLATED):
            slots.append((element, "tail"))
    wanted = [(element, side) for element, side in slots if any(ch.isalnum() for ch in getattr(element, side))]
    texts = [getattr(element, side) for element, side in wanted]
    translations = translate([text.strip() for text in texts]) if texts else []
    for (element, side), original, translation in zip(wanted, texts, translations):
        # The whitespace around a text node is layout (the space before an inline tag): kept.
        lead = original[: len(original) - len(original.lstrip())]
        trail = original[len(original.rstrip()) :]
        setattr(element, side, lead + translation + trail)
    if _is_document(html):
        doctype = root.getroottree().docinfo.doctype
        body = _nbsp(lxml.html.tostring(root, encoding="unicode", method="html"))
        return f"{doctype}\n{body}" if doctype else body
    # The fragment's children and text, without the wrapper the parser added.
    inner = root.text or ""
    inner = _escape(inner)
    return _nbsp(inner + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _nbsp(html: str) -> str:
    # The parser turns &nbsp; into U+00A0; written back as the entity, it stays visible in the source.
    return html.replace("\xa0", "&nbsp;")
