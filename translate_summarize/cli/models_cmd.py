"""`tsum models ...`: list, download, locate and convert the pinned models."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from translate_summarize.cli.options import DEFAULTS, complete_model_name
from translate_summarize.core.runtime import AUTO_COMPUTE_TYPE
from translate_summarize.errors import UsageError
from translate_summarize.options import (
    COMPUTE_TYPES,
)

MODELS_EXAMPLES = """\b
Examples:
  tsum models list                      name, repo, pinned revision, size, license, cached?
  tsum models list --json
  tsum models download                  the default models, for offline use later
  tsum models download bart-large-cnn
  tsum models path opus-mt-da-en --offline   where a cached model lives
  tsum models convert                   CTranslate2 conversions ahead of time (int8)
  tsum models export tsum-models.tar    the default models in one file, for a machine offline
  tsum models import tsum-models.tar    on that machine: verified, then placed in the caches
"""


@click.group(epilog=MODELS_EXAMPLES)
def models():
    """List, download, locate, convert, export and import the pinned models."""
    if sys.stdout is None:  # click.echo would drop what the subcommand prints silently
        raise UsageError("standard output is closed: tsum models prints its answers there")


@models.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (sizes in bytes).")
def models_list(as_json):
    """Show each registered model: repo, pinned revision, size, license, cached or not."""
    import os
    import shutil

    from translate_summarize.cli.commands import list_models

    # Fit a terminal (or $COLUMNS); piped output keeps every column whole for scripts.
    fits = sys.stdout.isatty() or "COLUMNS" in os.environ
    click.echo(list_models(as_json, width=shutil.get_terminal_size().columns if fits else None))


@models.command(name="download")
@click.argument("names", nargs=-1, shell_complete=complete_model_name)
def models_download(names):
    """Download models (default: the default translation and summary models) into the HF cache."""
    from translate_summarize.cli.commands import download_models

    for line in download_models(names or (DEFAULTS.translation_model, DEFAULTS.summary_model)):
        click.echo(line)


@models.command(name="path")
@click.argument("name", shell_complete=complete_model_name)
@click.option("--offline", is_flag=True, help="Fail instead of downloading.")
def models_path(name, offline):
    """Print the local directory of a model (downloading it unless --offline)."""
    from translate_summarize.models.resolve import resolve_model

    click.echo(resolve_model(name, offline=offline).path)


@models.command(name="convert")
@click.argument("names", nargs=-1, shell_complete=complete_model_name)
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


@models.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("names", nargs=-1, shell_complete=complete_model_name)
@click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES[1:]),
    default=AUTO_COMPUTE_TYPE[("ctranslate2", "cpu")],
    show_default=True,
    help="Precision of the CTranslate2 conversions included.",
)
@click.option("--offline", is_flag=True, help="Fail instead of downloading.")
def models_export(file, names, compute_type, offline):
    """Write FILE: models (default: both default models) at their pinned revisions, their CTranslate2
    conversions and a manifest with every file's SHA-256, for `tsum models import` on a machine offline."""
    from translate_summarize.models.transfer import export_models

    names = list(names or (DEFAULTS.translation_model, DEFAULTS.summary_model))
    for line in export_models(names, file, compute_type, offline=offline):
        click.echo(line)


@models.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def models_import(file):
    """Verify FILE from `tsum models export` and place its models in the local caches (no network)."""
    from translate_summarize.models.transfer import import_models

    for line in import_models(file):
        click.echo(line)
