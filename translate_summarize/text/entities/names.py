"""Names in Danish source text (and English summaries), and whether a translation kept them.

Danish writes common nouns, months, weekdays and nationalities in lower case, so a capitalised
word that does not start a sentence is almost always a name. A sentence-initial word is a name
only when the text also capitalises it elsewhere, when it is a known name (the exonym table),
or when a name follows it at once (``Mette Frederiksen siger``); a sentence-initial word that
the text also writes in lower case, or a function word, is never one. Consecutive capitalised
words form one name (``Det Radikale Venstre``, ``Lars Løkke Rasmussen``).

Precision comes first: words in all-capital headlines, compounds with a name in front
(``FN-styrken``, ``Scania-lastbiler``) and the polite pronoun ``De`` are not names, nor are the
common words Danish capitalises inside names (``Folketinget``, ``Den Danske Bank``, ``Stadion``
in ``Lyngby Stadion``), which UD Danish tags NOUN/ADJ and translations translate (name_words.py).
Whether a translation keeps a name: name_check.py.

One module although over 350 lines: the rules below judge one run of capitalised tokens
together (its first word, its article, its common words, the article's context), each rule
reading what the one before decided.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from translate_summarize.text.entities import name_words


@dataclass(frozen=True)
class NameMention:
    """A name as written (genitive included) at ``start``:``end``; ``words`` its word spans."""

    text: str
    start: int
    end: int
    words: tuple[tuple[int, int], ...]


# Sections of data/exonyms.tsv whose names are built of Danish common words (Folketinget,
# Anden Verdenskrig), and what each name is: UD Danish tags their words NOUN/ADJ, and
# translations translate them, so they are checked as built-in glossary terms (text/glossary.py)
# rather than as names.
_COMMON_WORD_SECTIONS = {"institutions": "institution", "events": "event"}


@cache
def _exonym_table() -> tuple[dict[str, tuple[str, ...]], dict[str, str], frozenset[str]]:
    table: dict[str, tuple[str, ...]] = {}
    common_word_names: dict[str, str] = {}
    section = ""
    text = resources.files(__package__).joinpath("data/exonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# --- "):
            section = line[len("# --- ") :]
        elif line.strip() and not line.startswith("#"):
            danish, english = line.split("\t")
            table[danish] = tuple(english.split("|"))
            kind = _COMMON_WORD_SECTIONS.get(section.split()[0].rstrip(",")) if section else None
            if kind:
                common_word_names[danish] = kind
    return table, common_word_names, frozenset(fold(name) for name in common_word_names)


def exonyms() -> dict[str, tuple[str, ...]]:
    """Danish name -> accepted English forms, from data/exonyms.tsv (documented in docs/checks.md)."""
    return _exonym_table()[0]


def common_word_names() -> dict[str, str]:
    """Danish name -> ``"institution"`` or ``"event"``, in table order, for the names of the
    exonym table built of common words (Folketinget, Dansk Folkeparti, Anden Verdenskrig)."""
    return _exonym_table()[1]


@cache
def first_names() -> frozenset[str]:
    """Common given names (data/first_names.txt): sentence-initial words taken as names."""
    text = resources.files(__package__).joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


@cache
def _known_folded() -> frozenset[str]:
    return frozenset(fold(name) for name in [*exonyms(), *first_names()])


_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*(?:['’]s?)?", re.UNICODE)
# After one of these (or at the start) a capitalised word starts a sentence.
_SENTENCE_ENDS = '.!?:;"“”«»()[]–—-•*#|>'
# Abbreviations after which a capitalised word does not start a sentence.
_ABBREVIATIONS = frozenset(
    [
        "hr",
        "fru",
        "frk",
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "sct",
        "bl.a",
        "f.eks",
        "ca",
        "kl",
        "nr",
        "jf",
        "prof",
        "pr",
        "mv",
        "osv",
        "dvs",
    ]
)

# Danish words that start sentences with a capital without being names, and capitalised
# pronouns (the polite De/Dem/Deres and I, "you"): never names.
# fmt: off
DANISH_FUNCTION_WORDS = frozenset(["af", "alle", "alt", "andre", "anden", "andet", "at", "bag", "begge", "bl.a", "blandt", "bliver", "blev", "da", "dag", "de", "dem", "den", "denne", "der", "deres", "derfor", "dermed", "desuden", "det", "dette", "disse", "du", "efter", "eftersom", "eller", "elles", "en", "endelig", "end", "endnu", "enten", "er", "et", "for", "fordi", "foran", "fra", "før", "første", "før", "ham", "han", "hans", "har", "havde", "hele", "hende", "hendes", "her", "herefter", "hvad", "hvem", "hver", "hvilke", "hvilket", "hvis", "hvor", "hvordan", "hvorfor", "hvornår", "i", "ifølge", "igen", "ikke", "imellem", "imens", "imod", "ind", "inden", "indtil", "ingen", "intet", "jeg", "jo", "kan", "kun", "kunne", "langs", "lige", "man", "mange", "med", "mellem", "men", "meget", "mere", "mens", "mest", "mig", "min", "mine", "mit", "mod", "ned", "nej", "nogen", "nogle", "nok", "nu", "når", "og", "også", "om", "omkring", "op", "os", "over", "på", "samme", "samtidig", "selv", "selvom", "sidste", "sig", "sin", "sine", "sit", "skal", "skulle", "som", "stadig", "så", "således", "tidligere", "til", "trods", "uden", "udover", "under", "vi", "vil", "ville", "vor", "vores", "være", "været", "ja", "hej", "tak", "jamen", "nemlig", "altså", "således", "heller", "hverken", "hvorefter", "derefter", "dengang", "senere", "først", "fredag", "lørdag", "søndag", "mandag", "tirsdag", "onsdag", "torsdag", "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december", "hos", "ved", "via", "gennem", "igennem", "siden", "ud", "udenfor", "indenfor", "overfor", "bagved", "hinsides", "pr", "per", "ifm", "dog", "måske", "aldrig", "altid", "ofte", "snart", "allerede", "netop", "især", "hvorimod", "skønt", "ellers", "sådan", "sammen", "ligesom", "både", "dels", "herunder", "dernæst", "fx", "eks", "mv"])
# fmt: on
NEVER_NAMES = frozenset({"De", "Dem", "Deres", "DE", "DEM", "DERES", "I", "Hr", "Fru", "Frk"})
# Articles that open some names (Den Danske Bank, Det Radikale Venstre) and that translations
# drop or render as "the": a name is checked without them.
LEADING_ARTICLES = frozenset({"Den", "Det", "De"})
# Titles before a name at the start of a sentence (Kronprins Frederik): the name is what follows.
# fmt: off
TITLES = frozenset(["kronprins", "kronprinsesse", "prins", "prinsesse", "dronning", "kong", "konge", "statsminister", "minister", "borgmester", "direktør", "formand", "næstformand", "professor", "lektor", "ph.d", "dr", "hr", "fru", "frk", "præsident", "general", "kaptajn", "biskop", "pastor", "træner", "landstræner", "chef", "sognepræst", "rådmand", "major", "oberst", "justitsminister", "udenrigsminister", "finansminister"])
# fmt: on
# A one-word name built on one of these common nouns (Fødevarestyrelsen, Propagandaministeriet,
# Divisionsforeningen) is an institution that translations translate rather than keep: it is
# checked only when the exonym table gives its English name.
_INSTITUTION = re.compile(
    r"(?:ministeri(?:et|um)|styrelsen?|departement(?:et)?|forening(?:en)?|rådet|udvalget|tilsynet|muse(?:et|um)"
    r"|universitet(?:et)?|hospital(?:et)?|sygehus(?:et)?|skolen|kommunen?|regionen|retten|partiet|cent(?:ret|eret)"
    r"|institut(?:tet)?|akademi(?:et)?|biblioteket|kirken?|stationen|hjem(?:met)?|hæren|banen|værnet|traktaten)s?$"
)
_INITIALS = re.compile(r"^[A-ZÆØÅ](?:\.[A-ZÆØÅ])*$")


def fold(text: str) -> str:
    """Lower case without diacritics, Danish letters spelt out: Løkke, Loekke and Lokke agree."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("ß", "ss")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.replace("aa", "a").replace("oe", "o").replace("ae", "a").replace("’", "'")


def strip_genitive(word: str) -> str:
    """``FN's`` -> ``FN``, ``Danmarks`` -> ``Danmark`` (the caller keeps ``Lars`` too)."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int
    initial: bool
    gap: str  # the text between the previous word and this one


# Texts up to this long have their tokens listed at once (NameContext.of).
_LISTED_CHARS = 100_000


def _tokens(text: str) -> list[_Token]:
    return list(_iter_tokens(text))


def _iter_tokens(text: str) -> Iterator[_Token]:
    first = True
    previous_end = 0
    previous_word = ""
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        stripped = gap.strip()
        after_abbreviation = stripped == "." and (
            previous_word.lower() in _ABBREVIATIONS or _INITIALS.match(previous_word)
        )
        initial = first or "\n" in gap or (stripped and stripped[-1] in _SENTENCE_ENDS and not after_abbreviation)
        yield _Token(match.group(), match.start(), match.end(), bool(initial), gap)
        first, previous_end, previous_word = False, match.end(), match.group()


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _shouting(tokens: Iterable[_Token]) -> bool:
    """An all-capital headline or line: its capitals say nothing about names."""
    letters = upper = 0
    for token in tokens:
        if any(c.isalpha() for c in token.word):
            letters += 1
            upper += token.word.isupper()
    return letters >= 2 and upper / letters > 0.6


def _compound_with_common_tail(word: str) -> bool:
    """``FN-styrken``, ``Scania-lastbiler``: a common noun with a name in front."""
    parts = word.split("-")
    return len(parts) > 1 and not _capitalised(parts[-1])


@dataclass(frozen=True)
class NameContext:
    """What the whole article says about its words: which it capitalises mid-sentence and which
    it writes in lower case. Built once per article."""

    capitalised: frozenset[str]
    lower: frozenset[str]

    @classmethod
    def of(cls, texts: list[str]) -> NameContext:
        capitalised, lower = set(), set()
        for text in texts:
            # A long text's tokens twice, one at a time: the summary check passes a whole
            # translation, and a list of a 20 MiB article's tokens (a few hundred bytes each) took
            # gigabytes. A sentence's are listed once (twice made translating 2 MiB of news ~8% slower).
            listed = _tokens(text) if len(text) <= _LISTED_CHARS else None
            shouting = _shouting(listed if listed is not None else _iter_tokens(text))
            for token in listed if listed is not None else _iter_tokens(text):
                if not _capitalised(token.word):
                    lower.add(token.word)
                elif not token.initial and not shouting:
                    capitalised.add(strip_genitive(token.word))
                    capitalised.add(token.word)
        return cls(frozenset(capitalised), frozenset(lower))


def _translated_institution(word: str) -> bool:
    match = _INSTITUTION.search(word.lower())
    return match is not None and match.start() >= 3 and not _is_known(word)


def _is_known(word: str) -> bool:
    return fold(word) in _known_folded() or fold(strip_genitive(word)) in _known_folded()


def name_mentions(
    text: str,
    context: NameContext | None = None,
    function_words=DANISH_FUNCTION_WORDS,
    danish: bool = True,
) -> list[NameMention]:
    """The names in ``text`` (one sentence or more), judged with ``context`` (the article).
    ``danish``: leave out the capitalised common words of Danish names (name_words.py)."""
    context = context or NameContext.of([text])
    tokens = _tokens(text)
    shouting = _shouting(tokens)
    runs: list[list[_Token]] = []
    after_article: set[int] = set()  # runs that follow "Den", "Det" or "De" (and adjectives)
    article = False
    for token in tokens:
        word = token.word
        candidate = (
            _capitalised(word)
            and not _translated_institution(word)
            and word not in NEVER_NAMES
            and not _compound_with_common_tail(word)
            and not (shouting and not _is_known(word))
            and any(c.isalpha() for c in word)
        )
        after_initials = bool(runs) and runs[-1] and token.gap == ". " and _INITIALS.match(runs[-1][-1].word)
        joins = bool(runs) and runs[-1] and (token.gap == " " or after_initials) and not token.initial
        # "De Grå Sider", "Den jyske Opera": a capitalised article mid-sentence, then perhaps
        # lower-case adjectives, then the name.
        follows_article = article and token.gap == " "
        article = (word in LEADING_ARTICLES and not token.initial) or (
            follows_article and not _capitalised(word) and name_words.adjective(word)
        )
        if not candidate:
            runs.append([])
            continue
        if joins:
            runs[-1].append(token)
        else:
            runs.append([token])
            if follows_article:
                after_article.add(len(runs) - 1)
    mentions = []
    for index, run in enumerate(runs):
        if run and run[0].initial and not _initial_is_name(run, context, function_words):
            run = run[1:]  # "Under Anden Verdenskrig": judged without the sentence's first word
        descriptive = danish and bool(run) and _descriptive(run, index in after_article)
        if len(run) > 1 and run[0].word in LEADING_ARTICLES:
            run = run[1:]
        if danish:
            run = _proper_words(run, text, descriptive)
        if not run:
            continue
        start, end = run[0].start, run[-1].end
        mentions.append(NameMention(text[start:end], start, end, tuple((t.start, t.end) for t in run)))
    return mentions


def _descriptive(run: list[_Token], after_article: bool) -> bool:
    """A name made of an article, adjectives and a common noun (``Det Røde Hav``, ``Den Danske
    Bank``, ``Mellemfolkeligt Samvirke``, ``De Grå Sider``): common words throughout."""
    words = [t.word for t in run]
    if words[:1] and words[0] in LEADING_ARTICLES:
        words = words[1:]
    # An adjective opens it ("Dansk Folkeparti"), not one after a proper name ("Novo Nordisk") or
    # a known name that ends like one ("Berlingske Tidende").
    if after_article or (words and name_words.adjective(words[0]) and not _is_known(words[0])):
        return True
    # An article opens a name when a definite adjective (-e) follows it: "Det Radikale Venstre",
    # not "Det Mette sagde" (a given name).
    return (
        len(run) > 1
        and run[0].word in LEADING_ARTICLES
        and run[1].word.endswith("e")
        and run[1].word not in first_names()
    )


def _proper_words(run: list[_Token], text: str, descriptive: bool) -> list[_Token]:
    """The run without the capitalised common words DDT tags NOUN, ADJ or NUM (name_words.py);
    a descriptive name is kept whole only when the exonym table knows it (it is translated)."""
    if not run:
        return run
    name = text[run[0].start : run[-1].end]
    if descriptive:
        # Kept when known and not headed by a common noun: "Radikale Venstre", not "Danske Bank".
        known = any(_is_known(f"{article} {name}".strip()) for article in ("", "Den", "Det", "De"))
        return run if known and not name_words.head_noun(run[-1].word) else []
    run = [
        t
        for t in run
        if not name_words.roman_numeral(t.word)
        and not name_words.inflected_as_noun(t.word)
        and not (len(t.word) == 1 and text[t.end : t.end + 1] != ".")  # a letter, not an initial
    ]
    if len(run) == 1 and (run[0].word in LEADING_ARTICLES or _common_definite(run[0].word)):
        return []
    if len(run) > 1 and name_words.head_noun(run[-1].word):
        return run[:-1]
    return run


def _common_definite(word: str) -> bool:
    """``Parken``, ``Socialdemokratiet``: a definite common noun, unless a known place or given name."""
    if not name_words.definite_noun(word) or strip_genitive(word) in first_names():
        return False
    if bool({fold(word), fold(strip_genitive(word))} & _exonym_table()[2]):
        return True
    return not _is_known(word) and not name_words.country_like(word)


def _initial_is_name(run: list[_Token], context: NameContext, function_words) -> bool:
    word = run[0].word
    lower = word.lower()
    if lower in function_words or lower in TITLES or lower.rstrip(".") in _ABBREVIATIONS or lower in context.lower:
        return False
    if _is_known(word) or word in context.capitalised or strip_genitive(word) in context.capitalised:
        return True
    # "H.L. Hansen", "Kim Larsen": initials, or a word followed by a name and not a definite
    # (-en, -et, -ne) or adjectival (-e) form, which are the common nouns that start sentences
    # ("Ungareren György Dalos", "Erfarne Ivan Nielsen").
    return len(run) > 1 and (bool(_INITIALS.match(word)) or not re.search(r"(?:en|et|ne|e)$", lower))
