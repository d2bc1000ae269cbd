"""`tsum serve`: options in, the server module does the rest."""

from __future__ import annotations

import click

from translate_summarize.cli.options import SERVE_DEFAULTS, with_pipeline_options
from translate_summarize.options import (
    PipelineOptions,
)
from translate_summarize.serve.settings import ServeOptions

SERVE_EXAMPLES = """\b
Examples:
  tsum serve                              http://127.0.0.1:8000/ (the page) and the API
  tsum serve --host 0.0.0.0 --api-key "$(openssl rand -hex 16)"
  curl -s localhost:8000/v1/translate -H 'Content-Type: application/json' \\
       -d '{"text": "De to lande mødtes onsdag.", "summary": false}'
"""


@click.command(name="serve", epilog=SERVE_EXAMPLES)
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
