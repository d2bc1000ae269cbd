"""What a Danish text holds that a translation must keep: names and numbers (and the English
side of the same, for the comparison). Tables of number words and exonyms are data files in
``data/``."""

from translate_summarize.text.entities.compare import compare_numbers
from translate_summarize.text.entities.danish_numbers import danish_numbers
from translate_summarize.text.entities.english_numbers import english_numbers
from translate_summarize.text.entities.name_check import missing_names, name_kept
from translate_summarize.text.entities.names import (
    NameContext,
    NameMention,
    exonyms,
    fold,
    name_mentions,
)
from translate_summarize.text.entities.numbers import NumberMention, number_words

__all__ = [
    "NameContext",
    "NameMention",
    "NumberMention",
    "compare_numbers",
    "danish_numbers",
    "english_numbers",
    "exonyms",
    "fold",
    "missing_names",
    "name_kept",
    "name_mentions",
    "number_words",
]
