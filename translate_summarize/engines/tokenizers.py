"""The checkpoints' own tokenizers, read straight from their files without transformers.

Both engines tokenize here, so they see the same tokens, and the default path (CTranslate2 on
a CPU) never imports torch or transformers. The maintained libraries the checkpoints were
built with do the work: ``sentencepiece`` for OPUS-MT (``source.spm``/``target.spm`` +
``vocab.json``, as ``MarianTokenizer`` reads them) and ``tokenizers`` for BART's byte-level BPE
(``vocab.json`` + ``merges.txt``, as ``BartTokenizer`` reads them). tests/test_engines.py
checks that the ids equal transformers' tokenizers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from translate_summarize.errors import ModelLoadError

SPIECE_UNDERLINE = "\u2581"
# Lengths at or above this are "no limit" placeholders in tokenizer_config.json.
_NO_LIMIT = 10**8


class Tokenizer(Protocol):
    """Text <-> tokens for one checkpoint; inputs carry the model's special tokens."""

    def tokens(self, texts: list[str]) -> list[list[str]]:
        """Each text as tokens, special tokens included (what CTranslate2 takes)."""
        ...

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Each text as ids, special tokens included (what transformers takes)."""
        ...

    def decode_tokens(self, tokens: list[str]) -> str:
        """Output tokens -> text, special tokens dropped."""
        ...

    def decode_ids(self, ids: list[int]) -> str:
        """Output ids -> text, special tokens dropped."""
        ...


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read {path}: {exc}") from exc


class MarianTokenizer:
    """OPUS-MT: SentencePiece pieces mapped through vocab.json; ``</s>`` appended."""

    def __init__(self, model_dir: Path):
        import sentencepiece

        self.vocab: dict[str, int] = _read_json(model_dir / "vocab.json")
        self.inverse = {i: token for token, i in self.vocab.items()}
        try:
            self.source = sentencepiece.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
        except (OSError, RuntimeError) as exc:
            raise ModelLoadError(f"cannot load {model_dir / 'source.spm'}: {exc}") from exc
        self.eos, self.unk, self.pad = "</s>", "<unk>", "<pad>"
        self.special = {self.eos, self.unk, self.pad}

    def _pieces(self, text: str) -> list[str]:
        # A leading ">>xx<<" target-language code is one token (multilingual OPUS-MT models).
        code = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[: end + 2]], text[end + 2 :]
        pieces = code + self.source.encode(text, out_type=str)
        return [piece if piece in self.vocab else self.unk for piece in pieces] + [self.eos]

    def tokens(self, texts: list[str]) -> list[list[str]]:
        return [self._pieces(text) for text in texts]

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [[self.vocab[piece] for piece in pieces] for pieces in self.tokens(texts)]

    def decode_tokens(self, tokens: list[str]) -> str:
        # Pieces are surface text with U+2581 for spaces: no SentencePiece model needed (the
        # target pieces need not exist in source.spm, and vice versa).
        return "".join(t for t in tokens if t not in self.special).replace(SPIECE_UNDERLINE, " ").strip()

    def decode_ids(self, ids: list[int]) -> str:
        return self.decode_tokens([self.inverse.get(i, self.unk) for i in ids])


_ENCODE_SLICE = 1024


class ByteLevelBPETokenizer:
    """BART / RoBERTa: byte-level BPE, ``<s> ... </s>`` around each input."""

    SPECIAL = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

    def __init__(self, model_dir: Path):
        from tokenizers import Tokenizer as _Tokenizer
        from tokenizers import decoders, pre_tokenizers
        from tokenizers.models import BPE

        try:
            bpe = BPE.from_file(str(model_dir / "vocab.json"), str(model_dir / "merges.txt"))
        except Exception as exc:  # the Rust side raises plain Exception for unreadable files
            raise ModelLoadError(f"cannot load the BPE files in {model_dir}: {exc}") from exc
        self.tokenizer = _Tokenizer(bpe)
        self.tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        self.tokenizer.decoder = decoders.ByteLevel()
        vocab = self.tokenizer.get_vocab()
        self.tokenizer.add_special_tokens([t for t in self.SPECIAL if t in vocab])
        self.bos, self.eos = vocab["<s>"], vocab["</s>"]

    def ids(self, texts: list[str]) -> list[list[int]]:
        # In slices: an Encoding holds tokens, offsets and masks besides the ids (about 2 KB for a
        # short sentence), so encoding 200,000 sentences at once held ~400 MB until the last one.
        ids: list[list[int]] = []
        for start in range(0, len(texts), _ENCODE_SLICE):
            encodings = self.tokenizer.encode_batch(texts[start : start + _ENCODE_SLICE], add_special_tokens=False)
            ids += ([self.bos, *encoding.ids, self.eos] for encoding in encodings)
        return ids

    def tokens(self, texts: list[str]) -> list[list[str]]:
        return [[self.tokenizer.id_to_token(i) for i in ids] for ids in self.ids(texts)]

    def decode_ids(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def decode_tokens(self, tokens: list[str]) -> str:
        return self.decode_ids([self.tokenizer.token_to_id(t) for t in tokens])


def load_tokenizer(model_dir: Path) -> Tokenizer:
    """The tokenizer a checkpoint's files describe (OPUS-MT SentencePiece or byte-level BPE)."""
    model_dir = Path(model_dir)
    if (model_dir / "source.spm").is_file() and (model_dir / "vocab.json").is_file():
        return MarianTokenizer(model_dir)
    if (model_dir / "merges.txt").is_file() and (model_dir / "vocab.json").is_file():
        return ByteLevelBPETokenizer(model_dir)
    raise ModelLoadError(
        f"no tokenizer files in {model_dir}: tsum reads OPUS-MT (source.spm, vocab.json) "
        "and BART (vocab.json, merges.txt) checkpoints"
    )


def model_window(model_dir: Path) -> int:
    """The longest input the model accepts: config.json's positions, tokenizer_config's limit."""
    model_dir = Path(model_dir)
    config = _read_json(model_dir / "config.json")
    limits = [config.get("max_position_embeddings")]
    if (model_dir / "tokenizer_config.json").is_file():
        limits.append(_read_json(model_dir / "tokenizer_config.json").get("model_max_length"))
    limits = [n for n in limits if isinstance(n, int) and 0 < n < _NO_LIMIT]
    return min(limits) if limits else 512
