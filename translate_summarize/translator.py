"""Translator: sentences in, translations out, whatever their number or length."""

from __future__ import annotations

from translate_summarize.engines.base import Seq2SeqEngine
from translate_summarize.options import (
    BATCH_TOKENS,
    TRANSLATION_GENERATION,
    TRANSLATION_MAX_INPUT_TOKENS,
    GenerationSettings,
)
from translate_summarize.text.packing import split_to_fit, token_batches


class Translator:
    """Translates lists of sentences with any engine.

    Sentences are packed into length-sorted batches of at most ``batch_tokens`` padded source
    tokens; a sentence longer than ``max_input_tokens`` is split at clause boundaries and its
    pieces' translations are joined, so nothing is ever truncated.
    """

    def __init__(
        self,
        engine: Seq2SeqEngine,
        settings: GenerationSettings = TRANSLATION_GENERATION,
        max_input_tokens: int = TRANSLATION_MAX_INPUT_TOKENS,
        batch_tokens: int = BATCH_TOKENS,
    ):
        self.engine = engine
        self.settings = settings
        self.max_input_tokens = min(max_input_tokens, engine.max_input_tokens)
        self.batch_tokens = batch_tokens

    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate each sentence; returns one translation per sentence, in order."""
        pieces: list[str] = []
        owners: list[int] = []
        lengths: list[int] = []
        counts = self.engine.count_tokens(sentences) if sentences else []
        for owner, (sentence, count) in enumerate(zip(sentences, counts)):
            if count <= self.max_input_tokens:
                parts, part_counts = [sentence], [count]
            else:
                parts = split_to_fit(sentence, self._count, self.max_input_tokens)
                part_counts = self.engine.count_tokens(parts)
            pieces += parts
            owners += [owner] * len(parts)
            lengths += part_counts
        outputs = [""] * len(pieces)
        for batch in token_batches(lengths, self.batch_tokens):
            for index, text in zip(batch, self.engine.generate([pieces[i] for i in batch], self.settings)):
                outputs[index] = text
        joined: list[list[str]] = [[] for _ in sentences]
        for owner, text in zip(owners, outputs):
            if text:
                joined[owner].append(text)
        return [" ".join(parts) for parts in joined]
