"""The corroboration and conflicts queries on a hand-written Hodeidah graph, and on the built seed articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ontology.store import Changeset, open_store
from queries.runner import load_query, run

HERE = Path(__file__).resolve().parent
HODEIDAH = HERE / "fixtures" / "corroboration.trig"
SEEDS = HERE.parents[2] / "shared" / "corpus" / "seeds"
ID = "https://w3id.org/newsgraph/id/"


@pytest.fixture(scope="module", params=["file", "directory"])
def hodeidah(request, tmp_path_factory) -> str:
    if request.param == "file":
        return str(HODEIDAH)
    location = str(tmp_path_factory.mktemp("corroboration") / "store")
    with open_store(str(HODEIDAH)) as origin, open_store(location, mode="w") as target:
        for graph in sorted(origin.graph_names()):
            target.apply(Changeset(replace={graph: list(origin.triples(graph))}))
    return location


def rows(name: str, location: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    result = run(name, location, params or {})
    return [{v: ("" if t is None else str(t)) for v, t in zip(result.vars, row, strict=True)} for row in result.rows]


def test_query_headers_follow_the_contract() -> None:
    for name in ("corroboration", "conflicts"):
        spec = load_query(name)
        assert spec.title and spec.description and spec.example.startswith(f"newsgraph query {name}")


def test_corroboration_columns_are_fixed(hodeidah) -> None:
    assert run("corroboration", hodeidah).vars == [
        "event", "type", "label", "figure", "value", "qualifier", "independent_sources", "outlet_count",
        "sources", "outlets", "articles"]


def test_corroboration_lists_a_figure_two_outlets_carry(hodeidah) -> None:
    found = rows("corroboration", hodeidah)
    figure = [r for r in found if r["figure"] == "displaced"]
    assert len(figure) == 1
    row = figure[0]
    assert row["event"] == ID + "event/gw-700" and row["value"] == "20000" and row["qualifier"] == "more_than"
    assert row["independent_sources"] == "1" and row["outlet_count"] == "2"
    assert sorted(row["articles"].split(" | ")) == [ID + "article/gw", ID + "article/ra"]
    assert row["sources"] == "International Organization for Migration"


def test_corroboration_counts_sources_of_a_merged_event(hodeidah) -> None:
    found = rows("corroboration", hodeidah)
    strike = [r for r in found if r["event"] == ID + "event/gw-40"]
    assert [r["figure"] for r in strike] == ["event"]  # 6 and 9 killed each have one source only
    assert strike[0]["independent_sources"] == "2"  # the coalition's denial does not confirm it
    assert sorted(strike[0]["sources"].split(" | ")) == ["Saba", "Yemeni government"]
    assert not [r for r in found if "ra-500" in r["event"]]  # one resident alone confirms nothing


def test_corroboration_minimum_is_a_parameter(hodeidah) -> None:
    assert rows("corroboration", hodeidah, {"min": "3"}) == []
    assert len(rows("corroboration", hodeidah, {"min": "1"})) > len(rows("corroboration", hodeidah))


def test_conflicts_put_different_tolls_side_by_side(hodeidah) -> None:
    found = rows("conflicts", hodeidah)
    killed = [(r["value"], r["qualifier"], r["sources"]) for r in found if r["figure"] == "killed"]
    assert killed == [("6", "at_least", "Yemeni government"), ("9", "exact", "Saba")]
    stance = {r["value"]: r["sources"] for r in found if r["figure"] == "stance"}
    assert stance["denies"] == "Saudi-led coalition"
    assert {r["event"] for r in found} == {ID + "event/gw-40"}  # the agreed displacement is no conflict


@pytest.mark.slow
def test_seed_build_corroborates_the_un_figure_with_both_articles(tmp_path) -> None:
    out = tmp_path / "graph.trig"
    cli = Path(sys.executable).with_name("newsgraph")
    done = subprocess.run([str(cli), "build", str(SEEDS), "--output", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    found = rows("corroboration", str(out))
    un = [r for r in found if r["figure"] == "displaced" and r["value"] == "500000"]
    assert len(un) == 1, found
    assert un[0]["outlet_count"] == "2" and "United Nations" in un[0]["sources"].split(" | ")
    assert len(un[0]["articles"].split(" | ")) == 2
