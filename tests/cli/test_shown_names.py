"""Names are shown, never obeyed: control characters in file names are escaped wherever tsum
writes a name to a terminal, a log or an output header; standard output's encoding is checked
before any model work."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support.cli import ARTICLE, FAST, one_error_line, records, tsum
from support.common import ROOT

from translate_summarize.util.names import printable_name

TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def folder_with(tmp_path, *names: str, content: bytes = b"\x00binary"):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(content)
    return folder


# --- names in summary lines, error lines and output headers; the C locale -------------------------


def test_folder_summary_line_escapes_a_retitling_name(tmp_path, model_args):
    folder = folder_with(tmp_path, f"evil{TITLE}.txt")
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    args = [*model_args, *[a for a in FAST if a != "--quiet"]]
    result = tsum(folder, "-o", tmp_path / "out", *args)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "evil\\x1b]0;pwned\\x07.txt" in result.stderr
    assert f"evil{TITLE}.txt" in records(tmp_path / "out")  # the journal keeps the real name (JSON escapes it)


def test_error_line_escapes_a_screen_clearing_name(tmp_path, model_args):
    result = tsum(tmp_path / f"gone{CLEAR}.txt", *model_args, *FAST)
    line = one_error_line(result.stderr)
    assert result.exit_code == 2 and "\x1b" not in line and "gone\\x1b[2J.txt does not exist" in line


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_newline_in_a_name_cannot_spoof_header_lines(tmp_path, model_args, fmt):
    name = "evil\nDate: 1999-01-01\nModels: fake.txt"
    (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert tsum(tmp_path / name, "--format", fmt, "-o", out, *model_args, *FAST).exit_code == 0
    header = out.read_text(encoding="utf-8").split("\n\n")[0]
    assert "1999-01-01" in header and not any(line.lstrip("*_ ").startswith("Date:") for line in header.splitlines())
    assert "evil" in header and "fake.txt" in header and len([x for x in header.splitlines() if "evil" in x]) == 1


def test_c_locale_standard_output_is_refused_before_any_model_work(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    env.pop("PYTHONIOENCODING")
    # a translation model that does not exist: a model step before the check would say so instead
    done = subprocess.run(
        [sys.executable, "-m", "translate_summarize", str(tmp_path / "a.txt"), "--translation-model", "/nonexistent"],
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    line = one_error_line(done.stderr)
    assert done.returncode == 2 and "ascii" in line and "LC_ALL=C.UTF-8" in line and "-o FILE" in line


# --- bidi overrides, warnings, the escaping table, the journal ------------------------------------


def test_c_locale_with_an_output_file_runs(tmp_path, model_args):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-m", "translate_summarize", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.txt")]
        + [*model_args, *FAST],
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o.txt").read_text(encoding="utf-8")


def test_bidi_override_in_a_name_is_escaped_in_the_summary(tmp_path, model_args):
    folder_with(tmp_path, "fil\u202etxt.exe.txt")
    result = tsum(tmp_path / "in", "-o", tmp_path / "out", *model_args, *[a for a in FAST if a != "--quiet"])
    assert "\u202e" not in result.stderr and "fil\\u202etxt.exe.txt" in result.stderr


def test_warning_lines_escape_names(tmp_path, model_args):
    name = f"english{CLEAR}.txt"
    (tmp_path / name).write_text("The government presented a new bill today. It was debated.\n", encoding="utf-8")
    result = tsum(tmp_path / name, "-o", tmp_path / "o.txt", *model_args, *FAST)
    assert "Warning:" in result.stderr and "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("a\rb", "a\\rb"),
        ("a\nDate: x", "a\\nDate: x"),
        ("a\u2028b", "a\\u2028b"),
        ("a\x85b", "a\\x85b"),
        ("æøå naïve.txt", "æøå naïve.txt"),
        ("bad\udcffbyte", "bad\ufffdbyte"),
    ],
    ids=[
        "ansi-colour",
        "carriage-return",
        "newline-forging-a-header",
        "line-separator",
        "c1-next-line",
        "letters",
        "lone-surrogate",
    ],
)
def test_printable_name_table(name, shown):
    assert printable_name(name) == shown


def test_the_journal_shows_c1_and_bidi_characters_as_json_escapes(tmp_path, model_args):
    name = "csi\x9b2J\u202eevil.txt"
    folder_with(tmp_path, name)
    tsum(tmp_path / "in", "-o", tmp_path / "out", *model_args, *FAST)
    raw = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8")
    assert "\x9b" not in raw and "\u202e" not in raw and "\\u009b2J\\u202eevil.txt" in raw
    assert name in records(tmp_path / "out")  # the same name, once decoded
