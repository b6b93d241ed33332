"""One attack told in several sentences is one event with several claims; distinct attacks stay apart."""

from __future__ import annotations

from datetime import date

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


def attacks(x: Extraction):
    return [e for e in x.events if e.cls not in ("Displacement", "TerritorialChange")]


ZAPORIZHZHIA = (
    "A missile hit an apartment block in Zaporizhzhia on Monday, killing 7 people. "
    "Rescuers searched the rubble through the night. "
    "The air force said the building was hit by an Iskander missile. "
    "Regional governor Ivan Fedorov said the strike on Zaporizhzhia was the deadliest this month. "
    "A local committee put the toll at 24."
)


def test_one_attack_told_four_times_is_one_event(nlp) -> None:
    x = run(nlp, ZAPORIZHZHIA)
    [attack] = attacks(x)
    assert attack.cls == "MissileStrike"
    assert x.mention(attack.location).surface == "Zaporizhzhia"
    tolls = sorted((c.killed.value, x.mention(c.source).surface or x.mention(c.source).name)
                   for c in x.claims if c.killed)
    assert tolls == [(7, "Test Wire"), (24, "local committee")]  # conflicting tolls side by side, one event
    assert "Ivan Fedorov" in {x.mention(c.source).surface for c in x.claims if c.event == attack.id}


def test_generic_attack_mention_folds_into_the_specific_one(nlp) -> None:
    x = run(nlp, "A drone hit Port Sudan on Sunday, killing 4 people. Brig. Gen. Nabil Abdallah, a spokesman "
                 "for the Sudanese army, said the attack targeted fuel depots.")
    [attack] = attacks(x)
    assert attack.cls == "DroneStrike"
    assert {x.mention(c.source).surface or x.mention(c.source).name for c in x.claims} == {"Test Wire", "Nabil Abdallah"}


def test_other_place_or_date_is_another_attack(nlp) -> None:
    x = run(nlp, "Russian drones struck Odesa on Monday, killing 2 people. On Tuesday, a missile hit Odesa, "
                 "killing 5 people. Separately, shelling killed 6 people in Kherson on Monday.")
    assert len(attacks(x)) == 3


def test_a_new_target_is_a_new_attack(nlp) -> None:
    x = run(nlp, "Russian and Syrian jets stepped up strikes on villages around Maarat al-Numan. "
                 "Russian jets hit a convoy of civilian cars near Maarat al-Numan, killing 8 people, rescuers said.")
    assert len(attacks(x)) == 2


def test_a_dated_attack_after_a_background_one_is_its_own(nlp) -> None:
    x = run(nlp, "Barrel bombs targeted civilian structures in Idlib, an activist said. "
                 "At least 11 people were killed on Sunday in attacks on villages in Idlib, rescuers said.")
    assert len(attacks(x)) == 2


def test_named_village_refines_the_region_of_the_first_report(nlp) -> None:
    x = run(nlp, "A military air strike on a village in Myanmar's Sagaing region on Tuesday killed more than 30 "
                 "civilians, residents said. Two junta fighter jets bombed Kyauk Pyin village in Kanbalu township, "
                 "a local official said, adding that 32 bodies had been recovered.")
    [attack] = attacks(x)
    assert "Kyauk Pyin" in x.mention(attack.location).surface
    assert sorted(c.killed.value for c in x.claims if c.killed) == [30, 32]


def test_the_attackers_own_account_with_another_target_is_the_same_strike(nlp) -> None:
    x = run(nlp, "An Israeli air strike on a school in Deir el-Balah killed at least 22 people on Thursday, the "
                 "health ministry said. The Israeli military said its aircraft had carried out a precise strike on "
                 "a command centre inside the compound and that eight militants were killed.")
    [attack] = attacks(x)
    assert sorted(c.killed.value for c in x.claims if c.killed) == [8, 22]


def test_a_tally_over_months_is_no_toll_of_the_attack(nlp) -> None:
    x = run(nlp, "Shells hit a neighbourhood in Taiz on Saturday, killing two children, a health official said. "
                 "Dozens of civilians have been killed in the city since the beginning of the year, OCHA said.")
    [attack] = attacks(x)
    assert [c.killed.value for c in x.claims if c.killed] == [2]


def test_dateline_backers_and_periods_make_no_attack(nlp) -> None:
    x = run(nlp, "ADEN, Yemen — A drone strike hit a fishing harbour in Hodeidah on Wednesday, killing six fishermen, "
                 "the Houthi-run Saba news agency said. Yemen has been at war since 2015. "
                 "Iran-backed Houthi rebels have fired missiles at ships since November.")
    [attack] = attacks(x)
    assert x.mention(attack.location).surface == "Hodeidah"
    assert attack.perpetrators == []  # the rebels' campaign since November is not this strike's attacker
    assert attack.date == date(2024, 3, 6)  # published on a Wednesday


def test_an_aggregate_in_recent_weeks_is_no_toll(nlp) -> None:
    x = run(nlp, "Russian-backed forces shelled the village of Tal Hamid on Sunday, killing 3 people. "
                 "OCHA said dozens of civilians had been killed in recent weeks.")
    [attack] = attacks(x)
    assert [c.killed.value for c in x.claims if c.killed] == [3]
    assert "OCHA" in {x.mention(c.source).surface for c in x.claims}  # still a source on the story's attack
