"""Per-article resolution: hand-built extractions in invented articles, then the real seeds end to end."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from builder.records import Extraction
from builder.resolve import article_countries, defined_acronyms, resolve
from tests.builder.resolution_helpers import extraction

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"

IDLIB = (
    "BEIRUT (Levant Wire) - Russian jets pounded Maaret al-Numaan on Monday, the Syrian Civil Defence said. "
    "The city has emptied, the group said. The Union of Medical Care and Relief Organisations (UOSSM) said "
    "UOSSM clinics near Adlib were hit. The Idlib Response Team (IRT) said IRT volunteers counted bodies. "
    "Mohamad Rasheed, an activist, said the army advanced. Rasheed said the Syrian army shelled Saraqib. "
    "Russia denied the strikes."
)


def idlib_extraction() -> Extraction:
    return extraction(IDLIB, [
        ("place", "Settlement", "BEIRUT"),
        ("actor", "StateForce", "Russian jets"),
        ("place", "Settlement", "Maaret al-Numaan"),
        ("actor", "NGO", "Syrian Civil Defence"),
        ("place", "Settlement", "The city"),
        ("actor", "Group", "the group"),
        ("actor", "NGO", "Union of Medical Care and Relief Organisations"),
        ("actor", "NGO", "UOSSM", 1),
        ("place", "Settlement", "Adlib"),
        ("actor", "NGO", "Idlib Response Team"),
        ("actor", "NGO", "IRT", 1),
        ("actor", "Person", "Mohamad Rasheed"),
        ("actor", "StateForce", "the army"),
        ("actor", "Person", "Rasheed", 1),
        ("actor", "StateForce", "Syrian army"),
        ("place", "Settlement", "Saraqib"),
        ("actor", "StateForce", "Russia"),
    ])


@pytest.fixture()
def idlib():
    ex = idlib_extraction()
    return ex, resolve(ex)


def keys_of(ex: Extraction, resolved) -> dict[str, str]:
    return {m.surface: resolved.mention_keys[m.id] for m in ex.mentions}


def test_resolve_maps_variants_to_curated_keys(idlib) -> None:
    ex, r = idlib
    k = keys_of(ex, r)
    assert k["Maaret al-Numaan"] == "place:maarat-al-numan"
    assert k["Adlib"] == "place:idlib-governorate"
    assert k["Saraqib"] == "place:saraqeb"
    assert k["Russian jets"] == k["Russia"] == "actor:russia"
    assert k["the army"] == k["Syrian army"] == "actor:syrian-government-forces"
    assert k["Syrian Civil Defence"] == "actor:white-helmets"


def test_resolve_follows_generic_mentions_to_their_antecedent(idlib) -> None:
    ex, r = idlib
    k = keys_of(ex, r)
    assert k["The city"] == "place:maarat-al-numan"
    assert k["the group"] == "actor:white-helmets"
    city = next(m for m in ex.mentions if m.surface == "The city")
    assert city.antecedent == next(m.id for m in ex.mentions if m.surface == "Maaret al-Numaan")
    # a generic mention is not an alternative name
    assert "The city" not in r.entities["place:maarat-al-numan"].alt_labels


def test_resolve_joins_acronyms_defined_in_the_article(idlib) -> None:
    ex, r = idlib
    k = keys_of(ex, r)
    assert k["UOSSM"] == k["Union of Medical Care and Relief Organisations"] == "actor:uossm"
    assert k["IRT"] == k["Idlib Response Team"]
    assert r.entities[k["IRT"]].alt_labels == {"IRT", "Idlib Response Team"}


def test_resolve_joins_a_surname_to_the_full_name(idlib) -> None:
    ex, r = idlib
    k = keys_of(ex, r)
    assert k["Rasheed"] == k["Mohamad Rasheed"]
    assert r.entities[k["Rasheed"]].cls == "Person"


def test_curated_entities_carry_labels_links_and_chains(idlib) -> None:
    _, r = idlib
    town = r.entities["place:maarat-al-numan"]
    assert town.pref_label == "Maarat al-Numan" and town.alt_labels == {"Maaret al-Numaan"}
    assert town.cls == "Settlement" and town.latitude and town.longitude
    assert town.located_in == "place:idlib-governorate"
    # the chain up to the country is described even though no article names it
    assert r.entities["place:idlib-governorate"].located_in == "place:syria"
    assert r.entities["place:syria"].cls == "Country"
    russia = r.entities["actor:russia"]
    assert russia.country == "place:russia" and "place:russia" in r.entities
    assert russia.alt_labels == {"Russian jets", "Russia"}
    assert r.entities["actor:syrian-government-forces"].backed_by >= {"actor:russia"}


def test_article_countries_rank_syria_first(idlib) -> None:
    ex, _ = idlib
    assert article_countries(ex)[0] == "place:syria"


def test_a_district_named_like_a_town_abroad_stays_in_the_articles_country() -> None:
    # GeoNames knows an al-Hamdaniya only in Iraq (50,000 people); in an Aleppo story it is a district
    text = "Rocket shells hit al-Hamdaniya and New Aleppo in Aleppo city on Saturday."
    ex = extraction(text, [("place", "Settlement", "al-Hamdaniya"), ("place", "Settlement", "Aleppo")])
    assert article_countries(ex) == ("place:syria",)
    k = keys_of(ex, resolve(ex))
    assert k["al-Hamdaniya"] == "place:hamdaniya"  # its own words: no coordinates rather than Iraq's


def test_same_words_in_another_war_resolve_by_that_wars_tables() -> None:
    text = "KHARTOUM - The army said it shelled RSF positions in Omdurman. The paramilitary denied it."
    ex = extraction(text, [("place", "Settlement", "KHARTOUM"), ("actor", "StateForce", "The army"),
                           ("actor", "ArmedGroup", "RSF"), ("place", "Settlement", "Omdurman"),
                           ("actor", "ArmedGroup", "The paramilitary")])
    k = keys_of(ex, resolve(ex))
    assert k["The army"] == "actor:sudanese-armed-forces"
    assert k["RSF"] == k["The paramilitary"] == "actor:rapid-support-forces"


def test_unknown_names_get_keys_from_their_words() -> None:
    text = "Qabr Fidda was shelled, said Abu Omar of the Free Idlib Brigade. Qabr Fiddah residents fled."
    ex = extraction(text, [("place", "Settlement", "Qabr Fidda"), ("actor", "Person", "Abu Omar"),
                           ("actor", "ArmedGroup", "Free Idlib Brigade"), ("place", "Settlement", "Qabr Fiddah")])
    r = resolve(ex)
    k = keys_of(ex, r)
    assert k["Qabr Fidda"] == k["Qabr Fiddah"] == "place:kabr fida"  # spellings meet within the article
    assert k["Abu Omar"] == "actor:abu omar"
    assert r.entities["place:kabr fida"].alt_labels == {"Qabr Fidda", "Qabr Fiddah"}


def test_unlisted_place_spellings_meet_across_articles() -> None:
    keys = set()
    for name in ("Qabr Fiddah", "Kabr Fidda"):
        ex = extraction(f"Jets struck {name} on Monday.", [("place", "Settlement", name)])
        keys.add(resolve(ex).mention_keys["m0"])
    assert keys == {"place:kabr fida"}


def test_resolution_does_not_depend_on_mention_order() -> None:
    ex = idlib_extraction()
    expected = keys_of(ex, resolve(ex))
    for seed in range(5):
        shuffled = idlib_extraction()
        random.Random(seed).shuffle(shuffled.mentions)
        assert keys_of(shuffled, resolve(shuffled)) == expected


def test_defined_acronyms_trim_to_the_abbreviated_words() -> None:
    found = defined_acronyms("Reports from the Syrian Observatory for Human Rights (SOHR) and Doctors (X).")
    assert found["sohr"] == "Syrian Observatory for Human Rights"


# -- the seed articles, end to end with the real model -------------------------------------


@pytest.fixture(scope="module")
def seed_resolutions():
    from builder.extract import extract
    from builder.nlp import load_nlp
    from builder.quarantine import Quarantine
    from builder.read import iter_articles

    assert SEEDS.is_dir(), f"expected the seed articles in {SEEDS}"
    nlp = load_nlp()
    out = []
    for art in iter_articles([str(SEEDS)], quarantine=Quarantine()):
        out.append(resolve(extract(nlp(art.text), art)))
    assert len(out) == 2
    return out


def _entities_by_name(resolutions) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for r in resolutions:
        for key, ent in r.entities.items():
            names.setdefault(key, set()).update(ent.alt_labels)
    return names


@pytest.mark.slow
def test_seeds_give_one_key_per_place_and_actor(seed_resolutions) -> None:
    names = _entities_by_name(seed_resolutions)
    assert {"Maaret al-Numaan", "Maarat al-Numan"} <= names["place:maarat-al-numan"]
    assert "Adlib" in names["place:idlib-governorate"] and "Idlib" in names["place:idlib-governorate"]
    assert "place:saraqeb" in names
    un = names["actor:united-nations"]
    assert {"United Nations", "U.N. agencies"} <= un
    assert not [k for k in names if "numan" in k and k != "place:maarat-al-numan"]
    assert not [k for k in names if k.startswith("actor:") and "nations" in k and k != "actor:united-nations"]


@pytest.mark.slow
def test_seed_keys_do_not_depend_on_which_article_came_first(seed_resolutions) -> None:
    from builder.extract import extract
    from builder.nlp import load_nlp
    from builder.quarantine import Quarantine
    from builder.read import iter_articles

    nlp = load_nlp()
    arts = list(iter_articles([str(SEEDS)], quarantine=Quarantine()))
    again = [resolve(extract(nlp(a.text), a)) for a in reversed(arts)]
    before = {r.extraction.article.content_hash: r.mention_keys for r in seed_resolutions}
    after = {r.extraction.article.content_hash: r.mention_keys for r in again}
    assert before == after


def test_bare_force_words_refer_back_to_the_force_last_named() -> None:
    text = ("Two junta fighter jets bombed Kyauk Pyin village in Sagaing. The jets returned at dawn. "
            "Resistance forces said they would retaliate.")
    ex = extraction(text, [("actor", "StateForce", "junta"), ("actor", "StateForce", "jets"),
                           ("place", "Region", "Sagaing"), ("actor", "StateForce", "The jets")])
    k = keys_of(ex, resolve(ex))
    assert k["jets"] == k["The jets"] == "actor:tatmadaw"


def test_generic_mentions_without_antecedent_make_no_entity() -> None:
    text = "Drones struck overnight, and it was not clear who sent them. The country is at war, Yemen's SABA said."
    ex = extraction(text, [("actor", "StateForce", "Drones"), ("actor", "Organization", "it"),
                           ("place", "Country", "The country"), ("place", "Country", "Yemen"),
                           ("actor", "MediaOutlet", "SABA")])
    r = resolve(ex)
    k = {m.surface: r.mention_keys.get(m.id) for m in ex.mentions}
    assert k["Drones"] is None and k["it"] is None
    assert k["The country"] == "place:yemen"  # "the country" falls back to the article's country
    country = next(m for m in ex.mentions if m.surface == "The country")
    assert country.antecedent == next(m.id for m in ex.mentions if m.surface == "Yemen")
    assert "The country" not in r.entities["place:yemen"].alt_labels
    assert not [key for key in r.entities if key in {"actor:drones", "actor:it"}]


# -- deterministic identity, end to end through the pipeline ---------------------------------


def _evidence_pairs(path: Path) -> set[tuple[str, str]]:
    """(mention IRI, entity IRI) for every entity mention in a built graph."""
    from rdflib import Dataset

    from ontology.namespace import NG

    ds = Dataset(default_union=True)
    ds.parse(str(path), format="trig")
    return {(str(m), str(e)) for e, m in ds.subject_objects(NG.evidence)
            if "/place/" in str(e) or "/actor/" in str(e)}


@pytest.mark.slow
def test_entity_iris_are_the_same_built_alone_or_together(tmp_path: Path) -> None:
    from builder.pipeline import build

    examples = Path(__file__).resolve().parents[2] / "examples"
    files = sorted(str(p) for p in [*SEEDS.glob("*.txt"), *examples.iterdir()]
                   if p.suffix in {".txt", ".md", ".html", ".jsonl"})
    assert len(files) >= 8
    together = tmp_path / "together.trig"
    build(files, str(together), progress=False)
    alone: set[tuple[str, str]] = set()
    for i, f in enumerate(reversed(files)):
        out = tmp_path / f"alone-{i}.trig"
        build([f], str(out), progress=False)
        alone |= _evidence_pairs(out)
    both = _evidence_pairs(together)
    assert both and alone == both
    # and the seeds' places are one node each across the two articles
    entities = {e for _, e in both}
    assert len([e for e in entities if "/place/maarat-al-numan-" in e]) == 1
    assert len([e for e in entities if "/place/idlib-governorate-" in e]) == 1


def test_coordinated_unnamed_groups_are_one_collective_source() -> None:
    text = ("Shelling hit Taiz, witnesses and residents said. Two residents and one rescuer said eight died. "
            "Residents said the market burned.")
    ex = extraction(text, [("place", "Settlement", "Taiz"), ("actor", "Group", "witnesses"),
                           ("actor", "Group", "residents"), ("actor", "Group", "Two residents", 0, "residents"),
                           ("actor", "Group", "one rescuer", 0, "rescuers"), ("actor", "Group", "Residents")])
    k = keys_of(ex, resolve(ex))
    assert k["witnesses"] == k["residents"] == k["Two residents"] == k["Residents"] == "actor:residents and witneses"
    assert k["one rescuer"] == "actor:rescuers"  # counted people are not joined to the coordination


def test_named_actors_are_never_joined_by_coordination() -> None:
    text = "Reuters and AFP said residents fled."
    ex = extraction(text, [("actor", "MediaOutlet", "Reuters"), ("actor", "MediaOutlet", "AFP"),
                           ("actor", "Group", "residents")])
    k = keys_of(ex, resolve(ex))
    assert (k["Reuters"], k["AFP"], k["residents"]) == ("actor:reuters", "actor:afp", "actor:residents")


@pytest.mark.parametrize(("one", "other"), [
    ("Mohamad Rasheed", "Mohammed Rashid"),
    ("Suleiman Abdulqader", "Sulaiman Abdul Qader"),
    ("Ahmed Hassan", "Ahmad Hasan"),
])
def test_people_the_tables_do_not_know_meet_across_articles(one: str, other: str) -> None:
    keys = []
    for name in (one, other):
        text = f"{name}, a local activist, said the market was hit."
        ex = extraction(text, [("actor", "Person", name)])
        keys.append(resolve(ex).mention_keys["m0"])
    assert keys[0] == keys[1]


def test_different_people_stay_apart() -> None:
    keys = set()
    for name in ("Omar Hamdan", "Amr Hamdan", "Ahmad Hamdan"):
        ex = extraction(f"{name} said.", [("actor", "Person", name)])
        keys.add(resolve(ex).mention_keys["m0"])
    assert len(keys) == 3


def test_two_people_with_one_skeleton_in_one_article_stay_two() -> None:
    text = "Omar Hamdan and Amr Hamdan, brothers, were wounded."
    ex = extraction(text, [("actor", "Person", "Omar Hamdan"), ("actor", "Person", "Amr Hamdan")])
    k = keys_of(ex, resolve(ex))
    assert k["Omar Hamdan"] != k["Amr Hamdan"]


@pytest.mark.slow
def test_examples_leave_no_bare_force_word_or_pronoun_entities() -> None:
    """Regression (examples/): "jets", "forces", "army", "the country" once became entities of their own."""
    from builder.extract import extract
    from builder.nlp import load_nlp
    from builder.quarantine import Quarantine
    from builder.read import iter_articles

    examples = Path(__file__).resolve().parents[2] / "examples"
    nlp = load_nlp()
    keys: set[str] = set()
    for art in iter_articles([str(examples)], quarantine=Quarantine()):
        keys |= set(resolve(extract(nlp(art.text), art)).mention_keys.values())
    generic = {f"actor:{w}" for w in ("jets", "forces", "army", "aircraft", "drones", "it", "air force", "ministry")}
    assert not keys & generic
    assert "place:country" not in keys and not [k for k in keys if k.startswith("place:the ")]
    assert {"place:maarat-al-numan", "place:idlib-governorate", "place:kharkiv", "place:el-fasher",
            "place:hodeidah", "actor:rapid-support-forces", "actor:houthis", "actor:tatmadaw"} <= keys


def test_mentions_without_words_are_left_unresolved() -> None:
    from builder.records import EntityMention, Span

    ex = extraction("Shelling hit the town.", [])
    ex.mentions.append(EntityMention("m0", "place", "Settlement", "", Span(0, 0, "", -1, "")))
    ex.mentions.append(EntityMention("m1", "actor", "Group", "'", Span(0, 1, "'", 0, "")))
    r = resolve(ex)
    assert r.mention_keys == {} and r.entities == {}
    assert resolve(extraction("Nothing here.", [])).entities == {}


def test_an_acronym_joins_its_long_form_under_the_name_extraction_gave_it() -> None:
    # extraction names "Turkey's ... Authority" "Turkish ... Authority" (an owned organisation); the acronym
    # the article defines for it must land on the same entity
    text = "Nearly one million people fled, according to Turkey's Disaster and Emergency Management Authority " \
           "(AFAD). AFAD said camps were full."
    ex = extraction(text, [("actor", "Organization", "Turkey's Disaster and Emergency Management Authority", 0,
                            "Turkish Disaster And Emergency Management Authority"),
                           ("actor", "Organization", "AFAD", 1)])
    k = keys_of(ex, resolve(ex))
    assert k["AFAD"] == k["Turkey's Disaster and Emergency Management Authority"]


def test_a_city_of_exactly_that_name_beats_a_curated_place_spelled_alike() -> None:
    # "Mekele" is Mek'ele in Ethiopia (GeoNames 331180), not Mukalla in Yemen (the same consonants); a force
    # named by its demonym ("Ethiopian military", named "Ethiopia") counts for the article's country
    text = "An Ethiopian military air strike hit a market west of Mekele. Ambulances from Mekele were blocked."
    ex = extraction(text, [("actor", "StateForce", "Ethiopian military", 0, "Ethiopia"),
                           ("place", "Settlement", "Mekele"), ("place", "Settlement", "Mekele", 1)])
    assert article_countries(ex) == ("place:ethiopia",)
    k = keys_of(ex, resolve(ex))
    assert k["Mekele"] == "place:mekele-331180"
