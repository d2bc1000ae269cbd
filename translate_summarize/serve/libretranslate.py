"""The LibreTranslate-compatible routes: its request and answer shapes and its status codes, so
that its clients work by changing one URL (LibreTranslate's ``libretranslate/app.py`` is the
reference: a wrong key 403, a missing one 400, overload 429 ``Slowdown: ...``)."""

from __future__ import annotations

from pathlib import PurePath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from translate_summarize.errors import TsumError
from translate_summarize.options import SUPPORTED_LANGUAGES
from translate_summarize.serve import languages
from translate_summarize.serve.plumbing import ApiError, read_body, read_params
from translate_summarize.serve.service import Service, file_text, service_of
from translate_summarize.text.language import LANGUAGE_NAMES

LT_FORMATS = ("text", "html")
# What /translate_file reads, and what it returns: a document format tsum cannot write comes back as text.
FILE_FORMATS = {".txt": ".txt", ".html": ".html", ".htm": ".html", ".docx": ".txt", ".odt": ".txt", ".pdf": ".txt"}
FRONTEND_TIMEOUT_MS = 500


async def checked_params(request: Request) -> dict:
    """The parameters, with the key checked first: from the query string before the body is read."""
    service = service_of(request)
    query_key = request.query_params.get("api_key")
    if query_key is not None:
        service.auth.require_api_key(query_key)
        params = await read_params(request)
    else:
        params = await read_params(request)
        service.auth.require_api_key(params.get("api_key"))
    return params


def _check_languages(service: Service, source: str, target: str) -> None:
    if target not in SUPPORTED_LANGUAGES:
        raise ApiError(400, f"{target} is not supported")
    if source != "auto" and source not in languages.source_languages(service.pipeline.options.translation_model):
        raise ApiError(400, f"{source} is not supported")


def _check_limits(service: Service, texts: list[str], batch: bool) -> None:
    serve_options = service.serve_options
    if batch and serve_options.batch_limit != -1 and len(texts) > serve_options.batch_limit:
        raise ApiError(
            400,
            f"Invalid request: request ({len(texts)}) exceeds text limit ({serve_options.batch_limit}) (--batch-limit)",
        )
    if serve_options.char_limit != -1:
        for text in texts:
            if len(text) > serve_options.char_limit:
                raise ApiError(
                    400,
                    f"Invalid request: request ({len(text)}) exceeds text limit ({serve_options.char_limit}) (--char-limit)",
                )


async def translate(request: Request):
    service = service_of(request)
    params = await checked_params(request)
    q = params.get("q")
    for name in ("q", "source", "target"):
        if not params.get(name):
            raise ApiError(400, f"Invalid request: missing {name} parameter")
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    source, target = str(params["source"]).lower(), str(params["target"]).lower()
    kind = params.get("format") or "text"
    if not isinstance(kind, str) or kind not in LT_FORMATS:
        raise ApiError(400, f"{kind} format is not supported")
    alternatives = params.get("alternatives") or 0
    if isinstance(alternatives, str) and alternatives.strip().isdigit() and len(alternatives.strip()) < 10:
        alternatives = int(alternatives)
    if not isinstance(alternatives, int) or isinstance(alternatives, bool):
        raise ApiError(400, "Invalid request: alternatives parameter is not a number")
    _check_limits(service, texts, batch)
    _check_languages(service, source, target)
    detected = None
    if source == "auto":
        detected = (await run_in_threadpool(languages.detect, "\n".join(texts)))[0]
        _check_languages(service, detected["language"], target)
    if kind == "html":
        translated = [await _translate_html(request, service, text) for text in texts]
    else:
        translated = await service.translate_texts(request, texts)
    response: dict = {"translatedText": translated if batch else translated[0]}
    if detected is not None:
        response["detectedLanguage"] = [detected] * len(texts) if batch else detected
    if alternatives > 0:
        response["alternatives"] = [[] for _ in texts] if batch else []
    return JSONResponse(response)


async def _translate_html(request: Request, service: Service, html: str) -> str:
    """The markup kept, its text translated (text/markup.py); all its text nodes in one round."""
    from translate_summarize.text.markup import translate_markup

    nodes: list[str] = []
    await run_in_threadpool(translate_markup, html, lambda texts: nodes.extend(texts) or texts)
    translations = iter(await service.translate_texts(request, nodes))
    return await run_in_threadpool(translate_markup, html, lambda texts: [next(translations) for _ in texts])


async def detect(request: Request):
    params = await checked_params(request)
    q = params.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    texts = q if isinstance(q, list) else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    return JSONResponse(await run_in_threadpool(languages.detect, "\n".join(texts)))


async def list_languages(request: Request):
    # Never needs the key (as LibreTranslate): clients call it before they know about keys. Its
    # body is never read either: the npm client sends a JSON Content-Type with no body.
    return JSONResponse(languages.languages(service_of(request).pipeline.options.translation_model))


async def health(request: Request):
    """LibreTranslate's ``{"status": "ok"}``, once the models are loaded (503 before, as /v1/health)."""
    worker = service_of(request).worker
    if worker.ready:
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": worker.state}, status_code=503, headers={"Retry-After": "5"})


async def frontend_settings(request: Request):
    service = service_of(request)
    sources = languages.source_languages(service.pipeline.options.translation_model)
    return JSONResponse(
        {
            "charLimit": service.serve_options.char_limit,
            "frontendTimeout": FRONTEND_TIMEOUT_MS,
            "apiKeys": service.auth.required,
            "keyRequired": service.auth.required,
            "suggestions": False,
            "filesTranslation": True,
            "supportedFilesFormat": sorted(FILE_FORMATS),
            "language": {
                "source": {"code": sources[0], "name": LANGUAGE_NAMES.get(sources[0], sources[0])},
                "target": {"code": "en", "name": LANGUAGE_NAMES["en"]},
            },
        }
    )


async def translate_file(request: Request):
    service = service_of(request)
    query_key = request.query_params.get("api_key")
    if query_key is not None:
        service.auth.require_api_key(query_key)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise ApiError(400, "Invalid request: send multipart/form-data with file, source and target")
    await read_body(request)  # the encoding check; Starlette keeps the body for form()
    form = await request.form(max_files=1, max_fields=20)
    if query_key is None:
        given = form.get("api_key")
        service.auth.require_api_key(given if isinstance(given, str) else None)
    upload = form.get("file")
    for name in ("source", "target"):
        if not form.get(name):
            raise ApiError(400, f"Invalid request: missing {name} parameter")
    if not isinstance(upload, UploadFile):
        raise ApiError(400, "Invalid request: missing file parameter")
    filename = upload.filename or ""
    if filename == "":
        raise ApiError(400, "Invalid request: empty file")
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FILE_FORMATS:
        raise ApiError(
            400, f"Invalid request: file format not supported (send one of {', '.join(sorted(FILE_FORMATS))})"
        )
    source, target = str(form["source"]).lower(), str(form["target"]).lower()
    _check_languages(service, source, target)
    data = await upload.read()
    text = await _file_text(data, filename)
    if suffix in (".html", ".htm"):
        translated = await _translate_html(request, service, text)
    else:
        translated = (await service.translate_texts(request, [text], name=PurePath(filename).name))[0]
    out_name = PurePath(filename).stem + FILE_FORMATS[suffix]
    stored = await run_in_threadpool(service.files.put, translated.encode("utf-8"), out_name)
    url = str(request.url_for("download_file", filename=stored))
    return JSONResponse({"translatedFileUrl": url})


async def _file_text(data: bytes, filename: str) -> str:
    try:
        text, _kind = await run_in_threadpool(file_text, data, filename)
    except TsumError as error:
        raise ApiError(400, str(error)) from error
    return text


async def download_file(request: Request):
    service = service_of(request)
    stored = service.files.get(request.path_params["filename"])
    if stored is None:
        raise ApiError(404, "Invalid filename: unknown or expired (files are kept for a limited time)")
    data = await run_in_threadpool(stored.path.read_bytes)
    media = "text/html; charset=utf-8" if stored.download_name.endswith(".html") else "text/plain; charset=utf-8"
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{stored.download_name}"'}
    )


ROUTES = [
    Route("/translate", translate, methods=["POST"]),
    Route("/detect", detect, methods=["POST"]),
    Route("/languages", list_languages, methods=["GET"]),
    Route("/health", health, methods=["GET"]),
    Route("/frontend/settings", frontend_settings, methods=["GET"]),
    Route("/translate_file", translate_file, methods=["POST"]),
    Route("/download_file/{filename}", download_file, methods=["GET"], name="download_file"),
]
