"""Patterns of wire copy from wars other than Syria's (round 7 of the held-out tests, bench/eval h24-h29):
roles named a sentence later, names the small model cuts or mislabels, places named after their kind."""

from __future__ import annotations

import pytest

from builder.resolve import resolve
from tests.builder.sentence_helpers import attacks, name, run, tolls


@pytest.mark.parametrize(("text", "expected"), [
    # the role in an apposition after the name
    ("A missile hit a school in Sumy on Monday, killing 6 people, the regional governor said.\n\n"
     "Oleh Kiper, the governor of the Sumy region, said 20 others were wounded.", {6: "Oleh Kiper"}),
    ("Shelling killed 4 people at a bus stop in Kherson on Friday, a city official said.\n\n"
     "Roman Mrochko, the official, told reporters that rescuers were still at the scene.", {4: "Roman Mrochko"}),
    # the role as a title before the name
    ("Shelling killed 4 people at a bus stop in Kherson on Friday, the governor said.\n\n"
     "Governor Ivan Fedorov said rescuers were still at the scene.", {4: "Ivan Fedorov"}),
    # nobody is given the role: the publisher's report, as before
    ("A missile hit a school in Sumy on Monday, killing 6 people, the regional governor said.\n\n"
     "Oleh Kiper, a lawmaker, said the school had been empty for weeks.", {6: "Test Wire"}),
])
def test_a_role_in_the_lede_is_the_person_given_that_role_below(nlp, text: str, expected: dict[int, str]) -> None:
    assert tolls(run(nlp, text)) == expected


def test_a_name_the_model_cuts_at_a_place_is_one_organisation(nlp) -> None:
    x = run(nlp, "At least 7 people were killed when jets bombed a market in Kachin State on Sunday, "
                 "the Kachin Independence Organization said.")
    assert tolls(x) == {7: "Kachin Independence Organization"}


def test_an_acronym_the_article_never_defines_joins_the_one_name_it_abbreviates(nlp) -> None:
    x = run(nlp, "Jets bombed a market in Kachin State on Sunday, killing 7 people, the Kachin Independence "
                 "Organization said. The market lies near Laiza, where the KIO has its headquarters.")
    keys = resolve(x).mention_keys
    long_form = next(m for m in x.mentions if m.surface == "Kachin Independence Organization")
    short = next(m for m in x.mentions if m.surface == "KIO")
    assert keys[short.id] == keys[long_form.id]


def test_a_word_describing_a_town_is_no_actor(nlp) -> None:
    x = run(nlp, "A rocket hit a playground in the Druze village of Ein Qiniyye on Saturday, killing 3 children, "
                 "medics said.")
    assert "Druze" not in {m.surface for m in x.mentions if m.kind == "actor"}
    [attack] = attacks(x)
    assert name(x, attack.location) == "Ein Qiniyye"


def test_places_by_their_kind_word_or_preposition_are_places(nlp) -> None:
    x = run(nlp, "Junta jets bombed a camp for displaced people in Sagaing Region late on Monday, killing 11 "
                 "people, residents said. The Nyaung Kone camp sheltered about 400 families.")
    [attack] = attacks(x)
    assert name(x, attack.location) == "Nyaung Kone"  # the camp named a sentence later, not the region
    assert "Nyaung Kone" not in {m.surface for m in x.mentions if m.kind == "actor"}


def test_a_town_described_in_apposition_is_the_place_and_the_village_after_it(nlp) -> None:
    x = run(nlp, "An air strike hit Gerzele, a village north of Mekele, on Tuesday, killing 9 people, a health "
                 "worker said. Ambulances could not reach the village for hours.")
    [attack] = attacks(x)
    assert name(x, attack.location) == "Gerzele"
    village = next(m for m in x.mentions if m.surface == "the village")
    assert name(x, village.id) == "Gerzele"


def test_a_weapon_striking_a_target_told_before_retells_the_attack(nlp) -> None:
    x = run(nlp, "A Russian missile struck a railway station in Lozova on Friday, killing 9 people, officials "
                 "said. The railway company said two rockets hit the station, which served people leaving "
                 "areas near Izium.")
    [attack] = attacks(x)
    assert name(x, attack.location) == "Lozova"


def test_storming_a_place_is_a_ground_assault(nlp) -> None:
    x = run(nlp, "Paramilitary fighters stormed the village of Wad al-Noura on Wednesday, killing 35 people, "
                 "activists said.")
    [attack] = attacks(x)
    assert attack.cls == "GroundAssault"


def test_a_toll_the_model_takes_for_a_date_is_still_the_toll(nlp) -> None:
    x = run(nlp, "An air strike hit a wedding party in Hajjah on Sunday. The rebel-run health ministry put "
                 "the death toll at 43, with 61 others wounded.")
    [claim] = [c for c in x.claims if c.killed]
    assert (claim.killed.value, claim.injured.value) == (43, 61)


def test_people_leaving_named_towns_are_a_displacement(nlp) -> None:
    x = run(nlp, "More than 12,000 people have left Pokrovsk and nearby villages over the past week, "
                 "the regional administration said.")
    figures = [c.displaced.value for c in x.claims if c.displaced]
    assert figures == [12000]


def test_a_speaker_the_model_tags_as_a_title_of_a_work_is_a_person(nlp) -> None:
    x = run(nlp, "An air raid hit a bus in Dahyan on Thursday, killing 29 children, the Red Cross said. "
                 "\"Most of them were under ten,\" Johannes Bruwer, head of the delegation in Yemen, wrote on "
                 "Twitter.")
    assert "Johannes Bruwer" in {name(x, c.source) for c in x.claims}

