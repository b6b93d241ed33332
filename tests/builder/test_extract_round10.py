"""Patterns a tenth blind round revealed (bench/eval h42-h47: Burkina Faso, Gaza, Colombia, Iran, Pakistan and
India, Mozambique): ministries of countries without a demonym, guerrilla groups and their names, departments,
lines of control, towns listed beside towns or named after a preposition, where the displaced sought shelter,
attacks told first without their kind, and districts that are not their towns."""

from __future__ import annotations

from datetime import date

from builder.extract import extract
from builder.records import ArticleInput
from builder.resolve import resolve
from tests.builder.sentence_helpers import attacks, name, run, tolls


def test_the_ministry_of_a_country_without_a_curated_demonym_speaks(nlp) -> None:
    x = run(nlp, "Insurgents attacked the town of Mocimboa da Praia in Mozambique on Tuesday, killing 12 people, the "
                 "interior ministry said.")
    assert tolls(x) == {12: "Mozambican Interior Ministry"}


def test_a_guerrilla_group_named_before_its_kind_is_the_named_group(nlp) -> None:
    x = run(nlp, "Clashes between the ELN guerrilla group and the army in Arauca killed 9 people on Friday.")
    (attack,) = attacks(x)
    assert "National Liberation Army" in {name(x, p) for p in attack.perpetrators}
    assert "guerrilla group" not in {m.surface for m in x.mentions}


def test_a_department_the_model_calls_an_organisation_is_a_region(nlp) -> None:
    x = run(nlp, "The governor of Arauca department said 9 people were killed in clashes on Friday.")
    assert ("Arauca", "Region") in {(m.name or m.surface, m.cls) for m in x.mentions if m.kind == "place"}


def test_a_line_of_control_is_no_place_of_an_attack(nlp) -> None:
    x = run(nlp, "Shelling across the Line of Control killed 5 civilians in the Kupwara district on Tuesday, the "
                 "army said.")
    (attack,) = attacks(x)
    assert name(x, attack.location) == "Kupwara"


def test_a_town_listed_untagged_beside_a_town_is_a_town(nlp) -> None:
    x = run(nlp, "Missiles hit sites in Bahawalpur and Muridke overnight, the military said.")
    assert {"Bahawalpur", "Muridke"} <= {m.surface for m in x.mentions if m.kind == "place"}


def test_a_town_after_from_is_a_town_though_the_model_calls_it_a_person(nlp) -> None:
    x = run(nlp, "The village lies about 40 kilometres from Kaya, where thousands of displaced people have sought "
                 "shelter.")
    assert [m.kind for m in x.mentions if m.surface == "Kaya"] == ["place"]


def test_where_the_displaced_sought_shelter_is_their_destination_not_their_origin(nlp) -> None:
    x = run(nlp, "Djibo lies about 40 kilometres from Kaya, where tens of thousands of people displaced by the "
                 "insurgency have sought shelter.")
    (flight,) = [e for e in x.events if e.cls == "Displacement"]
    assert name(x, flight.destination) == "Kaya" and flight.origin is None


def test_places_people_fled_to_are_no_origin(nlp) -> None:
    x = run(nlp, "Fighting has raged in the Arauca region since Thursday.\n\nMore than 5,000 people have been "
                 "displaced by the violence, the Ombudsman's Office said, many of them fleeing to the city of Saravena "
                 "and across the border into Venezuela.")
    (flight,) = [e for e in x.events if e.cls == "Displacement"]
    assert name(x, flight.origin) != "Venezuela"


def test_an_attack_told_first_without_its_kind_takes_the_kind_told_next(nlp) -> None:
    x = run(nlp, "The Israeli aggression against a building in Tehran on Monday killed 20 people, the judiciary "
                 "said.\n\nThe strike hit the building's administrative wing, officials said.")
    (attack,) = attacks(x)
    assert attack.cls == "AirStrike"


def test_a_collective_speaks_for_itself(nlp) -> None:
    x = run(nlp, "Gunmen attacked the village of Solhan on Friday. A collective of victims' families said up to 160 "
                 "people had been killed.")
    assert tolls(x) == {160: "collective"}


def test_a_district_is_not_the_geonames_town_of_its_name(nlp) -> None:
    x = resolve(run(nlp, "Shelling killed 5 civilians in the Poonch district of India's Jammu and Kashmir on Tuesday, "
                         "the Indian army said."))
    poonch = next(m for m in x.extraction.mentions if m.surface == "Poonch")
    assert x.entities[x.mention_keys[poonch.id]].cls == "Region"


def test_a_dateline_outlet_the_model_cuts_is_still_the_publisher_the_metadata_names(nlp) -> None:
    text = ("ADEN (Coast Monitor) - Shelling struck a market in Taiz on Monday, killing 6 people, residents said.\n\n"
            "Medics said the wounded were taken to hospital.")
    x = resolve(extract(nlp(text), ArticleInput(text=text, source="test", publisher="Coast Monitor",
                                               published=date(2024, 3, 6))))
    publisher = x.extraction.mention(x.extraction.publisher)
    assert publisher in x.extraction.mentions and publisher.cls == "MediaOutlet"
    assert x.entities[x.mention_keys[publisher.id]].pref_label == "Coast Monitor"
