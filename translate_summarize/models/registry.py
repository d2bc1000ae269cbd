"""The pinned model table: every named model is a Hub repo at a full 40-hex commit id.

Sources and caveats for each entry are in docs/models.md; the facts were read off the public
model pages and have not been checked against the real weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate_summarize.errors import ModelNotAvailableError


@dataclass(frozen=True)
class ModelSpec:
    name: str
    repo_id: str
    revision: str
    task: str  # "translation" or "summary"
    license: str
    size: str
    files: tuple[str, ...]
    published_scores: str
    description: str
    # ISO 639-1 codes of the languages the model reads (the language guard accepts these).
    source_languages: tuple[str, ...] = ("en",)
    # The download in bytes, as published (``size`` in figures); exact once cached (``tsum models list``).
    published_bytes: int = 0


_MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json")
_BART_FILES = ("config.json", "vocab.json", "merges.txt", "tokenizer_config.json")

MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="opus-mt-da-en",
            repo_id="Helsinki-NLP/opus-mt-da-en",
            revision="062063cf0ee178dee02c229fbadb55af8dd91110",
            task="translation",
            license="apache-2.0",
            size="300 MB",
            published_bytes=300_000_000,
            files=(*_MARIAN_FILES, "pytorch_model.bin"),
            published_scores="Tatoeba da-en BLEU 63.6, chr-F 0.769 (published)",
            description="OPUS-MT Danish->English, transformer-base MarianMT (default)",
            source_languages=("da",),
        ),
        ModelSpec(
            name="opus-mt-tc-big-gmq-en",
            repo_id="Helsinki-NLP/opus-mt-tc-big-gmq-en",
            revision="b243b46fc9e1eaf068ae0d8ae896ac1acd7d2380",
            task="translation",
            license="cc-by-4.0",
            size="~0.9 GB (230M params)",
            published_bytes=900_000_000,
            files=(*_MARIAN_FILES, "model.safetensors"),
            published_scores="flores101 dan-eng BLEU 49.3, tatoeba dan-eng BLEU 65.9 (published)",
            description="OPUS-MT North Germanic->English, transformer-big: better, ~3x slower",
            # "gmq" is North Germanic: Danish, Swedish, Norwegian (Bokmål, Nynorsk, and the
            # macrolanguage code no), Icelandic, Faroese.
            source_languages=("da", "sv", "nb", "nn", "no", "is", "fo"),
        ),
        ModelSpec(
            name="distilbart-cnn-12-6",
            repo_id="sshleifer/distilbart-cnn-12-6",
            revision="383e433c11aa7e021031350ab8d42abe8b2ecbcd",
            task="summary",
            license="apache-2.0",
            size="1.2 GB (306M params)",
            published_bytes=1_200_000_000,
            files=(*_BART_FILES, "pytorch_model.bin"),
            published_scores="CNN/DailyMail ROUGE-2 21.26, ROUGE-L 30.59 (published)",
            description="Distilled BART news summariser, 12/6 layers (default)",
        ),
        ModelSpec(
            name="bart-large-cnn",
            repo_id="facebook/bart-large-cnn",
            revision="ca09a9292395f251a19ab727675a154bdbbf4b48",
            task="summary",
            license="mit",
            size="1.63 GB (406M params)",
            published_bytes=1_630_000_000,
            files=(*_BART_FILES, "model.safetensors"),
            published_scores="CNN/DailyMail ROUGE-1/2/L ~44/21/41 (published, paper)",
            description="BART-large news summariser, 12/12 layers: higher quality, slower",
        ),
    )
}


def get_spec(name: str) -> ModelSpec | None:
    """Look a model up by short name or Hub repo id; ``None`` when it is not registered."""
    if name in MODELS:
        return MODELS[name]
    for spec in MODELS.values():
        if spec.repo_id == name:
            return spec
    return None


def require_spec(name: str) -> ModelSpec:
    """The registered model ``name``.

    Raises:
        ModelNotAvailableError: no such model (exit 3, as for a model folder that does not exist:
            either way the model asked for is not there).
    """
    spec = get_spec(name)
    if spec is None:
        known = ", ".join(MODELS)
        raise ModelNotAvailableError(
            f"unknown model {name!r} (and no folder of that name): use one of {known}, or a local model directory"
        )
    return spec
