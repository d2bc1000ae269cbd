"""The ASGI app: thin handlers that parse a request, call the pipeline and return its JSON contract.

Starlette (the toolkit FastAPI is built on, maintained, small) rather than a framework of our
own; uvicorn serves it (see run.py). Every response, errors included, is JSON except the page.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from translate_summarize.core.pipeline import Pipeline
from translate_summarize.errors import TsumError
from translate_summarize.options import SUMMARY_LENGTHS, SUPPORTED_LANGUAGES, PipelineOptions
from translate_summarize.serve import languages
from translate_summarize.serve.page import PAGE
from translate_summarize.serve.settings import ServeOptions
from translate_summarize.serve.worker import BatchingWorker, NotReady, NotServing, QueueFull
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, size_error
from translate_summarize.text.segment import ParsedArticle

logger = logging.getLogger("uvicorn.error")
V1_FIELDS = ("text", "summary", "summary_length", "format")
TEXT_FORMATS = ("text", "html")
# The page is one self-contained document: the policy forbids anything from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class ApiError(Exception):
    """An answer other than 200, with a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class BodyTooLarge(Exception):
    pass


class BodyTimeout(Exception):
    pass


class BodyLimit:
    """Refuse bodies over ``max_bytes``: by Content-Length before reading, and by counting while reading.

    A body that stops arriving for ``timeout`` seconds is refused too (408): uvicorn has no such
    timeout, and one stalled client would otherwise hold a connection, and a SIGTERM, forever.
    """

    def __init__(self, app, max_bytes: int, timeout: float):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _error(400, "invalid Content-Length header")(scope, receive, send)
                return
            if length > self.max_bytes:
                await _error(413, self._message())(scope, receive, send)
                return
        received = 0
        complete = False

        async def limited_receive():
            nonlocal received, complete
            if complete:  # after the body only http.disconnect comes, whenever the client hangs up
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise BodyTimeout from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, limited_receive, send)

    def _message(self) -> str:
        return f"the request body is over the server's limit of {self.max_bytes} bytes (--max-bytes)"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def parse_request_text(text: str, fmt: str, name: str, options: PipelineOptions) -> ParsedArticle:
    """Request text -> parsed article, exactly as files are read (pages extracted, language judged)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:  # reachable when --max-bytes is raised above the one-article limit
        raise size_error(name, size)
    # A non-Danish article is translated with a warning (or refused with --other-language fail);
    # the warning goes to the log, and the result carries source_language for the client.
    return parse_input(
        text,
        name,
        options.other_language,
        warn=lambda message: logger.warning("%s", message),
        kind="html" if fmt == "html" else None,
        translation_model=options.translation_model,
    )


def create_app(
    options: PipelineOptions | None = None,
    serve_options: ServeOptions | None = None,
    *,
    pipeline: Pipeline | None = None,
    on_load_error=None,
) -> Starlette:
    """Build the app. The models load in a worker thread when the app starts (ASGI lifespan).

    Args:
        options: what to compute (models, engine, generation); ignored when ``pipeline`` is given.
        serve_options: limits, API key, CORS.
        pipeline: a pipeline to serve instead of one built from ``options``.
        on_load_error: called (from the worker thread) with the exception if the models fail to load.
    """
    settings = serve_options or ServeOptions()
    pipeline = pipeline or Pipeline(options or PipelineOptions(), quiet=True)
    worker = BatchingWorker(
        pipeline,
        settings.max_queue,
        settings.round_tokens,
        on_load_error,
        settings.gather_seconds,
        settings.gather_max_seconds,
    )
    api_key = settings.api_key.encode() if settings.api_key else None

    def key_matches(given: str | None) -> bool:
        # Constant time, so that response timing does not reveal how much of a guess was right.
        return api_key is None or (given is not None and hmac.compare_digest(given.encode(), api_key))

    def require_bearer(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if not key_matches(token.strip() if scheme.lower() == "bearer" else None):
            raise ApiError(
                401, "invalid or missing API key: send Authorization: Bearer KEY", {"WWW-Authenticate": "Bearer"}
            )

    def require_api_key(params: dict) -> None:
        given = params.get("api_key")
        if not key_matches(given if isinstance(given, str) else None):
            raise ApiError(401, "invalid or missing API key: pass api_key")

    async def run(request: Request, articles: list[ParsedArticle], summarize: bool, summary_length: str):
        try:
            return await until_disconnect(request, worker.submit(articles, summarize, summary_length))
        except QueueFull as full:
            raise ApiError(
                503, "the server is busy: try again shortly", {"Retry-After": str(full.retry_after)}
            ) from full
        except NotReady as error:
            raise ApiError(503, str(error), {"Retry-After": "5"}) from error
        except NotServing as error:
            raise ApiError(503, str(error)) from error
        except TsumError as error:
            raise ApiError(422 if error.exit_code == 2 else 500, str(error)) from error

    async def prepare(texts: list[str], fmt: str, name: str) -> list[ParsedArticle]:
        try:
            return await run_in_threadpool(
                lambda: [parse_request_text(text, fmt, name, pipeline.options) for text in texts]
            )
        except TsumError as error:
            raise ApiError(422, str(error)) from error

    # -- /v1 ------------------------------------------------------------------------------

    async def v1_translate(request: Request):
        require_bearer(request)
        body = await read_json(request)
        unknown = sorted(set(body) - set(V1_FIELDS))
        if unknown:
            raise ApiError(400, f"unknown field(s) {', '.join(unknown)}: the fields are {', '.join(V1_FIELDS)}")
        if "text" not in body:
            raise ApiError(400, 'missing "text": send {"text": "the Danish article"}')
        text = body["text"]
        if not isinstance(text, str):
            raise ApiError(400, '"text" must be a string')
        summary = body.get("summary", worker.summarizes)
        if not isinstance(summary, bool):
            raise ApiError(400, '"summary" must be true or false')
        length = body.get("summary_length", pipeline.options.summary_length)
        if not isinstance(length, str) or length not in SUMMARY_LENGTHS:
            raise ApiError(400, f'"summary_length" must be one of {", ".join(SUMMARY_LENGTHS)}')
        fmt = body.get("format", "text")
        if not isinstance(fmt, str) or fmt not in TEXT_FORMATS:
            raise ApiError(400, f'"format" must be one of {", ".join(TEXT_FORMATS)}')
        if summary and not worker.summarizes:
            raise ApiError(422, 'this server runs without a summariser (--no-summary): send "summary": false')
        articles = await prepare([text], fmt, "text")
        results = await run(request, articles, summary, length)
        return JSONResponse(results[0].to_dict())

    def status() -> dict:
        models = worker.description[0] if worker.description else None
        return {
            "status": worker.state,
            "models": models,
            "queue": {
                "waiting": worker.waiting(),
                "active": worker.active,
                "rounds": worker.rounds,
                "requests": worker.requests,
            },
        }

    async def v1_health(request: Request):
        require_bearer(request)
        if worker.ready:
            return JSONResponse(status())
        body = status()
        if worker.load_error is not None:
            body["error"] = str(worker.load_error)
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})

    async def v1_models(request: Request):
        require_bearer(request)
        if not worker.ready:
            raise ApiError(503, f"the models are not ready ({worker.state})", {"Retry-After": "5"})
        models, generation = worker.description
        return JSONResponse(
            {
                "models": models,
                "generation": generation,
                "source_languages": list(languages.SOURCE_LANGUAGES),
                "target_languages": list(SUPPORTED_LANGUAGES),
                "summary": worker.summarizes,
                "summary_lengths": {name: list(bounds) for name, bounds in SUMMARY_LENGTHS.items()},
            }
        )

    # -- LibreTranslate-compatible ----------------------------------------------------------

    async def lt_translate(request: Request):
        params = await read_params(request)
        require_api_key(params)
        q = params.get("q")
        for name in ("q", "source", "target"):
            if not params.get(name):
                raise ApiError(400, f"Invalid request: missing {name} parameter")
        batch = isinstance(q, list)
        texts = q if batch else [q]
        if not all(isinstance(text, str) for text in texts):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        source, target = str(params["source"]).lower(), str(params["target"]).lower()
        fmt = params.get("format") or "text"
        if not isinstance(fmt, str) or fmt not in TEXT_FORMATS:
            raise ApiError(400, f"{fmt} format is not supported")
        try:
            alternatives = max(0, int(params.get("alternatives") or 0))
        except (TypeError, ValueError) as error:
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from error
        if target not in SUPPORTED_LANGUAGES:
            raise ApiError(400, f"{target} is not supported")
        detected = None
        if source == "auto":
            detected = (await run_in_threadpool(languages.detect, "\n".join(texts)))[0]
            source = detected["language"]
        if source not in languages.SOURCE_LANGUAGES:
            raise ApiError(400, f"{source} is not supported")
        # As LibreTranslate: text with nothing to translate (empty, emoji only) comes back as it is.
        translatable = [i for i, text in enumerate(texts) if any(ch.isalnum() for ch in text)]
        translated = list(texts)
        if translatable:
            articles = await prepare([texts[i] for i in translatable], fmt, "q")
            for i, result in zip(translatable, await run(request, articles, False, pipeline.options.summary_length)):
                translated[i] = result.translation
        response: dict = {"translatedText": translated if batch else translated[0]}
        if detected is not None:
            response["detectedLanguage"] = [detected] * len(texts) if batch else detected
        if alternatives:
            response["alternatives"] = [[] for _ in texts] if batch else []
        return JSONResponse(response)

    async def lt_detect(request: Request):
        params = await read_params(request)
        require_api_key(params)
        q = params.get("q")
        if not q:
            raise ApiError(400, "Invalid request: missing q parameter")
        texts = q if isinstance(q, list) else [q]
        if not all(isinstance(text, str) for text in texts):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        text = "\n".join(texts)
        return JSONResponse(await run_in_threadpool(languages.detect, text))

    async def lt_languages(request: Request):
        # libretranslatepy sends api_key in the body of this GET; browsers in the query string.
        require_api_key(await read_params(request))
        return JSONResponse(languages.languages())

    async def page(request: Request):
        return HTMLResponse(PAGE, headers=PAGE_HEADERS)

    # -- errors -----------------------------------------------------------------------------

    async def api_error(request: Request, error: ApiError):
        return _error(error.status, error.message, error.headers)

    async def http_error(request: Request, error: HTTPException):
        return _error(error.status_code, str(error.detail), dict(error.headers or {}))

    async def too_large(request: Request, error: BodyTooLarge):
        return _error(413, f"the request body is over the server's limit of {settings.max_bytes} bytes (--max-bytes)")

    async def body_timeout(request: Request, error: BodyTimeout):
        return _error(408, f"the request body stopped arriving for {settings.body_timeout:g} s")

    async def client_gone(request: Request, error: ClientDisconnect):
        # The client hung up before its body arrived: nobody reads this answer, and it is no server error.
        return _error(400, "the client disconnected before sending the whole body")

    async def internal_error(request: Request, error: Exception):
        # Starlette re-raises after this response, so uvicorn logs the traceback; the client gets none.
        return _error(500, "internal error")

    @asynccontextmanager
    async def lifespan(app):
        worker.start()
        yield
        await run_in_threadpool(worker.stop)

    middleware = [Middleware(BodyLimit, max_bytes=settings.max_bytes, timeout=settings.body_timeout)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            )
        )
    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/v1/translate", v1_translate, methods=["POST"]),
            Route("/v1/health", v1_health, methods=["GET"]),
            Route("/v1/models", v1_models, methods=["GET"]),
            Route("/translate", lt_translate, methods=["POST"]),
            Route("/detect", lt_detect, methods=["POST"]),
            Route("/languages", lt_languages, methods=["GET"]),
        ],
        middleware=middleware,
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            BodyTooLarge: too_large,
            ClientDisconnect: client_gone,
            BodyTimeout: body_timeout,
            Exception: internal_error,
        },
        lifespan=lifespan,
    )
    # A path with a trailing slash is an unknown path (404 JSON), not a redirect whose Location
    # Starlette would build from the client's Host header.
    app.router.redirect_slashes = False
    app.state.worker = worker
    return app


async def until_disconnect(request: Request, work):
    """Await ``work``, cancelling it when the client hangs up (the worker then skips its articles)."""
    task = asyncio.ensure_future(work)

    async def hung_up():
        # The body has been read, so the next message the server sends is http.disconnect.
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(hung_up())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        task.cancel()
        raise ClientDisconnect
    return task.result()


async def read_json(request: Request) -> dict:
    """The body as a JSON object, or a 400 that says what is wrong with it."""
    body = await read_body(request)
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ApiError(400, "invalid JSON: the body is not UTF-8") from error
    except json.JSONDecodeError as error:
        raise ApiError(400, f"invalid JSON: {error}") from error
    except RecursionError as error:  # json's C parser recurses once per level of nesting
        raise ApiError(400, "invalid JSON: nested too deeply") from error
    if not isinstance(data, dict):
        raise ApiError(400, 'invalid JSON: expected an object such as {"text": "..."}')
    return data


async def read_body(request: Request) -> bytes:
    """The raw body; compressed bodies are refused (they would be decoded as garbage, or be a zip bomb)."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(415, f"Content-Encoding {encoding} is not supported: send the body uncompressed")
    return await request.body()


def first_values(pairs) -> dict:
    """A key given more than once counts once, by its first value (as Flask's ``request.values``, which
    LibreTranslate reads)."""
    params: dict = {}
    for key, value in pairs:
        params.setdefault(key, value)
    return params


async def read_params(request: Request) -> dict:
    """LibreTranslate's parameters: query string, then a JSON or form body (urlencoded or multipart)."""
    params = first_values(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        params.update(await read_json(request))
    elif content_type == "multipart/form-data":
        await read_body(request)  # the encoding check; Starlette keeps the body for form()
        form = await request.form()
        params.update(first_values((key, value) for key, value in form.multi_items() if isinstance(value, str)))
    else:
        body = await read_body(request)
        if body:
            try:
                pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True, errors="strict")
            except (UnicodeDecodeError, ValueError) as error:
                raise ApiError(400, "invalid form data: send application/x-www-form-urlencoded or JSON") from error
            params.update(first_values(pairs))
    return params
