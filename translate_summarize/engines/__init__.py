"""Inference engines behind one narrow interface (:class:`Seq2SeqEngine`).

``load_engine`` loads one for a resolved :class:`~translate_summarize.core.runtime.Runtime`; callers
never import an engine module directly, so heavy libraries (torch, ctranslate2) are imported
only when a model is loaded.
"""

from __future__ import annotations

from translate_summarize.core.runtime import Runtime
from translate_summarize.engines.base import Generated, Seq2SeqEngine, Workload
from translate_summarize.models.resolve import ResolvedModel

__all__ = ["Generated", "Seq2SeqEngine", "Workload", "load_engine"]


def load_engine(model: ResolvedModel, runtime: Runtime, workload: Workload | str, quiet: bool = True) -> Seq2SeqEngine:
    """Load ``model`` into the engine ``runtime`` names, arranged for ``workload``.

    Raises:
        ValueError: ``workload`` is not a :class:`Workload` (or its value).
    """
    workload = Workload(workload)
    if runtime.engine == "ctranslate2":
        from translate_summarize.engines.ctranslate2_engine import CTranslate2Engine

        return CTranslate2Engine(model, runtime, workload, quiet)
    from translate_summarize.engines.transformers_engine import TransformersEngine

    return TransformersEngine(model.path, runtime)
