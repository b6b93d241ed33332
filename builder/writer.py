"""The single writer of a build: article graphs, entity descriptions and labels, and the event merges.

Articles are written in batches of ``BATCH``: one store transaction adds (or
replaces whole) their named graphs together with the descriptions of entities
the store does not describe yet, and a second one rewrites the descriptions the
batch changed (each entity once per batch, only if it changed). The transactions
run behind the parse in a thread of their own (``builder.write_behind``). A
build killed at any moment therefore leaves whole articles whose entities are
all described (an older description at worst, which the rerun rewrites).
Re-adding an article replaces it, never duplicates it.

Preferred labels. An entity with a curated name (a curated gazetteer entry, a
country, a Wikidata id) is labelled with it. Any other entity, a town only
GeoNames knows among them, is labelled with the surface written most often over
every article in the store (``builder.assemble.preferred_label``: forms differing
only in case or accents count as one; ties go to GeoNames' spelling, then to the
longer surface, then to the alphabetically first). Counts are kept per article graph, so re-adding an
article replaces its counts, and the label is recomputed for every entity an
article touches (also on incremental builds into an existing store, whose
counts are read back the first time they matter).

Entity descriptions seen in several articles are combined order-independently:
the best description wins (curated before not, then more facts, then the
smallest by value) and ``backedBy`` links are united.

Event merging (``Writer.merge_events``) reads back from the store only what the
new reports can merge with (``builder.stored_events``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import RDF, SKOS, Literal, URIRef

from builder.assemble import GEO, ArticleGraphs, EntityDescription, is_curated, label_group, preferred_label
from builder.memory import release_free_memory
from builder.merge import compact
from builder.stored_events import (
    merge_candidates,
    merge_triples,
    stored_clusters,
    stored_event_summaries,
    values_block,
)
from builder.workers import PIPE_BATCH
from builder.write_behind import WriteBehind
from ontology import iri
from ontology.namespace import NG

log = logging.getLogger("newsgraph.build")

#: articles per store commit (two map chunks): an entity named by several articles of it is rewritten once, and a
#: killed build keeps every batch committed before (tests/robustness/test_crash.py kills between batches). 32
#: rather than 8: a quarter of the transactions and entity rewrites (2,000 articles, old and new alternating in one
#: hour: --jobs 2 52.8 -> 51.5 s, --jobs 1 81.9 -> 81.3 s and 1-3 s less CPU; peak +30 MB)
BATCH = 2 * PIPE_BATCH
FLUSH_EVERY = 100  # articles between store flushes (bench: RSS flat at ~70 MB of store instead of growing)


#: re-added articles whose stored reports a build reads back (one targeted read each) to see whether their
#: summaries changed; an unchanged article's reports keep their clusters. Past this many (a rebuild of a
#: whole store, say), the rest count as changed, and such a build mostly re-merges everything anyway
COMPARED_REPLACEMENTS = 64


@dataclass(slots=True)
class EntityState:
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
        text, group = str(label), label_group(str(label))
        # written only as the label; or, when the label is GeoNames' name, only as that name in any spelling
        gazetteer = self.description.gazetteer_name if self.description else None
        same = (lambda t: label_group(t) == group) if text == gazetteer else (lambda t: t == text)
        if not all(same(_label_text(lit)) and lit.language == label.language for lit in self.built):
            return False
        gone = [(lit, n) for counts in self.dropped.values() for lit, n in counts.items()
                if label_group(_label_text(lit)) == group]
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
            text = _label_text(lit)
            by_text[text] += n
            lang[text] = min(filter(None, (lang.get(text), lit.language)), default=None)
        text = preferred_label(None, by_text, description.gazetteer_name)
        return Literal(text, lang=lang.get(text, "en"))  # GeoNames' own name is English


def _gazetteer_name(key: str) -> str | None:
    """GeoNames' name of a stored place only GeoNames knows (its label while no article names it)."""
    from builder.gazetteer import load_gazetteer

    entry = load_gazetteer().place(key)
    return entry.name if entry is not None else None


def _label_text(surface: Literal) -> str:
    """A surface as a label: its words joined by single spaces (how surfaces written differently are counted as one)."""
    return " ".join(str(surface).split())


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


class Writer:
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
        self.resolution = iri.resolution_graph(base=base)
        # a build stopped after writing articles and before merging their events left this mark: merge them all
        self.merge_pending = not self.fresh and bool(
            store.query(_MERGE_PENDING, {"res": self.resolution}).boolean)
        self.marked = False  # this build has marked the store as holding reports not merged yet
        if not self.fresh:
            upgrade(store)
        self.states: dict[URIRef, EntityState] = {}
        self.written = 0
        self.unflushed = 0
        self.events: list[Any] = []
        self.pool: dict[Any, Any] = {}  # the values event summaries share (builder.merge.compact)
        self.replaced: set[str] = set()  # the event reports of stored article graphs this build replaces
        self.compared = 0  # re-added articles whose stored summaries were compared with the new ones
        self.pending: dict[URIRef, Any] = {}  # article graphs of the batch (PreparedTriples), not yet stored
        self.touched: set[URIRef] = set()  # entities the batch's articles touch

    def __enter__(self) -> Writer:
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
            if state.description.curated_label is None and state.description.gazetteer_name is None \
                    and not state.built and not any(state.surfaces.values()):
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
        upsert = {self.entities_graph: new} if new else {}
        if not self.marked:  # with the first articles: their reports are not merged until merge_events
            upsert[self.resolution] = {self.resolution: [(self.resolution, NG.mergePending, Literal(True))]}
            self.marked = True
        self.behind.submit(Changeset(replace=self.pending, upsert=upsert), what=what, flush=flush and not changed)
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
        rows = self.store.query(_BUILD_KEYS.replace("#VALUES#", values_block("g", graphs))).rows
        return {graph: str(key) for graph, key in rows}

    def state(self, node: URIRef) -> EntityState:
        state = self.states.get(node)
        if state is None:
            state = EntityState(description=None, stored_surfaces={})
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
            gazetteer_name=None if curated or not geonames else _gazetteer_name(f"{kind}:{key}"),
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
        resolution = self.resolution
        if self.fresh or self.merge_pending or self.written >= len(self.existing):
            return self._merge_all(resolution)  # rewrites the resolution graph whole: the mark goes with it
        dissolved = stored_clusters(self.store, map(URIRef, self.replaced), base=self.base)
        new = {e.iri for e in self.events}
        released = {m for c in dissolved for m in c.members} - self.replaced - new
        fresh = [*self.events, *stored_event_summaries(self.store, base=self.base, events=map(URIRef, released))]
        try:
            candidates = merge_candidates(self.store, fresh, base=self.base)
        except ValueError:  # merge rules with no narrowing key: compare against every stored event
            return self._merge_all(resolution)
        again = {e.iri for e in fresh}
        stored = stored_event_summaries(self.store, base=self.base,
                                        events=(c for c in candidates if str(c) not in again))
        links = links_of(fresh, stored)
        matched = {URIRef(x) for a, b, _ in links for x in (a, b) if x not in again}
        merges, absorbed = merge_increment(again, links, stored_clusters(self.store, matched, base=self.base))
        # a cluster dissolved or absorbed is rewritten whole: its node and every member's link go first
        upsert: dict[URIRef, list[Any]] = {URIRef(node): [] for node in absorbed | {c.node for c in dissolved}}
        upsert.update((URIRef(member), []) for c in dissolved for member in c.members)
        upsert.update((URIRef(member), []) for m in merges for member in m.members)
        for triple in merge_triples(merges, base=self.base):
            upsert.setdefault(triple[0], []).append(triple)
        upsert[resolution] = []  # every report of this build is merged: the mark goes, in the same transaction
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


_HAS_ARTICLE = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?article a ng:Article }"
_HAS_MENTIONED_IN = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?node ng:mentionedIn ?article }"
_MISSING_CHAIN = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?g ?node ?article WHERE {
  GRAPH ?g { ?node ng:evidence ?mention . ?mention ng:article ?article . }
  FILTER NOT EXISTS { GRAPH ?g { ?node a ng:Claim } }  # a claim has ng:publishedIn
}
"""
_MERGE_PENDING = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { GRAPH ?res { ?res ng:mergePending true } }"
_RESOLUTION_COUNTS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT (COUNT(DISTINCT ?merge) AS ?merges) (COUNT(*) AS ?triples) WHERE {
  GRAPH ?res { ?s ?p ?o . OPTIONAL { ?s a ng:Merge . BIND(?s AS ?merge) } }
}
"""
_BUILD_KEYS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?g ?key WHERE {
  #VALUES#
  GRAPH ?g { ?article ng:buildKey ?key }
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
