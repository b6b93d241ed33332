"""Patterns a ninth blind round revealed (bench/eval h36-h41: Haiti, Sudan, Afghanistan, Ukraine, Russia, Yemen):
gunfire, gangs named like towns, provinces named after their type word, districts inside provinces, spokesmen
named in the next sentence, attackers the parse leaves beside their shelling, feasts the model takes for places,
what a group is known for, and one country's forces under several names."""

from __future__ import annotations

from datetime import date

from builder.extract import extract
from builder.records import ArticleInput
from builder.resolve import resolve
from tests.builder.sentence_helpers import attacks, name, run, tolls


def test_gunmen_who_opened_fire_and_killed_carried_out_an_attack(nlp) -> None:
    x = run(nlp, "Gunmen opened fire on worshippers at a mosque in Kano on Friday, killing 12 people, police said.")
    (attack,) = attacks(x)
    assert name(x, attack.location) == "Kano" and set(tolls(x)) == {12}


def test_a_gang_named_like_a_town_is_an_armed_group(nlp) -> None:
    x = run(nlp, "Members of the Tokyo gang attacked the town of Mirebalais on Monday, killing 15 people.")
    kinds = {m.surface: m.kind for m in x.mentions}
    assert kinds.get("Tokyo") == "actor" and kinds.get("Mirebalais") == "place"


def test_a_town_the_model_calls_an_organisation_after_naming_it_a_town_is_the_town(nlp) -> None:
    text = ("Gang members attacked residents of the central Haitian town of Liancourt on Monday, killing 9 people. "
            "More than 3,000 people have fled Liancourt since the attack, the IOM said.")
    doc = nlp(text)
    second = text.rindex("Liancourt")
    span = doc.char_span(second, second + len("Liancourt"), label="ORG")
    doc.ents = [e for e in doc.ents if not (e.start <= span.start < e.end)] + [span]  # the model's mistake in Haiti
    x = extract(doc, ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))
    (flight,) = [e for e in x.events if e.cls == "Displacement"]
    assert name(x, flight.origin) == "Liancourt"
    assert [m.kind for m in x.mentions if m.surface == "Liancourt"] == ["place", "place"]


def test_the_province_of_x_is_a_region_and_its_district_the_finer_place(nlp) -> None:
    x = run(nlp, "Air strikes on Monday killed 9 people in the northern province of Kunduz, a local official said.\n\n"
                 "The strikes hit two villages in the Chahar Dara district, he said.")
    places = {m.surface: m.cls for m in x.mentions if m.kind == "place"}
    assert places.get("Kunduz") == "Region"
    (attack,) = attacks(x)
    assert name(x, attack.location).startswith("Chahar Dara")


def test_a_nameless_spokesman_is_the_person_who_speaks_next(nlp) -> None:
    x = run(nlp, "Artillery fire killed 11 people in the town of Gorom on Sunday, a government spokesman has said.\n\n"
                 "Jean-Emmanuel Ouedraogo said 4 others were wounded.")
    assert tolls(x) == {11: "Jean-Emmanuel Ouedraogo"}
    # a person named with a role of their own is someone else
    y = run(nlp, "Artillery fire killed 11 people in the town of Gorom on Sunday, a government spokesman has said.\n\n"
                 "Amadou Diallo, a local teacher, said the market was full.")
    assert tolls(y) != {11: "Amadou Diallo"}


def test_a_demonym_the_parse_leaves_beside_the_shelling_is_its_attacker(nlp) -> None:
    x = run(nlp, "The death toll from the Ukrainian shelling of the center of Donetsk has risen to 7, the mayor said.")
    (attack,) = attacks(x)
    assert [name(x, p) for p in attack.perpetrators] == ["Ukraine"]


def test_a_feast_is_a_day_not_a_place(nlp) -> None:
    x = run(nlp, "Missiles struck the centre of Sumy on Sunday as residents gathered for Palm Sunday, killing 5.")
    assert "Palm Sunday" not in {m.surface for m in x.mentions}


def test_what_a_group_is_known_for_is_no_attack_of_the_story(nlp) -> None:
    x = run(nlp, "Air strikes hit the port of Hodeidah on Thursday, killing 20 people, the rebels said. The US military "
                 "said the strikes were meant to cut off fuel for the rebels, who have attacked shipping in the Red Sea "
                 "and fired missiles at Israel.")
    assert len(attacks(x)) == 1


def test_the_ministry_is_the_ministry_named_before_not_the_nearest_government(nlp) -> None:
    x = run(nlp, "The Russian Defence Ministry said the Kiev regime had fired rockets at the city. Air defences shot "
                 "most of them down, the ministry said.")
    ministry = next(m for m in x.mentions if m.surface == "ministry")
    assert name(x, ministry.id) in ("Russian Defence Ministry", "Russia")


def test_one_countrys_forces_under_several_names_are_one_actor(nlp) -> None:
    x = resolve(run(nlp, "Pakistani air strikes killed 8 people near Khost on Monday. Pakistan's military did not "
                         "comment."))
    keys = {x.mention_keys[m.id] for m in x.extraction.mentions if m.kind == "actor" and m.cls == "StateForce"}
    assert len(keys) == 1, keys
