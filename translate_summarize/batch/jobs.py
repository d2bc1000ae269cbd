"""The steps of a folder run that every executor shares: plan, read, process, write, record.

Executors (local, Ray) differ only in where ``process_articles`` runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from translate_summarize.batch.discover import InputFile, discover
from translate_summarize.batch.results import (
    Record,
    ResultsLog,
    atomic_write,
    remove_stale_temporaries,
    resume_key,
    sha256_file,
)
from translate_summarize.errors import InputError
from translate_summarize.options import FORMAT_EXTENSIONS, BatchOptions, PipelineOptions
from translate_summarize.text.reading import read_article
from translate_summarize.text.segment import ParsedArticle, parse_article


@dataclass(frozen=True)
class Job:
    input: InputFile
    sha256: str
    key: str

    @property
    def output(self) -> str:
        return self.input.output_stem


@dataclass
class Plan:
    outdir: Path
    inputs: list[InputFile]
    jobs: list[Job]
    skipped: list[Record]
    failed: list[Record]
    models: dict


@dataclass
class RunSummary:
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def line(self, outdir: Path) -> str:
        return (
            f"tsum: {self.ok} ok, {self.failed} failed, {self.skipped} skipped "
            f"in {self.seconds:.1f} s; records in {outdir / 'results.jsonl'}"
        )


def find_inputs(paths: list[Path], outdir: Path, batch: BatchOptions) -> list[InputFile]:
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir} exists and is not a folder: pass a folder to -o")
    inputs = discover(paths, batch.glob, outdir, batch.follow_symlinks)
    if not inputs:
        raise InputError(f"no files matching {', '.join(batch.glob)} under {', '.join(map(str, paths))}")
    return inputs


def plan_batch(
    inputs: list[InputFile], outdir: Path, models: dict, options: PipelineOptions, batch: BatchOptions
) -> tuple[Plan, ResultsLog]:
    """Decide which inputs are up to date (skipped) and which to run."""
    remove_stale_temporaries(outdir)
    log = ResultsLog(outdir)
    # runtime (issue 12.1): resolved engine/device/compute type, not "auto" (runtime.runtime_key)
    from translate_summarize.runtime import runtime_key

    settings = runtime_key(options)
    settings["summary_only"] = batch.summary_only
    plan = Plan(outdir, inputs, [], [], [], models)
    for item in inputs:
        try:
            digest = sha256_file(item.path)
        except OSError as exc:
            plan.failed.append(Record(item.relative, "failed", f"cannot read: {exc.strerror or exc}", models=models))
            continue
        key = resume_key(digest, models, settings, batch.format)
        old = None if batch.force else log.up_to_date(item.relative, key, outdir)
        if old is not None:
            plan.skipped.append(Record(item.relative, "skipped", None, old.outputs, digest, models, {}, key))
            plan.skipped[-1].flagged = old.flagged  # trust (issue 13): the index keeps skipped articles' counts
        else:
            plan.jobs.append(Job(item, digest, key))
    return plan, log


def read_job(job: Job) -> ParsedArticle:
    return parse_article(read_article(job.input.path))


def windows(jobs: list[Job], batch: BatchOptions):
    """Yield (parsed articles, failures) windows of bounded size, reading files lazily."""
    parsed: list[tuple[Job, ParsedArticle]] = []
    failures: list[tuple[Job, str]] = []
    sentences = 0
    for job in jobs:
        try:
            article = read_job(job)
        except InputError as exc:
            failures.append((job, str(exc)))
            continue
        parsed.append((job, article))
        sentences += len(article.segments)
        if len(parsed) >= batch.window_articles or sentences >= batch.window_sentences:
            yield parsed, failures
            parsed, failures, sentences = [], [], 0
    if parsed or failures:
        yield parsed, failures


def process_articles(
    pipeline, parsed: list[tuple[Job, ParsedArticle]], outdir: Path, batch: BatchOptions, models: dict
) -> list[Record]:
    """Translate and summarise one window of articles together and write their outputs.

    If the window fails as a whole, each article is retried alone so that one bad article
    is recorded as failed without taking the others with it.
    """
    from translate_summarize.render import render

    if not parsed:
        return []
    start = time.perf_counter()
    try:
        results = pipeline.process_parsed([article for _, article in parsed])
    except Exception as exc:  # isolate the failure to the article that caused it
        if len(parsed) == 1:
            job = parsed[0][0]
            return [failed_record(job, f"{type(exc).__name__}: {exc}", models)]
        return [record for item in parsed for record in process_articles(pipeline, [item], outdir, batch, models)]
    share = (time.perf_counter() - start) / len(parsed)
    records = []
    for (job, _), result in zip(parsed, results):
        text = render(
            result,
            batch.format,
            translation=not batch.summary_only,
            summary=result.summary is not None,
            source_name=job.input.relative,
        )
        name = job.output + FORMAT_EXTENSIONS[batch.format]
        atomic_write(outdir / name, text)
        records.append(
            Record(job.input.relative, "ok", None, [name], job.sha256, models, {"seconds": round(share, 4)}, job.key)
        )
        records[-1].flagged = sum(1 for segment in result.segments if segment.flags)  # trust (issue 13)
    return records


def failed_record(job: Job, error: str, models: dict) -> Record:
    return Record(job.input.relative, "failed", error, [], job.sha256, models)


def pipeline_models(pipeline) -> dict:
    return pipeline.models_record()  # runtime (issue 12.2): the pipeline builds the record once


def model_fingerprints(pipeline) -> dict:
    """Models with their revisions (local folders by content stamp) for resume keys."""
    return pipeline.models_record(fingerprints=True)
