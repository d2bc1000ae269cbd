"""The one batch-and-generate loop that the translator and the summariser share.

What a text becomes never depends on the other articles of the call (alone, in a folder,
through Ray or the server: the same bytes). Two ways keep that promise:

- **Length classes** (engines whose outputs do not depend on the batch, ``batch_invariant``:
  CTranslate2 int8 on CPU). Every input is padded to the ceiling of its length class (see
  ``LENGTH_CLASSES``), whether it is decoded alone or with others; inputs of the same class
  share batches across articles. Measured on the real-size random-weight opus-mt-da-en and
  on the tiny test models: an input's tokens and scores are bit-identical in every batch
  padded to the same length (400 treebank sentences, batches of 1 to 64; with padding to the
  batch's longest input instead, 3 to 10% of the scores differed). Sharing batches across
  articles this way costs no more than pooling them (docs/performance.md).
- **Groups** (other engines): texts are packed into length-sorted token-budget batches within
  their group (an article's sentences, a document's chunks), never with another group's.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from translate_summarize.engines.base import Generated, Seq2SeqEngine
from translate_summarize.options import GenerationSettings
from translate_summarize.text.packing import even_parts, token_batches

CountProgress = Callable[[int, int], None]
"""``on_progress(done, total)``: called after each batch with the texts done so far."""

# Length-class ceilings in tokens, each twice the one before (at most half of a padded input is
# padding). Fewer, wider classes make fewer, larger batches, and on a CPU each decoder pass costs
# a fixed part per step whatever its size: with the earlier ladder of 1.5 steps (8, 12, 16, 24,
# ...), 40 news sentences fell into 7 classes, 7 passes against the pool's 4; with this one, 4
# (docs/performance.md). Padding costs less: the encoder and the cross-attention grow with it,
# the decoder's other layers do not. These are part of what decides an output (a different
# ladder pads differently), so they change only with a version.
LENGTH_CLASSES = (16, 32, 64, 128, 256, 512, 1024)


def length_class(tokens: int) -> int:
    """The length an input of ``tokens`` tokens is padded to under length classes."""
    index = bisect.bisect_left(LENGTH_CLASSES, tokens)
    return LENGTH_CLASSES[index] if index < len(LENGTH_CLASSES) else tokens


def _class_batches(lengths: Sequence[int], batch_tokens: int) -> tuple[list[list[int]], list[int]]:
    """Batches of inputs of one length class each (any group), and the length each is padded to."""
    members: dict[int, list[int]] = {}
    for index, length in enumerate(lengths):
        members.setdefault(length_class(length), []).append(index)
    batches, pad_to = [], []
    for ceiling in sorted(members):
        batches += even_parts(members[ceiling], max(1, batch_tokens // ceiling))
        pad_to += [ceiling] * (len(batches) - len(pad_to))
    # Largest first (padded tokens): the parallel workers take batches in this order, and the
    # small ones left for the end even out their loads (longest-processing-time-first).
    order = sorted(range(len(batches)), key=lambda b: -len(batches[b]) * pad_to[b])
    return [batches[b] for b in order], [pad_to[b] for b in order]


def _split_to(batches: list[list[int]], pad_to: list[int] | None, lengths: Sequence[int], count: int) -> None:
    """Cut the largest batches in two, in place, until there are ``count`` (or one text each).

    A length-class batch keeps its ceiling in both halves, and its inputs of exactly the ceiling
    length alternate between them: a half without one needs a filler input
    (engines/ctranslate2_engine.py)."""
    while len(batches) < count and any(len(batch) > 1 for batch in batches):
        largest = max(range(len(batches)), key=lambda b: len(batches[b]) * (pad_to[b] if pad_to else 1))
        batch = batches.pop(largest)
        if pad_to is None:
            batches[largest:largest] = [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
            continue
        ceiling = pad_to[largest]
        order = [i for i in batch if lengths[i] == ceiling] + [i for i in batch if lengths[i] != ceiling]
        batches[largest:largest] = [order[0::2], order[1::2]]
        pad_to.insert(largest, ceiling)


def generate_grouped(
    engine: Seq2SeqEngine,
    texts: Sequence[str],
    settings: GenerationSettings,
    batch_tokens: int,
    groups: Sequence[int] | None = None,
    lengths: Sequence[int] | None = None,
    on_progress: CountProgress | None = None,
    min_batches: int = 1,
    length_classes: bool = False,
) -> list[Generated]:
    """Generate one output per text, batching only texts of the same group together (unless
    ``length_classes``).

    Args:
        groups: a group id per text (default: all in one group, shared length-sorted batches).
        lengths: the texts' token counts when the caller already has them.
        on_progress: called as ``on_progress(done, total)`` before the first batch and after each.
        min_batches: cut the largest batches in two until there are at least this many (when
            there are enough texts), so that an engine's parallel workers all get one. Only for
            shared batches or length classes: it changes which texts share a batch.
        length_classes: ignore ``groups`` and batch by length class, each batch padded to its
            class ceiling (only for a ``batch_invariant`` engine).
    """
    if not texts:
        return []
    lengths = lengths if lengths is not None else engine.count_tokens(list(texts))
    pad_to: list[int] | None = None
    if length_classes:
        batches, pad_to = _class_batches(lengths, batch_tokens)
    else:
        groups = groups if groups is not None else [0] * len(texts)
        members: dict[int, list[int]] = {}
        for index, group in enumerate(groups):
            members.setdefault(group, []).append(index)
        batches = [
            [indices[j] for j in batch]
            for indices in members.values()
            for batch in token_batches([lengths[i] for i in indices], batch_tokens)
        ]
    _split_to(batches, pad_to, lengths, min_batches)
    outputs: list[Generated] = [Generated("")] * len(texts)
    done = 0
    if on_progress:
        on_progress(0, len(texts))
    generated_batches = engine.generate_batches([[texts[i] for i in b] for b in batches], settings, pad_to)
    for batch, generated in zip(batches, generated_batches):
        for index, output in zip(batch, generated):
            outputs[index] = output
        done += len(batch)
        if on_progress:
            on_progress(done, len(texts))
    return outputs
