"""The displacement and conflict queries on a small synthetic graph: the timeline's place filter
(alias in any case, IRI, places located in the area, each report once), and a total row order
(ties broken by article or qualifier, not left to the engine), the same under Oxigraph and rdflib."""

from __future__ import annotations

import pytest

from tests.queries.engines import ID, text_rows, write_graph

GRAPH = """
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/newsgraph/id/> .

id:graph\\/entities {
  id:place\\/country a ng:Country ; skos:prefLabel "Landia"@en .
  id:place\\/town a ng:Settlement ; skos:prefLabel "Townsville"@en ; ng:locatedIn id:place\\/country .
  id:place\\/camp a ng:Settlement ; skos:prefLabel "Camp One"@en ; ng:locatedIn id:place\\/country .
  id:place\\/abroad a ng:Country ; skos:prefLabel "Elsewhere"@en .
  id:actor\\/agency a ng:Organization ; skos:prefLabel "Relief Agency"@en .
  id:actor\\/army a ng:Organization ; skos:prefLabel "Army"@en .
}

id:graph\\/resolution {
  id:event\\/b-10 ng:mergedInto id:event\\/a-10 .
  id:event\\/d-20 ng:mergedInto id:event\\/c-20 .
}

id:graph\\/article\\/a {
  id:place\\/town skos:altLabel "Old Town Name" .
  id:event\\/a-10 a ng:Displacement ; ng:origin id:place\\/town ; ng:destination id:place\\/camp ;
    ng:periodStart "2025-01-01"^^xsd:date ; ng:mentionedIn id:article\\/a .
  id:claim\\/a-10-0 a ng:Claim ; ng:about id:event\\/a-10 ; ng:reportedBy id:actor\\/agency ;
    ng:publishedIn id:article\\/a ; ng:stance "asserts" ; ng:displaced 500 ; ng:displacedQualifier "about" .
  id:event\\/c-20 a ng:AirStrike ; rdfs:label "Air strike in Townsville" ; ng:mentionedIn id:article\\/a .
  id:claim\\/a-20-0 a ng:Claim ; ng:about id:event\\/c-20 ; ng:reportedBy id:actor\\/agency ;
    ng:publishedIn id:article\\/a ; ng:stance "asserts" ; ng:killed 5 ; ng:killedQualifier "at_least" .
}

id:graph\\/article\\/b {
  id:event\\/b-10 a ng:Displacement ; ng:origin id:place\\/town ; ng:destination id:place\\/camp ;
    ng:periodStart "2025-01-01"^^xsd:date ; ng:mentionedIn id:article\\/b .
  id:claim\\/b-10-0 a ng:Claim ; ng:about id:event\\/b-10 ; ng:reportedBy id:actor\\/agency ;
    ng:publishedIn id:article\\/b ; ng:stance "asserts" ; ng:displaced 600 ; ng:displacedQualifier "about" .
  id:event\\/d-20 a ng:AirStrike ; ng:mentionedIn id:article\\/b .
  id:claim\\/b-20-0 a ng:Claim ; ng:about id:event\\/d-20 ; ng:reportedBy id:actor\\/army ;
    ng:publishedIn id:article\\/b ; ng:stance "asserts" ; ng:killed 5 .
  id:event\\/e-30 a ng:Displacement ; ng:origin id:place\\/abroad ; ng:mentionedIn id:article\\/b .
  id:claim\\/b-30-0 a ng:Claim ; ng:about id:event\\/e-30 ; ng:reportedBy id:actor\\/army ;
    ng:publishedIn id:article\\/b ; ng:stance "asserts" ; ng:displaced 70 .
}
"""

@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> str:
    return write_graph(tmp_path_factory.mktemp("dispconf"), GRAPH)


@pytest.mark.parametrize("place, events", [
    (None, {"a-10", "e-30"}),
    ("landia", {"a-10"}),                     # the country the town and the camp lie in, any case
    ("OLD TOWN NAME", {"a-10"}),              # an alias as written in an article, any case
    (ID + "place/camp", {"a-10"}),            # an IRI
    ("Elsewhere", {"e-30"}),
    ("Nowhere", set()),
])
def test_displacement_timeline_place_filter(graph_file, place, events):
    rows = text_rows(graph_file, "displacement-timeline", {"place": place} if place else {})
    assert {row[9].rsplit("/", 1)[1] for row in rows} == events
    # one row per report: a report from and to places inside the area is not repeated
    if events == {"a-10"}:
        assert len(rows) == 2


def test_displacement_timeline_breaks_ties_by_article(graph_file):
    rows = text_rows(graph_file, "displacement-timeline")
    merged = [row for row in rows if row[9] == ID + "event/a-10"]
    assert [row[10] for row in merged] == [ID + "article/a", ID + "article/b"]
    assert [row[5] for row in merged] == ["500", "600"]


def test_conflicts_orders_one_value_by_qualifier(graph_file):
    rows = text_rows(graph_file, "conflicts")
    killed = [(row[4], row[5], row[6]) for row in rows if row[3] == "killed"]
    assert killed == [("5", "at_least", "Relief Agency"), ("5", "exact", "Army")]


def test_displacements_merge_reports_of_one_event(graph_file):
    rows = text_rows(graph_file, "displacements")
    assert [(row[0].rsplit("/", 1)[1], row[1], row[3], row[4]) for row in rows] == [
        ("a-10", "500", "Townsville", "Camp One"), ("a-10", "600", "Townsville", "Camp One"),
        ("e-30", "70", "Elsewhere", "")]
