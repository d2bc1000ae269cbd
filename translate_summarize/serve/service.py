"""What every route shares: the pipeline, its batching worker, the server's options and the key check.

One :class:`Service` per app, kept in ``app.state.service``; the route modules reach it through
:func:`service_of` and call :meth:`Service.prepare` and :meth:`Service.run`, which turn the
pipeline's and the worker's failures into :class:`ApiError` answers.
"""

from __future__ import annotations

import logging
from pathlib import PurePath

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from translate_summarize.core.pipeline import Pipeline
from translate_summarize.errors import TsumError
from translate_summarize.serve.auth import Auth
from translate_summarize.serve.files import FileStore
from translate_summarize.serve.options import ServeOptions
from translate_summarize.serve.plumbing import ApiError, until_disconnect
from translate_summarize.serve.worker import BatchingWorker, NotReady, NotServing, QueueFull
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, size_error
from translate_summarize.text.segment import ParsedArticle

logger = logging.getLogger("uvicorn.error")
TEXT_FORMATS = ("text", "html")
# What a failure inside the pipeline answers: the request's fault, or the server's.
STATUS_BY_CATEGORY = {"input": 422, "model": 500, "internal": 500}


def parse_request_text(text: str, kind: str, name: str, pipeline: Pipeline) -> ParsedArticle:
    """Request text -> parsed article through :meth:`Pipeline.parse`, the one parse path of files
    and folders (pages extracted, text cleaned once, language judged)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:  # reachable when --max-bytes is raised above the one-article limit
        raise size_error(name, size)
    # A non-Danish article is translated with a warning (or refused with --other-language fail);
    # the warning goes to the log, and the result carries source_language for the client.
    # "text" leaves the kind to the name and the text, as for a file given to the CLI
    return pipeline.parse(
        text, name, kind=None if kind == "text" else kind, warn=lambda message: logger.warning("%s", message)
    )


class Service:
    def __init__(self, pipeline: Pipeline, serve_options: ServeOptions, on_load_error=None):
        self.pipeline = pipeline
        self.serve_options = serve_options
        self.auth = Auth(serve_options.api_key)
        self.files = FileStore(serve_options.file_ttl, serve_options.file_space)
        self.worker = BatchingWorker(
            pipeline,
            serve_options.max_queue,
            serve_options.round_tokens,
            on_load_error,
            serve_options.gather_seconds,
            serve_options.gather_max_seconds,
        )

    async def run(
        self,
        request: Request,
        articles: list[ParsedArticle],
        summarize: bool,
        summary_length: str,
        libretranslate: bool = False,
    ):
        """The worker's results, or an ApiError; ``libretranslate`` answers with LibreTranslate's statuses."""
        try:
            return await until_disconnect(request, self.worker.submit(articles, summarize, summary_length))
        except QueueFull as full:
            headers = {"Retry-After": str(full.retry_after)}
            if libretranslate:
                raise ApiError(429, "Slowdown: the server is busy, try again shortly", headers) from full
            raise ApiError(503, "the server is busy: try again shortly", headers) from full
        except NotReady as error:
            raise ApiError(503, str(error), {"Retry-After": "5"}) from error
        except NotServing as error:
            raise ApiError(503, str(error)) from error
        except TsumError as error:
            status = STATUS_BY_CATEGORY.get(error.category, 500)
            raise ApiError(400 if libretranslate and status == 422 else status, str(error)) from error

    async def prepare(
        self, texts: list[str], kind: str, name: str, libretranslate: bool = False
    ) -> list[ParsedArticle]:
        try:
            return await run_in_threadpool(
                lambda: [parse_request_text(text, kind, name, self.pipeline) for text in texts]
            )
        except TsumError as error:
            raise ApiError(400 if libretranslate else 422, str(error)) from error

    async def translate_texts(self, request: Request, texts: list[str], name: str = "q") -> list[str]:
        """Plain texts -> translations (LibreTranslate's statuses); texts with nothing to translate
        (empty, emoji only) come back as they are, as LibreTranslate does."""
        translatable = [i for i, text in enumerate(texts) if any(ch.isalnum() for ch in text)]
        translated = list(texts)
        if translatable:
            articles = await self.prepare([texts[i] for i in translatable], "text", name, libretranslate=True)
            length = self.pipeline.options.summary_length
            results = await self.run(request, articles, False, length, libretranslate=True)
            for i, result in zip(translatable, results):
                translated[i] = result.translation
        return translated


# Documents are read by text/documents.py; the rest is decoded as article files are.
DOCUMENT_SUFFIXES = (".docx", ".odt", ".pdf")
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", *DOCUMENT_SUFFIXES)


def file_text(data: bytes, filename: str) -> tuple[str, str]:
    """An uploaded file -> (article text, its kind: ``"html"``, ``"markdown"`` for a document's
    Markdown-marked text, or ``"text"``), as the CLI reads such files.

    Raises:
        InputError: an unsupported, unreadable or empty file.
    """
    from translate_summarize.errors import InputError

    suffix = PurePath(filename).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        from translate_summarize.text.documents import document_to_text

        return document_to_text(data, filename), "markdown"  # headings and bullets kept out of the model
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(f"{filename}: tsum reads {', '.join(UPLOAD_SUFFIXES)} files")
    from translate_summarize.text.reading import decode_bytes

    return decode_bytes(data, filename), "html" if suffix in (".html", ".htm") else "text"


def service_of(request: Request) -> Service:
    return request.app.state.service
