"""The one batch-and-generate loop that the translator and the summariser share.

Texts are packed into length-sorted token-budget batches *within their group* (an article's
sentences, a document's chunks) and never mixed with another group's: what a text becomes
depends only on its own group, not on which other articles ran in the same call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from translate_summarize.engines.base import Generated, Seq2SeqEngine
from translate_summarize.options import GenerationSettings
from translate_summarize.text.packing import token_batches

Progress = Callable[[int, int], None]
"""``on_progress(done, total)``: called after each batch with the texts done so far."""


def generate_grouped(
    engine: Seq2SeqEngine,
    texts: Sequence[str],
    settings: GenerationSettings,
    batch_tokens: int,
    groups: Sequence[int] | None = None,
    lengths: Sequence[int] | None = None,
    on_progress: Progress | None = None,
    min_batches: int = 1,
) -> list[Generated]:
    """Generate one output per text, batching only texts of the same group together.

    Args:
        groups: a group id per text (default: all in one group).
        lengths: the texts' token counts when the caller already has them.
        on_progress: called as ``on_progress(done, total)`` before the first batch and after each.
        min_batches: cut the largest batches in two until there are at least this many (when
            there are enough texts), so that an engine's parallel workers all get one.
    """
    if not texts:
        return []
    groups = groups if groups is not None else [0] * len(texts)
    lengths = lengths if lengths is not None else engine.count_tokens(list(texts))
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    batches = [
        [indices[j] for j in batch]
        for indices in members.values()
        for batch in token_batches([lengths[i] for i in indices], batch_tokens)
    ]
    while len(batches) < min_batches and any(len(batch) > 1 for batch in batches):
        largest = max(range(len(batches)), key=lambda b: len(batches[b]))
        batch = batches.pop(largest)
        batches[largest:largest] = [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
    outputs: list[Generated] = [Generated("")] * len(texts)
    done = 0
    if on_progress:
        on_progress(0, len(texts))
    for batch, generated in zip(batches, engine.generate_batches([[texts[i] for i in b] for b in batches], settings)):
        for index, output in zip(batch, generated):
            outputs[index] = output
        done += len(batch)
        if on_progress:
            on_progress(done, len(texts))
    return outputs
