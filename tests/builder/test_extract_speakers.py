"""Who speaks: appositive and titled persons, coordinated speakers, statements with no figures."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


def sources(x: Extraction) -> list[str]:
    return list(dict.fromkeys(x.mention(c.source).surface or x.mention(c.source).name for c in x.claims))


@pytest.mark.parametrize(("text", "person", "role"), [
    ("A Russian missile hit Kramatorsk on Monday, killing 4 people, the head of the regional military "
     "administration, Ivan Petrenko, said.", "Ivan Petrenko", "the head of the regional military administration"),
    ("An army spokesman, Brigadier General Nabil Abdallah, confirmed the strike on Hodeidah on Sunday "
     "that killed 6 people.", "Nabil Abdallah", "An army spokesman, Brigadier General"),
    ("Dr Amina Yusuf, director of the Al Nao hospital, told reporters that 12 people were killed in the "
     "shelling of Omdurman on Tuesday.", "Amina Yusuf", "director of the Al Nao hospital"),
    ("Shelling hit Kherson on Sunday, killing 2 people, said Roman Mrochko, head of the city military "
     "administration.", "Roman Mrochko", "head of the city military administration"),
    ("A missile hit Kharkiv on Monday, killing 3 people, Gov. Oleh Syniehubov said.", "Oleh Syniehubov", "Gov."),
])
def test_the_named_person_speaks_and_the_description_is_the_role(nlp, text: str, person: str, role: str) -> None:
    x = run(nlp, text)
    assert sources(x) == [person]
    [m] = [m for m in x.mentions if m.surface == person]
    assert m.role == role
    actors = {m.surface for m in x.mentions if m.kind == "actor" and not m.antecedent}
    assert not actors & {"administration", "military administration", "spokesman", "army spokesman",
                         "Brigadier General"}


def test_role_names_the_organisation_as_affiliation(nlp) -> None:
    x = run(nlp, "A drone hit Port Sudan on Sunday, killing 4 people, Brig. Gen. Nabil Abdallah, "
                 "a spokesman for the Sudanese army, said.")
    [person] = [m for m in x.mentions if m.surface == "Nabil Abdallah"]
    assert [x.mention(r.object).surface for r in x.relations
            if r.subject == person.id and r.predicate == "affiliation"] == ["Sudanese army"]


@pytest.mark.parametrize(("speakers", "expected"), [
    ("medics and residents", ["medics", "residents"]),
    ("witnesses and a rights group", ["witnesses", "rights group"]),
    ("two residents and one rescuer", ["two residents", "one rescuer"]),
])
def test_each_conjunct_is_its_own_source(nlp, speakers: str, expected: list[str]) -> None:
    x = run(nlp, f"Shelling hit a market in Omdurman on Tuesday, killing 8 people, {speakers} said.")
    assert sources(x) == expected
    classes = {x.mention(c.source).surface: x.mention(c.source).cls for c in x.claims}
    if "rights group" in classes:
        assert classes["rights group"] == "Organization"
    assert all(c.killed.value == 8 for c in x.claims)


def test_victims_are_not_actors(nlp) -> None:
    x = run(nlp, "Junta jets bombed the village of Tal Hamid on Monday, killing 11 villagers.")
    assert "11 villagers" not in {m.surface for m in x.mentions if m.kind == "actor"}


def test_statements_without_figures_are_claims_on_the_latest_attack(nlp) -> None:
    x = run(nlp, "Junta jets bombed the village of Tal Hamid in Sagaing region on Monday, killing 11 villagers. "
                 "The National Unity Government said in a statement that it condemned the attack. "
                 "A rescuer, Ko Aung, told AFP that bodies were still under the rubble. "
                 "The UN rights office said it was horrified by the attack.")
    [attack] = x.events
    by_source = {x.mention(c.source).name or x.mention(c.source).surface: c for c in x.claims if c.event == attack.id}
    assert {"National Unity Government", "Ko Aung", "United Nations"} <= set(by_source)
    assert all(by_source[s].stance == "asserts" and by_source[s].killed is None
               for s in ("National Unity Government", "Ko Aung", "United Nations"))


def test_quoted_statement_keeps_its_quote(nlp) -> None:
    x = run(nlp, "A missile hit Odesa on Monday, killing 3 people. "
                 "\"We pulled children out of the rubble all night,\" rescuer Olena Bondar told Reuters.")
    [claim] = [c for c in x.claims if x.mention(c.source).surface == "Olena Bondar"]
    assert claim.quote == "We pulled children out of the rubble all night"


def test_a_resistance_group_and_residents_each_speak(nlp) -> None:
    x = run(nlp, "Junta jets bombed a monastery in Tabayin township on Tuesday, killing 12 people including 4 children, "
                 "a resistance group and local residents said.")
    assert sources(x) == ["resistance group", "residents"]
    assert {c.killed.children for c in x.claims} == {4}


def test_spokesman_and_rank_before_a_name_are_the_role(nlp) -> None:
    x = run(nlp, "Army spokesman Brigadier General Nabil Abdallah said the RSF attacked Abu Shouk camp on Monday, "
                 "killing 5 people.")
    assert sources(x) == ["Nabil Abdallah"]
    assert x.mention(x.claims[0].source).role == "spokesman Brigadier General"


@pytest.mark.parametrize(("text", "source"), [
    ("A source at Aleppo Police Command told SANA that rocket shells hit al-Hamdaniya on Saturday, killing two people.",
     "Aleppo Police Command"),
    ("Medics at the European Hospital said a drone strike killed two people in Rafah on Monday.", "Medics"),
])
def test_a_nameless_source_at_an_organisation_speaks_for_it(nlp, text: str, source: str) -> None:
    assert sources(run(nlp, text)) == [source]


@pytest.mark.parametrize(("text", "speaker"), [
    ("A source at Aleppo Police Command told SANA that rocket shells hit al-Hamdaniya on Saturday, killing two "
     "people. The source added that the army destroyed the launch pads.", "Aleppo Police Command"),
    ("Israeli missiles hit the vicinity of Damascus on Monday night, a military source said. The attack killed two "
     "soldiers, the source added.", "military source"),
])
def test_the_source_is_the_nameless_source_named_before(nlp, text: str, speaker: str) -> None:
    assert sources(run(nlp, text)) == [speaker]


def test_according_to_him_is_the_speaker_just_named_and_a_rear_admiral_is_a_title(nlp) -> None:
    x = run(nlp, "Militants shelled Aleppo over the past day, killing four civilians, Rear Admiral Oleg Zhuravlev said "
                 "on Wednesday. According to him, three soldiers were wounded when militants attacked army positions "
                 "near Kafr Nabudah.")
    assert sources(x) == ["Oleg Zhuravlev"]
    assert "Rear Admiral" not in {m.surface for m in x.mentions}
