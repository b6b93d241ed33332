"""Patterns a twelfth blind round revealed (bench/eval h54-h56: Yemen, Nigeria, DR Congo): "the rebels" after the
article named its armed group, raids on foot, villages named beside "neighbouring villages", territories, and a
source's vague words for the toll it gave in figures."""

from __future__ import annotations

from tests.builder.sentence_helpers import attacks, name, run, tolls


def test_the_rebels_are_the_armed_group_the_article_named(nlp) -> None:
    x = run(nlp, "The Allied Democratic Forces, based in the east of the Democratic Republic of Congo, are blamed "
                 "for thousands of deaths.\n\nThe rebels attacked the village of Mamove on Friday, killing "
                 "12 civilians, officials said.")
    (attack,) = attacks(x)
    assert [name(x, p) for p in attack.perpetrators] == ["Allied Democratic Forces"]


def test_the_rebels_of_a_country_are_its_tables_rebels_when_the_article_names_none(nlp) -> None:
    x = run(nlp, "The rebels attacked the town of Sake in the east of the Democratic Republic of Congo on Friday, "
                 "killing 5 people, officials said.")
    (attack,) = attacks(x)
    assert [name(x, p) for p in attack.perpetrators] == ["rebels"]  # resolved to M23 by the tables, not here
    assert not x.mention(attack.perpetrators[0]).antecedent


def test_raids_by_an_armed_group_are_on_foot(nlp) -> None:
    x = run(nlp, "Fighters of the Allied Democratic Forces killed at least 42 civilians in raids on the village of "
                 "Mamove on Friday, officials said.")
    (attack,) = attacks(x)
    assert attack.cls == "GroundAssault"
    x = run(nlp, "Russian raids on Idlib killed 12 civilians on Sunday.")
    (attack,) = attacks(x)
    assert attack.cls == "AirStrike"


def test_a_name_beside_neighbouring_villages_is_a_village(nlp) -> None:
    x = run(nlp, "The rebels attacked Mayikengo and neighbouring villages with machetes on Friday, killing 9 people.")
    assert ("Mayikengo", "place") in {(m.surface, m.kind) for m in x.mentions}


def test_a_territory_is_a_region(nlp) -> None:
    x = run(nlp, "Gunmen killed 9 people in raids on villages in Lubero territory on Friday, officials said.")
    assert ("Lubero", "Region") in {(m.surface, m.cls) for m in x.mentions if m.kind == "place"}


def test_a_sources_vague_words_for_its_own_toll_are_no_second_toll(nlp) -> None:
    x = run(nlp, "An air strike hit a market in Ariha on Sunday, killing 7 people, the Civil Defence said.\n\nThe "
                 "Civil Defence said dozens of people were killed.")
    assert [c.killed.value for c in x.claims if c.killed] == [7]
    x = run(nlp, "An air strike hit a market in Ariha on Sunday, killing 7 people, the Civil Defence said.\n\n"
                 "Activists said dozens of people were killed.")
    assert tolls(x) == {7: "Civil Defence", 24: "Activists"}


def test_an_emergency_agency_and_civil_society_groups_named_in_lower_case_are_sources(nlp) -> None:
    x = run(nlp, "Suicide bombers killed at least 18 people in the town of Gwoza on Saturday, the state emergency "
                 "management agency said.\n\nMore than 3,000 residents have fled to Bama since the attacks, according to "
                 "civil society groups.")
    assert tolls(x) == {18: "state emergency management agency"}
    flights = [c for c in x.claims if c.displaced]
    assert [name(x, c.source) for c in flights] == ["civil society groups"]
