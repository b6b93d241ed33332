"""Orchestrate a build: read → annotate → extract → resolve → assemble → write → merge events.

The map step (``builder.workers.process_articles``) runs in this process or in
``jobs`` worker processes over bounded chunks; this process is the single
writer, and its store transactions run behind the parse in a thread of their
own (``builder.write_behind``). Articles are written in batches of ``BATCH``: one store transaction
adds (or replaces whole) their named graphs together with the descriptions of
entities the store does not describe yet, and a second one rewrites the
descriptions the batch changed (each entity once per batch, only if it changed).
A build killed at any moment therefore leaves whole articles whose entities are
all described (an older description at worst, which the rerun rewrites).
Re-adding an article replaces it, never duplicates it.

Preferred labels. An entity with a curated name (a gazetteer entry) is labelled
with it. Any other entity is labelled with the surface written most often over
every article in the store; ties go to the longer surface, then to the
alphabetically first. Counts are kept per article graph, so re-adding an
article replaces its counts, and the label is recomputed for every entity an
article touches (also on incremental builds into an existing store, whose
counts are read back the first time an entity is touched).

Entity descriptions seen in several articles are combined order-independently:
the best description wins (curated before not, then more facts, then the
smallest by value) and ``backedBy`` links are united.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import RDF, SKOS, Literal, URIRef

from builder.assemble import GEO, ArticleGraphs, EntityDescription, is_curated, preferred_label
from builder.memory import release_free_memory
from builder.merge import compact
from builder.records import ArticleInput
from builder.workers import PIPE_BATCH, Failure, Outcome, batches, process_articles, warm_up
from builder.write_behind import WriteBehind
from ontology import iri
from ontology.errors import InputError, UsageError
from ontology.namespace import NG

log = logging.getLogger("newsgraph.build")

DEDUPE = "dedupe"  # the quarantine stage of a text already read: skipped and reported, not an error
FLUSH_EVERY = 100  # articles between store flushes (bench: RSS flat at ~70 MB of store instead of growing)
#: articles per map task: one ``nlp.pipe`` batch (``builder.workers.PIPE_BATCH``), as bare spaCy parses in
#: bench/baseline.py. Chunks of 8 fed nlp.pipe batches of 8, which parse 6 % slower than 16 (400 bench texts:
#: 12.8 s against 12.1 s; 64 is no faster than 16, 256 is slower); small enough to keep memory flat
CHUNK = PIPE_BATCH
#: articles per store commit (two map chunks): an entity named by several articles of it is rewritten once, and a
#: killed build keeps every batch committed before (tests/robustness/test_crash.py kills between batches). 32
#: rather than 8: a quarter of the transactions and entity rewrites (2,000 articles, old and new alternating in one
#: hour: --jobs 2 52.8 -> 51.5 s, --jobs 1 81.9 -> 81.3 s and 1-3 s less CPU; peak +30 MB)
BATCH = 2 * CHUNK
#: re-added articles whose stored reports a build reads back (one targeted read each) to see whether their
#: summaries changed; an unchanged article's reports keep their clusters. Past this many (a rebuild of a
#: whole store, say), the rest count as changed, and such a build mostly re-merges everything anyway
COMPARED_REPLACEMENTS = 64


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
            _Writer(store, base=base, batch=batch) as writer:
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


def _changed(articles: Iterable[ArticleInput], writer: _Writer, report: BuildReport, *,
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


# ---- the single writer ---------------------------------------------------------------------


@dataclass(slots=True)
class _EntityState:
    """What the writer knows of one entity: its combined description and the surfaces it was written as.

    Counts from graphs that were in the store before this build are kept per graph
    (re-adding an article replaces them); counts from this build's articles are
    summed, since each article is written once per build.
    """

    description: EntityDescription | None
    stored_surfaces: dict[URIRef, Counter[Literal]] | None  # per graph there before this build; None: not read yet
    built: Counter[Literal] = field(default_factory=Counter)  # from this build's articles
    stored: bool = False  # the store holds a description of it (from an earlier build, or committed)
    written: tuple[EntityDescription, Literal] | None = None  # what this build last committed for it
    read_surfaces: Callable[[], dict[URIRef, Counter[Literal]]] | None = None
    stored_label: Literal | None = None  # the preferred label the store holds (incremental builds)
    dropped: dict[URIRef, Counter[Literal]] = field(default_factory=dict)  # stored counts of graphs replaced

    @property
    def surfaces(self) -> dict[URIRef, Counter[Literal]]:
        """The stored counts, read the first time they matter: a curated entity's label never needs them,
        and reading them costs one pass over every mention of the entity in the store (seconds for a
        country named in 10,000 articles). The counts of graphs this build replaces are left out."""
        if self.stored_surfaces is None:
            self.stored_surfaces = self.read_surfaces() if self.read_surfaces else {}
        for graph in self.dropped:
            self.stored_surfaces.pop(graph, None)
        return self.stored_surfaces

    def drop(self, graph: URIRef, counts: Counter[Literal]) -> None:
        """Forget what ``graph`` (re-added by this build) counted for this entity in the store."""
        self.dropped[graph] = counts
        if self.stored_surfaces is not None:
            self.stored_surfaces.pop(graph, None)

    def _keeps_stored_label(self) -> bool:
        """Whether the stored label wins without reading the stored counts.

        True when this build wrote the entity only as its stored label (in that language) and at least
        as often as the replaced graphs had: the winner's lead over every other surface did not shrink.
        """
        label = self.stored_label
        if self.stored_surfaces is not None or label is None:
            return False
        text = str(label)
        if not all(" ".join(str(lit).split()) == text and lit.language == label.language for lit in self.built):
            return False
        gone = [(lit, n) for counts in self.dropped.values() for lit, n in counts.items()
                if " ".join(str(lit).split()) == text]
        return all(lit.language == label.language for lit, _ in gone) and \
            sum(self.built.values()) >= sum(n for _, n in gone)

    def label(self, description: EntityDescription) -> Literal:
        curated = description.curated_label
        if curated:
            return Literal(curated, lang="en")
        if self._keeps_stored_label():
            return self.stored_label  # type: ignore[return-value]  # only the stored winner was written again
        total: Counter[Literal] = Counter(self.built)
        for counts in self.surfaces.values():
            total.update(counts)
        by_text: Counter[str] = Counter()
        lang: dict[str, str | None] = {}
        for lit, n in total.items():
            text = " ".join(str(lit).split())
            by_text[text] += n
            lang[text] = min(filter(None, (lang.get(text), lit.language)), default=None)
        text = preferred_label(None, by_text)
        return Literal(text, lang=lang[text])


class _OldGraph:
    """What a stored article graph that this build replaces held: its event reports, its entities and the
    surface counts it gave each (as ``_SURFACES`` counts them: distinct mentions whose text is the surface,
    at least one)."""

    def __init__(self, triples: Iterable[tuple[Any, Any, Any]], *, events: str) -> None:
        self.events: set[str] = set()
        self.labels: dict[URIRef, set[Literal]] = {}
        self.evidence: dict[URIRef, set[Any]] = {}
        self.anchors: dict[Any, str] = {}
        for s, p, o in triples:
            if p == SKOS.altLabel and isinstance(s, URIRef):
                self.labels.setdefault(s, set()).add(o)
            elif p == NG.evidence and isinstance(s, URIRef):
                self.evidence.setdefault(s, set()).add(o)
            elif p == NG.anchorOf:
                self.anchors[s] = str(o)
            elif p == RDF.type and str(s).startswith(events):
                self.events.add(str(s))

    @property
    def entities(self) -> list[URIRef]:
        """The nodes the graph gave surfaces or evidence, but its event reports (which have no description)."""
        return sorted((set(self.labels) | set(self.evidence)) - {URIRef(e) for e in self.events})

    def surfaces(self, node: URIRef) -> Counter[Literal]:
        anchors = Counter(self.anchors.get(m) for m in self.evidence.get(node, ()))
        return Counter({label: max(1, anchors[str(label)]) for label in self.labels.get(node, ())})


def _description_rank(d: EntityDescription) -> tuple[Any, ...]:
    filled = sum(v is not None for v in (d.latitude, d.geonames_id, d.wikidata_id, d.located_in, d.country))
    return (d.curated_label is None, -filled, d.cls, d.curated_label or "", str(d.latitude), str(d.longitude),
            d.geonames_id or "", d.wikidata_id or "", str(d.located_in), str(d.country))


def _combine(old: EntityDescription | None, new: EntityDescription) -> EntityDescription:
    if old is None:
        return new
    best = min(old, new, key=_description_rank)
    return replace(best, backed_by=old.backed_by | new.backed_by)


class _Writer:
    """Writes article outcomes into the store, keeping entity descriptions and labels consistent.

    The store transactions run behind the parse (``builder.write_behind``), in
    order; every read of the store first waits for the writes before it.
    A context manager: on exit the writes submitted are finished (dropped on an error).
    """

    def __init__(self, store: Any, *, base: str, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self.behind = WriteBehind(store)
        self.base = base
        self.entities_graph = iri.entities_graph(base=base)
        self.existing = set(store.graph_names())  # graphs there before this build
        self.fresh = not self.existing
        if not self.fresh:
            upgrade(store)
        self.states: dict[URIRef, _EntityState] = {}
        self.written = 0
        self.unflushed = 0
        self.events: list[Any] = []
        self.pool: dict[Any, Any] = {}  # the values event summaries share (builder.merge.compact)
        self.replaced: set[str] = set()  # the event reports of stored article graphs this build replaces
        self.compared = 0  # re-added articles whose stored summaries were compared with the new ones
        self.pending: dict[URIRef, Any] = {}  # article graphs of the batch (PreparedTriples), not yet stored
        self.touched: set[URIRef] = set()  # entities the batch's articles touch

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.behind.__exit__(kind)

    def write(self, ag: ArticleGraphs) -> int:
        """Take one article into the batch (committed every ``batch`` articles); return the triples committed."""
        from ontology.rdfio import PreparedTriples

        # prepared by the map step; else converted here, where an invalid term fails before the state changes
        triples = ag.triples if isinstance(ag.triples, PreparedTriples) else PreparedTriples(ag.triples, ag.graph)
        committed = self.commit() if ag.graph in self.pending else 0
        touched = set(ag.entities)
        events = ag.events
        if ag.graph in self.existing:  # re-adding: what the old version mentioned must be relabelled too
            self.behind.drain()
            old = _OldGraph(self.store.triples(ag.graph), events=f"{self.base}event/")
            for node in old.entities:
                touched.add(node)
                self.state(node).drop(ag.graph, old.surfaces(node))
            if self._merge_as_before(old.events, ag.events):
                events = []  # its reports are the ones the store has merged: their clusters stay
            else:
                self.replaced |= old.events  # its old reports leave their clusters
        for node in sorted(touched):
            state = self.state(node)
            if node in ag.entities:
                state.description = _combine(state.description, ag.entities[node])
            for text, n in ag.surfaces.get(node, {}).items():
                state.built[Literal(text, lang=ag.language)] += n
        self.pending[ag.graph] = triples
        self.touched |= touched
        # held until the final merge: every report of the corpus, each value shared by reports held once
        self.events.extend(compact(e, self.pool) for e in events)
        if len(self.pending) >= self.batch:
            committed += self.commit()
        return committed

    def _merge_as_before(self, old: set[str], new: list[Any]) -> bool:
        """Whether a re-added article's reports summarise as its stored ones do, so merge as they did.

        Read back for the first ``COMPARED_REPLACEMENTS`` re-added articles of a build only.
        """
        if self.compared >= COMPARED_REPLACEMENTS:
            return False
        self.compared += 1
        stored = stored_event_summaries(self.store, base=self.base, events=map(URIRef, old)) if old else []
        return {e.iri: e for e in stored} == {e.iri: e for e in new}

    def commit(self) -> int:
        """Write the batch; return the triples written (article graphs and entity descriptions).

        Two transactions: the article graphs with the descriptions of entities new to
        the store (only additions, so the store inserts quads without parsing), then
        the descriptions the batch changed. Between the two the store holds whole
        articles whose entities are all described, some by their previous description.
        """
        from ontology.store import Changeset

        if not self.pending and not self.touched:
            return 0
        new: dict[URIRef, list[Any]] = {}
        changed: dict[URIRef, list[Any]] = {}
        for node in sorted(self.touched):
            state = self.states[node]
            if state.description is None:
                continue
            if state.description.curated_label is None and not state.built and not any(state.surfaces.values()):
                if state.stored:
                    changed[node] = []  # no article names it any more: drop the description
                state.stored, state.written = False, None
                continue
            now = (state.description, state.label(state.description))
            if now == state.written:
                continue  # the store already holds exactly this description
            (changed if state.stored else new)[node] = state.description.triples(now[1])
            state.stored, state.written = True, now
        written = sum(len(t) for t in self.pending.values())
        what = _articles_named(self.pending)
        self.unflushed += len(self.pending)
        flush = self.unflushed >= FLUSH_EVERY  # keeps the embedded store's memory flat however long the build
        if flush:
            self.unflushed = 0
        self.behind.submit(Changeset(replace=self.pending, upsert={self.entities_graph: new} if new else {}),
                           what=what, flush=flush and not changed)
        if changed:
            self.behind.submit(Changeset(upsert={self.entities_graph: changed}),
                               what=f"the entity descriptions changed by {what}", flush=flush)
        self.written += len(self.pending)
        self.pending, self.touched = {}, set()
        if flush:
            release_free_memory()
        return written + sum(len(t) for t in new.values()) + sum(len(t) for t in changed.values())

    def stored_keys(self, graphs: list[URIRef]) -> dict[URIRef, str]:
        """The ``ng:buildKey`` of each graph of ``graphs`` that has one (stores of older builds have none).

        Read without waiting for the writes behind: those write this build's articles only, and
        each is looked up before it is written (the reader yields a text once).
        """
        if not graphs:
            return {}
        rows = self.store.query(_BUILD_KEYS.replace("#VALUES#", _values("g", graphs))).rows
        return {graph: str(key) for graph, key in rows}

    def state(self, node: URIRef) -> _EntityState:
        state = self.states.get(node)
        if state is None:
            state = _EntityState(description=None, stored_surfaces={})
            if not self.fresh:
                self.behind.drain()
                triples = list(self.store.triples(self.entities_graph, [node]))
                state.description = self._stored_description(node, triples)
                state.stored = state.description is not None
                labels = [o for _, p, o in triples if p == SKOS.prefLabel]
                state.stored_label = labels[0] if len(labels) == 1 and isinstance(labels[0], Literal) else None
                state.stored_surfaces = None  # read when a label or a drop needs them
                state.read_surfaces = lambda node=node: self._stored_surfaces(node)
            self.states[node] = state
        return state

    def _stored_description(self, node: URIRef, triples: list[Any]) -> EntityDescription | None:
        """The description the entities graph holds for ``node``, from its ``triples`` there."""
        if not triples:
            return None
        values: dict[URIRef, list[Any]] = {}
        for _, p, o in triples:
            values.setdefault(p, []).append(o)

        def one(p: URIRef) -> Any:
            return min(values[p]) if p in values else None

        cls = one(RDF.type)
        key = one(NG.nameKey)
        lat, long = one(GEO.lat), one(GEO.long)
        geonames, wikidata = one(NG.geonamesId), one(NG.wikidataId)
        kind = "place" if str(node).startswith(f"{self.base}place/") else "actor"
        curated = is_curated(f"{kind}:{key}", has_identifier=bool(geonames or wikidata))
        return EntityDescription(
            iri=node, kind=kind, cls=str(cls).rpartition("#")[2] if cls else "Actor",
            name_key=str(key) if key else "", curated_label=str(one(SKOS.prefLabel)) if curated else None,
            latitude=float(lat) if lat is not None else None, longitude=float(long) if long is not None else None,
            geonames_id=str(geonames) if geonames else None, wikidata_id=str(wikidata) if wikidata else None,
            located_in=one(NG.locatedIn), country=one(NG.country), backed_by=frozenset(values.get(NG.backedBy, [])))

    def _stored_surfaces(self, node: URIRef) -> dict[URIRef, Counter[Literal]]:
        self.behind.drain()
        result = self.store.query(_SURFACES, {"entity": node})
        out: dict[URIRef, Counter[Literal]] = {}
        for graph, surface, n in result.rows:  # as in assemble: spans written so, at least 1
            out.setdefault(graph, Counter())[surface] += max(1, int(n))
        return out

    def merge_events(self) -> tuple[int, int]:
        """Bring the resolution graph up to date with this build's events; return (merges, triples).

        A new output, or a build that wrote as many articles as the store held, merges
        every summary. Otherwise only what this build changed is re-merged: the stored
        clusters that held a report of a replaced (re-added) article are dissolved and their
        other members compared again as if new; the stored events that can merge with a new
        one (same day window and a shared place for attacks, same displaced figure for
        displacements) are read back and compared with the new ones only; the stored
        clusters of those that match are read back (members, rule, score), and only the
        clusters the new events join or form are rewritten (upsert by subject). Matching
        is symmetric and a stored cluster is closed under it, so this equals recomputing
        everything (``builder.merge.merge_increment``). The counts are of the whole
        resolution graph, as a full recomputation reports.
        """
        from builder.merge import links_of, merge_increment
        from ontology.store import Changeset

        self.behind.drain()  # every article is in the store before its events are merged
        resolution = iri.resolution_graph(base=self.base)
        if self.fresh or self.written >= len(self.existing):
            return self._merge_all(resolution)
        dissolved = _stored_clusters(self.store, map(URIRef, self.replaced), base=self.base)
        new = {e.iri for e in self.events}
        released = {m for c in dissolved for m in c.members} - self.replaced - new
        fresh = [*self.events, *stored_event_summaries(self.store, base=self.base, events=map(URIRef, released))]
        try:
            candidates = _merge_candidates(self.store, fresh, base=self.base)
        except ValueError:  # merge rules with no narrowing key: compare against every stored event
            return self._merge_all(resolution)
        again = {e.iri for e in fresh}
        stored = stored_event_summaries(self.store, base=self.base,
                                        events=(c for c in candidates if str(c) not in again))
        links = links_of(fresh, stored)
        matched = {URIRef(x) for a, b, _ in links for x in (a, b) if x not in again}
        merges, absorbed = merge_increment(again, links, _stored_clusters(self.store, matched, base=self.base))
        # a cluster dissolved or absorbed is rewritten whole: its node and every member's link go first
        upsert: dict[URIRef, list[Any]] = {URIRef(node): [] for node in absorbed | {c.node for c in dissolved}}
        upsert.update((URIRef(member), []) for c in dissolved for member in c.members)
        upsert.update((URIRef(member), []) for m in merges for member in m.members)
        for triple in merge_triples(merges, base=self.base):
            upsert[triple[0]] = [*upsert.get(triple[0], []), triple]
        if upsert:
            self.store.apply(Changeset(replace={}, upsert={resolution: upsert}))
        counts = self.store.query(_RESOLUTION_COUNTS, {"res": resolution}).rows[0]
        return int(counts[0] or 0), int(counts[1] or 0)

    def _merge_all(self, resolution: URIRef) -> tuple[int, int]:
        """Merge every event summary of this build and the store, and rewrite the resolution graph."""
        from builder.merge import merge_events
        from ontology.store import Changeset

        events = {e.iri: e for e in self.events}
        self.events = []  # the summaries are freed once merged: the resolution graph is built without them
        if not self.fresh:
            for summary in stored_event_summaries(self.store, base=self.base):
                events.setdefault(summary.iri, summary)
        merges = merge_events(events[k] for k in sorted(events))
        del events
        triples = merge_triples(merges, base=self.base)
        self.store.apply(Changeset(replace={resolution: triples}, upsert={}))
        return len(merges), len(triples)


def _articles_named(graphs: dict[URIRef, Any]) -> str:
    """The articles of a batch, for an error message: ``article graphs G1 … Gn (n)``."""
    names = sorted(graphs)
    if len(names) <= 2:
        return "article graph " + ", ".join(names) if names else "no article graph"
    return f"article graphs {names[0]} … {names[-1]} ({len(names)})"


def upgrade(store: Any) -> int:
    """Bring a store built by an earlier newsgraph up to the current graph shape; return the triples added.

    Stores built before ``ng:mentionedIn`` existed lack it, and the named queries
    read it: each entity and event report gets it in every article graph where it
    has evidence, in one transaction. A store that has it already costs two ASKs.
    """
    from ontology.store import Changeset

    if not store.query(_HAS_ARTICLE).boolean or store.query(_HAS_MENTIONED_IN).boolean:
        return 0
    missing: dict[URIRef, dict[URIRef, set[URIRef]]] = {}
    for graph, node, article in store.query(_MISSING_CHAIN).rows:
        missing.setdefault(graph, {}).setdefault(node, set()).add(article)
    changes = Changeset()
    for graph, nodes in missing.items():
        changes.upsert[graph] = {node: [*store.triples(graph, [node]), *((node, NG.mentionedIn, a) for a in articles)]
                                 for node, articles in nodes.items()}
    store.apply(changes)
    added = sum(len(a) for nodes in missing.values() for a in nodes.values())
    log.info("upgraded %s: added %d ng:mentionedIn triples (the store was built before they existed)",
             store.location, added)
    return added


def _values(name: str, terms: Iterable[Any]) -> str:
    """A ``VALUES ?name { ... }`` block; each term serialised by pyoxigraph (escaped, never query syntax)."""
    from ontology.rdfio import to_oxigraph

    return f"VALUES ?{name} {{ {' '.join(sorted({str(to_oxigraph(t)) for t in terms}))} }}"


def _merge_candidates(store: Any, new: Iterable[Any], *, base: str) -> set[URIRef]:
    """Stored events that may merge with ``new`` summaries.

    Candidates are found by what every match needs (builder/merge.py): an attack
    on a day at most ``max_days_apart`` from a new attack's, at a place of its chain
    or inside its place; a displacement that repeats one of a new displacement's
    figures. A superset is harmless: matching decides. (Days alone made every attack
    of three days anywhere a candidate: hundreds of reports read back at 20,000 articles.)
    """
    from rdflib import XSD

    from builder.merge import is_attack, neighbour_keys

    new = list(new)
    days, figures = neighbour_keys(new)
    found: set[URIRef] = set()
    prefix = Literal(f"{base}event/")
    if days:
        attacks = [e for e in new if is_attack(e.cls) and e.location_chain and e.date is not None]
        chains = {iri.entity_iri(k, base=base) for e in attacks for k in e.location_chain}  # a stored place holds it
        inner = {iri.entity_iri(e.location_chain[0], base=base) for e in attacks}  # or lies inside its place
        terms = [Literal(d.isoformat(), datatype=XSD.date) for d in days]
        query = (_ON_DAYS_AT.replace("#VALUES#", _values("day", terms))
                 .replace("#CHAIN#", _values("loc", chains)).replace("#INNER#", _values("inner", inner)))
        found.update(r[0] for r in store.query(query, {"prefix": prefix}).rows)
    if figures:
        terms = [Literal(v, datatype=XSD.integer) for v in figures]
        found.update(r[0] for r in store.query(_WITH_FIGURES.replace("#VALUES#", _values("value", terms)),
                                               {"prefix": prefix}).rows)
    return found


def _stored_clusters(store: Any, events: Iterable[URIRef], *, base: str) -> list[Any]:
    """The stored clusters (``ng:Merge`` nodes with members, rule, score) that hold any of ``events``."""
    from builder.merge import StoredCluster

    events = set(events)
    if not events:
        return []
    res = {"res": iri.resolution_graph(base=base)}
    nodes = {r[0] for r in store.query(_MERGES_OF.replace("#VALUES#", _values("event", events)), res).rows}
    if not nodes:
        return []
    found: dict[Any, dict[str, Any]] = {}
    for node, member, rule, score in store.query(_CLUSTERS.replace("#VALUES#", _values("merge", nodes)), res).rows:
        c = found.setdefault(node, {"members": set(), "rule": str(rule), "score": float(score)})
        c["members"].add(str(member))
    return [StoredCluster(node=str(n), members=tuple(sorted(c["members"])), rule=c["rule"], score=c["score"])
            for n, c in sorted(found.items())]


def stored_event_summaries(store: Any, *, base: str, events: Iterable[URIRef] | None = None) -> list[Any]:
    """Rebuild the ``EventSummary`` of every event in a store (or of ``events`` only) from its triples.

    With ``events``, only their triples, claims, articles and the places and actors
    they name (with every place those lie in) are read: targeted queries whose
    selective patterns come first, so the cost follows the events asked for, not the store.
    """
    from builder.merge import EventSummary

    wanted = None if events is None else sorted(set(events))
    if wanted == []:
        return []

    def targeted(query: str, name: str, terms: Iterable[Any]) -> str:
        return query.replace("#VALUES#", "" if wanted is None else _values(name, terms))

    props: dict[Any, dict[str, list[Any]]] = {}
    graph_of: dict[Any, Any] = {}
    for graph, event, p, o in store.query(targeted(_EVENTS, "event", wanted or ()),
                                          {"prefix": Literal(f"{base}event/")}).rows:
        props.setdefault(event, {}).setdefault(str(p).rpartition("#")[2], []).append(o)
        graph_of[event] = graph
    if wanted is not None and not props:
        return []
    claims: dict[Any, dict[Any, dict[str, Any]]] = {}
    claims_query = targeted(_CLAIMS if wanted is None else _CLAIMS_OF, "event", wanted or ())
    for event, claim, p, o in store.query(claims_query).rows:
        claims.setdefault(event, {}).setdefault(claim, {})[str(p).rpartition("#")[2]] = o
    articles = {graph: (str(digest), publisher) for graph, digest, publisher
                in store.query(targeted(_ARTICLES, "g", set(graph_of.values()))).rows}

    if wanted is None:
        entity_rows = store.query(_ENTITY_KEYS).rows
    else:
        named = {o for values in props.values() for name in ("location", "origin", "perpetrator")
                 for o in values.get(name, []) if isinstance(o, URIRef)}
        named.update(c["reportedBy"] for cs in claims.values() for c in cs.values() if "reportedBy" in c)
        named.update(p for _, p in articles.values() if p is not None)
        entity_rows = store.query(_ENTITY_KEYS_FROM.replace("#VALUES#", _values("start", named))).rows if named else []
    keys: dict[Any, str] = {}
    parents: dict[Any, Any] = {}
    for entity, name_key, parent in entity_rows:
        kind = "place" if str(entity).startswith(f"{base}place/") else "actor"
        keys[entity] = f"{kind}:{name_key}"
        if parent is not None:
            parents[entity] = min(parent, parents.get(entity, parent))

    def key(node: Any) -> str | None:
        return keys.get(node) if node is not None else None

    def chain(node: Any) -> tuple[str, ...]:
        out: list[str] = []
        while node is not None and keys.get(node) and keys[node] not in out:
            out.append(keys[node])
            node = parents.get(node)
        return tuple(out)

    def figures(what: str, event: Any) -> frozenset[tuple[int, str]]:
        return frozenset((int(c[what]), str(c.get(f"{what}Qualifier", "exact")))
                         for c in claims.get(event, {}).values() if what in c)

    def first(values: dict[str, list[Any]], name: str) -> Any:
        return min(values[name]) if name in values else None

    out = []
    for event in sorted(props):
        values = props[event]
        cls = [str(t).rpartition("#")[2] for t in values.get("type", []) if str(t).startswith(str(NG))]
        digest, publisher = articles.get(graph_of[event], ("", None))
        when, start, end = first(values, "date"), first(values, "periodStart"), first(values, "periodEnd")
        text = first(values, "periodText")
        out.append(EventSummary(
            iri=str(event), cls=min(cls) if cls else "Event", article=digest,
            location=key(first(values, "location")), location_chain=chain(first(values, "location")),
            date=when.toPython() if when is not None else None,
            perpetrators=frozenset(k for k in map(key, values.get("perpetrator", [])) if k),
            killed=figures("killed", event), injured=figures("injured", event),
            displaced=figures("displaced", event),
            sources=frozenset(k for k in (key(c.get("reportedBy")) for c in claims.get(event, {}).values()) if k),
            publisher=key(publisher), origin=key(first(values, "origin")), origin_chain=chain(first(values, "origin")),
            period_start=start.toPython() if start is not None else None,
            period_end=end.toPython() if end is not None else None,
            period_text=str(text) if text is not None else None,
        ))
    return out


def merge_triples(merges: Iterable[Any], *, base: str) -> list[tuple[URIRef, URIRef, Any]]:
    """The resolution graph's triples for a set of merges (docs/contracts.md section 2)."""
    from rdflib import XSD

    out: list[tuple[URIRef, URIRef, Any]] = []
    for m in merges:
        node = iri.merge_iri(list(m.members), base=base)
        canonical = URIRef(m.canonical)
        out.append((node, RDF.type, NG.Merge))
        out.append((node, NG.canonicalEvent, canonical))
        out.append((node, NG.mergeRule, Literal(m.rule)))
        out.append((node, NG.mergeScore, Literal(f"{m.score:.3f}", datatype=XSD.decimal)))
        for member in sorted(m.members):
            out.append((node, NG.mergedEvent, URIRef(member)))
            if member != m.canonical:
                out.append((URIRef(member), NG.mergedInto, canonical))
    return sorted(out)


_HAS_ARTICLE = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?article a ng:Article }"
_HAS_MENTIONED_IN = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?node ng:mentionedIn ?article }"
_MISSING_CHAIN = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?g ?node ?article WHERE {
  GRAPH ?g { ?node ng:evidence ?mention . ?mention ng:article ?article . }
  FILTER NOT EXISTS { GRAPH ?g { ?node a ng:Claim } }  # a claim has ng:publishedIn
}
"""
_ENTITY_KEYS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?entity ?key ?parent WHERE { ?entity ng:nameKey ?key . OPTIONAL { ?entity ng:locatedIn ?parent } }
"""
_ENTITY_KEYS_FROM = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?entity ?key ?parent WHERE {
  #VALUES#
  ?start ng:locatedIn* ?entity .
  ?entity ng:nameKey ?key .
  OPTIONAL { ?entity ng:locatedIn ?parent }
}
"""
# candidates for incremental merging: the selective pattern (the VALUES) first, as required triples
_ON_DAYS_AT = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?event WHERE {
  #VALUES#
  GRAPH ?g { ?event ng:date ?day ; ng:location ?loc . }
  FILTER(STRSTARTS(STR(?event), STR(?prefix)))
  { #CHAIN# } UNION { ?loc ng:locatedIn+ ?inner . #INNER# }
}
"""
_WITH_FIGURES = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?event WHERE {
  #VALUES#
  ?claim ng:displaced ?value ; ng:about ?event .
  FILTER(STRSTARTS(STR(?event), STR(?prefix)))
}
"""
_MERGES_OF = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?merge WHERE {
  #VALUES#
  GRAPH ?res { ?merge ng:mergedEvent ?event . }
}
"""
# members, rule and score of given clusters: one row per member (a self-join through the events
# multiplied every cluster by its size: 20,000 articles with 1,000-report clusters ran for minutes)
_CLUSTERS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?merge ?member ?rule ?score WHERE {
  #VALUES#
  GRAPH ?res { ?merge ng:mergedEvent ?member ; ng:mergeRule ?rule ; ng:mergeScore ?score . }
}
"""
_RESOLUTION_COUNTS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT (COUNT(DISTINCT ?merge) AS ?merges) (COUNT(*) AS ?triples) WHERE {
  GRAPH ?res { ?s ?p ?o . OPTIONAL { ?s a ng:Merge . BIND(?s AS ?merge) } }
}
"""
# the claims of given events: a FILTER on the property, since a second VALUES (on ?p) made Oxigraph
# scan every claim's figures before joining the events (1,000 articles: 0.25 s -> 0.02 s, same rows)
_CLAIMS_OF = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?event ?claim ?p ?o WHERE {
  #VALUES#
  ?claim ng:about ?event .
  ?claim ?p ?o .
  FILTER(?p IN (ng:killed, ng:killedQualifier, ng:injured, ng:injuredQualifier, ng:displaced, ng:displacedQualifier,
                ng:reportedBy))
}
"""
_BUILD_KEYS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?g ?key WHERE {
  #VALUES#
  GRAPH ?g { ?article ng:buildKey ?key }
}
"""
_ARTICLES = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?g ?hash ?publisher WHERE {
  #VALUES#
  # one required pattern in the bound graph, the OPTIONAL outside it: with ?article's type and the OPTIONAL
  # inside, Oxigraph matched every article of the store before the graphs (0.86 s for 60 graphs at 20,000
  # articles; this shape 0.013 s). Only articles have a content hash.
  GRAPH ?g { ?article ng:contentHash ?hash . }
  OPTIONAL { GRAPH ?g { ?article ng:publisher ?publisher } }
}
"""
_EVENTS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?g ?event ?p ?o WHERE {
  #VALUES#
  GRAPH ?g { ?event ng:evidence ?mention ; ?p ?o . }
  FILTER(STRSTARTS(STR(?event), STR(?prefix)))
  FILTER(?p != ng:evidence)
}
"""
_CLAIMS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?event ?claim ?p ?o WHERE {
  #VALUES#
  ?claim ng:about ?event ; ?p ?o .
  VALUES ?p { ng:killed ng:killedQualifier ng:injured ng:injuredQualifier ng:displaced ng:displacedQualifier
              ng:reportedBy }
}
"""
_SURFACES = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?surface (COUNT(DISTINCT ?m) AS ?n) WHERE {
  # a UNION, not an OPTIONAL: Oxigraph 0.5 evaluates the OPTIONAL's right side before joining the
  # bound ?entity, over every mention in the store (1.2-3 s per entity at 1,000 articles; this: 0.08 s)
  { GRAPH ?g { ?entity skos:altLabel ?surface . } }
  UNION
  { GRAPH ?g { ?entity skos:altLabel ?surface ; ng:evidence ?m . ?m ng:anchorOf ?anchor .
               FILTER(STR(?anchor) = STR(?surface)) } }
} GROUP BY ?g ?surface
"""


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
