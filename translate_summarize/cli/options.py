"""The options every model-running command shares (PipelineOptions), with help texts built from the defaults."""

from __future__ import annotations

import math

import click

from translate_summarize.core.runtime import AUTO_COMPUTE_TYPE
from translate_summarize.options import (
    BATCH_TOKENS,
    COMPUTE_TYPES,
    DEVICES,
    ENGINES,
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


def complete_model_name(ctx, param, incomplete):
    """Registered model names (and their Hub repo ids), plus folders: what a model option takes."""
    from click.shell_completion import CompletionItem

    from translate_summarize.models.registry import MODELS

    names = [name for spec in MODELS.values() for name in (spec.name, spec.repo_id) if name.startswith(incomplete)]
    items = [CompletionItem(name, help=MODELS[name].description if name in MODELS else None) for name in names]
    if param.name not in ("names", "name"):  # the run options take a model folder too
        items.append(CompletionItem(incomplete, type="dir"))
    return items


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
        shell_complete=complete_model_name,
        help="Registered name (or its Hub repo id) or local model directory.",
    ),
    click.option(
        "--summary-model",
        shell_complete=complete_model_name,
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
        "--glossary",
        type=click.Path(dir_okay=False, path_type=str),
        default=DEFAULTS.glossary,
        help="CSV or TSV of Danish terms and their English renderings (# comments; English empty: do not translate). "
        "A sentence holding a term whose translation lacks the English is flagged 'glossary'; its entries "
        "replace the built-in ones (Danish institutions and events, always checked).",
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
