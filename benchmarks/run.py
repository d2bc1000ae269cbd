#!/usr/bin/env python
"""tsum speed benchmark: target tokens/s and peak memory, against the naive baselines.

    python benchmarks/run.py --quick        # a few minutes on 2 CPU cores
    python benchmarks/run.py                # more sentences and articles
    python benchmarks/run.py --device cuda  # one GPU: engines and precisions (benchmarks/gpu.py)

It builds models of the real sizes with random weights from the real configs (opus-mt-da-en,
distilbart-cnn-12-6; ../shared/models-facts.md) and SentencePiece/BPE tokenizers trained here,
since no model hub is reachable. Every system decodes to the same fixed output length (summaries:
min = max length; translations: max length, which random weights always reach, checked and
reported as translate_outputs_at_limit), so all do the same work and speed is comparable;
quality is not measured.

Systems (same beam size everywhere, 4 unless --beam-size):
  hf_naive     transformers generate() with the model's defaults, batches of 16 in file order
  ct2_direct   CTranslate2 used directly as Argos Translate does: int8, default options,
               batches of 32 in file order
  tsum         tsum as it runs by default: the sentences form articles of 12, and every output
               is the one its article gets alone (length classes, core/decoding.py); summaries
               each document in batches of its own, different documents on parallel workers
  shared       the fastest batching the engine allows, outputs allowed to differ: translation
               with --share-batches (one length-sorted pool), summaries pooled into batches
               (on tsum's parallel workers, or on one all-cores worker: shared_1w)
  per_article  translation the old reproducible way: each article's own padded batches
  tsum_1w      summaries as tsum batches them, on one all-cores worker (the arrangement before
               parallel workers; summarize_workers_speedup = its time / tsum's)
  tsum_hf      tsum's transformers engine (not with --quick)
with a --batch-tokens sweep of `shared` (not with --quick). Every system is loaded once and
timed in three interleaved rounds (the load of a shared machine drifts within seconds: each
system gets the same chances); each ratio is computed within a round and the MEDIAN of the
three is reported, with the three values. `per_article_cost` = shared / tsum speed for
translation, `summarize_per_article_cost` the same for summaries (<= 1.10 is the target).
Then the seed article end to end in a fresh process (peak RSS, time to the first translated
sentence, whether torch/transformers were imported). Ends with `RESULT <name> <value>` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_models as fixtures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from systems import (  # noqa: E402
    ct2_direct,
    fixed,  # noqa: E402, F401  (serve.py uses run.fixed)
    hf_naive,
    interleaved,
    load,
    log,
    outputs_at_limit,
    print_results,
    report_median,
    timed,
    tsum_summarize,
    tsum_translate,
)

# Sizes from the config.json files of Helsinki-NLP/opus-mt-da-en and
# sshleifer/distilbart-cnn-12-6 (models-facts.md); the size-independent flags and extra keys are
# shared with the test fixtures.
MARIAN_CONFIG = dict(
    d_model=512,
    encoder_layers=6,
    decoder_layers=6,
    encoder_attention_heads=8,
    decoder_attention_heads=8,
    encoder_ffn_dim=2048,
    decoder_ffn_dim=2048,
    vocab_size=58930,
    decoder_vocab_size=58930,
    max_position_embeddings=512,
    pad_token_id=58929,
    decoder_start_token_id=58929,
    **fixtures.MARIAN_FLAGS,
)
DISTILBART_CONFIG = dict(
    d_model=1024,
    encoder_layers=12,
    decoder_layers=6,
    encoder_attention_heads=16,
    decoder_attention_heads=16,
    encoder_ffn_dim=4096,
    decoder_ffn_dim=4096,
    vocab_size=50264,
    max_position_embeddings=1024,
    **fixtures.BART_FLAGS,
)


def _save(model, out: Path, extra: dict) -> None:
    model.save_pretrained(out)
    fixtures.update_config_json(out, extra)


def danish_sentences() -> list[str]:
    """The seed article's sentences, then the team's Danish news sentences: a realistic mix."""
    from translate_summarize.text.segment import parse_article

    seed = parse_article((ROOT / "examples" / "article-da.txt").read_text(encoding="utf-8"))
    gold = [
        line
        for line in (ROOT / "tests" / "data" / "da_sentences.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [s.source for s in seed.segments] + gold


def english_articles(count: int, words: int = 700) -> list[str]:
    """News-like English articles of 150 to ``words`` words (within the summariser's window)."""
    base = fixtures.ENGLISH_TEXT.split("\n") + [en for _, en in fixtures.TRANSLATION_PAIRS]
    base = [line for line in base if line.strip()]
    articles = []
    for i in range(count):
        limit = 150 + (words - 150) * i // max(1, count - 1)
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < limit:
            sentences.append(base[(i + len(sentences)) % len(base)])
        articles.append(" ".join(sentences))
    return articles


def build_models(workdir: Path) -> tuple[Path, Path]:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, MarianConfig, MarianMTModel

    marian, bart = workdir / "opus-mt-da-en-random", workdir / "distilbart-cnn-12-6-random"
    if not (marian / "config.json").exists():
        log("building a random-weight opus-mt-da-en-sized model...")
        marian.mkdir(parents=True, exist_ok=True)
        # ~32k target-side pieces: the size of opus-mt-da-en's target.spm (~790 kB).
        # Larger SentencePiece models than the test fixtures', so that tokens per word come
        # closer to OPUS-MT's.
        fixtures.write_marian_tokenizer(
            marian, danish_sentences(), english_articles(3), pad_to=58930, target_size=32000, spm_vocab=4000
        )
        torch.manual_seed(0)
        _save(MarianMTModel(MarianConfig(**MARIAN_CONFIG)), marian, fixtures.marian_json_keys(58929))
    if not (bart / "config.json").exists():
        log("building a random-weight distilbart-cnn-12-6-sized model...")
        bart.mkdir(parents=True, exist_ok=True)
        # The BPE also learns the random translator's output "words", so that its output costs
        # about one summariser token per word, as real English does.
        import sentencepiece

        target = sentencepiece.SentencePieceProcessor(model_file=str(marian / "target.spm"))
        words = [target.id_to_piece(i).lstrip("▁") for i in range(target.get_piece_size())]
        fixtures.write_bart_tokenizer(bart, [*english_articles(6), " ".join(words)], pad_to=50264, vocab_size=45000)
        torch.manual_seed(0)
        _save(
            BartForConditionalGeneration(BartConfig(**DISTILBART_CONFIG)),
            bart,
            {**fixtures.BART_JSON_KEYS, **fixtures.BART_NEWS_GENERATION},
        )
    return marian, bart


END_TO_END = """
import json, sys, time
start = time.perf_counter()
from translate_summarize.core.pipeline import Pipeline
from translate_summarize.options import PipelineOptions
from dataclasses import replace
text = open(sys.argv[3], encoding="utf-8").read()
pipeline = Pipeline(PipelineOptions(translation_model=sys.argv[1], summary_model=sys.argv[2], engine=sys.argv[4]))
# Random weights never emit </s>: cap translations at 1.2x the source length, a typical
# Danish -> English ratio, so the summariser sees a realistic amount of text.
pipeline.translator.settings = replace(pipeline.translator.settings, max_length_ratio=1.2, max_length_margin=2)
first = []
def progress(stage, done, total):
    if stage == "translate" and done and not first:
        first.append(time.perf_counter() - start)
result = pipeline.process([text], progress)[0]
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent (the benchmark).
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
heavy = sorted(m for m in ("torch", "transformers") if m in sys.modules)
print(json.dumps({"seconds": seconds, "first_sentence_seconds": first[0], "peak_rss_mb": peak,
                  "segments": len(result.segments), "heavy_imports": heavy}))
"""


def end_to_end(marian: Path, bart: Path, engine: str) -> dict:
    """The seed article, translation + summary, default settings, in a fresh process."""
    article = ROOT / "examples" / "article-da.txt"
    out = subprocess.run(
        [sys.executable, "-c", END_TO_END, str(marian), str(bart), str(article), engine],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def help_seconds() -> float:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "translate_summarize", "--help"], capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer sentences and articles, no tsum_hf (minutes on 2 idle cores)"
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-out", help="where the random models are kept")
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    # --device cuda runs benchmarks/gpu.py (engines and precisions on one GPU).
    parser.add_argument("--dry-run", action="store_true", help="--device cuda: the whole path on the CPU, tiny models")
    parser.add_argument("--results-dir", type=Path, help="--device cuda: where the JSON goes [benchmarks/results]")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TSUM_CACHE_DIR", str(args.workdir / "tsum-cache"))
    if args.device == "cuda":
        import gpu

        return gpu.main(args)
    import torch

    marian, bart = build_models(args.workdir)
    sentences = danish_sentences()
    sentences = sentences[:40] if args.quick else sentences
    articles = english_articles(2, 400) if args.quick else english_articles(6, 700)
    t_len, s_len, beam = 32, (32 if args.quick else 48), args.beam_size
    print(f"# machine: {os.cpu_count()} CPUs, torch {torch.__version__} threads {torch.get_num_threads()}")
    print(f"# load average at start: {os.getloadavg()[0]:.1f}")
    print(
        f"# translate: {len(sentences)} sentences x {t_len} target tokens; summarize: {len(articles)} articles x {s_len}; beam {beam}"
    )
    for label, model in (("translate", marian), ("summarize", bart)):
        convert_seconds = timed(lambda m=model: load(m, "ctranslate2", "sentences"))
        log(f"{label}: CTranslate2 model ready ({convert_seconds:.0f} s, conversion cached after the first run)")

    results: dict[str, float] = {}
    report = partial(report_median, results)

    # Translation: every system (and the --batch-tokens sweep) in the same interleaved rounds,
    # so that their ratios are measured under the same load.
    # Translations are decoded to a length limit only (no minimum: systems.fixed says why);
    # every output reaches it, so every system still does the same fixed work.
    results["translate_outputs_at_limit"] = outputs_at_limit(marian, sentences, t_len, beam)
    systems = {
        "hf_naive": hf_naive(marian, sentences, t_len, beam, floor=False),
        "ct2_direct": ct2_direct(marian, sentences, t_len, beam, floor=False),
        "tsum": tsum_translate(marian, sentences, t_len, beam, "auto", floor=False),
        "shared": tsum_translate(marian, sentences, t_len, beam, "auto", batching="shared", floor=False),
        "per_article": tsum_translate(marian, sentences, t_len, beam, "auto", batching="per_article", floor=False),
    }
    if not args.quick:
        systems["tsum_hf"] = tsum_translate(marian, sentences, t_len, beam, "transformers", floor=False)
        for batch_tokens in (512, 2048, 4096):  # the default budget is "shared" itself
            systems[f"bt{batch_tokens}"] = tsum_translate(
                marian, sentences, t_len, beam, "auto", batch_tokens=batch_tokens, batching="shared", floor=False
            )
    target = len(sentences) * t_len
    timings = interleaved(systems)
    for name in systems:
        report(f"translate_{name}_tok_s", [target / t[name] for t in timings])
    # > 1: the outputs-as-alone default is slower than the shared pool.
    report("per_article_cost", [t["tsum"] / t["shared"] for t in timings])
    report("per_article_cost_cpu", [t["tsum_cpu"] / t["shared_cpu"] for t in timings])
    report("per_article_padded_cost", [t["per_article"] / t["shared"] for t in timings])
    report("translate_speedup_vs_hf", [t["hf_naive"] / t["tsum"] for t in timings])
    report("translate_speedup_vs_ct2_direct", [t["ct2_direct"] / t["tsum"] for t in timings])
    report("translate_speedup_vs_ct2_direct_cpu", [t["ct2_direct_cpu"] / t["tsum_cpu"] for t in timings])
    del systems
    target = len(articles) * s_len
    systems = {
        "hf_naive": hf_naive(bart, articles, s_len, beam),
        "tsum": tsum_summarize(bart, articles, s_len, beam, "auto"),
        # The fastest batching the engine allows: the documents pooled into batches, on tsum's
        # parallel single-threaded workers or on one all-cores worker (whichever is faster).
        "shared": tsum_summarize(bart, articles, s_len, beam, "auto", pooled=True),
        "shared_1w": tsum_summarize(bart, articles, s_len, beam, "auto", pooled=True, workers=1),
        # tsum's batching on one all-cores worker (the arrangement before parallel workers).
        "tsum_1w": tsum_summarize(bart, articles, s_len, beam, "auto", workers=1),
    }
    if not args.quick:
        systems["tsum_hf"] = tsum_summarize(bart, articles, s_len, beam, "transformers")
    timings = interleaved(systems)
    for name in systems:
        report(f"summarize_{name}_tok_s", [target / t[name] for t in timings])
    report("summarize_per_article_cost", [t["tsum"] / min(t["shared"], t["shared_1w"]) for t in timings])
    report(
        "summarize_per_article_cost_cpu", [t["tsum_cpu"] / min(t["shared_cpu"], t["shared_1w_cpu"]) for t in timings]
    )
    report("summarize_workers_speedup", [t["tsum_1w"] / t["tsum"] for t in timings])
    report("summarize_workers_speedup_cpu", [t["tsum_1w_cpu"] / t["tsum_cpu"] for t in timings])
    report("summarize_speedup_vs_hf", [t["hf_naive"] / t["tsum"] for t in timings])
    report("summarize_speedup_vs_hf_cpu", [t["hf_naive_cpu"] / t["tsum_cpu"] for t in timings])
    del systems
    log("end to end (fresh process)...")
    e2e = end_to_end(marian, bart, "auto")
    results["seed_article_seconds"] = e2e["seconds"]
    results["peak_rss_mb"] = e2e["peak_rss_mb"]
    results["first_sentence_seconds"] = e2e["first_sentence_seconds"]
    results["e2e_imports_torch"] = float(bool(e2e["heavy_imports"]))
    results["help_seconds"] = help_seconds()
    print_results(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
