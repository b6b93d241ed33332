"""places, actors, actor-network and summary after their rewrite for speed (issue 8): the shapes that
made them fast (ng:mentionedIn, article IRIs read once and marked, hash joins, MINUS) give the
answers the plain shapes gave, on Oxigraph through the runner and on rdflib."""

from __future__ import annotations


import pytest

ID = "https://w3id.org/newsgraph/id/"

# Two invented articles. Both name the same town and the same armed group (so every triple an
# article writes about them is in two graphs of the union), report one air strike each (merged
# into one event), and one reports shelling of the town itself (a place target).
GRAPH = """
@prefix ng:   <https://w3id.org/newsgraph/ontology#> .
@prefix id:   <https://w3id.org/newsgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo:  <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

id:graph\\/entities {
    id:place\\/townville-01 a ng:Settlement ; skos:prefLabel "Upper Town" ;
        geo:lat "10.5"^^xsd:decimal ; geo:long "20.25"^^xsd:decimal .
    id:actor\\/group-x-02 a ng:ArmedGroup ; skos:prefLabel "Group X" ; ng:backedBy id:actor\\/state-y-03 .
    id:actor\\/state-y-03 a ng:Government ; skos:prefLabel "State Y" .
    id:actor\\/civilians-04 a ng:Civilians ; skos:prefLabel "civilians" .
    id:actor\\/unnamed-05 a ng:ArmedGroup ; skos:prefLabel "Never Named" .
}

id:graph\\/resolution {
    id:event\\/bbbb-10 ng:mergedInto id:event\\/aaaa-10 .
}

id:graph\\/article\\/aaaa {
    id:article\\/aaaa a ng:Article .
    id:mention\\/aaaa-0-9 a ng:Mention ; ng:article id:article\\/aaaa .
    id:mention\\/aaaa-20-27 a ng:Mention ; ng:article id:article\\/aaaa .
    id:place\\/townville-01 skos:altLabel "Upper\\nTown" , "Uper Town" ; ng:evidence id:mention\\/aaaa-0-9 ;
        ng:mentionedIn id:article\\/aaaa .
    id:actor\\/group-x-02 skos:altLabel "the X group" ; ng:evidence id:mention\\/aaaa-20-27 ;
        ng:mentionedIn id:article\\/aaaa .
    id:actor\\/civilians-04 ng:evidence id:mention\\/aaaa-20-27 ; ng:mentionedIn id:article\\/aaaa .
    id:event\\/aaaa-10 a ng:AirStrike ; ng:perpetrator id:actor\\/group-x-02 ; ng:target id:actor\\/civilians-04 ;
        ng:evidence id:mention\\/aaaa-20-27 ; ng:mentionedIn id:article\\/aaaa .
    id:event\\/aaaa-50 a ng:Shelling ; ng:perpetrator id:actor\\/group-x-02 ; ng:target id:place\\/townville-01 ;
        ng:evidence id:mention\\/aaaa-0-9 ; ng:mentionedIn id:article\\/aaaa .
    id:claim\\/aaaa-10-0 a ng:Claim ; ng:about id:event\\/aaaa-10 ; ng:reportedBy id:actor\\/state-y-03 ;
        ng:publishedIn id:article\\/aaaa ; ng:stance "denies" .
}

id:graph\\/article\\/bbbb {
    id:article\\/bbbb a ng:Article .
    id:mention\\/bbbb-5-14 a ng:Mention ; ng:article id:article\\/bbbb .
    id:place\\/townville-01 skos:altLabel "Uper Town" ; ng:evidence id:mention\\/bbbb-5-14 ;
        ng:mentionedIn id:article\\/bbbb .
    id:actor\\/group-x-02 skos:altLabel "the X group" ; ng:evidence id:mention\\/bbbb-5-14 ;
        ng:mentionedIn id:article\\/bbbb .
    id:actor\\/civilians-04 ng:evidence id:mention\\/bbbb-5-14 ; ng:mentionedIn id:article\\/bbbb .
    id:event\\/bbbb-10 a ng:AirStrike ; ng:perpetrator id:actor\\/group-x-02 ; ng:target id:actor\\/civilians-04 ;
        ng:evidence id:mention\\/bbbb-5-14 ; ng:mentionedIn id:article\\/bbbb .
    id:claim\\/bbbb-10-0 a ng:Claim ; ng:about id:event\\/bbbb-10 ; ng:reportedBy id:actor\\/group-x-02 ;
        ng:publishedIn id:article\\/bbbb ; ng:stance "asserts" .
    id:actor\\/group-x-02 ng:backedBy id:actor\\/state-y-03 .
}
"""


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("entities") / "graph.trig"
    path.write_text(GRAPH, encoding="utf-8")
    return str(path)


def split(cell: str) -> list[str]:
    return sorted(cell.split(" | ")) if cell else []


def test_places_articles_are_the_whole_iris_once_each(graph_file, rows) -> None:
    (row,) = rows(graph_file, "places")
    assert split(row["articles"]) == [f"{ID}article/aaaa", f"{ID}article/bbbb"]  # no "<" marker left, none twice
    assert split(row["aliases"]) == ["Uper Town"]  # the wrapped spelling is the name; the repeated one listed once
    assert (row["name"], row["type"], row["latitude"]) == ("Upper Town", "Settlement", "10.5")


def test_actors_only_mentioned_ones_with_their_articles(graph_file, rows) -> None:
    got = {r["name"]: r for r in rows(graph_file, "actors")}
    assert sorted(got) == ["Group X", "civilians"]  # State Y only reports, Never Named is never mentioned
    assert split(got["Group X"]["articles"]) == [f"{ID}article/aaaa", f"{ID}article/bbbb"]
    assert got["Group X"]["aliases"] == "the X group"
    assert got["Group X"]["backed_by"] == "State Y"


def test_actor_network_counts_merged_reports_once_and_leaves_out_place_targets(graph_file, rows) -> None:
    got = [(r["subject_name"], r["relation"], r["object_name"], r["attacks"], split(r["articles"]))
           for r in rows(graph_file, "actor-network")]
    assert got == [
        ("Group X", "attacked", "civilians", "1", [f"{ID}article/aaaa", f"{ID}article/bbbb"]),
        ("Group X", "backedBy", "State Y", "0", [f"{ID}article/bbbb"]),
    ]


def test_summary_counts_distinct_things_across_article_graphs(graph_file, rows) -> None:
    got = {r["what"]: r["count"] for r in rows(graph_file, "summary")}
    assert got == {"articles": "2", "attacks": "2", "claims": "2", "denials": "1", "places": "1",
                   "actors": "2", "sources": "2"}  # two air strike reports merged + one shelling


# A town the tables place in a country and an article places in a district it names.
TWO_PARENTS = """
@prefix ng:   <https://w3id.org/newsgraph/ontology#> .
@prefix id:   <https://w3id.org/newsgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

id:graph\\/entities {
    id:place\\/town-01 a ng:Settlement ; skos:prefLabel "Town" ; ng:locatedIn id:place\\/country-02 .
    id:place\\/country-02 a ng:Country ; skos:prefLabel "Country" .
    id:place\\/zone-03 a ng:Region ; skos:prefLabel "West Zone" .
}

id:graph\\/article\\/cccc {
    id:article\\/cccc a ng:Article .
    id:place\\/town-01 ng:mentionedIn id:article\\/cccc ; ng:locatedIn id:place\\/zone-03 .
}
"""


def test_a_place_with_two_parents_is_one_row_naming_both(tmp_path, rows) -> None:
    path = tmp_path / "graph.trig"
    path.write_text(TWO_PARENTS, encoding="utf-8")
    (row,) = rows(str(path), "places")
    assert split(row["located_in"]) == ["Country", "West Zone"]
