"""The fast engine: CTranslate2 (int8 on CPU by default).

CTranslate2 runs converted Marian and BART models several times faster than PyTorch on a CPU
(quantized matrix products, cache-friendly beam search). It does not read the checkpoint's
generation config, so every decoding setting is passed explicitly. Tokenization reads the
checkpoint's own files (engines/tokenizers.py): this path imports neither torch nor transformers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from translate_summarize.core.runtime import Runtime
from translate_summarize.engines.base import Generated, TokenizedEngine, Workload
from translate_summarize.engines.cuda_libs import preload_for_device
from translate_summarize.engines.tokenizers import load_tokenizer, model_window
from translate_summarize.errors import EngineError
from translate_summarize.models.convert import convert_model
from translate_summarize.models.resolve import ResolvedModel
from translate_summarize.options import GenerationSettings
from translate_summarize.text.packing import even_parts

# CTranslate2 sub-batches, (batch_type, max_batch_size). Sentences: 512 source tokens (about
# 16 news sentences; 16 examples decoded fastest on 2 cores with beam 4), in tokens so that
# a batch of long sentences does not hold more beam-search cache than one of short ones (the
# seed article's peak RSS: 806 -> 751 MB, benchmarks/run.py models). Documents (summariser
# inputs of up to 1,024 tokens): 2 examples, which bounds the cross-attention cache of beam
# search (about 50 MB per beam and 1,000 input tokens at distilbart's size).
SUB_BATCH = {Workload.SENTENCES: ("tokens", 512), Workload.DOCUMENTS: ("examples", 2)}
# Length-class parts (inputs all padded to one ceiling, core/decoding.py), in padded tokens: a
# class of 40 news sentences is then one decoder pass, not two (each pass pays a fixed cost per
# step, docs/performance.md); their beam-search cache stays within twice a pooled sub-batch's.
CLASS_PART_TOKENS = 1024
# Batches queued per worker before the oldest is collected: memory stays that of a few batches
# whatever the article's length, and no worker waits for the next batch to be tokenized.
QUEUED_BATCHES = 2


def split_threads(threads: int, workload: Workload = Workload.SENTENCES) -> tuple[int, int]:
    """(parallel batches, threads per batch) for ``threads`` CPU threads.

    Several single- or dual-threaded workers decoding different sub-batches keep small CPUs
    busier than one multi-threaded worker: on this project's 2-core machines, 2 x 1 decoded
    sentences about 1.4x faster than 1 x 2 (benchmarks/run.py). The weights are loaded once and
    shared by the workers.

    Documents are few and of unequal lengths (a call often has one, or one long and one short),
    so each document worker gets twice its share of the cores: while fewer documents than
    workers are decoding, the running ones use the idle cores. On a 2-core AMD EPYC, 2 x 2 did
    one document in 1.45 s against 2.44 s on 2 x 1 and 1.67 s on 1 x 2, and two documents in
    about the time of the better of those two (docs/performance.md). Outputs do not depend on
    the arrangement (tests/core/test_batch_invariance.py).
    """
    workers = threads if threads <= 3 else min(4, threads // 2)
    share = max(1, threads // workers)
    if Workload(workload) == Workload.DOCUMENTS:
        return workers, min(threads, 2 * share)
    return workers, share


def mean_log_probability(score: float, tokens: int, length_penalty: float, finished: bool) -> float:
    """CTranslate2's hypothesis score -> mean log-probability per target token.

    CTranslate2 reports ``sum(log p) / length ** length_penalty`` (greedy search too), where
    ``length`` counts the generated tokens and the final ``</s>`` (measured: with
    length_penalty 0 and 1 on the tiny fixture, 20 tokens + ``</s>``), as transformers does.
    """
    length = max(1, tokens + (1 if finished else 0))
    return score * length**length_penalty / length


class CTranslate2Engine(TokenizedEngine):
    name = "ctranslate2"

    def __init__(self, model: ResolvedModel, runtime: Runtime, workload: Workload, quiet: bool):
        import ctranslate2

        preload_for_device(runtime.device)  # CUDA 12 cuBLAS from the [gpu] extra (cuda_libs.py)
        self.runtime = runtime
        self.tokenizer = load_tokenizer(model.path)
        model_dir = convert_model(model, runtime.compute_type, quiet=quiet)
        # Restrict the decoder to target-language pieces when the conversion has that map.
        self.use_vmap = (model_dir / "vmap.txt").is_file()
        self.batch_type, self.sub_batch = SUB_BATCH[Workload(workload)]
        if runtime.device != "cpu":
            self.workers, intra_threads = 1, 0
        else:
            # Parallel workers decoding different sub-batches, for sentences and documents
            # alike: different documents' batches (each document's its own) run at once.
            self.workers, intra_threads = split_threads(runtime.threads, workload)
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir),
                device=runtime.device,
                compute_type=runtime.compute_type,
                inter_threads=self.workers,
                intra_threads=intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 cannot run on {runtime.device} with {runtime.compute_type}: {exc}") from exc
        self.max_input_tokens = model_window(model.path)
        self.parallel_batches = self.workers
        # Measured (core/decoding.py): int8 on CPU gives an input the same tokens and scores
        # in any batch padded to the same length.
        self.batch_invariant = runtime.device == "cpu" and runtime.compute_type == "int8"

    def _submit(self, texts: list[str], settings: GenerationSettings, pad_to: int | None = None) -> list:
        """Queue one batch on the workers; its outputs' futures, each with its length limit."""
        sources = self.tokenizer.tokens(texts)
        if pad_to is None:
            # CTranslate2 cuts the batch into sub-batches for the parallel workers (sorted by
            # length). A fixed size, not one derived from the thread count, keeps results
            # independent of it.
            lengths = [len(tokens) for tokens in sources]
            return self._queue(sources, settings, min(lengths), max(lengths), self.sub_batch)
        # Cut here rather than by CTranslate2, so that every part is padded to ``pad_to``: a
        # part whose inputs are all shorter gets a filler input of exactly that length, whose
        # output is dropped (an input's numbers do not depend on the other rows of its batch).
        submitted: dict[int, tuple] = {}
        for part in self._parts([len(tokens) for tokens in sources], pad_to):
            rows, prefixes = [sources[i] for i in part], None
            if max(map(len, rows)) < pad_to:
                rows.append(filler(max(rows, key=len), pad_to))
                # The filler's output starts with </s>: it is finished at once and costs the
                # decoder nothing (measured: the other rows' tokens and scores do not change).
                prefixes = [None] * len(part) + [[rows[-1][-1]]]
            submitted.update(zip(part, self._queue(rows, settings, pad_to, pad_to, 0, prefixes)))
        return [submitted[i] for i in range(len(sources))]

    def _parts(self, lengths: list[int], pad_to: int) -> list[list[int]]:
        """Input indices in as few parts of at most ``CLASS_PART_TOKENS`` padded tokens as hold
        them, of even sizes (``even_parts``); the inputs of exactly ``pad_to`` tokens spread one
        per part, so that fewer parts need a filler. A filler is not counted: it costs one
        input's encoder pass and finishes at the first step (cutting a batch of 64 inputs into
        63 + 1 to leave room for it cost a whole extra pass, benchmarks/translate_size.py)."""
        size = CLASS_PART_TOKENS // pad_to if self.batch_type == "tokens" else self.sub_batch
        sizes = [len(part) for part in even_parts(lengths, max(1, size))]
        exact = [i for i, n in enumerate(lengths) if n == pad_to][: len(sizes)]
        heads = set(exact)
        rest = iter([i for i in range(len(lengths)) if i not in heads])
        parts = [[head] for head in exact] + [[] for _ in range(len(sizes) - len(exact))]
        for part, count in zip(parts, sizes):
            part += [i for _, i in zip(range(count - len(part)), rest)]
        return parts

    def _queue(
        self,
        sources: list[list[str]],
        settings: GenerationSettings,
        shortest: int,
        longest: int,
        sub_batch: int,
        prefixes: list[list[str] | None] | None = None,
    ):
        limit = settings.max_new_tokens(longest)
        futures = self.translator.translate_batch(
            sources,
            target_prefix=prefixes,
            beam_size=settings.beam_size,
            length_penalty=settings.length_penalty,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            min_decoding_length=settings.min_new_tokens(shortest),
            max_decoding_length=limit,
            max_input_length=0,
            max_batch_size=sub_batch,
            batch_type=self.batch_type,
            use_vmap=self.use_vmap,
            return_scores=True,
            # Batches are queued together: the workers stay busy across small batches.
            asynchronous=True,
        )
        return [(future, limit) for future in futures]

    def _collect(self, submitted: list, settings: GenerationSettings) -> list[Generated]:
        outputs = []
        for future, limit in submitted:
            result = future.result()
            tokens, score = result.hypotheses[0], result.scores[0]
            finished = len(tokens) < limit
            mean = mean_log_probability(score, len(tokens), settings.length_penalty, finished)
            outputs.append(Generated(self.tokenizer.decode_tokens(tokens), round(mean, 6)))
        return outputs

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[Generated]:
        return self._collect(self._submit(texts, settings), settings)

    def generate_batches(
        self, batches: list[list[str]], settings: GenerationSettings, pad_to: list[int] | None = None
    ) -> Iterator[list[Generated]]:
        targets = pad_to if pad_to is not None else [None] * len(batches)
        # A few batches queued ahead keep every worker busy while the next is tokenized; queueing
        # them all held every input's tokens and every output at once (about 2.7 KB per sentence
        # of a 20 MiB article, benchmarks/input_scaling.py).
        pending = iter(zip(batches, targets))
        queued: deque[list] = deque()
        for batch, target in pending:
            queued.append(self._submit(batch, settings, target))
            if len(queued) > QUEUED_BATCHES * self.workers:
                yield self._collect(queued.popleft(), settings)
        while queued:
            yield self._collect(queued.popleft(), settings)


def filler(tokens: list[str], length: int) -> list[str]:
    """An input of exactly ``length`` tokens made of ``tokens`` (kept first and last: the
    special tokens, the last being ``</s>``), its middle repeated; only its length matters,
    its output is dropped."""
    middle = tokens[1:-1] or tokens[:1]
    body = (middle * (length // len(middle) + 1))[: max(0, length - 2)]
    return ([tokens[0], *body, tokens[-1]] if len(tokens) > 1 else tokens * length)[:length]
