#!/usr/bin/env python
"""Sentence boundary precision, recall and F1 of tsum, pysbd and a naive regex splitter.

    python benchmarks/segmentation.py [--ddt ../shared/data/ud-danish-ddt] [--half all|a|b]

Sets: UD Danish-DDT dev (Danish newspaper, magazine and fiction text written outside this
project; CC BY-SA 4.0, see the README next to it) and the team's own sets
(tests/data/da_sentences*.txt). Following the DDT README, consecutive gold sentences are
joined 8 at a time into paragraphs; a sentence without final punctuation (a headline, a
byline) stands on its own line, as it would in an article. A boundary is the word position
(whitespace tokens, counted from the start of the paragraph) where a sentence starts;
precision, recall and F1 are over those positions. ``--half a`` / ``--half b`` score the first
/ second half of DDT dev only (tune on one, check on the other); ``--per-paragraph N`` changes
the grouping. Ends with ``RESULT`` lines:
``RESULT segmentation_f1_<set>_<splitter> X`` (and ``_precision_`` / ``_recall_``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DDT = ROOT.parent / "shared" / "data" / "ud-danish-ddt"
TEAM_SETS = {
    "team": ROOT / "tests" / "data" / "da_sentences.txt",
    "team_heldout": ROOT / "tests" / "data" / "da_sentences_heldout.txt",
    "outside": ROOT / "tests" / "data" / "da_sentences_adversarial.txt",  # written for the outside check
}
_FINAL = re.compile(r"[.!?…:;][\"'”»)\]]*$")
# The naive baseline: a sentence ends at . ! or ? (and closing quotes) before a space and an
# upper-case letter, a digit or an opening quote.
_NAIVE = re.compile(r"(?<=[.!?])[\"'”»)]*\s+(?=[\"'“«(]?[A-ZÆØÅ0-9])")

Paragraph = list[list[str]]
"""A paragraph: its lines, each a list of gold sentences."""


def ddt_sentences(path: Path) -> list[str]:
    """The ``# text =`` lines of a CoNLL-U file, in document order."""
    with path.open(encoding="utf-8") as handle:
        return [line[len("# text = ") :].rstrip("\n") for line in handle if line.startswith("# text = ")]


def ddt_paragraphs(sentences: list[str], size: int = 8) -> list[Paragraph]:
    """Group sentences into paragraphs; unpunctuated sentences stand on a line of their own."""
    paragraphs = []
    for start in range(0, len(sentences), size):
        lines: Paragraph = []
        open_line = False
        for sentence in sentences[start : start + size]:
            if not _FINAL.search(sentence):
                lines.append([sentence])
                open_line = False
            elif open_line:
                lines[-1].append(sentence)
            else:
                lines.append([sentence])
                open_line = True
        paragraphs.append(lines)
    return paragraphs


def team_paragraphs(path: Path) -> list[Paragraph]:
    """The team sets: each block is one line of article text, one gold sentence per line."""
    paragraphs = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        sentences = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        if sentences:
            paragraphs.append([sentences])
    return paragraphs


def paragraph_text(paragraph: Paragraph) -> str:
    return "\n".join(" ".join(line) for line in paragraph)


def starts(pieces: list[str]) -> set[int]:
    """Word positions where the pieces after the first start."""
    positions, words = set(), 0
    for piece in pieces:
        if words:
            positions.add(words)
        words += len(piece.split())
    return positions


def predicted_starts(text: str, pieces: list[str]) -> set[int]:
    """Word positions where the predicted pieces after the first start.

    Pieces are located in ``text`` by character offset; a boundary inside a whitespace token
    ("partier.|) Eddie") counts as falling after that token.
    """
    word_starts = [m.start() for m in re.finditer(r"\S+", text)]
    positions, cursor = set(), 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        offset = text.find(piece, cursor)
        if offset < 0:
            raise ValueError(f"splitter changed the text: {piece[:80]!r} is not in {text[:80]!r}")
        if offset > 0:
            positions.add(sum(1 for start in word_starts if start < offset))
        cursor = offset + len(piece)
    if text[cursor:].strip():
        raise ValueError(f"splitter lost text: {text[cursor:][:80]!r}")
    return positions - {0}


def tsum_split(text: str) -> list[str]:
    from translate_summarize.text.segment import parse_article

    return [s.prefix + s.source for s in parse_article(text).segments]


def pysbd_split(text: str) -> list[str]:
    import pysbd

    segmenter = pysbd.Segmenter(language="da", clean=False)
    return [s for line in text.split("\n") for s in segmenter.segment(line) if s.strip()]


def regex_split(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in _NAIVE.split(line) if s.strip()]


SPLITTERS: dict[str, Callable[[str], list[str]]] = {"tsum": tsum_split, "pysbd": pysbd_split, "regex": regex_split}


def score(split: Callable[[str], list[str]], paragraphs: list[Paragraph]) -> tuple[float, float, float]:
    """Boundary precision, recall and F1 of ``split`` over ``paragraphs``."""
    hits = predicted = gold = 0
    for paragraph in paragraphs:
        text = paragraph_text(paragraph)
        truth = starts([sentence for line in paragraph for sentence in line])
        found = predicted_starts(text, split(text))
        hits += len(truth & found)
        predicted += len(found)
        gold += len(truth)
    precision = hits / predicted if predicted else 1.0
    recall = hits / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def errors(split: Callable[[str], list[str]], paragraphs: list[Paragraph], limit: int) -> list[str]:
    """Up to ``limit`` gold sentences the splitter did not return as they are (for tuning)."""
    out = []
    for paragraph in paragraphs:
        gold = [sentence for line in paragraph for sentence in line]
        pieces = [p.strip() for p in split(paragraph_text(paragraph))]
        missing = [g for g in gold if g.strip() not in pieces]
        out += [f"- {g}" for g in missing]
        out += [f"+ {p}" for p in pieces if p not in [g.strip() for g in gold]]
        if len(out) >= limit:
            break
    return out[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ddt", type=Path, default=DEFAULT_DDT, help="folder holding da_ddt-ud-dev.conllu")
    parser.add_argument("--half", choices=("all", "a", "b"), default="all", help="which half of DDT dev to score")
    parser.add_argument("--per-paragraph", type=int, default=8, help="DDT sentences joined into one paragraph")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many tsum errors per set")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sets: dict[str, list[Paragraph]] = {}
    dev = args.ddt / "da_ddt-ud-dev.conllu"
    if dev.is_file():
        sentences = ddt_sentences(dev)
        middle = len(sentences) // 2
        halves = {"all": sentences, "a": sentences[:middle], "b": sentences[middle:]}
        name = "ddt_dev" if args.half == "all" else f"ddt_dev_{args.half}"
        sets[name] = ddt_paragraphs(halves[args.half], args.per_paragraph)
    else:
        print(f"{dev} not found: scoring the team sets only (pass --ddt FOLDER)", file=sys.stderr)
    for name, path in TEAM_SETS.items():
        sets[name] = team_paragraphs(path)
    for set_name, paragraphs in sets.items():
        sentences = sum(len(line) for paragraph in paragraphs for line in paragraph)
        print(f"{set_name}: {len(paragraphs)} paragraphs, {sentences} sentences")
        for splitter, split in SPLITTERS.items():
            precision, recall, f1 = score(split, paragraphs)
            print(f"  {splitter:6s} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
        if args.show_errors:
            print("\n".join(errors(tsum_split, paragraphs, args.show_errors)))
    for set_name, paragraphs in sets.items():
        for splitter, split in SPLITTERS.items():
            precision, recall, f1 = score(split, paragraphs)
            print(f"RESULT segmentation_precision_{set_name}_{splitter} {precision:.3f}")
            print(f"RESULT segmentation_recall_{set_name}_{splitter} {recall:.3f}")
            print(f"RESULT segmentation_f1_{set_name}_{splitter} {f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
