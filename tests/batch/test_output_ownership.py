"""One owner per output path: the plan and the journal decide, clashes get documented names,
another run's OUTDIR is never written into (docs/folders-ownership.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from support.cli import ARTICLE, FAST, one_error_line, records, tsum, write_articles
from support.common import TRANSLATION_PAIRS

from translate_summarize.batch.jobs import find_inputs
from translate_summarize.batch.ownership import assign_outputs
from translate_summarize.batch.results import Record, Status
from translate_summarize.options import BatchOptions

SENTENCES = [da for da, _ in TRANSLATION_PAIRS]


def jsonl(*pairs: tuple[str, str]) -> str:
    return "".join(json.dumps({"id": i, "text": text}) + "\n" for i, text in pairs)


def run(model_args, *args) -> tuple[int, dict]:
    out = Path(args[-1])
    result = tsum(*args[:-1], "-o", out, *model_args, *FAST)
    return result.exit_code, records(out)


def outputs_of(found: dict) -> dict[str, str]:
    return {key: r["outputs"][0] for key, r in found.items() if r["outputs"]}


def assert_one_owner(found: dict, out: Path) -> None:
    names = [name.casefold() for name in outputs_of(found).values()]
    assert len(names) == len(set(names)), found
    for key, name in outputs_of(found).items():
        assert (out / name).is_file(), (key, name)


def plan(tmp_path: Path, paths: list[Path], previous: dict | None = None, glob=("*.txt", "*.jsonl", "*.json")):
    inputs = find_inputs(paths, tmp_path / "out", BatchOptions(glob=glob))
    return {i.key: i.output_stem for i in assign_outputs(inputs, previous or {}, tmp_path / "out", ".txt")}


# --- archives beside files, resumed runs, nested OUTDIRs ------------------------------------------


def test_archive_article_and_single_json_article_never_share_an_output(tmp_path, model_args):
    folder = tmp_path / "in"
    (folder / "x").mkdir(parents=True)
    (folder / "x.jsonl").write_text(jsonl(("y", SENTENCES[0])), encoding="utf-8")
    (folder / "x" / "y.json").write_text(json.dumps({"text": SENTENCES[1]}), encoding="utf-8")
    code, found = run(model_args, folder, tmp_path / "out")
    assert code == 0 and set(found) == {"x.jsonl#y", "x/y.json"}
    assert_one_owner(found, tmp_path / "out")
    assert outputs_of(found)["x/y.json"] == "x/y.txt"  # the file keeps the plain name


def test_resume_a_folder_added_beside_a_done_archive_keeps_the_archive_output(tmp_path, model_args):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "news.jsonl").write_text(jsonl(("a", SENTENCES[0])), encoding="utf-8")
    code, first = run(model_args, folder, out)
    assert code == 0 and outputs_of(first) == {"news.jsonl#a": "news/a.txt"}
    before = (out / "news" / "a.txt").read_bytes()
    (folder / "news").mkdir()
    (folder / "news" / "a.txt").write_text(SENTENCES[2] + "\n", encoding="utf-8")
    code, second = run(model_args, folder, out)
    assert code == 0
    assert second["news.jsonl#a"]["status"] == "skipped" and second["news.jsonl#a"]["outputs"] == ["news/a.txt"]
    assert (out / "news" / "a.txt").read_bytes() == before  # never overwritten by the newcomer
    assert second["news/a.txt"]["status"] == "ok" and second["news/a.txt"]["outputs"] == ["news/a.txt.txt"]
    assert_one_owner(second, out)


def test_resume_with_glob_star_a_file_without_extension_never_takes_a_done_output(tmp_path, model_args):
    folder, out = tmp_path / "in", tmp_path / "out"
    write_articles(folder, "b.txt")
    code, first = run(model_args, folder, "--glob", "*", out)
    assert code == 0 and outputs_of(first) == {"b.txt": "b.txt"}
    before = (out / "b.txt").read_bytes()
    (folder / "b").write_text(SENTENCES[3] + "\n", encoding="utf-8")
    code, second = run(model_args, folder, "--glob", "*", out)
    assert code == 0 and second["b.txt"]["status"] == "skipped"
    assert (out / "b.txt").read_bytes() == before
    fingerprint = hashlib.sha256(b"b").hexdigest()[:8]
    assert second["b"]["outputs"] == [f"b-{fingerprint}.txt"]  # b.txt taken, full name b -> b.txt taken too
    assert_one_owner(second, out)


def test_file_named_like_an_archive_article_has_its_own_record(tmp_path, model_args):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "ids.jsonl").write_text(jsonl(("c.txt", SENTENCES[0])), encoding="utf-8")
    (folder / "ids.jsonl#c.txt").write_text(SENTENCES[1] + "\n", encoding="utf-8")
    code, found = run(model_args, folder, "--glob", "*", out)
    assert code == 0 and set(found) == {"ids.jsonl#c.txt", "ids.jsonl%23c.txt"}
    assert_one_owner(found, out)
    code, again = run(model_args, folder, "--glob", "*", out)  # and neither is redone
    assert code == 0 and {r["status"] for r in again.values()} == {"skipped"}


def test_outer_run_never_writes_into_an_inner_runs_outdir(tmp_path, model_args):
    ny, nx, onest = tmp_path / "nY", tmp_path / "nX", tmp_path / "onest"
    write_articles(ny, "a.txt")
    write_articles(nx, "sub/a.txt", "top.txt")
    assert run(model_args, ny, onest / "sub")[0] == 0
    inner = (onest / "sub" / "a.txt").read_bytes()
    code, found = run(model_args, nx, onest)
    assert code == 1 and found["top.txt"]["status"] == "ok"
    assert (
        found["sub/a.txt"]["status"] == "failed"
        and "the output folder of another tsum run" in found["sub/a.txt"]["error"]
    )
    assert (onest / "sub" / "a.txt").read_bytes() == inner


# --- clashes, names the journal holds, archive ids ------------------------------------------------


def test_inner_outdir_inside_another_runs_outdir_is_refused(tmp_path, model_args):
    write_articles(tmp_path / "in", "a.txt")
    assert run(model_args, tmp_path / "in", tmp_path / "outer")[0] == 0
    result = tsum(tmp_path / "in", "-o", tmp_path / "outer" / "inner", *model_args, *FAST)
    assert result.exit_code == 2
    assert "the output folder of another tsum run" in one_error_line(result.stderr)
    assert not (tmp_path / "outer" / "inner").exists()


def test_case_insensitive_clash_between_archive_article_and_file(tmp_path):
    folder = tmp_path / "in"
    (folder / "News").mkdir(parents=True)
    (folder / "news.jsonl").write_text(jsonl(("A", SENTENCES[0])), encoding="utf-8")
    (folder / "News" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    names = plan(tmp_path, [folder])
    assert len({n.casefold() for n in names.values()}) == len(names) == 2


def test_a_name_the_journal_gives_is_never_handed_to_another_input(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, "a.txt", "b.txt")
    # an earlier run wrote b.txt's output under the name a.txt's output would take
    previous = {"b.txt": Record("b.txt", Status.OK, outputs=["a.txt"])}
    names = plan(tmp_path, [folder], previous)
    assert names == {"b.txt": "a", "a.txt": "a.txt"}


def test_names_held_by_records_of_removed_inputs_are_not_reused(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, "c.txt")
    previous = {"gone.txt": Record("gone.txt", Status.OK, outputs=["c.txt"])}
    assert plan(tmp_path, [folder], previous) == {"c.txt": "c.txt"}


def test_two_records_claiming_one_output_keep_it_for_the_first_input_only(tmp_path):
    folder = tmp_path / "in"
    write_articles(folder, "a.txt", "b.txt")
    previous = {key: Record(key, Status.OK, outputs=["shared.txt"]) for key in ("a.txt", "b.txt")}
    names = plan(tmp_path, [folder], previous)
    assert names["a.txt"] == "shared" and names["b.txt"] == "b"


@pytest.mark.parametrize("ids", [["same"] * 3, ["x", "X", "x-2"]])
def test_archive_ids_that_clash_get_distinct_outputs(tmp_path, ids):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(jsonl(*[(i, SENTENCES[0]) for i in ids]), encoding="utf-8")
    names = plan(tmp_path, [folder])
    assert len({n.casefold() for n in names.values()}) == len(ids) == len(names)


def test_a_name_the_journal_gave_stays_taken_after_a_run_that_did_not_see_its_input(model_args, tmp_path):
    # run 1 (--glob '*.jsonl') gives news/b.txt to the archive's article b; run 2 (--glob '*.txt')
    # does not see the archive; run 3 adds the file news/b.txt, whose preferred name is news/b.txt
    folder, out = tmp_path / "in", tmp_path / "out"
    (folder / "news").mkdir(parents=True)
    line = {"text": ARTICLE}
    (folder / "news.jsonl").write_text(
        "".join(json.dumps({"id": i, **line}) + "\n" for i in ("a", "b")), encoding="utf-8"
    )
    base = [str(folder), *model_args, *FAST, "-o", str(out)]
    assert tsum(*base, "--glob", "*.jsonl").exit_code == 0
    archive_b = (out / "news" / "b.txt").read_bytes()
    (folder / "news" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    assert tsum(*base, "--glob", "*.txt").exit_code == 0
    (folder / "news" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = tsum(*base, "--glob", "*.txt")
    assert result.exit_code == 0, result.output
    assert (out / "news" / "b.txt").read_bytes() == archive_b  # never handed to another input
    found = records(out)
    assert found["news/b.txt"]["outputs"] == ["news/b.txt.txt"]
    assert found["news.jsonl#b"]["outputs"] == ["news/b.txt"]  # still in the journal: still held
