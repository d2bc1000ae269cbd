"""A newsroom's glossary: Danish terms and the English each must become (``--glossary FILE``).

The file is CSV or TSV (a tab on the first entry line, or a ``.tsv`` name, means TSV), UTF-8,
two columns: the Danish term and its English rendering. Lines starting with ``#`` and blank
lines are comments; an optional header row ``danish,english`` (or ``da,en``) is skipped. A term
whose English is empty, ``=``, or the Danish term itself is do-not-translate: the translation
must keep it as written.

A term is found in a Danish sentence in its inflected forms too (definite and plural endings,
genitive -s: ``Folketinget``, ``Folketingets``); its English is found in a translation without
regard to case, with an English plural or genitive and with or without a leading "the".

Built in, with or without a file: the names of institutions and events of the exonym table
(text/entities/data/exonyms.tsv: ``Folketinget`` -> Folketing, ``Dansk Folkeparti`` -> Danish
People's Party, ``Anden Verdenskrig`` -> Second World War). They are built of Danish common words,
so the name check leaves them out (UD Danish tags those words NOUN/ADJ), but a reader needs them
kept. They are found as the file's terms are, but with the capitals the table gives them
(``venstre``, "left", is not the party ``Venstre``), not as the first part of a compound
(``EU-landene``), and not inside a longer term or a name the name check already checks; a translation keeps one by any of its exonyms or by the
Danish name itself (without genitive or definite ending), as the name check allows. An entry of
the file for the same Danish term replaces the built-in one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from translate_summarize.errors import UsageError
from translate_summarize.text.entities.name_check import name_forms
from translate_summarize.text.entities.names import common_word_names, exonyms, fold

# Danish noun endings (definite, plural, both) and the genitive -s, so that "folketing" in a
# glossary also finds "Folketinget" and "Folketingets".
_DANISH_ENDINGS = r"(?:e|er|erne|ene|en|et|ne|n|t|r)?s?"
_ENGLISH_ENDINGS = r"(?:s|es|'s|’s|s'|s’)?"
MAX_GLOSSARY_BYTES = 4 * 1024 * 1024  # far above any newsroom glossary; a bound on memory
# Where an entry comes from, as the glossary flag's details say it ("source").
FROM_FILE = "glossary"
BUILT_IN = "built-in"


@dataclass(frozen=True)
class GlossaryEntry:
    danish: str
    english: str
    also: tuple[str, ...] = ()
    """Other renderings a translation may use (a built-in term's exonyms and Danish forms)."""
    source: str = FROM_FILE
    """``glossary`` (the --glossary file) or ``built-in`` (the exonym table's institutions and events)."""

    @property
    def keep(self) -> bool:
        """Do-not-translate: the English is the Danish term itself."""
        return self.english == self.danish

    @property
    def built_in(self) -> bool:
        return self.source == BUILT_IN


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    fingerprint: str
    """sha256 of the entries (not of the file's bytes: comments and spacing do not count)."""

    def misses(self, source: str, translation: str, names: Sequence[str] = ()) -> list[dict[str, str]]:
        """``[{"term": ..., "english": ..., "source": ...}]`` for each entry whose Danish term
        ``source`` holds and whose English ``translation`` lacks: the file's entries in their
        order, then the built-in ones in reading order. ``names``: the source's names, which the
        name check checks (a built-in term inside one is left to it)."""
        folded = fold(translation)
        lowered = source.lower()
        missed: list[dict[str, str]] = []
        built_in: list[tuple[int, dict[str, str]]] = []
        # Source spans already found by the file's terms and by longer built-in terms: a built-in
        # term inside one ("Venstre" in "Det Radikale Venstre") is that term, not another.
        taken: list[tuple[int, int]] = []
        for entry in self.entries:
            if entry.danish[:3].lower() not in lowered:  # a cheap test first: most terms are absent
                continue
            found = list(_danish_pattern(entry.danish, entry.built_in).finditer(source))
            if entry.built_in:
                found = [match for match in found if not any(_overlap(match.span(), span) for span in taken)]
                taken += [match.span() for match in found]
                found = [match for match in found if not any(_within(match.group(), name) for name in names)]
            else:
                taken += [match.span() for match in found]
            if found and not any(_english_found(english, folded) for english in (entry.english, *entry.also)):
                detail = {"term": entry.danish, "english": entry.english, "source": entry.source}
                if entry.built_in:
                    built_in.append((found[0].start(), detail))
                else:
                    missed.append(detail)
        return missed + [detail for _, detail in sorted(built_in, key=lambda pair: pair[0])]


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _within(term: str, name: str) -> bool:
    """Whether a name of the source holds the term as found (the name check takes ``Det Radikale
    Venstre`` without its article)."""
    term = re.sub(r"^(?:Den|Det|De)\s+", "", term)
    return re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", name) is not None


_patterns: dict[tuple[str, bool], re.Pattern] = {}


def term_pattern(term: str, built_in: bool = False) -> re.Pattern:
    """The pattern that finds a Danish glossary term in its inflected forms (a built-in term:
    with the capitals the table gives it, and not as the first part of a compound)."""
    return _danish_pattern(term, built_in)


def _danish_pattern(term: str, built_in: bool = False) -> re.Pattern:
    if (term, built_in) not in _patterns:
        words = [re.escape(word) for word in term.split()]
        stem = words[-1]
        for ending in ("erne", "ene", "et", "en", "er", "e"):  # a definite/plural term finds its base form
            if term.lower().endswith(ending) and len(term) - len(ending) >= 3:
                stem = re.escape(term.split()[-1][: -len(ending)])
                break
        body = r"\s+".join([*words[:-1], stem])
        # A built-in term is a name: its capitals tell it from the common word (Venstre the
        # party, venstre "left"), and "EU-landene" is about countries, as the name check holds.
        end = r"(?!\w|-\w)" if built_in else r"(?!\w)"
        flags = 0 if built_in else re.IGNORECASE
        _patterns[term, built_in] = re.compile(r"(?<!\w)" + body + _DANISH_ENDINGS + end, flags)
    return _patterns[term, built_in]


def _english_found(english: str, folded_translation: str) -> bool:
    rendering = fold(english)
    rendering = re.sub(r"^(?:the|a|an)\s+", "", rendering)
    body = r"\s+".join(re.escape(word) for word in rendering.split())
    return bool(body) and re.search(r"(?<!\w)" + body + _ENGLISH_ENDINGS + r"(?!\w)", folded_translation) is not None


def parse_glossary(text: str, name: str = "glossary") -> Glossary:
    """Entries from a glossary file's text; ``name`` is used in error messages.

    Raises:
        UsageError: a line that is not two columns, or an empty Danish term.
    """
    lines = text.lstrip("\ufeff").splitlines()
    entry_lines = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    tabbed = name.lower().endswith(".tsv") or bool(entry_lines and "\t" in entry_lines[0][1])
    entries: list[GlossaryEntry] = []
    for number, line in entry_lines:
        # The csv module: quoted fields may hold commas ("Dansk Industri, DI",...), which a
        # split would get wrong.
        row = next(csv.reader(io.StringIO(line), delimiter="\t" if tabbed else ","), [])
        row = [cell.strip() for cell in row]
        while len(row) > 2 and not row[-1]:
            row.pop()
        if len(row) == 1:
            row.append("")
        if len(row) != 2:
            what = "tab" if tabbed else "comma"
            raise UsageError(
                f"{name} line {number}: expected 2 {what}-separated columns (Danish term, English), found {len(row)}; "
                "quote a term that holds a comma"
            )
        danish, english = row
        if (danish.lower(), english.lower()) in (("danish", "english"), ("da", "en")) and not entries:
            continue
        if not danish:
            raise UsageError(f"{name} line {number}: the Danish term is empty")
        entries.append(GlossaryEntry(danish, danish if english in ("", "=") else english))
    return Glossary(tuple(entries), _fingerprint(entries))


def _fingerprint(entries: list[GlossaryEntry]) -> str:
    # The file's entries hash as they did before the built-in terms (their resume keys hold).
    lines = [
        "\t".join([e.danish, e.english]) if not e.built_in else "\t".join([e.danish, e.english, *e.also, e.source])
        for e in entries
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def load_glossary(path: str | Path) -> Glossary:
    """Read and parse a glossary file.

    Raises:
        UsageError: the file cannot be read, is not UTF-8, is too large, or is malformed.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_GLOSSARY_BYTES + 1)
    except IsADirectoryError:
        raise UsageError(f"--glossary {path}: is a folder; pass a CSV or TSV file") from None
    except OSError as exc:
        raise UsageError(f"--glossary {path}: cannot be read ({exc.strerror or exc}); pass a CSV or TSV file") from None
    if len(data) > MAX_GLOSSARY_BYTES:
        raise UsageError(f"--glossary {path}: larger than {MAX_GLOSSARY_BYTES // (1024 * 1024)} MiB; is it a glossary?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"--glossary {path}: not UTF-8 text; save it as UTF-8 CSV or TSV") from None
    return parse_glossary(text, f"--glossary {path}")


@cache
def built_in_glossary() -> Glossary:
    """The exonym table's institutions and events as glossary entries, longest term first (so
    that a longer term claims its words first); each expects the table's first English form."""
    table = exonyms()
    forms: dict[str, set[str]] = {}  # term -> its accepted forms, an inflected form's entry merged in
    for danish in sorted(common_word_names(), key=len, reverse=True):
        # "Folketing" is an inflected form of "Folketinget": one term, found and flagged once.
        same = next((term for term in forms if _danish_pattern(term, True).fullmatch(danish)), danish)
        forms.setdefault(same, set()).update(name_forms(danish))
    entries = [
        GlossaryEntry(danish, table[danish][0], tuple(sorted(accepted - {table[danish][0]})), BUILT_IN)
        for danish, accepted in forms.items()
    ]
    return Glossary(tuple(entries), _fingerprint(entries))


def built_in_kind(term: str) -> str:
    """What a built-in term names: ``institution`` (parties and organisations too) or ``event``."""
    return common_word_names().get(term, "institution")


def checked_glossary(path: str | Path | None) -> Glossary:
    """The glossary the checks use: the file's entries (``--glossary``; none when ``path`` is
    None), then the built-in terms that no entry of the file stands for.

    Raises:
        UsageError: the file cannot be read or is malformed (see :func:`load_glossary`).
    """
    built_in = built_in_glossary()
    if path is None:
        return built_in
    own = load_glossary(path)
    # The file's entry for a built-in term, in any inflected form ("folketing" for Folketinget),
    # replaces it: the newsroom decides.
    mine = [_danish_pattern(entry.danish) for entry in own.entries]  # once each, not per built-in term
    kept = [entry for entry in built_in.entries if not any(pattern.fullmatch(entry.danish) for pattern in mine)]
    entries = [*own.entries, *kept]
    return Glossary(tuple(entries), _fingerprint(entries))
