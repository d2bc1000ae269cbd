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
# What a translation model the registry does not know (a local folder) is taken to read.
DEFAULT_SOURCE_LANGUAGES = ("da",)
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


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _verdict(sample: str) -> dict | None:
    """One passage's language: see :func:`detect_language`."""
    unquoted = _QUOTED.sub(" ", sample)
    if _letters(unquoted) >= MIN_LETTERS:
        sample = unquoted
    quick = _judge(sample, low_accuracy=True)
    if quick is None or quick["code"] == "da":
        return quick
    verdict = _judge(sample, low_accuracy=False)
    if verdict is None or verdict["code"] == "da":
        return verdict
    nameless = _CAPITALISED.sub(" ", sample)
    if _letters(nameless) < MIN_NAMELESS_LETTERS:
        return None  # names and little else: too little to judge
    again = _judge(nameless, low_accuracy=False)
    return again if again is not None and again["code"] == "da" else verdict


def _passages(sample: str) -> list[str]:
    """Consecutive lines (sentences) gathered into passages of at least ``MIN_LETTERS`` letters."""
    passages: list[str] = []
    for line in sample.split("\n"):
        if not line.strip():
            continue
        if passages and _letters(passages[-1]) < MIN_LETTERS:
            passages[-1] = f"{passages[-1]} {line}"
        else:
            passages.append(line)
    if len(passages) > 1 and _letters(passages[-1]) < MIN_LETTERS:
        passages[-2:] = [" ".join(passages[-2:])]
    return passages


def _majority(passages: list[str], judge) -> tuple[str | None, dict[str, int], dict[str, float]]:
    """The language of most letters among ``passages`` (a tie goes to Danish)."""
    letters: dict[str, int] = {}
    weighted: dict[str, float] = {}
    for passage in passages:
        verdict = judge(passage)
        if verdict is not None:
            count = _letters(passage)
            letters[verdict["code"]] = letters.get(verdict["code"], 0) + count
            weighted[verdict["code"]] = weighted.get(verdict["code"], 0.0) + count * verdict["confidence"]
    best = max(letters, key=lambda code: (letters[code], code == "da")) if letters else None
    return best, letters, weighted


def detect_language(text: str) -> dict | None:
    """``{"code": "sv", "confidence": 0.93}`` for ``text``; None when it is too short to judge.

    ``text`` is the article's sentences, one a line. Danish wins unless another language
    beats it clearly (Danish scores under ``DANISH_FLOOR``). Quoted speech is left out when
    enough text remains without it (a Danish article quoting an English source is Danish), and
    a non-Danish verdict is checked again without capitalised words (names: "... tabte til
    Liverpool FC på Old Trafford" is Danish; a text of names and little else is not judged).

    A text judged Danish as a whole is also judged sentence by sentence when it has several:
    lingua calls a Swedish article with one Danish sentence Danish (æ and ø rule Swedish out),
    so when most letters are in sentences of another language, that language wins, with
    lingua's confidence weighted by its share of the letters.

    lingua's low-accuracy mode (trigrams: ~0.4 s and ~35 MB to load) judges first; only a text
    it finds non-Danish is judged again in high-accuracy mode (~7 s and ~350 MB to load, once
    per process), which called no single DDT dev sentence of 40+ letters non-Danish where
    low-accuracy mode called 12 of 423 so.
    """
    sample = text[:_SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return None
    whole = _verdict(" ".join(sample.split("\n")))
    passages = _passages(sample)
    if whole is None or whole["code"] != "da" or len(passages) < 2:
        return whole
    # Sentence by sentence, quickly first: a Danish article stops here.
    best, _, _ = _majority(passages, lambda passage: _judge(_QUOTED.sub(" ", passage), low_accuracy=True))
    if best in (None, "da"):
        return whole
    best, letters, weighted = _majority(passages, _verdict)
    if best in (None, "da"):
        return whole
    return {"code": best, "confidence": round(weighted[best] / sum(letters.values()), 2)}


def source_languages(translation_model: str | None = None) -> tuple[str, ...]:
    """The languages ``translation_model`` translates: its registry entry's, else Danish only.

    A local model folder carries no such record, so it is taken to be a Danish model.
    """
    from translate_summarize.models.registry import get_spec

    spec = get_spec(str(translation_model)) if translation_model else None
    if spec is None or spec.task != "translation":
        return DEFAULT_SOURCE_LANGUAGES
    return spec.source_languages


def other_language_message(name: str, language: dict, translation_model: str | None = None) -> str:
    """``<name>: looks like Swedish (sv, 0.93), not Danish`` and what to do about it.

    With a translation model that reads more than Danish, the message names what it reads.
    """
    code = language["code"]
    looks = f"{name}: looks like {LANGUAGE_NAMES.get(code, code)} ({code}, {language['confidence']:.2f})"
    languages = source_languages(translation_model)
    if languages != DEFAULT_SOURCE_LANGUAGES:
        return f"{looks}, which {translation_model} does not translate"
    message = f"{looks}, not Danish"
    if code in _SCANDINAVIAN:
        message += f"; --translation-model {SCANDINAVIAN_MODEL} translates Swedish and Norwegian"
    return message


def is_translated(language: dict | None, translation_model: str | None = None) -> bool:
    """The guard's decision: True when ``translation_model`` translates the article's language.

    Texts too short to judge (``language`` None) pass. A model the registry does not know (a
    local folder) is taken to translate Danish only, as the default model does.
    """
    return language is None or language["code"] in source_languages(translation_model)
