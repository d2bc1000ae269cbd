"""Token budgets: pack sentences into length-sorted batches, split over-long sentences.

Sorting by length before batching keeps padding (wasted compute) low; a budget in tokens
rather than sentences keeps memory flat whatever the sentence-length mix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from translate_summarize.text.segment import split_sentences

# Clause boundaries, tried in order: strong punctuation, commas, then Danish and English
# conjunctions (the split goes before them), and finally any space.
_CLAUSE_BOUNDARIES = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(
        r"\s+(?=(?:og|men|eller|samt|mens|fordi|så|der|som|hvis|når|selvom|at|"
        r"and|but|or|while|because|which|who|that|when|if)\b)",
        re.IGNORECASE,
    ),
    re.compile(r"\s+"),
)


def even_parts(items: list, size: int) -> list[list]:
    """``items`` in as few parts of at most ``size`` as can hold them, of sizes that differ by one
    at most: 81 inputs in batches of 32 are 27 + 27 + 27, not 32 + 32 + 17, so that the last
    pass of a class is not a small one that a parallel worker waits for."""
    count = -(-len(items) // size)
    return [items[k * len(items) // count : (k + 1) * len(items) // count] for k in range(count)]


def token_batches(lengths: Sequence[int], max_tokens: int, max_batch_size: int = 256) -> list[list[int]]:
    """Group item indices into length-sorted batches whose padded size fits ``max_tokens``.

    The padded size of a batch is ``len(batch) * longest``; an item longer than the budget
    gets a batch of its own. Every index appears in exactly one batch.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        candidate = max(longest, lengths[index])
        if current and (candidate * (len(current) + 1) > max_tokens or len(current) >= max_batch_size):
            batches.append(current)
            current, candidate = [], lengths[index]
        current.append(index)
        longest = candidate
    if current:
        batches.append(current)
    return batches


def _split_once(text: str) -> tuple[str, str]:
    """Split ``text`` in two at the clause boundary nearest its middle."""
    middle = len(text) / 2
    for pattern in _CLAUSE_BOUNDARIES:
        cuts = [m for m in pattern.finditer(text) if m.start() > 0 and m.end() < len(text)]
        if cuts:
            best = min(cuts, key=lambda m: abs(m.start() - middle))
            return text[: best.start()], text[best.end() :]
    cut = max(1, len(text) // 2)  # one enormous "word": cut it, never drop it
    return text[:cut], text[cut:]


def split_to_fit(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Split a sentence at clause boundaries until every piece has at most ``max_tokens``.

    Nothing is truncated: the pieces, joined with spaces, hold every word of ``text``.
    """
    if count_tokens(text) <= max_tokens or len(text) < 2:
        return [text]
    sentences = split_sentences(text)
    if len(sentences) > 1:  # several sentences given as one: split at each sentence end first
        return [piece for sentence in sentences for piece in split_to_fit(sentence, count_tokens, max_tokens)]
    left, right = _split_once(text)
    return split_to_fit(left, count_tokens, max_tokens) + split_to_fit(right, count_tokens, max_tokens)
