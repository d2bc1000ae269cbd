"""Which capitalised Danish words inside a name are common words, not names.

Danish capitalises the ordinary words of institution, title and place names (``Den Danske
Bank``, ``Det Røde Hav``, ``Folketinget``, ``Lyngby Stadion``), and the UD Danish treebank tags
those words NOUN or ADJ, keeping PROPN for the proper part (``Lyngby``). Translations translate
such words ("the Red Sea", "Parliament", "Lyngby Stadium"), so taking them as names would flag
correct translations. The rules here are by word form and by general classes of word (adjective
endings, the definite article suffix, nouns that head institution and place names); none lists
a particular text's words. Danish only: the English summary check does not use them.
"""

from __future__ import annotations

import re

# Adjective endings (-isk/-ske: socialistisk, jyske; -lig/-ig: kongelige, mellemfolkeligt;
# -tiv: konservative). Given names do not end so (Ludvig ends in -ig: the bare -ig is left out);
# the bare -sk is left out too, for Minsk, Gdańsk and Donetsk, and the adjectives of nations and
# regions that end so are listed instead.
_ADJECTIVE = re.compile(r"(?:isk|iske|ske|lig|lige|ligt|ige|igt|tiv|tive)$")
# fmt: off
NATIONALITY_ADJECTIVES = frozenset([
    "dansk", "norsk", "svensk", "tysk", "fransk", "engelsk", "finsk", "islandsk", "færøsk", "grønlandsk",
    "hollandsk", "polsk", "spansk", "græsk", "skotsk", "irsk", "flamsk", "jysk", "fynsk", "sjællandsk",
    "bornholmsk", "københavnsk", "skånsk", "slesvigsk", "holstensk",
])
# fmt: on
# Ordinals open names of events and institutions (Anden Verdenskrig, Første Division).
ORDINALS = frozenset(
    ["første", "anden", "andet", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende", "niende", "tiende"]
)
# The definite suffix of a common noun (Parken, Folketinget, Korstogene, OBeren): a one-word
# name so written is a common noun standing for an institution or place. Not: surnames in
# -sen/-son (Jensen), given names (the first-name table).
_DEFINITE = re.compile(r"(?:en|et|ene|erne)$")
# Country names end so too (Indien, Tjekkoslovakiet): such a word is a common noun only when the
# exonym table files it under institutions (Socialdemokratiet, Justitsministeriet).
_COUNTRY_LIKE = re.compile(r"i(?:en|et)s?$")
_NOT_DEFINITE = re.compile(r"(?:s[eo]n|ssen)$")
# Nouns that head an institution's or a place's name after its proper part (Aarhus Universitet,
# Lyngby Stadion, Odense Politi, Nordisk Råd, Islands Brygge, Brøndby IF): the last word of a
# name ending in one of these (as the whole word or its compound tail) is a common noun. Not
# "havn" (København, Frederikshavn are names).
# fmt: off
HEAD_NOUNS = (
    "universitet", "seminarium", "gymnasium", "skole", "akademi", "institut", "museum", "bibliotek",
    "teater", "opera", "kirke", "domkirke", "kloster", "slot", "hospital", "sygehus", "klinik",
    "stadion", "arena", "station", "lufthavn", "brygge", "politi", "kommune", "amt", "råd",
    "udvalg", "ministerium", "styrelse", "direktorat", "forening", "forbund", "selskab", "samvirke",
    "fond", "bank", "sparekasse", "tidende", "klub", "parti", "union", "krig", "hav", "ocean", "fjord",
)
# fmt: on
_HEAD_NOUN = re.compile("(?:" + "|".join(HEAD_NOUNS) + r")(?:s|'s|’s)?$")
# Danish sports clubs' abbreviations after a town's name (Brøndby IF, Vejle BK): idrætsforening,
# boldklub, the common nouns above.
_CLUB_ABBREVIATIONS = frozenset({"IF", "BK", "IK", "GF", "FF", "BOLDKLUB"})
_ROMAN = re.compile(r"^(?=[IVXLC]{2,}$)(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def adjective(word: str) -> bool:
    """``Danske``, ``Konservative``, ``Mellemfolkeligt``, ``Dansk``, ``Anden``: an adjective or
    ordinal (names that end so, Minsk, are not)."""
    lower = word.lower()
    if lower in ORDINALS or lower in NATIONALITY_ADJECTIVES:
        return True
    return len(word) > 3 and _ADJECTIVE.search(lower) is not None


def definite_noun(word: str) -> bool:
    """``Parken``, ``Folketinget``, ``Korstogene``: a word with the definite article suffix."""
    lower = word.lower()
    return len(word) > 4 and _DEFINITE.search(lower) is not None and _NOT_DEFINITE.search(lower) is None


def country_like(word: str) -> bool:
    """``Indien``, ``Tjekkoslovakiet``: the ending of a country's name as well as a definite noun's."""
    return _COUNTRY_LIKE.search(word.lower()) is not None


def head_noun(word: str) -> bool:
    """``Universitet``, ``Stadion``, ``Samarbejdsråd``, ``IF's``: a noun that heads a name."""
    bare = re.sub(r"['’]s?$", "", word)
    return bare.upper() in _CLUB_ABBREVIATIONS or _HEAD_NOUN.search(bare.lower()) is not None


def inflected_as_noun(word: str) -> bool:
    """``Carlsson'er``, ``pc'erne``: a name or abbreviation given a plural ending, a common noun."""
    return re.search(r"['’](?:er|ere|erne|ernes)$", word) is not None


def roman_numeral(word: str) -> bool:
    """``IV`` in ``Poul Schlüter IV``, ``VI`` in ``Toyokuni VI``: a regnal or series number
    (UD tags it NUM); single letters are left to the initials rule."""
    return _ROMAN.match(word) is not None
