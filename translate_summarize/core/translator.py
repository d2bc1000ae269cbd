"""Translator: sentences in, translations out, whatever their number or length."""

from __future__ import annotations

from dataclasses import dataclass

from translate_summarize.core.decoding import CountProgress, generate_grouped
from translate_summarize.engines.base import Seq2SeqEngine
from translate_summarize.options import TRANSLATION_GENERATION, TRANSLATION_MAX_INPUT_TOKENS, GenerationSettings
from translate_summarize.text.packing import split_to_fit


@dataclass(frozen=True)
class Translation:
    """One sentence's translation.

    ``score``: the mean log-probability per target token (see ``engines.base.Generated``; for a
    split sentence, the mean of its pieces' scores). ``pieces``: how many pieces the sentence
    was translated in (more than 1 when it was longer than the model's window allows).
    """

    text: str
    score: float | None = None
    pieces: int = 1

    @property
    def split(self) -> bool:
        return self.pieces > 1


class Translator:
    """Translates lists of sentences with any engine.

    A sentence's translation never depends on the other articles of the call: with an engine
    whose outputs do not depend on the batch (CTranslate2 int8 on CPU), sentences of all articles
    share batches by length class; otherwise each article's sentences are packed into
    length-sorted batches of their own (core/decoding.py). ``share_batches`` pools every
    sentence into length-sorted batches instead (outputs may then depend on the neighbours).
    A sentence longer than ``max_input_tokens`` is split at clause boundaries and its pieces'
    translations are joined, so nothing is ever truncated.
    """

    def __init__(
        self,
        engine: Seq2SeqEngine,
        settings: GenerationSettings = TRANSLATION_GENERATION,
        max_input_tokens: int = TRANSLATION_MAX_INPUT_TOKENS,
        share_batches: bool = False,
    ):
        self.engine = engine
        self.settings = settings
        self.max_input_tokens = min(max_input_tokens, engine.max_input_tokens)
        # True: every article's sentences go into one pool of batches (PipelineOptions.share_batches).
        self.share_batches = share_batches

    @property
    def batching(self) -> str:
        """How sentences are batched: ``shared``, ``length-classes`` or ``per-article``."""
        if self.share_batches:
            return "shared"
        return "length-classes" if self.engine.batch_invariant else "per-article"

    def describe(self) -> dict:
        """The decoding settings and runtime this translator holds (recorded in outputs)."""
        return {
            **self.settings.as_dict(),
            **self.engine.describe(),
            "share_batches": self.share_batches,
            "batching": self.batching,
            "max_input_tokens": self.max_input_tokens,  # longer sentences are translated in pieces
        }

    def _count(self, text: str) -> int:
        return self.engine.count_tokens([text])[0]

    def translate(self, sentences: list[str], on_progress: CountProgress | None = None) -> list[Translation]:
        """Translate one article's sentences; one translation per sentence, in order."""
        return self.translate_articles([sentences], on_progress)[0]

    def translate_articles(
        self, articles: list[list[str]], on_progress: CountProgress | None = None
    ) -> list[list[Translation]]:
        """Translate several articles' sentences (see the class for how they are batched).

        ``on_progress(done, total)`` counts sentence pieces (a split sentence counts each piece).
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
        batching = self.batching
        outputs = generate_grouped(
            self.engine,
            pieces,
            self.settings,
            self.engine.runtime.batch_tokens,
            groups=None if batching == "shared" else [article for article, _ in owners],
            # Keep every parallel worker busy (a small call is one batch otherwise); not for
            # per-article batches, whose outputs depend on which sentences share a batch.
            min_batches=1 if batching == "per-article" else self.engine.parallel_batches,
            length_classes=batching == "length-classes",
            lengths=lengths,
            on_progress=on_progress,
        )
        joined: list[list[list]] = [[[] for _ in sentences] for sentences in articles]
        for (article, owner), output in zip(owners, outputs):
            joined[article][owner].append(output)
        return [[_join(parts) for parts in article] for article in joined]


def _join(parts: list) -> Translation:
    text = " ".join(part.text for part in parts if part.text)
    scores = [part.score for part in parts if part.score is not None]
    return Translation(text, round(sum(scores) / len(scores), 6) if scores else None, len(parts))
