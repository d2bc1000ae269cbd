"""Which output tokens a Marian decoder may produce: the pieces of its target.spm.

OPUS-MT models share one vocabulary between the source and target SentencePiece models, but
only target-side pieces can be decoded into target-language text (``MarianTokenizer`` decodes
with ``target.spm``). Both engines restrict decoding to them: CTranslate2 through a vocabulary
map (which also makes each decoding step cheaper: the output layer scores only those pieces,
about half of opus-mt-da-en's 58,930 entries judging by target.spm's published size), transformers by suppressing the other tokens, so that the
two engines search the same space.
"""

from __future__ import annotations

import json
from pathlib import Path


def target_only_vocabulary(model_dir: Path) -> list[str] | None:
    """The vocab.json tokens the decoder may produce, in id order; None if not restricted.

    ``</s>`` and ``<unk>`` are always allowed. Models without separate source and target
    SentencePiece files (BART, single-vocabulary Marian models) are not restricted.
    """
    target, vocab_file = model_dir / "target.spm", model_dir / "vocab.json"
    if not (target.is_file() and (model_dir / "source.spm").is_file() and vocab_file.is_file()):
        return None
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(target))
    vocab = json.loads(vocab_file.read_text(encoding="utf-8"))
    pieces = {processor.id_to_piece(i) for i in range(processor.get_piece_size())} | {"</s>", "<unk>"}
    allowed = sorted((p for p in pieces if p in vocab), key=vocab.get)
    if len(allowed) >= len(vocab) - 1:  # everything but <pad>: nothing to restrict
        return None
    return allowed


def suppressed_ids(model_dir: Path) -> list[int]:
    """vocab.json ids outside the target vocabulary (empty when not restricted)."""
    allowed = target_only_vocabulary(model_dir)
    if allowed is None:
        return []
    vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
    keep = set(allowed) | {"<pad>"}  # <pad> is already a bad word of the checkpoint
    return sorted(i for token, i in vocab.items() if token not in keep)
