"""Micro-batching: many requests, one model thread, one pipeline call per round.

Requests are queued as they arrive. One worker thread (the models are not thread-safe) takes
everything waiting, up to a token budget, and runs it through a single
``Pipeline.process_parsed`` call, exactly as a folder run processes a window of articles (each
article batched on its own, all the round's batches handed to the engine together). While it
decodes, new requests gather for the next round. Each request's asyncio future is resolved from
the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from translate_summarize.core.pipeline import ArticleResult, Pipeline
from translate_summarize.errors import TsumError
from translate_summarize.text.segment import ParsedArticle

logger = logging.getLogger("uvicorn.error")


class QueueFull(Exception):
    """The queue holds ``max_queue`` requests; the client should retry after ``retry_after`` s."""

    def __init__(self, retry_after: int):
        super().__init__(f"the server is busy: {retry_after} s")
        self.retry_after = retry_after


class NotServing(Exception):
    """The worker is stopping or its models failed to load."""


class NotReady(Exception):
    """The models are still loading (as /v1/health says with its 503)."""


@dataclass
class QueuedRequest:
    """One request's articles waiting for the worker, and the future its handler awaits."""

    articles: list[ParsedArticle]
    summarize: bool
    summary_length: str
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop
    tokens: int | None = None
    queued_at: float = field(default_factory=time.perf_counter)

    def settle(self, results: list[ArticleResult] | None = None, error: BaseException | None = None) -> None:
        def apply():
            if self.future.done():  # the client went away
                return
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(results)

        # A closed event loop (RuntimeError) means nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(apply)


class BatchingWorker:
    """Owns the pipeline; the only thread that ever touches the models."""

    def __init__(
        self,
        pipeline: Pipeline,
        max_queue: int,
        round_tokens: int,
        on_load_error=None,
        gather_seconds: float = 0.0,
        gather_max_seconds: float = 0.0,
    ):
        self.pipeline = pipeline
        self.max_queue = max_queue
        self.round_tokens = round_tokens
        self.gather_seconds = gather_seconds
        self.gather_max_seconds = gather_max_seconds
        self.on_load_error = on_load_error
        self.state = "loading"
        self.load_error: BaseException | None = None
        self.description: tuple[dict, dict] | None = None
        self.rounds = 0
        self.active = 0
        """Requests submitted and not yet answered (touched only from the event loop)."""
        self.requests = 0
        self.last_round_seconds = 1.0
        self._last_round_jobs = 1
        self._waiting: deque[QueuedRequest] = deque()
        self._condition = threading.Condition()
        self._stopping = False
        self._variants: dict[tuple[bool, str], Pipeline] = {}
        self._thread = threading.Thread(target=self._main, name="tsum-models", daemon=True)

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def summarizes(self) -> bool:
        return self.pipeline.options.summarize

    def waiting(self) -> int:
        with self._condition:
            return len(self._waiting)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Finish every queued request, then end the thread (blocking)."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread.is_alive():
            self._thread.join()
        self.state = "stopped" if self.state != "error" else self.state

    async def submit(self, articles: list[ParsedArticle], summarize: bool, summary_length: str) -> list[ArticleResult]:
        """Queue articles for the next round and wait for their results.

        Raises:
            QueueFull: ``max_queue`` requests are already waiting.
            NotServing: the server is shutting down or could not load its models.
            NotReady: the models are still loading.
            TsumError: the pipeline refused the input.
        """
        loop = asyncio.get_running_loop()
        job = QueuedRequest(articles, summarize, summary_length, loop.create_future(), loop)
        with self._condition:
            if self._stopping or self.state == "error":
                raise NotServing(self._not_serving_reason())
            if self.state == "loading":
                # Answered at once rather than held for the minutes a large model may take to load.
                raise NotReady("the models are still loading: try again shortly")
            if len(self._waiting) >= self.max_queue:
                raise QueueFull(self._retry_after())
            self._waiting.append(job)
            self._condition.notify()
        self.active += 1
        try:
            return await job.future
        finally:
            self.active -= 1

    def _not_serving_reason(self) -> str:
        if self.state == "error":
            return f"the models could not be loaded: {self.load_error}"
        return "the server is shutting down"

    def _retry_after(self) -> int:
        # Rounds ahead of a new request, times the last round's duration: a rough but honest hint.
        rounds_ahead = 1 + len(self._waiting) // max(1, self.requests // max(1, self.rounds))
        return max(1, math.ceil(rounds_ahead * self.last_round_seconds))

    # -- the model thread -------------------------------------------------------------------

    def _main(self) -> None:
        if not self._load():
            return
        while True:
            jobs = self._take()
            if not jobs:
                return
            started = time.perf_counter()
            try:
                self._run(jobs)
            except Exception as error:  # the thread's outermost boundary: never leave a client waiting
                logger.exception("a round failed")
                for job in jobs:
                    job.settle(error=error)  # a no-op for jobs already answered
            self.last_round_seconds = time.perf_counter() - started
            self.rounds += 1
            self.requests += len(jobs)
            self._last_round_jobs = len(jobs)

    def _load(self) -> bool:
        logger.info("loading models...")
        try:
            from translate_summarize.core.loading import load_models

            load_models(self.pipeline)  # a broken model folder becomes one clear error
            self.description = (self.pipeline.models_record(), self.pipeline.generation_record())
        except Exception as error:  # the thread's outermost boundary: report, fail queued jobs
            self.load_error = error
            self.state = "error"
            if isinstance(error, TsumError):
                logger.error("Error: %s", error)
            else:
                logger.exception("the models could not be loaded")
            with self._condition:
                failed, self._waiting = list(self._waiting), deque()
            for job in failed:
                job.settle(error=NotServing(self._not_serving_reason()))
            if self.on_load_error:
                self.on_load_error(error)
            return False
        self.state = "ready"
        logger.info("models loaded: ready")
        return True

    def _tokens(self, job: QueuedRequest) -> int:
        if job.tokens is None:
            sources = [s.source for article in job.articles for s in article.segments]
            job.tokens = sum(self.pipeline.count_tokens(sources))
        return job.tokens

    def _take(self) -> list[QueuedRequest]:
        """Block until work arrives; take all of it up to the token budget ([] to stop)."""
        with self._condition:
            while True:
                while not self._waiting and not self._stopping:
                    self._condition.wait()
                self._drop_abandoned()
                if self._waiting:
                    self._gather()
                    self._drop_abandoned()
                    if self._waiting:
                        break
                elif self._stopping:
                    return []
            jobs = [self._waiting.popleft()]
        used = self._tokens(jobs[0])
        while True:
            with self._condition:
                if not self._waiting:
                    break
                candidate = self._waiting[0]
            cost = self._tokens(candidate)
            if used + cost > self.round_tokens:
                break
            with self._condition:
                jobs.append(self._waiting.popleft())
            used += cost
        return jobs

    def _drop_abandoned(self) -> None:
        """Forget queued jobs whose client hung up (their future was cancelled): nobody reads them."""
        if any(job.future.cancelled() for job in self._waiting):
            self._waiting = deque(job for job in self._waiting if not job.future.cancelled())

    def _gather(self) -> None:
        """Wait (holding the condition) for a burst of requests to arrive, briefly.

        Clients answered by the last round send their next requests in a burst; without this,
        the first of them would start a round of its own and the rest would wait for it, so
        rounds would alternate between one request and many. The wait ends as soon as as many
        requests wait as the last round took (at once for a lone client), when none has arrived
        for ``gather_seconds``, or after ``gather_max_seconds``.
        """
        deadline = time.monotonic() + self.gather_max_seconds
        while not self._stopping and len(self._waiting) < self._last_round_jobs:
            seen = len(self._waiting)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._condition.wait(min(self.gather_seconds, remaining))
            if len(self._waiting) == seen:
                return

    def _variant(self, summarize: bool, summary_length: str) -> Pipeline:
        """A pipeline with this request's summary settings that shares the loaded engines (kept per setting)."""
        key = (summarize, summary_length)
        if key not in self._variants:
            self._variants[key] = self.pipeline.with_summary(summarize, summary_length)
        return self._variants[key]

    def _run(self, jobs: list[QueuedRequest]) -> None:
        groups: dict[tuple[bool, str], list[QueuedRequest]] = {}
        for job in jobs:
            groups.setdefault((job.summarize, job.summary_length), []).append(job)
        for (summarize, summary_length), group in groups.items():
            self._process(self._variant(summarize, summary_length), group)

    def _process(self, pipeline: Pipeline, group: list[QueuedRequest]) -> None:
        articles = [article for job in group for article in job.articles]
        try:
            results = pipeline.process_parsed(articles)
        except Exception as error:  # isolate: one bad request must not fail the others
            if len(group) > 1:
                for job in group:
                    self._process(pipeline, [job])
                return
            if not isinstance(error, TsumError):
                logger.exception("a request failed inside the pipeline")
            group[0].settle(error=error)
            return
        start = 0
        for job in group:
            job.settle(results[start : start + len(job.articles)])
            start += len(job.articles)
