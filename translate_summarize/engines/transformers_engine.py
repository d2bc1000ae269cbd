"""The reference engine: transformers model classes and ``generate()``."""

from __future__ import annotations

from pathlib import Path

from translate_summarize.core.runtime import Runtime
from translate_summarize.engines.base import Generated, TokenizedEngine
from translate_summarize.engines.gpu import prepare_for_cuda
from translate_summarize.engines.tokenizers import load_tokenizer, model_window
from translate_summarize.errors import ModelLoadError
from translate_summarize.models.vocabulary import suppressed_ids
from translate_summarize.options import GenerationSettings

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


class TransformersEngine(TokenizedEngine):
    """MarianMTModel / BartForConditionalGeneration (any AutoModelForSeq2SeqLM) in PyTorch."""

    name = "transformers"

    def __init__(self, model_dir: Path, runtime: Runtime):
        import torch
        from transformers import AutoModelForSeq2SeqLM
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(runtime.threads)
        self.runtime = runtime
        self.tokenizer = load_tokenizer(model_dir)
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir), dtype=getattr(torch, runtime.compute_type))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load the model in {model_dir}: {exc}") from exc
        self.model = model.to(runtime.device).eval()
        self.model = prepare_for_cuda(self.model, runtime.device)  # CUDA-only settings (engines/gpu.py)
        self.max_input_tokens = model_window(model_dir)
        self._token_ids = {field: getattr(model.generation_config, field, None) for field in _TOKEN_FIELDS}
        self._pad = self._token_ids["pad_token_id"] or 0
        # Decode only target-language pieces, as the CTranslate2 engine does (see vocabulary.py).
        self._suppress = suppressed_ids(Path(model_dir)) or None
        bad_words = [ids[0] for ids in self._token_ids["bad_words_ids"] or [] if len(ids) == 1]
        self._masked = torch.tensor(sorted(set(self._suppress or []) | set(bad_words)), dtype=torch.long)

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
            # Log-probabilities over the tokens the decoder may produce, as CTranslate2 computes
            # them (its vocabulary map and masks apply before the softmax): same search, same scores.
            renormalize_logits=True,
            **(beam if settings.beam_size > 1 else {}),
            **{k: v for k, v in self._token_ids.items() if v is not None},
        )

    def _inputs(self, texts: list[str]):
        import torch

        ids = self.tokenizer.ids(texts)
        longest = max(len(row) for row in ids)
        input_ids = torch.full((len(ids), longest), self._pad, dtype=torch.long)
        mask = torch.zeros((len(ids), longest), dtype=torch.long)
        for row, values in enumerate(ids):  # right padding, as the checkpoints' tokenizers pad
            input_ids[row, : len(values)] = torch.tensor(values)
            mask[row, : len(values)] = 1
        lengths = [len(row) for row in ids]
        return input_ids.to(self.runtime.device), mask.to(self.runtime.device), lengths

    def generate(self, texts: list[str], settings: GenerationSettings) -> list[Generated]:
        import torch

        input_ids, mask, lengths = self._inputs(texts)
        config = self._generation_config(settings, max(lengths), min(lengths))
        with torch.inference_mode():
            sequences = self.model.generate(input_ids=input_ids, attention_mask=mask, generation_config=config)
            eos = self._token_ids["eos_token_id"]
            counts = [_generated_length(row, eos) for row in sequences[:, 1:].tolist()]
            totals = self._log_probabilities(input_ids, mask, sequences, counts)
        return [
            Generated(self.tokenizer.decode_ids(row[:n]), round(total / max(n, 1), 6))
            for row, n, total in zip(sequences[:, 1:].tolist(), counts, totals)
        ]

    def _log_probabilities(self, input_ids, mask, sequences, counts: list[int], rows: int = 8) -> list[float]:
        """Sum of log p of each chosen output's first ``counts`` tokens, one teacher-forced pass.

        Scored over the tokens the decoder may produce (as CTranslate2's vocabulary map does);
        a forced first token (BART's ``<s>``) counts as certain. Rescoring afterwards costs one
        decoder pass, where ``output_scores`` would keep a vocabulary-sized tensor per step and beam.
        """
        import torch

        forced_first = self._token_ids["forced_bos_token_id"] is not None
        totals: list[float] = []
        for start in range(0, len(sequences), rows):
            part = slice(start, start + rows)
            logits = self.model(
                input_ids=input_ids[part], attention_mask=mask[part], decoder_input_ids=sequences[part, :-1]
            ).logits.float()
            logits[..., self._masked.to(logits.device)] = float("-inf")
            chosen = torch.log_softmax(logits, dim=-1).gather(-1, sequences[part, 1:].unsqueeze(-1)).squeeze(-1)
            if forced_first:
                chosen[:, 0] = 0.0
            totals += [float(sum(row[:n])) for row, n in zip(chosen.tolist(), counts[part])]
        return totals


def _generated_length(row: list[int], eos: int | None) -> int:
    """Generated tokens up to and including the first ``</s>`` (all of them if none)."""
    for position, token in enumerate(row):
        if token == eos:
            return position + 1
    return len(row)
