"""Event reports read back from a store, for merging them with new ones, and the merges written to it.

``merge_candidates`` finds the stored reports that may merge with new ones (by
day and place, or by displaced figure), ``stored_event_summaries`` rebuilds their
``EventSummary`` from the store's triples (targeted queries whose selective
patterns come first), ``stored_clusters`` reads back the clusters that hold
them, and ``merge_triples`` is what the resolution graph holds for a set of merges
(docs/contracts.md section 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import RDF, Literal, URIRef

from ontology import iri
from ontology.namespace import NG


def values_block(name: str, terms: Iterable[Any]) -> str:
    """A ``VALUES ?name { ... }`` block; each term serialised by pyoxigraph (escaped, never query syntax)."""
    from ontology.rdfio import to_oxigraph

    return f"VALUES ?{name} {{ {' '.join(sorted({str(to_oxigraph(t)) for t in terms}))} }}"


def merge_candidates(store: Any, new: Iterable[Any], *, base: str) -> set[URIRef]:
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
        query = (_ON_DAYS_AT.replace("#VALUES#", values_block("day", terms))
                 .replace("#CHAIN#", values_block("loc", chains)).replace("#INNER#", values_block("inner", inner)))
        found.update(r[0] for r in store.query(query, {"prefix": prefix}).rows)
    if figures:
        terms = [Literal(v, datatype=XSD.integer) for v in figures]
        found.update(r[0] for r in store.query(_WITH_FIGURES.replace("#VALUES#", values_block("value", terms)),
                                               {"prefix": prefix}).rows)
    return found


def stored_clusters(store: Any, events: Iterable[URIRef], *, base: str) -> list[Any]:
    """The stored clusters (``ng:Merge`` nodes with members, rule, score) that hold any of ``events``."""
    from builder.merge import StoredCluster

    events = set(events)
    if not events:
        return []
    res = {"res": iri.resolution_graph(base=base)}
    nodes = {r[0] for r in store.query(_MERGES_OF.replace("#VALUES#", values_block("event", events)), res).rows}
    if not nodes:
        return []
    found: dict[Any, dict[str, Any]] = {}
    for node, member, rule, score in store.query(_CLUSTERS.replace("#VALUES#", values_block("merge", nodes)), res).rows:
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
        return query.replace("#VALUES#", "" if wanted is None else values_block(name, terms))

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
        entity_rows = store.query(_ENTITY_KEYS_FROM.replace("#VALUES#", values_block("start", named))).rows if named else []
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
