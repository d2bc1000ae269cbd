"""The command group: subcommand words, help texts and shell completion."""

from __future__ import annotations

from click.testing import CliRunner
from support.cli import tsum

from translate_summarize.cli.main import main

# --- CLI manners --------------------------------------------------------------------------------


def test_a_subcommand_word_of_a_group_stays_the_subcommand_beside_a_folder_of_that_name(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    result = tsum("models", "path")  # NAME missing: models path's own usage error, not a folder run
    assert result.exit_code == 2
    assert "Missing argument 'NAME'" in result.stderr


def test_help_texts_show_examples_and_the_short_help_option():
    top = tsum("--help").stdout
    assert "-h, --help" in top
    assert "--format html" in top and "tsum eval" in top
    assert "Examples:" in tsum("models", "--help").stdout
    assert "Examples:" in tsum("eval", "--help").stdout


def test_completion_of_an_option_as_the_first_word_offers_the_run_options():
    env = {"_TSUM_COMPLETE": "bash_complete", "COMP_WORDS": "tsum --fo", "COMP_CWORD": "1"}
    result = CliRunner().invoke(main, [], env=env, prog_name="tsum")
    assert "plain,--format" in result.output.splitlines()
