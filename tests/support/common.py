"""Paths, the tiny-model builder, known articles, small documents and JSON-schema checks shared by all tests."""

from __future__ import annotations

import importlib.util
import io
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "article-da.txt"
DATA = ROOT / "tests" / "data"
DANISH_GOLD = DATA / "da_sentences.txt"


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


def docx_bytes(paragraphs: list[str], heading: str | None = None) -> bytes:
    """A Word document (python-docx): an optional level-1 heading, then one paragraph each."""
    import docx

    document = docx.Document()
    if heading is not None:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(paragraphs: list[str]) -> bytes:
    """An OpenDocument text (odfpy), one paragraph each."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


@contextmanager
def mounted_tmpfs(folder: Path, options: str = "size=64k") -> Iterator[Path]:
    """A tmpfs mounted at ``folder`` with mount ``options`` (``ro`` for a read-only one; root
    writes into a read-only *folder*, never a read-only file system), unmounted afterwards. The
    test is skipped where nothing may be mounted (no root, no CAP_SYS_ADMIN)."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


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


def sources(article) -> list[str]:
    """The source text of each segment of a parsed article, in order."""
    return [segment.source for segment in article.segments]


def broken_model(tiny_models, tmp_path, damage: str) -> Path:
    """A copy of the tiny translation model damaged one way: truncated, missing or unpickling code."""

    folder = tmp_path / f"model-{damage}"
    shutil.copytree(tiny_models["translation"], folder)
    weights = folder / "pytorch_model.bin"
    if damage == "truncated":
        with open(weights, "r+b") as handle:
            handle.truncate(weights.stat().st_size // 2)
    elif damage == "missing":
        weights.unlink()
    elif damage == "pickle":
        weights.write_bytes(pickle.dumps({"x": os.system}))  # torch refuses this global
    return folder
