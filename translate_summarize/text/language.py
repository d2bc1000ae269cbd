"""The language guard: is this article Danish?

Detection uses lingua-language-detector (maintained, accurate on short texts, no network),
restricted to the languages a Danish news archive plausibly holds, which also keeps it fast
and avoids confusing Danish with far-off languages. lingua is imported on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ISO 639-1 code -> English name, for the languages the guard tells apart.
LANGUAGE_NAMES = {
    "da": "Danish",
    "sv": "Swedish",
    "nb": "Norwegian Bokmål",
    "nn": "Norwegian Nynorsk",
    "en": "English",
    "de": "German",
    "nl": "Dutch",
    "fr": "French",
    "es": "Spanish",
    "pl": "Polish",
    "fi": "Finnish",
    "is": "Icelandic",
}
# The registered model that translates Swedish and Norwegian (and Danish) into English.
SCANDINAVIAN_MODEL = "opus-mt-tc-big-gmq-en"
_SCANDINAVIAN = ("sv", "nb", "nn")
# Fewer letters than this (a headline, a byline) are not judged: detection is a guess there.
MIN_LETTERS = 40
# Danish, Bokmål and Nynorsk share most of their words; the guard calls an article non-Danish
# only when Danish itself scores below this (Danish news scores 0.9-1.0, Norwegian ~0.03).
DANISH_FLOOR = 0.2
_SAMPLE_CHARS = 3000
# Quoted speech: Danish articles quote English (or Swedish) sources word for word; the guard
# judges the article's own words, the text outside quotation marks, when there are enough.
# Capitalised words: mostly names (Danish nouns are lower case), which are no evidence of the
# article's language ("Manchester United tabte til Liverpool FC på Old Trafford" is Danish).
_CAPITALISED = re.compile(r"(?<!\w)[A-ZÆØÅÄÖÜ][\w'’-]*")
# A non-Danish verdict is checked on the text without them when this many letters remain.
MIN_NAMELESS_LETTERS = 20
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|„[^“”\n]*[“”]|»[^«\n]*«|«[^»\n]*»')


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGE_NAMES]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _judge(sample: str, low_accuracy: bool) -> dict | None:
    values = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in _detector(low_accuracy).compute_language_confidence_values(sample)
    }
    if not values:
        return None
    best = max(values, key=values.get)
    if best != "da" and values.get("da", 0.0) >= DANISH_FLOOR:
        best = "da"
    return {"code": best, "confidence": round(values[best], 2)}


def detect_language(text: str) -> dict | None:
    """``{"code": "sv", "confidence": 0.93}`` for ``text``; None when it is too short to judge.

    Danish wins unless another language beats it clearly (Danish scores under
    ``DANISH_FLOOR``). Quoted speech is left out when enough text remains without it (a
    Danish article quoting an English source is Danish), and a non-Danish verdict is checked
    again without capitalised words (names: "... tabte til Liverpool FC på Old Trafford" is
    Danish; a text of names and little else is not judged). lingua's low-accuracy mode (trigrams: ~0.4 s and ~35 MB to load) judges
    first; only a text it finds non-Danish is judged again in high-accuracy mode (~7 s and
    ~350 MB to load, once per process), which called no single DDT dev sentence of 40+
    letters non-Danish where low-accuracy mode called 12 of 423 so.
    """
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    unquoted = _QUOTED.sub(" ", sample)
    if sum(ch.isalpha() for ch in unquoted) >= MIN_LETTERS:
        sample = unquoted
    quick = _judge(sample, low_accuracy=True)
    if quick is None or quick["code"] == "da":
        return quick
    verdict = _judge(sample, low_accuracy=False)
    if verdict is None or verdict["code"] == "da":
        return verdict
    nameless = _CAPITALISED.sub(" ", sample)
    if sum(ch.isalpha() for ch in nameless) < MIN_NAMELESS_LETTERS:
        return None  # names and little else: too little to judge
    again = _judge(nameless, low_accuracy=False)
    return again if again is not None and again["code"] == "da" else verdict


def other_language_message(name: str, language: dict) -> str:
    """``<name>: looks like Swedish (sv, 0.93), not Danish`` and what to do about it."""
    code = language["code"]
    message = f"{name}: looks like {LANGUAGE_NAMES.get(code, code)} ({code}, {language['confidence']:.2f}), not Danish"
    if code in _SCANDINAVIAN:
        message += f"; --translation-model {SCANDINAVIAN_MODEL} translates Swedish and Norwegian"
    return message


def is_danish(language: dict | None) -> bool:
    """True for Danish and for texts too short to judge."""
    return language is None or language["code"] == "da"
