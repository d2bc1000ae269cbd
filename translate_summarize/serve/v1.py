"""The /v1 routes: tsum's own JSON contract (the CLI's ``--format json``), Bearer key; an article
comes as text, as a document upload or (with --allow-urls) as a URL the server fetches."""

from __future__ import annotations

from pathlib import PurePath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from translate_summarize.errors import TsumError
from translate_summarize.options import SUMMARY_LENGTHS, SUPPORTED_LANGUAGES
from translate_summarize.serve import languages
from translate_summarize.serve.files import safe_name
from translate_summarize.serve.plumbing import ApiError, read_body, read_json
from translate_summarize.serve.service import TEXT_FORMATS, file_text, service_of

V1_FIELDS = ("text", "url", "file", "summary", "summary_length", "format")


async def translate(request: Request):
    """One article as JSON ``{"text": ...}`` or ``{"url": ...}``, or a multipart ``file`` upload."""
    service = service_of(request)
    worker, pipeline = service.worker, service.pipeline
    service.auth.require_bearer(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        body = await _form_fields(request)
    else:
        body = await read_json(request)
    unknown = sorted(set(body) - set(V1_FIELDS))
    if unknown:
        raise ApiError(400, f"unknown field(s) {', '.join(unknown)}: the fields are {', '.join(V1_FIELDS)}")
    sources = [name for name in ("text", "url", "file") if name in body]
    if len(sources) != 1:
        raise ApiError(
            400, 'send one of "text" (the Danish article), "url" (a link to it) or a multipart "file" upload'
        )
    summary = body.get("summary", worker.summarizes)
    if not isinstance(summary, bool):
        raise ApiError(400, '"summary" must be true or false')
    length = body.get("summary_length", pipeline.options.summary_length)
    if not isinstance(length, str) or length not in SUMMARY_LENGTHS:
        raise ApiError(400, f'"summary_length" must be one of {", ".join(SUMMARY_LENGTHS)}')
    kind = body.get("format", "text")
    if not isinstance(kind, str) or kind not in TEXT_FORMATS:
        raise ApiError(400, f'"format" must be one of {", ".join(TEXT_FORMATS)}')
    if summary and not worker.summarizes:
        raise ApiError(422, 'this server runs without a summariser (--no-summary): send "summary": false')
    if "url" in body:
        text, kind, name = await _fetched(service, body["url"])
    elif "file" in body:
        upload: UploadFile = body["file"]
        name = safe_name(upload.filename or "upload.txt")
        try:
            text, kind = await run_in_threadpool(file_text, await upload.read(), name)
        except TsumError as error:
            raise ApiError(422, str(error)) from error
    else:
        text, name = body["text"], "text"
        if not isinstance(text, str):
            raise ApiError(400, '"text" must be a string')
    articles = await service.prepare([text], kind, name)
    results = await service.run(request, articles, summary, length)
    return JSONResponse(results[0].to_dict())


async def _form_fields(request: Request) -> dict:
    """A multipart upload's fields as the JSON body's: ``file``, ``summary`` ("true"/"false"), ``summary_length``."""
    await read_body(request)  # the encoding check; Starlette keeps the body for form()
    form = await request.form(max_files=1, max_fields=10)
    fields: dict = {}
    for key, value in form.multi_items():
        if key in fields:
            raise ApiError(400, f"the field {key} is given twice")
        if key == "file":
            if not isinstance(value, UploadFile):
                raise ApiError(400, '"file" must be a file upload')
            fields[key] = value
        elif isinstance(value, UploadFile):
            raise ApiError(400, f"{key} must be a plain field, not a file")
        elif key == "summary":
            if value.lower() not in ("true", "false"):
                raise ApiError(400, '"summary" must be true or false')
            fields[key] = value.lower() == "true"
        else:
            fields[key] = value
    return fields


async def _fetched(service, url) -> tuple[str, str, str]:
    """A URL's article (text, kind, name), fetched only when the server was started with --allow-urls."""
    if not isinstance(url, str):
        raise ApiError(400, '"url" must be a string')
    if not service.serve_options.allow_urls:
        raise ApiError(
            403,
            "this server does not fetch URLs (a request-forgery risk): send the text, or start it with --allow-urls",
        )
    from translate_summarize.errors import BlockedAddressError, FetchError
    from translate_summarize.options import FetchOptions
    from translate_summarize.web.fetch import fetch

    # A client waits on the answer: one try, bounded in time; private addresses refused after
    # DNS and on every redirect (web/guard.py) unless --allow-private-urls.
    options = FetchOptions(
        timeout=10.0,
        total_timeout=30.0,
        retries=0,
        max_retry_after=0.0,
        allow_private=service.serve_options.allow_private_urls,
    )
    try:
        page = await run_in_threadpool(fetch, url, options=options)
    except BlockedAddressError as error:
        raise ApiError(403, f"{error} (this server fetches public addresses only)") from error
    except FetchError as error:
        raise ApiError(422, str(error)) from error
    name = page.url
    if page.text is None:  # a document (PDF, Word) rather than a page
        suffix = {"application/pdf": ".pdf"}.get(page.content_type, PurePath(page.url.split("?")[0]).suffix)
        try:
            text, kind = await run_in_threadpool(file_text, page.content, f"download{suffix}")
        except TsumError as error:
            raise ApiError(422, f"{url}: {error}") from error
        return text, kind, name
    kind = "html" if "html" in page.content_type or "xml" in page.content_type else "text"
    return page.text, kind, name


def _status(worker) -> dict:
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


async def health(request: Request):
    service = service_of(request)
    worker = service.worker
    service.auth.require_bearer(request)
    if worker.ready:
        return JSONResponse(_status(worker))
    body = _status(worker)
    if worker.load_error is not None:
        body["error"] = str(worker.load_error)
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


async def models(request: Request):
    service = service_of(request)
    worker = service.worker
    service.auth.require_bearer(request)
    if not worker.ready:
        raise ApiError(503, f"the models are not ready ({worker.state})", {"Retry-After": "5"})
    models, generation = worker.description
    return JSONResponse(
        {
            "models": models,
            "generation": generation,
            "source_languages": list(languages.source_languages(service.pipeline.options.translation_model)),
            "target_languages": list(SUPPORTED_LANGUAGES),
            "summary": worker.summarizes,
            "summary_lengths": {name: list(bounds) for name, bounds in SUMMARY_LENGTHS.items()},
        }
    )


ROUTES = [
    Route("/v1/translate", translate, methods=["POST"]),
    Route("/v1/health", health, methods=["GET"]),
    Route("/v1/models", models, methods=["GET"]),
]
