"""The language guard: Danish told apart from its neighbours and from quoted English."""

from __future__ import annotations

import json

import pytest
from support.cli import tsum

from translate_summarize.text.language import detect_language

# -- language guard -------------------------------------------------------------------------------

SAMPLES = {
    "sv": "Regeringen vill höja skatten på tobak och alkohol redan nästa år. Det meddelade finansministern "
    "vid en presskonferens i Stockholm på måndagen.",
    "nb": "Regjeringen vil øke avgiften på tobakk allerede neste år. Det opplyste finansministeren på en "
    "pressekonferanse i Oslo mandag. Opposisjonen mener forslaget rammer folk med lav inntekt hardt.",
    "nn": "Regjeringa vil auke avgifta på tobakk allereie neste år. Det opplyste finansministeren på ein "
    "pressekonferanse i Oslo måndag. Opposisjonen meiner at forslaget rammar folk med låg inntekt hardt.",
    "en": "The government wants to raise the tax on tobacco as early as next year. The finance minister "
    "announced this at a press conference in London on Monday.",
    "de": "Die Regierung will die Tabaksteuer bereits im nächsten Jahr erhöhen. Das teilte der Finanzminister "
    "am Montag auf einer Pressekonferenz in Berlin mit.",
}
DANISH_QUOTING_ENGLISH = (
    'Apple-chef Tim Cook siger til The New York Times: "We are very excited about the future of artificial '
    'intelligence and what it means for our customers." Han mødtes med Joe Biden i Det Hvide Hus.'
)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_neighbouring_languages_are_told_apart(code):
    assert detect_language(SAMPLES[code])["code"] == code


@pytest.mark.parametrize(
    "text",
    [
        DANISH_QUOTING_ENGLISH,
        "Statsministeren talte i FN. “The world must act now on climate change, and Denmark will lead the way,” "
        "sagde hun. Talen blev modtaget med klapsalver.",
        "»I think this is a turning point for Europe and for all of us,« said Ursula von der Leyen, "
        "ifølge Ritzau. Hun talte i Bruxelles tirsdag.",
    ],
    ids=["straight-quotes", "curly-quotes", "guillemets"],
)
def test_danish_article_quoting_english_is_danish(text):
    # the English quotation outweighed the Danish sentence around it: "looks like English"
    assert detect_language(text)["code"] == "da"


@pytest.mark.parametrize(
    "text",
    [
        "Manchester United tabte til Liverpool FC på Old Trafford, og manager Erik ten Hag er under pres.",
        "Tottenham Hotspur Football Club har købt den danske landsholdsspiller fra Brentford FC.",
        "Real Madrid slog FC Barcelona 3-1 på Santiago Bernabéu lørdag aften.",
    ],
)
def test_danish_sentence_full_of_english_names_is_never_foreign(text):
    # "Manchester United tabte ..." was "Norwegian Bokmål (nb, 0.59)"
    assert detect_language(text) is None or detect_language(text)["code"] == "da"


DA_LINES = [
    "Regeringen vil hæve skatten på tobak fra nytår.",
    "Det oplyser skatteministeren i en pressemeddelelse mandag.",
    "Oppositionen er kritisk og kalder forslaget usocialt.",
]
SV_LINES = [
    "Regeringen vill höja skatten på tobak och alkohol redan nästa år.",
    "Det meddelade finansministern vid en presskonferens i Stockholm på måndagen.",
    "Oppositionen är kritisk och menar att förslaget slår hårt mot låginkomsttagare.",
    "Beslutet ska fattas av riksdagen i höst.",
]
EN_LINES = [
    "The minister said that the decision was final and that the government would not change its mind.",
    "We will stand by our decision no matter what the opposition says about it.",
]


def test_mostly_swedish_article_with_a_danish_sentence_is_swedish():
    # lingua on the whole text said Danish (1.00): æ and ø rule Swedish out
    verdict = detect_language("\n".join(SV_LINES[:2] * 3 + DA_LINES))
    assert verdict["code"] == "sv" and verdict["confidence"] > 0.5


def test_mostly_danish_article_with_an_english_passage_is_danish():
    assert detect_language("\n".join(DA_LINES * 2 + EN_LINES))["code"] == "da"
    assert detect_language("\n".join(DA_LINES + SV_LINES[:1]))["code"] == "da"


def test_cli_danish_article_quoting_english_does_not_warn(model_args, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(DANISH_QUOTING_ENGLISH + "\n", encoding="utf-8")
    result = tsum(str(path), *model_args, "--no-summary", "--format", "json", "--other-language", "fail")
    assert result.exit_code == 0 and "Warning" not in result.output
    assert json.loads(result.stdout)["source_language"]["code"] == "da"
