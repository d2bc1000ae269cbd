"""Pinned registry and model resolution against a Hub-style cache built in tmp_path."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from translate_summarize.cli import main
from translate_summarize.errors import ModelLoadError, ModelNotAvailableError, UsageError
from translate_summarize.models.registry import MODELS, get_spec
from translate_summarize.models.resolve import resolve_model


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


def test_every_model_is_pinned_to_a_full_commit():
    for spec in MODELS.values():
        assert re.fullmatch(r"[0-9a-f]{40}", spec.revision), spec.name
        assert spec.task in ("translation", "summary") and spec.license and "published" in spec.published_scores
    assert get_spec("Helsinki-NLP/opus-mt-da-en") is MODELS["opus-mt-da-en"]


def test_models_list_shows_revisions_and_cache_state(tiny_models):
    hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    result = CliRunner().invoke(main, ["models", "list"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert set(lines) == set(MODELS)
    for name, spec in MODELS.items():
        assert spec.revision in lines[name]
    assert "  yes     OPUS-MT Danish->English" in lines["opus-mt-da-en"]
    assert "  no      Distilled BART news summariser" in lines["distilbart-cnn-12-6"]
    rows = json.loads(CliRunner().invoke(main, ["models", "list", "--json"]).stdout)
    assert {r["name"]: r["cached"] for r in rows}["opus-mt-da-en"] is True
    assert {r["name"]: r["description"] for r in rows}["bart-large-cnn"].startswith("BART-large news summariser")


def test_resolution_uses_the_cache_at_the_pinned_revision_offline(tiny_models, monkeypatch):
    snapshot = hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = resolve_model("opus-mt-da-en")
    assert model.path == snapshot and model.revision == MODELS["opus-mt-da-en"].revision
    assert CliRunner().invoke(main, ["models", "path", "opus-mt-da-en", "--offline"]).stdout.strip() == str(snapshot)


def test_cached_model_runs_end_to_end_offline(tiny_models, monkeypatch):
    hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, [str(EXAMPLE), "--no-summary", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["models"]["translation"] == {
        "name": "opus-mt-da-en",
        "revision": MODELS["opus-mt-da-en"].revision,
    }


def test_incomplete_cache_is_not_used(tiny_models, monkeypatch):
    snapshot = hub_cache(MODELS["opus-mt-da-en"], tiny_models["translation"])
    (snapshot / "pytorch_model.bin").unlink()
    with pytest.raises(ModelNotAvailableError):
        resolve_model("opus-mt-da-en", offline=True)


def test_offline_with_an_empty_cache_gives_one_actionable_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, [str(EXAMPLE)])
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: model opus-mt-da-en (Helsinki-NLP/opus-mt-da-en@062063cf0ee1) is not in the local cache "
        "and offline mode is on: run `tsum models download opus-mt-da-en` on a connected machine and copy "
        "the cache, or pass a model directory\n"
    )


def test_unreachable_hub_gives_one_actionable_line(monkeypatch):
    # The autouse fixture makes every connection fail, as on this project's machines;
    # huggingface_hub's retry back-off is skipped to keep the test fast.
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    result = CliRunner().invoke(main, ["models", "download", "opus-mt-da-en"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: could not download Helsinki-NLP/opus-mt-da-en at revision 062063cf0ee1")
    assert result.stderr.count("\n") == 1


def test_bad_names_and_directories(tmp_path):
    with pytest.raises(UsageError, match="unknown model 'nope'"):
        resolve_model("nope")
    with pytest.raises(ModelLoadError, match="no config.json"):
        resolve_model(tmp_path)
    with pytest.raises(ModelLoadError, match="does not exist"):
        resolve_model(str(tmp_path / "missing-dir"))
