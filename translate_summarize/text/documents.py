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
pdfminer.six for PDF (``text/pdf.py``, which says why).

A PDF without a text layer (a scan) is refused: tsum does no OCR.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from translate_summarize.errors import InputError
from translate_summarize.util.spacing import collapse_spaces

DOCUMENT_SUFFIXES = (".docx", ".odt", ".pdf")
DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/pdf": ".pdf",
}
# A .docx/.odt is a zip of XML: refuse one that inflates beyond this (a zip bomb) before parsing.
_MAX_UNZIPPED = 256 * 1024 * 1024


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
    from translate_summarize.text.pdf import pdf_text

    readers = {".docx": _docx_text, ".odt": _odt_text, ".pdf": pdf_text}
    if kind not in readers:
        raise InputError(f"{name} is not a .docx, .odt or .pdf document")
    fields, paragraphs = readers[kind](data, name)
    paragraphs = [p for p in paragraphs if p.strip()]
    if not paragraphs:
        raise InputError(f"{name} holds no text: there is nothing to translate")
    header = "".join(
        f"{key}: {collapse_spaces(value)}\n" for key, value in fields.items() if value and collapse_spaces(value)
    )
    return header + "\n" + "\n\n".join(paragraphs) + "\n"


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
                paragraphs.append(marker + collapse_spaces(teletype.extractText(child)))
            elif namespace == TEXTNS and tag == "p":
                text = collapse_spaces(teletype.extractText(child))
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
