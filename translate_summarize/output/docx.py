"""``--format docx``: the English version of a Word document, written into the document itself.

The input .docx is opened again (python-docx) and each paragraph that carried text gets its
translation in place: its paragraph properties (style, numbering, alignment) stay, and the
formatting of its first run applies to the whole translated text, since a translation's words
do not line up with the source's bold or italic runs (links and comments inside the paragraph
go; inline pictures stay, after the text). Tables keep their cells. The summary
comes first, under a "Summary" heading, with a line saying the text is a machine translation.
"""

from __future__ import annotations

import io
import unicodedata
from collections import defaultdict
from copy import deepcopy
from typing import TYPE_CHECKING

from translate_summarize.errors import OutputError, UsageError
from translate_summarize.text.documents import docx_paragraphs, load_docx

if TYPE_CHECKING:
    from translate_summarize.core.pipeline import ArticleResult

SUMMARY_HEADING = "Summary"


def _letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


def _paragraph_translations(result: ArticleResult) -> dict[int, tuple[str, str]]:
    """paragraph index -> (its source, its translation), from the result's segments (markers left out)."""
    sources: dict[int, list[str]] = defaultdict(list)
    translations: dict[int, str] = {}
    for segment in result.segments:
        sources[segment.paragraph].append(segment.source)
        text = segment.translation or ""
        if segment.paragraph not in translations:
            translations[segment.paragraph] = text
        elif text:
            separator = "\n" if segment.starts_line else " "
            translations[segment.paragraph] += separator + text
    return {index: (" ".join(sources[index]), translations[index]) for index in translations}


def _set_text(paragraph, text: str) -> None:
    """Replace a paragraph's content by ``text``, keeping its properties and its first run's formatting."""
    from docx.oxml.ns import qn

    element = paragraph._p
    first = next(iter(element.xpath(".//w:r[w:t]")), None)
    run_properties = deepcopy(first.rPr) if first is not None and first.rPr is not None else None
    pictures = [child for child in element if child.tag == qn("w:r") and child.xpath(".//w:drawing")]
    for child in list(element):
        if child.tag != qn("w:pPr"):
            element.remove(child)
    run = paragraph.add_run(text)  # "\n" becomes a line break
    if run_properties is not None:
        run._r.insert(0, run_properties)
    for picture in pictures:  # inline pictures stay, after the text
        element.append(picture)


def _insert_before(anchor, text: str, style: str | None, bold: bool = False):
    try:
        paragraph = anchor.insert_paragraph_before(text, style=style)
    except KeyError:  # the document has no such style: plain text, bold for a heading
        paragraph = anchor.insert_paragraph_before(text)
        bold = bold or style is not None
    if bold:
        for run in paragraph.runs:
            run.bold = True
    return paragraph


def translated_docx(
    source: bytes, result: ArticleResult, name: str, translation: bool = True, summary: bool = True
) -> bytes:
    """The English .docx of the Word document ``source`` whose translation is ``result``.

    Raises:
        UsageError: ``source`` is not a .docx document.
        OutputError: the translation cannot be mapped back onto the document's paragraphs.
    """
    from translate_summarize.errors import InputError

    try:
        document = load_docx(source, name)
    except InputError as exc:
        raise UsageError(f"--format docx writes the English version of a .docx input: {exc}") from None
    paragraphs = list(docx_paragraphs(document))
    if not paragraphs:
        raise OutputError(f"{name} has no paragraphs to translate")
    anchor = paragraphs[0]
    if translation:
        for index, (source_text, english) in sorted(_paragraph_translations(result).items()):
            if index >= len(paragraphs) or _letters(source_text) not in _letters(paragraphs[index].text):
                raise OutputError(
                    f"cannot map the translation back onto paragraph {index + 1} of {name}: "
                    "write --format text, markdown or json instead"
                )
            _set_text(paragraphs[index], english)
    else:  # --summary-only: the summary alone, in the document's styles and page setup
        from docx.oxml.ns import qn

        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        anchor = document.add_paragraph()
    if summary and result.summary:
        _insert_before(anchor, SUMMARY_HEADING, "Heading 1")
        for text in result.summary.split("\n\n"):
            _insert_before(anchor, text, None)
        notice = f"Machine translation from Danish by tsum {result.tsum_version}: check it before publishing."
        _insert_before(anchor, notice, None).runs[0].italic = True
    if not translation:
        anchor._p.getparent().remove(anchor._p)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
