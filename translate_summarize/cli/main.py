"""The `tsum` command: parse options, call the library, print. No model code lives here."""

from __future__ import annotations

import errno
import math
import os
import sys
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from translate_summarize import __version__
from translate_summarize.core.runtime import AUTO_COMPUTE_TYPE
from translate_summarize.errors import TsumError, UsageError
from translate_summarize.options import (
    BATCH_TOKENS,
    COMPUTE_TYPES,
    DEVICES,
    ENGINES,
    EXECUTORS,
    FORMATS,
    MAX_BEAM_SIZE,
    MAX_THREADS,
    MIN_SCORE_RANGE,
    OTHER_LANGUAGE_POLICIES,
    SUMMARY_GENERATION,
    SUMMARY_LENGTHS,
    SUPPORTED_LANGUAGES,
    TRANSLATION_GENERATION,
    BatchOptions,
    PipelineOptions,
)
from translate_summarize.serve.settings import ServeOptions

DEFAULTS = PipelineOptions()
SERVE_DEFAULTS = ServeOptions()
BATCH_DEFAULTS = BatchOptions()
# Help texts are built from the defaults, never typed by hand.
_PER_DEVICE_BATCH_TOKENS = ", ".join(f"{device} {tokens}" for device, tokens in BATCH_TOKENS.items())
_AUTO_COMPUTE = ", ".join(f"{ct} for {engine} on {device}" for (engine, device), ct in AUTO_COMPUTE_TYPE.items())
_BEAMS = (
    str(TRANSLATION_GENERATION.beam_size)
    if TRANSLATION_GENERATION.beam_size == SUMMARY_GENERATION.beam_size
    else f"{TRANSLATION_GENERATION.beam_size} (translation), {SUMMARY_GENERATION.beam_size} (summary)"
)

EXAMPLES = """\b
Examples:
  tsum article.txt                      summary + full translation, as text
  tsum article.txt --format json -o out.json
  tsum page.html                        a saved web page: the article only, no menus
  tsum news.jsonl -o out/               an archive: out/news/<id>.txt for each article
  cat article.txt | tsum - --summary-only
  tsum articles/ -o out/                a whole folder (resumable; see results.jsonl)
  tsum articles/ -o review/ --format html   a review page per article + review/index.html
  tsum eval out.json ref.en.txt         BLEU and chrF against a reference (tsum eval --help)
  tsum models list                      pinned models and whether they are cached
  tsum models download                  fetch the default models for offline use
  tsum --version
"""


def _fail(error: TsumError) -> None:
    from translate_summarize.util.names import printable_line

    click.echo(printable_line(f"Error: {error}"), err=True)  # a file name in it is shown, never obeyed
    sys.exit(error.exit_code)


class DefaultCommandContext(click.Context):
    """The hidden default command speaks as `tsum` itself in usage lines and error hints."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent is not None else super().command_path


class DefaultCommand(click.Command):
    context_class = DefaultCommandContext


class TsumGroup(click.Group):
    """`tsum ARTICLE ...` runs the default command; `tsum models ...` the subcommand.

    An argument that names both a subcommand and an existing file or folder (a folder called
    `models`) is read as the path when arguments follow it that do not parse as that subcommand:
    `tsum models -o out/` translates the folder; `tsum models` and `tsum models list` stay the
    subcommand; `tsum ./models ...` always means the path.
    """

    default_command = "run"

    def parse_args(self, ctx, args):
        if not args:
            args = ["--help"]
        elif self._runs_default(ctx, args):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def _runs_default(self, ctx, args) -> bool:
        if args[0] in ("--help", "-h", "--version"):
            return False
        if args[0] not in self.commands:
            return True
        # Alone, the word stays the subcommand (`tsum models` shows its help even beside a models/ folder).
        return (
            len(args) > 1 and Path(args[0]).exists() and not _parses_as(self.commands[args[0]], args[0], args[1:], ctx)
        )

    def format_help(self, ctx, formatter):
        command = self.commands[self.default_command]
        # The run command's help, spoken as `tsum` (with -h/--help, which it accepts through `tsum`).
        with click.Context(
            command, info_name=ctx.info_name, parent=None, help_option_names=ctx.help_option_names
        ) as sub:
            command.format_help(sub, formatter)
        formatter.write_paragraph()
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx):
        return [name for name in super().list_commands(ctx) if name != self.default_command]

    def shell_complete(self, ctx, incomplete):
        # The first word may be a subcommand or an ARTICLE: offer both.
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items.append(CompletionItem(incomplete, type="file"))
        else:  # `tsum --fo<TAB>`: the options of the default command too
            run_context = self.commands[self.default_command].make_context(
                ctx.info_name, [], parent=ctx, resilient_parsing=True
            )
            items += self.commands[self.default_command].shell_complete(run_context, incomplete)
        return items

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TsumError as error:
            _fail(error)
        except KeyboardInterrupt:
            import signal

            # A second Ctrl-C during shutdown (joining threads) would print "Exception ignored in
            # <module 'threading'>": we are already stopping, so ignore it.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            click.echo("Error: interrupted", err=True)
            sys.exit(130)

    def main(self, *args, **kwargs):
        # Help, --version or a listing printed to a full or broken standard output
        # (`tsum --help >/dev/full`) is one line, not a traceback; any other OSError is a bug
        # to see in full, not a write error to blame on standard output.
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            from translate_summarize.util.files import silence_stdout

            if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EPIPE) or not _raised_writing_stdout(exc):
                raise
            silence_stdout()
            click.echo(f"Error: cannot write to standard output ({exc.strerror})", err=True)
            sys.exit(1)


def _raised_writing_stdout(exc: OSError) -> bool:
    """Whether ``exc`` came from ``click.echo`` writing to standard output (file descriptor 1).

    Every answer tsum prints outside an article's output (help, --version, listings) goes
    through ``click.echo``; its frame in the traceback holds the stream it wrote to.
    """
    if exc.filename is not None:
        return False  # a write to standard output names no file
    traceback = exc.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code is click.utils.echo.__code__:
            try:
                return frame.f_locals["file"].fileno() == 1
            except (AttributeError, KeyError, OSError, ValueError):
                return False
        traceback = traceback.tb_next
    return False


def _parses_as(command: click.Command, name: str, args: list[str], parent: click.Context) -> bool:
    """Whether ``args`` are a valid invocation of ``command`` (help requests always are)."""
    if any(arg in parent.help_option_names for arg in args):
        return True
    if isinstance(command, click.Group):
        # `tsum models path` (NAME missing) names a subcommand of the group: that is what was meant,
        # and its own usage error says what is missing.
        words = [arg for arg in args if not arg.startswith("-")]
        return bool(words) and words[0] in command.commands
    try:
        with command.make_context(name, list(args), parent=parent):
            return True
    except click.UsageError:
        return False


def _complete_language(ctx, param, incomplete):
    return [language for language in SUPPORTED_LANGUAGES if language.startswith(incomplete)]


# The options that decide what is computed (PipelineOptions), shared by `run` and `serve`.
def _finite(ctx, param, value):
    """click.FloatRange lets NaN through (no comparison with NaN is true): refuse it here."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a number in the range", ctx=ctx, param=param)
    return value


PIPELINE_OPTIONS = [
    click.option(
        "--lang", default=DEFAULTS.lang, show_default=True, shell_complete=_complete_language, help="Target language."
    ),
    click.option("--no-summary", is_flag=True, help="Translate only; the summariser is not loaded."),
    click.option(
        "--summary-length", type=click.Choice(list(SUMMARY_LENGTHS)), default=DEFAULTS.summary_length, show_default=True
    ),
    click.option(
        "--translation-model",
        default=DEFAULTS.translation_model,
        show_default=True,
        help="Registered name (or its Hub repo id) or local model directory.",
    ),
    click.option(
        "--summary-model",
        default=DEFAULTS.summary_model,
        show_default=True,
        help="Registered name (or its Hub repo id) or local model directory.",
    ),
    click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default=DEFAULTS.engine,
        show_default=True,
        help="auto: ctranslate2 on CPU, transformers on GPU.",
    ),
    click.option("--device", type=click.Choice(DEVICES), default=DEFAULTS.device, show_default=True),
    click.option(
        "--compute-type",
        type=click.Choice(COMPUTE_TYPES),
        default=DEFAULTS.compute_type,
        show_default=True,
        help=f"auto: {_AUTO_COMPUTE}, float32 for transformers.",
    ),
    click.option(
        "--threads",
        type=click.IntRange(min=0, max=MAX_THREADS),
        default=DEFAULTS.threads,
        show_default=True,
        help=f"CPU threads, 0 to {MAX_THREADS} (0: all cores).",
    ),
    click.option(
        "--batch-tokens",
        type=click.IntRange(min=64),
        default=DEFAULTS.batch_tokens,
        help=f"Source tokens per batch, padding included [default: per device: {_PER_DEVICE_BATCH_TOKENS}].",
    ),
    click.option(
        "--beam-size",
        type=click.IntRange(min=1, max=MAX_BEAM_SIZE),
        default=DEFAULTS.beam_size,
        help=f"Beam size for both models, 1 to {MAX_BEAM_SIZE} [default: {_BEAMS}].",
    ),
    click.option(
        "--min-score",
        type=click.FloatRange(*MIN_SCORE_RANGE),
        callback=_finite,
        default=DEFAULTS.min_score,
        show_default=True,
        help=f"Flag sentences scored under this (mean log-probability per token, {MIN_SCORE_RANGE[0]:g} to "
        f"{MIN_SCORE_RANGE[1]:g}) as low_confidence.",
    ),
    click.option(
        "--offline", is_flag=True, default=DEFAULTS.offline, help="Never touch the network (as HF_HUB_OFFLINE=1)."
    ),
    click.option(
        "--other-language",
        type=click.Choice(OTHER_LANGUAGE_POLICIES),
        default=DEFAULTS.other_language,
        show_default=True,
        help="An article that does not look Danish: warn and translate it, or fail it (exit 2 / failed record).",
    ),
]


def _share_batches_option(default: bool):
    return click.option(
        "--share-batches/--no-share-batches",
        default=default,
        show_default=True,
        help="Let articles share decoding batches: more throughput for many short articles or a busy server, "
        "but an article's translation may then depend on which articles shared its batches.",
    )


def with_pipeline_options(share_batches: bool = DEFAULTS.share_batches):
    """Add the model, engine and generation options (PipelineOptions) to a command.

    ``share_batches`` is the command's default for --share-batches: off for files and folders
    (an article's output never depends on its neighbours), on for ``tsum serve`` (requests'
    sentences are micro-batched together, as a shared server needs).
    """

    def decorate(command):
        for option in reversed([*PIPELINE_OPTIONS, _share_batches_option(share_batches)]):
            command = option(command)
        return command

    return decorate


@click.group(cls=TsumGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="tsum")
def main():
    """Translate and summarise Danish news articles into English."""


@main.command(name="run", cls=DefaultCommand, epilog=EXAMPLES)
@click.argument(
    "paths", nargs=-1, required=True, metavar="ARTICLE|FOLDER...", type=click.Path(allow_dash=True, path_type=str)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Output file (one article; - for standard output) or folder (folders, several files).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=BATCH_DEFAULTS.format, show_default=True)
@click.option("--summary-only", is_flag=True, help="Print only the summary.")
@with_pipeline_options()
@click.option(
    "--glob",
    "globs",
    multiple=True,
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
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default=BATCH_DEFAULTS.executor,
    show_default=True,
    help="Folders: run here, or on a Ray cluster.",
)
@click.option("--ray-address", default=None, help="Ray cluster address [default: start a local Ray].")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=BATCH_DEFAULTS.workers,
    show_default=True,
    help="Ray workers (each loads the models once).",
)
@click.option(
    "--gpus-per-worker",
    type=click.FloatRange(min=0),
    default=BATCH_DEFAULTS.gpus_per_worker,
    show_default=True,
    help="GPUs each Ray worker reserves (a fraction shares a GPU; more than 0 runs --device auto on cuda).",
)
@click.option(
    "--cpus-per-worker",
    type=click.IntRange(min=0),
    default=BATCH_DEFAULTS.cpus_per_worker,
    help="CPUs each Ray worker reserves and uses [default: the cluster's CPUs / workers, at most one node's].",
)
def run(
    paths,
    output,
    fmt,
    no_summary,
    summary_only,
    globs,
    force,
    follow_symlinks,
    quiet,
    executor,
    ray_address,
    workers,
    gpus_per_worker,
    cpus_per_worker,
    **options,
):
    """Translate Danish ARTICLE files (or - for stdin) into English and summarise them.

    Given a FOLDER or several files, writes one output per article under -o OUTDIR, mirroring
    the input tree, plus OUTDIR/results.jsonl.

    Inputs: plain text (.txt; UTF-8, UTF-16 or a legacy Danish code page), Markdown (.md:
    headings, bullets and quotes kept out of the model), saved web pages (.html, .htm, or HTML
    on stdin: the article text only; title, date, author and URL as metadata), JSON articles
    (.json, news-please style) and JSON Lines archives (.jsonl: one article a line, one output
    each under -o OUTDIR). Articles that do not look Danish get a warning (see --other-language).
    """
    if no_summary and summary_only:
        raise UsageError("--no-summary and --summary-only contradict each other: pick one")
    try:
        os.getcwd()
    except FileNotFoundError:
        # the shell's folder was deleted under it: relative names mean nothing, and native
        # libraries that look up their own path abort the process (oneMKL) instead of raising
        raise UsageError("the current folder no longer exists: cd to an existing folder and run again") from None
    if "" in paths or output == "":
        raise UsageError("an empty file name was given: pass a file, a folder or - (standard input)")
    pipeline_options = PipelineOptions(summarize=not no_summary, **options)
    batch = len(paths) > 1 or any(p != "-" and (Path(p).is_dir() or _is_archive_path(p)) for p in paths)
    if not batch:
        from translate_summarize.cli.commands import run_single

        _check_single_article_options(click.get_current_context())

        run_single(paths[0], _single_output(output), fmt, pipeline_options, summary_only, quiet)
        return
    if output is None or output == "-":
        archive = next((p for p in paths if p != "-" and _is_archive_path(p)), None)
        if archive and len(paths) == 1:
            raise UsageError(f"an archive needs -o OUTDIR for its articles' outputs: tsum {archive} -o out/")
        raise UsageError("folders and several files need -o OUTDIR: tsum articles/ -o out/")
    if "-" in paths:
        raise UsageError("- (stdin) cannot be mixed with folders or several files")
    from translate_summarize.batch import run_batch

    batch_options = BatchOptions(
        glob=tuple(globs) or BATCH_DEFAULTS.glob,
        format=fmt,
        summary_only=summary_only,
        force=force,
        follow_symlinks=follow_symlinks,
        quiet=quiet,
        executor=executor,
        ray_address=ray_address,
        workers=workers,
        gpus_per_worker=gpus_per_worker,
        cpus_per_worker=cpus_per_worker,
    )
    summary = run_batch([Path(p) for p in paths], Path(output), pipeline_options, batch_options)
    sys.exit(0 if summary.failed == 0 else 1)


def _is_archive_path(path: str) -> bool:
    """A JSON Lines archive, or a JSON file holding a list of articles: one output each (-o OUTDIR)."""
    from translate_summarize.text.archives import holds_article_list

    return path.lower().endswith(".jsonl") or holds_article_list(Path(path))


SERVE_EXAMPLES = """\b
Examples:
  tsum serve                              http://127.0.0.1:8000/ (the page) and the API
  tsum serve --host 0.0.0.0 --api-key "$(openssl rand -hex 16)"
  curl -s localhost:8000/v1/translate -H 'Content-Type: application/json' \\
       -d '{"text": "De to lande mødtes onsdag.", "summary": false}'
"""


@main.command(name="serve", epilog=SERVE_EXAMPLES)
@click.option("--host", default=SERVE_DEFAULTS.host, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=SERVE_DEFAULTS.port, show_default=True)
@with_pipeline_options(share_batches=True)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=SERVE_DEFAULTS.max_bytes,
    show_default=True,
    help="Largest request body; larger ones get 413.",
)
@click.option(
    "--max-queue",
    type=click.IntRange(min=1),
    default=SERVE_DEFAULTS.max_queue,
    show_default=True,
    help="Waiting requests beyond which new ones get 503.",
)
@click.option(
    "--api-key",
    envvar="TSUM_API_KEY",
    default=SERVE_DEFAULTS.api_key,
    help="Require this key: Authorization: Bearer KEY on /v1/*, api_key on LibreTranslate calls [env: TSUM_API_KEY].",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow browser calls from this origin (repeatable; * for any) [default: none].",
)
def serve(host, port, max_bytes, max_queue, api_key, cors_origins, no_summary, **options):
    """Serve the models over HTTP: a JSON API, a LibreTranslate-compatible API and a web page.

    Models load once at start; GET /v1/health answers 200 when they are ready. SIGTERM or
    Ctrl+C stops taking requests, finishes those in flight and exits 0.
    """
    from translate_summarize.serve.run import serve as run_server

    serve_options = ServeOptions(
        host=host,
        port=port,
        max_bytes=max_bytes,
        max_queue=max_queue,
        api_key=api_key or None,
        cors_origins=tuple(cors_origins),
    )
    run_server(PipelineOptions(summarize=not no_summary, **options), serve_options)


MODELS_EXAMPLES = """\b
Examples:
  tsum models list                      name, repo, pinned revision, size, license, cached?
  tsum models list --json
  tsum models download                  the default models, for offline use later
  tsum models download bart-large-cnn
  tsum models path opus-mt-da-en --offline   where a cached model lives
  tsum models convert                   CTranslate2 conversions ahead of time (int8)
"""


# Options of folder runs. The Ray ones ask for a cluster one article never uses: an error. The
# others only choose or skip files in a folder, so a script passing them for every input can go
# on: a warning.
_RAY_ONLY_OPTIONS = ("executor", "ray_address", "workers", "cpus_per_worker", "gpus_per_worker")
_FOLDER_ONLY_OPTIONS = ("globs", "force", "follow_symlinks")


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


@main.group(epilog=MODELS_EXAMPLES)
def models():
    """List, download, locate and convert the pinned models."""
    if sys.stdout is None:  # click.echo would drop what the subcommand prints silently
        raise UsageError("standard output is closed: tsum models prints its answers there")


@models.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def models_list(as_json):
    """Show each registered model: repo, pinned revision, size, license, cached or not."""
    from translate_summarize.cli.commands import list_models

    click.echo(list_models(as_json))


@models.command(name="download")
@click.argument("names", nargs=-1)
def models_download(names):
    """Download models (default: the default translation and summary models) into the HF cache."""
    from translate_summarize.cli.commands import download_models

    for line in download_models(names or (DEFAULTS.translation_model, DEFAULTS.summary_model)):
        click.echo(line)


@models.command(name="path")
@click.argument("name")
@click.option("--offline", is_flag=True, help="Fail instead of downloading.")
def models_path(name, offline):
    """Print the local directory of a model (downloading it unless --offline)."""
    from translate_summarize.models.resolve import resolve_model

    click.echo(resolve_model(name, offline=offline).path)


@models.command(name="convert")
@click.argument("names", nargs=-1)
@click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES[1:]),
    default=AUTO_COMPUTE_TYPE[("ctranslate2", "cpu")],
    show_default=True,
)
@click.option("--offline", is_flag=True, help="Fail instead of downloading.")
def models_convert(names, compute_type, offline):
    """Convert models to CTranslate2 ahead of time (default: both default models)."""
    from translate_summarize.core.loading import convert_models

    for line in convert_models(names or (DEFAULTS.translation_model, DEFAULTS.summary_model), compute_type, offline):
        click.echo(line)


EVAL_EXAMPLES = """\b
Examples:
  tsum eval hyp.en.txt ref.en.txt               one segment per line in both
  tsum eval out.json ref.en.txt --ter           a tsum JSON output against its reference
  tsum eval out/ refs/ --format json            folders, paired by path: out/a.json <-> refs/a.txt
  tsum eval out/ summaries/ --summary           the outputs' summaries, with ROUGE-1/2/L
"""


@main.command(name="eval", epilog=EVAL_EXAMPLES)
@click.argument("hypotheses", type=click.Path(path_type=Path))
@click.argument("references", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--ter", is_flag=True, help="Add TER (translation edit rate; lower is better).")
@click.option("--rouge", "use_rouge", is_flag=True, help="Add ROUGE-1/2/L (for summaries).")
@click.option("--summary", is_flag=True, help="Score the tsum outputs' summaries (implies --rouge).")
def evaluate_command(hypotheses, references, fmt, ter, use_rouge, summary):
    """Score translations or summaries against references: BLEU and chrF (sacrebleu), TER, ROUGE.

    HYPOTHESES and REFERENCES are two text files with one segment per line, a tsum JSON output
    and a reference text, or a folder of tsum JSON outputs and a folder of references.
    """
    from translate_summarize.cli.evaluate import evaluate, format_json, format_text

    if sys.stdout is None:  # click.echo would drop the scores silently
        raise UsageError("standard output is closed: tsum eval prints its scores there (tsum eval ... > scores.txt)")
    evaluation = evaluate(hypotheses, references, ter=ter, use_rouge=use_rouge, summary=summary)
    click.echo(format_json(evaluation) if fmt == "json" else format_text(evaluation), nl=False)
