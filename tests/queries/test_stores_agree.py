"""The same query gives the same rows on a file, an Oxigraph store directory and a real SPARQL server."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from ontology.store import Changeset, open_store
from queries.runner import library, run

ID = "https://w3id.org/newsgraph/id/"

#: parameter values that select something in the small graph, by parameter name
SAMPLE = {"actor": "RSF", "place": "North Darfur", "source": "iom", "since": "2024-05-11", "until": "2024-05-12",
          "fact": ID + "event/a1a1a1a1a1a1a1a1-10"}
#: for parameters of queries other rooms add later, a value by type
BY_TYPE = {"string": "Sudan", "integer": "2", "date": "2024-05-11", "iri": ID + "event/a1a1a1a1a1a1a1a1-10"}


def sample(param) -> str:
    return SAMPLE.get(param.name, BY_TYPE[param.type])


def cases() -> list[tuple[str, dict[str, str]]]:
    out = []
    for name, spec in sorted(library().items()):
        out.append((name, {p.name: sample(p) for p in spec.params if not p.optional}))
        if any(p.optional for p in spec.params):
            out.append((name, {p.name: sample(p) for p in spec.params}))
    return out


@pytest.mark.parametrize(("name", "params"), cases())
def test_file_directory_and_server_agree(small_trig, small_dir, small_sparql, name, params):
    answers = [run(name, location, params) for location in (small_trig, small_dir, small_sparql)]
    assert answers[0].vars, f"{name} is not a SELECT query"
    assert answers[0].vars == answers[1].vars == answers[2].vars
    assert answers[0].rows == answers[1].rows == answers[2].rows
    if name in {"attacks-in-place", "provenance", "actor-claims", "attacks", "places", "sources"}:
        assert answers[0].rows, f"{name} selects nothing in the small graph: the comparison would prove little"


def test_hostile_values_return_nothing_on_the_server(small_sparql):
    assert run("actor-claims", small_sparql, {"actor": 'x" || true || "'}).rows == []
    assert run("attacks-in-place", small_sparql, {"place": "x' } UNION { ?member ?p ?o } #"}).rows == []


def test_incremental_writes_to_the_server_replace_without_duplicates(oxigraph_server):
    url = f"{oxigraph_server}/query"
    graph = URIRef(ID + "graph/article/dddddddddddddddd")
    shared = URIRef(ID + "graph/test-entities")
    place = URIRef(ID + "place/marib-000000d1")
    label = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    event = URIRef(ID + "event/dddddddddddddddd-4")
    date = URIRef("https://w3id.org/newsgraph/ontology#date")
    with open_store(url, mode="w") as store:
        for _ in range(2):
            store.apply(Changeset(replace={graph: [(event, date, Literal("2021-02-07", datatype=URIRef(
                "http://www.w3.org/2001/XMLSchema#date")))]}, upsert={shared: {place: [(place, label, Literal("Marib"))]}}))
        store.apply(Changeset(replace={graph: [(event, label, Literal("Missile strike in Marib"))]},
                              upsert={shared: {place: [(place, label, Literal("Ma'rib"))]}}))
    with open_store(url) as store:
        assert {graph, shared} <= store.graph_names()
        assert list(store.triples(graph)) == [(event, label, Literal("Missile strike in Marib"))]
        assert list(store.triples(shared, [place])) == [(place, label, Literal("Ma'rib"))]
        with pytest.raises(Exception, match="read-only"):
            store.apply(Changeset(replace={graph: []}))
    with open_store(url, mode="w") as store:  # emptying both graphs removes them: the server holds the small graph only
        store.apply(Changeset(replace={graph: []}, upsert={shared: {place: []}}))
    with open_store(url) as store:
        assert not {graph, shared} & store.graph_names()


def test_every_store_gives_the_same_dataset(small_trig, small_dir, small_sparql):
    from rdflib.compare import isomorphic

    datasets = []
    for location in (small_trig, small_dir, small_sparql):
        with open_store(location) as store:
            datasets.append(store.dataset())
    graphs = [{g.identifier: g for g in ds.graphs() if len(g)} for ds in datasets]
    assert set(graphs[0]) == set(graphs[1]) == set(graphs[2])
    for name in graphs[0]:
        assert isomorphic(graphs[0][name], graphs[1][name]) and isomorphic(graphs[0][name], graphs[2][name])
