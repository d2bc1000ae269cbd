"""The options every model-running command shares (PipelineOptions), with help texts built from the defaults."""

from __future__ import annotations

import math
from dataclasses import fields, replace

import click

from translate_summarize.core.runtime import AUTO_COMPUTE_WORDS
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
from translate_summarize.serve.options import ServeOptions

DEFAULTS = PipelineOptions()
SERVE_DEFAULTS = ServeOptions()
BATCH_DEFAULTS = BatchOptions()
# Help texts are built from the defaults, never typed by hand.
_PER_DEVICE_BATCH_TOKENS = ", ".join(f"{device} {tokens}" for device, tokens in BATCH_TOKENS.items())
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


def field_option(defaults, *decls: str, **attrs):
    """A click option whose default is the field of ``defaults`` its parameter is named after.

    One source for every default: the options dataclass holds it, the option reads it (shown in
    --help unless ``show_default=False``), and :func:`pop_fields` hands the value back to it.
    """
    name = next((d for d in decls if d.isidentifier()), None)
    name = name or max(decls, key=len).split("/")[0].lstrip("-").replace("-", "_")
    attrs.setdefault("show_default", True)
    return click.option(*decls, default=getattr(defaults, name), **attrs)


def pop_fields(options_class, params: dict) -> dict:
    """The command parameters named after fields of the dataclass ``options_class``, taken out of ``params``."""
    return {field.name: params.pop(field.name) for field in fields(options_class) if field.name in params}


# The options that decide what is computed (PipelineOptions), shared by `run` and `serve`.
def _finite(ctx, param, value):
    """click.FloatRange lets NaN through (no comparison with NaN is true): refuse it here."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("nan is not a number in the range", ctx=ctx, param=param)
    return value


PIPELINE_OPTIONS = [
    field_option(DEFAULTS, "--lang", shell_complete=_complete_language, help="Target language."),
    click.option("--no-summary", is_flag=True, help="Translate only; the summariser is not loaded."),
    field_option(DEFAULTS, "--summary-length", type=click.Choice(list(SUMMARY_LENGTHS))),
    field_option(
        DEFAULTS,
        "--translation-model",
        shell_complete=complete_model_name,
        help="Registered name (or its Hub repo id) or local model directory.",
    ),
    field_option(
        DEFAULTS,
        "--summary-model",
        shell_complete=complete_model_name,
        help="Registered name (or its Hub repo id) or local model directory.",
    ),
    field_option(
        DEFAULTS, "--engine", type=click.Choice(ENGINES), help="auto: ctranslate2 on CPU, transformers on GPU."
    ),
    field_option(DEFAULTS, "--device", type=click.Choice(DEVICES)),
    field_option(
        DEFAULTS,
        "--compute-type",
        type=click.Choice(COMPUTE_TYPES),
        help=f"auto: {AUTO_COMPUTE_WORDS}.",
    ),
    field_option(
        DEFAULTS,
        "--threads",
        type=click.IntRange(min=0, max=MAX_THREADS),
        help=f"CPU threads, 0 to {MAX_THREADS} (0: all cores).",
    ),
    field_option(
        DEFAULTS,
        "--batch-tokens",
        type=click.IntRange(min=64),
        show_default=False,
        help=f"Source tokens per batch, padding included [default: per device: {_PER_DEVICE_BATCH_TOKENS}].",
    ),
    field_option(
        DEFAULTS,
        "--beam-size",
        type=click.IntRange(min=1, max=MAX_BEAM_SIZE),
        show_default=False,
        help=f"Beam size for both models, 1 to {MAX_BEAM_SIZE} [default: {_BEAMS}].",
    ),
    field_option(
        DEFAULTS,
        "--min-score",
        type=click.FloatRange(*MIN_SCORE_RANGE),
        callback=_finite,
        help=f"Flag sentences scored under this (mean log-probability per token, {MIN_SCORE_RANGE[0]:g} to "
        f"{MIN_SCORE_RANGE[1]:g}) as low_confidence.",
    ),
    field_option(
        DEFAULTS,
        "--glossary",
        type=click.Path(dir_okay=False, path_type=str),
        show_default=False,
        help="CSV or TSV of Danish terms and their English renderings (# comments; English empty: do not translate). "
        "A sentence holding a term whose translation lacks the English is flagged 'glossary'; its entries "
        "replace the built-in ones (Danish institutions and events, always checked).",
    ),
    field_option(
        DEFAULTS, "--offline", is_flag=True, show_default=False, help="Never touch the network (as HF_HUB_OFFLINE=1)."
    ),
    field_option(
        DEFAULTS,
        "--other-language",
        type=click.Choice(OTHER_LANGUAGE_POLICIES),
        help="An article that does not look Danish: warn and translate it, or fail it (exit 2 / failed record).",
    ),
]


def with_pipeline_options(share_batches: bool = DEFAULTS.share_batches):
    """Add the model, engine and generation options (PipelineOptions) to a command.

    ``share_batches`` is the command's default for --share-batches: off for files and folders
    (an article's output never depends on its neighbours), on for ``tsum serve`` (requests'
    sentences are micro-batched together, as a shared server needs).
    """

    def decorate(command):
        share_option = field_option(
            replace(DEFAULTS, share_batches=share_batches),
            "--share-batches/--no-share-batches",
            help="Let articles share decoding batches: more throughput for many short articles or a busy server, "
            "but an article's translation may then depend on which articles shared its batches.",
        )
        for option in reversed([*PIPELINE_OPTIONS, share_option]):
            command = option(command)
        return command

    return decorate
