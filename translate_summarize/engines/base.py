"""The narrow interface every inference engine implements.

Nothing above this layer knows which engine runs: the translator and summariser count tokens,
pack batches and call ``generate`` with explicit settings.
"""

from __future__ import annotations

from typing import Protocol

from translate_summarize.options import GenerationSettings


class Seq2SeqEngine(Protocol):
    """A loaded sequence-to-sequence model with its tokenizer."""

    name: str
    """The engine's name as shown to users, e.g. ``"ctranslate2"``."""

    max_input_tokens: int
    """The longest input (in tokens, special tokens included) the model accepts."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Input length of each text in model tokens, special tokens included."""
        ...

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[str]:
        """Decode one batch of texts (each within ``max_input_tokens``) to output texts."""
        ...

    def describe(self) -> dict:
        """Engine, device and compute type, recorded in outputs."""
        ...
