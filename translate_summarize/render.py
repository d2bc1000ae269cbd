"""ArticleResult -> text, Markdown or JSON."""

from __future__ import annotations

import json

from translate_summarize.pipeline import ArticleResult


def render(result: ArticleResult, format: str = "text", translation: bool = True, summary: bool = True) -> str:
    """Render one result. ``translation``/``summary`` pick the parts (JSON always has both)."""
    if format == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    show_summary = summary and result.summary is not None
    if format == "markdown":
        parts = [f"- **{key}**: {value}" for key, value in result.metadata.items()]
        parts = ["\n".join(parts)] if parts else []
        if show_summary:
            parts += [f"## Summary\n\n{result.summary}"]
        if translation:
            parts += [f"## Translation\n\n{result.translation}"]
        return "\n\n".join(parts) + "\n"
    if not translation:
        return (result.summary or "") + "\n"
    parts = [f"{key}: {value}" for key, value in result.metadata.items()]
    parts = ["\n".join(parts)] if parts else []
    if show_summary:
        parts += [f"SUMMARY\n{result.summary}", f"TRANSLATION\n{result.translation}"]
    else:
        parts += [result.translation]
    return "\n\n".join(parts) + "\n"
