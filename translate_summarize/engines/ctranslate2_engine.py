"""The fast engine: CTranslate2 (int8 on CPU by default).

CTranslate2 runs converted Marian and BART models several times faster than PyTorch on a CPU
(quantized matrix products, cache-friendly beam search). It does not read the checkpoint's
generation config, so every decoding setting is passed explicitly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from translate_summarize.engines.cuda_libs import preload_for_device
from translate_summarize.engines.transformers_engine import load_tokenizer, model_window, quiet_long_inputs
from translate_summarize.errors import EngineError
from translate_summarize.models.convert import convert_model
from translate_summarize.models.resolve import ResolvedModel
from translate_summarize.options import GenerationSettings

# Examples per CTranslate2 sub-batch. Sentences: 16 decoded fastest on 2 cores with beam 4.
# Documents (summariser inputs of up to 1,024 tokens): 2, which bounds the cross-attention
# cache of beam search (about 50 MB per beam and 1,000 input tokens at distilbart's size).
SUB_BATCH_SIZE = {"sentences": 16, "documents": 2}


def split_threads(threads: int) -> tuple[int, int]:
    """(parallel batches, threads per batch) for ``threads`` CPU threads (0: all cores).

    Several single- or dual-threaded workers decoding different sub-batches keep small CPUs
    busier than one multi-threaded worker: on this project's 2-core machine, 2 x 1 decoded
    about 1.4x faster than 1 x 2 (benchmarks/run.py).
    """
    threads = threads or os.cpu_count() or 1
    workers = threads if threads <= 3 else min(4, threads // 2)
    return workers, max(1, threads // workers)


class CTranslate2Engine:
    name = "ctranslate2"

    def __init__(
        self,
        model: ResolvedModel,
        device: str = "cpu",
        compute_type: str = "int8",
        threads: int = 0,
        quiet: bool = False,
        workload: str = "sentences",
    ):
        import ctranslate2

        if device not in ("cpu", "cuda"):
            raise EngineError(f"CTranslate2 runs on cpu or cuda, not {device}: pass --engine transformers")
        preload_for_device(device)  # raygpu: CUDA 12 cuBLAS from the [gpu] extra (cuda_libs.py)
        self.device = device
        self.compute_type = compute_type
        self.tokenizer = load_tokenizer(model.path)
        model_dir = convert_model(model, compute_type, quiet=quiet)
        # Restrict the decoder to target-language pieces when the conversion has that map.
        self.use_vmap = (model_dir / "vmap.txt").is_file()
        self.sub_batch = SUB_BATCH_SIZE[workload]
        if device != "cpu":
            self.workers, intra_threads = 1, 0
        elif workload == "documents":  # few long inputs: all cores on each
            self.workers, intra_threads = 1, threads or os.cpu_count() or 1
        else:  # many short inputs: parallel sub-batches
            self.workers, intra_threads = split_threads(threads)
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir),
                device=device,
                compute_type=compute_type,
                inter_threads=self.workers,
                intra_threads=intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 cannot run on {device} with {compute_type}: {exc}") from exc
        config = json.loads((Path(model.path) / "config.json").read_text())
        self.max_input_tokens = model_window(self.tokenizer, config.get("max_position_embeddings"))
        quiet_long_inputs(self.tokenizer)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]]

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[str]:
        # CTranslate2 takes tokens, not ids; the HF tokenizer adds the special tokens.
        sources = [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(texts)["input_ids"]]
        lengths = [len(tokens) for tokens in sources]
        results = self.translator.translate_batch(
            sources,
            beam_size=settings.beam_size,
            length_penalty=settings.length_penalty,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            min_decoding_length=settings.min_new_tokens(min(lengths)),
            max_decoding_length=settings.max_new_tokens(max(lengths)),
            max_input_length=0,
            # Sub-batches for the parallel workers (CTranslate2 sorts them by length). A fixed
            # size, not one derived from the thread count, keeps results independent of it.
            max_batch_size=self.sub_batch,
            use_vmap=self.use_vmap,
        )
        outputs = []
        for result in results:
            ids = self.tokenizer.convert_tokens_to_ids(result.hypotheses[0])
            outputs.append(self.tokenizer.decode(ids, skip_special_tokens=True).strip())
        return outputs

    def describe(self) -> dict:
        return {"engine": self.name, "device": self.device, "compute_type": self.compute_type}
