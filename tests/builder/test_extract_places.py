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
    assert (x.mention(rel.subject).surface, x.mention(rel.object).name) == ("Tal Hamid", "Sagaing")
    assert x.mention(x.events[0].location).surface == "Tal Hamid"


def test_capitalised_sentence_start_is_not_a_place(nlp) -> None:
    x = run(nlp, "Many villages were shelled on Sunday, killing 4 people.")
    assert not [m for m in x.mentions if m.kind == "place" and "Many" in m.surface]
