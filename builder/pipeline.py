"""Orchestrate a build: read → annotate → extract → resolve → assemble → write → merge events.

The map step (``builder.workers.process_articles``) runs in this process, in
``jobs`` worker processes or on Dask over bounded chunks; this process is the
single writer (``builder.writer``), whose store transactions run behind the
parse in a thread of their own. An article the output already holds unchanged
(``builder.build_key``) is skipped before the map step; what cannot be read or
processed goes to the quarantine report, and the rest of the batch goes on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from builder.records import ArticleInput
from builder.workers import PIPE_BATCH, Failure, Outcome, batches, process_articles, warm_up
from builder.writer import BATCH, Writer
from ontology import iri
from ontology.errors import InputError, UsageError

DEDUPE = "dedupe"  # the quarantine stage of a text already read: skipped and reported, not an error
#: articles per map task: one ``nlp.pipe`` batch (``builder.workers.PIPE_BATCH``), as bare spaCy parses in
#: bench/baseline.py. Chunks of 8 fed nlp.pipe batches of 8, which parse 6 % slower than 16 (400 bench texts:
#: 12.8 s against 12.1 s; 64 is no faster than 16, 256 is slower); small enough to keep memory flat
CHUNK = PIPE_BATCH


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    output: str
    articles_read: int = 0
    articles_built: int = 0
    articles_skipped: int = 0  # the same text twice in one build
    articles_unchanged: int = 0  # already in the store as this build would write them (builder.build_key)
    articles_quarantined: int = 0
    triples: int = 0  # triples written (article graphs + entity descriptions + merges)
    merges: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    quarantine_path: str | None = None

    @property
    def clean(self) -> bool:
        return self.articles_quarantined == 0

    def summary(self) -> str:
        rate = self.articles_built / self.seconds if self.seconds else 0.0
        unchanged = f"{self.articles_unchanged} unchanged, " if self.articles_unchanged else ""
        return (f"built {self.articles_built} of {self.articles_read} articles into {self.output} "
                f"({self.triples} triples, {self.merges} event merges, {unchanged}{self.articles_skipped} duplicates "
                f"skipped, {self.articles_quarantined} quarantined) in {self.seconds:.1f} s ({rate:.1f} articles/s)")


def build(
    paths: list[str],
    output: str,
    *,
    jobs: int = 1,
    merge: bool = True,
    publisher: str | None = None,
    published: date | str | None = None,
    base: str = iri.DEFAULT_BASE,
    progress: bool = True,
    quarantine_path: str | None = None,
    scheduler: str | None = None,
    batch: int = BATCH,
    rebuild: bool = False,
) -> BuildReport:
    """Build (or add to) the graph at ``output`` from the articles under ``paths``.

    Anything that cannot be read or processed is quarantined, not fatal: the
    report is written to ``quarantine_path`` (default ``OUTPUT.quarantine.jsonl``)
    and counted in the returned ``BuildReport``. A text read twice is built once;
    the repeat is counted as skipped and listed in the same report (stage ``dedupe``).
    ``scheduler`` (``"local"`` or a Dask scheduler address) runs the map step on
    Dask (``builder.distributed``) instead of ``jobs`` local processes. ``batch``
    articles are committed to a store per transaction (a killed build keeps every
    batch committed before it). An article the store already holds as this build
    would write it (same text, metadata and build: ``builder.build_key``) is not
    processed again but counted as unchanged, unless ``rebuild`` is set.
    """
    published = parse_date(published)
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    if batch < 1:
        raise UsageError(f"batch must be at least 1 article per commit, got {batch}")
    if not paths:
        raise UsageError("build needs at least one input path (file, folder or -)")
    check_base(base)
    from builder.quarantine import Quarantine
    from builder.read import iter_articles
    from ontology.store import open_store

    started = time.perf_counter()
    report = BuildReport(output=output)
    quarantine = Quarantine()
    articles = iter_articles(list(paths), publisher=publisher, published=published, quarantine=quarantine)
    with _Progress(enabled=progress) as bar, open_store(output, mode="w") as store, \
            Writer(store, base=base, batch=batch) as writer:
        todo = _counted(articles, report)
        if not (writer.fresh or rebuild):
            todo = _changed(todo, writer, report, base=base)
        for outcome in _map(todo, jobs=jobs, base=base, scheduler=scheduler):
            if isinstance(outcome, Failure):
                quarantine.add(outcome.source, None, outcome.stage, outcome.error, outcome.message)
            else:
                try:
                    report.triples += writer.write(outcome)
                    report.articles_built += 1
                except InputError as err:  # a value no store can hold: skip this article, not the batch
                    quarantine.add(outcome.source, None, "store", "InvalidTerm", err.reason)
            bar.update(report.articles_built, len(quarantine))
        report.triples += writer.commit()
        if merge:
            report.merges, written = writer.merge_events()
            report.triples += written
    duplicates = [e for e in quarantine.entries if e.stage == DEDUPE]  # the reader drops repeated texts
    report.articles_read += len(duplicates)
    report.articles_skipped += len(duplicates)
    report.skipped.extend(e.where() for e in duplicates)
    report.articles_quarantined = len(quarantine.entries) - len(duplicates)
    target = quarantine_path or default_quarantine_path(output)
    if quarantine:
        report.quarantine_path = target
        quarantine.write(target)
    elif Path(target).is_file():  # an earlier build's report would list problems this build did not have
        quarantine.write(target)  # the report of this build: empty
    report.seconds = time.perf_counter() - started
    return report


def _counted(articles: Iterable[ArticleInput], report: BuildReport) -> Iterator[ArticleInput]:
    """Count the articles read (the reader has already dropped repeated texts, as quarantine stage ``dedupe``)."""
    for article in articles:
        report.articles_read += 1
        yield article


def _changed(articles: Iterable[ArticleInput], writer: Writer, report: BuildReport, *,
             base: str) -> Iterator[ArticleInput]:
    """The articles the store does not hold as this build would write them; the others are counted unchanged.

    The stored keys are read for a map chunk at a time (one query: 20,000 lookups one by one took 6.3 s).
    """
    from builder.build_key import build_key

    for chunk in batches(articles, CHUNK):
        graphs = [iri.article_graph(article.content_hash, base=base) for article in chunk]
        stored = writer.stored_keys([g for g in graphs if g in writer.existing])
        for article, graph in zip(chunk, graphs):
            if graph in stored and stored[graph] == build_key(article, base=base):
                report.articles_unchanged += 1
            else:
                yield article


def _map(articles: Iterable[ArticleInput], *, jobs: int, base: str, scheduler: str | None = None) -> Iterator[Outcome]:
    """Run the map step over chunks, in input order, with at most ``2 * jobs`` chunks in flight."""
    if scheduler is not None:
        from builder.distributed import dask_map

        yield from dask_map(articles, scheduler=scheduler, jobs=jobs, base=base)
        return
    if jobs == 1:
        for chunk in batches(articles, CHUNK):
            yield from process_articles(chunk, base=base)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    pending: deque[tuple[list[ArticleInput], Future[list[Outcome]]]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=warm_up)
    try:
        for chunk in batches(articles, CHUNK):
            pending.append((chunk, pool.submit(process_articles, chunk, base=base)))
            while len(pending) >= 2 * jobs:
                outcomes, pool = _oldest(pending, pool, jobs=jobs, ctx=ctx, base=base)
                yield from outcomes
        while pending:
            outcomes, pool = _oldest(pending, pool, jobs=jobs, ctx=ctx, base=base)
            yield from outcomes
    finally:
        pool.shutdown(cancel_futures=True)


def _oldest(pending: deque[tuple[list[ArticleInput], Any]], pool: Any, *, jobs: int, ctx: Any,
            base: str) -> tuple[list[Outcome], Any]:
    """The outcomes of the oldest chunk in flight, and the pool to go on with.

    A worker that dies (killed, out of memory) breaks the whole pool: its chunk is
    redone one article per fresh worker, so only an article that kills its worker
    again is quarantined, and the other chunks in flight are resubmitted to a new pool.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk, future = pending.popleft()
    try:
        return future.result(), pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    outcomes = [_alone(article, ctx=ctx, base=base) for article in chunk]
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=warm_up)
    for i, (other, _) in enumerate(pending):
        pending[i] = (other, pool.submit(process_articles, other, base=base))
    return outcomes, pool


def _alone(article: ArticleInput, *, ctx: Any, base: str) -> Outcome:
    """One article in a worker of its own; if that worker dies too, the article is quarantined."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as single:
        try:
            return single.submit(process_articles, [article], base=base).result()[0]
        except BrokenProcessPool:
            return Failure(article.source, "annotate", "WorkerDied",
                           "the worker process died while processing this article (killed, or out of memory); "
                           "expected an article a worker can process — it was skipped, the rest was built")


class _Progress:
    """Articles built, rate and quarantined count on stderr (rich), or nothing."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.completed} articles built"),
                                TextColumn("{task.fields[rate]:.1f}/s"), TextColumn("{task.fields[quarantined]} quarantined"),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("build", total=None, rate=0.0, quarantined=0)
        return self

    def update(self, built: int, quarantined: int) -> None:
        if self.enabled:
            rate = built / max(time.perf_counter() - self.started, 1e-9)
            self.bar.update(self.task, completed=built, rate=rate, quarantined=quarantined)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.__exit__(None, None, None)


def parse_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` to a date; anything else is a usage error naming what was received.

    >>> parse_date("2019-12-22")
    datetime.date(2019, 12, 22)
    """
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise UsageError(f"--published expects a date as YYYY-MM-DD, got {value!r}") from err


def check_base(base: str) -> None:
    """Every minted IRI starts with ``base``: it must be an absolute IRI ending in ``/`` or ``#``.

    >>> check_base("https://example.org/my graph/")
    Traceback (most recent call last):
    ...
    ontology.errors.UsageError: --base expects an absolute IRI ending in / or #, got 'https://example.org/my graph/' (Invalid IRI code point ' ')
    """
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(base)
    except ValueError as err:
        raise UsageError(f"--base expects an absolute IRI ending in / or #, got {base!r} ({err})") from err
    if not base.endswith(("/", "#")):
        raise UsageError(f"--base expects an absolute IRI ending in / or #, got {base!r}")


def default_quarantine_path(output: str) -> str:
    """``OUT.quarantine.jsonl`` beside the output (a file, a store directory or a URL's last segment)."""
    if output.startswith(("http://", "https://")):
        return "build.quarantine.jsonl"
    return str(Path(output.rstrip("/"))) + ".quarantine.jsonl"
