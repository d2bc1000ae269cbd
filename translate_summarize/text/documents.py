"""Word, OpenDocument and PDF files -> article text, with headings and lists kept apart.

``document_to_text(data, name)`` returns the same text form as ``html.html_to_text``: leading
``key: value`` metadata lines (title, author, date), a blank line, then the body, one
paragraph per blank-line-separated block, with Markdown markers for structure: ``# `` before a
heading, ``- `` before a list item. The caller parses it as Markdown, which keeps those markers
out of the model::

    text = document_to_text(data, "release.docx")
    article = parse_input(text, "release.docx", kind="markdown")

Libraries, each maintained and the reference reader of its format: python-docx (paragraphs with
their styles, tables, core properties), odfpy (the OpenDocument reference implementation), and
pdfminer.six for PDF: its layout analysis groups characters into lines and text boxes with
positions and font sizes and orders boxes column by column, which is what paragraphs, headings
and two-column reading order are rebuilt from; pypdf's ``extract_text`` gives lines in content
stream order, which interleaves columns on many pages and loses the box structure.

A PDF without a text layer (a scan) is refused: tsum does no OCR.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePath

from translate_summarize.errors import InputError

DOCUMENT_SUFFIXES = (".docx", ".odt", ".pdf")
DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/pdf": ".pdf",
}
# A .docx/.odt is a zip of XML: refuse one that inflates beyond this (a zip bomb) before parsing.
_MAX_UNZIPPED = 256 * 1024 * 1024
_SPACES = re.compile(r"[ \t\u00a0]+")


def document_kind(name: str, data: bytes) -> str | None:
    """``.docx``, ``.odt``, ``.pdf`` by the file's first bytes (else by its name), or None."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:200]:
            return ".odt"
        if b"word/" in data[:65536] or PurePath(name).suffix.lower() == ".docx":
            return ".docx"
    return None


def document_to_text(data: bytes, name: str) -> str:
    """A document's text in tsum's article form (see the module docstring).

    Args:
        data: the file's bytes.
        name: its name, for messages (its suffix picks the format when the bytes do not tell).

    Raises:
        InputError: not a readable .docx, .odt or .pdf; a PDF without a text layer; no text.
    """
    kind = document_kind(name, data) or PurePath(name).suffix.lower()
    readers = {".docx": _docx_text, ".odt": _odt_text, ".pdf": _pdf_text}
    if kind not in readers:
        raise InputError(f"{name} is not a .docx, .odt or .pdf document")
    fields, paragraphs = readers[kind](data, name)
    paragraphs = [p for p in paragraphs if p.strip()]
    if not paragraphs:
        raise InputError(f"{name} holds no text: there is nothing to translate")
    header = "".join(f"{key}: {_one_line(value)}\n" for key, value in fields.items() if value and _one_line(value))
    return header + "\n" + "\n\n".join(paragraphs) + "\n"


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", str(text)).strip()


def _check_zip(data: bytes, name: str, label: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{name} cannot be read as {label} ({exc}): is the file complete?") from None
    if size > _MAX_UNZIPPED:
        raise InputError(f"{name} unpacks to more than {_MAX_UNZIPPED // 2**20} MiB: tsum does not read it")


# --- Word (.docx) -----------------------------------------------------------------------------


def load_docx(data: bytes, name: str):
    """The python-docx Document of ``data``.

    Raises:
        InputError: not a readable .docx file.
    """
    _check_zip(data, name, "a Word document")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(f"{name} cannot be read as a Word document ({exc}): save it again as .docx") from None


def docx_paragraphs(document) -> Iterator:
    """Every paragraph of a python-docx Document that holds text, in reading order: body
    paragraphs and table cells (a merged cell once). The .docx writer walks the same list."""
    from docx.table import Table

    def walk(container) -> Iterator:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                seen = set()
                for row in block.rows:
                    for cell in row.cells:
                        if id(cell._tc) not in seen:  # a merged cell appears once per grid column
                            seen.add(id(cell._tc))
                            yield from walk(cell)
            elif block.text.strip():
                yield block

    yield from walk(document)


def docx_marker(paragraph) -> str:
    """The Markdown marker of a python-docx paragraph: ``# `` for titles and headings, ``- `` for
    list items, else ""."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title" or style.startswith("Heading"):
        level = style.rsplit(" ", 1)[-1]
        return "#" * (min(int(level), 6) if level.isdigit() else 1) + " "
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if numbered or style.startswith("List"):
        return "- "
    return ""


def _docx_text(data: bytes, name: str) -> tuple[dict, list[str]]:
    document = load_docx(data, name)
    properties = document.core_properties
    # No title field: a .docx's first paragraphs are its headline, and a stale "title" property
    # (templates carry them) would become one more paragraph than the document has.
    created = properties.created.date().isoformat() if properties.created else ""
    fields = {"author": properties.author or "", "date": created}
    # A paragraph's soft line breaks stay lines; an empty line inside it would split it in two
    # (paragraphs are blank-line separated) and the .docx writer maps paragraphs one to one.
    paragraphs = [
        docx_marker(p) + re.sub(r"\n\s*\n", "\n", p.text.replace("\t", " ")).strip() for p in docx_paragraphs(document)
    ]
    return fields, paragraphs


# --- OpenDocument (.odt) ----------------------------------------------------------------------


def _odt_text(data: bytes, name: str) -> tuple[dict, list[str]]:
    _check_zip(data, name, "an OpenDocument text")
    from odf import dc, meta, teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name} cannot be read as an OpenDocument text ({exc}): save it again as .odt") from None
    except Exception as exc:  # odfpy's SAX parser raises xml.sax exceptions of its own
        if type(exc).__module__.startswith("xml."):
            raise InputError(f"{name} cannot be read as an OpenDocument text ({exc})") from None
        raise

    def first(kind) -> str:
        found = document.meta.getElementsByType(kind)
        return teletype.extractText(found[0]) if found else ""

    date = first(dc.Date) or first(meta.CreationDate)
    fields = {"title": first(dc.Title), "author": first(dc.Creator) or first(meta.InitialCreator), "date": date[:10]}
    paragraphs: list[str] = []

    def walk(node, in_list: bool) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            namespace, tag = child.qname
            if namespace == TEXTNS and tag == "h":
                level = child.getAttrNS(TEXTNS, "outline-level") or "1"
                marker = "#" * (min(int(level), 6) if level.isdigit() else 1) + " "
                paragraphs.append(marker + _one_line(teletype.extractText(child)))
            elif namespace == TEXTNS and tag == "p":
                text = _one_line(teletype.extractText(child))
                style = child.getAttrNS(TEXTNS, "style-name") or ""
                if text:
                    title = style in ("Title", "Heading") or style.startswith("Heading_20_")
                    paragraphs.append(("# " if title else "- " if in_list else "") + text)
            elif namespace == TEXTNS and tag in ("list", "list-item", "list-header"):
                walk(child, True)
            elif not (namespace == TEXTNS and tag in ("tracked-changes", "sequence-decls", "variable-decls")):
                walk(child, in_list)  # sections, tables, frames

    walk(document.text, False)
    return fields, paragraphs


# --- PDF --------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\W*(?:side|page|s\.)?\s*\d{1,4}(?:\s*(?:/|af|of)\s*\d{1,4})?\W*$", re.IGNORECASE)
_MARGIN = 0.08  # the top and bottom 8% of a page hold running headers and footers
_SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")
# Bullet glyphs, including the private-use ones of the Symbol and Wingdings fonts that Word and
# LibreOffice write (U+F0B7...). Not "-" or "–": in Danish those open quoted speech.
_BULLET = re.compile(r"^[•·▪◦○●■□►▸‣⁃\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06e]\s*")
_HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading


def _pdf_metadata(data: bytes) -> dict:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    info = {}
    for entry in PDFDocument(PDFParser(io.BytesIO(data))).info:
        info.update(entry)

    def value(key: str) -> str:
        raw = info.get(key)
        raw = raw.resolve() if hasattr(raw, "resolve") else raw
        if isinstance(raw, bytes):
            raw = raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        return raw if isinstance(raw, str) else ""

    date = re.match(r"D:(\d{4})(\d{2})(\d{2})", value("CreationDate"))
    return {"title": value("Title"), "author": value("Author"), "date": "-".join(date.groups()) if date else ""}


def _join_lines(lines: list[str]) -> str:
    """Lines as one paragraph: a word hyphenated at a line end is joined (``udvik-`` +
    ``lingen`` -> ``udviklingen``); a hyphen after a capital (``EU-`` + ``landene``) is kept."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if re.search(r"[a-zæøå]-$", text) and line[:1].islower():
            text = text[:-1] + line
        elif re.search(r"\w-$", text) and line[:1].isalpha():  # a compound's hyphen (not a dash after a space)
            text += line
        else:
            text = f"{text} {line}" if text else line
    return _one_line(text)


def _reading_order(boxes: list, width: float) -> list:
    """A page's text boxes in reading order: top to bottom, and on two-column stretches the
    left column before the right. A box across the middle (a headline over both columns)
    ends one stretch and starts the next."""
    middle = width / 2
    ordered, band = [], []
    for box in sorted(boxes, key=lambda box: -box.y1):
        if box.x0 < middle - 10 and box.x1 > middle + 10:
            ordered += sorted(band, key=lambda b: (b.x0 >= middle - 10, -b.y1))
            ordered.append(box)
            band = []
        else:
            band.append(box)
    return ordered + sorted(band, key=lambda b: (b.x0 >= middle - 10, -b.y1))


def _pdf_lines(data: bytes) -> list[dict]:
    """Every text line of the PDF in reading order, with its box, font size and position."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine

    lines = []
    # boxes_flow=None: pdfminer groups lines into boxes, tsum orders the boxes (_reading_order);
    # pdfminer's own ordering put the end of a left column before its start in tests.
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams(boxes_flow=None))):
        boxes = [box for box in page if isinstance(box, LTTextBox)]
        for box_number, box in enumerate(_reading_order(boxes, page.width)):
            for line in box:
                if not isinstance(line, LTTextLine) or not line.get_text().strip():
                    continue
                sizes = [char.size for char in line if isinstance(char, LTChar)]
                edge = line.y0 > page.height * (1 - _MARGIN) or line.y1 < page.height * _MARGIN
                lines.append(
                    {
                        "box": (number, box_number),
                        "text": line.get_text().strip(),
                        "size": round(sum(sizes) / len(sizes), 1) if sizes else 0.0,
                        "edge": edge,
                        "short": line.width < 0.8 * box.width,
                        "column": (number, box.x0 >= page.width / 2 - 10),
                    }
                )
    return lines


def _continues(previous: dict, block: dict, before: str, text: str) -> bool:
    """Whether ``block`` goes on with the paragraph before it (in another column, on another page):
    the paragraph had not ended (no final punctuation and a lower-case start), or its last line
    ran the full width at the bottom of the page or column before."""
    if previous["heading"] or block["heading"] or block["bullet"]:
        return False
    if not _SENTENCE_END.search(before) and text[:1].islower():
        return True
    return not previous["short"] and block["column"] != previous["column"]


def _pdf_text(data: bytes, name: str) -> tuple[dict, list[str]]:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        lines = _pdf_lines(data)
        fields = _pdf_metadata(data)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(
            f"{name} is an encrypted PDF ({exc or 'it needs a password'}): save an unprotected copy"
        ) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{name} cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    if not lines:
        raise InputError(
            f"{name} is a PDF without a text layer (a scanned document?): tsum does no OCR; "
            "run it through OCR software first, or pass the text as a .txt file"
        )
    # Running headers and footers: margin lines that repeat on other pages (numbers masked).
    repeated = Counter(re.sub(r"\d+", "#", line["text"]) for line in lines if line["edge"])
    lines = [
        line
        for line in lines
        if not (line["edge"] and (_PAGE_NUMBER.match(line["text"]) or repeated[re.sub(r"\d+", "#", line["text"])] > 1))
    ]
    sizes = Counter()
    for line in lines:
        sizes[line["size"]] += len(line["text"])
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    blocks: list[dict] = []  # {"lines", "heading", "bullet", "box"}
    for line in lines:
        heading = body > 0 and line["size"] >= body * _HEADING_RATIO
        bullet = bool(_BULLET.match(line["text"]))
        text = _BULLET.sub("", line["text"])
        last = blocks[-1] if blocks else None
        same = (
            last is not None
            and last["box"] == line["box"]
            and last["heading"] == heading
            and not bullet
            and not (last["short"] and _SENTENCE_END.search(last["lines"][-1]))
        )
        if same:
            last["lines"].append(text)
            last["short"] = line["short"]
        else:
            blocks.append(
                {
                    "lines": [text],
                    "heading": heading,
                    "bullet": bullet,
                    "box": line["box"],
                    "short": line["short"],
                    "column": line["column"],
                }
            )
    paragraphs: list[str] = []
    previous = None
    for block in blocks:
        text = _join_lines(block["lines"])
        if not text:
            continue
        if previous is not None and _continues(previous, block, paragraphs[-1], text):
            paragraphs[-1] = _join_lines([paragraphs[-1], text])
            previous["short"], previous["column"] = block["short"], block["column"]
            continue
        paragraphs.append(("# " if block["heading"] else "- " if block["bullet"] else "") + text)
        previous = block
    return fields, paragraphs
