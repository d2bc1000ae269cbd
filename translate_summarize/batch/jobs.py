"""The steps of a folder run that every executor shares: plan, read, process, write, record.

Executors (local, Ray) differ only in where ``process_articles`` runs.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from translate_summarize.batch.archives import expand_archives
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
from translate_summarize.text.inputs import parse_input
from translate_summarize.text.reading import read_article
from translate_summarize.text.segment import ParsedArticle

# Options that change what is computed or written (not how fast): part of the resume key.
_RUNTIME_ONLY = ("offline", "threads", "device", "batch_tokens")


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
    failed_inputs: list[str] = field(default_factory=list)

    def line(self, outdir: Path, shown: int = 3) -> str:
        counts = f"tsum: {self.ok} ok, {self.failed} failed, {self.skipped} skipped in {self.seconds:.1f} s"
        if not self.failed_inputs:
            return f"{counts}; records in {outdir / 'results.jsonl'}"
        names = ", ".join(sorted(self.failed_inputs)[:shown])
        more = f" and {len(self.failed_inputs) - shown} more" if len(self.failed_inputs) > shown else ""
        return f"{counts}; failed: {names}{more}; reasons in {outdir / 'results.jsonl'}"


def find_inputs(paths: list[Path], outdir: Path, batch: BatchOptions) -> list[InputFile]:
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir} exists and is not a folder: pass a folder to -o")
    inputs = expand_archives(discover(paths, batch.glob, outdir, batch.follow_symlinks))
    if not inputs:
        raise InputError(f"no files matching {', '.join(batch.glob)} under {', '.join(map(str, paths))}")
    return inputs


def plan_batch(
    inputs: list[InputFile], outdir: Path, models: dict, options: PipelineOptions, batch: BatchOptions
) -> tuple[Plan, ResultsLog]:
    """Decide which inputs are up to date (skipped) and which to run."""
    remove_stale_temporaries(outdir)
    log = ResultsLog(outdir)
    settings = {k: v for k, v in asdict(options).items() if k not in _RUNTIME_ONLY}
    settings["summary_only"] = batch.summary_only
    plan = Plan(outdir, inputs, [], [], [], models)
    for item in inputs:
        if item.error is not None:
            plan.failed.append(Record(item.relative, "failed", item.error, [], item.sha256, models))
            continue
        try:
            digest = item.sha256 or sha256_file(item.path)
        except OSError as exc:
            plan.failed.append(Record(item.relative, "failed", f"cannot read: {exc.strerror or exc}", models=models))
            continue
        key = resume_key(digest, models, settings, batch.format)
        old = None if batch.force else log.up_to_date(item.relative, key, outdir)
        if old is not None:
            plan.skipped.append(
                Record(item.relative, "skipped", None, old.outputs, digest, models, {}, key, old.source_language)
            )
            plan.skipped[-1].flagged = old.flagged  # trust (issue 13): the index keeps skipped articles' counts
        else:
            plan.jobs.append(Job(item, digest, key))
    return plan, log


def read_job(job: Job, options: PipelineOptions | None = None) -> ParsedArticle:
    other_language = (options or PipelineOptions()).other_language
    if job.input.text is not None:  # an article of an archive
        return parse_input(job.input.text, f"{job.input.path} ({job.input.relative})", other_language, kind="text")
    return parse_input(read_article(job.input.path), str(job.input.path), other_language)


def windows(jobs: list[Job], batch: BatchOptions, options: PipelineOptions | None = None):
    """Yield (parsed articles, failures) windows of bounded size, reading files lazily."""
    parsed: list[tuple[Job, ParsedArticle]] = []
    failures: list[tuple[Job, str]] = []
    sentences = 0
    for job in jobs:
        try:
            article = read_job(job, options)
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
            Record(
                job.input.relative,
                "ok",
                None,
                [name],
                job.sha256,
                models,
                {"seconds": round(share, 4)},
                job.key,
                result.source_language,
            )
        )
        records[-1].flagged = sum(1 for segment in result.segments if segment.flags)  # trust (issue 13)
    return records


def failed_record(job: Job, error: str, models: dict) -> Record:
    return Record(job.input.relative, "failed", error, [], job.sha256, models)


def pipeline_models(pipeline) -> dict:
    models = {"translation": pipeline.translation_model.as_dict()}
    models["summary"] = pipeline.summary_model.as_dict() if pipeline.summary_model else None
    return models


def model_fingerprints(pipeline) -> dict:
    """Models with their revisions (local folders by content stamp) for resume keys."""
    models = pipeline_models(pipeline)
    models["translation"]["fingerprint"] = pipeline.translation_model.fingerprint()
    if pipeline.summary_model:
        models["summary"]["fingerprint"] = pipeline.summary_model.fingerprint()
    return models
