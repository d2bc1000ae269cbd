"""ArticleResult -> text, Markdown or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from translate_summarize.pipeline import ArticleResult, assemble


def render(
    result: ArticleResult,
    format: str = "text",
    translation: bool = True,
    summary: bool = True,
    source_name: str | None = None,
) -> str:
    """Render one result. ``translation``/``summary`` pick the parts (JSON always has both).

    ``source_name`` (a file name, or None for standard input) goes into the text and Markdown
    headers; JSON leaves it to the caller.
    """
    if format == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    show_summary = summary and result.summary is not None
    if format == "markdown":
        parts = [markdown_header(result, source_name, translation, show_summary)]
        if show_summary:
            parts += [f"## Summary\n\n{markdown_escape(result.summary)}"]
        if translation:
            parts += [f"## Translation\n\n{_markdown_translation(result)}"]
        return "\n\n".join(parts) + "\n"
    parts = [text_header(result, source_name, translation, show_summary)]
    if show_summary:
        parts += [f"SUMMARY\n{result.summary}"]
    if translation:
        parts += [f"TRANSLATION\n{result.translation}" if show_summary else result.translation]
    return "\n\n".join(parts) + "\n"


# --- headers (newcomer): where the text came from, what made it, and that a machine did ---


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
            revision = model.get("revision", "")
            short = revision if revision == "local" else revision[:12]
            models.append(f"{model.get('name')} @ {short} ({task})")
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
