"""Who is an actor: generic heads refer back or are dropped, owned organisations keep their owner, platforms are no one."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


def actor_surfaces(x: Extraction) -> set[str]:
    return {m.surface for m in x.mentions if m.kind == "actor" and m.surface}


def standalone(x: Extraction) -> set[str]:
    """Actor surfaces that stand for themselves (no antecedent): what becomes an entity of its own."""
    return {m.surface for m in x.mentions if m.kind == "actor" and m.surface and not m.antecedent}


def test_paramilitary_group_refers_back_to_the_named_armed_group(nlp) -> None:
    x = run(nlp, "The Rapid Support Forces shelled El Fasher on Sunday, killing 9 people. "
                 "The paramilitary group denied targeting civilians.")
    [group] = [m for m in x.mentions if m.surface == "paramilitary group"]
    assert x.mention(group.antecedent).surface == "Rapid Support Forces"
    [denial] = [c for c in x.claims if c.stance == "denies"]
    assert x.mention(denial.source).surface == "Rapid Support Forces"


def test_its_forces_belong_to_the_possessor(nlp) -> None:
    x = run(nlp, "The Arakan Army said its forces overran a junta base near Paletwa on Friday.")
    [forces] = [m for m in x.mentions if m.surface == "forces"]
    assert x.mention(forces.antecedent).surface == "Arakan Army"


def test_generic_heads_with_no_antecedent_are_no_actors(nlp) -> None:
    x = run(nlp, "Forces loyal to the junta torched the village of Kin Ma on Tuesday. "
                 "An armed group attacked the town of Mindat on Wednesday, killing 3 people, officials said.")
    assert not {"Forces", "forces", "armed group", "junta"} & standalone(x)
    assert "officials" in {x.mention(c.source).surface for c in x.claims}  # an unnamed group that speaks stays


def test_spokesman_with_no_name_is_no_actor(nlp) -> None:
    x = run(nlp, "A drone hit a fuel depot on Monday, killing 2 people, a spokesman said.")
    assert "spokesman" not in actor_surfaces(x)
    assert {x.mention(c.source).name for c in x.claims} == {"Test Wire"}  # the outlet reports what it was told


def test_the_army_in_a_sudan_article_is_kept_for_the_tables(nlp) -> None:
    x = run(nlp, "Shelling hit Omdurman in Sudan on Sunday, killing 5 people. The army said 5 soldiers died.")
    [army] = [m for m in x.mentions if m.surface == "army"]
    assert army.antecedent is None  # resolution maps it to the Sudanese Armed Forces through the tables


def test_country_owned_ministry_keeps_its_country(nlp) -> None:
    x = run(nlp, "Sudan's health ministry said 40 people died in the shelling of El Fasher on Sunday.")
    [ministry] = [m for m in x.mentions if m.kind == "actor" and m.name and "Health Ministry" in m.name]
    assert ministry.name == "Sudanese Health Ministry"
    assert ministry.surface == "Sudan's health ministry"  # its label, as written: not the bare "health ministry"
    assert [(x.mention(r.object).surface, r.predicate) for r in x.relations if r.subject == ministry.id] == [
        ("Sudan", "affiliation")]


@pytest.mark.parametrize(("text", "name", "surface"), [
    ("At least 12 people were killed when warplanes bombed two houses in Khan Younis overnight, according to the "
     "Palestinian health ministry.", "Palestinian Health Ministry", "Palestinian health ministry"),
    ("The Sudanese health ministry said 40 people died in the shelling of El Fasher on Sunday.",
     "Sudanese Health Ministry", "Sudanese health ministry"),
])
def test_demonym_owned_ministry_speaks_under_its_whole_name(nlp, text: str, name: str, surface: str) -> None:
    x = run(nlp, text)
    [ministry] = [m for m in x.mentions if m.kind == "actor" and m.cls == "Government"]
    assert (ministry.name, ministry.surface) == (name, surface)
    assert [x.mention(c.source).surface for c in x.claims if c.killed] == [surface]


def test_group_run_ministry_is_affiliated_with_the_group(nlp) -> None:
    x = run(nlp, "The Houthi-run health ministry said an air strike hit Saada on Monday, killing 7 people.")
    [ministry] = [m for m in x.mentions if m.kind == "actor" and m.name and "Health Ministry" in m.name]
    assert ministry.name == "Houthi-run Health Ministry"
    [rel] = [r for r in x.relations if r.subject == ministry.id]
    assert x.mention(rel.object).name == "Houthis"


def test_possessive_defence_ministry_is_not_the_country(nlp) -> None:
    x = run(nlp, "Russia's Defence Ministry said its forces struck a command post near Kupiansk on Friday.")
    [ministry] = [m for m in x.mentions if m.surface == "Russia's Defence Ministry"]
    assert (ministry.name, ministry.cls) == ("Russian Defence Ministry", "Government")


def test_platforms_are_not_actors(nlp) -> None:
    x = run(nlp, "The Sudanese army said on Telegram that a drone hit Port Sudan on Sunday. "
                 "Ukraine's air force posted on Facebook that 12 drones hit Kharkiv on Monday.")
    assert not {"Telegram", "Facebook"} & actor_surfaces(x)


def test_weapon_names_are_not_organisations(nlp) -> None:
    x = run(nlp, "The air force said the building in Kharkiv was hit on Friday by an Iskander-M missile.")
    assert not [m for m in x.mentions if m.kind == "actor" and m.surface.startswith("Iskander")]


def test_descriptions_of_named_organisations_are_not_actors(nlp) -> None:
    x = run(nlp, "Shelling killed 4 people in Idlib on Sunday, the Syrian Observatory for Human Rights, "
                 "a Britain-based monitoring group, said. Rebel groups and allied militias fought on.")
    assert not {"monitoring group", "allied militias"} & standalone(x)  # "Rebel groups" in Idlib: the tables know them


def test_an_unnamed_organisation_that_speaks_is_a_source(nlp) -> None:
    x = run(nlp, "An air strike hit a market in Sagaing on Friday, killing 11 people, aid groups said.")
    assert "aid groups" in {x.mention(c.source).surface for c in x.claims}


def test_a_described_speaker_is_the_organisation_named_next(nlp) -> None:
    x = run(nlp, "Shelling on a camp outside El Fasher killed at least 35 civilians on Tuesday, a medical group said.\n\n"
                 "The Sudan Doctors Network said shells fell on the market.")
    [toll] = [c for c in x.claims if c.killed]
    assert x.mention(toll.source).surface == "Sudan Doctors Network"
    assert "medical group" not in standalone(x)


def test_a_rights_group_with_no_name_anywhere_still_speaks(nlp) -> None:
    x = run(nlp, "An air strike hit a market in Sagaing on Friday, killing 11 people, a rights group said.")
    [toll] = [c for c in x.claims if c.killed]
    assert (x.mention(toll.source).surface, x.mention(toll.source).cls) == ("rights group", "Organization")


def test_army_warplanes_in_a_sudan_article_are_the_sudanese_armed_forces(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Residents in Sudan told Reuters that army warplanes had bombed RSF positions in the city of Nyala on "
                 "Saturday, killing at least five civilians.")
    [attack] = x.events
    keys = resolve(x).mention_keys
    assert [keys[p] for p in attack.perpetrators] == ["actor:sudanese-armed-forces"]


def test_an_organisation_the_model_missed_is_named_by_its_head_word(nlp) -> None:
    # the model tags only "Darfur" (a place) in "The Darfur Bar Association"
    x = run(nlp, "The Darfur Bar Association, a rights group, said more than 5,000 people had fled toward the border "
                 "with Chad on Sunday.")
    [displacement] = [c for c in x.claims if c.displaced]
    assert x.mention(displacement.source).surface == "Darfur Bar Association"
    assert not [m for m in x.mentions if m.kind == "place" and m.surface == "Darfur"]


def test_fighters_of_a_named_group_are_that_group(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Fighters of the People's Defence Force attacked a junta checkpoint in Kani township on Sunday, "
                 "killing four soldiers.")
    [attack] = x.events
    assert [resolve(x).mention_keys[p] for p in attack.perpetrators] == ["actor:peoples-defence-force"]


def test_a_surname_the_model_calls_an_organisation_is_the_person_named_before(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Three people were killed when Ukrainian forces shelled a market in Donetsk on Sunday, the city's "
                 "mayor Alexey Kulemzin said. According to Kulemzin, the shells were fired from artillery systems "
                 "supplied by Western countries.")
    keys = resolve(x).mention_keys
    people = {keys[m.id] for m in x.mentions if m.kind == "actor" and "Kulemzin" in m.surface}
    assert len(people) == 1 and all(m.cls == "Person" for m in x.mentions if "Kulemzin" in m.surface)
    # "artillery" names no one by itself: it is the named force's, not an actor of its own
    assert all(m.antecedent for m in x.mentions if m.surface == "artillery")


@pytest.mark.parametrize(("text", "key"), [
    ("Resistance fighters from the Arakan Army captured the town of Paletwa in Chin State on Monday, the group said.",
     "actor:arakan-army"),
    ("Army artillery shelled residential neighbourhoods in southern Khartoum on Thursday, killing 14 civilians.",
     "actor:sudanese-armed-forces"),
])
def test_whose_fighters_and_guns_they_are(nlp, text: str, key: str) -> None:
    from builder.resolve import resolve

    x = run(nlp, text)
    [event] = x.events
    assert [resolve(x).mention_keys[p] for p in event.perpetrators] == [key]


@pytest.mark.parametrize(("text", "key"), [
    ("Shelling by the RSF killed 14 people in El Fasher in Sudan on Monday, the health ministry said.",
     "actor:sudanese health ministry"),
    ("Sudan's health ministry said 40 people died in the shelling of El Fasher on Sunday.",
     "actor:sudanese health ministry"),
    ("Clashes between rival militias in Tripoli, Libya, killed at least 27 people overnight, the health ministry said.",
     "actor:libyan health ministry"),
    # the tables know Gaza's
    ("An Israeli strike on a house in Rafah in Gaza killed 13 people, the health ministry said.",
     "actor:gaza-health-ministry"),
])
def test_the_health_ministry_is_the_article_countrys(nlp, text: str, key: str) -> None:
    from builder.resolve import resolve

    x = run(nlp, text)
    [toll] = [c for c in x.claims if c.killed]
    assert resolve(x).mention_keys[toll.source] == key


def test_capitals_of_a_headline_make_no_organisation(nlp) -> None:
    x = run(nlp, "Syria: Strike on School Kills 12 Civilians\n\nRussian-Syrian Alliance Should End Unlawful Attacks in "
                 "Idlib\n\nAn air strike on a school in Idlib city killed 12 civilians, Human Rights Watch said today.")
    assert [m.surface for m in x.mentions if m.kind == "actor" and m.cls == "Organization"] == []
    assert "Human Rights Watch" in {m.surface for m in x.mentions}
