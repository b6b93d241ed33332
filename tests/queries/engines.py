"""One check shared by the query tests: a named query gives the same rows, in the same order, under both engines."""

from __future__ import annotations

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
