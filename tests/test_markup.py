"""text/markup.py: HTML translated in place, markup kept (LibreTranslate's format "html")."""

from __future__ import annotations

import pytest

from translate_summarize.text.markup import translate_markup


def upper(texts: list[str]) -> list[str]:
    return [text.upper() for text in texts]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<b>Banken hæver renten.</b>", "<b>BANKEN HÆVER RENTEN.</b>"),
        ("uden tags", "UDEN TAGS"),
        ('Før <i class="x" title="Hej">kursiv</i> efter', 'FØR <i class="x" title="Hej">KURSIV</i> EFTER'),
        ("a &amp; b &lt;c&gt;", "A &amp; B &lt;C&gt;"),
        ("<p>x&nbsp;y</p>", "<p>X&nbsp;Y</p>"),
        ("<!-- note --><p>tekst</p>", "<!-- note --><p>TEKST</p>"),
        ("<script>var a = 'tekst';</script><style>p{}</style>", "<script>var a = 'tekst';</script><style>p{}</style>"),
        ("<pre>kode</pre><code>kode</code> og", "<pre>kode</pre><code>kode</code> OG"),
        ("<p>  mellemrum  </p>", "<p>  MELLEMRUM  </p>"),
        ("<p>🙂 ...</p>", "<p>🙂 ...</p>"),
        ('<a href="/x?a=1&amp;b=2">link</a>', '<a href="/x?a=1&amp;b=2">LINK</a>'),
    ],
)
def test_markup_kept_text_translated(html, expected):
    assert translate_markup(html, upper) == expected


def test_a_whole_document_keeps_its_doctype_and_head():
    page = "<!DOCTYPE html><html><head><title>Titel</title></head><body><p>Et afsnit.</p></body></html>"
    assert translate_markup(page, upper) == (
        "<!DOCTYPE html>\n<html><head><title>TITEL</title></head><body><p>ET AFSNIT.</p></body></html>"
    )


def test_all_text_nodes_go_in_one_call():
    calls = []

    def record(texts):
        calls.append(list(texts))
        return texts

    translate_markup("<p>en</p><p>to <b>tre</b></p>", record)
    assert calls == [["en", "to", "tre"]]
