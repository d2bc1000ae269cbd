"""The JSON Schemas (draft 2020-12) of tsum's JSON output and of results.jsonl records.

They ship in the package (``output/schemas/*.json``) so that a consumer can validate what tsum
wrote with any JSON Schema library, e.g. ``jsonschema.validate(data, load_schema(ARTICLE_SCHEMA))``.
tsum itself does not validate at run time (its tests do, on every output they read).
"""

from __future__ import annotations

import json
from importlib.resources import files

ARTICLE_SCHEMA = "article.schema.json"
"""The JSON output: ``--format json``, folder runs' ``.json`` files, ``POST /v1/translate``."""
RECORD_SCHEMA = "results-record.schema.json"
"""One line of results.jsonl."""
SCHEMAS = (ARTICLE_SCHEMA, RECORD_SCHEMA)


def load_schema(name: str) -> dict:
    """The parsed schema ``name`` (one of :data:`SCHEMAS`)."""
    if name not in SCHEMAS:
        raise ValueError(f"no schema {name!r}: tsum ships {', '.join(SCHEMAS)}")
    return json.loads(files("translate_summarize.output").joinpath("schemas", name).read_text(encoding="utf-8"))
