"""Option values and combinations the run command refuses (or warns about) up front."""

from __future__ import annotations

import math

import pytest
from support.cli import tsum
from support.common import EXAMPLE

from translate_summarize.errors import UsageError
from translate_summarize.options import PipelineOptions

FAST = ["--compute-type", "float32", "--beam-size", "1", "--quiet", "--no-summary"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0.5", "-101"])
def test_min_score_outside_a_finite_range_is_a_usage_error(value):
    result = tsum(EXAMPLE, "--min-score", value)
    assert result.exit_code == 2
    assert "--min-score" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1.0, -1000.0])
def test_library_refuses_a_min_score_outside_the_range(value):
    with pytest.raises(UsageError, match="min_score must be a number from -100 to 0"):
        PipelineOptions(min_score=value)


@pytest.mark.parametrize("value", [-100.0, -1.0, 0.0])
def test_min_scores_in_the_range_are_accepted(value):
    assert PipelineOptions(min_score=value).min_score == value


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--executor", "ray"], "--executor"),
        (["--ray-address", "127.0.0.1:6379"], "--ray-address"),
        (["--workers", "3"], "--workers"),
        (["--cpus-per-worker", "2"], "--cpus-per-worker"),
        (["--gpus-per-worker", "1"], "--gpus-per-worker"),
    ],
)
def test_ray_options_with_one_article_are_a_usage_error(model_args, args, named):
    result = tsum(EXAMPLE, *model_args, *FAST, *args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == f"Error: {named} is for folder runs on Ray, not one article: leave it out"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "named"),
    [(["--force"], "--force"), (["--glob", "*.txt"], "--glob"), (["--follow-symlinks"], "--follow-symlinks")],
)
def test_folder_options_with_one_article_warn_and_go_on(model_args, args, named):
    result = tsum(EXAMPLE, *model_args, *FAST, *args)
    assert result.exit_code == 0, result.output
    assert f"Warning: {named} only applies to folders; ignored for one article" in result.stderr
    assert result.stdout.strip()


def test_explicit_local_executor_with_one_article_is_fine(model_args):
    result = tsum(EXAMPLE, *model_args, *FAST, "--executor", "local")
    assert result.exit_code == 0 and "Warning" not in result.stderr


def test_gpus_per_worker_has_help():
    result = tsum("--help")
    assert "--gpus-per-worker" in result.stdout
    help_text = result.stdout.split("--gpus-per-worker", 1)[1].split("\n  -", 1)[0]
    assert "GPUs each Ray worker reserves" in " ".join(help_text.split())
