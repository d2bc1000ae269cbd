"""The transformers engine's settings on a CUDA GPU (none of this runs on a CPU).

What is done, and why (docs/gpu.md; an earlier benchmark measured float16/bfloat16 greedy decoding about
8x slower than float32 on an H100, with transformers 5 and torch 2.11; not yet re-measured):
- Attention through PyTorch's scaled_dot_product_attention ("sdpa"), asked for explicitly, with
  its cuDNN backend switched off (process-wide, once a model is placed on a GPU). transformers
  passes sdpa an explicit padding mask; torch 2.11 was reported to send such half-precision
  calls to cuDNN first on B200s, where cuDNN built a new execution plan for every new shape at
  ~0.4 s each (modelscope/FunASR#3704), and incremental decoding makes a new key length at every
  step. float32 never goes to cuDNN, which fits the symptom; whether H100s take that path too is
  what the benchmark shows. The flash and memory-efficient kernels remain. (cuDNN attention also
  corrupted greedy generation on B200s: pytorch/pytorch#193893.)
- The output projection padded to a multiple of 64 vocabulary entries. opus-mt-da-en has 58,930
  target pieces, so each row of its half-precision logits is 117,860 bytes, not a multiple of 16,
  which keeps cuBLAS off its aligned tensor-core kernels for the largest product of every step.
  The added entries get the lowest logit bias the dtype holds, so they are never chosen and
  outputs are unchanged (tested on the CPU).
benchmarks/gpu.py times each setting against its absence, so one GPU run confirms or refutes both.
"""

from __future__ import annotations

VOCAB_MULTIPLE = 64
CUDNN_ATTENTION = False


def prepare_for_cuda(model, device: str):
    """Return ``model`` set up for fast decoding on ``device`` (unchanged unless CUDA)."""
    if device != "cuda":
        return model
    import torch

    if getattr(model, "_supports_sdpa", False) and hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("sdpa")
    torch.backends.cuda.enable_cudnn_sdp(CUDNN_ATTENTION)
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
