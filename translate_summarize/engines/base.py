"""The narrow interface every inference engine implements.

Nothing above this layer knows which engine runs: the translator and summariser count tokens,
pack batches and call ``generate_batches`` with explicit settings.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from translate_summarize.core.runtime import Runtime
from translate_summarize.engines.tokenizers import Tokenizer
from translate_summarize.options import GenerationSettings


class Workload(str, Enum):
    """What an engine is loaded for; CTranslate2 arranges its threads and sub-batches for it."""

    SENTENCES = "sentences"
    """Many short inputs: translation."""
    DOCUMENTS = "documents"
    """Few long inputs: summaries."""


@dataclass(frozen=True)
class Generated:
    """One output text and its score.

    ``score`` is the mean log-probability per target token of the chosen hypothesis (``</s>``
    counted, the length penalty of the beam search not applied), over the tokens the decoder
    may produce; the same definition in every engine. 0 is certain; lower is less confident.
    """

    text: str
    score: float | None = None


class Seq2SeqEngine(Protocol):
    """A loaded sequence-to-sequence model with its tokenizer."""

    name: str
    """The engine's name as shown to users, e.g. ``"ctranslate2"``."""

    runtime: Runtime
    """The resolved runtime the engine was loaded with (recorded in outputs)."""

    max_input_tokens: int
    """The longest input (in tokens, special tokens included) the model accepts."""

    parallel_batches: int
    """How many batches the engine decodes at once (CTranslate2's parallel workers; 1 for
    transformers): pooled sentences are cut into at least this many batches to keep them busy."""

    batch_invariant: bool
    """True when an input's output depends only on the length the batch is padded to, never on
    the other inputs of the batch or their number (measured for CTranslate2 int8 on CPU; see
    core/decoding.py): then inputs of different articles may share batches padded to their
    common length class without changing any output."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Input length of each text in model tokens, special tokens included."""
        ...

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[Generated]:
        """Decode one batch of texts (each within ``max_input_tokens``)."""
        ...

    def generate_batches(
        self, batches: list[list[str]], settings: GenerationSettings, pad_to: list[int] | None = None
    ) -> Iterator[list[Generated]]:
        """Decode several batches, yielding each batch's outputs in order (engines may overlap them).

        ``pad_to``: per batch, the length in tokens the batch is padded to, and from which its
        decoding limits are computed, whatever its inputs' lengths (each at most that long).
        """
        ...

    def describe(self) -> dict:
        """The resolved runtime as outputs record it (engine, device, compute type, batch tokens)."""
        ...


# Texts (and characters, for a summariser's window-long chunks) tokenized at once by ``count_tokens``.
COUNT_SLICE = 1024
COUNT_SLICE_CHARS = 1 << 18


class TokenizedEngine:
    """What both engines share: the checkpoint's tokenizer and the resolved runtime."""

    name: str
    runtime: Runtime
    tokenizer: Tokenizer
    max_input_tokens: int
    parallel_batches: int = 1
    batch_invariant: bool = False

    def count_tokens(self, texts: list[str]) -> list[int]:
        # In slices, keeping only the counts: the ids of every sentence of a 20 MiB article at
        # once (a list of int objects per sentence) held about 1 KB per sentence until the last.
        counts: list[int] = []
        start = 0
        while start < len(texts):
            end, chars = start, 0
            while end < len(texts) and end - start < COUNT_SLICE and chars < COUNT_SLICE_CHARS:
                chars += len(texts[end])
                end += 1
            counts += [len(ids) for ids in self.tokenizer.ids(texts[start:end])]
            start = end
        return counts

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[Generated]:
        raise NotImplementedError

    def generate_batches(
        self, batches: list[list[str]], settings: GenerationSettings, pad_to: list[int] | None = None
    ) -> Iterator[list[Generated]]:
        if pad_to is not None:
            raise NotImplementedError(f"the {self.name} engine does not pad batches to a given length")
        for batch in batches:
            yield self.generate(batch, settings)

    def describe(self) -> dict:
        """The runtime this engine runs with, as outputs record it (``Runtime.record``)."""
        return self.runtime.record()


def release_free_memory() -> None:
    """Hand freed heap memory back to the operating system (glibc only; elsewhere a no-op).

    glibc keeps what the translator's beam search freed, so the summariser's buffers would
    stack on top of it: trimming between the two stages lowered the seed article's peak RSS
    from 806 to 751 MB (benchmarks/run.py models). No library wraps ``malloc_trim``.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.malloc_trim(0)
