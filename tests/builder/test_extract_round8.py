"""Patterns a blind round on six more wars revealed (round 8 of the held-out tests, bench/eval h30-h35):
accidents and old attacks whose tolls are not the story's, sub-tolls, national societies, governments that are
not armies, countries the curated table lacks, facilities in towns and sources named after their place."""

from __future__ import annotations

from datetime import date

import pytest

from builder.resolve import resolve
from tests.builder.sentence_helpers import attacks, name, run, tolls


def test_a_toll_of_something_that_exploded_by_itself_is_no_toll_of_the_attack_before(nlp) -> None:
    x = run(nlp, "Drones struck an army base near Tessalit on Monday, killing 9 soldiers, the army said.\n\n"
                 "On Tuesday a gas tanker exploded on the road to Gao, killing 31 people, the local authorities said.")
    assert set(tolls(x)) == {9}
    assert len(attacks(x)) == 1
    # a shell that exploded is still the attack's weapon
    y = run(nlp, "Shelling hit Kherson on Monday, the governor said.\n\nA shell exploded in a courtyard, killing 3 people.")
    assert 3 in tolls(y)


def test_a_toll_dated_years_before_the_story_belongs_to_an_earlier_attack(nlp) -> None:
    x = run(nlp, "A suicide bomber killed 14 people at a market in Maiduguri on Saturday, police said.\n\n"
                 "It was the deadliest attack in the city since a double bombing at the same market killed 60 people "
                 "in January 2015.", published=date(2024, 3, 6))
    assert set(tolls(x)) == {14}


def test_among_those_killed_is_a_part_of_the_toll_not_the_toll(nlp) -> None:
    x = run(nlp, "An air strike on a house in Nabatieh killed 16 people on Wednesday, the health ministry said.\n\n"
                 "Among those killed were 9 women and 3 children, a rights group said.")
    assert set(tolls(x)) == {16}


def test_a_national_red_cross_is_its_own_society_not_the_icrc(nlp) -> None:
    x = resolve(run(nlp, "The Lebanese Red Cross said 5 people were killed when a strike hit an ambulance in "
                         "Tyre on Monday. The Red Cross called for the protection of medics."))
    keys = {x.mention_keys[m.id] for m in x.extraction.mentions if m.surface.endswith("Red Cross")}
    assert "actor:icrc" in keys and len(keys) == 2


def test_a_government_is_not_the_army_of_its_country(nlp) -> None:
    x = resolve(run(nlp, "More than 500,000 people have been displaced in the south since October, according to "
                         "the Lebanese government."))
    source = next(c.source for c in x.extraction.claims if c.displaced)
    assert x.mention_keys[source] != "actor:lebanese-army"


@pytest.mark.parametrize(("text", "places"), [
    # a country the curated table lacked, which the model calls an organisation
    ("Armenia's defence ministry said shelling from Azerbaijan's positions hit Jermuk.", {"Armenia", "Azerbaijan"}),
    # a town the model calls a person, in a list of towns
    ("Missiles also hit Dnipro, Kryvyi Rih, Sloviansk and Kramatorsk on Monday.", {"Kryvyi Rih", "Dnipro"}),
])
def test_places_the_model_mislabels_are_places(nlp, text: str, places: set[str]) -> None:
    x = run(nlp, text)
    found = {m.name or m.surface for m in x.mentions if m.kind == "place"}
    assert places <= found


def test_an_attack_on_a_named_hospital_in_a_town_is_placed_in_the_town(nlp) -> None:
    x = run(nlp, "A missile hit Ohmatdyt, the country's largest children's hospital, in Kyiv on Monday, killing 2 "
                 "people, the health minister said.")
    (attack,) = attacks(x)
    assert name(x, attack.location) == "Kyiv"
    assert [m.cls for m in x.mentions if m.surface == "Ohmatdyt"] == ["Facility"]


def test_officials_named_after_their_place_keep_it_in_their_name(nlp) -> None:
    x = run(nlp, "Shelling killed 4 people in Nova Kakhovka on Sunday, Kherson officials said.")
    assert tolls(x) == {4: "Kherson officials"}


def test_an_administration_the_model_cuts_at_its_city_is_one_organisation(nlp) -> None:
    x = run(nlp, "At least 5 people were killed when a drone hit a block of flats in Odesa on Friday, the Odesa City "
                 "Military Administration said.")
    assert tolls(x) == {5: "Odesa City Military Administration"}
    mention = next(m for m in x.mentions if m.surface == "Odesa City Military Administration")
    assert mention.cls == "Government"


def test_the_president_is_the_person_titled_president_nearby(nlp) -> None:
    x = run(nlp, "A car bomb killed 20 people in Kabul on Saturday, the president said.\n\n"
                 "President Ashraf Ghani condemned the attack.")
    assert tolls(x) == {20: "Ashraf Ghani"}


def test_a_mixed_case_acronym_the_article_defines_is_the_organisation(nlp) -> None:
    x = resolve(run(nlp, "Flooding after the strike displaced 3,000 people, the State Emergency Management Agency "
                         "(Sema) said. Sema said 40 homes were destroyed."))
    keys = {x.mention_keys[m.id] for m in x.extraction.mentions if m.surface in ("Sema", "State Emergency Management Agency")}
    assert len(keys) == 1


def test_a_people_counted_by_name_is_displaced_people(nlp) -> None:
    x = run(nlp, "More than 20,000 ethnic Rohingya have fled Maungdaw for Bangladesh since Sunday, the UN said.")
    (flight,) = [e for e in x.events if e.cls == "Displacement"]
    assert name(x, flight.destination) == "Bangladesh"
    assert [c.displaced.value for c in x.claims if c.displaced] == [20000]
