"""Projections of the hand-written contract-shaped graph (fixtures/exports.trig) to networkx views."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ontology.errors import UsageError
from queries.project import View, evidence, kind_of, open_dataset, project

FIXTURE = Path(__file__).with_name("fixtures") / "exports.trig"
ID = "https://w3id.org/newsgraph/id/"
HODEIDAH_STRIKE = ID + "event/aaaaaaaaaaaaaaaa-40"
MERGED_REPORT = ID + "event/bbbbbbbbbbbbbbbb-10"
KHARKIV_STRIKE = ID + "event/bbbbbbbbbbbbbbbb-90"
COALITION = ID + "actor/saudi-led-coalition-aa11bb22"
CIVILIANS = ID + "actor/civilians-4b5a6978"


@pytest.fixture(scope="module")
def dataset():
    return open_dataset(str(FIXTURE))


@pytest.fixture(scope="module")
def views(dataset):
    return {view: project(dataset, view=view) for view in View}


@pytest.mark.parametrize("view", list(View))
def test_project_every_node_has_label_kind_iri(views, view):
    graph = views[view]
    assert graph.number_of_nodes() > 0
    for node, data in graph.nodes(data=True):
        assert data["iri"] == node
        assert data["label"] and not data["label"].startswith("http")
        assert data["kind"] and data["group"] in {"Event", "Actor", "Place", "Claim", "Mention", "Article", "Merge", "Other"}
    for *_, data in graph.edges(data=True):
        assert data["relation"] and data["weight"] >= 1


def test_project_events_presents_merged_reports_as_their_canonical_event(views):
    graph = views[View.EVENTS]
    assert HODEIDAH_STRIKE in graph and MERGED_REPORT not in graph
    strike = graph.nodes[HODEIDAH_STRIKE]
    assert strike["kind"] == "AirStrike"
    assert strike["killed"] == 28  # lowest asserted toll of 28, 55 and 31; the denial has none
    assert strike["sources"] == 4  # OCHA, the ministry, the coalition (denies), the second outlet
    assert strike["mentions"] == 2
    assert strike["date"] == date(2018, 8, 2)
    # the merged report's location joins the canonical event's
    assert {v for _, v, k in graph.out_edges(HODEIDAH_STRIKE, keys=True) if k == "location"} == {
        ID + "place/hodeidah-33cc44dd", ID + "place/al-hali-fish-market-55ee66ff"}
    assert graph.edges[HODEIDAH_STRIKE, CIVILIANS, "target"]["weight"] == 2


def test_project_events_links_sources_by_stance(views):
    graph = views[View.EVENTS]
    assert graph.has_edge(COALITION, HODEIDAH_STRIKE, key="denies")
    assert graph.has_edge(HODEIDAH_STRIKE, COALITION, key="perpetrator")
    assert graph.has_edge(ID + "actor/img-src-x-onerror-alert-1-deadbeef", KHARKIV_STRIKE, key="unconfirmed")
    assert graph.nodes[CIVILIANS]["events"] == 2


def test_project_actors_network(views):
    graph = views[View.ACTORS]
    assert all(data["group"] == "Actor" for _, data in graph.nodes(data=True))
    relations = {(u.rsplit("/", 1)[1], k, v.rsplit("/", 1)[1]) for u, v, k in graph.edges(keys=True)}
    assert ("saudi-led-coalition-aa11bb22", "attacked", "civilians-4b5a6978") in relations
    assert ("houthis-cc33dd44", "backedBy", "iran-ee55ff66") in relations
    assert ("sudanese-armed-forces-6a7b8c9d", "alliedWith", "joint-forces-1a2b3c4e") in relations
    assert ("saudi-led-coalition-aa11bb22", "denied", "ocha-8796a5b4") in relations
    attacked = graph.edges[COALITION, CIVILIANS, "attacked"]
    assert (attacked["weight"], attacked["first"], attacked["last"]) == (1, date(2018, 8, 2), date(2018, 8, 2))


def test_project_sources_flags_single_source_facts(views):
    graph = views[View.SOURCES]
    single = {n.rsplit("/", 1)[1] for n, d in graph.nodes(data=True) if d.get("single_source")}
    assert single == {"cccccccccccccccc-0", "cccccccccccccccc-120"}
    assert graph.nodes[HODEIDAH_STRIKE]["single_source"] is False


def test_project_places_view_has_containment(views):
    graph = views[View.PLACES]
    assert graph.has_edge(ID + "place/hodeidah-33cc44dd", ID + "place/hodeidah-governorate-11aa22bb", key="locatedIn")
    assert graph.has_edge(ID + "event/cccccccccccccccc-120", ID + "place/tawila-5b6a7988", key="destination")
    assert {d["group"] for _, d in graph.nodes(data=True)} == {"Event", "Place"}


def test_project_full_view_keeps_every_resource(views):
    graph = views[View.FULL]
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert {"Mention", "Claim", "Article", "Merge", "AirStrike", "Settlement"} <= kinds
    assert MERGED_REPORT in graph
    assert graph.has_edge(MERGED_REPORT, HODEIDAH_STRIKE, key="mergedInto")


@pytest.mark.parametrize("name", ["nodes", "Events", ""])
def test_project_unknown_view_lists_the_valid_ones(dataset, name):
    with pytest.raises(UsageError, match="expected one of: events, actors, sources, places, full"):
        project(dataset, view=name)


@pytest.mark.parametrize(("types", "kind"), [
    (["https://w3id.org/newsgraph/ontology#Actor", "https://w3id.org/newsgraph/ontology#MediaOutlet",
      "https://w3id.org/newsgraph/ontology#Organization"], "MediaOutlet"),
])
def test_project_kind_is_the_most_specific_class(types, kind):
    assert kind_of(types) == kind


def test_project_evidence_gives_sentences_and_sources(dataset):
    facts = evidence(dataset)
    rows = facts[HODEIDAH_STRIKE]
    assert any(r.get("source") == "UN OCHA" and r.get("killedText") == "at least 28 people" for r in rows)
    assert any(r["sentence"].startswith("The toll from Thursday's strike") for r in rows)  # the merged report's
    assert any(r.get("stance") == "denies" for r in facts[COALITION])


@pytest.mark.parametrize("view", list(View))
def test_project_store_and_rdflib_agree(dataset, view):
    """The export path runs projection queries on Oxigraph (the store); rdflib must give the same views."""
    from queries.project import open_graph

    with open_graph(str(FIXTURE)) as store:
        on_store = project(store, view=view)
    on_rdflib = project(dataset, view=view)
    assert dict(on_store.nodes(data=True)) == dict(on_rdflib.nodes(data=True))
    assert sorted(on_store.edges(keys=True, data=True), key=repr) == sorted(on_rdflib.edges(keys=True, data=True), key=repr)
