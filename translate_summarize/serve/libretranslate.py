"""The LibreTranslate-compatible routes (``/translate``, ``/detect``, ``/languages``): its request
and answer shapes, so that its clients work by changing one URL."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from translate_summarize.options import SUPPORTED_LANGUAGES
from translate_summarize.serve import languages
from translate_summarize.serve.plumbing import ApiError, read_params
from translate_summarize.serve.service import TEXT_FORMATS, service_of


async def translate(request: Request):
    service = service_of(request)
    params = await read_params(request)
    service.auth.require_api_key(params)
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
    if source not in languages.source_languages(service.pipeline.options.translation_model):
        raise ApiError(400, f"{source} is not supported")
    # As LibreTranslate: text with nothing to translate (empty, emoji only) comes back as it is.
    translatable = [i for i, text in enumerate(texts) if any(ch.isalnum() for ch in text)]
    translated = list(texts)
    if translatable:
        articles = await service.prepare([texts[i] for i in translatable], fmt, "q")
        results = await service.run(request, articles, False, service.pipeline.options.summary_length)
        for i, result in zip(translatable, results):
            translated[i] = result.translation
    response: dict = {"translatedText": translated if batch else translated[0]}
    if detected is not None:
        response["detectedLanguage"] = [detected] * len(texts) if batch else detected
    if alternatives:
        response["alternatives"] = [[] for _ in texts] if batch else []
    return JSONResponse(response)


async def detect(request: Request):
    service = service_of(request)
    params = await read_params(request)
    service.auth.require_api_key(params)
    q = params.get("q")
    if not q:
        raise ApiError(400, "Invalid request: missing q parameter")
    texts = q if isinstance(q, list) else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    text = "\n".join(texts)
    return JSONResponse(await run_in_threadpool(languages.detect, text))


async def list_languages(request: Request):
    service = service_of(request)
    # libretranslatepy sends api_key in the body of this GET; browsers in the query string.
    service.auth.require_api_key(await read_params(request))
    return JSONResponse(languages.languages(service.pipeline.options.translation_model))


ROUTES = [
    Route("/translate", translate, methods=["POST"]),
    Route("/detect", detect, methods=["POST"]),
    Route("/languages", list_languages, methods=["GET"]),
]
