"""Broken model folders and impossible devices: exit 3 and one line naming them."""

from __future__ import annotations

import sys

import pytest
from support.cli import one_error_line, tsum, write_articles
from support.common import EXAMPLE, broken_model

# --- broken model folders and impossible devices: exit 3, one line naming them --------------------


@pytest.mark.parametrize("damage", ["truncated", "missing", "pickle"])
@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_a_broken_model_folder_is_exit_3_naming_it(tiny_models, tmp_path, damage, engine):
    folder = broken_model(tiny_models, tmp_path, damage)
    result = tsum(EXAMPLE, "--translation-model", folder, "--no-summary", "--engine", engine, "--quiet")
    assert result.exit_code == 3
    assert str(folder) in one_error_line(result.stderr)


def test_a_broken_model_fails_a_folder_run_once_not_per_article(tiny_models, tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.txt", "b.txt")
    folder = broken_model(tiny_models, tmp_path, "truncated")
    result = tsum(inputs, "-o", out, "--translation-model", folder, "--no-summary", "--quiet")
    assert result.exit_code == 3 and str(folder) in one_error_line(result.stderr)


@pytest.mark.skipif(sys.platform == "darwin", reason="mps exists on Apple silicon")
def test_device_mps_off_apple_silicon_is_exit_3(model_args):
    result = tsum(EXAMPLE, *model_args, "--device", "mps")
    assert result.exit_code == 3
    assert "--device mps needs Apple silicon" in one_error_line(result.stderr)
