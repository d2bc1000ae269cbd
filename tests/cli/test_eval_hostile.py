"""tsum eval given hostile files: one error line each, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import one_error_line, tsum, tsum_process

# --- tsum eval with hostile files ---------------------------------------------------------------

GOOD_OUTPUT = {"translation": "The two countries met.", "segments": [{"source": "x", "translation": "A."}]}


def _eval_case(tmp_path: Path, hypothesis, reference) -> tuple[str, str]:
    paths = []
    for name, content in (("hyp.json", hypothesis), ("ref.txt", reference)):
        if isinstance(content, Path):
            paths.append(str(content))
            continue
        path = tmp_path / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        paths.append(str(path))
    return paths[0], paths[1]


def _sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(10**12)


@pytest.mark.parametrize(
    "hypothesis, reference, message",
    [
        ({"translation": "a", "segments": 5}, b"a\n", "its segments are not a list"),
        ({"translation": "a", "segments": [{}]}, b"a\n", "segment 1 has no translation text"),
        ({"translation": None, "segments": []}, b"a\n", "its translation is not a text"),
        ({"translation": "a", "segments": [], "summary": 5}, b"a\n", "its summary is not a text"),
        ({"translation": "a", "segments": [{"translation": "a", "prefix": 5}]}, b"a\n", "segment 1 has no"),
        (b"[" * 100_000, b"a\n", "is not JSON"),
        ({"translation": "", "segments": []}, b"", "is empty: there is nothing to score against"),
        (GOOD_OUTPUT, b"\n\n", "is empty: there is nothing to score against"),
        (GOOD_OUTPUT, _sparse, "over the 64 MiB limit"),
        (Path("/dev/zero"), b"a\n", "over the 64 MiB limit"),
    ],
    ids=[
        "segments-not-a-list",
        "segment-without-translation",
        "translation-null",
        "summary-not-text",
        "prefix-not-text",
        "deeply-nested",
        "both-empty",
        "blank-reference",
        "sparse-terabyte-reference",
        "dev-zero",
    ],
)
def test_eval_on_a_hostile_file_is_one_error_line(tmp_path, hypothesis, reference, message):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    hyp, ref = _eval_case(tmp_path, hypothesis, reference)
    args = ["eval", hyp, ref] + (["--summary"] if isinstance(hypothesis, dict) and "summary" in hypothesis else [])
    result = tsum_process(args, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in one_error_line(result.stderr)


def test_eval_of_a_folder_against_itself_is_refused(tmp_path):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    result = tsum("eval", tmp_path / "out", tmp_path / "out")
    assert result.exit_code == 2
    assert "is both HYPOTHESES and REFERENCES" in one_error_line(result.stderr)


def test_eval_ignores_a_folder_named_like_an_output(tmp_path):
    pytest.importorskip("sacrebleu", reason="tsum eval needs the eval extra")
    (tmp_path / "out" / "b.json").mkdir(parents=True)
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.txt").write_text("A.\n")
    result = tsum("eval", tmp_path / "out", tmp_path / "refs", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["segments"] == 1
