"""Fixtures for the query tests: the small hand-written graph in every kind of store, a real
Oxigraph server on 127.0.0.1, the newsgraph endpoint, and a loopback listener that must hear nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SMALL = HERE / "fixtures" / "small.trig"


def copy_store(source: str, target: str) -> None:
    """Copy every named graph of one store into another, one Changeset per graph."""
    from ontology.store import Changeset, open_store

    with open_store(source) as origin, open_store(target, mode="w") as destination:
        for graph in sorted(origin.graph_names()):
            destination.apply(Changeset(replace={graph: list(origin.triples(graph))}))


def _oxigraph_rows(graph: str, name: str) -> list[dict[str, str]]:
    """A named query's rows through the runner (Oxigraph), each cell as text ("" when unbound)."""
    from queries.runner import run

    result = run(name, graph)
    return [{v: "" if cell is None else str(cell) for v, cell in zip(result.vars, row)} for row in result.rows]


def _rdflib_rows(graph: str, name: str) -> list[dict[str, str]]:
    """The same query text as shipped, run by rdflib over the file's union dataset."""
    from rdflib import Dataset

    from queries.runner import load_query

    ds = Dataset(default_union=True)
    ds.parse(graph, format="trig")
    result = ds.query(load_query(name).text)
    return [{str(v): "" if row[i] is None else str(row[i]) for i, v in enumerate(result.vars)} for row in result]


@pytest.fixture(params=["oxigraph-runner", "rdflib"])
def rows(request):  # noqa: ANN201 - a function (graph, query name) -> rows as dicts, one per engine
    """Run a named query on a graph file under each engine in turn: tests using it hold both to one answer."""
    return {"oxigraph-runner": _oxigraph_rows, "rdflib": _rdflib_rows}[request.param]


@pytest.fixture(scope="session")
def small_trig() -> str:
    return str(SMALL)


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory) -> str:
    """The small graph in an embedded Oxigraph store directory."""
    location = str(tmp_path_factory.mktemp("stores") / "small-store")
    copy_store(str(SMALL), location)
    return location


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real read-write ``oxigraph serve`` on a free loopback port; yields its base URL."""
    from queries.serve import free_port, oxigraph_binary

    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    from queries.serve import _wait_listening

    try:
        _wait_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def small_sparql(oxigraph_server) -> str:
    """The small graph loaded into the Oxigraph server through SPARQL Update; yields the query URL."""
    url = f"{oxigraph_server}/query"
    copy_store(str(SMALL), url)
    return url


@pytest.fixture(scope="session")
def endpoint(small_trig):
    """``newsgraph serve`` on the small graph (free port, 1.5 s time limit, 50-row cap)."""
    from queries.serve import start_endpoint

    with start_endpoint(small_trig, port=0, timeout=1.5, max_rows=50) as running:
        yield running


