"""Every default lives here, once. The CLI reads its defaults from these dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from translate_summarize import __version__

SUPPORTED_LANGUAGES = ("en",)
ENGINES = ("auto", "transformers", "ctranslate2")
COMPUTE_TYPES = ("auto", "int8", "int8_float16", "float16", "bfloat16", "float32")
DEVICES = ("auto", "cpu", "cuda", "mps")
FORMATS = ("text", "markdown", "json", "html", "docx")
EXECUTORS = ("local", "ray")
OTHER_LANGUAGE_POLICIES = ("warn", "fail")
FORMAT_EXTENSIONS = {"text": ".txt", "markdown": ".md", "json": ".json", "html": ".html", "docx": ".docx"}


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding parameters passed explicitly to every engine.

    tsum never inherits a checkpoint's generation config, so that a Hub update cannot change
    results and CTranslate2 (which does not read that config) decodes the same way.

    ``max_length_ratio`` and ``max_length_margin`` bound the generated length relative to the
    input (``ratio * input_tokens + margin``, capped at ``max_length``): a guard against a
    model that starts repeating itself.
    """

    beam_size: int = 4
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    min_length: int = 0
    max_length: int = 512
    max_length_ratio: float | None = None
    max_length_margin: int = 10
    min_length_ratio: float | None = 0.5

    def max_new_tokens(self, longest_input: int) -> int:
        """The length limit for a batch whose longest input has ``longest_input`` tokens."""
        if self.max_length_ratio is None:
            return self.max_length
        bound = int(self.max_length_ratio * longest_input) + self.max_length_margin
        return max(1, min(self.max_length, bound))

    def min_new_tokens(self, shortest_input: int) -> int:
        """Never ask for a summary longer than ``min_length_ratio`` times its input."""
        if self.min_length_ratio is None:
            return self.min_length
        return max(0, min(self.min_length, int(self.min_length_ratio * shortest_input)))

    def as_dict(self) -> dict:
        return asdict(self)


# Marian OPUS-MT: beam 4 as in the published config; the output is bounded to twice the
# source length plus a margin (Danish -> English rarely grows by more than 30%).
TRANSLATION_GENERATION = GenerationSettings(
    beam_size=4,
    length_penalty=1.0,
    no_repeat_ngram_size=0,
    min_length=0,
    max_length=512,
    max_length_ratio=2.0,
    max_length_margin=10,
)

# --summary-length presets: (min_length, max_length) in summariser tokens. "medium" is the
# published news setting of distilbart-cnn-12-6 and bart-large-cnn.
SUMMARY_LENGTHS = {"short": (20, 60), "medium": (56, 142), "long": (100, 250)}
DEFAULT_SUMMARY_LENGTH = "medium"

# The CNN/DailyMail news settings published with distilbart-cnn-12-6 and bart-large-cnn.
SUMMARY_GENERATION = GenerationSettings(
    beam_size=4,
    length_penalty=2.0,
    no_repeat_ngram_size=3,
    min_length=SUMMARY_LENGTHS[DEFAULT_SUMMARY_LENGTH][0],
    max_length=SUMMARY_LENGTHS[DEFAULT_SUMMARY_LENGTH][1],
)

# Sentences longer than this many source tokens are split at clause boundaries. Half of the
# Marian 512-position window, so that the translation (usually longer) fits the decoder.
TRANSLATION_MAX_INPUT_TOKENS = 256
# Source tokens per batch (padding included), per device, when --batch-tokens is not given.
# Summaries use at least one model window per batch. CPU: measured by benchmarks/run.py
# (--batch-tokens sweep); GPUs keep large batches.
BATCH_TOKENS = {"cpu": 1024, "cuda": 8192, "mps": 4096}
# The largest --beam-size: memory grows with beam x batch (beam 1,000 took 951 MB on the tiny
# test model), and beams wider than a few dozen do not improve translations.
MAX_BEAM_SIZE = 16
# The largest --threads: far above any CPU's core count, and small enough for OpenMP (libgomp
# aborted on --threads 100000000000 before this bound).
MAX_THREADS = 1024
# How deep the map-reduce of a long article's summary may go.
SUMMARY_MAX_DEPTH = 3
# Under this mean log-probability per target token a translation is flagged low_confidence.
# -1.0 means a geometric-mean token probability under 1/e (0.37). A conservative starting point,
# not calibrated on the real OPUS-MT weights (they cannot be downloaded where tsum was built):
# look at the scores of sentences you judge wrong in --format json and set --min-score to suit.
MIN_SCORE = -1.0  # --min-score; see quality.py
# A mean log-probability per token is at most 0; under -100 no sentence is ever flagged. NaN
# would flag nothing (every comparison with it is false) and is refused with infinities.
MIN_SCORE_RANGE = (-100.0, 0.0)


@dataclass(frozen=True)
class PipelineOptions:
    """Everything that decides what tsum computes and where it runs.

    ``engine``, ``device``, ``compute_type``, ``threads`` and ``batch_tokens`` may be left to
    ``auto``/0/None; ``runtime.resolve_runtime`` decides them, once.
    """

    lang: str = "en"
    translation_model: str = "opus-mt-da-en"
    summary_model: str = "distilbart-cnn-12-6"
    summarize: bool = True
    summary_length: str = DEFAULT_SUMMARY_LENGTH
    engine: str = "auto"
    device: str = "auto"
    min_score: float = MIN_SCORE
    compute_type: str = "auto"
    threads: int = 0
    batch_tokens: int | None = None
    """None: the device's default (``BATCH_TOKENS``), decided by ``resolve_runtime``."""
    beam_size: int | None = None
    """None: each model's own beam size (``TRANSLATION_GENERATION``, ``SUMMARY_GENERATION``)."""
    offline: bool = False
    other_language: str = "warn"
    """What to do with an article that does not look Danish: warn and translate, or fail it."""
    glossary: str | None = None
    """A CSV/TSV file of Danish terms and their English renderings (text/glossary.py): a
    sentence holding a term whose translation lacks the English is flagged ``glossary``. The
    built-in terms (the exonym table's institutions and events) are checked with or without it;
    an entry of the file replaces the built-in one for its term."""
    share_batches: bool = False
    """Pool the sentences of different articles into length-sorted token batches, padded to
    each batch's longest sentence: an article's translation may then depend on which articles
    shared its batches. Off by default, so that an article gives the same output alone or in a
    folder; with CTranslate2 int8 on a CPU the default shares batches across articles anyway,
    by length class, without changing any output, at nearly the pool's speed
    (core/decoding.py, docs/performance.md). Summaries are always decoded one document at a time."""

    def __post_init__(self):
        """The one validation of the options, wherever they come from (the CLI's click types only
        parse): a usage error before anything loads.

        Raises:
            UsageError: a value out of its range or not one of its choices.
        """
        from translate_summarize.errors import UsageError

        if self.lang not in SUPPORTED_LANGUAGES:
            raise UsageError(
                f"language {self.lang!r} is not supported: tsum translates Danish into {', '.join(SUPPORTED_LANGUAGES)}"
            )
        if self.summary_length not in SUMMARY_LENGTHS:
            raise UsageError(f"summary length must be one of {', '.join(SUMMARY_LENGTHS)}")
        if self.beam_size is not None and not 1 <= self.beam_size <= MAX_BEAM_SIZE:  # a huge beam exhausts memory
            raise UsageError(f"beam size must be between 1 and {MAX_BEAM_SIZE}, not {self.beam_size}")
        if not 0 <= self.threads <= MAX_THREADS:  # OpenMP aborts the process on absurd counts
            raise UsageError(f"threads must be between 0 (all cores) and {MAX_THREADS}, not {self.threads}")
        if self.other_language not in OTHER_LANGUAGE_POLICIES:
            raise UsageError(f"--other-language must be one of {', '.join(OTHER_LANGUAGE_POLICIES)}")
        low, high = MIN_SCORE_RANGE
        if not low <= self.min_score <= high:  # also false for NaN
            raise UsageError(f"min_score must be a number from {low:g} to {high:g}, not {self.min_score}")

    def translation_settings(self) -> GenerationSettings:
        if self.beam_size is None:
            return TRANSLATION_GENERATION
        return replace(TRANSLATION_GENERATION, beam_size=self.beam_size)

    def summary_settings(self) -> GenerationSettings:
        min_length, max_length = SUMMARY_LENGTHS[self.summary_length]
        settings = replace(SUMMARY_GENERATION, min_length=min_length, max_length=max_length)
        if self.beam_size is not None:
            settings = replace(settings, beam_size=self.beam_size)
        return settings


@dataclass(frozen=True)
class BatchOptions:
    """How a folder run behaves (not what it computes)."""

    glob: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm", "*.jsonl", "*.json", "*.docx", "*.odt", "*.pdf")
    output_format: str = "text"
    summary_only: bool = False
    force: bool = False
    follow_symlinks: bool = False
    # Articles read ahead and processed together (each with the output it gets alone), bounded in
    # articles and input bytes (about 600 news sentences) so that memory stays flat however
    # many files there are.
    window_articles: int = 16
    window_bytes: int = 64 * 1024
    quiet: bool = False
    executor: str = "local"
    ray_address: str | None = None
    workers: int = 2
    gpus_per_worker: float = 0.0
    cpus_per_worker: int = 0  # 0: the cluster's CPUs shared between workers, at most one node's
    web: WebOptions = field(default_factory=lambda: WebOptions())
    """URLs and feeds to read besides the files (see WebOptions)."""

    def __post_init__(self):
        if isinstance(self.web, dict):  # rebuilt from asdict() (a Ray worker's copy)
            web = dict(self.web)
            web["urls"] = tuple(web.get("urls", ()))
            web["fetch"] = FetchOptions(**web.get("fetch", {}))
            object.__setattr__(self, "web", WebOptions(**web))


# --- Links and feeds ---------------------------------------------------------------------------
# https://github.com/tsum-project/tsum is the project's home; the User-Agent names it so that a
# site's operator can see who reads their pages and how to reach the project.
PROJECT_URL = "https://github.com/tsum-project/tsum"
USER_AGENT = f"tsum/{__version__} (+{PROJECT_URL})"
# A feed item whose own content (content:encoded, Atom content, JSON Feed content_html/text) has
# at least this many words is the article itself and is not fetched from its link; shorter
# content is a teaser. 150 words: teasers run 20-80, the shortest news articles 200 or more.
FEED_FULL_TEXT_WORDS = 150


@dataclass(frozen=True)
class FetchOptions:
    """How tsum fetches URLs; the CLI and the server read their defaults from here."""

    timeout: float = 20.0
    """Seconds to wait for a connection, and for each read."""
    total_timeout: float = 120.0
    """Seconds one response may take in all (a server that trickles bytes never times out per read)."""
    max_bytes: int = 20 * 1024 * 1024
    """The largest body after decompression: the article size limit (text.reading.MAX_ARTICLE_BYTES)."""
    user_agent: str = USER_AGENT
    allow_private: bool = True
    """False: refuse hosts that resolve to loopback, private, link-local or multicast addresses."""
    robots: bool = True
    """Obey robots.txt (``--ignore-robots`` turns it off)."""
    rate: float = 1.0
    """Requests per second to one host (``--rate``); 0: no limit."""
    retries: int = 3
    """Retries after a connection error, a timeout or a 429/5xx answer."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each further one (unless Retry-After says)."""
    max_redirects: int = 5
    max_retry_after: float = 120.0
    """A Retry-After longer than this fails the URL instead of waiting."""
    verify_tls: bool = True


@dataclass(frozen=True)
class WebOptions:
    """URLs and feeds in a folder run."""

    urls: tuple[str, ...] = ()
    """Pages or feeds (told apart by what they hold), from the command line and URL/OPML lists."""
    since: str | None = None
    """Feeds: only items published on or after this ISO date (items without a date are kept)."""
    max_items: int | None = None
    """Feeds: at most this many items of each feed (the first ones: feeds list the newest first)."""
    full_text_words: int = FEED_FULL_TEXT_WORDS
    fetch: FetchOptions = field(default_factory=FetchOptions)
