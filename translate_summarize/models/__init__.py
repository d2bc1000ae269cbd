"""Which models tsum knows (registry) and how a name becomes a local directory (resolve)."""

from translate_summarize.models.registry import MODELS, ModelSpec, get_spec
from translate_summarize.models.resolve import ResolvedModel, download_model, is_cached, resolve_model

__all__ = [
    "MODELS",
    "ModelSpec",
    "ResolvedModel",
    "download_model",
    "get_spec",
    "is_cached",
    "resolve_model",
]
