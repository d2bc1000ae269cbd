"""The name check: whether a translation keeps each name of its Danish sentence (as written,
as its English exonym, or without genitive and definite endings)."""

from __future__ import annotations

import re

from translate_summarize.text.entities.names import exonyms, fold, strip_genitive


def name_forms(word_or_name: str) -> set[str]:
    """Written forms a translation may use: as is, without genitive -s, without a definite
    ending (Folketinget -> Folketing), and the exonyms of each."""
    forms = {word_or_name}
    base = strip_genitive(word_or_name)
    forms.add(base)
    for ending in ("et", "en"):
        for form in (word_or_name, base):
            if len(form) > 5 and form.endswith(ending):
                forms.add(form[: -len(ending)])
    table = exonyms()
    for form in list(forms):
        forms.update(table.get(form, ()))
        forms.update(table.get(form[:1].upper() + form[1:].lower(), ()) if form.isupper() and len(form) > 4 else ())
    return forms


def _contains(folded_text: str, form: str) -> bool:
    folded = fold(form)
    return bool(folded) and re.search(r"(?<!\w)" + re.escape(folded) + r"(?!\w)", folded_text) is not None


def name_kept(name: str, translation: str) -> bool:
    """Whether ``translation`` contains the Danish ``name``: as written, as its English exonym,
    without genitive or definite endings, or (for a name of several words) by one of its words
    (``Mette Frederiksen`` -> ``Ms Frederiksen``, ``Århus Universitet`` -> ``Aarhus University``)."""
    folded = fold(translation)
    if any(_contains(folded, form) for form in name_forms(name)):
        return True
    # Any word of three letters or more: "Århus Universitet" is kept by "Aarhus University".
    words = [word for word in name.split() if len(word) >= 3]
    return len(name.split()) > 1 and any(_contains(folded, form) for word in words for form in name_forms(word))


def missing_names(names: list[str], translation: str) -> list[str]:
    """The names of ``names`` that ``translation`` does not keep, each once."""
    missing: list[str] = []
    for name in names:
        if name not in missing and not name_kept(name, translation):
            missing.append(name)
    return missing
