"""The /v1 routes: tsum's own JSON contract (the CLI's ``--format json``), Bearer key."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from translate_summarize.options import SUMMARY_LENGTHS, SUPPORTED_LANGUAGES
from translate_summarize.serve import languages
from translate_summarize.serve.plumbing import ApiError, read_json
from translate_summarize.serve.service import TEXT_FORMATS, service_of

V1_FIELDS = ("text", "summary", "summary_length", "format")


async def translate(request: Request):
    service = service_of(request)
    worker, pipeline = service.worker, service.pipeline
    service.auth.require_bearer(request)
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
    articles = await service.prepare([text], fmt, "text")
    results = await service.run(request, articles, summary, length)
    return JSONResponse(results[0].to_dict())


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
