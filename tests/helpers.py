"""Helpers shared by test modules (import from here, never from another test module)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "article-da.txt"
DANISH_GOLD = ROOT / "tests" / "data" / "da_sentences.txt"


def _load_builder():
    """scripts/make_test_models.py is a script, not a package module: load it by path, once."""
    if "make_test_models" in sys.modules:
        return sys.modules["make_test_models"]
    spec = importlib.util.spec_from_file_location("make_test_models", ROOT / "scripts" / "make_test_models.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_test_models"] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()
TRANSLATION_PAIRS = builder.TRANSLATION_PAIRS


def known_article(pairs=TRANSLATION_PAIRS, per_paragraph: int = 2) -> tuple[str, str]:
    """A Danish article made of the trained sentences, and its expected English translation."""
    da, en = [], []
    for i in range(0, len(pairs), per_paragraph):
        chunk = pairs[i : i + per_paragraph]
        da.append(" ".join(d for d, _ in chunk))
        en.append(" ".join(e for _, e in chunk))
    return "\n\n".join(da) + "\n", "\n\n".join(en)


def danish_news_sentences(path: Path = DANISH_GOLD) -> list[str]:
    """The team's gold Danish news sentences (one per line, # comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def hub_cache(spec, source: Path) -> Path:
    """Lay ``source``'s files out as huggingface_hub caches ``spec`` at its pinned revision."""
    hub = Path(os.environ["HF_HOME"]) / "hub"
    repo = hub / ("models--" + spec.repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / spec.revision
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(spec.revision)
    for name in spec.files:
        blob = repo / "blobs" / f"blob-{name}"
        shutil.copy(source / name, blob)
        (snapshot / name).symlink_to(os.path.relpath(blob, snapshot))
    return snapshot


def not_available_message(specs, offline: bool = False, endpoint: str = "https://huggingface.co") -> str:
    """The one line (without "Error: ") a command gives when ``specs`` are not cached and cannot be downloaded,
    with the Hugging Face cache and tsum's cache as the environment sets them."""
    import huggingface_hub.constants as hf_constants

    from translate_summarize.util.paths import tsum_cache_dir

    listed = ", ".join(f"{s.name} ({s.repo_id}@{s.revision[:12]}, {s.size})" for s in specs)
    names = " ".join(s.name for s in specs)
    noun, verb = ("model", "is") if len(specs) == 1 else ("models", "are")
    cause = (
        "offline mode is on (--offline or HF_HUB_OFFLINE=1)"
        if offline
        else f"the Hugging Face Hub ({endpoint}) cannot be reached"
    )
    hub = hf_constants.HF_HUB_CACHE
    return (
        f"{cause} and {noun} {listed} {verb} not in the local cache: on a connected machine run "
        f"`tsum models export tsum-models.tar {names}`, copy tsum-models.tar here and run "
        f"`tsum models import tsum-models.tar` (it fills the Hugging Face cache {hub} and tsum's cache "
        f"{tsum_cache_dir()}), or copy that machine's Hugging Face cache into {hub}; then run again"
    )


# ---- tsum's JSON against the schemas the package ships (output/schemas/*.json) -------------


def tsum_json_kind(data) -> str | None:
    """Which of tsum's schemas a parsed JSON value claims to follow: the JSON output (it carries
    ``tsum_version``, ``segments`` and ``generation``), a results.jsonl record (``input``,
    ``status``, ``outputs``), or None for any other JSON."""
    from translate_summarize.output.schema import ARTICLE_SCHEMA, RECORD_SCHEMA

    if not isinstance(data, dict):
        return None
    if {"tsum_version", "segments", "generation"} <= data.keys():
        return ARTICLE_SCHEMA
    if {"input", "status", "outputs"} <= data.keys():
        return RECORD_SCHEMA
    return None


_validators: dict = {}


def schema_errors(data, schema: str) -> list[str]:
    """Every way ``data`` breaks the package's schema ``schema``, as "path: message" lines."""
    if schema not in _validators:
        from jsonschema import Draft202012Validator

        from translate_summarize.output.schema import load_schema

        Draft202012Validator.check_schema(load_schema(schema))
        _validators[schema] = Draft202012Validator(load_schema(schema))
    errors = sorted(_validators[schema].iter_errors(data), key=lambda error: list(error.absolute_path))
    return [f"{error.json_path}: {error.message}" for error in errors]


def check_tsum_json(data) -> None:
    """Fail (AssertionError) when ``data`` looks like tsum's JSON and breaks its schema."""
    schema = tsum_json_kind(data)
    if schema is not None:
        problems = schema_errors(data, schema)
        assert not problems, f"tsum JSON breaks {schema}:\n" + "\n".join(problems)


def schema_paths(schema: dict, node: dict | None = None, path: str = "") -> list[str]:
    """Every field a schema defines, as dotted paths: ``models.translation.name``, and
    ``segments[].flags`` for the fields of an array's items (``$ref``, ``allOf`` and ``anyOf``
    followed)."""
    node = schema if node is None else node
    if "$ref" in node:
        node = {**_resolve(schema, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}
    paths: list[str] = []
    for part in [node, *node.get("allOf", []), *node.get("anyOf", [])]:
        if part is not node:
            paths += schema_paths(schema, part, path)
            continue
        for name, child in node.get("properties", {}).items():
            child_path = f"{path}.{name}" if path else name
            paths += [child_path, *schema_paths(schema, child, child_path)]
        if isinstance(node.get("items"), dict):
            paths += schema_paths(schema, node["items"], f"{path}[]")
    return list(dict.fromkeys(paths))


def _resolve(schema: dict, ref: str) -> dict:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are followed, not {ref}")
    node = schema
    for key in ref[2:].split("/"):
        node = node[key]
    return node
