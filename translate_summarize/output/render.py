"""ArticleResult -> text, Markdown, JSON or an HTML review page (review.py)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from translate_summarize.core.pipeline import ArticleResult, assemble
from translate_summarize.output.highlight import flag_reasons
from translate_summarize.util.names import model_label, printable_name


def render(
    result: ArticleResult,
    output_format: str = "text",
    translation: bool = True,
    summary: bool = True,
    source_name: str | None = None,
) -> str:
    """Render one result. ``translation``/``summary`` pick the parts (JSON always has both).

    ``source_name`` (the input file's name; "-" for standard input; None: ``result.input``) heads
    the text and Markdown outputs and the HTML review page, and is the JSON output's ``input``.
    """
    if source_name is None:
        source_name = result.input
    else:  # the JSON output names its input too
        result = replace(result, input=None if source_name == "-" else printable_name(source_name))
        source_name = "-" if result.input is None else result.input
    if output_format == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output_format == "html":
        from translate_summarize.output.review import render_page

        return render_page(result, source_name, translation=translation, summary=summary)
    show_summary = summary and result.summary is not None
    check = summary_check_line(result) if show_summary else ""
    if output_format == "markdown":
        parts = [markdown_header(result, source_name, translation, show_summary)]
        if show_summary:
            escaped_check = f"\n\n> **Check:** {markdown_escape(check)}" if check else ""
            parts += [f"## Summary\n\n{markdown_escape(result.summary)}" + escaped_check]
        if translation:
            parts += [f"## Translation\n\n{_markdown_translation(result)}"]
            parts += [check_these_markdown(result)] if flagged_segments(result) else []
        return "\n\n".join(parts) + "\n"
    parts = [text_header(result, source_name, translation, show_summary)]
    if show_summary:
        parts += [f"SUMMARY\n{result.summary}" + (f"\nCHECK: {check}" if check else "")]
    if translation:
        parts += [f"TRANSLATION\n{result.translation}" if show_summary else result.translation]
        parts += [check_these_text(result)] if flagged_segments(result) else []
    return "\n\n".join(parts) + "\n"


# What a reviewer should check (flags and the summary check, see quality.py).


def flagged_segments(result: ArticleResult) -> list:
    return [segment for segment in result.segments if segment.flags]


def summary_check_line(result: ArticleResult) -> str:
    """One line naming what the summary says that the translation does not ('' when nothing)."""
    check = result.summary_check or {}
    parts = []
    if check.get("unsupported_numbers"):
        parts.append("numbers " + ", ".join(check["unsupported_numbers"]))
    if check.get("unsupported_names"):
        parts.append("names " + ", ".join(check["unsupported_names"]))
    return "not in the translation: " + "; ".join(parts) if parts else ""


def check_these_text(result: ArticleResult) -> str:
    lines = ["CHECK THESE"]
    for segment in flagged_segments(result):
        lines += [f"[{'; '.join(flag_reasons(segment))}]", f"  da: {segment.source}", f"  en: {segment.translation}"]
    return "\n".join(lines)


def check_these_markdown(result: ArticleResult) -> str:
    items = [
        f"- *{markdown_escape('; '.join(flag_reasons(segment)))}*\n  - da: {markdown_escape(segment.source)}"
        f"\n  - en: {markdown_escape(segment.translation)}"
        for segment in flagged_segments(result)
    ]
    return "## Check these\n\n" + "\n".join(items)


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


def _markdown_translation(result: ArticleResult) -> str:
    """The translation with each sentence escaped; line prefixes (headings, bullets) stay markup."""
    if not result.segments:
        return markdown_escape(result.translation)
    return assemble([replace(s, translation=markdown_escape(s.translation)) for s in result.segments])
