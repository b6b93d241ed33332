"""Places the gazetteer does not know, found by their type word; the most specific place is the event's."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


@pytest.mark.parametrize(("text", "place", "cls"), [
    ("Junta jets bombed the village of Tal Hamid on Monday, killing 11 villagers.", "Tal Hamid", "Settlement"),
    ("Troops shelled Kafr Sousa village on Sunday, killing 3 people.", "Kafr Sousa", "Settlement"),
    ("An air strike hit Hasanabad township on Friday, killing 5 people.", "Hasanabad", "Region"),
    ("An Israeli strike hit tents in al-Mawasi camp on Tuesday, killing 9 people.", "al-Mawasi", None),
    ("RSF shelling hit a market in Wad Madani's Hantoub district on Sunday, killing 6 people.", "Hantoub", None),
])
def test_unknown_named_place_is_the_event_location(nlp, text: str, place: str, cls: str | None) -> None:
    x = run(nlp, text)
    [attack] = x.events
    loc = x.mention(attack.location)
    assert place in (loc.name or loc.surface)
    assert loc.kind == "place" and (cls is None or loc.cls == cls)


def test_village_lies_in_the_region_named_after_it(nlp) -> None:
    x = run(nlp, "Junta jets bombed the village of Tal Hamid in Sagaing region on Monday, killing 11 villagers.")
    [rel] = [r for r in x.relations if r.predicate == "locatedIn"]
    assert (x.mention(rel.subject).surface, x.mention(rel.object).name) == ("Tal Hamid", "Sagaing Region")
    assert x.mention(x.events[0].location).surface == "Tal Hamid"


def test_capitalised_sentence_start_is_not_a_place(nlp) -> None:
    x = run(nlp, "Many villages were shelled on Sunday, killing 4 people.")
    assert not [m for m in x.mentions if m.kind == "place" and "Many" in m.surface]


def _place_keys(nlp, text: str) -> dict[str, str]:
    from builder.resolve import resolve

    x = run(nlp, text)
    keys = resolve(x).mention_keys
    return {m.surface: keys[m.id] for m in x.mentions if m.kind == "place" and m.id in keys}


@pytest.mark.parametrize(("text", "region", "key"), [
    # the tables know the region: its own entry, not the town whose name its words were stripped to
    ("Russian shelling killed two people in the Donetsk region on Monday.", "Donetsk region", "place:donetsk-oblast"),
    ("Drones hit the city of Kharkiv and villages in the Kharkiv region on Monday.", "Kharkiv region",
     "place:kharkiv-oblast"),
    # the tables do not know it: a place of its own, never Zhytomyr the city (GeoNames)
    ("Russian drones killed two people in the Zhytomyr region on Monday.", "Zhytomyr region", "place:zhytomyr region"),
])
def test_a_region_named_after_a_town_is_not_the_town(nlp, text: str, region: str, key: str) -> None:
    keys = _place_keys(nlp, text)
    assert keys[region] == key
    assert "place:kharkiv" not in keys.values() or keys.get("Kharkiv") == "place:kharkiv"


def test_a_river_is_not_the_town_it_shares_a_name_with(nlp) -> None:
    keys = _place_keys(nlp, "Russian shelling of the town of Nikopol across the Dnipro River killed one man, "
                            "said Serhii Lysak, the head of the Dnipropetrovsk region.")
    assert keys == {"Nikopol": "place:nikopol", "Dnipropetrovsk region": "place:dnipropetrovsk-oblast"}


@pytest.mark.parametrize(("text", "surface"), [
    # the model calls the name an organisation; "the town of" says it is a place (GeoNames knows it)
    ("Russian shelling of the town of Marhanets killed one man, officials said.", "Marhanets"),
    # describing words between the article and the type word; the model calls the name a nationality
    ("An Israeli drone strike on a civil defence centre in the southern Lebanese town of Hebbariyeh killed five "
     "paramedics on Wednesday.", "Hebbariyeh"),
    # the model calls it a person; "area" says it is a place
    ("Israeli strikes hit the eastern Bani Suheila area shortly after midnight, killing four.", "Bani Suheila area"),
])
def test_a_type_word_overrules_the_model(nlp, text: str, surface: str) -> None:
    x = run(nlp, text)
    [attack] = x.events
    assert x.mention(attack.location).surface == surface
    assert not [m for m in x.mentions if m.kind == "actor" and m.surface and surface.startswith(m.surface)]


def test_an_actor_the_tables_know_is_no_name_after_the_city_of(nlp) -> None:
    assert _place_keys(nlp, "A drone struck the city of Hamas-controlled Gaza on Monday.") == {"Gaza": "place:gaza-strip"}


def test_a_name_the_article_typed_as_a_place_stays_a_place(nlp) -> None:
    # the model tags the second "Dhiban" as an organisation; "the town of Dhiban" said what it is
    x = run(nlp, "The fighting erupted on Monday in the town of Dhiban after the SDF detained a tribal leader. Local "
                 "activists said hundreds of families had fled Dhiban and nearby villages toward the desert.")
    assert [(m.kind, m.cls) for m in x.mentions if m.surface == "Dhiban"] == [("place", "Settlement")] * 2


def test_two_regions_sharing_one_plural_are_regions(nlp) -> None:
    keys = _place_keys(nlp, "Russia's Defence Ministry said air defences had destroyed 27 Ukrainian drones over the "
                            "Kursk and Belgorod regions.")
    assert sorted(keys.values()) == ["place:belgorod-oblast", "place:kursk-oblast"]


def test_a_facility_is_named_with_its_type(nlp) -> None:
    x = run(nlp, "U.S. air strikes on Yemen's Ras Isa fuel port killed 38 people on Thursday.")
    [attack] = x.events
    loc = x.mention(attack.location)
    assert (loc.surface, loc.cls) == ("Ras Isa fuel port", "Facility")
    assert not [m for m in x.mentions if m.kind == "actor" and m.surface == "Ras Isa"]


def test_each_name_after_the_villages_of_is_a_village(nlp) -> None:
    x = run(nlp, "Army units took the villages of Jarjanaz, al-Ghadfa and Tell Mannas on Monday.")
    assert sorted((m.surface, m.cls) for m in x.mentions if m.kind == "place") == [
        ("Jarjanaz", "Settlement"), ("Tell Mannas", "Settlement"), ("al-Ghadfa", "Settlement")]
    assert not [m for m in x.mentions if m.kind == "actor" and m.surface == "al-Ghadfa"]


def test_the_gulf_of_aden_is_the_gulf_and_a_ship_is_no_actor(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Houthi militants fired two anti-ship ballistic missiles at the tanker Marlin Luanda in the Gulf of "
                 "Aden on Friday, setting it on fire, the U.S. Central Command said.")
    [attack] = x.events
    assert x.mention(attack.location).surface == "Gulf of Aden"
    assert "place:aden" not in resolve(x).mention_keys.values()
    assert not [m for m in x.mentions if m.surface == "Marlin Luanda"]
    assert [x.mention(c.source).surface for c in x.claims] == ["U.S. Central Command"]


def test_a_village_name_may_hold_words_the_model_tags_otherwise(nlp) -> None:
    x = run(nlp, "The junta's air force dropped bombs on a school in Let Yet Kone village in Sagaing region, killing 13 "
                 "people.")
    [attack] = x.events
    assert x.mention(attack.location).surface == "Let Yet Kone village"


@pytest.mark.parametrize(("text", "key"), [
    # Tripoli the town counts for Lebanon too; Libya, named by its demonym, is the article's country
    ("Clashes between rival militias in the Libyan capital Tripoli killed at least 27 people overnight.",
     "place:tripoli-2210247"),
    ("Israeli strikes hit the northern Lebanese city of Tripoli on Monday, killing two.", "place:tripoli-lebanon"),
])
def test_tripoli_is_the_one_of_the_country_the_article_names(nlp, text: str, key: str) -> None:
    assert _place_keys(nlp, text)["Tripoli"] == key


def test_the_country_owning_a_ministry_is_no_place_of_the_event(nlp) -> None:
    x = run(nlp, "Turkey's Defense Ministry said its drones hit Syrian government targets overnight.")
    [strike] = x.events
    assert strike.location is None


def test_a_common_noun_the_model_tags_as_a_place_is_none(nlp) -> None:
    x = run(nlp, "UNHCR said on Tuesday that schools and mosques in Idlib city had been turned into shelters.")
    assert [m.surface for m in x.mentions if m.kind == "place"] == ["Idlib city"]


def test_the_border_town_of_a_place_is_that_town_and_fire_from_a_country_did_not_strike_it(nlp) -> None:
    x = run(nlp, "Turkish forces pounded the border town of Ras al-Ain on Sunday. In the Turkish border town of "
                 "Akcakale, mortar fire from Syria killed two people, the town's mayor said.")
    assert [(e.cls, x.mention(e.location).surface) for e in x.events] == [("Shelling", "Ras al-Ain"),
                                                                           ("Shelling", "Akcakale")]
    assert "Turkish border" not in {m.surface for m in x.mentions}  # "border" describes the town here


def test_a_neighbourhood_the_model_splits_in_two_is_one_place(nlp) -> None:
    # the model tags "Hay" and "al-Quds" apart; al-Quds alone would resolve to Jerusalem
    x = run(nlp, "Witnesses said a single munition hit the school building in the Hay al-Quds neighborhood at 11 a.m.")
    assert [(m.surface, m.name) for m in x.mentions if m.kind == "place"] == [
        ("Hay al-Quds neighborhood", "Hay al-Quds")]
