"""Article text -> ArticleResult: segments, translation, summary, and what produced them.

One module although over 350 lines: the options resolved once, the lazily loaded models, parsing,
translation, summary and the record of what ran all share the Pipeline's cached state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from translate_summarize import __version__
from translate_summarize.core.runtime import Runtime, resolve_runtime
from translate_summarize.core.translator import Translation, Translator
from translate_summarize.engines import Workload, load_engine
from translate_summarize.errors import UsageError
from translate_summarize.models.resolve import ResolvedModel, check_role, resolve_model, resolve_models
from translate_summarize.options import (
    PipelineOptions,
)
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.segment import ParsedArticle


@dataclass
class TranslatedSegment:
    """One source sentence (or headline) and its translation.

    ``prefix`` is a line marker taken off before translation and put back after it (a quote
    dash, a Markdown heading or bullet); ``source`` and ``translation`` never include it.
    ``score`` is the mean log-probability per target token of the chosen hypothesis (None when
    the engine did not report one); ``flags`` name what a reviewer should check (see quality.py).
    """

    source: str
    translation: str
    paragraph: int
    starts_line: bool = False
    prefix: str = ""
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    flag_details: dict = field(default_factory=dict)
    """What the number, name and glossary flags found: ``{"number_mismatch": {"missing": [...],
    "added": [...]}, "name_missing": [...], "glossary": [{"term": ..., "english": ...}]}``."""
    source_names: list[str] = field(default_factory=list)
    """The names the checks found in ``source``, as written (a name of several words is one string)."""
    source_numbers: list[str] = field(default_factory=list)
    """The numbers the checks found in ``source``, as written."""


# A headline is a short first line, not a sentence: it ends without a full stop (a question or an
# exclamation can be a headline, "Hvem betaler?"), and news headlines stay well under this length.
HEADLINE_MAX_CHARS = 200
_SENTENCE_END = (".", ":", ";", ",", "…")


@dataclass
class ArticleResult:
    translation: str
    summary: str | None
    segments: list[TranslatedSegment]
    metadata: dict[str, str]
    models: dict[str, dict | None]
    generation: dict[str, dict | None]
    tsum_version: str = __version__
    source_language: dict | None = None
    """``{"code": "da", "confidence": 0.98}`` from the language guard (None when not judged)."""
    summary_check: dict | None = None
    """``{"unsupported_numbers": [...], "unsupported_names": [...]}`` (None without a summary)."""
    input: str | None = None
    """The input's name as the user gave it (a path; in folder runs relative to its root), None
    for standard input and text sent to the server."""

    def to_dict(self) -> dict:
        """The JSON contract: the package's ``output/schemas/article.schema.json``."""
        return {
            "input": self.input,
            "translation": self.translation,
            "summary": self.summary,
            "summary_check": self.summary_check,
            "segments": [segment_record(segment) for segment in self.segments],
            # The page or feed item's URL (the one fetched, after redirects); a url field of a file.
            "source_url": self.metadata.get("url"),
            "metadata": dict(self.metadata),
            "source_language": self.source_language,
            "models": self.models,
            "generation": self.generation,
            "tsum_version": self.tsum_version,
        }

    def headline(self) -> TranslatedSegment | None:
        """The article's headline segment, or None when it has none.

        A ``title`` metadata field (``Titel:``, a web page's title) is the headline; without
        one, a first line of its own that is a Markdown heading, or short and not ending like a
        sentence (``Politiet efterlyser vidner``, ``Hvem betaler?``), is.
        """
        if not self.segments:
            return None
        first = self.segments[0]
        title = self.metadata.get("title", "").strip()
        if title:
            return first if first.source.strip() == title else None
        # An implicit headline is a line of its own, with more of the article after it.
        after = self.segments[1] if len(self.segments) > 1 else None
        alone = after is not None and (after.paragraph != first.paragraph or after.starts_line)
        if first.prefix.startswith("#"):  # a Markdown heading
            return first if alone else None
        text = first.source.strip()
        if not alone or first.prefix or len(text) > HEADLINE_MAX_CHARS or text.endswith(_SENTENCE_END):
            return None
        return first


def assemble(segments: list[TranslatedSegment], attribute: str = "translation") -> str:
    """Rebuild paragraphs (blank-line separated) and lines from segments in reading order."""
    return "".join(assembled(segments, lambda segment: getattr(segment, attribute)))


def assembled(segments: Iterable[TranslatedSegment], text_of: Callable[[TranslatedSegment], str]) -> Iterator[str]:
    """:func:`assemble`'s text piece by piece, each segment's text given by ``text_of``.

    Pieces rather than a paragraph grown by concatenation: one paragraph of 290,000 sentences
    (a 20 MiB article without line breaks) was copied once per sentence, quadratic time.
    """
    current = None
    shown = False  # whether the current paragraph has any text yet
    for segment in segments:
        text = text_of(segment)
        if text and segment.prefix:
            text = segment.prefix + text
        if segment.paragraph != current:
            if current is not None:
                yield "\n\n"
            current, shown = segment.paragraph, bool(text)
            if text:
                yield text
        elif text:
            if shown:
                yield "\n" if segment.starts_line else " "
            yield text
            shown = True


def segment_record(segment: TranslatedSegment) -> dict:
    """One segment as the JSON contract holds it (``ArticleResult.to_dict``'s ``segments``)."""
    return asdict(segment)


def _with_letterless_kept(articles: list[ParsedArticle], translate: Callable) -> list[list[Translation]]:
    """Segments without a letter (a Markdown code fence, a table rule such as
    ``|---|---|``, a lone number) are not sent to the model, which would invent words for them:
    their translation is their source. ``translate`` gets the other sources, article by article."""
    keep = [[any(ch.isalpha() for ch in s.source) for s in article.segments] for article in articles]
    sources = [[s.source for s, k in zip(a.segments, ks) if k] for a, ks in zip(articles, keep)]
    outputs = translate(sources)
    merged = []
    for article, ks, done in zip(articles, keep, outputs):
        done = iter(done)
        merged.append([next(done) if k else Translation(s.source) for s, k in zip(article.segments, ks)])
    return merged


StageProgress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: see :meth:`Pipeline.process_parsed` for the stages."""


class Pipeline:
    """Loads the models once (lazily) and processes any number of articles.

    ``process`` takes many articles at once; an article's output does not depend on the other
    articles of the call (see core/decoding.py: length classes or per-article batches) unless
    ``options.share_batches``.
    """

    def __init__(self, options: PipelineOptions | None = None, quiet: bool = True):
        self.options = options or PipelineOptions()
        self.quiet = quiet
        # Read now: a bad file is a usage error before any work. The built-in terms (the exonym
        # table's institutions and events) are checked with or without a file.
        from translate_summarize.text.glossary import checked_glossary

        self.glossary = checked_glossary(self.options.glossary)

    @cached_property
    def translation_model(self) -> ResolvedModel:
        model = resolve_model(self.options.translation_model, offline=self.options.offline)
        check_role(model, "translation")
        return model

    @cached_property
    def summary_model(self) -> ResolvedModel | None:
        if not self.options.summarize:
            return None
        model = resolve_model(self.options.summary_model, offline=self.options.offline)
        check_role(model, "summary")
        return model

    def resolve(self) -> None:
        """Resolve (and if needed download) both models before any work starts.

        Both are checked first, so a machine that cannot download them hears about every missing
        model at once, and a model given for the other task is refused before anything loads.
        """
        models = {"translation": self.options.translation_model}
        if self.options.summarize:
            models["summary"] = self.options.summary_model
        resolved = resolve_models(models, offline=self.options.offline)
        # Fill the cached properties (a later access reuses these).
        self.translation_model = resolved["translation"]
        self.summary_model = resolved.get("summary")

    @cached_property
    def runtime(self) -> Runtime:
        """Engine, device, compute type, threads and batch size, resolved once."""
        return resolve_runtime(self.options)

    def _engine(self, model: ResolvedModel, workload: Workload):
        shared = getattr(self, "_shared_engines", {})
        if workload in shared:  # a variant (see with_summary) reuses its base's loaded engine
            return shared[workload]
        return load_engine(model, self.runtime, workload, self.quiet)

    def with_summary(self, summarize: bool, summary_length: str) -> Pipeline:
        """This pipeline with other summary settings, sharing its resolved models and loaded engines.

        A server answers requests with different summary settings without loading a model twice.

        Raises:
            UsageError: a summary is asked of a pipeline built without its summariser.
        """
        options = replace(self.options, summarize=summarize, summary_length=summary_length)
        if options == self.options:
            return self
        if summarize and not self.options.summarize:
            raise UsageError("this pipeline was built without a summariser (summarize=False)")
        variant = Pipeline(options, quiet=self.quiet)
        # Filled in as the cached properties would be, from this pipeline's (loading them if needed).
        variant.__dict__["translation_model"] = self.translation_model
        variant.__dict__["summary_model"] = self.summary_model if summarize else None
        variant.__dict__["runtime"] = self.runtime
        variant._shared_engines = {Workload.SENTENCES: self.translator.engine}
        if summarize:
            variant._shared_engines[Workload.DOCUMENTS] = self.summarizer.engine
        return variant

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source tokens of each text as the translation model counts them (loads it if needed)."""
        return self.translator.engine.count_tokens(texts) if texts else []

    @cached_property
    def translator(self) -> Translator:
        settings = self.options.translation_settings()
        return Translator(
            self._engine(self.translation_model, Workload.SENTENCES), settings, share_batches=self.options.share_batches
        )

    @cached_property
    def summarizer(self):
        from translate_summarize.core.summarizer import Summarizer

        settings = self.options.summary_settings()
        return Summarizer(self._engine(self.summary_model, Workload.DOCUMENTS), settings)

    def models_record(self, fingerprints: bool = False) -> dict:
        """The ``models`` record (a fresh copy); with ``fingerprints``, as resume keys need it."""
        models: dict[str, dict | None] = {"translation": self.translation_model.as_dict(), "summary": None}
        if fingerprints:
            models["translation"]["fingerprint"] = self.translation_model.fingerprint()
        if self.summary_model:
            models["summary"] = self.summary_model.as_dict()
            if fingerprints:
                models["summary"]["fingerprint"] = self.summary_model.fingerprint()
        return models

    def generation_record(self) -> dict:
        """The ``generation`` record: what the loaded translator and summariser hold."""
        return {
            "translation": self.translator.describe(),
            # With the --summary-length preset its min/max lengths come from. The summary is made
            # from the translation, so what changes generation.translation changes it too.
            "summary": {**self.summarizer.describe(), "summary_length": self.options.summary_length}
            if self.summary_model
            else None,
        }

    def load(self, progress: StageProgress | None = None):
        """Load the translator, then the summariser when summarising; ``progress("load", done, total)``.

        Returns the translator.
        """
        total = 2 if self.summary_model else 1
        if progress is not None:
            progress("load", 0, total)
        translator = self.translator
        if progress is not None:
            progress("load", 1, total)
        if self.summary_model:
            _ = self.summarizer
            if progress is not None:
                progress("load", 2, total)
        return translator

    def process_parsed(
        self, articles: list[ParsedArticle], progress: StageProgress | None = None
    ) -> list[ArticleResult]:
        """Translate (and summarise) parsed articles; ``progress(stage, done, total)`` hears how far it got.

        Stages: ``"load"`` (models loaded of those needed: 0 of 2, 1 of 2, 2 of 2 when
        summarising), ``"translate"`` (sentences done of all; a sentence split to fit the model's
        window counts each piece), ``"summarize"`` (summarisation passes done of all:
        :meth:`Summarizer.summarize`).
        """
        translator = self.load(progress)
        on_translate = (lambda done, total: progress("translate", done, total)) if progress else None
        translated = _with_letterless_kept(
            articles,
            lambda sources: translator.translate_articles(sources, on_translate),
        )
        results = []
        for article, outputs in zip(articles, translated):
            segments = [
                TranslatedSegment(
                    s.source, output.text, s.paragraph, s.starts_line, prefix=s.prefix, score=output.score
                )
                for s, output in zip(article.segments, outputs)
            ]
            results.append(
                ArticleResult(
                    translation=assemble(segments),
                    summary=None,
                    segments=segments,
                    metadata=article.metadata,
                    models={},
                    generation={},
                    source_language=article.source_language,
                )
            )
        if self.summary_model:
            from translate_summarize.engines.base import release_free_memory

            release_free_memory()  # the summariser's buffers need not stack on the translator's
            on_summarize = (lambda done, total: progress("summarize", done, total)) if progress else None
            summaries = self.summarizer.summarize([[s.translation for s in r.segments] for r in results], on_summarize)
            for result, summary in zip(results, summaries):
                result.summary = summary
        # Segment flags and the summary check, once translations and summaries exist.
        from translate_summarize.core.quality import check_results

        split = {i for i, t in enumerate(t for article in translated for t in article) if t.split}
        check_results(results, self.options.min_score, split, self.glossary)
        models, generation = self.models_record(), self.generation_record()
        for result in results:
            result.models, result.generation = models, generation
        return results

    def parse(
        self, text: str, name: str = "input", kind: str | None = None, warn: Callable[[str], None] | None = None
    ) -> ParsedArticle:
        """One article's decoded text -> segments: the one parse path of the CLI, folder runs and
        the Python API. Cleans the text, reads it as its kind (plain, Markdown by
        ``name``'s extension, a web page; ``kind="archive"`` for one article of a JSON archive)
        and applies the language guard as ``options.other_language`` says (``warn`` hears a
        warning; by default it is printed to stderr).

        Raises:
            InputError: nothing to translate, or not Danish with ``other_language="fail"``.
        """
        extra = {"warn": warn} if warn is not None else {}
        return parse_input(
            text,
            name,
            self.options.other_language,
            kind=kind,
            translation_model=self.options.translation_model,
            **extra,
        )

    def process(self, texts: list[str], progress: StageProgress | None = None) -> list[ArticleResult]:
        """Translate (and summarise) Danish article texts; each gets the output it gets alone."""
        return self.process_parsed([self.parse(text) for text in texts], progress)
