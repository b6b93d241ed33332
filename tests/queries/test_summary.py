"""The summary query: the short table `make demo` ends with."""

from __future__ import annotations

from queries.runner import cell, run

SMALL = "tests/queries/fixtures/small.trig"


def counts(graph: str) -> dict[str, int]:
    result = run("summary", graph, {})
    return {cell(row[0]): int(cell(row[1])) for row in result.rows}


def test_summary_counts_merged_reports_once():
    got = counts(SMALL)
    # two articles, three attacks (two drone-strike reports merged into one), two flights from Darfur towns
    assert got["articles"] == 2
    assert got["attacks"] == 3
    assert got["displacements"] == 2
    assert got["claims"] == 7
    assert got["denials"] == 1


def test_summary_agrees_with_the_attacks_and_displacements_queries():
    got = counts(SMALL)
    attacks = run("attacks", SMALL, {})
    displacements = run("displacements", SMALL, {})
    assert got["attacks"] == len({cell(r[attacks.vars.index("event")]) for r in attacks.rows})
    assert got["displacements"] == len({cell(r[displacements.vars.index("event")]) for r in displacements.rows})


def test_summary_rows_come_in_a_fixed_order():
    assert list(counts(SMALL)) == ["articles", "attacks", "displacements", "claims", "denials", "places",
                                   "actors", "sources"]
