"""The reference engine: transformers model classes and ``generate()``."""

from __future__ import annotations

from pathlib import Path

from translate_summarize.engines.gpu import prepare_for_cuda
from translate_summarize.errors import EngineError, ModelLoadError
from translate_summarize.models.vocabulary import suppressed_ids
from translate_summarize.options import GenerationSettings

_DTYPES = {"float32": "float32", "float16": "float16", "bfloat16": "bfloat16"}
# Token ids are facts about the checkpoint, not decoding choices: they are taken from it.
_TOKEN_FIELDS = (
    "decoder_start_token_id",
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
    "bad_words_ids",
)


def load_tokenizer(model_dir: Path):
    """The checkpoint's own tokenizer (MarianTokenizer for OPUS-MT, BART's BPE tokenizer)."""
    import warnings

    from transformers import AutoTokenizer

    try:
        with warnings.catch_warnings():
            # MarianTokenizer recommends sacremoses, which OPUS-MT inference does not need.
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            return AutoTokenizer.from_pretrained(str(model_dir))
    except (OSError, ValueError, TypeError) as exc:
        raise ModelLoadError(f"cannot load the tokenizer in {model_dir}: {exc}") from exc


def model_window(tokenizer, config_max_positions: int | None) -> int:
    limits = [n for n in (config_max_positions, getattr(tokenizer, "model_max_length", None)) if n]
    return min(n for n in limits if n < 10**8) if limits else 512


def quiet_long_inputs(tokenizer) -> None:
    """tsum counts tokens of whole texts before splitting them to fit the window; stop the
    tokenizer warning that such a text is longer than the model accepts."""
    tokenizer.model_max_length = 10**9


class TransformersEngine:
    """MarianMTModel / BartForConditionalGeneration (any AutoModelForSeq2SeqLM) in PyTorch."""

    name = "transformers"

    def __init__(self, model_dir: Path, device: str = "cpu", compute_type: str = "float32", threads: int = 0):
        import torch
        from transformers import AutoModelForSeq2SeqLM
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        if compute_type not in _DTYPES:
            raise EngineError(
                f"compute type {compute_type} is not available with --engine transformers: "
                f"use one of {', '.join(_DTYPES)}, or --engine ctranslate2 for int8"
            )
        if threads:
            torch.set_num_threads(threads)
        self.device = device
        self.compute_type = compute_type
        self.tokenizer = load_tokenizer(model_dir)
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir), dtype=getattr(torch, _DTYPES[compute_type]))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load the model in {model_dir}: {exc}") from exc
        self.model = model.to(device).eval()
        self.model = prepare_for_cuda(self.model, device)  # raygpu: CUDA-only settings (engines/gpu.py)
        self.max_input_tokens = model_window(self.tokenizer, getattr(model.config, "max_position_embeddings", None))
        quiet_long_inputs(self.tokenizer)
        self._token_ids = {field: getattr(model.generation_config, field, None) for field in _TOKEN_FIELDS}
        # Decode only target-language pieces, as the CTranslate2 engine does (see vocabulary.py).
        self._suppress = suppressed_ids(Path(model_dir)) or None

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]]

    def _generation_config(self, settings: GenerationSettings, longest: int, shortest: int):
        from transformers import GenerationConfig

        beam = {"length_penalty": settings.length_penalty, "early_stopping": True}
        return GenerationConfig(
            num_beams=settings.beam_size,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            min_new_tokens=settings.min_new_tokens(shortest) or None,
            max_new_tokens=settings.max_new_tokens(longest),
            do_sample=False,
            num_return_sequences=1,
            suppress_tokens=self._suppress,
            **(beam if settings.beam_size > 1 else {}),
            **{k: v for k, v in self._token_ids.items() if v is not None},
        )

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[str]:
        import torch

        batch = self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)
        lengths = batch["attention_mask"].sum(dim=1)
        config = self._generation_config(settings, int(lengths.max()), int(lengths.min()))
        with torch.inference_mode():
            output = self.model.generate(**batch, generation_config=config)
        return [text.strip() for text in self.tokenizer.batch_decode(output, skip_special_tokens=True)]

    def describe(self) -> dict:
        return {"engine": self.name, "device": self.device, "compute_type": self.compute_type}
