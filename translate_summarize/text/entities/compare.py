"""The number check: which numbers of a Danish sentence its translation lacks or adds."""

from __future__ import annotations

from translate_summarize.text.entities.danish_numbers import danish_numbers
from translate_summarize.text.entities.english_numbers import english_numbers


def compare_numbers(source: str, translation: str) -> dict[str, list[str]]:
    """``{"missing": [...], "added": [...]}``: source numbers (as written in Danish) that the
    translation lacks, and numbers written in digits in the translation that the source lacks."""
    source_mentions = danish_numbers(source)
    target_mentions = english_numbers(translation)
    target_values = frozenset().union(*(m.values for m in target_mentions))
    source_values = frozenset().union(*(m.values for m in source_mentions))
    # dicts as ordered sets: each number once, in reading order
    missing = {m.text: None for m in source_mentions if not all(part & target_values for part in m.parts)}
    added = {m.text: None for m in target_mentions if m.counted and not m.values & source_values}
    return {"missing": list(missing), "added": list(added)}
