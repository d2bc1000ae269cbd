"""Legacy encodings, UTF-16/32 and mixed files decode to Danish."""

from __future__ import annotations

import json

import pytest
from support.cli import tsum

from translate_summarize.text.reading import checked_text, decode_bytes

# -- encodings --------------------------------------------------------------------------------------

DANISH = "Færgen til Ærø sejlede på grund. Ø-boerne var rystede, siger Søren Åberg.\nVåbenkontrol og æbler.\n"


@pytest.mark.parametrize("codec", ["cp850", "mac_roman", "cp1252", "latin_1"])
def test_short_legacy_files_decode_to_danish(codec):
    # charset-normalizer read this cp850 text as cp1252: "Fërgen til írõ"
    assert decode_bytes(DANISH.encode(codec)) == DANISH


LEGACY_TEXTS = [
    "„Det er godt“ – sagde han. “Hello” – he said… 5 €",  # no æøå: quotes and dashes decide
    "Æbler og pærer – og så “øl” til 25 kr.",
    "Vi så en café i København – det var “fint”.",
    "Müller kom fra Österreich og så på åen.",
]


def holds(codec: str, text: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


LEGACY_CASES = [
    pytest.param(codec, text, id=f"{name}-{codec}")
    for name, text in zip(["quotes-only", "aeblerne", "cafe", "umlauts"], LEGACY_TEXTS)
    for codec in ["cp1252", "latin_1", "cp850", "mac_roman", "iso8859_15"]
    if holds(codec, text)  # a code page without “ or – cannot have written the text
]


@pytest.mark.parametrize(("codec", "text"), LEGACY_CASES)
def test_legacy_code_pages_with_typography_and_few_danish_letters(codec, text):
    assert decode_bytes((text + "\n").encode(codec)) == text + "\n"


def test_iso_8859_15_euro_sign():
    text = "Æblerne koster 5 € kiloet i år, siger grønthandleren på Østerbro.\n"
    assert decode_bytes(text.encode("iso8859_15")) == text


def test_utf8_with_a_few_invalid_bytes_keeps_its_utf8():
    data = DANISH.encode("utf-8")
    damaged = data[:20] + b"\xff\xfe" + data[20:]
    assert decode_bytes(damaged) == DANISH  # was: "encoding could not be detected" (exit 2)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-32"])
def test_utf32_with_and_without_bom(codec):
    assert decode_bytes(DANISH.encode(codec)) == DANISH  # was: "looks like a binary file"


def test_cp1252_line_in_utf8_file_and_utf16_stdin(model_args):
    mixed = DANISH.encode("utf-8") + "Nyt fra Ålborg: rådhuset brænder.\n".encode("cp1252")
    assert checked_text(decode_bytes(mixed)).endswith("Ålborg: rådhuset brænder.\n")
    result = tsum("-", *model_args, "--no-summary", "--format", "json", input=DANISH.encode("utf-16-be"))
    assert result.exit_code == 0 and json.loads(result.stdout)["segments"][0]["source"].startswith("Færgen")


def test_single_json_file_with_a_line_separator_in_a_string_reads(model_args, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"title": "Vejret i dag", "maintext": "Storm i nat.\u2028Regn i morgen."}, ensure_ascii=False)
    )
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [s["source"] for s in json.loads(result.stdout)["segments"]] == [
        "Vejret i dag",
        "Storm i nat.",
        "Regn i morgen.",
    ]
