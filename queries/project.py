"""Project the RDF dataset into networkx views for visualisation tools.

The dataset is read only through the SPARQL files in ``queries/projections/``
over the union default graph (docs/contracts.md section 2); merged event reports
are presented as their canonical event. Every view is a ``networkx.MultiDiGraph``
keyed by relation, whose nodes carry ``label``, ``kind`` (the ontology class's
local name), ``group`` (Event, Actor, Place, ...), ``iri`` and counts, and whose
edges carry ``relation``, ``weight`` and ``first``/``last`` dates. Values may be
``None`` or dates here; ``queries.export.sanitise`` makes them writer-safe.

>>> View("actors") is View.ACTORS
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset, Graph

PROJECTIONS = Path(__file__).with_name("projections")
ONTOLOGY_TTL = Path(__file__).resolve().parent.parent / "ontology" / "newsgraph.ttl"
NG_NS = "https://w3id.org/newsgraph/ontology#"
GROUPS = ("Event", "Actor", "Place", "Claim", "Mention", "Article", "Merge")


class View(str, Enum):
    """The projections ``newsgraph export --view`` offers."""

    EVENTS = "events"
    ACTORS = "actors"
    SOURCES = "sources"
    PLACES = "places"
    FULL = "full"

    @classmethod
    def parse(cls, name: str | View) -> View:
        """The view called ``name``; an unknown name fails listing the valid ones.

        >>> View.parse("places").value
        'places'
        """
        if isinstance(name, View):
            return name
        try:
            return cls(name)
        except ValueError as err:
            from ontology.errors import UsageError

            valid = ", ".join(v.value for v in cls)
            raise UsageError(f"unknown view {name!r}; expected one of: {valid}") from err


# ---- reading ---------------------------------------------------------------------


def open_dataset(location: str) -> Dataset:
    """Open a graph file, store directory or endpoint as an in-memory rdflib Dataset (union default graph).

    Uses the store layer (``ontology.store.open_store``) when it is installed;
    otherwise parses an RDF file directly.
    """
    import importlib.util

    if importlib.util.find_spec("ontology.store") is not None:
        from ontology.store import open_store

        with open_store(location, mode="r") as store:
            return store.dataset()
    return _parse_file(location)


@contextmanager
def open_graph(location: str) -> Iterator[Any]:
    """The graph to project, kept open for a whole export: an ``ontology.store`` Store, so
    projection queries run on Oxigraph, or (without the store layer) a parsed rdflib Dataset."""
    import importlib.util

    if importlib.util.find_spec("ontology.store") is None:
        yield _parse_file(location)
        return
    from ontology.store import open_store

    with open_store(location, mode="r") as store:
        yield store


def as_dataset(source: Any) -> Dataset:
    """An rdflib Dataset for ``source`` (a Dataset, or a Store copied once into one)."""
    from rdflib import Dataset as RDFDataset

    if isinstance(source, RDFDataset):
        return source
    cached = getattr(source, "_newsgraph_dataset", None)
    if cached is None:
        cached = source.dataset()
        setattr(source, "_newsgraph_dataset", cached)
    return cached


def _parse_file(location: str) -> Dataset:
    from rdflib import Dataset
    from rdflib.util import guess_format

    from ontology.errors import InputError

    path = Path(location)
    if not path.is_file():
        raise InputError("no graph file here; expected a .trig, .nq, .ttl or .jsonld file", path=location)
    fmt = {".jsonld": "json-ld", ".nq": "nquads"}.get(path.suffix) or guess_format(str(path)) or "trig"
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(str(path), format=fmt)
    except Exception as err:  # rdflib raises many parser-specific types
        raise InputError(f"cannot parse as {fmt}: {err}", path=location) from err
    return dataset


@lru_cache(maxsize=None)
def projection_query(name: str) -> str:
    """The text of ``queries/projections/{name}.rq``."""
    path = PROJECTIONS / f"{name}.rq"
    if not path.is_file():
        from ontology.errors import QueryError

        known = ", ".join(sorted(p.stem for p in PROJECTIONS.glob("*.rq")))
        raise QueryError(f"no projection query {name!r} in {PROJECTIONS}; expected one of: {known}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _prepared(name: str) -> Any:
    """Projection query ``name`` parsed and algebra-translated once (rdflib's parser is slow)."""
    from rdflib.plugins.sparql import prepareQuery

    from ontology.errors import QueryError

    try:
        return prepareQuery(projection_query(name))
    except Exception as err:  # pyparsing raises its own exception types
        raise QueryError(f"{PROJECTIONS / name}.rq: cannot parse: {err}") from err


def _python(term: Any) -> Any:
    """An rdflib term as a plain Python value: IRIs as str, numbers, dates, strings."""
    from rdflib import Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # ill-typed literal: keep its lexical form
            return str(value)
        return value
    return str(term)


def select(dataset: Dataset | Any, name: str) -> list[dict[str, Any]]:
    """Run projection query ``name`` on a Store (Oxigraph) or an rdflib Dataset; rows as dicts of Python values."""
    from rdflib import Dataset as RDFDataset

    from ontology.errors import NewsgraphError, QueryError

    if not isinstance(dataset, RDFDataset):
        result = dataset.query(projection_query(name))
        return [{n: _python(t) for n, t in zip(result.vars, row)} for row in result.rows]
    try:
        answer = dataset.query(_prepared(name))
    except NewsgraphError:
        raise
    except Exception as err:  # rdflib's SPARQL engine raises parser and evaluation errors alike
        raise QueryError(f"projection query {name}.rq failed: {err}") from err
    names = [str(v) for v in answer.vars]
    return [{n: _python(row[i]) for i, n in enumerate(names)} for row in answer]


# ---- the ontology: kinds and groups ------------------------------------------------------


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology (``ontology/newsgraph.ttl``), parsed once."""
    from rdflib import Graph

    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@lru_cache(maxsize=1)
def class_ancestors() -> dict[str, tuple[str, ...]]:
    """Each ontology class's local name → its ng superclasses' local names, nearest first."""
    from rdflib import RDFS, URIRef

    graph = ontology_graph()
    out: dict[str, tuple[str, ...]] = {}
    for cls in set(graph.subjects(RDFS.subClassOf, None)) | set(graph.objects(None, RDFS.subClassOf)):
        if not (isinstance(cls, URIRef) and str(cls).startswith(NG_NS)):
            continue
        chain: list[str] = []
        current = cls
        while True:
            parents = [p for p in graph.objects(current, RDFS.subClassOf)
                       if isinstance(p, URIRef) and str(p).startswith(NG_NS)]
            if not parents or str(parents[0])[len(NG_NS):] in chain:
                break
            current = sorted(parents)[0]
            chain.append(str(current)[len(NG_NS):])
        out[str(cls)[len(NG_NS):]] = tuple(chain)
    return out


def kind_of(types: list[str]) -> str:
    """The most specific ontology class among ``types`` (IRIs), as a local name.

    >>> kind_of(["https://w3id.org/newsgraph/ontology#Attack",
    ...          "https://w3id.org/newsgraph/ontology#AirStrike"])
    'AirStrike'
    >>> kind_of(["http://example.org/Thing"])
    'Thing'
    """
    ancestors = class_ancestors()
    local = [t[len(NG_NS):] for t in types if t.startswith(NG_NS)]
    if not local:
        return sorted(local_name(t) for t in types)[0] if types else "Resource"
    return max(sorted(local), key=lambda k: len(ancestors.get(k, ())))


def group_of(kind: str) -> str:
    """The top-level family of a kind: Event, Actor, Place, Claim, Mention, Article, Merge or Other.

    >>> group_of("BarrelBombing"), group_of("MediaOutlet"), group_of("Country")
    ('Event', 'Actor', 'Place')
    """
    if kind in GROUPS:
        return kind
    for parent in class_ancestors().get(kind, ()):
        if parent in GROUPS:
            return parent
    return "Other"


def local_name(iri: str) -> str:
    """The last segment of an IRI.

    >>> local_name("https://w3id.org/newsgraph/id/place/hodeidah-33cc44dd")
    'hodeidah-33cc44dd'
    """
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


# ---- projecting -------------------------------------------------------------------


def fold(rows: list[dict[str, Any]], key: tuple[str, ...], *, least: tuple[str, ...] = (),
         most: tuple[str, ...] = (), distinct: tuple[str, ...] = ()) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Group ``rows`` by ``key``: the least/most bound value of some fields, the set of others.

    Done here rather than with SPARQL aggregates because engines disagree on MIN over
    unbound values (rdflib skips them, Oxigraph makes the whole aggregate unbound).

    >>> folded = fold([{"e": 1, "d": None, "m": "a"}, {"e": 1, "d": 3, "m": "b"}], ("e",),
    ...               least=("d",), distinct=("m",))
    >>> folded[(1,)]["d"], sorted(folded[(1,)]["m"])
    (3, ['a', 'b'])
    """
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        k = tuple(row[f] for f in key)
        group = out.get(k)
        if group is None:
            group = out[k] = {f: row[f] for f in key}
            group.update({f: None for f in (*least, *most)})
            group.update({f: set() for f in distinct})
        for f in least:
            if row[f] is not None and (group[f] is None or _order(row[f]) < _order(group[f])):
                group[f] = row[f]
        for f in most:
            if row[f] is not None and (group[f] is None or _order(row[f]) > _order(group[f])):
                group[f] = row[f]
        for f in distinct:
            if row[f] is not None:
                group[f].add(row[f])
    return out


def _order(value: Any) -> tuple[int, Any]:
    """A sort key that never compares numbers, dates and strings with each other."""
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, date):
        return (1, value.isoformat())
    return (2, str(value))


def node_table(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """Every typed resource → ``label``, ``kind``, ``group``, ``iri``, ``lat``, ``lon``, ``mentions``."""
    types: dict[str, list[str]] = defaultdict(list)
    info: dict[str, dict[str, Any]] = {}
    for row in select(dataset, "nodes"):
        node = row["node"]
        types[node].append(row["type"])
        entry = info.setdefault(node, {"iri": node, "label": None, "lat": None, "lon": None})
        label = row["label"] or row["altLabel"]
        if label is not None and (entry["label"] is None or str(label) < entry["label"]):
            entry["label"] = str(label)
        if row["lat"] is not None and row["long"] is not None:
            entry["lat"], entry["lon"] = float(row["lat"]), float(row["long"])
    for row in select(dataset, "mentions"):
        info.setdefault(row["node"], {"iri": row["node"], "label": None, "lat": None, "lon": None})
        info[row["node"]]["mentions"] = int(row["mentions"])
    for node, entry in info.items():
        entry["kind"] = kind_of(types.get(node, []))
        entry["group"] = group_of(entry["kind"])
        entry.setdefault("mentions", 0)
        if not entry["label"]:
            entry["label"] = local_name(node)
    return info


def event_table(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """Every event as presented → date, period, lowest asserted tolls, mentions, sources, sentence."""
    dates = fold(select(dataset, "event_dates"), ("event",), least=("d", "dt", "ps"), most=("pe",))
    mentions = fold(select(dataset, "event_mentions"), ("event",), least=("sent", "pub"), distinct=("mention",))
    claims = select(dataset, "event_claims")
    for row in claims:  # a denial's figures are not a toll the source asserts
        if row["stance"] == "denies":
            row["k"] = row["i"] = row["dp"] = None
    tolls = fold(claims, ("event",), least=("k", "i", "dp"), distinct=("source",))
    out: dict[str, dict[str, Any]] = {}
    for key, g in dates.items():
        m = mentions.get(key, {"sent": None, "pub": None, "mention": set()})
        t = tolls.get(key, {"k": None, "i": None, "dp": None, "source": set()})
        out[key[0]] = {
            "date": g["d"], "periodStart": g["ps"], "periodEnd": g["pe"], "published": m["pub"],
            "killed": _int(t["k"]), "injured": _int(t["i"]), "displaced": _int(t["dp"]),
            "mentions": len(m["mention"]), "sources": len(t["source"]), "sentence": m["sent"],
            "dateText": g["dt"],
        }
    return out


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def project(dataset: Dataset, *, view: View | str = View.EVENTS) -> nx.MultiDiGraph:
    """Project ``dataset`` into ``view``: a MultiDiGraph keyed by relation."""
    import networkx as nx

    view = View.parse(view)
    nodes = node_table(dataset)
    graph = nx.MultiDiGraph(view=view.value)
    builders = {
        View.EVENTS: _events_view, View.ACTORS: _actors_view, View.SOURCES: _sources_view,
        View.PLACES: _places_view, View.FULL: _full_view,
    }
    builders[view](dataset, graph, nodes)
    _count_events(graph)
    return graph


def _add_node(graph: nx.MultiDiGraph, node: str, nodes: dict[str, dict[str, Any]],
              extra: dict[str, Any] | None = None) -> None:
    if node not in graph:
        base = nodes.get(node) or {"iri": node, "label": local_name(node), "kind": "Resource",
                                   "group": "Other", "lat": None, "lon": None, "mentions": 0}
        graph.add_node(node, **base)
    if extra:
        graph.nodes[node].update(extra)


def _add_edge(graph: nx.MultiDiGraph, u: str, v: str, relation: str, *, weight: int = 1,
              first: date | None = None, last: date | None = None) -> None:
    if graph.has_edge(u, v, key=relation):
        data = graph.edges[u, v, relation]
        data["weight"] += weight
        data["first"] = _earliest(data["first"], first)
        data["last"] = _latest(data["last"], last)
        return
    graph.add_edge(u, v, key=relation, relation=relation, weight=weight, first=first, last=last)


def _earliest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _event_attrs(info: dict[str, Any]) -> dict[str, Any]:
    return {k: info.get(k) for k in ("date", "periodStart", "periodEnd", "killed", "injured",
                                     "displaced", "mentions", "sources", "sentence", "dateText",
                                     "published")}


def _events_view(dataset: Dataset, graph: nx.MultiDiGraph, nodes: dict[str, dict[str, Any]]) -> None:
    events = event_table(dataset)
    for event, info in events.items():
        _add_node(graph, event, nodes, _event_attrs(info))
    for row in event_links(dataset):
        _add_node(graph, row["event"], nodes, _event_attrs(events.get(row["event"], {})))
        _add_node(graph, row["node"], nodes)
        _add_edge(graph, row["event"], row["node"], row["relation"], weight=row["weight"],
                  first=row["date"], last=row["date"])
    for row in source_links(dataset):
        _add_node(graph, row["source"], nodes)
        _add_edge(graph, row["source"], row["event"], row["stance"], weight=row["weight"],
                  first=row["date"], last=row["date"])


def event_links(dataset: Dataset) -> list[dict[str, Any]]:
    """Event → place/actor links: ``event``, ``relation``, ``node``, ``weight`` (reports), ``date``."""
    folded = fold(select(dataset, "event_links"), ("event", "relation", "node"), least=("d",), distinct=("member",))
    return [{"event": e, "relation": r, "node": n, "weight": max(1, len(g["member"])), "date": g["d"]}
            for (e, r, n), g in folded.items()]


def source_links(dataset: Dataset) -> list[dict[str, Any]]:
    """Source → event links by stance: ``weight`` (claims), ``date``, ``killed`` (the lowest the source gave)."""
    folded = fold(select(dataset, "source_links"), ("source", "event", "stance"), least=("d", "k"),
                  distinct=("claim",))
    return [{"source": s, "event": e, "stance": st, "weight": max(1, len(g["claim"])), "date": g["d"],
             "killed": _int(g["k"])} for (s, e, st), g in folded.items()]


def _actors_view(dataset: Dataset, graph: nx.MultiDiGraph, nodes: dict[str, dict[str, Any]]) -> None:
    rows = select(dataset, "actor_links")
    folded = fold(rows, ("a", "relation", "b"), most=("d",), distinct=("event",))
    first = fold(rows, ("a", "relation", "b"), least=("d",))
    for (a, relation, b), g in folded.items():
        if any(nodes.get(n, {}).get("group") != "Actor" for n in (a, b)):
            continue
        _add_node(graph, a, nodes)
        _add_node(graph, b, nodes)
        _add_edge(graph, a, b, relation, weight=max(1, len(g["event"])),
                  first=first[(a, relation, b)]["d"], last=g["d"])
    # actors' event counts, for sizing, come from the events view's links
    counts: dict[str, set[str]] = defaultdict(set)
    for row in event_links(dataset):
        counts[row["node"]].add(row["event"])
    for row in source_links(dataset):
        counts[row["source"]].add(row["event"])
    for node in graph:
        graph.nodes[node]["events"] = len(counts.get(node, ()))
    graph.graph["counted"] = True


def _sources_view(dataset: Dataset, graph: nx.MultiDiGraph, nodes: dict[str, dict[str, Any]]) -> None:
    events = event_table(dataset)
    for row in source_links(dataset):
        info = events.get(row["event"], {})
        _add_node(graph, row["event"], nodes, _event_attrs(info))
        graph.nodes[row["event"]]["single_source"] = info.get("sources") == 1
        _add_node(graph, row["source"], nodes)
        _add_edge(graph, row["source"], row["event"], row["stance"], weight=row["weight"],
                  first=row["date"], last=row["date"])


def _places_view(dataset: Dataset, graph: nx.MultiDiGraph, nodes: dict[str, dict[str, Any]]) -> None:
    events = event_table(dataset)
    for row in event_links(dataset):
        if row["relation"] not in ("location", "origin", "destination"):
            continue
        _add_node(graph, row["event"], nodes, _event_attrs(events.get(row["event"], {})))
        _add_node(graph, row["node"], nodes)
        _add_edge(graph, row["event"], row["node"], row["relation"], weight=row["weight"],
                  first=row["date"], last=row["date"])
    for row in select(dataset, "place_links"):
        _add_node(graph, row["a"], nodes)
        _add_node(graph, row["b"], nodes)
        _add_edge(graph, row["a"], row["b"], "locatedIn")


def _full_view(dataset: Dataset, graph: nx.MultiDiGraph, nodes: dict[str, dict[str, Any]]) -> None:
    for node in nodes:
        _add_node(graph, node, nodes)
    for row in select(dataset, "full"):
        _add_node(graph, row["s"], nodes)
        _add_node(graph, row["o"], nodes)
        _add_edge(graph, row["s"], row["o"], local_name(row["p"]))


def _count_events(graph: nx.MultiDiGraph) -> None:
    """Give every non-event node the number of distinct events it is linked to in this view."""
    if graph.graph.pop("counted", False):
        return
    for node, data in graph.nodes(data=True):
        if data.get("group") == "Event":
            continue
        neighbours = set(graph.predecessors(node)) | set(graph.successors(node))
        data["events"] = sum(1 for n in neighbours if graph.nodes[n].get("group") == "Event")


def evidence(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Node IRI → the sentences behind it (with article title/date, and source/stance/figures for claims).

    A claim's sentence is listed under the event it is about and under its source.
    """
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = [(row.pop("node"), row) for row in select(dataset, "evidence_facts")]
    for row in select(dataset, "evidence_claims"):
        event, src = row.pop("event"), row.pop("src")
        rows += [(event, row), (src, row)]
    for node, row in rows:
        out[node].append({k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if v is not None})
    for items in out.values():
        items.sort(key=lambda r: (str(r.get("published", "")), r.get("sentence", ""), r.get("source", "")))
    return dict(out)
