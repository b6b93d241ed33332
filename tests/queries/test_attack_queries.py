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


# one attack, two sources giving the same toll with different qualifiers, and a third giving another toll
SAME_NUMBER = """
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/newsgraph/id/> .

id:graph\\/entities {
  id:actor\\/residents a ng:Group ; skos:prefLabel "residents" .
  id:actor\\/doctor a ng:Group ; skos:prefLabel "doctor" .
  id:actor\\/army a ng:StateForce ; skos:prefLabel "army" .
}
id:graph\\/article\\/dddd {
  id:article\\/dddd a ng:Article .
  id:event\\/dddd-10 a ng:DroneStrike ; rdfs:label "Drone strike" ; ng:mentionedIn id:article\\/dddd .
  id:claim\\/dddd-10-0 a ng:Claim ; ng:about id:event\\/dddd-10 ; ng:reportedBy id:actor\\/residents ;
      ng:publishedIn id:article\\/dddd ; ng:stance "asserts" ; ng:killed 26 ; ng:killedQualifier "at_least" .
  id:claim\\/dddd-90-0 a ng:Claim ; ng:about id:event\\/dddd-10 ; ng:reportedBy id:actor\\/doctor ;
      ng:publishedIn id:article\\/dddd ; ng:stance "asserts" ; ng:killed 26 ; ng:killedQualifier "exact" ;
      ng:injured 55 ; ng:injuredQualifier "exact" .
  id:claim\\/dddd-150-0 a ng:Claim ; ng:about id:event\\/dddd-10 ; ng:reportedBy id:actor\\/army ;
      ng:publishedIn id:article\\/dddd ; ng:stance "asserts" ; ng:killed 3 ; ng:killedQualifier "exact" .
}
"""


def test_the_same_toll_with_another_qualifier_is_one_row(tmp_path, rows) -> None:
    # "at least 26 people" (residents) and "26 bodies" (a doctor) are one toll of 26, not two rows; the army's 3
    # is another figure and stays beside it
    path = tmp_path / "same_number.trig"
    path.write_text(SAME_NUMBER, encoding="utf-8")
    got = rows(str(path), "attacks")
    def cells(r: dict) -> tuple:  # a multi-valued cell's order is the engine's (the runner sorts it)
        return r["killed"], set(r["killed_qualifier"].split(" | ")), r["injured"], set(r["sources"].split(" | "))

    assert [cells(r) for r in got] == [
        ("3", {"exact"}, "", {"army"}),
        ("26", {"at_least", "exact"}, "55", {"doctor", "residents"}),
    ]
