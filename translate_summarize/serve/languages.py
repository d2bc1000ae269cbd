"""Languages the server offers, and language detection for the LibreTranslate ``/detect`` call."""

from __future__ import annotations

import re

from translate_summarize.options import SUPPORTED_LANGUAGES
from translate_summarize.text.language import LANGUAGE_NAMES, source_languages

__all__ = ["detect", "languages", "source_languages"]


# Fallback detector: function words that are frequent in one language and rare in the other.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = {
    "da": _words(
        "og i at det er en til på som de med han af for ikke der var jeg et har om vi men den "
        "sig fra blev skal kan efter også være når hun over mod dag ved eller så hvor havde"
    ),
    "en": _words(
        "the and of to in is that for it was on with he as be at by this had not are but from "
        "or have an they which one you were her all she there would their we him been has when"
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


def languages(translation_model: str | None = None) -> list[dict]:
    """LibreTranslate's ``/languages`` shape: code, name and the codes each one translates into.

    The source languages are those of ``translation_model`` (its registry entry), as the
    language guard takes them, so a model that reads Swedish offers Swedish.
    """
    sources = source_languages(translation_model)
    codes = sorted({*sources, *SUPPORTED_LANGUAGES})
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "targets": list(SUPPORTED_LANGUAGES) if code in sources else [],
        }
        for code in codes
    ]


def detect(text: str) -> list[dict]:
    """Candidate languages, best first, as ``[{"language": "da", "confidence": 0-100}]``.

    LibreTranslate reports confidence as a percentage; so does this. The language guard's
    detector (lingua, text/language.py) judges; texts too short for it to judge get a count of
    Danish and English function words instead.
    """
    from translate_summarize.text.language import detect_language

    judged = detect_language(text)
    if judged is None:
        return _stopword_detect(text)
    return [{"language": judged["code"], "confidence": round(100 * judged["confidence"], 1)}]


def _stopword_detect(text: str) -> list[dict]:
    """Danish or English by the share of each language's function words (for short texts)."""
    words = [w.lower() for w in _WORD.findall(text)]
    hits = {code: sum(w in stop for w in words) for code, stop in _STOPWORDS.items()}
    # Letters only Danish uses tip short texts that have no function words.
    hits["da"] += 2 * sum(ch in "æøåÆØÅ" for ch in text)
    total = sum(hits.values())
    if total == 0:
        return [{"language": "en", "confidence": 0.0}]
    ranked = sorted(hits, key=hits.get, reverse=True)
    return [{"language": code, "confidence": round(100.0 * hits[code] / total, 1)} for code in ranked if hits[code]]
