"""Summarizer: English texts in, summaries out, for texts of any length (map-reduce)."""

from __future__ import annotations

from functools import lru_cache

from translate_summarize.core.decoding import CountProgress, generate_grouped
from translate_summarize.engines.base import COUNT_SLICE, Seq2SeqEngine
from translate_summarize.options import SUMMARY_GENERATION, SUMMARY_MAX_DEPTH, GenerationSettings
from translate_summarize.text.packing import split_to_fit

# Room left in the window for special tokens and the tokenizer's prefix space.
_WINDOW_MARGIN = 4
# Sentences counted at a time while deciding whether a document fits the window at all.
_PROBE_SLICE = 64
# A document of at most this many characters per token of the window is counted whole at once.
_DIRECT_CHARS_PER_TOKEN = 64


@lru_cache(maxsize=1)
def _english_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def english_sentences(text: str) -> list[str]:
    return [s.strip() for s in _english_segmenter().segment(text) if s.strip()]


class Summarizer:
    """Summarises texts longer than the model's input window without truncating them.

    A text that fits is summarised directly. A longer one is cut at sentence boundaries into
    window-sized chunks; the chunks' summaries, joined, become the text for the next round,
    at most ``max_depth`` rounds deep. Each document (a long one's chunks together) is decoded
    in batches of its own, so its summary does not depend on the other documents of the call;
    the engine's parallel workers decode different documents' batches at once.
    """

    def __init__(
        self,
        engine: Seq2SeqEngine,
        settings: GenerationSettings = SUMMARY_GENERATION,
        max_depth: int = SUMMARY_MAX_DEPTH,
    ):
        self.engine = engine
        self.settings = settings
        self.window = engine.max_input_tokens - _WINDOW_MARGIN
        # At least one window per batch, so that any chunk fits.
        self.batch_tokens = max(engine.runtime.batch_tokens, self.window)
        self.max_depth = max_depth

    def describe(self) -> dict:
        """The decoding settings and runtime this summariser holds (recorded in outputs), and the
        map-reduce bounds that decide how a long text is cut (its chunks' size and the rounds)."""
        return {
            **self.settings.as_dict(),
            **self.engine.describe(),
            "batch_tokens": self.batch_tokens,
            "chunk_tokens": self.window,
            "max_depth": self.max_depth,
        }

    def _generate(self, texts: list[str], owners: list[int], lengths: list[int] | None = None) -> list[str]:
        outputs = generate_grouped(self.engine, texts, self.settings, self.batch_tokens, groups=owners, lengths=lengths)
        return [output.text for output in outputs]

    def _count_if_fits(self, sentences: list[str]) -> int | None:
        """The tokens of ``sentences`` joined, or None when they do not fit the model's window.

        A long document is never tokenized whole (the encoding of a 20 MiB article's translation
        took gigabytes): its sentences are counted a slice at a time, each with the space before
        it, and once they add up to twice the window it cannot fit (byte-level BPE never merges
        across a space, so the counts add up exactly; the margin covers tokenizers that might).
        """
        window = self.engine.max_input_tokens
        if sum(map(len, sentences)) > _DIRECT_CHARS_PER_TOKEN * window:
            specials = self.engine.count_tokens([""])[0]
            seen = 0
            for start in range(0, len(sentences), _PROBE_SLICE):
                spaced = [" " + sentence for sentence in sentences[start : start + _PROBE_SLICE]]
                seen += sum(self.engine.count_tokens(spaced)) - specials * len(spaced)
                if seen > 2 * window:
                    return None
        count = self.engine.count_tokens([" ".join(sentences)])[0]
        return count if count <= window else None

    def _chunks(self, sentences: list[str]) -> list[str]:
        """Greedy sentence-boundary chunks of at most ``window`` tokens each."""
        units: list[str] = []
        for sentence in sentences:
            units += split_to_fit(sentence, lambda t: self.engine.count_tokens([t])[0], self.window)
        specials = self.engine.count_tokens([""])[0]
        # Counted with a leading space, as each unit appears inside the joined chunk (a slice at a
        # time: a copy of every unit at once is another copy of a 20 MiB article's translation).
        costs: list[int] = []
        for start in range(0, len(units), COUNT_SLICE):
            spaced = [" " + unit for unit in units[start : start + COUNT_SLICE]]
            costs += [n - specials for n in self.engine.count_tokens(spaced)]
        chunks: list[str] = []
        current: list[str] = []
        used = specials
        for unit, cost in zip(units, costs):
            if current and used + cost > self.window:
                chunks.append(" ".join(current))
                current, used = [], specials
            current.append(unit)
            used += cost
        if current:
            chunks.append(" ".join(current))
        return chunks

    def summarize(self, documents: list[str | list[str]], on_progress: CountProgress | None = None) -> list[str]:
        """Summarise each document (a text, or its sentences in order).

        ``on_progress(done, total)`` counts summarisation passes: one per document, plus one per
        chunk of a document too long for the model's window (known, and added to ``total``, when its
        round splits it), so the count moves during the map-reduce rounds of one long article.
        """
        pending = {
            i: (english_sentences(doc) if isinstance(doc, str) else [s for s in doc if s.strip()])
            for i, doc in enumerate(documents)
        }
        pending = {i: sentences for i, sentences in pending.items() if sentences}
        results = ["" for _ in documents]
        total, done = len(documents), len(documents) - len(pending)
        for depth in range(self.max_depth + 1):
            if not pending:
                break
            if on_progress:
                on_progress(done, total)
            counts = {i: self._count_if_fits(sentences) for i, sentences in pending.items()}
            fits = [i for i in pending if counts[i] is not None]
            texts = [" ".join(pending[i]) for i in fits]
            for i, summary in zip(fits, self._generate(texts, fits, [counts[i] for i in fits])):
                results[i] = summary
            done += len(fits)
            long_ones = [i for i in pending if counts[i] is None]
            if depth == self.max_depth:
                # Out of rounds: keep the partial summaries whole rather than truncate them.
                for i in long_ones:
                    results[i] = " ".join(pending[i])
                pending = {}
                break
            chunk_owner: list[int] = []
            chunks: list[str] = []
            for i in long_ones:
                for chunk in self._chunks(pending[i]):
                    chunks.append(chunk)
                    chunk_owner.append(i)
            total += len(chunks)
            if on_progress and chunks:
                on_progress(done, total)
            partial: dict[int, list[str]] = {i: [] for i in long_ones}
            for i, summary in zip(chunk_owner, self._generate(chunks, chunk_owner)):
                if summary:
                    partial[i].append(summary)
            done += len(chunks)
            pending = partial
        if on_progress:
            on_progress(total, total)
        return results
