"""The HTML review page: one self-contained file per article, and an index for folder runs.

No external assets (inline CSS, no scripts, no fonts, no images), so a page works offline and
can be mailed around; every piece of text goes through :func:`html.escape`. The pieces
(:func:`review_css`, :func:`render_summary_html`, :func:`render_segments_html`) are public so
that other pages (the web page of ``tsum serve``) show results the same way.

Pages hold no timestamp: re-running an article gives the same bytes (resume, Ray vs local).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from translate_summarize.core.pipeline import ArticleResult
from translate_summarize.core.quality import FLAG_DESCRIPTIONS, flagged_count
from translate_summarize.text.archives import REVIEW_PAGE_MARK, REVIEW_PAGE_START
from translate_summarize.util.names import printable_name

INDEX_NAME = "index.html"
MT_NOTE = (
    "Machine translation and machine summary: check names, numbers and the flagged sentences "
    "against the Danish original before quoting."
)

_CSS = """\
:root { color-scheme: light; --flag: #fff3cd; --flag-edge: #d39e00; --muted: #5f6368; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #202124; background: #fff; }
header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
header h1 { font-size: 1.4rem; margin: 0.5rem 0; word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
p.mt-note { background: #eef3fd; border-left: 4px solid #4a78c2; padding: 0.4rem 0.8rem; }
section.summary p { font-size: 1.05rem; }
.check { background: var(--flag); border-left: 4px solid var(--flag-edge); padding: 0.4rem 0.8rem; }
table.segments { border-collapse: collapse; width: 100%; margin-bottom: 1.2rem; table-layout: fixed; }
table.segments th { text-align: left; color: var(--muted); font-weight: 600; width: 50%; }
table.segments td { vertical-align: top; padding: 0.25rem 0.6rem; border-top: 1px solid #eee; }
tr.flagged td { background: var(--flag); }
tr.flagged td:first-child { border-left: 4px solid var(--flag-edge); }
.flags { display: block; font-size: 0.8rem; color: #7a5a00; font-weight: 600; }
.flag { display: inline-block; margin-right: 0.4rem; }
h2 { font-size: 1.15rem; margin-top: 1.5rem; }
h3.paragraph { font-size: 0.85rem; color: var(--muted); margin: 0.8rem 0 0.2rem; font-weight: 500; }
table.index td, table.index th { padding: 0.2rem 0.8rem; text-align: left; border-top: 1px solid #eee; }
td.count { text-align: right; } tr.failed td { color: #a50e0e; }
"""


def review_css() -> str:
    """The page's stylesheet (for an inline ``<style>``)."""
    return _CSS


# Marks tsum's own pages, so that a folder run never takes an old review page as an article.
GENERATOR_META = REVIEW_PAGE_MARK


def _document(title: str, body: str) -> str:
    return (
        f"{REVIEW_PAGE_START}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{review_css()}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


def _model_line(model: dict | None, settings: dict | None) -> str:
    if not model:
        return ""
    line = f"{model.get('name')} @ {model.get('revision')}"
    if settings and settings.get("engine"):
        line += f" ({settings['engine']}, {settings.get('compute_type', '')})".replace(", )", ")")
    return line


def render_header_html(result: ArticleResult, source_name: str | None) -> str:
    rows = [("Source", source_name)] if source_name else []
    rows += [(key.capitalize(), value) for key, value in result.metadata.items()]
    for task in ("translation", "summary"):
        line = _model_line(result.models.get(task), (result.generation or {}).get(task))
        if line:
            rows.append((f"{task.capitalize()} model", line))
    rows.append(("tsum", result.tsum_version))
    meta = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    title = source_name or "Danish article"
    return (
        f'<header>\n<h1>{escape(title)}</h1>\n<dl class="meta">{meta}</dl>\n'
        f'<p class="mt-note">{escape(MT_NOTE)}</p>\n</header>\n'
    )


def render_summary_html(result: ArticleResult) -> str:
    """The summary and, when it says something the translation does not, its check."""
    if result.summary is None:
        return ""
    parts = ['<section class="summary">\n<h2>Summary</h2>\n', f"<p>{escape(result.summary)}</p>\n"]
    check = result.summary_check or {}
    items = [
        f"<li>{label}: {escape(', '.join(check[key]))}</li>"
        for key, label in (("unsupported_numbers", "Numbers"), ("unsupported_names", "Names"))
        if check.get(key)
    ]
    if items:
        parts.append(
            '<div class="check"><strong>Check:</strong> the summary says things the translation does not '
            f"contain.<ul>{''.join(items)}</ul></div>\n"
        )
    parts.append("</section>\n")
    return "".join(parts)


def _flag_badges(flags: list[str]) -> str:
    badges = "".join(
        f'<span class="flag" title="{escape(FLAG_DESCRIPTIONS.get(flag, flag))}">{escape(flag)}</span>'
        for flag in flags
    )
    return f'<span class="flags">{badges}</span>'


def render_segments_html(result: ArticleResult) -> str:
    """Each paragraph as a two-column table, Danish and English sentence by sentence."""
    parts = []
    paragraphs: dict[int, list] = {}
    for segment in result.segments:
        paragraphs.setdefault(segment.paragraph, []).append(segment)
    for number, (_, segments) in enumerate(paragraphs.items(), start=1):
        rows = []
        for segment in segments:
            cls = ' class="flagged"' if segment.flags else ""
            badges = _flag_badges(segment.flags) if segment.flags else ""
            rows.append(
                f'<tr{cls}><td lang="da">{escape(segment.prefix + segment.source)}</td>'
                f'<td lang="en">{escape(segment.prefix + segment.translation)}{badges}</td></tr>'
            )
        parts.append(
            f'<h3 class="paragraph">Paragraph {number}</h3>\n<table class="segments">'
            "<thead><tr><th>Danish</th><th>English</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>\n"
        )
    return '<section class="translation">\n<h2>Translation</h2>\n' + "".join(parts) + "</section>\n"


def render_page(
    result: ArticleResult, source_name: str | None = None, translation: bool = True, summary: bool = True
) -> str:
    """One self-contained HTML review page for an article (``source_name`` "-": standard input)."""
    source_name = "standard input" if source_name == "-" else source_name
    body = render_header_html(result, source_name)
    if summary:
        body += render_summary_html(result)
    if translation:
        flagged = flagged_count(result)
        if flagged:
            body += f'<p class="check">{flagged} of {len(result.segments)} sentences flagged: check these.</p>\n'
        body += render_segments_html(result)
    return _document(f"tsum: {source_name or 'article'}", body)


def index_name(records) -> str:
    """``index.html``, or the first of ``tsum-index.html``, ``tsum-index-2.html``... that no
    article's page is called (compared ignoring case, for case-insensitive file systems)."""
    taken = {name.casefold() for record in records for name in record.outputs}
    candidates = [INDEX_NAME, "tsum-index.html"] + [f"tsum-index-{n}.html" for n in range(2, len(taken) + 3)]
    return next(name for name in candidates if name.casefold() not in taken)


def render_index(records) -> str:
    """The index page of a folder run: every article linked, with its flag count and status.

    ``records`` are results.jsonl records (``input``, ``status``, ``error``, ``outputs``, ``flagged``).
    """
    rows = []
    for record in records:
        link = escape(printable_name(record.input))
        if record.outputs:  # a name that is not UTF-8 links by its own bytes (%FF)
            href = quote(record.outputs[0], errors="surrogateescape")
            link = f'<a href="{escape(href)}">{link}</a>'
        flagged = "" if getattr(record, "flagged", None) is None else str(record.flagged)
        status = str(getattr(record.status, "value", record.status))  # a plain or an Enum string
        cls = ' class="failed"' if status == "failed" else ""
        status += f": {printable_name(record.error)}" if record.error else ""
        rows.append(f'<tr{cls}><td>{link}</td><td class="count">{flagged}</td><td>{escape(status)}</td></tr>')
    total = sum(getattr(record, "flagged", None) or 0 for record in records)
    body = (
        f'<header>\n<h1>tsum review: {len(records)} articles</h1>\n<p class="mt-note">{escape(MT_NOTE)}</p>\n'
        "</header>\n"
        f"<p>{total} flagged sentences in all.</p>\n"
        '<table class="index"><thead><tr><th>Article</th><th>Flagged sentences</th><th>Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )
    return _document("tsum review", body)


def write_index(outdir: Path, records) -> Path:
    """Write the index page of a folder run into ``outdir`` (see :func:`render_index`)."""
    from translate_summarize.util.files import atomic_write  # a killed run never leaves a half-written index

    records = list(records)
    path = outdir / index_name(records)
    atomic_write(path, render_index(records))
    return path
