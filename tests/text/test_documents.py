"""Word, OpenDocument and PDF inputs, and --format docx, with real documents made here.

The .docx files are written with python-docx and the .odt with odfpy; the PDFs are made from
.docx files by LibreOffice (``soffice --headless --convert-to pdf``), so they are real ones:
fonts, text layer, page headers and footers, two columns, and one page that is only a picture.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from support.cli import FAST, records, tsum
from support.common import TRANSLATION_PAIRS

from translate_summarize.errors import InputError
from translate_summarize.text.documents import document_to_text
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.pdf import join_lines

DA = [da for da, _ in TRANSLATION_PAIRS]
EN = [en for _, en in TRANSLATION_PAIRS]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (see .ci/run)")


def press_release(path: Path, table: bool = True) -> Path:
    """A press release: title, paragraphs, a heading, a bulleted list, a bold run, a table."""
    document = docx.Document()
    document.core_properties.author = "Mette Jensen"
    document.add_paragraph(DA[0], style="Title")
    document.add_paragraph(f"{DA[1]} {DA[2]}")
    document.add_heading(DA[3], level=1)
    document.add_paragraph(DA[4], style="List Bullet")
    document.add_paragraph(DA[5], style="List Bullet")
    paragraph = document.add_paragraph("Politiet ")
    paragraph.add_run(DA[6].removeprefix("Politiet ")).bold = True
    if table:
        cells = document.add_table(rows=1, cols=2).rows[0].cells
        cells[0].text, cells[1].text = DA[7], DA[8]
    document.save(path)
    return path


PRESS_TEXT = (
    "author: Mette Jensen\n"
    f"date: {{date}}\n\n# {DA[0]}\n\n{DA[1]} {DA[2]}\n\n# {DA[3]}\n\n- {DA[4]}\n\n- {DA[5]}\n\n{DA[6]}\n\n{DA[7]}\n\n{DA[8]}\n"
)


def _field(run, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def long_release(path: Path) -> Path:
    """Three pages with a running header, page numbers in the footer, and words hyphenated at
    line ends (a line break after the hyphen)."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Pressemeddelelse fra Udenrigsministeriet"
    _field(section.footer.paragraphs[0].add_run(), " PAGE ")
    for number in range(14):
        document.add_paragraph(" ".join(f"Afsnit {number} handler om forhandlingerne i Bruxelles." for _ in range(7)))
    paragraph = document.add_paragraph("Budgettet for udenrigs-")
    paragraph.add_run().add_break()
    paragraph.add_run("ministeriet blev vedtaget af alle EU-")
    paragraph.add_run().add_break()
    paragraph.add_run("landene i går.")
    document.save(path)
    return path


def two_columns(path: Path) -> Path:
    document = docx.Document()
    columns = document.sections[0]._sectPr.xpath("./w:cols")[0]
    columns.set(qn("w:num"), "2")
    columns.set(qn("w:space"), "720")
    number = 0
    for _ in range(10):
        sentences = []
        for _ in range(5):
            number += 1
            sentences.append(f"Dette er sætning nummer {number} i teksten.")
        document.add_paragraph(" ".join(sentences))
    document.save(path)
    return path


def _png(width: int = 64, height: int = 64) -> bytes:
    rows = b"".join(b"\x00" + bytes((x * y) % 256 for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def scanned(path: Path) -> Path:
    """A page that is only a picture, as a scanner makes it: no text layer."""
    image = path.with_suffix(".png")
    image.write_bytes(_png())
    document = docx.Document()
    document.add_picture(str(image))
    document.save(path)
    return path


def press_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=DA[0]))
    document.text.addElement(P(text=f"{DA[1]} {DA[2]}"))
    document.text.addElement(H(outlinelevel=2, text=DA[3]))
    bullets = List()
    for sentence in DA[4:6]:
        item = ListItem()
        item.addElement(P(text=sentence))
        bullets.addElement(item)
    document.text.addElement(bullets)
    document.text.addElement(P(text=DA[6]))
    document.save(str(path))
    return path


def to_pdf(*paths: Path) -> None:
    """LibreOffice converts the files to PDF beside them (one process for all)."""
    folder = paths[0].parent
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=240,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},  # its own profile, never the user's
    )


@pytest.fixture(scope="session")
def documents(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    press_release(folder / "press.docx")
    press_release(folder / "plain.docx", table=False)
    press_odt(folder / "press.odt")
    sources = [long_release(folder / "long.docx"), two_columns(folder / "twocol.docx"), scanned(folder / "scan.docx")]
    if shutil.which("soffice"):
        to_pdf(folder / "plain.docx", *sources)
    return folder


def body(text: str) -> list[str]:
    """The paragraphs after the ``key: value`` header (which may be empty: the text starts with a blank line)."""
    rest = text[1:] if text.startswith("\n") else text.split("\n\n", 1)[1]
    return rest.strip().split("\n\n")


def test_docx_headings_lists_and_tables_keep_their_structure(documents):
    text = document_to_text((documents / "press.docx").read_bytes(), "press.docx")
    created = re.search(r"^date: (.*)$", text, re.MULTILINE).group(1)
    assert text == PRESS_TEXT.format(date=created)


def test_odt_headings_and_lists_keep_their_structure(documents):
    text = document_to_text((documents / "press.odt").read_bytes(), "press.odt")
    assert body(text) == [f"# {DA[0]}", f"{DA[1]} {DA[2]}", f"## {DA[3]}", f"- {DA[4]}", f"- {DA[5]}", DA[6]]


def test_the_markers_stay_out_of_the_model(documents):
    text = document_to_text((documents / "press.docx").read_bytes(), "press.docx")
    article = parse_input(text, "press.docx", kind="markdown")
    assert [segment.source for segment in article.segments] == DA[:9]
    assert [segment.prefix for segment in article.segments][:6] == ["# ", "", "", "# ", "- ", "- "]


@needs_soffice
def test_a_pdf_made_by_libreoffice_reads_like_its_docx(documents):
    text = document_to_text((documents / "plain.pdf").read_bytes(), "plain.pdf")
    assert body(text) == [f"# {DA[0]}", f"{DA[1]} {DA[2]}", f"# {DA[3]}", f"- {DA[4]}", f"- {DA[5]}", DA[6]]
    assert "author: Mette Jensen" in text.split("\n\n")[0]


@needs_soffice
def test_pdf_running_headers_and_page_numbers_are_left_out_and_hyphens_joined(documents):
    text = document_to_text((documents / "long.pdf").read_bytes(), "long.pdf")
    paragraphs = body(text)
    assert "Pressemeddelelse" not in text
    assert not [p for p in paragraphs if re.fullmatch(r"\W*\d+\W*", p)]
    assert len(paragraphs) == 15  # 14 paragraphs over three pages, none cut at a page break
    for number, paragraph in enumerate(paragraphs[:14]):
        assert paragraph == " ".join(f"Afsnit {number} handler om forhandlingerne i Bruxelles." for _ in range(7))
    assert paragraphs[14] == "Budgettet for udenrigsministeriet blev vedtaget af alle EU-landene i går."


@needs_soffice
def test_a_two_column_pdf_is_read_column_by_column(documents):
    text = document_to_text((documents / "twocol.pdf").read_bytes(), "twocol.pdf")
    numbers = [int(n) for n in re.findall(r"nummer (\d+)", text)]
    assert numbers == list(range(1, 51))
    assert len(body(text)) == 10


@needs_soffice
def test_a_pdf_without_a_text_layer_is_refused(documents):
    with pytest.raises(InputError) as caught:
        document_to_text((documents / "scan.pdf").read_bytes(), "scan.pdf")
    assert str(caught.value) == (
        "scan.pdf is a PDF without a text layer (a scanned document?): tsum does no OCR; "
        "run it through OCR software first, or pass the text as a .txt file"
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("x.docx", b"PK\x03\x04 not really a zip", "x.docx cannot be read as a Word document"),
        ("x.docx", b"plain text", "x.docx cannot be read as a Word document"),
        ("x.odt", b"plain text", "x.odt cannot be read as an OpenDocument text"),
        ("x.pdf", b"%PDF-1.4\n garbage", "x.pdf "),
    ],
)
def test_broken_documents_are_one_input_error(name, data, message):
    with pytest.raises(InputError) as caught:
        document_to_text(data, name)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "lines, joined",
    [
        (["udvik-", "lingen går videre"], "udviklingen går videre"),
        (["alle EU-", "landene"], "alle EU-landene"),
        (["første linje", "anden linje"], "første linje anden linje"),
        (["et spørgsmål -", "Nej"], "et spørgsmål - Nej"),
    ],
)
def test_hyphenation_at_line_ends(lines, joined):
    assert join_lines(lines) == joined


# --- the command line ---------------------------------------------------------------------------


def test_a_docx_is_translated_with_its_headings_and_lists(documents, model_args, tmp_path):
    out = tmp_path / "press.md"
    result = tsum(documents / "press.docx", "-o", out, "--format", "markdown", *model_args, *FAST)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert f"# {EN[0]}" in text and f"# {EN[3]}" in text
    assert f"- {EN[4]}\n" in text and f"- {EN[5]}\n" in text
    assert f"{EN[1]} {EN[2]}" in text and EN[8] in text


def test_a_folder_picks_documents_up(documents, model_args, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("press.docx", "press.odt", "plain.pdf"):
        if (documents / name).exists():
            shutil.copy(documents / name, folder / name)
    (folder / "note.txt").write_text(DA[9] + "\n")
    result = tsum(folder, "-o", tmp_path / "out", *model_args, *FAST)
    assert result.exit_code == 0, result.output
    found = records(tmp_path / "out")
    assert {name: record["status"] for name, record in found.items()} == dict.fromkeys(
        [p.name for p in folder.iterdir()], "ok"
    )
    assert EN[6] in (tmp_path / "out" / "press.odt.txt").read_text()


def test_format_docx_needs_a_docx_input(tmp_path, model_args):
    article = tmp_path / "a.txt"
    article.write_text(DA[0] + "\n")
    result = tsum(article, "--format", "docx", "-o", tmp_path / "a.docx", *model_args, *FAST)
    assert result.exit_code == 2
    assert result.output.startswith("Error: --format docx writes the English version of a .docx input into a file")
    assert not (tmp_path / "a.docx").exists()


@needs_soffice
def test_format_docx_keeps_styles_and_opens_in_libreoffice(documents, model_args, tmp_path):
    out = tmp_path / "press.en.docx"
    args = [documents / "press.docx", "--format", "docx", "-o", out, *model_args]
    result = tsum(*args, "--compute-type", "float32", "--beam-size", "1", "--quiet")
    assert result.exit_code == 0, result.output
    source, english = docx.Document(documents / "press.docx"), docx.Document(out)
    # The summary comes first: its heading, its paragraph(s), the machine-translation notice.
    assert english.paragraphs[0].text == "Summary" and english.paragraphs[0].style.name == "Heading 1"
    translated = english.paragraphs[-len(source.paragraphs) :]
    assert [p.style.name for p in translated] == [p.style.name for p in source.paragraphs]
    assert [p.text for p in translated] == [EN[0], f"{EN[1]} {EN[2]}", EN[3], EN[4], EN[5], EN[6]]
    assert [cell.text for cell in english.tables[0].rows[0].cells] == [EN[7], EN[8]]
    to_pdf(out)
    pdf_text = subprocess.run(
        ["pdftotext", str(out.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(pdf_text.split())
    for sentence in (EN[0], EN[1], EN[3], EN[4], EN[6], EN[8]):
        assert sentence in flat
    assert "Summary" in flat and DA[1] not in flat


def test_format_docx_in_a_folder_fails_other_inputs_only(documents, model_args, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(documents / "press.docx", folder / "press.docx")
    (folder / "note.txt").write_text(DA[9] + "\n")
    result = tsum(folder, "-o", tmp_path / "out", "--format", "docx", *model_args, *FAST)
    assert result.exit_code == 1
    found = records(tmp_path / "out")
    assert found["press.docx"]["status"] == "ok" and found["press.docx"]["outputs"] == ["press.docx"]
    assert found["note.txt"]["status"] == "failed"
    assert found["note.txt"]["error"].startswith("--format docx writes the English version of a .docx input")
    assert [p.text for p in docx.Document(tmp_path / "out" / "press.docx").paragraphs][0] == EN[0]


@needs_soffice
@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream"])
def test_a_link_to_a_pdf_is_read_as_a_document(documents, model_args, content_type):
    from pytest_httpserver import HTTPServer

    with HTTPServer(host="127.0.0.1", port=0) as server:
        server.expect_request("/robots.txt").respond_with_data("", status=404)
        server.expect_request("/files/release").respond_with_data(
            (documents / "plain.pdf").read_bytes(), content_type=content_type
        )
        url = server.url_for("/files/release")
        result = tsum(url, "--format", "markdown", *model_args, *FAST, "--rate", "0")
    assert result.exit_code == 0, result.output
    assert f"# {EN[0]}" in result.output and f"- {EN[4]}" in result.output and url in result.output
