"""One check shared by the query tests: a named query gives the same rows, in the same order, under both engines."""

from __future__ import annotations

from pathlib import Path

from ontology.store import open_store
from queries.runner import bind, load_query, run_query, sorted_cell


def rows_under_both_engines(graph: str, name: str, params: dict[str, str] | None = None) -> list[tuple]:
    """The query's rows through the runner (Oxigraph), after asserting rdflib gives the same rows in the same
    order with the same parameters bound."""
    spec = load_query(name)
    with open_store(graph) as store:
        oxigraph = run_query(spec, store, params or {}).rows
        rdflib_rows = [tuple(map(sorted_cell, row))
                       for row in store.dataset().query(spec.text, initBindings=bind(spec, params or {}))]
    assert oxigraph == rdflib_rows
    return oxigraph


#: the instance base of the hand-written test graphs
ID = "https://w3id.org/newsgraph/id/"


def write_graph(folder: Path, trig: str) -> str:
    """A hand-written TriG graph saved as ``folder/graph.trig``, for the runner to open."""
    path = folder / "graph.trig"
    path.write_text(trig, encoding="utf-8")
    return str(path)


def text_rows(graph: str, name: str, params: dict[str, str] | None = None, *, strip: str = "") -> list[tuple]:
    """The query's rows (checked under both engines), each cell as text, ``strip`` removed from its start."""
    return [tuple(None if t is None else str(t).removeprefix(strip) for t in row)
            for row in rows_under_both_engines(graph, name, params)]
