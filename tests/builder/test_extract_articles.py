"""End-to-end extraction on short articles written for these tests (other outlets, other wars)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction

YEMEN = (
    "SANAA, Yemen (AP) — Saudi-led coalition jets struck a crowded market in the town of Saada on Tuesday, "
    "killing at least 14 people, including four children, and wounding dozens, Houthi health officials said.\n\n"
    "The coalition denied targeting civilians.\n\n"
    "Residents said the strike destroyed several shops. The Associated Press could not independently verify the toll.\n"
)
UKRAINE = (
    "Drones hit Odesa port\n\n"
    "ODESA, Ukraine — Russian drones hit grain warehouses in the port of Izmail overnight, injuring two workers, "
    "regional governor Oleh Kiper said on Telegram on Wednesday.\n\n"
    "More than 1,500 people have fled the frontline town of Vovchansk over the past week, according to the "
    "regional administration.\n"
)
SUDAN = (
    "KHARTOUM - Artillery shelling by the Rapid Support Forces on a camp near El Geneina killed 9 civilians on "
    "Sunday, the Sudan Doctors Network said.\n\n"
    "Some 3,000 families fled to Chad since Friday, the UN refugee agency said.\n"
)
MYANMAR = (
    "Junta jets bombed the village of Lat Pan Hla in Sagaing region on Monday, killing 11 villagers, "
    "a local resistance official told Radio Free Asia. Myanmar's military denied the attack.\n"
)
PUBLISHED = date(2024, 5, 8)  # a Wednesday


def run(nlp, text: str, *, publisher: str | None = None, published: date | None = PUBLISHED) -> Extraction:
    article = ArticleInput(text=text, source="test", publisher=publisher, published=published)
    return extract(nlp(text), article)


def surface(x: Extraction, mention_id: str | None) -> str | None:
    return None if mention_id is None else x.mention(mention_id).surface


def attacks(x: Extraction) -> list:
    return [e for e in x.events if e.cls not in ("Displacement", "TerritorialChange")]


def test_yemen_air_strike_with_toll_denial_and_unconfirmed(nlp) -> None:
    x = run(nlp, YEMEN)
    [attack] = attacks(x)
    assert attack.cls == "AirStrike"
    assert surface(x, attack.location) == "Saada"
    assert attack.date == date(2024, 5, 7) and attack.date_text == "on Tuesday"
    assert "Saudi-led coalition" in {surface(x, p) for p in attack.perpetrators}
    assert attack.target_text == "a crowded market"
    claims = [c for c in x.claims if c.event == attack.id]
    toll = next(c for c in claims if c.killed)
    assert (toll.killed.value, toll.killed.qualifier, toll.killed.children) == (14, "at_least", 4)
    assert (toll.injured.value, toll.injured.qualifier) == (24, "at_least")
    assert surface(x, toll.source) == "officials"
    assert {c.stance for c in claims} == {"asserts", "denies", "unconfirmed"}
    assert surface(x, next(c.source for c in claims if c.stance == "denies")) == "Saudi-led coalition"


def test_yemen_dateline_and_publisher_from_the_agency_mark(nlp) -> None:
    x = run(nlp, YEMEN)
    assert surface(x, x.dateline) == "SANAA"
    assert surface(x, x.publisher) == "AP"
    assert all(e.location != x.dateline for e in x.events)


def test_ukraine_drone_strike_and_displacement_over_a_period(nlp) -> None:
    x = run(nlp, UKRAINE)
    [attack] = attacks(x)
    assert attack.cls == "DroneStrike"
    assert surface(x, attack.location) == "Izmail"
    assert [surface(x, p) for p in attack.perpetrators] == ["Russian drones"]
    assert x.mention(attack.perpetrators[0]).name == "Russia"
    [injured] = [c.injured for c in x.claims if c.event == attack.id and c.injured]
    assert (injured.value, injured.qualifier) == (2, "exact")
    [flight] = [e for e in x.events if e.cls == "Displacement"]
    assert surface(x, flight.origin) == "Vovchansk"
    assert (flight.period_start, flight.period_end) == (date(2024, 5, 1), PUBLISHED)
    [claim] = [c for c in x.claims if c.event == flight.id]
    assert (claim.displaced.value, claim.displaced.qualifier, claim.displaced.text) == (
        1500, "more_than", "More than 1,500 people")


def test_ukraine_headline_makes_no_event(nlp) -> None:
    x = run(nlp, UKRAINE)
    assert all(e.span.start > UKRAINE.index("ODESA") for e in x.events)


def test_sudan_shelling_by_named_perpetrator_and_flight_abroad(nlp) -> None:
    x = run(nlp, SUDAN)
    [attack] = attacks(x)
    assert attack.cls == "Shelling"
    assert [surface(x, p) for p in attack.perpetrators] == ["Rapid Support Forces"]
    assert attack.date == date(2024, 5, 5)
    [flight] = [e for e in x.events if e.cls == "Displacement"]
    assert surface(x, flight.destination) == "Chad"
    assert flight.period_start == date(2024, 5, 3)
    [claim] = [c for c in x.claims if c.event == flight.id]
    assert (claim.displaced.value, claim.displaced.qualifier) == (3000, "about")
    assert surface(x, claim.source) == "UN refugee agency"


def test_unnamed_source_falls_back_to_the_publisher(nlp) -> None:
    x = run(nlp, "Rebel fighters shelled the town of Kafr Nabl on Sunday, killing three civilians.\n",
            publisher="Middle East Eye")
    [attack] = attacks(x)
    [claim] = [c for c in x.claims if c.event == attack.id]
    assert x.mention(claim.source).name == "Middle East Eye"
    assert x.mention(claim.source).span.sentence_index == -1  # synthesised: the text never names it


def test_no_publication_date_keeps_only_the_words(nlp) -> None:
    x = run(nlp, SUDAN, published=None)
    [attack] = attacks(x)
    assert (attack.date, attack.date_text) == (None, "on Sunday")


@pytest.mark.parametrize("text", [YEMEN, UKRAINE, SUDAN, MYANMAR])
def test_every_span_quotes_the_article_exactly(nlp, text: str) -> None:
    x = run(nlp, text)
    spans = [m.span for m in x.mentions] + [e.span for e in x.events] + [c.span for c in x.claims] + [
        r.span for r in x.relations]
    for span in spans:
        if span.sentence_index >= 0:
            assert text[span.start:span.end] == span.text
            assert span.text in span.sentence


def test_mention_and_claim_ids_are_consistent(nlp) -> None:
    x = run(nlp, MYANMAR)
    ids = {m.id for m in x.mentions}
    assert all(c.source in ids and c.event in {e.id for e in x.events} for c in x.claims)
    assert all(p in ids for e in x.events for p in e.perpetrators)


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


@pytest.mark.parametrize("name", sorted(p.stem for p in SEEDS.glob("*.txt")) or ["<missing seeds>"])
def test_seed_articles_offsets_are_exact(nlp, name: str) -> None:
    from builder.normalise import normalise

    text = normalise((SEEDS / f"{name}.txt").read_text(encoding="utf-8"))
    x = run(nlp, text, publisher="Reuters")
    assert x.events
    for m in x.mentions:
        if m.span.sentence_index >= 0:
            assert text[m.span.start:m.span.end] == m.span.text == m.surface
