"""`tsum serve`: an HTTP API, a LibreTranslate-compatible endpoint and a web page.

Importing this package is light: Starlette and uvicorn (the ``serve`` extra) are imported only
by :mod:`translate_summarize.serve.app` and :func:`translate_summarize.serve.run.serve`.
"""

from __future__ import annotations

from translate_summarize.serve.options import ServeOptions

__all__ = ["ServeOptions", "create_app", "serve"]


def __getattr__(name: str):
    if name == "create_app":
        from translate_summarize.serve.app import create_app

        return create_app
    if name == "serve":
        from translate_summarize.serve.run import serve

        return serve
    raise AttributeError(f"module 'translate_summarize.serve' has no attribute {name!r}")
