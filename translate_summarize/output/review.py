"""The HTML review page: one self-contained file per article, and an index for folder runs.

No external assets (inline CSS, no scripts, no fonts, no images), so a page works offline and
can be mailed around; every piece of text goes through :func:`html.escape`. The pieces
(:func:`review_css`, :func:`render_summary_html`, :func:`render_segments_html`,
:func:`render_legend_html`) are public so that other pages (the web page of ``tsum serve``)
show results the same way.

The page is read on a desk and on a phone: one two-column table (Danish | English) per article,
paragraphs as row spacing, long Danish compounds wrapping inside their column, and each flag's
meaning written out (a legend, and the reason under each flagged sentence; a phone has no hover).
The flags and their meanings come from ``FLAG_DESCRIPTIONS``, so a new flag shows with no change here.

Pages hold no timestamp: re-running an article gives the same bytes (resume, Ray vs local).
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from translate_summarize.core.pipeline import ArticleResult
from translate_summarize.core.quality import FLAG_DESCRIPTIONS, flagged_count
from translate_summarize.output.highlight import flag_reasons, flagged_spans, marked_html
from translate_summarize.text.archives import REVIEW_PAGE_MARK, REVIEW_PAGE_START
from translate_summarize.util.names import model_label, printable_name

INDEX_NAME = "index.html"
# What a flag that FLAG_DESCRIPTIONS lacks (a result of a newer tsum) is called on the page.
UNKNOWN_FLAG = "a flag this version of tsum does not describe"
# The flags the index counts per article, beside the flagged sentences: what a desk editor sorts by.
INDEX_CHECKS = {"number_mismatch": "Numbers", "name_missing": "Names", "glossary": "Glossary"}
MT_NOTE = (
    "Machine translation and machine summary: check names, numbers and the flagged sentences "
    "against the Danish original before quoting."
)

# overflow-wrap: anywhere (not break-word) also lowers the cells' minimum width, so a 30-letter
# Danish compound ("hovedstadsområdets beskæftigelsesudvalg") wraps inside its column on a
# 390 px phone instead of widening the table past the screen. hyphens: auto breaks at syllables
# where the browser has a Danish dictionary (Safari, Firefox); elsewhere anywhere still applies.
# Header and body cells share one padding and no cell has a left border (a flagged row's edge is
# an inset shadow), so column headers start exactly where their cells' text starts.
_CSS = """\
:root { color-scheme: light; --flag: #fff3cd; --flag-edge: #d39e00; --muted: #5f6368; --rule: #e4e4e4; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #202124; background: #fff; }
h1, h2, dd, p, li, td, th { overflow-wrap: anywhere; }
header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
header h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.6rem 0 0.2rem; }
header p.original { color: var(--muted); margin: 0 0 0.5rem; font-style: italic; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
p.mt-note { background: #eef3fd; border-left: 4px solid #4a78c2; padding: 0.4rem 0.8rem; }
section.summary p { font-size: 1.05rem; }
.check { background: var(--flag); border-left: 4px solid var(--flag-edge); padding: 0.4rem 0.8rem; }
section.legend { font-size: 0.9rem; } section.legend h2 { font-size: 1rem; margin-bottom: 0.2rem; }
section.legend p { margin: 0.2rem 0; } section.legend ul { margin: 0.2rem 0 1rem; padding-left: 1.2rem; }
section.legend strong { color: #7a5a00; } section.legend li.none { color: var(--muted); }
section.legend li.none strong { color: inherit; font-weight: 500; }
table.segments { border-collapse: collapse; width: 100%; margin-bottom: 1.2rem; table-layout: fixed; }
table.segments th, table.segments td { width: 50%; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
table.segments th { color: var(--muted); font-weight: 600; border-bottom: 2px solid #ccc; }
table.segments td { border-top: 1px solid var(--rule); }
table.segments td:lang(da), table.segments td:lang(en) { hyphens: auto; -webkit-hyphens: auto; }
table.segments tbody + tbody tr:first-child td { border-top: 1px solid #bbb; padding-top: 1.1rem; }
tr.flagged td { background: var(--flag); }
tr.flagged td:first-child { box-shadow: inset 4px 0 0 var(--flag-edge); }
.flags { display: block; font-size: 0.82rem; color: #7a5a00; margin-top: 0.2rem; }
.flag { display: block; } .flag strong { font-weight: 600; }
h2 { font-size: 1.15rem; margin-top: 1.5rem; }
table.index { border-collapse: collapse; width: 100%; }
table.index td, table.index th { padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; border-top: 1px solid #eee; }
table.index .file, table.index .error { display: block; color: var(--muted); font-size: 0.85rem; }
table.index .date, table.index .count, table.index .status { white-space: nowrap; overflow-wrap: normal; }
table.index .count { text-align: right; } tr.failed td, tr.failed .error { color: #a50e0e; }
table.index .checks { text-align: right; white-space: nowrap; }
mark { background: #ffb74d; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.reason { display: block; font-weight: 600; }
@media (max-width: 600px) {
  body { padding: 0.6rem 0.6rem 2rem; font-size: 15px; }
  dl.meta { grid-template-columns: minmax(0, 1fr); } dl.meta dd { margin-bottom: 0.3rem; }
  table.segments th, table.segments td, table.index td, table.index th { padding: 0.25rem 0.3rem; }
  table.segments td { font-size: 0.95rem; }
  /* The index as one block per article: title, file, then "date · N flagged · status" on one line. */
  table.index thead { display: none; }
  table.index, table.index tbody, table.index tr, table.index td { display: block; }
  table.index tr { border-top: 1px solid #eee; padding: 0.4rem 0; }
  table.index td { border: 0; padding: 0 0.3rem; }
  table.index td.date, table.index td.count, table.index td.status { display: inline; padding: 0; }
  table.index td:first-child + td { padding-left: 0.3rem; }
  table.index td.date:not(:empty)::after, table.index td.count:not(:empty)::after { content: " · "; }
  table.index td.count:not(:empty)::before { content: "flagged: "; color: var(--muted); }
  table.index td.checks { display: inline; padding: 0; white-space: normal; }  /* the line may wrap here */
  table.index td.checks:not(:empty)::before { content: attr(data-label) ": "; color: var(--muted); }
  table.index td.checks:not(:empty)::after { content: " · "; }
}
"""


def review_css() -> str:
    """The page's stylesheet (for an inline ``<style>``)."""
    return _CSS


# Marks tsum's own pages, so that a folder run never takes an old review page as an article.
GENERATOR_META = REVIEW_PAGE_MARK


def _document_head(title: str) -> str:
    return (
        f"{REVIEW_PAGE_START}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{review_css()}</style>\n</head>\n<body>\n"
    )


_DOCUMENT_END = "</body>\n</html>\n"


def _model_line(model: dict | None, settings: dict | None) -> str:
    if not model:
        return ""
    line = model_label(model)
    if settings and settings.get("engine"):
        line += f" ({settings['engine']}, {settings.get('compute_type', '')})".replace(", )", ")")
    return line


def page_title(result: ArticleResult, source_name: str | None) -> str:
    """What heads the page: the headline's translation, else the input's name."""
    headline = result.headline()
    if headline is not None and headline.translation.strip():
        return headline.translation.strip()
    return source_name or "Danish article"


def render_header_html(result: ArticleResult, source_name: str | None) -> str:
    """The heading (the headline in English, its Danish below), the input's metadata, the models."""
    headline = result.headline()
    title = page_title(result, source_name)
    in_heading = headline is not None and title == headline.translation.strip()
    rows = [("Input", source_name)] if source_name else []
    rows += [(key.capitalize(), value) for key, value in result.metadata.items() if not (in_heading and key == "title")]
    for task in ("translation", "summary"):
        line = _model_line(result.models.get(task), (result.generation or {}).get(task))
        if line:
            rows.append((f"{task.capitalize()} model", line))
    rows.append(("tsum", result.tsum_version))
    meta = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    original = f'<p class="original" lang="da">{escape(headline.source)}</p>\n' if in_heading else ""
    return (
        f"<header>\n<h1>{escape(title)}</h1>\n{original}"
        f'<dl class="meta">{meta}</dl>\n<p class="mt-note">{escape(MT_NOTE)}</p>\n</header>\n'
    )


def render_summary_html(result: ArticleResult) -> str:
    """The summary and, when it says something the translation does not, its check."""
    if result.summary is None:
        return ""
    parts = ['<section class="summary">\n<h2>Summary</h2>\n', f'<p lang="en">{escape(result.summary)}</p>\n']
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


def _flag_reasons(flags: list[str]) -> str:
    """Each flag with its meaning, written out under the sentence (a phone has no hover)."""
    reasons = "".join(
        f'<span class="flag" data-flag="{escape(flag)}"><strong>{escape(flag)}</strong>: '
        f"{escape(FLAG_DESCRIPTIONS.get(flag, UNKNOWN_FLAG))}</span>"
        for flag in flags
    )
    return f'<span class="flags">{reasons}</span>'


def render_legend_html(result: ArticleResult) -> str:
    """What every flag means, with how many of this article's sentences carry it."""
    found = [flag for segment in result.segments for flag in segment.flags]
    # Every flag tsum knows, in FLAG_DESCRIPTIONS' order, then any it does not (a result of a newer tsum).
    items = []
    for flag in dict.fromkeys([*FLAG_DESCRIPTIONS, *found]):
        count = found.count(flag)
        meaning = FLAG_DESCRIPTIONS.get(flag, UNKNOWN_FLAG)
        cls = "" if count else ' class="none"'
        items.append(
            f'<li data-flag="{escape(flag)}"{cls}><strong>{escape(flag)}</strong>: '
            f'{escape(meaning)} <span class="count">({count or "none"} here)</span></li>'
        )
    return (
        '<section class="legend">\n<h2>What the flags mean</h2>\n'
        f"<p>tsum checks every sentence for these signs of a bad translation.</p>\n<ul>{''.join(items)}</ul>\n</section>\n"
    )


def _reasons(segment) -> str:
    """What the number, name and glossary flags found, one line each ("number 3 missing")."""
    details = [reason for reason in flag_reasons(segment) if reason not in segment.flags]
    return "".join(f'<span class="reason">{escape(reason)}</span>' for reason in details)


def _segment_pieces(result: ArticleResult) -> Iterator[str]:
    """The article as one two-column table, Danish and English sentence by sentence; each
    paragraph is a ``<tbody>`` of its own, set apart by spacing. One paragraph at a time: the
    page of a 20 MiB article is never one string."""
    yield '<table class="segments">\n<thead><tr><th scope="col">Danish</th><th scope="col">English</th></tr></thead>\n'
    for _, segments in groupby(result.segments, key=lambda segment: segment.paragraph):
        rows = []
        for segment in segments:
            cls = ' class="flagged"' if segment.flags else ""
            reasons = _flag_reasons(segment.flags) + _reasons(segment) if segment.flags else ""
            # The number, name or term a flag is about, marked where it is (or should be).
            in_source, in_translation = flagged_spans(segment)
            source = marked_html(segment.prefix + segment.source, in_source, len(segment.prefix))
            translation = marked_html(segment.prefix + segment.translation, in_translation, len(segment.prefix))
            rows.append(f'<tr{cls}><td lang="da">{source}</td><td lang="en">{translation}{reasons}</td></tr>')
        yield f"<tbody>{''.join(rows)}</tbody>\n"
    yield "</table>\n"


def render_segments_html(result: ArticleResult) -> str:
    """The two-column table of the article's sentences (see ``_segment_pieces``)."""
    return "".join(_segment_pieces(result))


def page_pieces(
    result: ArticleResult, source_name: str | None = None, translation: bool = True, summary: bool = True
) -> Iterator[str]:
    """One self-contained HTML review page for an article (``source_name`` "-": standard input),
    piece by piece, for writing it without holding it whole."""
    source_name = "standard input" if source_name == "-" else source_name
    yield _document_head(f"{page_title(result, source_name)} - tsum review")
    yield render_header_html(result, source_name)
    if summary:
        yield render_summary_html(result)
    if translation:
        yield '<section class="translation">\n<h2>Translation</h2>\n'
        flagged = flagged_count(result)
        if flagged:
            yield f'<p class="check">{flagged} of {len(result.segments)} sentences flagged: check these.</p>\n'
        yield render_legend_html(result)
        yield from _segment_pieces(result)
        yield "</section>\n"
    yield _DOCUMENT_END


def render_page(
    result: ArticleResult, source_name: str | None = None, translation: bool = True, summary: bool = True
) -> str:
    """One self-contained HTML review page for an article, as one string (see ``page_pieces``)."""
    return "".join(page_pieces(result, source_name, translation, summary))


def index_name(records) -> str:
    """``index.html``, or the first of ``tsum-index.html``, ``tsum-index-2.html``... that no
    article's page is called (compared ignoring case, for case-insensitive file systems)."""
    taken = {name.casefold() for record in records for name in record.outputs}
    candidates = [INDEX_NAME, "tsum-index.html"] + [f"tsum-index-{n}.html" for n in range(2, len(taken) + 3)]
    return next(name for name in candidates if name.casefold() not in taken)


def _status(record) -> str:
    return str(getattr(record.status, "value", record.status))  # a plain or an Enum string


def index_order(records) -> list:
    """Failed articles first (they have no page yet), then the most flagged sentences first;
    ties by input name, so that the order is the same on every run."""
    return sorted(records, key=lambda r: (_status(r) != "failed", -(getattr(r, "flagged", None) or 0), r.input))


def render_index(records) -> str:
    """The index page of a folder run: every article with its title, date, flag count and status.

    ``records`` are results.jsonl records (``input``, ``status``, ``error``, ``outputs``,
    ``flagged``, ``title``, ``date``).
    """
    rows = []
    for record in index_order(records):
        name = escape(printable_name(record.input))
        title = getattr(record, "title", None)
        label = escape(title) if title else name
        if record.outputs:  # a name that is not UTF-8 links by its own bytes (%FF)
            href = quote(record.outputs[0], errors="surrogateescape")
            label = f'<a href="{escape(href)}">{label}</a>'
        label += f'<span class="file">{name}</span>' if title else ""
        label += f'<span class="error">{escape(printable_name(record.error))}</span>' if record.error else ""
        flagged = "" if getattr(record, "flagged", None) is None else str(record.flagged)
        status = _status(record)
        cls = ' class="failed"' if status == "failed" else ""
        date = escape(getattr(record, "date", None) or "")
        counts = getattr(record, "flag_counts", None)  # None: a failed article, or a record of an older tsum
        checks = "".join(
            f'<td class="checks" data-label="{column}">{"" if counts is None else counts.get(flag, 0)}</td>'
            for flag, column in INDEX_CHECKS.items()
        )
        rows.append(
            f'<tr{cls}><td>{label}</td><td class="date">{date}</td><td class="count">{flagged}</td>{checks}'
            f'<td class="status">{escape(status)}</td></tr>'
        )
    total = sum(getattr(record, "flagged", None) or 0 for record in records)
    body = (
        f'<header>\n<h1>tsum review: {len(records)} articles</h1>\n<p class="mt-note">{escape(MT_NOTE)}</p>\n'
        "</header>\n"
        f"<p>{total} flagged sentences in all. Most flagged first (failed articles at the top).</p>\n"
        '<table class="index"><thead><tr><th scope="col">Article</th><th scope="col" class="date">Date</th>'
        '<th scope="col" class="count">Flagged</th>'
        + "".join(
            f'<th scope="col" class="checks" title="{escape(FLAG_DESCRIPTIONS[flag])}">{column}</th>'
            for flag, column in INDEX_CHECKS.items()
        )
        + '<th scope="col" class="status">Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )
    return _document_head("tsum review") + body + _DOCUMENT_END


def write_index(outdir: Path, records) -> Path:
    """Write the index page of a folder run into ``outdir`` (see :func:`render_index`)."""
    from translate_summarize.util.files import atomic_write  # a killed run never leaves a half-written index

    records = list(records)
    path = outdir / index_name(records)
    atomic_write(path, render_index(records))
    return path
