"""PDF -> paragraphs, rebuilt from the positioned lines that pdfminer.six finds.

pdfminer.six's layout analysis groups characters into lines and text boxes with positions and
font sizes; pypdf's ``extract_text`` gives lines in content-stream order, which interleaves
columns on many pages and loses the boxes. From pdfminer's lines, tsum rebuilds what a reader
sees: boxes in reading order (column by column, ``_reading_order``), running headers, footers
and page numbers left out, paragraphs split where a short line ends a sentence or a bullet
starts, headings by font size, words hyphenated at line ends joined, and paragraphs that go on
in the next column or page kept whole.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from translate_summarize.errors import InputError
from translate_summarize.util.spacing import collapse_spaces

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


def join_lines(lines: list[str]) -> str:
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
    return collapse_spaces(text)


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


def pdf_text(data: bytes, name: str) -> tuple[dict, list[str]]:
    """(metadata fields, paragraphs with ``# ``/``- `` markers) of a PDF; see the module docstring.

    Raises:
        InputError: encrypted, unreadable, or without a text layer.
    """
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
        text = join_lines(block["lines"])
        if not text:
            continue
        if previous is not None and _continues(previous, block, paragraphs[-1], text):
            paragraphs[-1] = join_lines([paragraphs[-1], text])
            previous["short"], previous["column"] = block["short"], block["column"]
            continue
        paragraphs.append(("# " if block["heading"] else "- " if block["bullet"] else "") + text)
        previous = block
    return fields, paragraphs
