"""The JSON Schemas of the JSON output and of results.jsonl records: valid, shipped, followed by
what tsum writes, in step with the code's fields and with the documented field tables.

Every other test's tsum JSON is validated too, by the ``tsum_json_follows_its_schema`` hook in
conftest.py; these tests check the schemas themselves and what the hook relies on.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re

import pytest
from cli_helpers import records, tsum
from conftest import ROOT, TRANSLATION_PAIRS, known_article
from helpers import check_tsum_json, schema_errors, schema_paths

from translate_summarize.batch.results import Record
from translate_summarize.core.quality import FLAGS
from translate_summarize.core.runtime import Runtime
from translate_summarize.options import COMPUTE_TYPES, DEVICES, ENGINES, SUMMARY_LENGTHS, GenerationSettings
from translate_summarize.output.schema import ARTICLE_SCHEMA, RECORD_SCHEMA, SCHEMAS, load_schema
from translate_summarize.text.segment import METADATA_KEYS

FAST = ["--compute-type", "float32", "--beam-size", "1", "--quiet"]


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory, tiny_models):
    """A folder run with --format json over two articles: one with a title and a date, one without."""
    root = tmp_path_factory.mktemp("schema-run")
    articles = root / "articles"
    (articles / "sub").mkdir(parents=True)
    text, _ = known_article(TRANSLATION_PAIRS[:4])
    (articles / "moede.txt").write_text(f"Titel: {TRANSLATION_PAIRS[0][0]}\nDato: 2021-07-14\n\n{text}", "utf-8")
    (articles / "sub" / "renten.txt").write_text(known_article(TRANSLATION_PAIRS[4:6])[0], encoding="utf-8")
    models = ["--translation-model", str(tiny_models["translation"]), "--summary-model", str(tiny_models["summary"])]
    result = tsum(articles, "-o", root / "out", "--format", "json", *models, *FAST)
    assert result.exit_code == 0, result.output
    return root / "out"


def test_the_schemas_are_valid_draft_2020_12_and_load_from_the_package():
    from jsonschema import Draft202012Validator

    for name in SCHEMAS:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
    with pytest.raises(ValueError, match="tsum ships article.schema.json"):
        load_schema("other.json")


def test_a_single_article_names_its_input_and_validates(model_args, tmp_path):
    article = tmp_path / "artikel.txt"
    article.write_text(known_article(TRANSLATION_PAIRS[:2])[0], encoding="utf-8")
    from_file = tsum(article, *model_args, *FAST, "--format", "json")
    from_stdin = tsum("-", *model_args, *FAST, "--format", "json", "--no-summary", input=article.read_bytes())
    assert from_file.exit_code == 0 and from_stdin.exit_code == 0, from_file.output + from_stdin.output
    data, piped = json.loads(from_file.stdout), json.loads(from_stdin.stdout)
    assert data["input"] == str(article) and piped["input"] is None
    assert schema_errors(data, ARTICLE_SCHEMA) == [] and schema_errors(piped, ARTICLE_SCHEMA) == []
    assert piped["summary"] is None and piped["models"]["summary"] is None and piped["generation"]["summary"] is None
    # the JSON keeps a local model folder's full path (the text headers show its name only)
    assert data["models"]["translation"] == {"name": model_args[1], "revision": "local"}


def test_a_folder_run_s_outputs_and_records_validate(folder_run):
    found = records(folder_run)
    assert set(found) == {"moede.txt", "sub/renten.txt"}
    for record in found.values():
        assert schema_errors(record, RECORD_SCHEMA) == []
        output = json.loads((folder_run / record["outputs"][0]).read_text(encoding="utf-8"))
        assert output["input"] == record["input"]  # named as results.jsonl names it
        assert schema_errors(output, ARTICLE_SCHEMA) == []
    assert found["moede.txt"]["title"] == TRANSLATION_PAIRS[0][1] and found["moede.txt"]["date"] == "2021-07-14"
    assert found["sub/renten.txt"]["title"] is None and found["sub/renten.txt"]["date"] is None


def test_the_schemas_refuse_what_tsum_does_not_write(folder_run):
    """The hook would pass anything if the schemas did: each of these breaks them."""
    good = json.loads((folder_run / "moede.json").read_text(encoding="utf-8"))
    record = records(folder_run)["moede.txt"]

    def broken(data, change):
        data = copy.deepcopy(data)
        change(data)
        return data

    article_cases = {
        "an undocumented field": lambda d: d.update(extra=1),
        "a missing field": lambda d: d.pop("input"),
        "an unknown flag": lambda d: d["segments"][0].update(flags=["invented"]),
        "a segment field more": lambda d: d["segments"][0].update(note="x"),
        "an undocumented metadata key": lambda d: d["metadata"].update(mood="x"),
        "an unresolved runtime": lambda d: d["generation"]["translation"].update(device="auto"),
        "a generation key more": lambda d: d["generation"]["summary"].update(threads=4),
        "a summary setting missing": lambda d: d["generation"]["summary"].pop("summary_length"),
        "a confidence over 1": lambda d: d["source_language"].update(confidence=1.5),
    }
    for why, change in article_cases.items():
        assert schema_errors(broken(good, change), ARTICLE_SCHEMA), why
    record_cases = {
        "an unknown status": lambda r: r.update(status="done"),
        "a record field more": lambda r: r.update(extra=None),
        "a missing title": lambda r: r.pop("title"),
        "a short sha256": lambda r: r.update(sha256="abc"),
    }
    for why, change in record_cases.items():
        assert schema_errors(broken(record, change), RECORD_SCHEMA), why
    with pytest.raises(AssertionError, match=r"\$\.extra|Additional properties"):
        check_tsum_json(broken(good, article_cases["an undocumented field"]))


def test_the_hook_checks_json_that_a_test_parses():
    text = json.dumps({"input": "a.txt", "status": "ok", "outputs": []})  # a record with fields missing
    with pytest.raises(AssertionError, match="results-record.schema.json"):
        json.loads(text)
    assert json.loads('{"input": "a.txt"}') == {"input": "a.txt"}  # other JSON passes unchecked


def test_the_schemas_hold_the_fields_the_code_writes(folder_run):
    article, record = load_schema(ARTICLE_SCHEMA), load_schema(RECORD_SCHEMA)
    written = json.loads((folder_run / "moede.json").read_text(encoding="utf-8"))
    assert list(article["properties"]) == list(written) == article["required"]
    fields = [field.name for field in dataclasses.fields(Record)]
    assert list(record["properties"]) == fields == record["required"]
    assert article["$defs"]["flag"]["enum"] == list(FLAGS), "add the new flag to $defs/flag in article.schema.json"
    assert set(article["properties"]["metadata"]["properties"]) == set(METADATA_KEYS.values())
    assert set(article["$defs"]["decoding"]["properties"]) == {f.name for f in dataclasses.fields(GenerationSettings)}
    runtime = Runtime("ctranslate2", "cpu", "int8", 1, 1024).record()
    assert set(article["$defs"]["runtime"]["properties"]) == set(runtime)
    enums = {name: article["$defs"]["runtime"]["properties"][name]["enum"] for name in ("engine", "device")}
    assert enums == {"engine": [e for e in ENGINES if e != "auto"], "device": [d for d in DEVICES if d != "auto"]}
    compute = article["$defs"]["runtime"]["properties"]["compute_type"]["enum"]
    assert compute == [c for c in COMPUTE_TYPES if c != "auto"]
    lengths = article["properties"]["generation"]["properties"]["summary"]["properties"]["summary_length"]["enum"]
    assert lengths == list(SUMMARY_LENGTHS)
    # the parts both schemas share are the same
    assert article["$defs"]["source_language"] == record["$defs"]["source_language"]
    shared_model = {k: v for k, v in record["$defs"]["model"]["properties"].items() if k != "fingerprint"}
    assert shared_model == article["$defs"]["model"]["properties"]


# ---- the documented field tables against the schemas ---------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FIELD = re.compile(r"^\|\s*`([^`]+)`")


def documented_fields(heading_words: str) -> dict[str, list[str]]:
    """Field paths from the tables (first header cell "field") in every section of README.md and
    docs/*.md whose heading contains ``heading_words``, by file."""
    found: dict[str, list[str]] = {}
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        level, in_table, fence = None, False, False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("```"):
                fence = not fence
            heading = None if fence else _HEADING.match(line)
            if heading:
                depth = len(heading.group(1))
                if level is not None and depth <= level:
                    level = None
                if level is None and heading_words.casefold() in heading.group(2).casefold():
                    level = depth
                in_table = False
                continue
            if level is None or fence:
                continue
            cells = [cell.strip().lower() for cell in line.strip().strip("|").split("|")]
            if line.startswith("|") and cells[0] == "field":
                in_table = True
            elif not line.startswith("|"):
                in_table = False
            elif in_table and (field := _FIELD.match(line)):
                found.setdefault(path.relative_to(ROOT).as_posix(), []).append(field.group(1))
    return found


@pytest.mark.parametrize(("heading", "schema"), [("JSON output", ARTICLE_SCHEMA), ("results.jsonl", RECORD_SCHEMA)])
def test_the_field_tables_document_every_field_and_only_those(heading, schema):
    tables = documented_fields(heading)
    assert tables, f'no field table under a heading "{heading}" in README.md or docs/*.md'
    paths = schema_paths(load_schema(schema))
    for where, fields in tables.items():
        for field in fields:
            assert any(_matches(field, path) for path in paths), f"{where} documents `{field}`, not in {schema}"
    documented = [field for fields in tables.values() for field in fields]
    undocumented = [path for path in paths if not any(_matches(field, path) for field in documented)]
    assert undocumented == [], f"{schema} fields with no row in a field table under '{heading}': {undocumented}"


def _matches(field: str, path: str) -> bool:
    """Whether a documented field names a schema path; ``*`` stands for one key (``models.*.name``)."""
    return re.fullmatch(re.escape(field).replace(r"\*", r"[^.]+"), path) is not None


# What the summary depends on, besides the translation: each option here must show in
# generation.summary, whether or not it changed this article's summary with the tiny models.
SUMMARY_OPTIONS = [
    {"summary_length": "short"},
    {"summary_length": "long"},
    {"beam_size": 1},
    {"compute_type": "float32"},
    {"engine": "transformers"},
    {"batch_tokens": 4096},
]


def test_generation_summary_records_every_option_that_changes_the_summary(tiny_models):
    from translate_summarize.core.pipeline import Pipeline
    from translate_summarize.options import PipelineOptions

    article = known_article()[0]
    models = {"translation_model": str(tiny_models["translation"]), "summary_model": str(tiny_models["summary"])}
    base = Pipeline(PipelineOptions(**models)).process([article])[0]
    assert base.generation["summary"]["summary_length"] == "medium"
    changed = []
    for option in SUMMARY_OPTIONS:
        result = Pipeline(PipelineOptions(**models, **option)).process([article])[0]
        recorded = result.generation["summary"]
        assert recorded != base.generation["summary"], f"{option} is not recorded in generation.summary"
        assert all(recorded.get(name, value) == value for name, value in option.items())
        if result.summary != base.summary:
            changed.append(option)
    assert changed, "no option changed the summary: this test would not notice a missing record"
