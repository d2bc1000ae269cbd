"""`tsum serve`: options in, the server module does the rest."""

from __future__ import annotations

import click

from translate_summarize.cli.options import SERVE_DEFAULTS, field_option, pop_fields, with_pipeline_options
from translate_summarize.options import (
    PipelineOptions,
)
from translate_summarize.serve.options import ServeOptions

SERVE_EXAMPLES = """\b
Examples:
  tsum serve                              http://127.0.0.1:8000/ (the page) and the API
  tsum serve --host 0.0.0.0 --api-key "$(openssl rand -hex 16)"
  curl -s localhost:8000/v1/translate -H 'Content-Type: application/json' \\
       -d '{"text": "De to lande mødtes onsdag.", "summary": false}'
"""


def _none_if_empty(ctx, param, value):
    return value or None


def _root_path(ctx, param, value: str) -> str:
    """``tsum/`` -> ``/tsum``; the prefix is a path, so it starts with / and has no query or spaces."""
    path = "/" + value.strip("/") if value.strip("/") else ""
    if any(ch in path for ch in "?#% \t") or "//" in path:
        raise click.BadParameter(f"{value!r} is not a URL path such as /tsum", param_hint="--root-path")
    return path


@click.command(name="serve", epilog=SERVE_EXAMPLES)
@field_option(SERVE_DEFAULTS, "--host", help="Address to listen on.")
@field_option(SERVE_DEFAULTS, "--port", type=click.IntRange(0, 65535))
@with_pipeline_options(share_batches=True)
@field_option(
    SERVE_DEFAULTS, "--max-bytes", type=click.IntRange(min=1), help="Largest request body; larger ones get 413."
)
@field_option(
    SERVE_DEFAULTS, "--max-queue", type=click.IntRange(min=1), help="Waiting requests beyond which new ones get 503."
)
@field_option(
    SERVE_DEFAULTS,
    "--api-key",
    envvar="TSUM_API_KEY",
    callback=_none_if_empty,
    show_default=False,
    help="Require this key: Authorization: Bearer KEY on /v1/*, api_key on LibreTranslate calls [env: TSUM_API_KEY].",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow browser calls from this origin (repeatable; * for any) [default: none].",
)
@field_option(
    SERVE_DEFAULTS,
    "--char-limit",
    type=click.IntRange(min=-1),
    help="LibreTranslate routes: characters per text; longer get 400 (-1: no limit but --max-bytes).",
)
@field_option(
    SERVE_DEFAULTS,
    "--batch-limit",
    type=click.IntRange(min=-1),
    help="LibreTranslate routes: texts in one list q; more get 400 (-1: no limit).",
)
@field_option(
    SERVE_DEFAULTS,
    "--body-timeout",
    type=click.FloatRange(min=0.1),
    help="Seconds from a request's start by which its whole body must arrive; later gets 408.",
)
@field_option(
    SERVE_DEFAULTS,
    "--root-path",
    callback=_root_path,
    show_default=False,
    help="Path prefix under a reverse proxy, such as /tsum (the proxy may strip it or not).",
)
@field_option(
    SERVE_DEFAULTS,
    "--forwarded-allow-ips",
    callback=_none_if_empty,
    show_default=False,
    help="Proxies (comma-separated IPs, or *) whose X-Forwarded-For is believed and logged [default: none].",
)
@field_option(
    SERVE_DEFAULTS,
    "--allow-urls",
    is_flag=True,
    show_default=False,
    help='/v1/translate and the page fetch {"url": ...} for clients (a request-forgery risk; off by default).',
)
@field_option(
    SERVE_DEFAULTS,
    "--allow-private-urls",
    is_flag=True,
    show_default=False,
    help="With --allow-urls: also fetch loopback, private, link-local and multicast addresses.",
)
def serve(no_summary, **params):
    """Serve the models over HTTP: a JSON API, a LibreTranslate-compatible API and a web page.

    Models load once at start; GET /v1/health answers 200 when they are ready. SIGTERM or
    Ctrl+C stops taking requests, finishes those in flight and exits 0.
    """
    from translate_summarize.serve.run import serve as run_server

    serve_options = ServeOptions(**pop_fields(ServeOptions, params))
    run_server(PipelineOptions(summarize=not no_summary, **params), serve_options)
