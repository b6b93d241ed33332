"""SHACL validation: the hand-written graph conforms; each kind of breakage is reported where it is."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from ontology.namespace import NG
from ontology.validation import ValidationReport, validate

from ontology_test_data import ARTICLE_GRAPH, ENTITIES_GRAPH, ID, RESOLUTION_GRAPH

GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
CLAIM = ID["claim/0123456789abcdef-300-0"]
DENIAL = ID["claim/0123456789abcdef-640-0"]
MENTION = ID["mention/0123456789abcdef-120-128"]
EVENT = ID["event/0123456789abcdef-80"]
DISPLACEMENT = ID["event/0123456789abcdef-900"]
HODEIDAH = ID["place/hodeidah"]
BAJIL = ID["place/bajil"]
SABA = ID["actor/saba"]
ARTICLE = ID["article/0123456789abcdef"]
MERGE = ID["merge/5f5f"]

Breakage = Callable[[Dataset], None]


def _set(graph: URIRef, s: URIRef, p: URIRef, o: object) -> Breakage:
    return lambda ds: ds.graph(graph).set((s, p, o))


def _drop(graph: URIRef, s: URIRef, p: URIRef) -> Breakage:
    return lambda ds: ds.graph(graph).remove((s, p, None))


def _add(graph: URIRef, s: URIRef, p: URIRef, o: object) -> Breakage:
    return lambda ds: ds.graph(graph).add((s, p, o))


# (breakage, focus node, property expected in the report)
BROKEN: dict[str, tuple[Breakage, URIRef, URIRef | None]] = {
    "claim_without_source": (_drop(ARTICLE_GRAPH, CLAIM, NG.reportedBy), CLAIM, NG.reportedBy),
    "claim_without_event": (_drop(ARTICLE_GRAPH, DENIAL, NG.about), DENIAL, NG.about),
    "claim_without_evidence": (_drop(ARTICLE_GRAPH, CLAIM, NG.evidence), CLAIM, NG.evidence),
    "stance_not_allowed": (_set(ARTICLE_GRAPH, CLAIM, NG.stance, Literal("maybe")), CLAIM, NG.stance),
    "qualifier_not_allowed": (_set(ARTICLE_GRAPH, CLAIM, NG.killedQualifier, Literal("roughly")),
                              CLAIM, NG.killedQualifier),
    "qualifier_without_figure": (_drop(ARTICLE_GRAPH, CLAIM, NG.injured), CLAIM, NG.injured),
    "negative_toll": (_set(ARTICLE_GRAPH, CLAIM, NG.killed, Literal(-3)), CLAIM, NG.killed),
    "toll_as_text": (_set(ARTICLE_GRAPH, CLAIM, NG.killed, Literal("six")), CLAIM, NG.killed),
    "mention_ends_before_it_starts": (
        _set(ARTICLE_GRAPH, MENTION, NG.endOffset, Literal(100, datatype=XSD.integer)), MENTION, NG.startOffset),
    "mention_without_article": (_drop(ARTICLE_GRAPH, MENTION, NG.article), MENTION, NG.article),
    "latitude_out_of_range": (_set(ENTITIES_GRAPH, HODEIDAH, GEO.lat, Literal("95.1", datatype=XSD.decimal)),
                              HODEIDAH, GEO.lat),
    "longitude_out_of_range": (_set(ENTITIES_GRAPH, HODEIDAH, GEO.long, Literal("-181", datatype=XSD.decimal)),
                               HODEIDAH, GEO.long),
    "latitude_without_longitude": (_drop(ENTITIES_GRAPH, BAJIL, GEO.long), BAJIL, None),
    # the second preferred label sits in another named graph: only the union shows it
    "two_preferred_labels_across_graphs": (_add(ARTICLE_GRAPH, HODEIDAH, SKOS.prefLabel, Literal("Hudaydah", lang="en")),
                                           HODEIDAH, SKOS.prefLabel),
    "two_ontology_classes": (_add(ARTICLE_GRAPH, HODEIDAH, RDF.type, NG.Region), HODEIDAH, RDF.type),
    "entity_without_class": (_drop(ENTITIES_GRAPH, SABA, RDF.type), SABA, RDF.type),
    "misspelt_class": (_set(ENTITIES_GRAPH, SABA, RDF.type, URIRef(str(NG) + "MediaOutlett")), SABA, RDF.type),
    "event_with_two_classes": (_add(ARTICLE_GRAPH, EVENT, RDF.type, NG.AirStrike), EVENT, RDF.type),
    "event_without_evidence": (_drop(ARTICLE_GRAPH, EVENT, NG.evidence), EVENT, NG.evidence),
    "event_located_at_an_actor": (_set(ARTICLE_GRAPH, EVENT, NG.location, SABA), EVENT, NG.location),
    "period_ends_before_it_starts": (_set(ARTICLE_GRAPH, DISPLACEMENT, NG.periodEnd,
                                          Literal("2025-05-01", datatype=XSD.date)), DISPLACEMENT, NG.periodStart),
    "date_not_a_date": (_set(ARTICLE_GRAPH, EVENT, NG.date, Literal("last Wednesday")), EVENT, NG.date),
    "article_without_hash": (_drop(ARTICLE_GRAPH, ARTICLE, NG.contentHash), ARTICLE, NG.contentHash),
    "merge_score_above_one": (_set(RESOLUTION_GRAPH, MERGE, NG.mergeScore, Literal("1.5", datatype=XSD.decimal)),
                              MERGE, NG.mergeScore),
    # ng:mentionedIn is the chain ng:evidence/ng:article written out: a missing or extra article breaks it
    "entity_not_mentioned_in_its_article": (_drop(ARTICLE_GRAPH, HODEIDAH, NG.mentionedIn), HODEIDAH, None),
    "event_mentioned_in_another_article": (_add(ARTICLE_GRAPH, EVENT, NG.mentionedIn, ID["article/fedcba9876543210"]),
                                           EVENT, None),
    "merged_into_two_events": (_add(RESOLUTION_GRAPH, EVENT, NG.mergedInto, DISPLACEMENT), EVENT, NG.mergedInto),
}


def test_hand_written_graph_conforms(valid_dataset: Dataset) -> None:
    report = validate(valid_dataset)
    assert report.conforms, report.text()
    assert report.results == ()
    assert report.triples == len({(s, p, o) for s, p, o, _ in valid_dataset.quads()})


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_is_rejected_naming_node_and_property(valid_dataset: Dataset, case: str) -> None:
    breakage, focus, path = BROKEN[case]
    breakage(valid_dataset)
    report = validate(valid_dataset)
    assert not report.conforms
    hits = [r for r in report.violations if r.focus == focus and (path is None or r.path == path)]
    assert hits, report.text()
    assert all(r.message for r in report.results)


def test_warning_is_reported_but_does_not_break_conformance(valid_dataset: Dataset) -> None:
    valid_dataset.graph(ARTICLE_GRAPH).set((CLAIM, NG.childrenKilled, Literal(9)))  # 9 children of 6 killed
    report = validate(valid_dataset)
    assert report.conforms
    assert [(r.focus, r.path, r.severity) for r in report.results] == [(CLAIM, NG.childrenKilled, "Warning")]


def test_plain_graph_is_validated_like_a_dataset(valid_dataset: Dataset) -> None:
    union = Graph()
    for s, p, o, _ in valid_dataset.quads():
        union.add((s, p, o))
    union.remove((CLAIM, NG.stance, None))
    before = set(union)
    report = validate(union)
    assert [(r.focus, r.path) for r in report.violations] == [(CLAIM, NG.stance)]
    assert set(union) == before  # the ontology was mixed into a copy, not into the caller's graph


def test_dataset_is_left_unchanged(valid_dataset: Dataset) -> None:
    before = set(valid_dataset.quads())
    validate(valid_dataset)
    assert set(valid_dataset.quads()) == before


def test_report_text_is_readable(valid_dataset: Dataset) -> None:
    valid_dataset.graph(ARTICLE_GRAPH).set((CLAIM, NG.stance, Literal("maybe")))
    text = validate(valid_dataset).text()
    first, second = text.splitlines()[:2]
    assert first.startswith("INVALID: 1 violation(s), 0 warning(s) in ")
    assert second == ('Violation  id:claim/0123456789abcdef-300-0  ng:stance = "maybe": '
                      'ng:stance must be exactly one of "asserts", "denies", "unconfirmed"')


def test_report_text_is_capped(valid_dataset: Dataset) -> None:
    for n in range(5):
        valid_dataset.graph(ARTICLE_GRAPH).add((ID[f"claim/x-{n}"], RDF.type, NG.Claim))
    report: ValidationReport = validate(valid_dataset)
    lines = report.text(limit=3).splitlines()
    assert len(report.violations) >= 15
    assert len(lines) == 5 and lines[-1].startswith("... and ")
