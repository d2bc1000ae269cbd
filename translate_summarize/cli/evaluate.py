"""`tsum eval`: score translations (BLEU, chrF, TER) and summaries (ROUGE) against references.

The metrics are sacrebleu's and rouge-score's own (the standard, versioned implementations:
scores are comparable with published ones only when computed the same way, and sacrebleu's
signature says how); this module only pairs hypotheses with references. Three kinds of input:

- two text files, one segment per line (same number of lines);
- a tsum JSON output against a reference text: per segment when the reference has one non-blank
  line per segment, else the whole translation against the whole reference (one segment);
- a folder of tsum JSON outputs against a folder of references paired by relative path without
  the extension (``out/a/b.json`` <-> ``refs/a/b.txt``): corpus scores over every segment plus
  one line per article.

With ``summary=True`` the tsum outputs' ``summary`` fields are compared (whole text) and ROUGE is
added; text files are then read as one summary per line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from translate_summarize.errors import InputError, MissingExtraError, UsageError

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
_HIDDEN = (".", "_")
# Every file is read through io.read_input_bytes with this bound, so /dev/zero or a
# sparse terabyte file is one error line, not a MemoryError (test sets are a few MB).
MAX_EVAL_BYTES = 64 * 1024 * 1024


@dataclass
class Pair:
    """The hypotheses and references of one document (or of two whole text files)."""

    name: str
    hypotheses: list[str]
    references: list[str]
    mode: str  # "lines", "segments" or "whole text"


@dataclass
class Evaluation:
    scores: dict[str, dict]
    """``{"bleu": {"score": ..., "signature": ...}, "chrf": {...}, ["ter"], ["rouge"]}``"""
    pairs: list[Pair]
    articles: list[dict] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # sacrebleu's own one-line results

    def to_dict(self) -> dict:
        data = dict(self.scores)
        data["segments"] = sum(len(pair.hypotheses) for pair in self.pairs)
        if self.articles:
            data["articles"] = self.articles
        return data


def _sacrebleu():
    try:
        from sacrebleu import metrics
    except ImportError as exc:
        raise MissingExtraError(
            "tsum eval needs sacrebleu and rouge-score: pip install 'translate-summarize[eval]'"
        ) from exc
    return metrics


def _rouge_scorer():
    try:
        from rouge_score import rouge_scorer
    except ImportError as exc:
        raise MissingExtraError("ROUGE needs rouge-score: pip install 'translate-summarize[eval]'") from exc
    return rouge_scorer


def _read_text(path: Path) -> str:
    from translate_summarize.util.files import read_input_bytes

    data = read_input_bytes(path, MAX_EVAL_BYTES)  # InputError: missing, a folder, unreadable, too large
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _load_tsum_json(path: Path) -> dict:
    try:
        data = json.loads(_read_text(path))
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
        raise InputError(f"{path} is not JSON: pass a tsum --format json output or a text file") from None
    if not isinstance(data, dict) or "translation" not in data or "segments" not in data:
        raise InputError(f"{path} is not a tsum JSON output (no translation and segments)")
    problem = _json_problem(data)
    if problem:
        raise InputError(f"{path} is not a tsum JSON output ({problem}): pass a tsum --format json output")
    return data


def _json_problem(data: dict) -> str | None:
    """What makes ``data`` unlike a tsum JSON output (a hand edit, another program), or None."""
    if not isinstance(data["translation"], str):
        return "its translation is not a text"
    if not isinstance(data.get("summary"), (str, type(None))):
        return "its summary is not a text"
    segments = data["segments"]
    if not isinstance(segments, list):
        return "its segments are not a list"
    for number, segment in enumerate(segments, start=1):
        if (
            not isinstance(segment, dict)
            or not isinstance(segment.get("translation"), str)
            or not isinstance(segment.get("prefix"), (str, type(None)))
        ):
            return f"segment {number} has no translation text"
    return None


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def pair_output(name: str, output: dict, reference: str, summary: bool) -> Pair:
    """Pair one tsum JSON output with its reference text (see the module docstring)."""
    flat = " ".join(reference.split())
    if not flat:
        raise InputError(f"the reference of {name} is empty: there is nothing to score against")
    if summary:
        if output.get("summary") is None:
            raise InputError(f"{name} has no summary (it was made with --no-summary)")
        return Pair(name, [" ".join(output["summary"].split())], [flat], "whole text")
    lines = [line.strip() for line in reference.splitlines() if line.strip()]
    segments = output["segments"]
    if len(lines) == len(segments):
        hypotheses = [(s.get("prefix") or "") + s["translation"] for s in segments]
        return Pair(name, hypotheses, lines, "segments")
    return Pair(name, [" ".join(output["translation"].split())], [flat], "whole text")


def _reference_files(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(_HIDDEN) for part in relative.parts):
            continue
        key = relative.with_suffix("").as_posix()
        if key in found:
            raise InputError(f"two references for {key}: {found[key].name} and {path.name}: keep one")
        found[key] = path
    return found


def pair_folders(outputs: Path, references: Path, summary: bool) -> list[Pair]:
    hypotheses = {
        path.relative_to(outputs).with_suffix("").as_posix(): path
        for path in sorted(outputs.rglob("*.json"))
        if path.is_file() and not any(part.startswith(_HIDDEN) for part in path.relative_to(outputs).parts)
    }
    if not hypotheses:
        raise InputError(f"no tsum JSON outputs under {outputs}: run tsum with --format json")
    refs = _reference_files(references)
    missing = sorted(set(hypotheses) - set(refs))
    if missing:
        raise InputError(f"no reference for {len(missing)} output(s) under {references}, e.g. {missing[0]}")
    extra = sorted(set(refs) - set(hypotheses))
    if extra:
        raise InputError(f"no tsum output for {len(extra)} reference(s) under {outputs}, e.g. {extra[0]}")
    return [pair_output(key, _load_tsum_json(path), _read_text(refs[key]), summary) for key, path in hypotheses.items()]


def pair_inputs(hypotheses: Path, references: Path, summary: bool = False) -> list[Pair]:
    """Read and pair the two inputs of ``tsum eval``."""
    for path in (hypotheses, references):
        if not path.exists():
            raise InputError(f"{path} does not exist")
    if hypotheses.samefile(references):
        raise UsageError(f"{hypotheses} is both HYPOTHESES and REFERENCES: pass the references separately")
    if hypotheses.is_dir() != references.is_dir():
        raise UsageError("pass two files or two folders: HYPOTHESES and REFERENCES must be of the same kind")
    if hypotheses.is_dir():
        return pair_folders(hypotheses, references, summary)
    if _is_json(hypotheses):
        return [pair_output(hypotheses.name, _load_tsum_json(hypotheses), _read_text(references), summary)]
    hyp_lines, ref_lines = _lines(_read_text(hypotheses)), _lines(_read_text(references))
    if len(hyp_lines) != len(ref_lines):
        raise InputError(
            f"{hypotheses} has {len(hyp_lines)} lines but {references} has {len(ref_lines)}: "
            "one segment per line in both"
        )
    if not hyp_lines:
        raise InputError(f"{hypotheses} is empty: there is nothing to score")
    return [Pair(hypotheses.name, hyp_lines, ref_lines, "lines")]


def rouge(hypotheses: list[str], references: list[str]) -> dict:
    """Mean ROUGE-1/2/L F-measures (x100) over the pairs, with rouge-score's Porter stemmer."""
    from importlib.metadata import version

    scorer = _rouge_scorer().RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for hypothesis, reference in zip(hypotheses, references):
        for name, value in scorer.score(reference, hypothesis).items():
            totals[name] += value.fmeasure
    score = {name: 100 * total / len(hypotheses) for name, total in totals.items()}
    signature = f"nrefs:1|stemmer:yes|agg:mean-f|rouge-score:{version('rouge-score')}"
    return {"score": score, "signature": signature}


def _score_metrics(metrics, hypotheses: list[str], references: list[str]) -> tuple[dict, dict]:
    scores, details = {}, {}
    for key, metric in metrics.items():
        result = metric.corpus_score(hypotheses, [references])
        scores[key] = {"score": result.score, "signature": str(metric.get_signature())}
        details[key] = str(result)
    return scores, details


def evaluate(
    hypotheses: Path, references: Path, ter: bool = False, use_rouge: bool = False, summary: bool = False
) -> Evaluation:
    """Score ``hypotheses`` against ``references`` (files or folders; see the module docstring)."""
    sacrebleu = _sacrebleu()
    use_rouge = use_rouge or summary
    if use_rouge:
        _rouge_scorer()
    pairs = pair_inputs(hypotheses, references, summary)

    def new_metrics():
        chosen = {"bleu": sacrebleu.BLEU(), "chrf": sacrebleu.CHRF()}
        if ter:
            chosen["ter"] = sacrebleu.TER()
        return chosen

    all_hyps = [h for pair in pairs for h in pair.hypotheses]
    all_refs = [r for pair in pairs for r in pair.references]
    scores, details = _score_metrics(new_metrics(), all_hyps, all_refs)
    if use_rouge:
        scores["rouge"] = rouge(all_hyps, all_refs)
    evaluation = Evaluation(scores, pairs, details=details)
    if hypotheses.is_dir():
        for pair in pairs:
            article, _ = _score_metrics(new_metrics(), pair.hypotheses, pair.references)
            row = {"name": pair.name, "segments": len(pair.hypotheses), "mode": pair.mode}
            row.update({key: value["score"] for key, value in article.items()})
            if use_rouge:
                row["rouge"] = rouge(pair.hypotheses, pair.references)["score"]
            evaluation.articles.append(row)
    return evaluation


def format_text(evaluation: Evaluation) -> str:
    """sacrebleu's own result lines with their signatures, then one line per article."""
    lines = []
    for key, detail in evaluation.details.items():
        lines += [detail, f"  signature: {evaluation.scores[key]['signature']}"]
    if "rouge" in evaluation.scores:
        rouge_score = evaluation.scores["rouge"]
        values = "  ".join(f"ROUGE-{name[5:].upper()} = {value:.2f}" for name, value in rouge_score["score"].items())
        lines += [values, f"  signature: {rouge_score['signature']}"]
    modes = sorted({pair.mode for pair in evaluation.pairs})
    count = sum(len(p.hypotheses) for p in evaluation.pairs)
    lines.append(f"{count} segment{'' if count == 1 else 's'} ({', '.join(modes)})")
    for row in evaluation.articles:
        scores = "  ".join(
            f"{label} {row[key]:.2f}"
            for key, label in (("bleu", "BLEU"), ("chrf", "chrF2"), ("ter", "TER"))
            if key in row
        )
        if "rouge" in row:
            scores += "  " + "  ".join(f"ROUGE-{n[5:].upper()} {v:.2f}" for n, v in row["rouge"].items())
        plural = "" if row["segments"] == 1 else "s"
        lines.append(f"{row['name']}: {scores}  ({row['segments']} segment{plural}, {row['mode']})")
    return "\n".join(lines) + "\n"


def format_json(evaluation: Evaluation) -> str:
    return json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=2) + "\n"


# What `tsum eval --format` offers and its default: the command's choices and help read these, so
# that a new format is one entry here.
EVAL_FORMATS = {"text": format_text, "json": format_json}
DEFAULT_EVAL_FORMAT = "text"


def render_evaluation(evaluation: Evaluation, output_format: str = DEFAULT_EVAL_FORMAT) -> str:
    """``evaluation`` in one of :data:`EVAL_FORMATS`."""
    return EVAL_FORMATS[output_format](evaluation)
