"""The transformers engine's settings on a CUDA GPU (none of this runs on a CPU).

What is done, and why (README "GPU"; issue 15):
- Attention through PyTorch's scaled_dot_product_attention ("sdpa", fused kernels), asked for
  explicitly rather than left to the library's default.
- The output projection padded to a multiple of 64 vocabulary entries. opus-mt-da-en has 58,930
  target pieces, so each row of its half-precision logits is 117,860 bytes, not a multiple of 16:
  cuBLAS cannot use its aligned tensor-core kernels for that product and falls back to slow
  ones, a likely cause of float16/bfloat16 greedy decoding measured slower than float32 on an
  H100 (float32 kernels have no such requirement). The added entries get the lowest logit bias
  the dtype holds, so they are never chosen and outputs are unchanged (tested on the CPU);
  benchmarks/gpu.py times both shapes to confirm or refute the cause on a GPU.
"""

from __future__ import annotations

VOCAB_MULTIPLE = 64


def prepare_for_cuda(model, device: str):
    """Return ``model`` set up for fast decoding on ``device`` (unchanged unless CUDA)."""
    if device != "cuda":
        return model
    if getattr(model, "_supports_sdpa", False) and hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("sdpa")
    return pad_vocabulary(model, VOCAB_MULTIPLE)


def pad_vocabulary(model, multiple: int = VOCAB_MULTIPLE):
    """Pad the output projection (lm_head + final_logits_bias) to ``multiple`` entries.

    Only for models with a ``final_logits_bias`` (Marian, BART), which gives the padding a
    logit that can never win. Returns the model; the input embeddings are left as they are.
    """
    import torch

    head = model.get_output_embeddings()
    bias = getattr(model, "final_logits_bias", None)
    if head is None or bias is None or head.bias is not None:
        return model
    vocab, hidden = head.weight.shape
    padded = -(-vocab // multiple) * multiple
    if padded == vocab:
        return model
    weight = head.weight
    with torch.no_grad():
        projection = torch.nn.Linear(hidden, padded, bias=False, device=weight.device, dtype=weight.dtype)
        projection.weight.zero_()
        projection.weight[:vocab] = weight
        never = torch.full((1, padded), torch.finfo(bias.dtype).min, device=bias.device, dtype=bias.dtype)
        never[:, :vocab] = bias
    model.lm_head = projection  # no longer tied to the input embeddings, which keep their size
    model.final_logits_bias = never
    return model
