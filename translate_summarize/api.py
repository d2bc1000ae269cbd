"""Pipelines for the module-level API functions, kept so models load once per option set."""

from __future__ import annotations

from translate_summarize.core.pipeline import Pipeline
from translate_summarize.options import PipelineOptions

_pipelines: dict[PipelineOptions, Pipeline] = {}


def pipeline_for(options: dict) -> Pipeline:
    key = PipelineOptions(**options)
    if key not in _pipelines:
        _pipelines[key] = Pipeline(key)
    return _pipelines[key]
