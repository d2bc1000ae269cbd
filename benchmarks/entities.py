#!/usr/bin/env python
"""Precision and recall of tsum's Danish name and number extraction against UD Danish-DDT.

    python benchmarks/entities.py [CONLLU ...] [--per-article 8] [--show-errors N]

Default set: UD Danish-DDT dev (``../shared/data/ud-danish-ddt/da_ddt-ud-dev.conllu``; Danish
newspaper, magazine and fiction text written outside this project, CC BY-SA 4.0, see the
README next to it). Pass the held-out test split's .conllu to score it the same way.

What is compared, token by token (the treebank's tokens, multi-word tokens left out):

- names: tokens tsum takes as part of a name (``source_names``) against UPOS ``PROPN``;
- numbers: tokens tsum takes as a number against UPOS ``NUM``. UD tags cardinal numerals NUM
  and ordinals (``3.``), decades (``80'ernes``) and compounds (``42-årige``) ADJ or NOUN; tsum
  checks those too, but they are left out of the comparison (reported apart as
  ``numbers_other``), and so are the words around a number (``kl.``, ``mio.``, month names).

Consecutive gold sentences are grouped ``--per-article`` at a time (default 8, as the
segmentation benchmark groups them) into the "article" whose capitalisation decides
sentence-initial names. Prints ``RESULT entities_<set>_<names|numbers>_<precision|recall> X``,
and, name by name rather than token by token, ``entities_<set>_whole_names_<precision|recall>``
(a name tsum takes is right when one of its tokens is PROPN; a run of PROPN tokens is found
when tsum takes one of them).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "data" / "ud-danish-ddt" / "da_ddt-ud-dev.conllu"


@dataclass
class Sentence:
    text: str
    tokens: list[tuple[str, str, int, int]]  # form, UPOS, start, end in text


def read_conllu(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    text, rows = None, []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                rows.append((cols[1], cols[3] if len(cols) >= 10 else cols[2]))  # full or reduced (ID FORM UPOS)
        elif not line and rows:
            sentences.append(_align(text or " ".join(f for f, _ in rows), rows))
            text, rows = None, []
    return sentences


def _align(text: str, rows: list[tuple[str, str]]) -> Sentence:
    tokens, cursor = [], 0
    for form, upos in rows:
        start = text.find(form, cursor)
        if start < 0:  # a form the text spells otherwise: place it at the cursor
            start = cursor
        tokens.append((form, upos, start, start + len(form)))
        cursor = start + len(form)
    return Sentence(text, tokens)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: bool, gold: bool, example: str) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.false_positives.append(example)
        elif gold:
            self.fn += 1
            self.false_negatives.append(example)


_ORDINAL_TOKEN = re.compile(r"^\d+\.$")
_NUMERAL_KINDS = ("cardinal", "range", "time", "date")


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)


def _score_mentions(taken: Counts, gold_runs: Counts, mentions, sentence: Sentence) -> None:
    """Name by name: a name tsum takes is right when one of its tokens is PROPN (``taken``,
    precision); a gold name, a run of PROPN tokens, is found when tsum takes one of its tokens
    (``gold_runs``, recall)."""
    tokens = sentence.tokens
    for mention in mentions:
        gold = any(upos == "PROPN" and _overlaps(s, e, mention.words) for _, upos, s, e in tokens)
        taken.add(True, gold, f"{mention.text} in: {sentence.text}")
    spans = [span for mention in mentions for span in mention.words]
    run: list[tuple[int, int]] = []
    for _, upos, start, end in [*tokens, ("", "END", 0, 0)]:
        if upos == "PROPN":
            run.append((start, end))
        elif run:
            found = any(_overlaps(s, e, spans) for s, e in run)
            gold_runs.add(found, True, f"{sentence.text[run[0][0] : run[-1][1]]} in: {sentence.text}")
            run = []


def score(sentences: list[Sentence], per_article: int = 8) -> dict[str, Counts]:
    from translate_summarize.text.entities import NameContext, danish_numbers, name_mentions, number_words

    words = number_words("da")
    number_word_forms = set(words["cardinal"]) | {"fem-seks", "en-to"}
    counts = {
        "names": Counts(),
        "numbers": Counts(),
        "numbers_other": Counts(),
        "name_mentions": Counts(),
        "name_runs": Counts(),
    }
    for first in range(0, len(sentences), per_article):
        group = sentences[first : first + per_article]
        context = NameContext.of([s.text for s in group])
        for sentence in group:
            mentions = name_mentions(sentence.text, context)
            name_spans = [span for mention in mentions for span in mention.words]
            _score_mentions(counts["name_mentions"], counts["name_runs"], mentions, sentence)
            numbers = danish_numbers(sentence.text)
            numeral_spans = [(m.start, m.end) for m in numbers if m.kind in _NUMERAL_KINDS]
            other_spans = [(m.start, m.end) for m in numbers if m.kind not in _NUMERAL_KINDS]
            for form, upos, start, end in sentence.tokens:
                example = f"{form} [{upos}] in: {sentence.text}"
                counts["names"].add(_overlaps(start, end, name_spans), upos == "PROPN", example)
                numeral = any(c.isdigit() for c in form) or form.lower() in number_word_forms or "og" in form.lower()
                is_number = numeral and not _ORDINAL_TOKEN.match(form) and _overlaps(start, end, numeral_spans)
                counts["numbers"].add(is_number, upos == "NUM", example)
                counts["numbers_other"].add(
                    numeral and _overlaps(start, end, other_spans), upos in ("ADJ", "NOUN"), example
                )
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conllu", nargs="*", type=Path, default=[DEFAULT_DEV])
    parser.add_argument("--per-article", type=int, default=8)
    parser.add_argument("--show-errors", type=int, default=0, help="print this many false positives/negatives")
    args = parser.parse_args(argv)
    for path in args.conllu:
        if not path.is_file():
            print(
                f"Error: {path} not found (UD Danish-DDT: see ../shared/data/ud-danish-ddt/README.md)", file=sys.stderr
            )
            return 2
        name = path.stem.replace("da_ddt-ud-", "ddt_").replace("-", "_")
        counts = score(read_conllu(path), args.per_article)
        for what in ("names", "numbers"):
            c = counts[what]
            print(f"# {name} {what}: {c.tp} right, {c.fp} taken wrongly, {c.fn} missed", file=sys.stderr)
            for label, errors in (("taken wrongly", c.false_positives), ("missed", c.false_negatives)):
                for example in errors[: args.show_errors]:
                    print(f"#   {label}: {example}", file=sys.stderr)
            print(f"RESULT entities_{name}_{what}_precision {c.precision:.3f}")
            print(f"RESULT entities_{name}_{what}_recall {c.recall:.3f}")
        # Name by name rather than token by token (a secondary figure: see score()).
        print(f"RESULT entities_{name}_whole_names_precision {counts['name_mentions'].precision:.3f}")
        print(f"RESULT entities_{name}_whole_names_recall {counts['name_runs'].recall:.3f}")
        other = counts["numbers_other"]
        print(f"# {name}: ordinals, decades and compounds taken as numbers: {other.tp + other.fp}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
