"""`tsum models convert` and model-loading errors: one line that blames the right thing."""

from __future__ import annotations

import errno

import click
import pytest
from support.cli import tsum
from support.common import EXAMPLE, broken_model

from translate_summarize.cli.main import main


def error_line(stderr: str) -> str:
    """The last line, the one ``Error:`` (a "Converting ..." progress line may come before it)."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert lines[-1].startswith("Error: ") and sum(line.startswith("Error: ") for line in lines) == 1, stderr
    return lines[-1]


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_models_convert_of_a_broken_folder_is_exit_3_naming_it(tiny_models, tmp_path, damage):
    folder = broken_model(tiny_models, tmp_path, damage)
    result = tsum("models", "convert", folder)
    assert result.exit_code == 3
    line = error_line(result.stderr)
    assert str(folder) in line and "damaged or incomplete" in line


def test_models_convert_prints_the_converted_folder(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("TSUM_CACHE_DIR", str(tmp_path / "cache"))
    result = tsum("models", "convert", tiny_models["translation"])
    assert result.exit_code == 0, result.output
    name, _, folder = result.stdout.strip().partition(": ")
    assert name == str(tiny_models["translation"])
    assert folder.startswith(str(tmp_path / "cache")) and (tmp_path / "cache").joinpath(folder).is_dir()


def test_an_unwritable_conversion_cache_is_blamed_not_the_model_folder(tiny_models, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("TSUM_CACHE_DIR", str(blocker / "cache"))
    model = tiny_models["translation"]
    for args in (["models", "convert", model], [EXAMPLE, "--translation-model", model, "--no-summary", "--quiet"]):
        result = (
            tsum(*args, "--compute-type", "int8") if args[0] == "models" else tsum(*args, "--engine", "ctranslate2")
        )
        assert result.exit_code == 3
        line = error_line(result.stderr)
        assert "tsum's cache" in line and str(blocker / "cache") in line and "TSUM_CACHE_DIR" in line
        assert "damaged" not in line and "download it again" not in line


def test_an_os_error_that_is_not_a_write_to_standard_output_is_not_reported_as_one(monkeypatch):
    @click.command(name="boom")
    def boom():
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(main.commands, "boom", boom)
    with pytest.raises(OSError) as raised:
        main.main(["boom"], prog_name="tsum")
    assert raised.value.errno == errno.ENOSPC


def test_a_compute_type_ctranslate2_cannot_run_here_fails_before_converting(tiny_models, tmp_path, monkeypatch):
    import ctranslate2

    if "float16" in ctranslate2.get_supported_compute_types("cpu"):
        pytest.skip("this CPU runs float16 in CTranslate2")
    cache = tmp_path / "cache"
    monkeypatch.setenv("TSUM_CACHE_DIR", str(cache))
    args = ["--translation-model", tiny_models["translation"], "--no-summary", "--quiet", "--engine", "ctranslate2"]
    result = tsum(EXAMPLE, *args, "--device", "cpu", "--compute-type", "float16")
    assert result.exit_code == 3
    line = error_line(result.stderr)
    assert line.startswith("Error: --compute-type float16 is not supported by CTranslate2 on this machine's cpu")
    assert "int8" in line and "Converting" not in result.stderr
    assert not list(cache.rglob("model.bin"))
