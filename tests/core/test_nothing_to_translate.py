"""A text with nothing to translate is refused alike by the CLI and the Python API."""

from __future__ import annotations

import pytest
from support.cli import FAST, one_error_line, records, tsum, write_articles

from translate_summarize.errors import InputError

# --- nothing to translate -------------------------------------------------------------------------


def test_a_file_with_only_a_header_has_nothing_to_translate(tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text("date 2021-07\n", encoding="utf-8")
    result = tsum(source, *model_args)
    assert result.exit_code == 2 and "nothing to translate" in one_error_line(result.stderr)
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "b.txt")
    (inputs / "c.txt").write_text("date 2021-07\n", encoding="utf-8")
    assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 1
    assert "nothing to translate" in records(out)["c.txt"]["error"]


def test_the_python_api_refuses_a_header_only_text_as_the_cli_does():
    from translate_summarize import translate

    with pytest.raises(InputError, match="holds only a header"):
        translate("date 2021-07\n", translation_model="opus-mt-da-en", offline=True)
