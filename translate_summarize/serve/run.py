"""Run the app under uvicorn: resolve models first, load them in the background, stop gracefully."""

from __future__ import annotations

import ipaddress
import logging
import signal

from translate_summarize.errors import MissingExtraError, ModelLoadError, TsumError, UsageError
from translate_summarize.options import PipelineOptions
from translate_summarize.serve.options import INSTALL_HINT, ServeOptions


def require_extra() -> None:
    """Raise MissingExtraError (exit 3, one line) when Starlette, uvicorn, httptools or python-multipart is missing."""
    try:
        import httptools  # noqa: F401
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise MissingExtraError(INSTALL_HINT) from error


logger = logging.getLogger("uvicorn.error")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def startup_lines(options: PipelineOptions, serve_options: ServeOptions) -> list[tuple[int, str]]:
    """What the log says before the port opens: models, auth mode, limits, and what is risky."""
    summary = options.summary_model if options.summarize else "none (--no-summary)"
    auth = "API key required" if serve_options.api_key else "no API key (anyone who can connect may translate)"
    char_limit = "any number of" if serve_options.char_limit == -1 else serve_options.char_limit
    batch_limit = "any number of" if serve_options.batch_limit == -1 else serve_options.batch_limit
    lines = [
        (logging.INFO, f"translation model: {options.translation_model}; summary model: {summary}"),
        (logging.INFO, f"auth: {auth}"),
        (
            logging.INFO,
            f"limits: body {serve_options.max_bytes} bytes (--max-bytes), queue {serve_options.max_queue} "
            f"(--max-queue), {char_limit} characters per text (--char-limit), {batch_limit} texts per "
            f"request (--batch-limit), body deadline {serve_options.body_timeout:g} s (--body-timeout)",
        ),
    ]
    if not serve_options.api_key and not is_loopback(serve_options.host):
        lines.append(
            (
                logging.WARNING,
                f"listening on {serve_options.host} without an API key: anyone who can reach this address can "
                "use the models; set --api-key (or TSUM_API_KEY)",
            )
        )
    if "*" in serve_options.cors_origins:
        lines.append((logging.WARNING, "--cors-origin '*': any web page may call this server from a browser"))
    if serve_options.allow_urls:
        private = "private addresses allowed (--allow-private-urls)" if serve_options.allow_private_urls else ""
        lines.append((logging.WARNING, f"the server fetches URLs for its clients (--allow-urls) {private}".strip()))
    return lines


def serve(options: PipelineOptions, serve_options: ServeOptions) -> None:
    """Serve until SIGTERM or Ctrl+C; in-flight requests finish first.

    Raises:
        MissingExtraError: the serve extra is not installed.
        TsumError: a model cannot be resolved or loaded.
    """
    require_extra()
    import uvicorn

    from translate_summarize.core.loading import check_device
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.serve.app import create_app

    check_device(options.device)
    pipeline = Pipeline(options, quiet=False)
    # Resolving (and, if needed, downloading) happens before the port opens, so a wrong model
    # name is an immediate one-line error; loading runs after, while /v1/health says 503.
    pipeline.resolve()
    failure: list[BaseException] = []
    server: uvicorn.Server | None = None

    def load_failed(error: BaseException) -> None:
        failure.append(error)
        server.should_exit = True

    app = create_app(serve_options=serve_options, pipeline=pipeline, on_load_error=load_failed)
    forwarded = serve_options.forwarded_allow_ips
    config = uvicorn.Config(
        app,
        host=serve_options.host,
        port=serve_options.port,
        log_level="info",
        # httptools, not h11: it refuses a request with both Content-Length and Transfer-Encoding
        # (request smuggling) and closes the connection; it is also the faster parser.
        http="httptools",
        # uvicorn's access log writes query strings whole (texts and keys); middleware.py logs instead.
        access_log=False,
        # X-Forwarded-For is believed, and logged as the client, only from the proxies named.
        proxy_headers=forwarded is not None,
        forwarded_allow_ips=forwarded,
        # Keep serving until in-flight requests are done; uvicorn closes the listening socket first.
        timeout_graceful_shutdown=None,
        server_header=False,
    )
    server = uvicorn.Server(config)
    for level, line in startup_lines(options, serve_options):
        logger.log(level, "%s", line)
    # Bound here, before the app starts loading models, so that a busy port fails at once.
    try:
        sock = config.bind_socket()  # uvicorn logs the reason and exits 1 when it cannot bind
    except SystemExit as exit:
        raise UsageError(
            f"cannot listen on {serve_options.host}:{serve_options.port} (in use or not allowed): "
            "pick another with --port or --host"
        ) from exit
    # uvicorn re-raises the stop signal after its graceful shutdown, restoring the handlers it
    # found; with these the re-raised signal is a no-op and a requested stop exits 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failure:
        error = failure[0]
        if isinstance(error, TsumError):
            raise error
        raise ModelLoadError(f"the models could not be loaded: {error}") from error
