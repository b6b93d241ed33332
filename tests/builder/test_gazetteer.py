"""The shipped gazetteer: lookups, constraints, data integrity and spaCy patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from builder.gazetteer import load_gazetteer, read_actors, read_places
from ontology.errors import InputError

SYRIA = ("place:syria",)


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize(("surface", "key"), [
    ("Maaret al-Numaan", "place:maarat-al-numan"),
    ("Maarat al-Numan", "place:maarat-al-numan"),
    ("Maarat al-\nNuman", "place:maarat-al-numan"),
    ("Maaret al-Numaan district", "place:maarat-al-numan"),
    ("Idlib", "place:idlib-governorate"),
    ("Idleb", "place:idlib-governorate"),
    ("Adlib", "place:idlib-governorate"),
    ("Idlib province", "place:idlib-governorate"),
    ("rural southeastern Idlib province", "place:idlib-governorate"),
    ("Idlib city", "place:idlib"),
    ("Saraqeb city", "place:saraqeb"),
    ("Saraqib", "place:saraqeb"),
    ("Sarmin", "place:sarmin"),
    ("Syria's", "place:syria"),
    ("northwest Syria", "place:syria"),
    ("the Turkish border", "place:turkey"),
    ("DAMASCUS", "place:damascus"),
    ("Kafr Nabl", "place:kafranbel"),
    ("Jisr ash-Shughour", "place:jisr-al-shughur"),
    ("Khan Cheikhoun", "place:khan-sheikhoun"),
])
def test_lookup_place_in_a_syria_article(gaz, surface: str, key: str) -> None:
    entry = gaz.lookup_place(surface, context=SYRIA)
    assert entry is not None and entry.key == key


def test_saraqeb_never_becomes_sarmin(gaz) -> None:
    assert gaz.lookup_place("Saraqeb").key != gaz.lookup_place("Sarmin").key
    assert gaz.lookup_place("Sarmeen").key == "place:sarmin"


def test_unknown_name_is_none_not_a_near_miss(gaz) -> None:
    assert gaz.lookup_place("Qabr Fidda", context=SYRIA) is None
    assert gaz.lookup_actor("Free Idlib Brigade of the Martyrs", context=SYRIA) is None


def test_a_consonant_initial_name_never_meets_a_vowel_initial_one(gaz) -> None:
    # "Nairab" and "Ain al-Arab" (Kobani) are both n-r-b once their vowels are gone
    assert gaz.lookup_place("Nairab", context=SYRIA) is None
    assert gaz.lookup_place("Ayn al-Arab", context=SYRIA).key == "place:kobani"


def test_geonames_tier_has_coordinates_and_country(gaz) -> None:
    zurich = gaz.lookup_place("Zurich")
    assert zurich is not None and zurich.tier == "geonames"
    assert zurich.latitude == pytest.approx(47.37, abs=0.1) and zurich.country == "place:switzerland"
    assert gaz.place(zurich.key) == zurich  # keys of the second tier round-trip


def test_context_breaks_ties_between_namesakes(gaz) -> None:
    assert gaz.lookup_place("Tripoli", context=("place:lebanon",)).key == "place:tripoli-lebanon"
    libya = gaz.lookup_place("Tripoli", context=("place:libya",))
    assert libya.country == "place:libya"


@pytest.mark.parametrize(("surface", "key"), [
    ("Russian jets", "actor:russia"),
    ("Russian military", "actor:russia"),
    ("Moscow", "actor:russia"),
    ("Russian", "actor:russia"),
    ("Russian-backed Syrian forces", "actor:syrian-government-forces"),
    ("Syrian army", "actor:syrian-government-forces"),
    ("regime forces", "actor:syrian-government-forces"),
    ("the army", "actor:syrian-government-forces"),
    ("U.N.", "actor:united-nations"),
    ("UN", "actor:united-nations"),
    ("U.N. agencies", "actor:united-nations"),
    ("the United Nations", "actor:united-nations"),
    ("Sana", "actor:sana"),
    ("SANA", "actor:sana"),
    ("Syrian state news agency Sana", "actor:sana"),
    ("Union of Medical Care and Relief Organisations", "actor:uossm"),
    ("SOHR", "actor:sohr"),
    ("the Observatory", "actor:sohr"),
    ("Syrian Observatory for Human Rights", "actor:sohr"),
    ("White Helmets", "actor:white-helmets"),
    ("Syrian Civil Defence", "actor:white-helmets"),
    ("a Syrian Civil Defence spokesperson", "actor:white-helmets"),
    ("HTS", "actor:hayat-tahrir-al-sham"),
    ("Hayat Tahrir al-Sham", "actor:hayat-tahrir-al-sham"),
    ("President Bashar al-Assad", "actor:bashar-al-assad"),
    ("Syrian rebel", "actor:syrian-rebels"),  # "their Syrian rebel allies"
    ("rebel", "actor:syrian-rebels"),  # "the last rebel bastion"
])
def test_lookup_actor_in_a_syria_article(gaz, surface: str, key: str) -> None:
    entry = gaz.lookup_actor(surface, context=SYRIA)
    assert entry is not None and entry.key == key


@pytest.mark.parametrize(("surface", "context", "key"), [
    ("the army", ("place:sudan",), "actor:sudanese-armed-forces"),
    ("the army", ("place:ukraine",), "actor:ukrainian-armed-forces"),
    ("the junta", ("place:myanmar",), "actor:tatmadaw"),
    ("Ansar Allah", ("place:yemen",), "actor:houthis"),
    ("RSF", ("place:sudan",), "actor:rapid-support-forces"),
    ("IDF", ("place:palestine",), "actor:israel-defense-forces"),
    ("Israeli jets", ("place:palestine",), "actor:israel-defense-forces"),
    ("the Civil Defence", ("place:palestine",), "actor:gaza-civil-defence"),
])
def test_generic_names_depend_on_the_articles_country(gaz, surface, context, key) -> None:
    assert gaz.lookup_actor(surface, context=context).key == key


def test_generic_names_need_a_country(gaz) -> None:
    assert gaz.lookup_actor("the army") is None


def test_person_is_never_an_organisation(gaz) -> None:
    assert gaz.lookup_actor("Assad", cls="NGO") is None
    assert gaz.lookup_actor("Reuters", cls="Person") is None


def test_russia_the_actor_links_to_russia_the_place(gaz) -> None:
    actor = gaz.lookup_actor("Russia")
    place = gaz.lookup_place("Russia")
    assert actor.key != place.key and actor.country == place.key


def test_every_place_chain_ends_in_a_country(gaz) -> None:
    for entry in gaz.places.values():
        if entry.key == "place:red-sea" or entry.key == "place:geneva":
            continue
        top = gaz.places[gaz.chain(entry.key)[-1]]
        assert top.cls == "Country", entry.key


def test_curated_settlements_have_coordinates(gaz) -> None:
    missing = [e.key for e in gaz.places.values() if e.latitude is None or e.longitude is None]
    assert missing == []
    for e in gaz.places.values():
        assert -90 <= e.latitude <= 90 and -180 <= e.longitude <= 180


def test_idlib_towns_lie_near_idlib(gaz) -> None:
    for e in gaz.places.values():
        if e.located_in == "place:idlib-governorate" and e.cls == "Settlement":
            assert 35.3 < e.latitude < 36.4 and 36.2 < e.longitude < 37.2, e.key


def test_no_variant_names_two_curated_places(gaz) -> None:
    clashes = {k: v for k, v in gaz._place_index.exact.items() if len(v) > 1}
    assert clashes == {}


def test_bad_table_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "places.csv"
    bad.write_text("key,name,class,lat,lon,geonames_id,wikidata_id,located_in,variants,demonyms\n"
                   "x,X,Village,1,2,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"places.csv:2: class must be one of .*got 'Village'"):
        read_places(bad)
    bad.write_text("key,name,class,lat,lon,geonames_id,wikidata_id,located_in,variants,demonyms\n"
                   "x,X,Settlement,north,2,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a decimal number, got 'north'"):
        read_places(bad)


def test_actor_table_refers_to_known_places(tmp_path: Path, gaz) -> None:
    bad = tmp_path / "actors.csv"
    bad.write_text("key,name,class,wikidata_id,country,backed_by,context,demonym,variants,context_variants\n"
                   "x,X,StateForce,,atlantis,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown place 'place:atlantis'"):
        read_actors(bad, gaz.places)


def test_patterns_tag_curated_names_in_text(gaz) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(gaz.patterns())
    doc = nlp("Jets hit Maaret al Numaan and Maarat al-Numan near Saraqeb; the WHO and UOSSM said, who knows.")
    found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Maaret al Numaan", "GPE", "place:maarat-al-numan") in found
    assert ("Maarat al-Numan", "GPE", "place:maarat-al-numan") in found
    assert ("Saraqeb", "GPE", "place:saraqeb") in found
    assert ("WHO", "ORG", "actor:world-health-organization") in found
    assert not any(e.text == "who" for e in doc.ents)  # acronyms match case-sensitively


def test_pattern_count_stays_sane(gaz) -> None:
    patterns = gaz.patterns()
    assert 500 < len(patterns) < 5000
    assert all(p["id"].startswith(("place:", "actor:")) for p in patterns)
    assert patterns == gaz.patterns()  # deterministic


def test_common_words_never_match_by_skeleton(gaz) -> None:
    # "country" and "Quneitra" share the consonants k-n-t-r; only proper names are matched that loosely
    assert gaz.lookup_place("the country", context=SYRIA) is None
    assert gaz.lookup_place("Quneitra", context=SYRIA).key == "place:quneitra"


def test_skeletons_of_actors_respect_the_articles_country(gaz) -> None:
    # "Joint Forces" (Darfur) and "junta forces" (Myanmar) share a skeleton
    assert gaz.lookup_actor("Joint Forces", context=("place:sudan",)).key == "actor:darfur-joint-forces"
    assert gaz.lookup_actor("Jont Forces", context=("place:sudan",)).key == "actor:darfur-joint-forces"
    assert gaz.lookup_actor("junta forces", context=("place:myanmar",)).key == "actor:tatmadaw"


def test_context_variants_apply_in_every_listed_country(gaz) -> None:
    assert gaz.lookup_actor("the army", context=("place:palestine",)).key == "actor:israel-defense-forces"
    assert gaz.lookup_actor("the army", context=("place:syria", "place:israel")).key == \
        "actor:syrian-government-forces"
