"""The language guard's decision follows the chosen translation model's source languages."""

from __future__ import annotations

import pytest

from translate_summarize.models.registry import MODELS, get_spec
from translate_summarize.text.language import is_translated, other_language_message, source_languages

GMQ = "opus-mt-tc-big-gmq-en"


def judged(code: str) -> dict:
    return {"code": code, "confidence": 0.93}


def test_registry_records_what_each_translation_model_reads():
    assert get_spec("opus-mt-da-en").source_languages == ("da",)
    assert set(get_spec(GMQ).source_languages) >= {"da", "sv", "nb", "nn", "is"}
    assert all(spec.source_languages == ("en",) for spec in MODELS.values() if spec.task == "summary")


@pytest.mark.parametrize("model", [GMQ, "Helsinki-NLP/opus-mt-tc-big-gmq-en"])
@pytest.mark.parametrize("code", ["da", "sv", "nb", "nn", "is"])
def test_north_germanic_model_accepts_north_germanic_articles(model, code):
    assert is_translated(judged(code), model)


@pytest.mark.parametrize("model", [None, "opus-mt-da-en", "/models/my-local-marian", "distilbart-cnn-12-6"])
def test_danish_models_and_unknown_folders_accept_only_danish(model):
    assert source_languages(model) == ("da",)
    assert is_translated(judged("da"), model)
    assert not is_translated(judged("sv"), model)
    assert not is_translated(judged("nb"), model)


@pytest.mark.parametrize("model", [None, GMQ])
def test_texts_too_short_to_judge_pass(model):
    assert is_translated(None, model)


def test_english_with_the_north_germanic_model_is_refused_without_suggesting_that_model():
    assert not is_translated(judged("en"), GMQ)
    message = other_language_message("a.txt", judged("en"), GMQ)
    assert message == f"a.txt: looks like English (en, 0.93), which {GMQ} does not translate"
    assert "--translation-model" not in message


def test_default_model_message_is_unchanged():
    assert other_language_message("a.txt", judged("sv"), "opus-mt-da-en") == (
        f"a.txt: looks like Swedish (sv, 0.93), not Danish; --translation-model {GMQ} translates Swedish and Norwegian"
    )
