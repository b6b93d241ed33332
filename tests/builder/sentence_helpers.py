"""What the extraction tests of test sentences share: run a text through the real model, and read the result
back by name (the attack events, a mention's name after its antecedent, each toll's source)."""

from __future__ import annotations

from datetime import date

from builder.extract import extract
from builder.records import ArticleInput, EventRecord, Extraction

PUBLISHED = date(2024, 3, 6)


def run(nlp, text: str, publisher: str = "Test Wire", published: date = PUBLISHED) -> Extraction:  # noqa: ANN001
    """The extraction of ``text`` as an article of ``publisher`` published on ``published``."""
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher=publisher, published=published))


def attacks(x: Extraction) -> list[EventRecord]:
    """The attack events (not flights, not territory changing hands)."""
    return [e for e in x.events if e.cls not in ("Displacement", "TerritorialChange")]


def name(x: Extraction, mention_id: str | None) -> str | None:
    """The name of a mention, or of the mention it refers back to."""
    if mention_id is None:
        return None
    m = x.mention(mention_id)
    if m.antecedent:
        m = x.mention(m.antecedent)
    return m.name or m.surface


def tolls(x: Extraction) -> dict[int, str | None]:
    """Each killed figure and the name of its source."""
    return {c.killed.value: name(x, c.source) for c in x.claims if c.killed}
