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


ZAPORIZHZHIA_AP = (
    "ZAPORIZHZHIA, Ukraine (AP) — A Russian missile struck an apartment block in the southern Ukrainian city of "
    "Zaporizhzhia on Monday, killing at least 7 people and wounding dozens, the head of the regional military "
    "administration, Ivan Fedorov, said on Telegram.\n\n"
    "Rescuers pulled 3 more bodies from the rubble overnight, raising the toll to 10, the State Emergency Service "
    "said.\n\n"
    "Ukraine's air force said the building was hit by an Iskander missile launched from occupied Crimea. Russia's "
    "Defense Ministry said its forces had struck a military command post and denied targeting civilians.\n\n"
    "\"We heard the whistle and then everything collapsed,\" said Olena Marchenko, 54, who lives nearby.\n\n"
    "The military said separately that Russian drones hit the village of Mala Tokmachka in Polohy district on "
    "Sunday, killing 2 people.\n"
)


def test_an_agency_story_keeps_one_strike_with_its_sources_and_a_separate_one(nlp) -> None:
    x = extract(nlp(ZAPORIZHZHIA_AP), ArticleInput(text=ZAPORIZHZHIA_AP, source="test", publisher="Associated Press",
                                                   published=date(2024, 3, 5)))
    strike, drones = attacks(x)
    assert (strike.cls, x.mention(strike.location).surface) == ("MissileStrike", "Zaporizhzhia")
    assert (drones.cls, x.mention(drones.location).surface) == ("DroneStrike", "Mala Tokmachka")
    on_strike = {x.mention(c.source).surface: c for c in x.claims if c.event == strike.id}
    assert {"Ivan Fedorov", "State Emergency Service", "Ukraine's air force", "Olena Marchenko"} <= set(on_strike)
    assert (on_strike["Ivan Fedorov"].killed.value, on_strike["Ivan Fedorov"].injured.value) == (7, 24)
    assert on_strike["State Emergency Service"].killed.value == 10  # the raised toll, not the 3 more bodies
    assert any(c.stance == "denies" for c in x.claims if c.event == strike.id)


def test_the_head_word_of_an_organisations_name_is_that_organisation(nlp) -> None:
    # the model tags a lone "Observatory" as a person
    x = run(nlp, "The Syrian Observatory for Human Rights put the toll at 34. Turkish drones hit government "
                 "positions overnight. The Observatory said the Turkish strikes killed 16 soldiers.")
    [figure] = [c for c in x.claims if c.killed and c.killed.value == 16]
    source = x.mention(figure.source)
    assert source.surface == "Syrian Observatory for Human Rights", source


def _figure_sources(x: Extraction, value: int) -> list[str]:
    return sorted(x.mention(c.source).name or x.mention(c.source).surface
                  for c in x.claims if c.killed and c.killed.value == value)


def test_a_described_source_is_the_organisation_of_its_kind_named_after_it(nlp) -> None:
    x = run(nlp, "Shelling hit a hospital in Atareb on Sunday, killing at least six patients, a medical charity said. "
                 "The Syrian American Medical Society said the hospital had to stop working. "
                 "Air strikes on a market in Kafr Nabl killed 11 people, rescuers and a monitoring group said. "
                 "Footage shared by the White Helmets showed rescuers carrying bodies. "
                 "The Syrian Observatory for Human Rights said the toll had risen to 13.")
    assert _figure_sources(x, 6) == ["Syrian American Medical Society"]
    assert _figure_sources(x, 11) == ["Syrian Observatory for Human Rights", "rescuers"]  # not the White Helmets


def test_the_group_is_the_rescue_group_named_last(nlp) -> None:
    x = run(nlp, "Air strikes on a market in Kafr Nabl killed at least 11 people, a monitoring group said. "
                 "Footage shared by the White Helmets showed rescuers carrying bodies. The group said 12 people died.")
    assert _figure_sources(x, 12) == ["Syrian Civil Defence"]


def test_a_retold_attack_takes_the_kind_its_weapon_names(nlp) -> None:
    x = run(nlp, "Two soldiers were martyred in an attack by regime forces in Idlib, the ministry said on Thursday. "
                 "The soldiers were targeted by regime artillery near the town of Nairab, the ministry said. "
                 "A resident said the blast shook his house.")
    [attack] = attacks(x)
    assert (attack.cls, attack.weapon) == ("Shelling", "artillery")


def test_a_dated_attack_and_its_tolled_retelling_are_one_attack_by_whom_the_defenders_name(nlp) -> None:
    x = run(nlp, "Syrian air defenses on Monday night confronted an Israeli aggression targeting the vicinity of "
                 "Damascus, a military source said. The source said the Israeli enemy launched a missile attack from "
                 "the Golan, targeting some points in the vicinity of Damascus. The attack killed two soldiers.")
    [attack] = attacks(x)
    assert (attack.cls, attack.date) == ("MissileStrike", date(2024, 3, 4))
    assert {x.mention(p).name for p in attack.perpetrators} == {"Israel"}  # not the air defenses
    assert [c.killed.value for c in x.claims if c.killed] == [2]


def test_the_strike_was_carried_out_by_names_the_attacker_of_the_strike_told_before(nlp) -> None:
    x = run(nlp, "Earlier on Monday, an air strike hit a displacement camp near the town of Haas, killing at least 12 "
                 "people, rescuers said. The Syrian Civil Defence said the strike was carried out by Russian jets.")
    [strike] = attacks(x)
    assert [x.mention(p).surface for p in strike.perpetrators] == ["Russian jets"]


def test_a_barrel_bomb_that_fell_on_a_town_and_a_second_toll_given_for_it(nlp) -> None:
    x = run(nlp, "The first barrel bomb fell on Jisr al-Shughour shortly after dawn on Friday, residents said. The "
                 "Syrian Network for Human Rights said seven people were killed in the attack. Local rescuers gave a "
                 "toll of nine. The town has been bombed almost daily since April.")
    [bombing] = attacks(x)
    assert (bombing.cls, x.mention(bombing.location).surface) == ("BarrelBombing", "Jisr al-Shughour")
    assert sorted((c.killed.value, x.mention(c.source).surface) for c in x.claims if c.killed) == [
        (7, "Syrian Network for Human Rights"), (9, "rescuers")]


def test_shells_that_fell_in_a_camp_of_the_town_are_the_shelling_told_before(nlp) -> None:
    x = run(nlp, "Shelling by the Rapid Support Forces on a displacement camp outside El Fasher killed at least 35 "
                 "civilians on Tuesday, a medical group said. The Sudan Doctors Network said shells fell on the market "
                 "and on a communal kitchen in the Abu Shouk camp.")
    [shelling] = attacks(x)
    assert x.mention(shelling.location).surface == "Abu Shouk camp"  # the camp lies in El Fasher (places.csv)
