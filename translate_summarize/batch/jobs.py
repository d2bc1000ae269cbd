"""The steps of a folder run that every executor shares: plan, read, process, write, record.

Executors (local, Ray) differ only in where ``process_articles`` runs. One module although over
350 lines: the steps share the Job and record types and run in this order in every executor.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate_summarize.batch.archives import expand_archives
from translate_summarize.batch.discover import InputFile, discover
from translate_summarize.batch.ownership import assign_outputs, check_outdir_owner
from translate_summarize.batch.results import Record, ResultsLog, Status, resume_key, sha256_file
from translate_summarize.errors import InputError, TsumError, UsageError
from translate_summarize.options import FORMAT_EXTENSIONS, BatchOptions, PipelineOptions, WebOptions
from translate_summarize.text.inputs import input_text
from translate_summarize.text.reading import MAX_ARTICLE_BYTES
from translate_summarize.text.segment import ParsedArticle
from translate_summarize.util.files import read_input_bytes, write_in_folder

if TYPE_CHECKING:
    from translate_summarize.core.pipeline import Pipeline

# What one article (or one window) may fail with without it being a bug in tsum: our own
# errors, the file system, undecodable text, and running out of memory on a huge article.
# Anything else is a bug and propagates (the journal keeps every record written so far).
ARTICLE_ERRORS = (TsumError, OSError, UnicodeError, MemoryError)


@dataclass(frozen=True)
class Job:
    input: InputFile
    sha256: str
    key: str
    translation_key: str | None = None

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
    rechecks: list[tuple[Job, Record]] = field(default_factory=list)
    """Articles whose JSON output needs only its glossary flags redone (the glossary changed)."""


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
    check_outdir_owner(outdir)
    inputs = discover(paths, batch.glob, outdir, batch.follow_symlinks, FORMAT_EXTENSIONS[batch.output_format])
    inputs = expand_archives(inputs)  # one input per article of an archive
    if batch.web.urls:  # pages and feed items (batch/web.py)
        from translate_summarize.batch.web import planned_web_inputs

        inputs += planned_web_inputs(inputs, outdir, batch)
    if not inputs and not batch.web.urls:  # feeds with no new item are no error: a quiet hour
        raise InputError(f"no files matching {', '.join(batch.glob)} under {', '.join(map(str, paths))}")
    if inputs and all(item.skip for item in inputs):  # say the real reason, not "no files matching"
        first = inputs[0]
        more = f" (and {len(inputs) - 1} more like it)" if len(inputs) > 1 else ""
        raise InputError(f"{first.path} {first.skip}{more}: pass the articles themselves")
    return inputs


def plan_batch(
    inputs: list[InputFile], log: ResultsLog, models: dict, options: PipelineOptions, batch: BatchOptions
) -> Plan:
    """Decide which inputs are up to date (skipped), which cannot be read (failed) and which to run."""
    # Resume keys hold the resolved engine/device/compute type, not "auto" (runtime.runtime_key),
    # so an output made on another device is not taken as done.
    from translate_summarize.core.runtime import runtime_key

    key_options = runtime_key(options)
    key_options["summary_only"] = batch.summary_only
    # The plan and the journal decide who owns each output name (batch/ownership.py).
    inputs = assign_outputs(inputs, log.previous, log.outdir, FORMAT_EXTENSIONS[batch.output_format])
    without_glossary = {k: v for k, v in key_options.items() if k != "glossary"}
    plan = Plan(log.outdir, inputs, [], [], [], models)
    for item in inputs:
        if item.skip:
            plan.skipped.append(Record(item.key, Status.SKIPPED, f"{item.path} {item.skip}", models=models))
            continue
        if item.problem:
            web = item.url is not None or item.kind is not None  # a page or feed item: its problem names it
            error = item.problem if web else f"{item.path} {item.problem}"
            plan.failed.append(Record(item.key, Status.FAILED, error, models=models))
            plan.failed[-1].source_url = item.url
            continue
        try:
            digest = item.sha256 or sha256_file(item.path, MAX_ARTICLE_BYTES)
        except InputError as exc:
            plan.failed.append(Record(item.key, Status.FAILED, str(exc), models=models))
            continue
        key = resume_key(digest, models, key_options, batch.output_format)
        translation_key = resume_key(digest, models, without_glossary, batch.output_format)
        old = None if batch.force else log.up_to_date(item.key, key)
        if old is not None and old.outputs != [item.output_stem + FORMAT_EXTENSIONS[batch.output_format]]:
            old = None  # its output has another name now: write it there
        if old is not None:
            # Keep what the record said about the run that made the output (its timings).
            plan.skipped.append(Record(item.key, Status.SKIPPED, None, old.outputs, digest, models, old.timings, key))
            plan.skipped[-1].translation_key = translation_key
            # The index keeps skipped articles' flag counts, language, title and date.
            for name in ("flagged", "flag_counts", "source_language", "title", "date"):
                setattr(plan.skipped[-1], name, getattr(old, name))
            plan.skipped[-1].source_url = item.url
            continue
        job = Job(item, digest, key, translation_key)
        previous = None if batch.force else log.previous.get(item.key)
        if (
            batch.output_format == "json"
            and previous is not None
            and previous.translation_key == translation_key
            and log.up_to_date(item.key, previous.key) is not None
        ):
            plan.rechecks.append((job, previous))
        else:
            plan.jobs.append(job)
    return plan


def read_job(job: Job, pipeline: Pipeline | None = None, web: WebOptions | None = None) -> ParsedArticle:
    """Read and parse one job's article (regular files only) through ``pipeline.parse``.

    A file is read as the bytes that were planned: one that changed since (its hash differs) fails.

    Raises:
        InputError: unreadable, changed since it was planned, nothing to translate, or not Danish
            with ``--other-language fail``.
    """
    if pipeline is None:
        from translate_summarize.core.pipeline import Pipeline

        pipeline = Pipeline()
    if job.input.url is not None or job.input.kind is not None:  # a page or a feed item (batch/web.py)
        from translate_summarize.batch.web import web_article_text

        text, kind = web_article_text(job.input, web or WebOptions())
        return pipeline.parse(text, job.input.url or job.input.relative, kind=kind)
    if job.input.text is not None:  # an article of an archive, already read
        return pipeline.parse(job.input.text, f"{job.input.path} ({job.input.label})", kind="archive")
    data = read_input_bytes(job.input.path, MAX_ARTICLE_BYTES, regular_only=True)
    if hashlib.sha256(data).hexdigest() != job.sha256:
        # Its record would describe bytes that were not translated (and resume would trust it).
        raise InputError(f"{job.input.path} changed while tsum was running: run again to translate its new content")
    name = str(job.input.path)
    text, kind = input_text(data, name)  # a document's text, or the decoded file
    return pipeline.parse(text, name, kind=kind)


def plan_windows(jobs: list[Job], batch: BatchOptions, min_windows: int = 1) -> list[list[Job]]:
    """Group jobs into windows of articles translated together, from planning data only.

    Windows are bounded in articles and in input bytes (file sizes, so that nothing is read to
    plan them), which keeps memory flat however many files there are. Every executor uses these
    windows, so the same articles share batches and outputs are identical. ``min_windows`` (the
    Ray executor's worker count) makes a small folder's windows smaller, so that there are that
    many and no worker idles; those windows differ from a local run's.
    """
    per_window = batch.window_articles
    if min_windows > 1:
        per_window = min(per_window, max(1, -(-len(jobs) // min_windows)))
    planned: list[list[Job]] = []
    current: list[Job] = []
    size = 0
    for job in jobs:
        if job.input.text is not None:  # an article of an archive, already in memory
            size += len(job.input.text.encode())
        else:
            with contextlib.suppress(OSError):  # reading it fails later and records why
                size += job.input.path.stat().st_size
        current.append(job)
        if len(current) >= per_window or size >= batch.window_bytes:
            planned.append(current)
            current, size = [], 0
    if current:
        planned.append(current)
    while len(planned) < min(min_windows, len(jobs)):
        largest = max(range(len(planned)), key=lambda i: len(planned[i]))
        window, half = planned[largest], (len(planned[largest]) + 1) // 2
        planned[largest : largest + 1] = [window[:half], window[half:]]
    return planned


def read_window(
    window: list[Job], pipeline: Pipeline, web: WebOptions | None = None
) -> tuple[list[tuple[Job, ParsedArticle]], list[tuple[Job, str]]]:
    """Read and parse a window's articles: (parsed articles, failures with their reasons)."""
    parsed: list[tuple[Job, ParsedArticle]] = []
    failures: list[tuple[Job, str]] = []
    for job in window:
        try:
            parsed.append((job, read_job(job, pipeline, web)))
        except TsumError as exc:  # unreadable, or a missing optional module: this article only
            failures.append((job, str(exc)))
        except RecursionError:  # input nested too deep for a parser (HTML, JSON): this article only
            failures.append((job, f"{job.input.path} is nested too deep to read: pass a plain article"))
    return parsed, failures


def process_window(
    pipeline: Pipeline, window: list[Job], outdir: Path, batch: BatchOptions, models: dict
) -> Iterator[Record]:
    """One window, as every executor runs it: read and parse its articles, then translate them
    together; one record per job (those that could not be read first, as soon as they are known)."""
    parsed, failures = read_window(window, pipeline, batch.web)
    for job, error in failures:
        yield failed_record(job, error, models)
    yield from process_articles(pipeline, parsed, outdir, batch, models)


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
    from translate_summarize.output.render import render_pieces

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
        name = job.output + FORMAT_EXTENSIONS[batch.output_format]
        try:
            if batch.output_format == "docx":
                text = _docx_output(job, result, batch)
            else:
                text = render_pieces(  # written piece by piece, never one string
                    result,
                    batch.output_format,
                    translation=not batch.summary_only,
                    summary=result.summary is not None,
                    source_name=job.input.label,
                )
            write_in_folder(outdir, name, text)
        except TsumError as exc:
            records.append(failed_record(job, str(exc), models))
            continue
        timings = {"seconds": round(share, 4)}
        records.append(Record(job.input.key, Status.OK, None, [name], job.sha256, models, timings, job.key))
        records[-1].source_url = job.input.url
        # For the index page:
        records[-1].flagged = sum(1 for segment in result.segments if segment.flags)
        records[-1].source_language = result.source_language
        headline = result.headline()
        records[-1].title = (headline.translation.strip() or None) if headline else None
        records[-1].date = result.metadata.get("date")
        records[-1].translation_key = job.translation_key
        records[-1].flag_counts = flag_counts([segment.flags for segment in result.segments])
    return records


def flag_counts(flags_per_sentence: list[list[str]]) -> dict[str, int]:
    """How many sentences carry each flag, in the order flags first appear."""
    counts: dict[str, int] = {}
    for flags in flags_per_sentence:
        for flag in flags:
            counts[flag] = counts.get(flag, 0) + 1
    return counts


def recheck_glossary(plan: Plan, glossary) -> Iterator[Record]:
    """Redo the glossary flags of ``plan.rechecks`` in their JSON outputs, without translating
    again: the translation, scores and other flags do not depend on the glossary. An output that
    cannot be read back as tsum JSON becomes an ordinary job (``plan.jobs``)."""
    import json

    from translate_summarize.core.quality import with_glossary_flags

    for job, previous in plan.rechecks:
        name = previous.outputs[0]
        start = time.perf_counter()
        try:
            data = json.loads((plan.outdir / name).read_text(encoding="utf-8"))
            for segment in data["segments"]:
                segment["flags"], segment["flag_details"] = with_glossary_flags(
                    segment["source"],
                    segment["translation"],
                    segment["flags"],
                    segment.get("flag_details") or {},
                    glossary,
                    segment.get("source_names") or [],
                )
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"  # as render() writes JSON
        except (OSError, UnicodeError, ValueError, KeyError, TypeError, AttributeError):
            plan.jobs.append(job)
            continue
        try:
            write_in_folder(plan.outdir, name, text)
        except TsumError as exc:
            yield failed_record(job, str(exc), plan.models)
            continue
        timings = {"seconds": round(time.perf_counter() - start, 4)}
        record = Record(job.input.key, Status.OK, None, [name], job.sha256, plan.models, timings, job.key)
        record.translation_key = job.translation_key
        record.flagged = sum(1 for segment in data["segments"] if segment["flags"])
        record.flag_counts = flag_counts([segment["flags"] for segment in data["segments"]])
        record.source_language, record.title, record.date = previous.source_language, previous.title, previous.date
        yield record


def failed_record(job: Job, error: str, models: dict) -> Record:
    record = Record(job.input.key, Status.FAILED, error, [], job.sha256, models)
    record.source_url = job.input.url
    return record


def _docx_output(job: Job, result, batch: BatchOptions) -> bytes:
    """--format docx: the input .docx with its paragraphs translated (output/docx.py).

    Raises:
        TsumError: the input is not a .docx, changed since it was planned, or cannot be mapped.
    """
    from translate_summarize.output.docx import translated_docx

    if job.input.url is not None or job.input.text is not None:
        raise UsageError("--format docx writes the English version of a .docx input; this input is not one")
    data = read_input_bytes(job.input.path, MAX_ARTICLE_BYTES, regular_only=True)
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise InputError(f"{job.input.path} changed while tsum was running: run again to translate its new content")
    summary = result.summary is not None
    return translated_docx(data, result, str(job.input.path), translation=not batch.summary_only, summary=summary)


def model_fingerprints(pipeline: Pipeline) -> dict:
    """Models with their revisions (local folders by content stamp) for resume keys."""
    return pipeline.models_record(fingerprints=True)
