"""The steps of a folder run that every executor shares: plan, read, process, write, record.

Executors (local, Ray) differ only in where ``process_articles`` runs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate_summarize.batch.discover import InputFile, discover
from translate_summarize.batch.results import Record, ResultsLog, Status, resume_key, sha256_file
from translate_summarize.errors import InputError, TsumError, UsageError
from translate_summarize.io import read_input_bytes, write_in_folder
from translate_summarize.options import FORMAT_EXTENSIONS, BatchOptions, PipelineOptions
from translate_summarize.text.reading import MAX_ARTICLE_BYTES, checked_text, decode_bytes
from translate_summarize.text.segment import ParsedArticle, parse_article

if TYPE_CHECKING:
    from translate_summarize.pipeline import Pipeline

# Options that change what is computed or written (not how fast): part of the resume key.
_RUNTIME_ONLY = ("offline", "threads", "device", "batch_tokens")
# What one article (or one window) may fail with without it being a bug in tsum: our own
# errors, the file system, undecodable text, and running out of memory on a huge article.
# Anything else is a bug and propagates (the journal keeps every record written so far).
ARTICLE_ERRORS = (TsumError, OSError, UnicodeError, MemoryError)


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

    def count(self, status: Status) -> None:
        """Count one record of ``status``."""
        if status is Status.OK:
            self.ok += 1
        elif status is Status.FAILED:
            self.failed += 1
        elif status is Status.SKIPPED:
            self.skipped += 1
        else:  # a new Status member must be counted somewhere
            raise ValueError(f"unknown status {status!r}")

    def line(self, outdir: Path, shown: int = 3) -> str:
        counts = f"tsum: {self.ok} ok, {self.failed} failed, {self.skipped} skipped in {self.seconds:.1f} s"
        if not self.failed_inputs:
            return f"{counts}; records in {outdir / 'results.jsonl'}"
        names = ", ".join(sorted(self.failed_inputs)[:shown])
        more = f" and {len(self.failed_inputs) - shown} more" if len(self.failed_inputs) > shown else ""
        return f"{counts}; failed: {names}{more}; reasons in {outdir / 'results.jsonl'}"


def find_inputs(paths: list[Path], outdir: Path, batch: BatchOptions) -> list[InputFile]:
    """Discover the inputs of a folder run, each with its output name.

    Raises:
        InputError: an input is missing, or nothing matches the patterns.
        UsageError: OUTDIR is not a folder, or is (or holds) an input.
    """
    for pattern in batch.glob:
        if not pattern or "/" in pattern or pattern in (".", ".."):
            raise UsageError(
                f"--glob {pattern!r} is not a file-name pattern: patterns match file names, not paths, and "
                "folders are searched recursively (--glob '*.txt')"
            )
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} exists and is not a folder: pass a folder to -o")
    inputs = discover(paths, batch.glob, outdir, batch.follow_symlinks, FORMAT_EXTENSIONS[batch.format])
    if not inputs:
        raise InputError(f"no files matching {', '.join(batch.glob)} under {', '.join(map(str, paths))}")
    return inputs


def plan_batch(
    inputs: list[InputFile], log: ResultsLog, models: dict, options: PipelineOptions, batch: BatchOptions
) -> Plan:
    """Decide which inputs are up to date (skipped), which cannot be read (failed) and which to run."""
    settings = {k: v for k, v in asdict(options).items() if k not in _RUNTIME_ONLY}
    settings["summary_only"] = batch.summary_only
    plan = Plan(log.outdir, inputs, [], [], [], models)
    for item in inputs:
        if item.problem:
            plan.failed.append(Record(item.relative, Status.FAILED, f"{item.path} {item.problem}", models=models))
            continue
        try:
            digest = sha256_file(item.path, MAX_ARTICLE_BYTES)
        except InputError as exc:
            plan.failed.append(Record(item.relative, Status.FAILED, str(exc), models=models))
            continue
        key = resume_key(digest, models, settings, batch.format)
        old = None if batch.force else log.up_to_date(item.relative, key)
        if old is not None:
            # Keep what the record said about the run that made the output (its timings).
            plan.skipped.append(
                Record(item.relative, Status.SKIPPED, None, old.outputs, digest, models, old.timings, key)
            )
            plan.skipped[-1].flagged = old.flagged  # trust (issue 13): the index keeps skipped articles' counts
        else:
            plan.jobs.append(Job(item, digest, key))
    return plan


def read_job(job: Job) -> ParsedArticle:
    """Read and parse one job's article (regular files only), the bytes that were planned.

    Raises:
        InputError: unreadable, changed since it was planned, or nothing to translate.
    """
    data = read_input_bytes(job.input.path, MAX_ARTICLE_BYTES, regular_only=True)
    if hashlib.sha256(data).hexdigest() != job.sha256:
        # Its record would describe bytes that were not translated (and resume would trust it).
        raise InputError(f"{job.input.path} changed while tsum was running: run again to translate its new content")
    name = str(job.input.path)
    article = parse_article(checked_text(decode_bytes(data, name), name))
    if not article.segments:
        raise InputError(f"{job.input.path} holds only a header (date, author...), no text: nothing to translate")
    return article


def windows(
    jobs: list[Job], batch: BatchOptions
) -> Iterator[tuple[list[tuple[Job, ParsedArticle]], list[tuple[Job, str]]]]:
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


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TsumError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory: split the article, or pass a smaller --batch-tokens"
    return f"{type(exc).__name__}: {exc}"


def process_articles(
    pipeline: Pipeline, parsed: list[tuple[Job, ParsedArticle]], outdir: Path, batch: BatchOptions, models: dict
) -> list[Record]:
    """Translate and summarise one window of articles together and write their outputs.

    If the window fails as a whole, each article is retried alone so that one bad article
    is recorded as failed without taking the others with it. Only the errors in
    ``ARTICLE_ERRORS`` are recorded; any other exception is a bug and propagates.
    """
    from translate_summarize.render import render

    if not parsed:
        return []
    start = time.perf_counter()
    try:
        results = pipeline.process_parsed([article for _, article in parsed])
    except ARTICLE_ERRORS as exc:  # isolate the failure to the article that caused it
        if len(parsed) == 1:
            return [failed_record(parsed[0][0], _describe(exc), models)]
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
        try:
            write_in_folder(outdir, name, text)
        except TsumError as exc:
            records.append(failed_record(job, str(exc), models))
            continue
        timings = {"seconds": round(share, 4)}
        records.append(Record(job.input.relative, Status.OK, None, [name], job.sha256, models, timings, job.key))
        records[-1].flagged = sum(1 for segment in result.segments if segment.flags)  # trust (issue 13)
    return records


def failed_record(job: Job, error: str, models: dict) -> Record:
    return Record(job.input.relative, Status.FAILED, error, [], job.sha256, models)


def pipeline_models(pipeline: Pipeline) -> dict:
    models = {"translation": pipeline.translation_model.as_dict()}
    models["summary"] = pipeline.summary_model.as_dict() if pipeline.summary_model else None
    return models


def model_fingerprints(pipeline: Pipeline) -> dict:
    """Models with their revisions (local folders by content stamp) for resume keys."""
    models = pipeline_models(pipeline)
    models["translation"]["fingerprint"] = pipeline.translation_model.fingerprint()
    if pipeline.summary_model:
        models["summary"]["fingerprint"] = pipeline.summary_model.fingerprint()
    return models
