"""ArticleResult -> text, Markdown, JSON or an HTML review page (review.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace

from translate_summarize.core.pipeline import ArticleResult, assembled, segment_record
from translate_summarize.output.highlight import flag_reasons
from translate_summarize.util.names import model_label, printable_name


def render(result: ArticleResult, output_format: str = "text", **parts: bool | str | None) -> str:
    """Render one result as one string: :func:`render_pieces` (which says what ``parts`` pick), joined."""
    return "".join(render_pieces(result, output_format, **parts))


def render_pieces(
    result: ArticleResult,
    output_format: str = "text",
    *,
    translation: bool = True,
    summary: bool = True,
    source_name: str | None = None,
) -> Iterator[str]:
    """Render one result piece by piece, for writing it without holding it whole.

    ``translation``/``summary`` pick the parts (JSON always has both). ``source_name`` (the input
    file's name; "-" for standard input; None: ``result.input``) heads the text and Markdown
    outputs and the HTML review page, and is the JSON output's ``input``.

    The output of a 20 MiB article is hundreds of megabytes as one string (and ``json.dumps``
    of the whole result holds a list of its millions of small pieces besides); written piece by
    piece, only one segment's rendering is in memory at a time.
    """
    if source_name is None:
        source_name = result.input
    else:  # the JSON output names its input too
        result = replace(result, input=None if source_name == "-" else printable_name(source_name))
        source_name = "-" if result.input is None else result.input
    if output_format == "json":
        yield from _json_pieces(result)
    elif output_format == "html":
        from translate_summarize.output.review import page_pieces

        yield from page_pieces(result, source_name, translation=translation, summary=summary)
    else:
        show_summary = summary and result.summary is not None
        yield from _document_pieces(
            result, source_name, translation, show_summary, markdown=output_format == "markdown"
        )


# The top-level key as ``json.dumps(..., indent=2)`` writes it (nested keys are indented further).
_SEGMENTS_KEY = '\n  "segments": []'


def _json_pieces(result: ArticleResult) -> Iterator[str]:
    """``json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\\n"``, segment by segment."""
    head, tail = json.dumps(replace(result, segments=[]).to_dict(), ensure_ascii=False, indent=2).split(
        _SEGMENTS_KEY, 1
    )
    yield head + _SEGMENTS_KEY[:-2]
    if not result.segments:
        yield "[]"
    for number, segment in enumerate(result.segments):
        # A segment is an item two levels deep: its lines move 4 spaces in (JSON strings hold no
        # raw newline, so every newline of its dump is a line break of the layout).
        item = json.dumps(segment_record(segment), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("[\n    " if number == 0 else ",\n    ") + item
    if result.segments:
        yield "\n  ]"
    yield tail + "\n"


def _document_pieces(
    result: ArticleResult, source_name: str | None, translation: bool, show_summary: bool, markdown: bool
) -> Iterator[str]:
    """The text or the Markdown output: header, summary, translation, what to check."""
    yield (markdown_header if markdown else text_header)(result, source_name, translation, show_summary)
    if show_summary:
        check = summary_check_line(result)
        if markdown:
            escaped_check = f"\n\n> **Check:** {markdown_escape(check)}" if check else ""
            yield f"\n\n## Summary\n\n{markdown_escape(result.summary)}" + escaped_check
        else:
            yield f"\n\nSUMMARY\n{result.summary}" + (f"\nCHECK: {check}" if check else "")
    if translation:
        if markdown:
            yield "\n\n## Translation\n\n"
            yield from _markdown_translation(result)
        else:
            yield "\n\nTRANSLATION\n" if show_summary else "\n\n"
            yield result.translation
        if any(segment.flags for segment in result.segments):
            yield "\n\n"
            yield from (check_these_markdown if markdown else check_these_text)(result)
    yield "\n"


# What a reviewer should check (flags and the summary check, see quality.py).


def summary_check_line(result: ArticleResult) -> str:
    """One line naming what the summary says that the translation does not ('' when nothing)."""
    check = result.summary_check or {}
    parts = []
    if check.get("unsupported_numbers"):
        parts.append("numbers " + ", ".join(check["unsupported_numbers"]))
    if check.get("unsupported_names"):
        parts.append("names " + ", ".join(check["unsupported_names"]))
    return "not in the translation: " + "; ".join(parts) if parts else ""


def check_these_text(result: ArticleResult) -> Iterator[str]:
    yield "CHECK THESE"
    for segment in result.segments:
        if segment.flags:
            yield f"\n[{'; '.join(flag_reasons(segment))}]\n  da: {segment.source}\n  en: {segment.translation}"


def check_these_markdown(result: ArticleResult) -> Iterator[str]:
    yield "## Check these\n\n"
    separator = ""
    for segment in result.segments:
        if segment.flags:
            yield (
                f"{separator}- *{markdown_escape('; '.join(flag_reasons(segment)))}*\n"
                f"  - da: {markdown_escape(segment.source)}\n  - en: {markdown_escape(segment.translation)}"
            )
            separator = "\n"


# --- headers: where the text came from, what made it, and that a machine did ---------------


def _header_facts(
    result: ArticleResult, source_name: str | None, translation: bool, summary: bool
) -> tuple[str, list[tuple[str, str]], str, str]:
    """(input, metadata items, models, machine-made notice), shared by text and Markdown."""
    source = source_name if source_name not in (None, "-") else "standard input"
    metadata = [(key.capitalize(), value) for key, value in result.metadata.items()]
    models = []
    for task in ("translation", "summary"):
        model = result.models.get(task)
        if model and (task == "translation" or summary):
            models.append(f"{model_label(model, revision_chars=12)} ({task})")
    made = [part for part, shown in (("translation", translation), ("summary", summary)) if shown]
    what = " and the ".join(made) if made else "output"
    notice = (
        f"The {what} {'are' if len(made) == 2 else 'is'} machine-made by tsum {result.tsum_version}: "
        "check names, numbers and quotes against the original."
    )
    return source, metadata, ", ".join(models), notice


def text_header(result: ArticleResult, source_name: str | None, translation: bool = True, summary: bool = True) -> str:
    source, metadata, models, notice = _header_facts(result, source_name, translation, summary)
    lines = [f"Input: {source}"] + [f"{key}: {value}" for key, value in metadata]
    if models:
        lines.append(f"Models: {models}")
    return "\n".join([*lines, notice])


def markdown_header(
    result: ArticleResult, source_name: str | None, translation: bool = True, summary: bool = True
) -> str:
    source, metadata, models, notice = _header_facts(result, source_name, translation, summary)
    title = result.metadata.get("title")
    lines = [f"- **Input**: {markdown_escape(source)}"]
    lines += [f"- **{key}**: {markdown_escape(value)}" for key, value in metadata if key != "Title"]
    if models:
        lines.append(f"- **Models**: {markdown_escape(models)}")
    block = "\n".join(lines) + f"\n\n*{markdown_escape(notice)}*"
    return f"# {markdown_escape(title)}\n\n{block}" if title else block


# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# emphasis, code, links, HTML, entities, tables or strike-through inside a line.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~#])")
# At the start of a line: list markers, block quotes, headings, setext underlines, ordered lists.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)](?=\s|$))")


def markdown_escape(text: str) -> str:
    """Escape ``text`` so that Markdown shows it as written, line by line."""
    lines = [_INLINE.sub(r"\\\1", line) for line in text.split("\n")]
    return "\n".join(_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line) for line in lines)


def _escape_marker(marker: str) -> str:
    return f"{marker[:-1]}\\{marker[-1]}" if marker[0].isdigit() else f"\\{marker}"


def _markdown_translation(result: ArticleResult) -> Iterator[str]:
    """The translation with each sentence escaped; line prefixes (headings, bullets) stay markup."""
    if not result.segments:
        yield markdown_escape(result.translation)
    else:
        yield from assembled(result.segments, lambda segment: markdown_escape(segment.translation))
