"""The analyst query library against the small hand-written graph (tests/queries/fixtures/small.trig)."""

from __future__ import annotations

import re

import pytest

from ontology.errors import UsageError
from queries.runner import cell, library, load_query, run

ID = "https://w3id.org/newsgraph/id/"
DRONE = ID + "event/a1a1a1a1a1a1a1a1-10"  # canonical: b2…-120 is merged into it
SHELLING = ID + "event/a1a1a1a1a1a1a1a1-214"
ASSAULT = ID + "event/b2b2b2b2b2b2b2b2-5"
FLIGHT_TAWILA = ID + "event/a1a1a1a1a1a1a1a1-300"
FLIGHT_MELLIT = ID + "event/b2b2b2b2b2b2b2b2-200"
ARTICLE_A = ID + "article/a1a1a1a1a1a1a1a1"
ARTICLE_B = ID + "article/b2b2b2b2b2b2b2b2"

ANALYST_QUERIES = ["attacks-by-perpetrator", "attacks-in-place", "attacks-in-period", "casualties-by-source",
                   "displacement-timeline", "source-reports", "actor-claims", "actor-network", "uncorroborated",
                   "provenance"]


def rows(graph: str, name: str, columns: list[str], **params: str) -> list[tuple[str, ...]]:
    result = run(name, graph, params)
    index = [result.vars.index(c) for c in columns]
    return [tuple(cell(row[i]) for i in index) for row in result.rows]


@pytest.mark.parametrize("name", ANALYST_QUERIES)
def test_every_analyst_query_documents_itself(name):
    spec = load_query(name)
    assert spec.title and len(spec.description) > 60
    assert spec.example.startswith(f"newsgraph query {name} --graph ")
    used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", re.sub(r"(?m)^#.*$", "", spec.text)))
    for param in spec.params:
        assert param.name in used, f"{name}: declared parameter {param.name} is not used"
        assert param.doc


def test_the_library_lists_every_query_file():
    assert set(ANALYST_QUERIES) <= set(library())


@pytest.mark.parametrize(("params", "expected"), [
    ({}, [("Rapid Support Forces", SHELLING, "Shelling", "2024-05-10", "Abu Shouk camp", "civilians",
           "Médecins Sans Frontières"),
          ("Rapid Support Forces", DRONE, "DroneStrike", "2024-05-11", "El Fasher", "civilians",
           "Fasher Resistance Committee | Rapid Support Forces | Sudan Doctors Network"),
          ("Sudanese Armed Forces", ASSAULT, "GroundAssault", "2024-05-12", "Mellit", "Rapid Support Forces",
           "Sudanese Armed Forces")]),
    ({"actor": "rsf"}, [("Rapid Support Forces", SHELLING, "Shelling", "2024-05-10", "Abu Shouk camp", "civilians",
                         "Médecins Sans Frontières"),
                        ("Rapid Support Forces", DRONE, "DroneStrike", "2024-05-11", "El Fasher", "civilians",
                         "Fasher Resistance Committee | Rapid Support Forces | Sudan Doctors Network")]),
    ({"actor": ID + "actor/sudanese-armed-forces-0b0b0001"},
     [("Sudanese Armed Forces", ASSAULT, "GroundAssault", "2024-05-12", "Mellit", "Rapid Support Forces",
       "Sudanese Armed Forces")]),
])
def test_attacks_by_perpetrator(small_trig, params, expected):
    columns = ["perpetrator", "event", "type", "date", "place", "targets", "sources"]
    assert rows(small_trig, "attacks-by-perpetrator", columns, **params) == expected


@pytest.mark.parametrize(("place", "expected"), [
    ("Sudan", [(SHELLING, "Abu Shouk camp", "Sudan"), (DRONE, "El Fasher", "Sudan"), (ASSAULT, "Mellit", "Sudan")]),
    ("north darfur", [(SHELLING, "Abu Shouk camp", "North Darfur"), (DRONE, "El Fasher", "North Darfur"),
                      (ASSAULT, "Mellit", "North Darfur")]),
    ("al-Fashir", [(SHELLING, "Abu Shouk camp", "El Fasher"), (DRONE, "El Fasher", "El Fasher")]),
    (ID + "place/abu-shouk-camp-0a0a0004", [(SHELLING, "Abu Shouk camp", "Abu Shouk camp")]),
    ("Tawila", []),
])
def test_attacks_in_place_follow_located_in_transitively(small_trig, place, expected):
    assert rows(small_trig, "attacks-in-place", ["event", "location", "within"], place=place) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({}, [SHELLING, DRONE, ASSAULT]),
    ({"since": "2024-05-11"}, [DRONE, ASSAULT]),
    ({"until": "2024-05-11"}, [SHELLING, DRONE]),
    ({"since": "2024-05-11", "until": "2024-05-11"}, [DRONE]),
    ({"since": "2024-06-01"}, []),
])
def test_attacks_in_period_include_both_ends(small_trig, params, expected):
    assert [r[0] for r in rows(small_trig, "attacks-in-period", ["event"], **params)] == expected


def test_casualties_by_source_keep_conflicting_figures_side_by_side(small_trig):
    columns = ["reported_by", "event", "killed", "killed_qualifier", "injured", "injured_qualifier", "article"]
    assert rows(small_trig, "casualties-by-source", columns) == [
        ("Fasher Resistance Committee", DRONE, "12", "at_least", "30", "about", ARTICLE_A),
        ("Médecins Sans Frontières", SHELLING, "3", "exact", "", "", ARTICLE_A),
        ("Sudan Doctors Network", DRONE, "15", "exact", "", "", ARTICLE_B),
        ("Sudanese Armed Forces", ASSAULT, "20", "at_least", "", "", ARTICLE_B),
    ]
    assert rows(small_trig, "casualties-by-source", ["reported_by", "killed"], source="MSF") == [
        ("Médecins Sans Frontières", "3")]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, [("2024-05-01", "2024-05-12", "El Fasher", "Tawila", "40000", "more_than", FLIGHT_TAWILA),
          ("2024-05-06", "2024-05-13", "Mellit", "El Fasher", "5000", "about", FLIGHT_MELLIT)]),
    ({"place": "tawila"}, [("2024-05-01", "2024-05-12", "El Fasher", "Tawila", "40000", "more_than", FLIGHT_TAWILA)]),
    ({"place": "Mellit"}, [("2024-05-06", "2024-05-13", "Mellit", "El Fasher", "5000", "about", FLIGHT_MELLIT)]),
    ({"place": "Yemen"}, []),
])
def test_displacement_timeline(small_trig, params, expected):
    columns = ["period_start", "period_end", "origin", "destination", "displaced", "displaced_qualifier", "event"]
    assert rows(small_trig, "displacement-timeline", columns, **params) == expected


def test_source_reports_read_as_one_block_per_source(small_trig):
    columns = ["reported_by", "source_type", "event", "stance", "killed", "displaced"]
    assert rows(small_trig, "source-reports", columns) == [
        ("Fasher Resistance Committee", "Group", DRONE, "asserts", "12", ""),
        ("International Organization for Migration", "InternationalOrganization", FLIGHT_TAWILA, "asserts", "", "40000"),
        ("International Organization for Migration", "InternationalOrganization", FLIGHT_MELLIT, "asserts", "", "5000"),
        ("Médecins Sans Frontières", "NGO", SHELLING, "asserts", "3", ""),
        ("Rapid Support Forces", "ArmedGroup", DRONE, "denies", "", ""),
        ("Sudan Doctors Network", "NGO", DRONE, "asserts", "15", ""),
        ("Sudanese Armed Forces", "StateForce", ASSAULT, "asserts", "20", ""),
    ]
    assert [r[0] for r in rows(small_trig, "source-reports", ["event"], source="iom")] == [FLIGHT_TAWILA, FLIGHT_MELLIT]


@pytest.mark.parametrize("actor", ["RSF", "rapid support forces", ID + "actor/rapid-support-forces-0b0b0002"])
def test_actor_claims_show_the_denial(small_trig, actor):
    assert rows(small_trig, "actor-claims", ["event", "stance", "quote", "sentence"], actor=actor) == [
        (DRONE, "denies", "denied carrying out the strike", "The Rapid Support Forces denied carrying out the strike.")]


def test_actor_network_has_attacks_backing_and_alliances(small_trig):
    columns = ["subject_name", "relation", "object_name", "attacks", "articles"]
    assert rows(small_trig, "actor-network", columns) == [
        ("Joint Forces", "alliedWith", "Sudanese Armed Forces", "0", ARTICLE_B),
        ("Rapid Support Forces", "attacked", "civilians", "2", ARTICLE_A),
        ("Sudanese Armed Forces", "attacked", "Rapid Support Forces", "1", ARTICLE_B),
        ("Joint Forces", "backedBy", "Sudanese Armed Forces", "0", ARTICLE_B),
    ]
    assert [r[1] for r in rows(small_trig, "actor-network", columns, actor="Joint Forces")] == ["alliedWith", "backedBy"]


def test_uncorroborated_events_have_exactly_one_asserting_source(small_trig):
    """The drone strike is asserted by two sources across the merged reports, so it is corroborated."""
    assert rows(small_trig, "uncorroborated", ["event", "type", "source", "articles"]) == [
        (FLIGHT_TAWILA, "Displacement", "International Organization for Migration", ARTICLE_A),
        (FLIGHT_MELLIT, "Displacement", "International Organization for Migration", ARTICLE_B),
        (SHELLING, "Shelling", "Médecins Sans Frontières", ARTICLE_A),
        (ASSAULT, "GroundAssault", "Sudanese Armed Forces", ARTICLE_B),
    ]


def test_provenance_of_a_merged_event_reaches_both_articles(small_trig):
    columns = ["node", "article", "publisher", "sentence_index", "start", "end", "words"]
    assert rows(small_trig, "provenance", columns, fact=DRONE) == [
        (DRONE, ARTICLE_A, "Darfur Dispatch", "0", "10", "15", "drone"),
        (ID + "claim/a1a1a1a1a1a1a1a1-10-0", ARTICLE_A, "Darfur Dispatch", "0", "119", "146", "Fasher Resistance Committee"),
        (ID + "claim/a1a1a1a1a1a1a1a1-157-1", ARTICLE_A, "Darfur Dispatch", "1", "157", "178", "Rapid Support Forces"),
        (ID + "claim/b2b2b2b2b2b2b2b2-120-0", ARTICLE_B, "Nile Wire", "1", "120", "132", "drone attack"),
        (ID + "event/b2b2b2b2b2b2b2b2-120", ARTICLE_B, "Nile Wire", "1", "120", "132", "drone attack"),
    ]


def test_provenance_of_an_entity(small_trig):
    assert rows(small_trig, "provenance", ["words", "article"], fact=ID + "actor/sudanese-armed-forces-0b0b0001") == [
        ("Sudanese army", ARTICLE_B)]


HOSTILE = 'x" || true || "'


@pytest.mark.parametrize(("name", "param"), [
    (spec.name, param.name) for spec in library().values() for param in spec.params if param.type == "string"
])
def test_a_hostile_string_parameter_returns_nothing(small_trig, name, param):
    spec = load_query(name)
    required = {p.name: "x" for p in spec.params if not p.optional and p.name != param}
    assert run(name, small_trig, {**required, param: HOSTILE}).rows == []


def test_a_hostile_iri_parameter_is_refused(small_trig):
    with pytest.raises(UsageError, match="absolute IRI"):
        run("provenance", small_trig, {"fact": "x> } UNION { ?node ?p ?o"})


@pytest.mark.parametrize(("params", "message"), [
    ({}, "needs parameter"),
    ({"place": "Sudan", "colour": "red"}, "no parameter 'colour'; expected one of: place"),
])
def test_parameters_are_checked_against_the_header(small_trig, params, message):
    with pytest.raises(UsageError, match=message):
        run("attacks-in-place", small_trig, params)


def test_a_date_parameter_must_be_a_date(small_trig):
    with pytest.raises(UsageError, match="expects a date YYYY-MM-DD, got 'last week'"):
        run("attacks-in-period", small_trig, {"since": "last week"})


def test_an_unknown_query_lists_the_valid_names():
    with pytest.raises(UsageError, match="expected one of: .*attacks-in-place") as caught:
        load_query("atacks")
    assert caught.value.exit_code == 2
