"""HermiT on the ontology and a small graph: real inferences, and an inconsistent graph named as such.

Java 17 must be installed: these tests FAIL (never skip) without it. Two reasoner
calls in all (each starts a JVM), shared through module-scoped fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ontology_test_data import ENTITIES_GRAPH, ID, load_valid
from rdflib import RDF, Graph

from ontology.errors import NewsgraphError, ValidationError
from ontology.namespace import NG
from ontology.reasoning import Inferences, abox, explain_inconsistency, load, reason, reasoner_tbox

SABA = ID["actor/saba"]
COALITION = ID["actor/saudi-led-coalition"]
PUBLISHER = ID["actor/the-national"]
DRONE_STRIKE = ID["event/0123456789abcdef-80"]
OTHER_REPORT = ID["event/00aa-10"]
DISPLACEMENT = ID["event/0123456789abcdef-900"]
HODEIDAH = ID["place/hodeidah"]
YEMEN = ID["place/yemen"]


@pytest.fixture(scope="module")
def inferences() -> Inferences:
    return reason(load_valid())


def test_a_source_that_made_a_claim_is_inferred_a_reporting_source(inferences: Inferences) -> None:
    sources = inferences.instances(NG.ReportingSource)
    assert {SABA, COALITION} <= sources
    assert PUBLISHER not in sources  # published the article, made no claim
    assert NG.ReportingSource in inferences.inferred_types(SABA)


def test_subclass_hierarchy_answers_all_attacks(inferences: Inferences) -> None:
    assert inferences.instances(NG.Attack) == {DRONE_STRIKE, OTHER_REPORT}
    assert inferences.instances(NG.Event) == {DRONE_STRIKE, OTHER_REPORT, DISPLACEMENT}
    assert (DRONE_STRIKE, RDF.type, NG.Attack) in inferences.graph


def test_transitive_located_in_is_inferred(inferences: Inferences) -> None:
    assert (HODEIDAH, NG.locatedIn, YEMEN) in inferences.graph


def test_inferred_graph_holds_only_new_facts(inferences: Inferences) -> None:
    data = load_valid()
    assert not any(quad[:3] in inferences.graph for quad in data.quads())


def test_place_that_is_also_an_actor_is_inconsistent() -> None:
    dataset = load_valid()
    dataset.graph(ENTITIES_GRAPH).add((HODEIDAH, RDF.type, NG.Actor))
    with pytest.raises(ValidationError, match=r"inconsistent.*place/hodeidah is both ng:Actor .* and ng:Place"):
        reason(dataset)


def test_explanation_follows_domains_and_ranges_without_java() -> None:
    graph = Graph()
    graph.add((ID["mention/x-1-2"], RDF.type, NG.Mention))
    graph.add((DRONE_STRIKE, NG.location, ID["mention/x-1-2"]))  # a mention used as a place
    [(node, why)] = explain_inconsistency(graph)
    assert node == ID["mention/x-1-2"]
    assert "ng:Mention (typed ng:Mention)" in why and "ng:Place (object of ng:location)" in why


def test_reasoner_input_leaves_out_what_hermit_cannot_read() -> None:
    assert b"XMLSchema#date> ." not in reasoner_tbox()  # not in the OWL 2 datatype map
    seen = abox(load_valid().graph(ENTITIES_GRAPH))
    assert not any(o for _, _, o in seen if not isinstance(o, type(HODEIDAH)))  # no literals
    assert (HODEIDAH, NG.locatedIn, ID["place/hodeidah-governorate"]) in seen


def test_load_gives_the_ontology_in_owlready2_without_java() -> None:
    onto = load()
    airstrike = onto.world[str(NG.AirStrike)]
    attack = onto.world[str(NG.Attack)]
    assert attack in airstrike.ancestors()
    assert len(list(onto.world.classes())) >= 30


def test_missing_java_is_an_error_that_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(NewsgraphError, match=r"java not found .*needs Java 17 or newer: install openjdk-17"):
        reason(Graph(), java=str(tmp_path / "no-such-java"))
