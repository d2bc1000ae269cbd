"""Sentence splitting on Danish text written for this check (not DDT, not the team sets)."""

from __future__ import annotations

from support.common import DATA

from translate_summarize.text.segment import split_sentences

GOLD = DATA / "da_sentences_adversarial.txt"


# -- sentence splitting on Danish text written for this check ----------------------------------------


def test_sentence_splitting_on_external_news_sentences():
    blocks = [
        [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
        for block in GOLD.read_text(encoding="utf-8").split("\n\n")
    ]
    blocks = [block for block in blocks if block]
    assert sum(map(len, blocks)) >= 100
    misses = [(block, split_sentences(" ".join(block))) for block in blocks]
    misses = [(block, got) for block, got in misses if got != block]
    assert not misses, misses[0]
