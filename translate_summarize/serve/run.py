"""Run the app under uvicorn: resolve models first, load them in the background, stop gracefully."""

from __future__ import annotations

import signal

from translate_summarize.errors import MissingExtraError, ModelLoadError, TsumError, UsageError
from translate_summarize.options import PipelineOptions
from translate_summarize.serve.settings import INSTALL_HINT, ServeOptions


def require_extra() -> None:
    """Raise MissingExtraError (exit 3, one line) when Starlette, uvicorn or python-multipart is missing."""
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise MissingExtraError(INSTALL_HINT) from error


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

    app = create_app(options, serve_options, pipeline=pipeline, on_load_error=load_failed)
    config = uvicorn.Config(
        app,
        host=serve_options.host,
        port=serve_options.port,
        log_level="info",
        # Keep serving until in-flight requests are done; uvicorn closes the listening socket first.
        timeout_graceful_shutdown=None,
        server_header=False,
    )
    server = uvicorn.Server(config)
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
