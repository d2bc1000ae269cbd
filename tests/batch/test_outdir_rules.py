"""A folder run's OUTDIR: never an input, never written through a link, every input its own output;
files and folders in the way fail only their input, outputs honour the umask."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner
from support.cli import FAST, records, refusal, tsum, write_articles
from support.common import TRANSLATION_PAIRS

from translate_summarize.batch.discover import output_stems
from translate_summarize.cli.main import main

# --- an output is never an input ------------------------------------------------------------------


def test_outdir_equal_to_the_input_folder_is_refused_and_nothing_is_written(tmp_path, model_args):
    inputs = tmp_path / "articles"
    write_articles(inputs, "a.txt", "sub/b.txt")
    assert "is inside the output folder" in refusal(tmp_path, inputs, "-o", inputs, *model_args, *FAST)


def test_outdir_holding_an_input_folder_is_refused(tmp_path, model_args):
    write_articles(tmp_path / "out" / "news", "a.txt")
    write_articles(tmp_path, "x.txt")
    args = [tmp_path / "out" / "news", tmp_path / "x.txt", "-o", tmp_path / "out", *model_args, *FAST]
    assert "pick an output folder outside them" in refusal(tmp_path, *args)


# --- colliding names: every input its own output and record, stable across reruns -----------------


@pytest.mark.parametrize(
    ("relatives", "extension", "expected"),
    [
        (["a.txt", "b.md"], ".json", ["a", "b"]),
        (["x.txt", "x.md", "x.txt.md"], ".json", ["x.txt", "x.md", "x.txt.md"]),
        (["x.txt", "x.md"], ".txt", ["x.txt", "x.md"]),
        (["A.TXT", "a.md"], ".json", ["A.TXT", "a.md"]),  # case-insensitive file systems
        (["a.md", "a.txt/b.md"], ".txt", ["a.md", "a.txt/b"]),  # an output file vs an output folder
        (["README", "README.txt"], ".txt", ["README", "README.txt"]),
        (["A.txt", "a.txt"], ".json", ["A.txt-48266a69", "a.txt-18b7cb09"]),  # still taken: a hash
        (["sub/x.txt", "x.txt"], ".json", ["sub/x", "x"]),
    ],
)
def test_output_naming_rule(relatives, extension, expected):
    names = output_stems(relatives, extension)
    assert [names[r] for r in relatives] == expected
    assert output_stems(list(reversed(relatives)), extension) == names  # order does not matter
    assert len({(n + extension).casefold() for n in names.values()}) == len(relatives)


def test_colliding_inputs_each_get_an_output_and_a_record_on_every_run(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "x.txt", "x.md", "x.txt.md")
    for run in range(2):
        result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "json")
        assert result.exit_code == 0
        found = records(out)
        assert {k: v["outputs"] for k, v in found.items()} == {
            "x.txt": ["x.txt.json"],
            "x.md": ["x.md.json"],
            "x.txt.md": ["x.txt.md.json"],
        }
        assert {r["status"] for r in found.values()} == ({"ok"} if run == 0 else {"skipped"})


# --- never write through a link inside OUTDIR -----------------------------------------------------


@pytest.mark.parametrize("where", ["folder", "file"])
def test_a_link_inside_outdir_is_never_written_through(tmp_path, model_args, where):
    inputs, out, victim = tmp_path / "in", tmp_path / "out", tmp_path / "victim"
    write_articles(inputs, "sub/a.txt", "b.txt")
    victim.mkdir()
    out.mkdir()
    if where == "folder":
        (out / "sub").symlink_to("../victim")
        failing = "sub/a.txt"
    else:
        (out / "b.json").symlink_to(victim / "b.json")
        failing = "b.txt"
    result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "json")
    assert result.exit_code == 1
    assert list(victim.iterdir()) == []
    found = records(out)
    assert found[failing]["status"] == "failed" and "symbolic link" in found[failing]["error"]
    assert [r["status"] for k, r in found.items() if k != failing] == ["ok"]


# --- output files and folders in the way; unwritable outputs are found before any work ------------


def test_an_output_file_beside_an_output_folder_of_the_same_name(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "a.md", "a.txt/b.md")
    result = tsum(inputs, "-o", out, *model_args, *FAST, "--format", "text")
    assert result.exit_code == 0
    assert {k: v["outputs"] for k, v in records(out).items()} == {"a.md": ["a.md.txt"], "a.txt/b.md": ["a.txt/b.txt"]}


def test_a_file_where_an_output_folder_must_go_fails_that_input_only(tmp_path, model_args):
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, "sub/a.txt", "b.txt")
    out.mkdir()
    (out / "sub").write_text("someone else's file")
    result = tsum(inputs, "-o", out, *model_args, *FAST)
    assert result.exit_code == 1
    found = records(out)
    assert "is a file where a folder of outputs must go" in found["sub/a.txt"]["error"]
    assert found["b.txt"]["status"] == "ok"
    assert (out / "sub").read_text() == "someone else's file"


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_honour_the_umask(tmp_path, model_args, umask):
    inputs, out, single = tmp_path / "in", tmp_path / "out", tmp_path / "single.txt"
    write_articles(inputs, "a.txt")
    old = os.umask(umask)
    try:
        assert tsum(inputs, "-o", out, *model_args, *FAST).exit_code == 0
        assert tsum(inputs / "a.txt", "-o", single, *model_args, *FAST).exit_code == 0
    finally:
        os.umask(old)
    for path in (out / "a.txt", out / "results.jsonl", single):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


def test_an_earlier_runs_outdir_inside_the_input_folder_is_not_read(tmp_path, model_args):
    inputs = tmp_path / "in"
    write_articles(inputs, "a.txt", "sub/b.txt")
    assert tsum(inputs, "-o", inputs / "old", *model_args, *FAST).exit_code == 0
    result = tsum(inputs, "-o", tmp_path / "new", *model_args, *FAST)  # another -o: old/ holds English outputs
    assert result.exit_code == 0, result.stderr
    assert set(records(tmp_path / "new")) == {"a.txt", "sub/b.txt"}


def test_an_outdir_inside_the_input_folder_that_holds_articles_is_refused(model_args, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    text = TRANSLATION_PAIRS[0][0] + "\n"
    for name in ("moede.txt", "sub/moede.txt"):
        (inputs / name).write_text(text, encoding="utf-8")
    before = (inputs / "sub" / "moede.txt").read_bytes()
    result = CliRunner().invoke(main, [str(inputs), "-o", str(inputs / "sub"), "--offline", "--quiet", *model_args])
    assert result.exit_code == 2, result.output
    assert "already holds files that tsum did not write" in result.output
    assert (inputs / "sub" / "moede.txt").read_bytes() == before
    assert sorted(p.name for p in (inputs / "sub").iterdir()) == ["moede.txt"]
    # A new (or empty) output folder inside the inputs is fine, and so is rerunning into it.
    for _ in range(2):
        ok = CliRunner().invoke(main, [str(inputs), "-o", str(inputs / "out"), "--offline", "--quiet", *model_args])
        assert ok.exit_code == 0, ok.output
