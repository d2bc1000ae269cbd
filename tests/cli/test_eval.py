"""`tsum eval`: the numbers are sacrebleu's and rouge-score's own, on every kind of input; hostile files
are one error line each, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu
from support.cli import one_error_line, tsum, tsum_process
from support.common import TRANSLATION_PAIRS, known_article

HYPOTHESES = [
    "The two countries met on Wednesday.",
    "The meeting was behind closed doors.",
    "Next meeting is in September.",
    "The government presented a new plan today.",
]
REFERENCES = [
    "The two countries met on Wednesday.",
    "The meeting took place behind closed doors.",
    "The next meeting takes place in September.",
    "The government presented a new proposal today.",
]


@pytest.fixture
def text_files(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(HYPOTHESES) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REFERENCES) + "\n", encoding="utf-8")
    return hyp, ref


def test_scores_equal_sacrebleus_own_command_on_the_same_files(text_files):
    hyp, ref = text_files
    result = tsum("eval", hyp, ref, "--ter", "--format", "json")
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(ref),
            "-i",
            str(hyp),
            "-m",
            "bleu",
            "chrf",
            "ter",
            "-f",
            "json",
            "-w",
            "6",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = {entry["name"]: entry for entry in json.loads(proc.stdout)}
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2"), ("ter", "TER")):
        assert round(ours[key]["score"], 6) == theirs[name]["score"], key
        assert ours[key]["signature"] == theirs[name]["signature"], key
    exact = sacrebleu.corpus_bleu(HYPOTHESES, [REFERENCES]).score
    assert ours["bleu"]["score"] == exact and 0 < exact < 100
    assert ours["segments"] == 4


def test_text_output_prints_scores_with_signatures(text_files):
    result = tsum("eval", *text_files)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("BLEU = ") and lines[1].startswith("  signature: nrefs:1|case:mixed|eff:no|tok:13a")
    assert lines[2].startswith("chrF2 = ") and "signature: nrefs:1|case:mixed|eff:yes|nc:6" in lines[3]
    assert lines[-1] == "4 segments (lines)"


def test_rouge_equals_rouge_scores_own(text_files):
    from rouge_score import rouge_scorer

    result = tsum("eval", *text_files, "--rouge", "--format", "json")
    rouge = json.loads(result.stdout)["rouge"]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    pairs = [scorer.score(r, h) for h, r in zip(HYPOTHESES, REFERENCES)]
    for name in ("rouge1", "rouge2", "rougeL"):
        expected = 100 * sum(p[name].fmeasure for p in pairs) / len(pairs)
        assert rouge["score"][name] == pytest.approx(expected, abs=1e-9)
    assert rouge["signature"].startswith("nrefs:1|stemmer:yes|agg:mean-f|rouge-score:")


def test_mismatched_line_counts_are_one_line_error(text_files):
    hyp, ref = text_files
    ref.write_text("\n".join(REFERENCES[:3]) + "\n", encoding="utf-8")
    result = tsum("eval", hyp, ref)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {hyp} has 4 lines but {ref} has 3: one segment per line in both\n"


def test_missing_input_and_mixed_kinds_are_usage_errors(text_files, tmp_path):
    hyp, _ = text_files
    result = tsum("eval", hyp, tmp_path / "nope.txt")
    assert result.exit_code == 2 and result.stderr == f"Error: {tmp_path / 'nope.txt'} does not exist\n"
    result = tsum("eval", hyp, tmp_path)
    assert result.exit_code == 2 and "two files or two folders" in result.stderr


def test_missing_sacrebleu_is_a_one_line_error(text_files, monkeypatch):
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    result = tsum("eval", *text_files)
    assert result.exit_code == 3
    assert (
        result.stderr == "Error: tsum eval needs sacrebleu and rouge-score: pip install 'translate-summarize[eval]'\n"
    )


@pytest.fixture(scope="module")
def tsum_outputs(tiny_models, tmp_path_factory):
    """Two articles run through tsum --format json, as a folder."""
    folder = tmp_path_factory.mktemp("eval")
    src = folder / "in"
    (src / "sub").mkdir(parents=True)
    first, second = TRANSLATION_PAIRS[:6], TRANSLATION_PAIRS[6:]
    (src / "a.txt").write_text(known_article(first)[0], encoding="utf-8")
    (src / "sub" / "b.txt").write_text(known_article(second)[0], encoding="utf-8")
    out = folder / "out"
    args = ["--translation-model", str(tiny_models["translation"]), "--summary-model", str(tiny_models["summary"])]
    result = tsum(src, "-o", out, *args, "--format", "json", "--compute-type", "float32", "-q")
    assert result.exit_code == 0, result.output
    refs = folder / "refs"
    (refs / "sub").mkdir(parents=True)
    (refs / "a.txt").write_text("\n".join(en for _, en in first) + "\n", encoding="utf-8")
    # the second reference as running text: scored as one segment against the whole translation
    (refs / "sub" / "b.txt").write_text(" ".join(en for _, en in second).replace("tomorrow.", "tomorrow!"), "utf-8")
    return out, refs


def test_a_tsum_json_output_is_scored_per_segment_against_a_line_per_segment_reference(tsum_outputs):
    out, refs = tsum_outputs
    data = json.loads(tsum("eval", out / "a.json", refs / "a.txt", "--format", "json").stdout)
    assert data["bleu"]["score"] == pytest.approx(100.0) and data["segments"] == 6
    text = tsum("eval", out / "sub" / "b.json", refs / "sub" / "b.txt").stdout
    assert text.splitlines()[-1] == "1 segment (whole text)"


def test_folders_are_paired_by_path_with_corpus_scores_and_one_line_per_article(tsum_outputs):
    out, refs = tsum_outputs
    data = json.loads(tsum("eval", out, refs, "--format", "json").stdout)
    hyps = [en for _, en in TRANSLATION_PAIRS[:6]] + [" ".join(en for _, en in TRANSLATION_PAIRS[6:])]
    ref_b = " ".join(en for _, en in TRANSLATION_PAIRS[6:]).replace("tomorrow.", "tomorrow!")
    expected = sacrebleu.corpus_bleu(hyps, [[en for _, en in TRANSLATION_PAIRS[:6]] + [ref_b]])
    assert data["bleu"]["score"] == expected.score
    assert [(a["name"], a["segments"], a["mode"]) for a in data["articles"]] == [
        ("a", 6, "segments"),
        ("sub/b", 1, "whole text"),
    ]
    assert data["articles"][0]["bleu"] == pytest.approx(100.0) and data["articles"][1]["bleu"] < 100
    lines = tsum("eval", out, refs).stdout.splitlines()
    assert lines[-2].startswith("a: BLEU 100.00  chrF2 100.00  (6 segments, segments)")
    assert lines[-1].startswith("sub/b: BLEU ")


def test_summaries_are_scored_with_rouge(tsum_outputs, tmp_path):
    out, _ = tsum_outputs
    summary = json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]
    ref = tmp_path / "summary.txt"
    ref.write_text(summary + "\n", encoding="utf-8")
    data = json.loads(tsum("eval", out / "a.json", ref, "--summary", "--format", "json").stdout)
    assert data["rouge"]["score"] == pytest.approx({"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0})


def test_a_folder_with_a_missing_reference_is_an_error(tsum_outputs, tmp_path):
    out, refs = tsum_outputs
    partial = tmp_path / "refs"
    partial.mkdir()
    (partial / "a.txt").write_text((refs / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = tsum("eval", out, partial)
    assert result.exit_code == 2
    assert result.stderr == f"Error: no reference for 1 output(s) under {partial}, e.g. sub/b\n"


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
    hyp, ref = _eval_case(tmp_path, hypothesis, reference)
    args = ["eval", hyp, ref] + (["--summary"] if isinstance(hypothesis, dict) and "summary" in hypothesis else [])
    result = tsum_process(args, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in one_error_line(result.stderr)


def test_eval_of_a_folder_against_itself_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    result = tsum("eval", tmp_path / "out", tmp_path / "out")
    assert result.exit_code == 2
    assert "is both HYPOTHESES and REFERENCES" in one_error_line(result.stderr)


def test_eval_ignores_a_folder_named_like_an_output(tmp_path):
    (tmp_path / "out" / "b.json").mkdir(parents=True)
    (tmp_path / "out" / "a.json").write_text(json.dumps(GOOD_OUTPUT))
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.txt").write_text("A.\n")
    result = tsum("eval", tmp_path / "out", tmp_path / "refs", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["segments"] == 1
