"""ontology.rdfio: an article's triples prepared as N-Quads text for the writer."""

from __future__ import annotations

import pickle

import pytest
from rdflib import XSD, BNode, Literal, URIRef

from ontology.errors import InputError
from ontology.rdfio import PreparedTriples

GRAPH = URIRef("https://w3id.org/newsgraph/id/graph/article/0123456789abcdef")
S = URIRef("https://w3id.org/newsgraph/id/mention/0123456789abcdef-10-24")
P = URIRef("https://w3id.org/newsgraph/ontology#anchorOf")

AWKWARD = [
    (S, P, Literal('the "Free Syrian Army"\nsaid', lang="en")),  # quotes and a line break
    (S, P, Literal("Maarat al-Nu\u2018man \u2014 \u0645\u0639\u0631\u0629 \U0001F4A5")),  # beyond ASCII, beyond the BMP
    (S, P, Literal("back\\slash\ttab")),
    (S, P, Literal("25000", datatype=XSD.integer)),
    (S, P, Literal("2019-12-24", datatype=XSD.date)),
    (S, P, Literal("plain", datatype=XSD.string)),  # RDF 1.1: the same literal as "plain"
    (S, P, URIRef("https://w3id.org/newsgraph/id/place/maarat-al-numan-00000002")),
]


def test_prepared_triples_read_back_as_the_triples_they_were_made_from():
    prepared = PreparedTriples(AWKWARD, GRAPH)
    assert len(prepared) == len(AWKWARD)
    assert prepared.nquads is not None and prepared.nquads.count("\n") == len(AWKWARD)  # one line per triple
    expected = [*AWKWARD[:5], (S, P, Literal("plain")), AWKWARD[6]]
    assert list(prepared) == expected
    assert [q.graph_name.value for q in prepared.quads()] == [str(GRAPH)] * len(AWKWARD)


def test_prepared_triples_pickle_as_one_string():
    # what a worker process sends its parent: one string, rebuilt without making a term object per position
    triples = [(URIRef(f"{S}-{i}"), P, Literal(f"sentence {i}", lang="en")) for i in range(200)]
    prepared = PreparedTriples(triples, GRAPH)
    back = pickle.loads(pickle.dumps(prepared))
    assert list(back) == triples and back.graph == GRAPH
    assert type(back.nquads) is str and back._quads is None


@pytest.mark.parametrize("triple", [
    (Literal("a literal subject"), P, Literal("x")),
    (S, Literal("a literal predicate"), Literal("x")),
    (S, BNode("b"), Literal("x")),
    (URIRef("not an iri"), P, Literal("x")),
    (S, P, Literal("x", datatype=URIRef("not a datatype iri"))),
])
def test_a_bad_triple_fails_naming_it(triple):
    with pytest.raises(InputError) as err:
        PreparedTriples([(S, P, Literal("fine")), triple], GRAPH)
    assert err.value.stage == "store"


def test_blank_nodes_stay_quads_so_a_store_keeps_their_names():
    prepared = PreparedTriples([(S, P, BNode("region"))], GRAPH)
    assert prepared.nquads is None
    assert list(prepared) == [(S, P, BNode("region"))]
