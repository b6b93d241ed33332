"""assemble: hand-built records in, the contract's triples out (docs/contracts.md section 2)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Literal
from rdflib.compare import isomorphic, to_isomorphic

from builder.assemble import assemble, event_label, preferred_label
from builder.records import ClaimRecord, Figure
from ontology import iri
from ontology.errors import InputError
from ontology.namespace import NG
from tests.builder.yemen_records import TEXT, span, yemen_resolved

DATA = Path(__file__).parent / "data"
ENTITIES = iri.entities_graph()


def _dataset(resolved=None, *, base: str = iri.DEFAULT_BASE) -> Dataset:
    ag = assemble(resolved or yemen_resolved(), base=base)
    ds = Dataset()
    article = ds.graph(ag.graph)
    for t in ag.triples:
        article.add(t)
    entities = ds.graph(iri.entities_graph(base=base))
    for t in ag.entity_triples():
        entities.add(t)
    return ds


@pytest.mark.parametrize("graph_name", ["article", "entities"])
def test_assemble_yemen_matches_the_reviewed_fixture(graph_name: str) -> None:
    got = _dataset()
    expected = Dataset()
    expected.parse(DATA / "yemen_article.trig", format="trig")
    name = ENTITIES if graph_name == "entities" else assemble(yemen_resolved()).graph
    assert isomorphic(got.graph(name), expected.graph(name)), sorted(
        set(to_isomorphic(got.graph(name))) ^ set(to_isomorphic(expected.graph(name))))


def test_assemble_is_deterministic_to_the_byte() -> None:
    first = sorted(_dataset().serialize(format="nquads").splitlines())
    second = sorted(_dataset().serialize(format="nquads").splitlines())
    assert first == second and len(first) > 50


def test_anaphoric_mention_is_evidence_but_not_a_label() -> None:
    ag = assemble(yemen_resolved())
    hodeidah = iri.entity_iri("place:hodeidah")
    labels = {o for s, p, o in ag.triples if s == hodeidah and p == SKOS.altLabel}
    evidence = {o for s, p, o in ag.triples if s == hodeidah and p == NG.evidence}
    assert labels == {Literal("Hodeidah", lang="en")}
    start = TEXT.index("the city")
    assert iri.mention_iri(ag.content_hash, start, start + len("the city")) in evidence
    assert ag.surfaces[hodeidah] == Counter({"Hodeidah": 1})


def test_event_has_label_class_and_claims_carry_figures_and_stance() -> None:
    ag = assemble(yemen_resolved())
    by_pred = {(p, o) for _, p, o in ag.triples}
    event = iri.event_iri(ag.content_hash, TEXT.index("air strike"))
    assert (event, RDF.type, NG.AirStrike) in ag.triples
    assert (event, RDFS.label, Literal("Air strike in Hodeidah, 2024-03-05", lang="en")) in ag.triples
    assert (NG.killed, Literal(12)) in by_pred
    assert (NG.killedQualifier, Literal("at_least")) in by_pred
    assert (NG.stance, Literal("denies")) in by_pred


def test_located_in_chain_is_described_even_when_unmentioned() -> None:
    ag = assemble(yemen_resolved())
    yemen = iri.entity_iri("place:yemen")
    assert yemen in ag.entities and yemen not in ag.surfaces
    assert ag.entities[yemen].curated_label == "Yemen"


def test_base_iri_is_used_for_every_minted_resource() -> None:
    base = "https://example.org/ng/"
    quads = _dataset(base=base).serialize(format="nquads")
    assert iri.DEFAULT_BASE not in quads
    assert "<https://example.org/ng/graph/entities>" in quads


def test_claim_about_unknown_event_is_an_input_error_naming_it() -> None:
    resolved = yemen_resolved()
    claim = resolved.extraction.claims[0]
    resolved.extraction.claims.append(ClaimRecord("c9", "e7", claim.source, claim.span))
    with pytest.raises(InputError, match="e7"):
        assemble(resolved)


@pytest.mark.parametrize(("counts", "expected"), [
    (Counter({"Saraqeb": 3, "Saraqeb city": 1}), "Saraqeb"),
    (Counter({"Saraqeb": 2, "Saraqeb city": 2}), "Saraqeb city"),
    (Counter({"Adlib": 1, "Idlib": 1}), "Adlib"),
])
def test_preferred_label_most_frequent_then_longest_then_alphabetical(counts: Counter, expected: str) -> None:
    assert preferred_label(None, counts) == expected


def test_event_label_without_place_or_date() -> None:
    assert event_label("GroundAssault", None, None) == "Ground assault"


def test_toll_and_injured_of_one_source_fold_into_one_claim_but_different_tolls_do_not() -> None:
    resolved = yemen_resolved()
    claims = resolved.extraction.claims
    toll = claims[0]
    claims.append(ClaimRecord("c2", "e0", toll.source, span("the Houthi-run health ministry"),
                              injured=Figure(30, "more_than", "more than 30")))
    claims.append(ClaimRecord("c3", "e0", toll.source, span("Houthi"), killed=Figure(15, "exact", "15")))
    ag = assemble(resolved)
    figures = {}
    for s, p, o in ag.triples:
        if p in (NG.killed, NG.injured):
            figures.setdefault(s, set()).add((p, o.toPython()))
    assert sorted(figures.values(), key=len) == [{(NG.killed, 15)}, {(NG.killed, 12), (NG.injured, 30)}]
