"""A newsroom's glossary: Danish terms and the English each must become (``--glossary FILE``).

The file is CSV or TSV (a tab on the first entry line, or a ``.tsv`` name, means TSV), UTF-8,
two columns: the Danish term and its English rendering. Lines starting with ``#`` and blank
lines are comments; an optional header row ``danish,english`` (or ``da,en``) is skipped. A term
whose English is empty, ``=``, or the Danish term itself is do-not-translate: the translation
must keep it as written.

A term is found in a Danish sentence in its inflected forms too (definite and plural endings,
genitive -s: ``Folketinget``, ``Folketingets``); its English is found in a translation without
regard to case, with an English plural or genitive and with or without a leading "the".
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from translate_summarize.errors import UsageError
from translate_summarize.text.entities.names import fold

# Danish noun endings (definite, plural, both) and the genitive -s, so that "folketing" in a
# glossary also finds "Folketinget" and "Folketingets".
_DANISH_ENDINGS = r"(?:e|er|erne|ene|en|et|ne|n|t|r)?s?"
_ENGLISH_ENDINGS = r"(?:s|es|'s|’s|s'|s’)?"
MAX_GLOSSARY_BYTES = 4 * 1024 * 1024  # far above any newsroom glossary; a bound on memory


@dataclass(frozen=True)
class GlossaryEntry:
    danish: str
    english: str

    @property
    def keep(self) -> bool:
        """Do-not-translate: the English is the Danish term itself."""
        return self.english == self.danish


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    fingerprint: str
    """sha256 of the entries (not of the file's bytes: comments and spacing do not count)."""

    def misses(self, source: str, translation: str) -> list[dict[str, str]]:
        """``[{"term": ..., "english": ...}]`` for each entry whose Danish term ``source`` holds
        and whose English ``translation`` lacks."""
        folded = fold(translation)
        lowered = source.lower()
        missed = []
        for entry in self.entries:
            if entry.danish[:3].lower() not in lowered:  # a cheap test first: most terms are absent
                continue
            if _danish_pattern(entry.danish).search(source) and not _english_found(entry.english, folded):
                missed.append({"term": entry.danish, "english": entry.english})
        return missed


_patterns: dict[str, re.Pattern] = {}


def term_pattern(term: str) -> re.Pattern:
    """The pattern that finds a Danish glossary term in its inflected forms."""
    return _danish_pattern(term)


def _danish_pattern(term: str) -> re.Pattern:
    if term not in _patterns:
        words = [re.escape(word) for word in term.split()]
        stem = words[-1]
        for ending in ("erne", "ene", "et", "en", "er", "e"):  # a definite/plural term finds its base form
            if term.lower().endswith(ending) and len(term) - len(ending) >= 3:
                stem = re.escape(term.split()[-1][: -len(ending)])
                break
        body = r"\s+".join([*words[:-1], stem])
        _patterns[term] = re.compile(r"(?<!\w)" + body + _DANISH_ENDINGS + r"(?!\w)", re.IGNORECASE)
    return _patterns[term]


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
    digest = hashlib.sha256("\n".join(f"{e.danish}\t{e.english}" for e in entries).encode()).hexdigest()
    return Glossary(tuple(entries), digest)


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
