"""Long articles are extracted piece by piece with offsets that still point into the whole text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from builder.pieces import extract_in_pieces
from builder.quarantine import Quarantine
from builder.read import iter_articles
from builder.workers import Failure, process_articles

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def long_article():
    """Every example article of one war after another, as one long text (a scraped dump)."""
    articles = list(iter_articles([str(EXAMPLES)], quarantine=Quarantine()))
    text = "\n\n".join(a.text for a in articles)
    return dataclasses.replace(articles[0], text=text, source="dump.txt", title=None)


def test_every_span_of_a_piecewise_extraction_points_at_its_words(nlp, long_article):
    extraction = extract_in_pieces(nlp, long_article, max_chars=1500)
    text = long_article.text
    spans = [m.span for m in extraction.mentions] + [e.span for e in extraction.events] + [
        c.span for c in extraction.claims]
    located = [s for s in spans if s.sentence_index >= 0]
    assert len(located) > 50
    for span in located:
        assert text[span.start:span.end] == span.text


def test_piece_ids_are_unique_and_every_reference_resolves(nlp, long_article):
    extraction = extract_in_pieces(nlp, long_article, max_chars=1500)
    mention_ids = [m.id for m in extraction.mentions]
    event_ids = {e.id for e in extraction.events}
    assert len(mention_ids) == len(set(mention_ids))
    assert extraction.publisher in mention_ids
    for claim in extraction.claims:
        assert claim.event in event_ids
        assert claim.source in mention_ids
    for event in extraction.events:
        for ref in [event.location, event.origin, event.destination, *event.perpetrators, *event.targets]:
            assert ref is None or ref in mention_ids


def test_a_long_article_finds_the_facts_its_parts_hold(nlp, long_article):
    pieces = extract_in_pieces(nlp, long_article, max_chars=1500)
    whole = extract_in_pieces(nlp, long_article, max_chars=10**9)  # one piece: the plain extraction
    assert len(pieces.events) >= 0.8 * len(whole.events)
    # a boundary can cut a coreference ("the strike" in the next piece stays a generic Attack), never lose a kind
    assert {e.cls for e in whole.events} <= {e.cls for e in pieces.events}


def test_the_map_step_builds_an_article_longer_than_one_parse(long_article, monkeypatch):
    import builder.workers

    monkeypatch.setattr(builder.workers, "PIECE_CHARS", 2000)
    [outcome] = process_articles([long_article])
    assert not isinstance(outcome, Failure), outcome
