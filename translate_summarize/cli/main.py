"""The `tsum` command: parse options, call the library, print. No model code lives here."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from translate_summarize import __version__
from translate_summarize.cli.eval_cmd import evaluate_command
from translate_summarize.cli.group import DefaultCommand, TsumGroup, did_you_mean
from translate_summarize.cli.models_cmd import models
from translate_summarize.cli.options import BATCH_DEFAULTS, field_option, pop_fields, with_pipeline_options
from translate_summarize.cli.serve_cmd import serve
from translate_summarize.cli.sources import check_sources, is_url, split_sources, web_options, with_web_options
from translate_summarize.errors import InputError, UsageError
from translate_summarize.options import (
    EXECUTORS,
    FORMATS,
    BatchOptions,
    PipelineOptions,
)

EXAMPLES = """\b
Examples:
  tsum article.txt                      summary + full translation, as text
  tsum article.txt --format json -o out.json
  tsum page.html                        a saved web page: the article only, no menus
  tsum news.jsonl -o out/               an archive: out/news/<id>.txt for each article
  tsum https://www.dr.dk/nyheder/...    a link: the page is fetched and its article translated
  tsum FEED-URL -o news/                every new item of a feed (run it every hour: only new ones)
  tsum feeds.opml -o news/              many feeds (OPML or one URL a line): news/<feed host>/...
  tsum release.docx --format docx -o release.en.docx   a Word document, translated in place
  cat article.txt | tsum - --summary-only
  tsum articles/ -o out/                a whole folder (resumable; see results.jsonl)
  tsum articles/ -o review/ --format html   a review page per article + review/index.html
  tsum eval out.json ref.en.txt         BLEU and chrF against a reference (tsum eval --help)
  tsum models list                      pinned models and whether they are cached
  tsum models download                  fetch the default models for offline use
  tsum --version
"""


def _is_archive_path(path: str) -> bool:
    """A JSON Lines archive, or a JSON file holding a list of articles: one output each (-o OUTDIR)."""
    from translate_summarize.text.archives import holds_article_list

    return path.lower().endswith(".jsonl") or holds_article_list(Path(path))


@click.group(cls=TsumGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="tsum")
def main():
    """Translate and summarise Danish news articles into English."""
    from translate_summarize.util.log import show_messages_on_stderr

    show_messages_on_stderr()  # the library's warnings and notes, as lines on stderr


@main.command(name="run", cls=DefaultCommand, epilog=EXAMPLES)
@click.argument(
    # Not required by click: `tsum --urls FILE -o OUT/` has none (run() asks for one otherwise).
    "paths",
    nargs=-1,
    required=False,
    metavar="ARTICLE|FOLDER...",
    type=click.Path(allow_dash=True, path_type=str),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Output file (one article; - for standard output) or folder (folders, several files).",
)
@field_option(
    BATCH_DEFAULTS,
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="docx: a .docx input's own document with each paragraph translated (-o FILE or OUTDIR).",
)
@click.option("--summary-only", is_flag=True, help="Print only the summary.")
@with_pipeline_options()
@click.option(
    "--glob",
    multiple=True,
    callback=lambda ctx, param, value: tuple(value) or BATCH_DEFAULTS.glob,
    help=(
        "File-name patterns in folders (searched recursively), case-insensitive "
        f"[default: {', '.join(BATCH_DEFAULTS.glob)}]; repeatable."
    ),
)
@click.option("--force", is_flag=True, help="Folders: redo articles whose outputs are up to date.")
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Folders: follow links that point outside the input folder (each real file is read once).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary line.")
@field_option(
    BATCH_DEFAULTS, "--executor", type=click.Choice(EXECUTORS), help="Folders: run here, or on a Ray cluster."
)
@field_option(
    BATCH_DEFAULTS, "--ray-address", show_default=False, help="Ray cluster address [default: start a local Ray]."
)
@field_option(BATCH_DEFAULTS, "--workers", type=click.IntRange(min=1), help="Ray workers (each loads the models once).")
@field_option(
    BATCH_DEFAULTS,
    "--gpus-per-worker",
    type=click.FloatRange(min=0),
    help="GPUs each Ray worker reserves (a fraction shares a GPU; more than 0 runs --device auto on cuda).",
)
@field_option(
    BATCH_DEFAULTS,
    "--cpus-per-worker",
    type=click.IntRange(min=0),
    show_default=False,
    help="CPUs each Ray worker reserves and uses [default: the cluster's CPUs / workers, at most one node's].",
)
@with_web_options  # links, feeds and URL lists: cli/sources.py
def run(paths, output, no_summary, url_lists, ignore_robots, rate, since, max_items, **params):
    """Translate Danish ARTICLE files (or - for stdin) into English and summarise them.

    Given a FOLDER or several files, writes one output per article under -o OUTDIR, mirroring
    the input tree, plus OUTDIR/results.jsonl.

    Inputs: plain text (.txt; UTF-8, UTF-16 or a legacy Danish code page), Markdown (.md:
    headings, bullets and quotes kept out of the model), saved web pages (.html, .htm, or HTML
    on stdin: the article text only; title, date, author and URL as metadata), JSON articles
    (.json, news-please style) and JSON Lines archives (.jsonl: one article a line, one output
    each under -o OUTDIR), documents (.docx, .odt, .pdf with a text layer), and http(s) URLs of
    pages, documents or feeds (RSS, Atom, JSON Feed: each new item, under -o OUTDIR), also
    listed in a file (one URL a line, or OPML). Articles that do not look Danish get a warning
    (see --other-language).
    """
    if not paths and not url_lists:  # click's own message, as when the argument was required
        context = click.get_current_context()
        raise click.MissingParameter(ctx=context, param=next(p for p in context.command.params if p.name == "paths"))
    if no_summary and params["summary_only"]:
        raise UsageError("--no-summary and --summary-only contradict each other: pick one")
    try:
        os.getcwd()
    except FileNotFoundError:
        # the shell's folder was deleted under it: relative names mean nothing, and native
        # libraries that look up their own path abort the process (oneMKL) instead of raising
        raise UsageError("the current folder no longer exists: cd to an existing folder and run again") from None
    if "" in paths or output == "":
        raise UsageError("an empty file name was given: pass a file, a folder or - (standard input)")
    missing = next((p for p in paths if p != "-" and not is_url(p) and not os.path.lexists(p)), None)
    if missing is not None:  # named before any other complaint (-o, Ray options) about the paths
        raise InputError(f"{missing} does not exist{did_you_mean(main, paths)}")
    batch_options = BatchOptions(**pop_fields(BatchOptions, params))
    pipeline_options = PipelineOptions(summarize=not no_summary, **params)
    # --- links, feeds and URL lists (cli/sources.py) ---
    paths, urls, listed = split_sources(paths, url_lists)
    check_sources(urls, pipeline_options.offline, batch_options.executor)
    web = web_options(urls, ignore_robots, rate, since, max_items)
    to_folder = output is not None and (output.endswith("/") or Path(output).is_dir())
    if len(urls) == 1 and not paths and not listed and not to_folder:  # one page (a feed needs -o OUTDIR/)
        from translate_summarize.cli.commands import run_single

        _check_single_article_options(click.get_current_context())
        run_single(urls[0], _single_output(output), pipeline_options, batch_options, web)
        return
    # --- end of links, feeds and URL lists ---
    batch = bool(urls) or listed
    batch = batch or len(paths) > 1 or any(p != "-" and (Path(p).is_dir() or _is_archive_path(p)) for p in paths)
    if not batch:
        from translate_summarize.cli.commands import run_single

        _check_single_article_options(click.get_current_context())

        run_single(paths[0], _single_output(output), pipeline_options, batch_options)
        return
    if output is None or output == "-":
        archive = next((p for p in paths if p != "-" and _is_archive_path(p)), None)
        if archive and len(paths) == 1:
            raise UsageError(f"an archive needs -o OUTDIR for its articles' outputs: tsum {archive} -o out/")
        if urls or listed:
            raise UsageError("URL lists, feeds and several URLs need -o OUTDIR: tsum urls.txt -o out/")
        raise UsageError("folders and several files need -o OUTDIR: tsum articles/ -o out/")
    if "-" in paths:
        raise UsageError("- (stdin) cannot be mixed with folders or several files")
    from translate_summarize.batch import run_batch

    summary = run_batch([Path(p) for p in paths], Path(output), pipeline_options, replace(batch_options, web=web))
    sys.exit(0 if summary.failed == 0 else 1)


# Options of folder runs. The Ray ones ask for a cluster one article never uses: an error. The
# others only choose or skip files in a folder, so a script passing them for every input can go
# on: a warning.
_RAY_ONLY_OPTIONS = ("executor", "ray_address", "workers", "cpus_per_worker", "gpus_per_worker")
_FOLDER_ONLY_OPTIONS = ("glob", "force", "follow_symlinks")


def _given(ctx: click.Context, name: str) -> str | None:
    """The option's command-line spelling when it was given (not left to its default)."""
    if ctx.get_parameter_source(name) in (None, click.core.ParameterSource.DEFAULT):
        return None
    if name == "executor" and ctx.params[name] == "local":
        return None  # --executor local is what one article gets anyway
    param = next(p for p in ctx.command.params if p.name == name)
    return max(param.opts, key=len)


def _check_single_article_options(ctx: click.Context) -> None:
    """Refuse Ray options with one article; warn about other folder-only options.

    Raises:
        UsageError: a Ray option was given for a single article.
    """
    ray = [spelling for spelling in (_given(ctx, name) for name in _RAY_ONLY_OPTIONS) if spelling]
    if ray:
        verb, pronoun = ("is", "it") if len(ray) == 1 else ("are", "them")
        raise UsageError(f"{', '.join(ray)} {verb} for folder runs on Ray, not one article: leave {pronoun} out")
    folder = [spelling for spelling in (_given(ctx, name) for name in _FOLDER_ONLY_OPTIONS) if spelling]
    if folder:
        verb = "applies" if len(folder) == 1 else "apply"
        click.echo(f"Warning: {', '.join(folder)} only {verb} to folders; ignored for one article", err=True)


def _single_output(output: str | None) -> Path | None:
    """One article's ``-o``: ``-`` is standard output; a name ending in ``/`` is a folder, refused."""
    if output is None or output == "-":
        return None
    if output.endswith("/") and not Path(output).is_dir():
        raise UsageError(f"{output} names a folder: pass a file name to -o for a single article")
    return Path(output)


for _command in (serve, models, evaluate_command):
    main.add_command(_command)
