"""Bytes -> clean text: encodings, normalisation and refusals."""

from __future__ import annotations

import codecs

import pytest
from support.common import EXAMPLE

from translate_summarize.errors import InputError
from translate_summarize.text.reading import checked_text, clean_text, decode_bytes, read_article
from translate_summarize.text.segment import parse_article

DANISH = "Ærø og Østjylland får nye broer, siger Søren Ågård.\n\nPrisen er 1.000 kr. pr. år."


@pytest.mark.parametrize(
    "data",
    [
        DANISH.encode("utf-8"),
        codecs.BOM_UTF8 + DANISH.encode("utf-8"),
        DANISH.encode("utf-16"),  # with BOM
        DANISH.encode("cp1252"),
        DANISH.encode("latin-1"),
        DANISH.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1252", "latin1", "cp1252-crlf"],
)
def test_encodings_decode_to_the_same_text(data):
    assert clean_text(decode_bytes(data)) == DANISH


def test_cp1252_article_gives_the_same_segments_as_its_utf8_twin(tmp_path):
    source = EXAMPLE.read_text(encoding="utf-8")
    utf8, legacy = tmp_path / "utf8.txt", tmp_path / "cp1252.txt"
    utf8.write_bytes(source.encode("utf-8"))
    legacy.write_bytes(source.encode("cp1252"))
    a, b = parse_article(read_article(utf8)), parse_article(read_article(legacy))
    assert a.segments == b.segments and a.metadata == b.metadata
    assert any("våbenkontrol" in s.source for s in b.segments)


def test_clean_text_normalises_unicode_newlines_and_controls():
    decomposed = "A\u030angstr\u00f8m"  # Å as A + combining ring
    text = clean_text(f"{decomposed}\r\nlinje\rtre\x07\u00adord\u200b\ttab")
    assert text == "Ångstrøm\nlinje\ntreord tab"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n\t  \n", "is empty"),
        (b"\x00\x01\x02binary\x00data" * 20, "binary"),
        (b"...\n---\n", "no letters"),
    ],
)
def test_bad_inputs_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_article(path)


def test_missing_and_directory_inputs(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_huge_input_is_refused(tmp_path, monkeypatch):
    import translate_summarize.text.reading as reading

    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("Det er en lang tekst. " * 10)
    with pytest.raises(InputError, match="limit"):
        read_article(path)


def test_a_file_is_size_checked_once_while_read_and_bytes_once_when_decoded(tmp_path, monkeypatch):
    import translate_summarize.text.reading as reading

    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 100)
    checked = []
    real_size_error = reading.size_error
    monkeypatch.setattr(reading, "size_error", lambda *args: checked.append(args) or real_size_error(*args))
    path = tmp_path / "edge.txt"
    path.write_bytes(b"Det er en tekst. " * 5 + b"Slut." + b" " * 10)  # exactly the limit
    assert len(path.read_bytes()) == 100 and read_article(path).startswith("Det er")
    path.write_bytes(path.read_bytes() + b"!")
    with pytest.raises(InputError, match=r"edge.txt is over the 0 MiB limit"):  # the bounded read's error
        read_article(path)
    assert checked == []  # the bytes read were never checked a second time
    with pytest.raises(InputError, match=r"0.0 MiB, over the 0 MiB limit"):
        decode_bytes(path.read_bytes(), "edge.txt")  # bytes from elsewhere (archives): checked here
    assert checked == [("edge.txt", 101)]


def test_checked_text_keeps_danish_letters():
    assert checked_text(" æøå ÆØÅ ") == " æøå ÆØÅ "
