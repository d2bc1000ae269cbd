"""tsum: Danish news articles -> English translation and summary.

Python API (the same defaults as the CLI)::

    from translate_summarize import translate, summarize, translate_and_summarize

    english = translate("De to lande mødtes onsdag.")
    result = translate_and_summarize(open("article.txt").read())
    print(result.summary, result.translation)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "ArticleResult",
    "Pipeline",
    "PipelineOptions",
    "TranslatedSegment",
    "__version__",
    "export_models",
    "import_models",
    "resolve_model",
    "summarize",
    "translate",
    "translate_and_summarize",
    "translate_file",
]

_LAZY = {
    "ArticleResult": "translate_summarize.core.pipeline",
    "Pipeline": "translate_summarize.core.pipeline",
    "TranslatedSegment": "translate_summarize.core.pipeline",
    "PipelineOptions": "translate_summarize.options",
    "resolve_model": "translate_summarize.models.resolve",
    "export_models": "translate_summarize.models.transfer",
    "import_models": "translate_summarize.models.transfer",
}


def __getattr__(name: str):
    # Lazy so that `import translate_summarize` (and `tsum --help`) stays light.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'translate_summarize' has no attribute {name!r}")


def translate_and_summarize(text: str, **options):
    """Translate a Danish article and summarise it in English.

    Args:
        text: the article; a leading ``date 2021-07`` field goes to ``metadata``.
        **options: any :class:`PipelineOptions` field (``translation_model``, ``engine``, ...).

    Returns:
        ArticleResult with ``translation``, ``summary``, ``segments`` and ``metadata``.
    """
    from translate_summarize.api import pipeline_for

    return pipeline_for(options).process([text])[0]


def translate(text: str, **options) -> str:
    """Translate a Danish text into English (no summary)."""
    from translate_summarize.api import pipeline_for

    return pipeline_for({**options, "summarize": False}).process([text])[0].translation


def summarize(text: str, **options) -> str:
    """Summarise a Danish article in English (it is translated first)."""
    return translate_and_summarize(text, **options).summary


def translate_file(path, **options):
    """Read an article file (text, Markdown, a web page or a JSON article; any common encoding)
    and translate and summarise it."""
    from translate_summarize.api import pipeline_for
    from translate_summarize.text.reading import read_article

    pipeline = pipeline_for(options)
    return pipeline.process_parsed([pipeline.parse(read_article(path), str(path))])[0]
