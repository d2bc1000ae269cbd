"""Translator: sentences in, translations out, whatever their number or length."""

from __future__ import annotations

from translate_summarize.core.decoding import Progress, generate_grouped
from translate_summarize.engines.base import Generated, Seq2SeqEngine
from translate_summarize.options import TRANSLATION_GENERATION, TRANSLATION_MAX_INPUT_TOKENS, GenerationSettings
from translate_summarize.text.packing import split_to_fit


class Translator:
    """Translates lists of sentences with any engine.

    Each article's sentences are packed into length-sorted batches of at most ``batch_tokens``
    padded source tokens (the engine's runtime decides the default), never mixed with another
    article's; a sentence longer than ``max_input_tokens`` is split at clause boundaries and
    its pieces' translations are joined, so nothing is ever truncated.
    """

    def __init__(
        self,
        engine: Seq2SeqEngine,
        settings: GenerationSettings = TRANSLATION_GENERATION,
        max_input_tokens: int = TRANSLATION_MAX_INPUT_TOKENS,
        batch_tokens: int | None = None,
        share_batches: bool = False,
    ):
        self.engine = engine
        self.settings = settings
        self.max_input_tokens = min(max_input_tokens, engine.max_input_tokens)
        self.batch_tokens = batch_tokens or engine.runtime.batch_tokens
        # True: every article's sentences go into one pool of batches (PipelineOptions.share_batches).
        self.share_batches = share_batches

    def describe(self) -> dict:
        """The decoding settings and runtime this translator holds (recorded in outputs)."""
        return {
            **self.settings.as_dict(),
            **self.engine.describe(),
            "batch_tokens": self.batch_tokens,
            "share_batches": self.share_batches,
            "max_input_tokens": self.max_input_tokens,  # longer sentences are translated in pieces
        }

    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def translate(self, sentences: list[str], on_progress: Progress | None = None) -> list[Generated]:
        """Translate one article's sentences; one output (text and score) per sentence, in order."""
        return self.translate_articles([sentences], on_progress)[0]

    def translate_articles(
        self, articles: list[list[str]], on_progress: Progress | None = None
    ) -> list[list[Generated]]:
        """Translate several articles' sentences; each article is batched on its own (unless
        ``share_batches``: then all sentences share length-sorted batches).

        ``on_progress(done, total)`` counts sentence pieces (a split sentence counts each piece).
        A split sentence's score is the mean of its pieces' scores.
        """
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []
        lengths: list[int] = []
        for article, sentences in enumerate(articles):
            counts = self.engine.count_tokens(sentences) if sentences else []
            for owner, (sentence, count) in enumerate(zip(sentences, counts)):
                if count <= self.max_input_tokens:
                    parts, part_counts = [sentence], [count]
                else:
                    parts = split_to_fit(sentence, self._count, self.max_input_tokens)
                    part_counts = self.engine.count_tokens(parts)
                pieces += parts
                owners += [(article, owner)] * len(parts)
                lengths += part_counts
        outputs = generate_grouped(
            self.engine,
            pieces,
            self.settings,
            self.batch_tokens,
            groups=None if self.share_batches else [article for article, _ in owners],
            # Pooled sentences: keep every parallel worker busy (a small pool is one batch otherwise).
            min_batches=self.engine.parallel_batches if self.share_batches else 1,
            lengths=lengths,
            on_progress=on_progress,
        )
        joined: list[list[list[Generated]]] = [[[] for _ in sentences] for sentences in articles]
        for (article, owner), output in zip(owners, outputs):
            joined[article][owner].append(output)
        return [[_join(parts) for parts in article] for article in joined]


def _join(parts: list[Generated]) -> Generated:
    text = " ".join(part.text for part in parts if part.text)
    scores = [part.score for part in parts if part.score is not None]
    return Generated(text, round(sum(scores) / len(scores), 6) if scores else None)
