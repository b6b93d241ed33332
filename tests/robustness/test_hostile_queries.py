"""Pathological SPARQL typed by a user into ``newsgraph query``: the time limit and the row cap hold,
on a graph file and on a store directory, and the answer says what happened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")
SMALL = ROOT / "tests" / "queries" / "fixtures" / "small.trig"

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGEX = ('SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f '
         'FILTER(REGEX(CONCAT(STR(?c), STR(?f), "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), "^(a+)+$")) } ')
SORTED_CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY DESC(STR(?i))"


def query(sparql: str, graph: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), "query", "-", "--graph", graph, *options], input=sparql, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from ontology.store import Changeset, open_store

    directory = str(tmp_path_factory.mktemp("hostile") / "store")
    with open_store(str(SMALL)) as source, open_store(directory, mode="w") as target:
        for graph in sorted(source.graph_names()):
            target.apply(Changeset(replace={graph: list(source.triples(graph))}))
    return [str(SMALL), directory]


@pytest.mark.parametrize("sparql", [CROSS_JOIN, SORTED_CROSS_JOIN])
def test_a_runaway_query_stops_at_the_time_limit(graphs: list[str], sparql: str) -> None:
    for graph in graphs:
        done = query(sparql, graph, "--timeout", "1")
        assert done.returncode == 1, done.stderr
        assert "time limit of 1 s" in done.stderr and done.stdout == ""


def test_a_regex_over_a_join_is_answered_or_stopped_never_hangs(graphs: list[str]) -> None:
    for graph in graphs:
        done = query(REGEX, graph, "--timeout", "2")
        assert done.returncode in (0, 1), done.stderr
        assert done.returncode == 0 or "time limit" in done.stderr


def test_the_row_cap_cuts_a_huge_answer_and_warns(graphs: list[str]) -> None:
    for graph in graphs:
        done = query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", graph, "--max-rows", "25", "--format", "csv")
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 1 + 25
        assert "25" in done.stderr and "row" in done.stderr
