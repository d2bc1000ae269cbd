"""The systems benchmarks/run.py times, and how it times them (interleaved rounds, medians).

Each builder loads its system once and returns a function that does the timed work.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def interleaved(systems: dict, rounds: int = 3) -> list[dict[str, float]]:
    """Seconds per system in each of ``rounds`` interleaved rounds (each system loaded once).

    On a shared machine the load drifts within seconds: running the systems one after another
    would credit whichever ran in a quiet moment; interleaving gives each the same chances, and
    the order rotates between rounds so that no system always follows the same one.
    """
    names = list(systems)
    timings: list[dict[str, float]] = []
    for round_ in range(rounds):
        timings.append({})
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            log(f"{name} (round {round_ + 1} of {rounds})...")
            cpu = process_cpu_seconds()
            timings[-1][name] = timed(systems[name])
            timings[-1][f"{name}_cpu"] = process_cpu_seconds() - cpu
    return timings


def process_cpu_seconds() -> float:
    """CPU seconds this process has used (all threads). On a machine shared with others, the
    ratio of CPU seconds is a second view of the cost, less swayed by the others' load than
    wall time (which is what the results report)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def median_of_rounds(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def report_median(results: dict[str, float], name: str, values: list[float]) -> None:
    """Record under ``name`` the median of ``values`` (one per round) and print it with them."""
    results[name] = median_of_rounds(values)
    print(f"{name}: median {results[name]:.2f} ({', '.join(f'{v:.2f}' for v in values)})", flush=True)


def print_results(results: dict[str, float]) -> None:
    """The closing lines of a benchmark: the load average, then one ``RESULT name value`` each."""
    import os

    print(f"# load average at the end: {os.getloadavg()[0]:.1f}")
    for name, value in results.items():
        print(f"RESULT {name} {value:.2f}")


def hf_naive(model_dir: Path, texts: list[str], length: int, beam: int, batch: int = 16, floor: bool = True):
    """transformers generate() with the checkpoint's defaults, batches in file order (``floor``:
    ``length`` is the minimum output length too, not only the maximum; see ``fixed``)."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()

    def run():
        with torch.inference_mode():
            for part in chunks(texts, batch):
                inputs = tokenizer(part, return_tensors="pt", padding=True, truncation=True)
                model.generate(**inputs, num_beams=beam, min_new_tokens=length if floor else 0, max_new_tokens=length)

    return run


def ct2_direct(model_dir: Path, texts: list[str], length: int, beam: int, batch: int = 32, floor: bool = True):
    """CTranslate2 the way Argos Translate drives it: int8, default options, file order."""
    import ctranslate2

    from translate_summarize.engines.tokenizers import load_tokenizer
    from translate_summarize.models.convert import convert_model
    from translate_summarize.models.resolve import resolve_model

    translator = ctranslate2.Translator(
        str(convert_model(resolve_model(model_dir), "int8", quiet=True)), compute_type="int8"
    )
    tokenizer = load_tokenizer(model_dir)

    def run():
        sources = tokenizer.tokens(texts)  # timed, as tsum's tokenization is
        for part in chunks(sources, batch):
            translator.translate_batch(
                part, beam_size=beam, min_decoding_length=length if floor else 0, max_decoding_length=length
            )

    return run


def outputs_at_limit(model_dir: Path, texts: list[str], length: int, beam: int) -> float:
    """The share of ``texts`` whose translation, decoded with a length limit only, reaches it.

    1.0 (random weights never emit ``</s>``) shows that decoding with the limit alone does the
    same fixed work for every text as a minimum length would."""
    import ctranslate2

    from translate_summarize.engines.tokenizers import load_tokenizer
    from translate_summarize.models.convert import convert_model
    from translate_summarize.models.resolve import resolve_model

    model = convert_model(resolve_model(model_dir), "int8", quiet=True)
    translator = ctranslate2.Translator(str(model), compute_type="int8")
    results = translator.translate_batch(
        load_tokenizer(model_dir).tokens(texts),
        beam_size=beam,
        max_decoding_length=length,
        use_vmap=(model / "vmap.txt").is_file(),
    )
    return sum(len(result.hypotheses[0]) == length for result in results) / len(texts)


def fixed(settings, length: int, beam: int, floor: bool = True):
    """``settings`` decoding exactly ``length`` tokens: ``length`` as maximum, and as minimum
    with ``floor``. Translation runs without the floor: tsum's length-class filler inputs finish
    at once under a zero minimum, as they do with tsum's translation settings (min_length 0),
    whereas a floor would make each decode ``length`` tokens that tsum never decodes."""
    return replace(
        settings,
        beam_size=beam,
        min_length=length if floor else 0,
        max_length=length,
        max_length_ratio=None,
        min_length_ratio=None,
    )


def load(model_dir: Path, engine: str, workload: str, device="cpu", compute_type="auto", batch_tokens=None):
    from translate_summarize.core.runtime import resolve_runtime
    from translate_summarize.engines import load_engine
    from translate_summarize.models.resolve import resolve_model
    from translate_summarize.options import PipelineOptions

    options = PipelineOptions(engine=engine, device=device, compute_type=compute_type, batch_tokens=batch_tokens)
    return load_engine(resolve_model(model_dir), resolve_runtime(options), workload)


def tsum_translate(
    model_dir: Path,
    texts: list[str],
    length: int,
    beam: int,
    engine: str,
    device="cpu",
    compute_type="auto",
    batch_tokens=None,
    per_article: int = 12,
    batching: str = "default",
    floor: bool = True,
):
    """tsum's translator on articles of ``per_article`` sentences. ``batching``: ``default``
    (what tsum does: length classes with CTranslate2 int8 on CPU), ``shared`` (one pool,
    --share-batches) or ``per_article`` (each article in padded batches of its own)."""
    from translate_summarize.core.translator import Translator
    from translate_summarize.options import TRANSLATION_GENERATION

    loaded = load(model_dir, engine, "sentences", device, compute_type, batch_tokens)
    settings = fixed(TRANSLATION_GENERATION, length, beam, floor)
    translator = Translator(loaded, settings, share_batches=batching == "shared")
    if batching == "per_article":
        loaded = PerArticle(loaded)
        translator.engine = loaded
    articles = [list(c) for c in chunks(texts, per_article)]
    return lambda: translator.translate_articles(articles)


class PerArticle:
    """An engine seen as one whose outputs may depend on the batch: the translator then batches
    each article on its own (the reproducible way before length classes)."""

    batch_invariant = False

    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        return getattr(self._engine, name)


def tsum_summarize(
    model_dir: Path, texts: list[str], length: int, beam: int, engine: str, pooled: bool = False, workers: int = 0
):
    """tsum's summariser (each document decoded in batches of its own, different documents on
    parallel workers at once); ``pooled``: the documents share batches instead (outputs may
    differ), cut into at least as many batches as there are workers, decoded by ``workers``
    parallel CTranslate2 workers sharing the cores (0: as tsum arranges them)."""
    from translate_summarize.core.decoding import generate_grouped
    from translate_summarize.core.summarizer import Summarizer
    from translate_summarize.options import SUMMARY_GENERATION

    loaded = load(model_dir, engine, "documents")
    if workers:
        # Another arrangement of the same cores than tsum's (engines/ctranslate2_engine.py
        # split_threads), for the fastest pooled batching; only a benchmark needs this.
        import ctranslate2

        from translate_summarize.models.convert import convert_model
        from translate_summarize.models.resolve import resolve_model

        threads = loaded.runtime.threads
        loaded.translator = None  # one copy of the weights at a time
        loaded.translator = ctranslate2.Translator(
            str(convert_model(resolve_model(model_dir), loaded.runtime.compute_type, quiet=True)),
            device="cpu",
            compute_type=loaded.runtime.compute_type,
            inter_threads=workers,
            intra_threads=max(1, threads // workers),
        )
        loaded.workers = loaded.parallel_batches = workers
    summarizer = Summarizer(loaded, fixed(SUMMARY_GENERATION, length, beam))
    if not pooled:
        return lambda: summarizer.summarize(texts)
    # Every text fits the window here (english_articles), so one map round is the whole work.
    return lambda: generate_grouped(
        loaded, texts, summarizer.settings, summarizer.batch_tokens, min_batches=loaded.parallel_batches
    )
