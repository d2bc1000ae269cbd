"""The Danish abbreviation lists: one list per meaning, each word listed once."""

from __future__ import annotations

import ast
import itertools
from collections import Counter

import pytest
from support.common import ROOT

from translate_summarize.text import segment_words
from translate_summarize.text.segment import split_sentences

LISTS = {
    "NEVER_FINAL": segment_words.NEVER_FINAL,
    "MAY_END": segment_words.MAY_END,
    "OTHER_ABBREVIATIONS": segment_words.OTHER_ABBREVIATIONS,
}


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(LISTS, 2)))
def test_no_abbreviation_has_two_contradicting_meanings(first, second):
    assert not LISTS[first] & LISTS[second], f"in {first} and {second}: {sorted(LISTS[first] & LISTS[second])}"


def test_each_list_names_each_word_once():
    # frozenset() would hide a repeated entry: read the literals as written.
    tree = ast.parse((ROOT / "translate_summarize" / "text" / "segment_words.py").read_text(encoding="utf-8"))
    literals = {  # NAME = frozenset([...]) and NAME = (...): the list as written
        node.targets[0].id: node.value.args[0] if isinstance(node.value, ast.Call) and node.value.args else node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
    }
    written = {
        name: [element.value for element in literal.elts]
        for name, literal in literals.items()
        if isinstance(literal, (ast.List, ast.Tuple, ast.Set))
    }
    assert set(LISTS) <= set(written)
    for name, words in written.items():
        repeated = [word for word, count in Counter(words).items() if count > 1]
        assert not repeated, f"{name} repeats {repeated}"


def test_all_abbreviations_end_with_a_full_stop_or_are_known_bare_forms():
    for name, words in LISTS.items():
        assert all(word == word.lower() for word in words), name
        assert all(word.endswith(".") or word in ("ca", "ph.d.-studerende") for word in words), name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # stk. never ends a sentence (it was listed as both "never" and "may end")
        ("Se § 3, stk. Et nyt afsnit følger.", ["Se § 3, stk. Et nyt afsnit følger."]),
        # MAY_END: a capital after "kr." starts a new sentence, a digit or lower case does not
        ("Det kostede 5 kr. Han betalte.", ["Det kostede 5 kr.", "Han betalte."]),
        ("Det kostede 5 kr. om dagen.", ["Det kostede 5 kr. om dagen."]),
        # OTHER_ABBREVIATIONS: only a lower-case word continues
        ("Han bor i Kbh. og arbejder i Aarhus.", ["Han bor i Kbh. og arbejder i Aarhus."]),
    ],
)
def test_each_list_behaves_as_its_meaning(text, expected):
    assert split_sentences(text) == expected
