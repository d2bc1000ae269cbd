"""The exonym table's institutions and events as built-in glossary terms: found in their
inflected forms, kept by any accepted English form or the Danish name, replaced by a --glossary
entry for the same term, told apart from the file's terms in every output, and part of the
resume key."""

from __future__ import annotations

import json

import pytest
from support.cli import tsum

from translate_summarize.core.pipeline import ArticleResult, TranslatedSegment
from translate_summarize.core.quality import check_results, entity_details
from translate_summarize.output.highlight import flag_reasons
from translate_summarize.text.entities import NameContext, exonyms
from translate_summarize.text.entities.names import common_word_names
from translate_summarize.text.glossary import built_in_glossary, checked_glossary


def _flag(term: str, english: str, source: str = "built-in") -> dict[str, str]:
    return {"term": term, "english": english, "source": source}


BUILT_IN = built_in_glossary()
TERMS = [entry.danish for entry in BUILT_IN.entries]
RENDERINGS = [(entry.danish, english) for entry in BUILT_IN.entries for english in (entry.english, *entry.also)]


def test_the_built_in_terms_are_the_institutions_and_events_of_the_exonym_table():
    assert set(TERMS) <= set(common_word_names()) and len(TERMS) > 100
    # "Folketing" is an inflected form of "Folketinget": one term, its English forms merged.
    assert set(common_word_names()) - set(TERMS) == {"Folketing"}
    assert {"Folketinget", "Højesteret", "Socialdemokratiet", "Dansk Folkeparti", "Anden Verdenskrig"} <= set(TERMS)
    assert "København" not in TERMS and "Tyskland" not in TERMS  # places stay with the name check
    assert common_word_names()["Den Kolde Krig"] == "event" and common_word_names()["Folketinget"] == "institution"
    folketinget = next(entry for entry in BUILT_IN.entries if entry.danish == "Folketinget")
    assert folketinget.english == exonyms()["Folketinget"][0] == "Folketing"


@pytest.mark.parametrize("term", common_word_names())
def test_each_built_in_term_is_flagged_when_the_translation_drops_it(term):
    source = f"I går talte vi om {term} igen."
    flagged = "Folketinget" if term == "Folketing" else term
    english = exonyms()[flagged][0]
    assert BUILT_IN.misses(source, "Yesterday we talked about it again.") == [_flag(flagged, english)]


@pytest.mark.parametrize(("term", "english"), RENDERINGS)
def test_each_accepted_rendering_keeps_its_term(term, english):
    assert BUILT_IN.misses(f"I går talte vi om {term} igen.", f"Yesterday we talked about {english} again.") == []


def test_every_english_form_of_the_table_is_accepted():
    accepted = {english for _, english in RENDERINGS}
    assert {english for term in common_word_names() for english in exonyms()[term]} <= accepted


@pytest.mark.parametrize(
    ("source", "translation", "missed"),
    [
        ("Folketinget vedtog loven.", "The Folketing passed the law.", []),
        ("Folketinget vedtog loven.", "Parliament passed the law.", []),
        ("Folketinget vedtog loven.", "The assembly passed the law.", [_flag("Folketinget", "Folketing")]),
        # Inflected: the genitive and the indefinite form find the same term.
        ("Folketingets udvalg mødtes.", "The Folketing's committee met.", []),
        ("Folketingets udvalg mødtes.", "The committee met.", [_flag("Folketinget", "Folketing")]),
        ("Et nyt Folketing blev valgt.", "A new parliament was elected.", []),
        ("Et nyt Folketing blev valgt.", "A new assembly was elected.", [_flag("Folketinget", "Folketing")]),
        ("Dansk Folkeparti vil stemme imod.", "The Danish People's Party will vote against.", []),
        ("Dansk Folkepartis formand talte.", "The DF chairman spoke.", []),
        (
            "Dansk Folkeparti vil stemme imod.",
            "The Danish Folk Party will vote against.",
            [_flag("Dansk Folkeparti", "Danish People's Party")],
        ),
        ("Under Anden Verdenskrig var Danmark besat.", "During World War II Denmark was occupied.", []),
        (
            "Under Anden Verdenskrig var Danmark besat.",
            "During the war Denmark was occupied.",
            [_flag("Anden Verdenskrig", "Second World War")],
        ),
        # The Danish name itself keeps it, as for names: without its definite ending too.
        ("Højesteret afviste sagen.", "Højesteret dismissed the case.", []),
        ("Han blev valgt til Folketinget.", "He was elected to the Folketinget.", []),
        # Written in lower case it is the common word, not the institution.
        ("Han drejede til venstre.", "He turned left.", []),
        ("Byen mistede forsvaret.", "The city lost the defence.", []),
        ("Byen mistede Forsvaret.", "The city lost the defence.", [_flag("Forsvaret", "Danish Armed Forces")]),
        # A compound with the term in front is about something else (the name check agrees).
        ("EU-landene er enige.", "The European countries agree.", []),
        # A longer term claims its words: one flag, not three.
        (
            "Det Radikale Venstre vil stemme imod.",
            "The radical left will vote against.",
            [_flag("Det Radikale Venstre", "Social Liberal Party")],
        ),
        # Two terms: in reading order.
        (
            "Socialdemokratiet og Folketinget er uenige.",
            "They disagree.",
            [_flag("Socialdemokratiet", "Social Democrats"), _flag("Folketinget", "Folketing")],
        ),
    ],
)
def test_built_in_terms_in_sentences(source, translation, missed):
    assert BUILT_IN.misses(source, translation) == missed


def test_a_term_the_name_check_already_checks_is_flagged_once():
    """``Venstre`` mid-sentence and ``Radikale Venstre`` are names (source_names): name_missing
    says it; the glossary flag would say it twice. ``Folketinget`` is not a name: glossary does."""
    source = "Politikere fra Venstre og Det Radikale Venstre mødtes i Folketinget."
    details = entity_details(source, "Politicians met.", NameContext.of([source]), BUILT_IN)
    assert details == {"name_missing": ["Venstre", "Radikale Venstre"], "glossary": [_flag("Folketinget", "Folketing")]}


def test_a_glossary_entry_for_the_same_term_replaces_the_built_in_one(tmp_path):
    terms = tmp_path / "terms.csv"
    terms.write_text("Folketinget,the Folketing\nskoler,schools\n", encoding="utf-8")
    glossary = checked_glossary(terms)
    # "Parliament" is a built-in rendering, not the newsroom's: its entry decides.
    assert glossary.misses("Folketinget vedtog loven.", "Parliament passed the law.") == [
        _flag("Folketinget", "the Folketing", "glossary")
    ]
    assert glossary.misses("Folketinget vedtog loven.", "The Folketing passed the law.") == []
    assert "Folketinget" not in [e.danish for e in glossary.entries if e.built_in]
    assert "Folketing" not in [e.danish for e in glossary.entries if e.built_in]  # an inflected form of it
    # Any inflected form in the file stands for the term; the other built-in terms stay.
    terms.write_text("folketing,parliament\n", encoding="utf-8")
    glossary = checked_glossary(terms)
    assert glossary.misses("Folketinget og Højesteret.", "The Folketing and the court.") == [
        _flag("folketing", "parliament", "glossary"),
        _flag("Højesteret", "Supreme Court"),
    ]
    # A file's term overlapping a built-in one claims its words too.
    terms.write_text("Folketingets Ombudsmand,the Ombudsman\n", encoding="utf-8")
    assert (
        checked_glossary(terms).misses("Folketingets Ombudsmand kritiserer sagen.", "The ombudsman criticises.") == []
    )


def test_outputs_say_which_glossary_a_term_came_from():
    segment = TranslatedSegment("Folketinget mødtes under Anden Verdenskrig.", "The assembly met during the war.", 0)
    result = ArticleResult(segment.translation, None, [segment], {}, {}, {})
    check_results([result], glossary=checked_glossary(None))
    assert segment.flags == ["glossary"]
    assert flag_reasons(segment) == [
        "institution: Folketinget → Folketing",
        "event: Anden Verdenskrig → Second World War",
    ]
    from translate_summarize.output.review import render_page

    page = render_page(result, "a.txt")
    assert '<mark title="event: Anden Verdenskrig → Second World War">Anden Verdenskrig</mark>' in page
    assert '<mark title="institution: Folketinget → Folketing">Folketinget</mark>' in page


# ---- end to end, with the tiny translator (it renders this sentence as one it learned) ----------------


@pytest.fixture
def folketing_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Folketinget vedtog loven i går.\n", encoding="utf-8")
    return folder / "a.txt"


def test_the_cli_flags_a_dropped_institution_in_json_and_text(folketing_article, model_args, tmp_path):
    result = tsum(str(folketing_article), *model_args, "--no-summary", "--format", "json")
    assert result.exit_code == 0, result.output
    (segment,) = json.loads(result.stdout)["segments"]
    assert "folketing" not in segment["translation"].lower() and "parliament" not in segment["translation"].lower()
    assert segment["source_names"] == []  # not a name: the glossary check covers it
    assert segment["flags"] == ["glossary"]
    assert segment["flag_details"] == {"glossary": [_flag("Folketinget", "Folketing")]}
    text = tsum(str(folketing_article), *model_args, "--no-summary").stdout
    assert (
        f"CHECK THESE\n[institution: Folketinget → Folketing]\n  da: Folketinget vedtog loven i går.\n  en: {segment['translation']}"
        in text
    )
    terms = tmp_path / "terms.tsv"
    terms.write_text("Folketinget\tthe Danish parliament\n", encoding="utf-8")
    text = tsum(str(folketing_article), *model_args, "--no-summary", "--glossary", str(terms)).stdout
    assert "[glossary: Folketinget → the Danish parliament]" in text and "institution:" not in text


def test_a_folder_rerun_rechecks_the_built_in_terms_of_json_outputs(folketing_article, model_args, tmp_path):
    out = tmp_path / "out"
    args = [str(folketing_article.parent), "-o", str(out), *model_args, "--no-summary", "--format", "json"]
    assert tsum(*args).exit_code == 0
    output = out / "a.json"
    data = json.loads(output.read_text())
    assert data["segments"][0]["flags"] == ["glossary"]
    # The stored translation now keeps the Folketing; a glossary that changes the effective
    # one (it replaces a built-in term this article lacks) redoes the flags without translating.
    data["segments"][0]["translation"] = data["translation"] = "The Folketing passed the law yesterday."
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    terms = tmp_path / "terms.csv"
    terms.write_text("Højesteret,the Supreme Court\n", encoding="utf-8")
    rerun = tsum(*args, "--glossary", str(terms))
    assert rerun.exit_code == 0 and "1 ok" in rerun.stderr, rerun.stderr
    (segment,) = json.loads(output.read_text())["segments"]
    assert segment["translation"] == "The Folketing passed the law yesterday."
    assert segment["flags"] == [] and segment["flag_details"] == {}
    assert "1 skipped" in tsum(*args, "--glossary", str(terms)).stderr


def test_the_resume_key_holds_the_built_in_terms(tmp_path):
    from translate_summarize.core.runtime import runtime_key
    from translate_summarize.options import PipelineOptions

    assert runtime_key(PipelineOptions())["glossary"] == BUILT_IN.fingerprint
    terms = tmp_path / "terms.csv"
    terms.write_text("skoler,schools\n", encoding="utf-8")
    with_file = runtime_key(PipelineOptions(glossary=str(terms)))["glossary"]
    assert with_file == checked_glossary(terms).fingerprint != BUILT_IN.fingerprint
    # Replacing a built-in term changes the key, even with the same English.
    terms.write_text("skoler,schools\nFolketinget,Folketing\n", encoding="utf-8")
    assert checked_glossary(terms).fingerprint != with_file


def test_the_python_api_checks_the_built_in_terms(tiny_models):
    from translate_summarize import translate_and_summarize

    result = translate_and_summarize(
        "Folketinget vedtog loven i går.", translation_model=str(tiny_models["translation"]), summarize=False
    )
    (segment,) = result.segments
    assert "folketing" not in segment.translation.lower() and "parliament" not in segment.translation.lower()
    assert segment.flag_details == {"glossary": [_flag("Folketinget", "Folketing")]}
