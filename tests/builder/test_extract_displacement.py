"""Displacement phrasings: the verb, its figure, where people came from and where they went."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


def place(x: Extraction, mention_id: str | None) -> str | None:
    if mention_id is None:
        return None
    m = x.mention(mention_id)
    return m.name or m.surface


@pytest.mark.parametrize(("text", "count", "origin", "destination"), [
    ("More than 5,000 people have been forced from their homes in North Darfur since Friday, the IOM said.",
     5000, "North Darfur", None),
    ("About 2,000 families were uprooted from Kassala this week, officials said.", 2000, "Kassala", None),
    ("Some 3,000 people sought refuge in Tawila after the attack on Zamzam camp, the UN said.", 3000, None, "Tawila"),
    ("More than 1,000 refugees crossed into Chad from West Darfur on Sunday, UNHCR said.", 1000, "West Darfur", "Chad"),
    ("Thousands of people fled El Fasher on Monday, heading towards the town of Tawila, the IOM said.",
     1000, "El Fasher", "Tawila"),
    ("Fighting broke out in Mindat. More than 3 million people have been displaced across Myanmar since the coup, "
     "the UN said.", 3000000, "Myanmar", None),
    # the people are the object of the verb that forced them to flee
    ("The bombardment forced some 40,000 people to flee Maarat al-Numan in the past week, according to the Response "
     "Coordination Group.", 40000, "Maarat al-Numan", None),
    # arriving in camps is where they fled to
    ("At least 30,000 people have arrived in camps near Atmeh over the past three days, the camp administration said.",
     30000, None, "Atmeh"),
    # leaving a town for camps is flight ("left their homes" was the only leaving that counted)
    ("Jisr al-Shughour has been bombed since April. Some 30,000 people have left the town for camps along the "
     "border in the past month, according to the Response Coordination Group.", 30000, "Jisr al-Shughour", None),
    # "arrived there": the story's place is where they went, and where they fled from is not said
    ("Aid trucks reached the camps of Atmeh on Monday. More than 2,700 people arrived there in the past week, "
     "according to the camp administration.", 2700, "", "Atmeh"),
])
def test_flight_phrasings(nlp, text: str, count: int, origin: str | None, destination: str | None) -> None:
    x = run(nlp, text)
    [flight] = [e for e in x.events if e.cls == "Displacement"]
    [claim] = [c for c in x.claims if c.event == flight.id]
    assert claim.displaced.value == count
    if origin is not None:
        assert place(x, flight.origin) == (origin or None)
    assert place(x, flight.destination) == destination


def test_a_share_of_the_population_is_not_a_figure_of_its_own(nlp) -> None:
    x = run(nlp, "About 1.9 million people, nine in 10 of Gaza's population, have been displaced, UNRWA said.")
    assert [c.displaced.value for c in x.claims if c.displaced] == [1900000]


def test_leaving_without_homes_is_no_flight(nlp) -> None:
    x = run(nlp, "The convoy crossed the river and aid workers left Kassala on Sunday with 300 people on board.")
    assert not [e for e in x.events if e.cls == "Displacement"]


def test_the_population_a_share_is_taken_of_is_not_the_displaced(nlp) -> None:
    x = run(nlp, "Nine in 10 of Gaza's 2.3 million people have been displaced during the war, according to the UN.")
    assert [c.displaced.value for c in x.claims if c.displaced] == []


def test_arriving_anywhere_but_a_camp_or_shelter_is_no_flight(nlp) -> None:
    assert not run(nlp, "A delegation of 20 people arrived in Damascus on Monday with aid trucks.").events


def test_another_sources_number_of_displaced_is_a_figure_of_the_same_flight(nlp) -> None:
    x = run(nlp, "Turkish state media said on Sunday at least 25,000 civilians had fled the region since Wednesday. "
                 "The Kurdish-led administration in northeast Syria put the number of displaced at more than 190,000.")
    [flight] = x.events
    assert [(x.mention(c.source).surface, c.displaced.value, c.displaced.qualifier) for c in x.claims] == [
        ("Turkish state media", 25000, "at_least"), ("Kurdish-led administration", 190000, "more_than")]


def test_a_statement_after_a_flight_is_a_claim_about_it(nlp) -> None:
    x = run(nlp, "Some 900,000 people have been displaced in north-west Syria since 1 December, OCHA said on Tuesday. "
                 "The UN refugee agency, UNHCR, said schools and mosques in Idlib city had been turned into shelters.")
    [flight] = x.events
    assert [(x.mention(c.source).name or x.mention(c.source).surface, c.displaced and c.displaced.value)
            for c in x.claims] == [("OCHA", 900000), ("UNHCR", None)]
