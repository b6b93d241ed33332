"""The Python namespace, the Turtle ontology and the SHACL shapes name exactly the same terms."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SH

from ontology.namespace import NG, ontology_graph, shapes_graph

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def ttl_terms() -> set[str]:
    graph = ontology_graph()
    return {str(s)[len(str(NG)):] for kind in DECLARATION_TYPES for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(str(NG))}


def python_terms() -> set[str]:
    return set(NG.__annotations__)


def test_python_namespace_and_turtle_declare_the_same_terms() -> None:
    in_ttl, in_python = ttl_terms(), python_terms()
    assert in_ttl - in_python == set(), "declared in newsgraph.ttl but missing from namespace.py"
    assert in_python - in_ttl == set(), "in namespace.py but not declared in newsgraph.ttl"
    assert len(in_ttl) > 90  # the parse really found the vocabulary


@pytest.mark.parametrize("typo", ["Atack", "airStrike", "killedQualifer"])
def test_closed_namespace_rejects_typos(typo: str) -> None:
    with pytest.raises(AttributeError):
        getattr(NG, typo)


def test_every_term_used_in_the_ontology_is_declared() -> None:
    graph, declared = ontology_graph(), ttl_terms()
    used = {str(t)[len(str(NG)):] for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(NG))}
    assert used - declared == set()


@pytest.mark.parametrize("kind", DECLARATION_TYPES)
def test_every_term_has_an_english_label_and_comment(kind: URIRef) -> None:
    graph = ontology_graph()
    for term in graph.subjects(RDF.type, kind):
        if not str(term).startswith(str(NG)):
            continue
        labels = [lit for lit in graph.objects(term, RDFS.label) if getattr(lit, "language", None) == "en"]
        comments = [lit for lit in graph.objects(term, RDFS.comment) if getattr(lit, "language", None) == "en"]
        assert len(labels) == 1, f"{term} needs one English rdfs:label"
        assert len(comments) == 1, f"{term} needs one English rdfs:comment"


def test_every_ng_term_in_the_shapes_is_declared_in_the_ontology() -> None:
    declared = ttl_terms()
    used = {str(t)[len(str(NG)):] for triple in shapes_graph() for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(NG))}
    assert used - declared == set()


def _listed(shape_name: str) -> set[URIRef]:
    shapes = shapes_graph()
    shape = URIRef("https://w3id.org/newsgraph/shapes#" + shape_name)
    return set(shapes.items(shapes.value(shape, SH["in"])))  # type: ignore[arg-type]


def _subclasses(*roots: URIRef) -> set[URIRef]:
    graph = ontology_graph()
    return {c for root in roots for c in graph.transitive_subjects(RDFS.subClassOf, root)}


@pytest.mark.parametrize(("shape", "roots", "left_out"), [
    ("EventClass", (NG.Event,), set()),
    ("EntityClass", (NG.Actor, NG.Place), {NG.ReportingSource}),
])
def test_shape_class_lists_follow_the_ontology_hierarchy(shape: str, roots: tuple[URIRef, ...],
                                                         left_out: set[URIRef]) -> None:
    assert _listed(shape) == _subclasses(*roots) - left_out
