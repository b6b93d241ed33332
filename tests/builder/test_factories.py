from __future__ import annotations

import pytest


def test_domain_components_are_in_the_pipeline(nlp) -> None:
    for name in ("newsgraph_dateline", "newsgraph_entity_repair", "newsgraph_actor_spans"):
        assert name in nlp.pipe_names


@pytest.mark.parametrize(("text", "place"), [
    ("DAMASCUS - Tens of thousands of civilians have fled.", "DAMASCUS"),
    ("KYIV, Ukraine (AP) — Russian drones struck the city overnight.", "KYIV"),
    # the agency after a title-case place (SANA), and a place-and-country line of its own (Anadolu)
    ("Army units take three villages\n\nIdleb, SANA- Army units took three villages on Monday.", "Idleb"),
    ("Airstrikes kill 8 civilians in Idlib\n\nIDLIB, Syria\n\nAt least eight civilians were killed on Tuesday.",
     "IDLIB"),
])
def test_dateline_is_found_and_not_smeared_into_an_org(nlp, text: str, place: str) -> None:
    doc = nlp(text)
    assert doc._.dateline.text == place
    assert not any(e.label_ == "ORG" and "thousands" in e.text for e in doc.ents)


def test_dateline_agency_is_kept(nlp) -> None:
    doc = nlp("KYIV, Ukraine (AP) — Russian drones struck the city overnight.")
    assert doc._.dateline_agency.text == "AP"


@pytest.mark.parametrize(("text", "surface", "label"), [
    ("Russian-backed Syrian forces gained ground.", "Russian-backed Syrian forces", "StateForce"),
    ("Rebel fighters shelled the town.", "Rebel fighters", "ArmedGroup"),
    ("Two residents said the market was hit.", "Two residents", "Group"),
])
def test_actor_phrases_by_head_noun(nlp, text: str, surface: str, label: str) -> None:
    doc = nlp(text)
    spans = {(s.text, s.label_) for s in doc.spans["ng_actors"]}
    assert (surface, label) in spans


def test_news_agency_name_is_an_organisation_not_a_person(nlp) -> None:
    doc = nlp("Syrian state news agency Sana reported on Sunday that the army advanced.")
    assert ("Sana", "ORG") in {(e.text, e.label_) for e in doc.ents} or any(
        "Sana" in e.text and e.label_ == "ORG" for e in doc.ents)


def test_a_title_case_headline_line_is_no_dateline(nlp) -> None:
    assert nlp("Shelling Hits Town, Killing Four\n\nShelling hit the town of Hass on Monday.")._.dateline is None
