"""The ASGI app, assembled: routes (v1.py, libretranslate.py, the page, /spec), middleware, error handlers.

Starlette (the toolkit FastAPI is built on, maintained, small) rather than a framework of our
own; uvicorn serves it (see run.py). Every response, errors included, is JSON except the page.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from translate_summarize.core.pipeline import Pipeline
from translate_summarize.options import PipelineOptions
from translate_summarize.serve import libretranslate, v1
from translate_summarize.serve.handlers import HANDLERS
from translate_summarize.serve.middleware import AccessLog, JsonCORS, RootPath
from translate_summarize.serve.options import ServeOptions
from translate_summarize.serve.page import render_page
from translate_summarize.serve.plumbing import BodyLimit
from translate_summarize.serve.service import Service

# The page is one self-contained document: the policy forbids anything from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def page(request: Request):
    return HTMLResponse(request.app.state.page, headers=PAGE_HEADERS)


async def spec(request: Request):
    from translate_summarize.serve.spec import openapi_document

    return JSONResponse(openapi_document())


def create_app(
    options: PipelineOptions | None = None,
    serve_options: ServeOptions | None = None,
    *,
    pipeline: Pipeline | None = None,
    on_load_error=None,
) -> Starlette:
    """Build the app. The models load in a worker thread when the app starts (ASGI lifespan).

    Args:
        options: what to compute (models, engine, generation); not with ``pipeline``, which holds its own.
        serve_options: limits, API key, CORS.
        pipeline: a pipeline to serve instead of one built from ``options``.
        on_load_error: called (from the worker thread) with the exception if the models fail to load.
    """
    if options is not None and pipeline is not None:
        raise TypeError("create_app takes options or a pipeline built from them, not both")
    serve_options = serve_options or ServeOptions()
    pipeline = pipeline or Pipeline(options or PipelineOptions(), quiet=True)
    service = Service(pipeline, serve_options, on_load_error)
    worker = service.worker

    @asynccontextmanager
    async def lifespan(app):
        worker.start()
        yield
        await run_in_threadpool(worker.stop)
        service.files.close()

    middleware = [
        Middleware(RootPath, root_path=serve_options.root_path),
        Middleware(AccessLog),
        Middleware(BodyLimit, max_bytes=serve_options.max_bytes, timeout=serve_options.body_timeout),
    ]
    if serve_options.cors_origins:
        middleware.append(
            Middleware(
                JsonCORS,
                allow_origins=list(serve_options.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            )
        )
    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/spec", spec, methods=["GET"]),
            *v1.ROUTES,
            *libretranslate.ROUTES,
        ],
        middleware=middleware,
        exception_handlers=HANDLERS,
        lifespan=lifespan,
    )
    # A path with a trailing slash is an unknown path (404 JSON), not a redirect whose Location
    # Starlette would build from the client's Host header.
    app.router.redirect_slashes = False
    app.state.service = service
    options = pipeline.options
    app.state.page = render_page(
        serve_options, str(options.translation_model), str(options.summary_model) if options.summarize else None
    )
    app.state.worker = worker
    return app
