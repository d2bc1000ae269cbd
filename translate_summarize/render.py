"""ArticleResult -> text, Markdown, JSON or an HTML review page (review.py)."""

from __future__ import annotations

import json

from translate_summarize.pipeline import ArticleResult


def render(
    result: ArticleResult,
    format: str = "text",
    translation: bool = True,
    summary: bool = True,
    source_name: str | None = None,
) -> str:
    """Render one result. ``translation``/``summary`` pick the parts (JSON always has both).

    ``source_name`` (the input file's name) heads the HTML review page.
    """
    if format == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if format == "html":
        from translate_summarize.review import render_page

        return render_page(result, source_name, translation=translation, summary=summary)
    show_summary = summary and result.summary is not None
    check = summary_check_line(result) if show_summary else ""
    if format == "markdown":
        parts = [f"- **{key}**: {value}" for key, value in result.metadata.items()]
        parts = ["\n".join(parts)] if parts else []
        if show_summary:
            parts += [f"## Summary\n\n{result.summary}" + (f"\n\n> **Check:** {check}" if check else "")]
        if translation:
            parts += [f"## Translation\n\n{result.translation}"]
            parts += [check_these_markdown(result)] if flagged_segments(result) else []
        return "\n\n".join(parts) + "\n"
    if not translation:
        return (result.summary or "") + "\n" + (f"\nCHECK: {check}\n" if check else "")
    parts = [f"{key}: {value}" for key, value in result.metadata.items()]
    parts = ["\n".join(parts)] if parts else []
    if show_summary:
        parts += [
            f"SUMMARY\n{result.summary}" + (f"\nCHECK: {check}" if check else ""),
            f"TRANSLATION\n{result.translation}",
        ]
    else:
        parts += [result.translation]
    if flagged_segments(result):
        parts += [check_these_text(result)]
    return "\n\n".join(parts) + "\n"


# trust (issue 13): what a reviewer should check (flags and the summary check, see quality.py).


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
        lines += [f"[{', '.join(segment.flags)}]", f"  da: {segment.source}", f"  en: {segment.translation}"]
    return "\n".join(lines)


def check_these_markdown(result: ArticleResult) -> str:
    items = [
        f"- *{', '.join(segment.flags)}*\n  - da: {segment.source}\n  - en: {segment.translation}"
        for segment in flagged_segments(result)
    ]
    return "## Check these\n\n" + "\n".join(items)
