"""OWL reasoning over the ontology and a graph: owlready2 + HermiT (Java 17).

The reasoner answers what SHACL cannot: class membership that follows from
definitions (an actor that made a claim *is* an ``ng:ReportingSource``; an
``ng:AirStrike`` *is* an ``ng:Attack``), property values that follow from
characteristics (``ng:locatedIn`` is transitive, ``ng:alliedWith`` symmetric)
and consistency (nothing is both an ``ng:Place`` and an ``ng:Actor``).

owlready2 reads N-Triples, not Turtle, so the Turtle ontology is converted with
rdflib in memory. HermiT accepts only the OWL 2 datatype map, so the reasoner
sees a *profile* of the ontology and the data: ranges outside that map
(``xsd:date``) and every literal-valued triple are left out; datatypes are the
SHACL shapes' job (``ontology/validation.py``). Nothing starts Java until
:func:`reason` is called.
"""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ontology.errors import NewsgraphError, ValidationError
from ontology.namespace import NG, ontology_graph

if TYPE_CHECKING:
    import owlready2

ONTOLOGY_IRI = "https://w3id.org/newsgraph/ontology"
DATA_IRI = "https://w3id.org/newsgraph/reasoner-input"

#: datatypes HermiT accepts (the OWL 2 datatype map, https://www.w3.org/TR/owl2-syntax/#Datatype_Maps)
_XSD = "http://www.w3.org/2001/XMLSchema#"
OWL2_DATATYPES: frozenset[str] = frozenset(
    [f"{_XSD}{name}" for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
        "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
        "dateTime", "dateTimeStamp")]
    + [str(RDF.PlainLiteral), str(RDF.XMLLiteral), str(RDFS.Literal), str(OWL.real), str(OWL.rational),
       "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"]
)


@dataclass(frozen=True)
class Inferences:
    """What HermiT derived from the ontology and a graph.

    ``types`` maps every individual to all its named classes, asserted and
    inferred, up the hierarchy (so ``instances(NG.Attack)`` answers "all
    attacks"); ``graph`` holds only the triples that were *not* in the input.
    """

    types: dict[URIRef, frozenset[URIRef]]
    graph: Graph
    seconds: float
    individuals: int = field(default=0)

    def instances(self, cls: URIRef) -> set[URIRef]:
        """Every individual that is (directly, by subclass or by definition) a member of ``cls``."""
        return {node for node, classes in self.types.items() if cls in classes}

    def inferred_types(self, node: URIRef) -> set[URIRef]:
        """The classes of ``node`` the reasoner added (not asserted in the input)."""
        return {o for o in self.graph.objects(node, RDF.type) if isinstance(o, URIRef)}


@lru_cache(maxsize=1)
def reasoner_tbox() -> bytes:
    """The ontology as N-Triples for owlready2, restricted to what HermiT accepts.

    >>> b"ReportingSource" in reasoner_tbox()
    True
    >>> b"<http://www.w3.org/2001/XMLSchema#date> ." in reasoner_tbox()
    False
    """
    graph = Graph()
    for s, p, o in ontology_graph():
        if p == RDFS.range and isinstance(o, URIRef) and str(o).startswith(_XSD) \
                and str(o) not in OWL2_DATATYPES:
            continue
        graph.add((s, p, o))
    return graph.serialize(format="nt", encoding="utf-8")


def abox(data: Graph) -> Graph:
    """The part of ``data`` the reasoner sees: IRI-to-IRI triples, each individual declared.

    Literal-valued triples and blank nodes are left out; classes and properties
    of the ontology are not redeclared as individuals. ``owl:imports`` is left out
    too: owlready2 would download the imported document (no network at run time).
    """
    vocabulary = {s for s in ontology_graph().subjects() if isinstance(s, URIRef)}
    out = Graph()
    individuals: set[URIRef] = set()
    for s, p, o in data:
        if isinstance(o, (Literal, BNode)) or isinstance(s, BNode) or p == OWL.imports:
            continue
        if s in vocabulary and p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf):
            continue  # the ontology itself travelled with the data: the TBox has it already
        out.add((s, p, o))
        individuals.add(s)  # type: ignore[arg-type]
        if p != RDF.type:
            individuals.add(o)  # type: ignore[arg-type]
    for node in individuals - vocabulary:
        out.add((node, RDF.type, OWL.NamedIndividual))
    return out


def load(data: Graph | None = None) -> owlready2.Ontology:
    """The ontology loaded into a fresh owlready2 world (plus ``data``'s individuals, if given).

    Each call gets its own world, so reasoning never leaks between calls.
    """
    import owlready2

    world = owlready2.World()
    try:
        onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(reasoner_tbox()), format="ntriples")
        if data is not None:
            payload = abox(data).serialize(format="nt", encoding="utf-8")
            world.get_ontology(DATA_IRI).load(fileobj=io.BytesIO(payload), format="ntriples")
    except owlready2.OwlReadyError as err:
        raise ValidationError(f"owlready2 could not load the ontology or the data: {err}") from err
    return onto


def reason(graph_or_dataset: Graph | None = None, *, java: str | None = None) -> Inferences:
    """Classify the ontology (and a graph or dataset's individuals) with HermiT.

    Returns the inferred facts; raises :class:`ValidationError` naming the
    offending individuals when the graph contradicts the ontology (e.g. one
    node typed both ``ng:Place`` and ``ng:Actor``). Needs Java 17 on ``PATH``
    (or ``java=``); one call takes a few seconds (a JVM starts).
    """
    import owlready2
    import owlready2.reasoning

    executable = java or owlready2.JAVA_EXE
    if shutil.which(executable) is None:
        raise NewsgraphError(
            f"java not found (looked for {executable!r} on PATH); the HermiT reasoner needs Java 17 or "
            "newer: install openjdk-17-jre-headless")
    data = union_of(graph_or_dataset) if graph_or_dataset is not None else None
    onto = load(data)
    world = onto.world
    started = time.perf_counter()
    previous = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = owlready2.reasoning.JAVA_EXE = executable
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as err:
        culprits = explain_inconsistency(data) if data is not None else []
        detail = "; ".join(f"{node} {why}" for node, why in culprits[:10]) or "HermiT found no model"
        more = f" (and {len(culprits) - 10} more)" if len(culprits) > 10 else ""
        raise ValidationError(f"the graph is inconsistent with the ontology: {detail}{more}") from err
    except owlready2.OwlReadyJavaError as err:
        raise NewsgraphError(f"the HermiT reasoner failed (Java {executable!r}): {_tail(str(err))}") from err
    finally:
        owlready2.JAVA_EXE = owlready2.reasoning.JAVA_EXE = previous
    seconds = time.perf_counter() - started
    return _collect(world, data if data is not None else Graph(), seconds)


def union_of(graph_or_dataset: Graph) -> Graph:
    """One plain graph holding every triple of every named graph (and the default graph)."""
    from rdflib import Dataset
    from rdflib.graph import ConjunctiveGraph

    if isinstance(graph_or_dataset, (Dataset, ConjunctiveGraph)):
        union = Graph()
        for s, p, o, _ in graph_or_dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return graph_or_dataset


def _collect(world: Any, data: Graph, seconds: float) -> Inferences:
    """Read every individual's classes and the inferred property values out of the world."""
    import owlready2

    types: dict[URIRef, frozenset[URIRef]] = {}
    inferred = Graph()
    inferred.bind("ng", str(NG))
    for individual in world.individuals():
        node = URIRef(individual.iri)
        classes = frozenset(
            URIRef(cls.iri) for cls in individual.INDIRECT_is_a
            if isinstance(cls, owlready2.ThingClass) and cls is not owlready2.Thing
        )
        types[node] = classes
        for cls in classes - set(data.objects(node, RDF.type)):
            inferred.add((node, RDF.type, cls))
    for prop in world.object_properties():
        predicate = URIRef(prop.iri)
        for subject, value in prop.get_relations():
            if not hasattr(subject, "iri") or not hasattr(value, "iri"):
                continue
            triple = (URIRef(subject.iri), predicate, URIRef(value.iri))
            if triple not in data:
                inferred.add(triple)
    return Inferences(types=types, graph=inferred, seconds=seconds, individuals=len(types))


def explain_inconsistency(data: Graph) -> list[tuple[URIRef, str]]:
    """Name the individuals that break a disjointness axiom, and why ("is both ng:Place ... and ...").

    HermiT only says "inconsistent"; this finds the usual cause by RDFS-style
    reasoning in Python: each node's classes (asserted, implied by property
    domains and ranges, and their superclasses) against the ontology's
    ``owl:AllDisjointClasses`` and ``owl:disjointWith`` axioms.
    """
    ontology = ontology_graph()
    supers = _superclasses(ontology)
    classes: dict[URIRef, set[URIRef]] = {}
    reasons: dict[tuple[URIRef, URIRef], str] = {}

    def note(node: Node, cls: Node, why: str) -> None:
        if isinstance(node, URIRef) and isinstance(cls, URIRef):
            for ancestor in supers.get(cls, {cls}):
                classes.setdefault(node, set()).add(ancestor)
                reasons.setdefault((node, ancestor), why)

    domains = {p: set(ontology.objects(p, RDFS.domain)) for p in ontology.subjects(RDFS.domain)}
    ranges = {p: set(ontology.objects(p, RDFS.range)) for p in ontology.subjects(RDFS.range)}
    for s, p, o in data:
        if p == RDF.type:
            note(s, o, f"typed {_short(o)}")
            continue
        for cls in domains.get(p, ()):
            note(s, cls, f"subject of {_short(p)}")
        if isinstance(o, URIRef):
            for cls in ranges.get(p, ()):
                note(o, cls, f"object of {_short(p)}")
    found: list[tuple[URIRef, str]] = []
    for node in sorted(classes):
        for first, second in disjoint_pairs():
            if first in classes[node] and second in classes[node]:
                found.append((node, (
                    f"is both {_short(first)} ({reasons[(node, first)]}) and {_short(second)} "
                    f"({reasons[(node, second)]}), which the ontology declares disjoint")))
                break
    return found


@lru_cache(maxsize=1)
def disjoint_pairs() -> tuple[tuple[URIRef, URIRef], ...]:
    """Every pair of classes the ontology declares disjoint.

    >>> (NG.Actor, NG.Place) in disjoint_pairs() or (NG.Place, NG.Actor) in disjoint_pairs()
    True
    """
    ontology = ontology_graph()
    pairs: set[tuple[URIRef, URIRef]] = set()
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ontology.items(ontology.value(axiom, OWL.members)))
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                pairs.add((first, second))  # type: ignore[arg-type]
    for first, second in ontology.subject_objects(OWL.disjointWith):
        pairs.add((first, second))  # type: ignore[arg-type]
    return tuple(sorted(pairs))


def _superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Each named class with itself and all its named superclasses."""
    out: dict[URIRef, set[URIRef]] = {}
    for cls in set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDFS.subClassOf)):
        if isinstance(cls, URIRef):
            out[cls] = {c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}
    return out


def _short(term: Node) -> str:
    text = str(term)
    return "ng:" + text[len(str(NG)):] if text.startswith(str(NG)) else f"<{text}>"


def _tail(text: str, lines: int = 5) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])

