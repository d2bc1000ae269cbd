"""What the CLI commands do, as plain functions (kept out of cli.py so it stays thin)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from translate_summarize.errors import UsageError
from translate_summarize.options import BatchOptions, PipelineOptions, WebOptions
from translate_summarize.text.documents import DOCUMENT_SUFFIXES
from translate_summarize.text.inputs import input_text
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, read_article, read_stdin
from translate_summarize.util.files import (
    Output,
    check_output_file,
    closed_standard_streams,
    read_input_bytes,
    write_output_file,
    write_stdout,
)

if TYPE_CHECKING:
    from translate_summarize.core.pipeline import Pipeline, StageProgress
    from translate_summarize.text.segment import ParsedArticle


def read_input(path: str) -> str:
    """An article from a file, a FIFO or a device, or from standard input for ``-``.

    Raises:
        InputError: see :func:`translate_summarize.text.reading.read_article`.
    """
    if path == "-":
        return read_stdin()
    return read_article(path)


def check_streams(path: str, output: Path | None) -> None:
    """Refuse closed standard streams up front (closed ones are reopened on /dev/null).

    Raises:
        UsageError: ``-`` with a closed standard input, or no ``-o`` with a closed standard output.
    """
    closed = closed_standard_streams()
    if path == "-" and (0 in closed or sys.stdin is None):
        raise UsageError("standard input is closed: pipe an article in, or pass a file name")
    if output is None and (1 in closed or sys.stdout is None):
        raise UsageError("standard output is closed: pass -o FILE")
    if output is None:
        check_stdout_encoding()


# Letters any output may hold (Danish names and metadata, typographic quotes in translations).
_ENCODING_PROBE = "æøåÆØÅ“”–…€"


def check_stdout_encoding() -> None:
    """Refuse, before any model work, a standard output that cannot hold the output's letters.

    Under ``LC_ALL=C PYTHONUTF8=0`` Python writes ASCII to standard output; the write of the
    finished output would fail only after the models ran.

    Raises:
        UsageError: standard output's encoding cannot write Danish letters.
    """
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        _ENCODING_PROBE.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        raise UsageError(
            f"standard output is set to the {encoding} encoding, which cannot write Danish letters: "
            "use a UTF-8 locale (LC_ALL=C.UTF-8) or PYTHONUTF8=1, or pass -o FILE"
        ) from None


def write_output(text: Output, output: Path | None) -> None:
    """Print ``text``, or write it to ``-o`` (atomically for a file; into a device or FIFO).

    Raises:
        OutputError: the output could not be written.
    """
    if output is None:
        write_stdout(text)
    else:
        write_output_file(output, text)


def run_single(
    path: str,
    output: Path | None,
    options: PipelineOptions,
    batch: BatchOptions,
    web: WebOptions | None = None,
) -> None:
    """Translate (and summarise) one article; every check that can fail runs before the models load.

    Of ``batch``, one article uses ``output_format``, ``summary_only`` and ``quiet``.

    Raises:
        TsumError: bad input or output (exit 2), a model that cannot load (exit 3), or an
            output that cannot be written (exit 1).
    """
    from translate_summarize.core.loading import load_models
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.output.render import render_pieces

    output_format, summary_only, quiet = batch.output_format, batch.summary_only, batch.quiet
    pipeline = Pipeline(options, quiet=quiet)  # reads the glossary: a bad file fails before any work
    check_streams(path, output)
    if output is not None:
        check_output_file(output, [path])
    if output_format == "docx" and (output is None or web is not None or PurePath(path).suffix.lower() != ".docx"):
        raise UsageError(
            "--format docx writes the English version of a .docx input into a file: tsum in.docx --format docx -o out.docx"
        )
    name = "standard input" if path == "-" else path
    if web is not None:  # a URL (cli/sources.py)
        article = read_url_article(path, pipeline, web)
    elif path != "-" and PurePath(path).suffix.lower() in DOCUMENT_SUFFIXES:
        text, kind = input_text(read_input_bytes(path, MAX_ARTICLE_BYTES), path)
        article = pipeline.parse(text, path, kind=kind)
    else:
        article = pipeline.parse(read_input(path), name)  # parsed by kind of input, with the language guard
    with article_progress(quiet) as progress:
        load_models(pipeline, progress)  # before any work: "loading the models" moves 0/2, 1/2, 2/2
        result = pipeline.process_parsed([article], progress=progress)[0]
    if output_format == "docx":
        from translate_summarize.output.docx import translated_docx

        source = read_input_bytes(path, MAX_ARTICLE_BYTES)
        rendered = translated_docx(source, result, path, translation=not summary_only, summary=options.summarize)
    else:
        # In pieces: a 20 MiB article's output is never one string (output/render.py).
        rendered = render_pieces(
            result, output_format, translation=not summary_only, summary=options.summarize, source_name=path
        )
    write_output(rendered, output)


def read_url_article(url: str, pipeline: Pipeline, web: WebOptions) -> ParsedArticle:
    """Fetch one URL and parse its article (a page or a document); a feed is refused here.

    Raises:
        FetchError: see ``web.fetch.Fetcher.get``.
        UsageError: the URL is a feed (its items need -o OUTDIR).
        InputError: the page holds no article, or the language guard.
    """
    from translate_summarize.web.articles import page_article
    from translate_summarize.web.feeds import looks_like_feed
    from translate_summarize.web.fetch import Fetcher

    with Fetcher(web.fetch) as fetcher:
        page = fetcher.get(url)
    if looks_like_feed(page):
        raise UsageError(f"{url} is a feed: pass -o OUTDIR/ to translate each of its items: tsum {url} -o news/")
    text, kind = page_article(page)
    return pipeline.parse(text, url, kind=kind)


# Progress of one article: the stages Pipeline.process reports, as one tqdm bar.
_STAGES = {
    "load": ("loading the models", "model"),
    "translate": ("translating", "sentence"),
    "summarize": ("summarising", "pass"),  # passes move during the map-reduce rounds of a long article
}


@contextmanager
def article_progress(quiet: bool) -> Iterator[StageProgress | None]:
    """A progress bar on stderr when it is a terminal and not ``quiet``; else no callback.

    tqdm draws it (rate, ETA) and ``leave=False`` erases it when done, so the output that follows
    on a terminal starts on a clean line.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    description, unit = _STAGES["load"]
    with tqdm(total=1, desc=description, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        current = ["load"]

        def report(stage: str, done: int, total: int) -> None:
            if current != [stage]:
                current[:] = [stage]
                description, bar.unit = _STAGES[stage]
                bar.set_description_str(description, refresh=False)
                bar.reset(total=total)
            elif bar.total != total:  # the models to load, or a long article's summary passes, are known now
                bar.total = total
            bar.update(done - bar.n)
            if done == total:
                bar.refresh()  # draw a finished stage even when it ended within tqdm's redraw interval

        yield report


def _cached_bytes(spec) -> int | None:
    from translate_summarize.models.resolve import cached_folder

    folder = cached_folder(spec)
    return None if folder is None else sum((folder / name).stat().st_size for name in spec.files)


def list_models(as_json: bool = False, width: int | None = None) -> str:
    """``tsum models list``: a table (cut to ``width`` columns when given), or JSON with sizes in bytes."""
    from translate_summarize.models.registry import MODELS

    rows = []
    for s in MODELS.values():
        cached = _cached_bytes(s)
        rows.append(
            {
                "name": s.name,
                "task": s.task,
                "repo": s.repo_id,
                "revision": s.revision,
                # Bytes: those in the cache when cached, else the published download size.
                "size": cached if cached is not None else s.published_bytes,
                "size_source": "cache" if cached is not None else "published",
                "license": s.license,
                "cached": cached is not None,
                "description": s.description,
            }
        )
    if as_json:
        return json.dumps(rows, indent=2)
    header = ("NAME", "TASK", "REPO", "REVISION", "SIZE", "LICENSE", "CACHED", "DESCRIPTION")
    table = [header] + [
        (
            r["name"],
            r["task"],
            r["repo"],
            r["revision"],
            spec.size,
            r["license"],
            "yes" if r["cached"] else "no",
            r["description"],
        )
        for r, spec in zip(rows, MODELS.values())
    ]
    return "\n".join(_fit(table, width))


def _fit(table: list[tuple[str, ...]], width: int | None) -> list[str]:
    """The table's lines; when wider than ``width``, shortened step by step until it fits: revisions
    cut to 12 characters (as Git shows them) and sizes to their figure, then the description cut
    with an ellipsis or left out, then the repo and license columns left out."""

    def lines(rows):
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]

    def fits(candidate):
        return max(map(len, candidate)) <= width

    full = lines(table)
    if width is None or fits(full):
        return full
    header = table[0]
    short = [header] + [
        tuple(
            cell[:12] if name == "REVISION" else cell.split(" (")[0] if name == "SIZE" else cell
            for name, cell in zip(header, row)
        )
        for row in table[1:]
    ]
    without = lines([row[:-1] for row in short])
    room = width - (max(map(len, lines([(*row[:-1], "") for row in short]))) + 2)  # where descriptions start
    if room >= 12:
        return lines([(*row[:-1], row[-1] if len(row[-1]) <= room else row[-1][: room - 1] + "…") for row in short])
    candidate = without
    for drop in ("REPO", "LICENSE"):
        if fits(candidate):
            break
        keep = [i for i, name in enumerate(short[0]) if name not in (drop, "DESCRIPTION")]
        short = [tuple(row[i] for i in keep) + ("",) for row in short]  # the "" stands for the dropped description
        candidate = lines([row[:-1] for row in short])
    return candidate


def download_models(names) -> list[str]:
    from translate_summarize.models.registry import require_spec
    from translate_summarize.models.resolve import download_models as download

    specs = list(map(require_spec, names))
    return [f"{spec.name}: {folder}" for spec, folder in zip(specs, download(specs))]
