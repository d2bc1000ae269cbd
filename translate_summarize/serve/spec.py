"""The OpenAPI 3.0 document of every route, served at ``/spec`` (as LibreTranslate serves its own)."""

from __future__ import annotations

from translate_summarize import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}


def _answers(ok: dict, *codes: int) -> dict:
    reasons = {
        400: "Invalid request (missing or wrong parameter, over a limit, invalid JSON, missing key on LibreTranslate routes)",
        401: "Missing or wrong API key (Authorization: Bearer KEY)",
        403: "Invalid API key",
        404: "Unknown or expired file",
        408: "The request body did not arrive in time",
        413: "The request body is over --max-bytes",
        415: "A compressed request body",
        422: "The article cannot be translated (not Danish with --other-language fail, no summariser)",
        429: "Slowdown: the server is busy",
        500: "Internal error",
        503: "The models are loading, or the server is busy or stopping",
    }
    answers = {"200": ok}
    for code in codes:
        answers[str(code)] = {
            "description": reasons[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
    return answers


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_LT_FORM = {
    "type": "object",
    "properties": {
        "q": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "source": {"type": "string", "example": "da"},
        "target": {"type": "string", "example": "en"},
        "format": {"type": "string", "enum": ["text", "html"]},
        "alternatives": {"type": "integer"},
        "api_key": {"type": "string"},
    },
    "required": ["q", "source", "target"],
}
_LT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _LT_FORM},
        "application/x-www-form-urlencoded": {"schema": _LT_FORM},
        "multipart/form-data": {"schema": _LT_FORM},
    },
}
_ANY_OBJECT = {"type": "object", "additionalProperties": True}


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "tsum",
            "version": __version__,
            "description": "Danish news in English: tsum's /v1 API and a LibreTranslate-compatible API.",
        },
        "paths": {
            "/v1/translate": {
                "post": {
                    "summary": "Translate (and summarise) one article; the CLI's --format json",
                    "security": [{"bearer": []}, {}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "text": {"type": "string"},
                                        "summary": {"type": "boolean"},
                                        "summary_length": {"type": "string", "enum": ["short", "medium", "long"]},
                                        "format": {"type": "string", "enum": ["text", "html"]},
                                    },
                                    "required": ["text"],
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "responses": _answers(_json(_ANY_OBJECT), 400, 401, 408, 413, 415, 422, 500, 503),
                }
            },
            "/v1/health": {
                "get": {
                    "summary": "Ready (200) or loading (503)",
                    "security": [{"bearer": []}, {}],
                    "responses": _answers(_json(_ANY_OBJECT), 401, 503),
                }
            },
            "/v1/models": {
                "get": {
                    "summary": "The loaded models, generation settings and languages",
                    "security": [{"bearer": []}, {}],
                    "responses": _answers(_json(_ANY_OBJECT), 401, 503),
                }
            },
            "/translate": {
                "post": {
                    "summary": "LibreTranslate: translate text or HTML",
                    "requestBody": _LT_BODY,
                    "responses": _answers(
                        _json(
                            {
                                "type": "object",
                                "properties": {
                                    "translatedText": {
                                        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                                    },
                                    "detectedLanguage": _ANY_OBJECT,
                                },
                            }
                        ),
                        400,
                        403,
                        413,
                        429,
                        500,
                        503,
                    ),
                }
            },
            "/detect": {
                "post": {
                    "summary": "LibreTranslate: detect the language",
                    "requestBody": _LT_BODY,
                    "responses": _answers(
                        _json(
                            {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"language": {"type": "string"}, "confidence": {"type": "number"}},
                                },
                            }
                        ),
                        400,
                        403,
                    ),
                }
            },
            "/languages": {
                "get": {
                    "summary": "LibreTranslate: languages and their targets (no key needed)",
                    "responses": _answers(
                        _json(
                            {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string"},
                                        "name": {"type": "string"},
                                        "targets": {"type": "array", "items": {"type": "string"}},
                                    },
                                },
                            }
                        )
                    ),
                }
            },
            "/translate_file": {
                "post": {
                    "summary": "LibreTranslate: translate a .txt, .html, .docx, .odt or .pdf file",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "file": {"type": "string", "format": "binary"},
                                        "source": {"type": "string"},
                                        "target": {"type": "string"},
                                        "api_key": {"type": "string"},
                                    },
                                    "required": ["file", "source", "target"],
                                }
                            }
                        },
                    },
                    "responses": _answers(
                        _json({"type": "object", "properties": {"translatedFileUrl": {"type": "string"}}}),
                        400,
                        403,
                        413,
                        429,
                        503,
                    ),
                }
            },
            "/download_file/{filename}": {
                "get": {
                    "summary": "LibreTranslate: a translated file (kept for a limited time)",
                    "parameters": [{"name": "filename", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": _answers(
                        {
                            "description": "The file",
                            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        404,
                    ),
                }
            },
            "/health": {
                "get": {
                    "summary": "LibreTranslate: {status: ok} when ready",
                    "responses": _answers(_json(_ANY_OBJECT), 503),
                }
            },
            "/frontend/settings": {
                "get": {"summary": "LibreTranslate: limits and defaults", "responses": _answers(_json(_ANY_OBJECT))}
            },
            "/spec": {"get": {"summary": "This OpenAPI document", "responses": _answers(_json(_ANY_OBJECT))}},
            "/": {
                "get": {
                    "summary": "The web page",
                    "responses": {
                        "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
