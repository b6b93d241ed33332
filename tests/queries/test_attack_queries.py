"""The attack queries on graphs built to expose one shape problem each, under Oxigraph (through the
runner) and rdflib (the query text as shipped): both engines must give the same rows."""

from __future__ import annotations


import pytest

ID = "https://w3id.org/newsgraph/id/"

# two places with coordinates; one attack in one of them, one attack whose report names no place
UNPLACED = """
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/newsgraph/id/> .

id:graph\\/entities {
  id:place\\/omdurman a ng:Settlement ; skos:prefLabel "Omdurman" ; geo:lat 15.64453 ; geo:long 32.47773 .
  id:place\\/khartoum a ng:Settlement ; skos:prefLabel "Khartoum" ; geo:lat 15.50065 ; geo:long 32.55992 .
  id:actor\\/who a ng:Organisation ; skos:prefLabel "WHO" .
}
id:graph\\/article\\/cccc {
  id:article\\/cccc a ng:Article ; ng:datePublished "2024-05-07"^^xsd:date .
  id:event\\/cccc-10 a ng:Shelling ; rdfs:label "Shelling in Omdurman" ; ng:location id:place\\/omdurman ;
      ng:mentionedIn id:article\\/cccc .
  id:event\\/cccc-90 a ng:Attack ; rdfs:label "Attack" ; ng:mentionedIn id:article\\/cccc .
  id:claim\\/cccc-90-0 a ng:Claim ; ng:about id:event\\/cccc-90 ; ng:reportedBy id:actor\\/who ;
      ng:publishedIn id:article\\/cccc ; ng:stance "asserts" ; ng:killed 4 ; ng:killedQualifier "exact" .
}
"""


@pytest.fixture(scope="module")
def unplaced(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("attacks") / "unplaced.trig"
    path.write_text(UNPLACED, encoding="utf-8")
    return str(path)


def test_attacks_without_a_place_is_one_row_without_coordinates(unplaced, rows) -> None:
    # the place's coordinates were looked up by an unbound ?at, which matched every place with
    # coordinates: the attack without a place came out once per place in the store
    got = rows(unplaced, "attacks")
    assert [(r["event"], r["place"], r["latitude"], r["longitude"], r["killed"], r["sources"]) for r in got] == [
        (f"{ID}event/cccc-10", "Omdurman", "15.64453", "32.47773", "", ""),
        (f"{ID}event/cccc-90", "", "", "", "4", "WHO"),
    ]
