"""WriteBehind: changesets applied by a thread of their own, in order, on real Oxigraph stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from builder.write_behind import WriteBehind
from ontology.errors import StoreError
from ontology.store import Changeset, open_store

P = URIRef("urn:test:says")


def graph(n: int) -> URIRef:
    return URIRef(f"urn:test:article/{n}")


def values(store: object, g: URIRef) -> list[str]:
    return sorted(str(o) for _, _, o in store.triples(g))  # type: ignore[attr-defined]


def test_changesets_land_in_the_order_submitted(tmp_path: Path) -> None:
    # the same graph replaced 50 times: only the last version may remain, and every other graph is whole
    with open_store(str(tmp_path / "store"), mode="w") as store, WriteBehind(store) as behind:
        for version in range(50):
            behind.submit(Changeset(replace={
                graph(0): [(URIRef("urn:test:s"), P, Literal(f"v{version}"))],
                graph(version + 1): [(URIRef("urn:test:s"), P, Literal(str(version)))],
            }), flush=version % 10 == 0)
        behind.drain()
        assert values(store, graph(0)) == ["v49"]
        assert [values(store, graph(n + 1)) for n in range(50)] == [[str(n)] for n in range(50)]


def test_drain_makes_every_submitted_write_visible(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store"), mode="w") as store, WriteBehind(store) as behind:
        for n in range(20):
            behind.submit(Changeset(replace={graph(n): [(graph(n), P, Literal(n))]}))
            behind.drain()
            assert graph(n) in store.graph_names()


def test_a_failed_write_is_raised_in_the_caller_naming_it_and_stops_later_writes(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location, mode="w") as store:
        store.apply(Changeset(replace={graph(0): [(graph(0), P, Literal("kept"))]}))
    with open_store(location, mode="r") as store:  # read-only: every write fails
        behind = WriteBehind(store)
        behind.submit(Changeset(replace={graph(1): [(graph(1), P, Literal("lost"))]}), what="article graph A")
        with pytest.raises(StoreError, match="could not write article graph A to the store"):
            behind.drain()
        with pytest.raises(StoreError, match="article graph A"):  # stays failed: a later batch is refused too
            behind.submit(Changeset(replace={graph(2): [(graph(2), P, Literal("x"))]}))
        behind.close(discard=True)
        assert store.graph_names() == {graph(0)}


def test_an_error_in_the_caller_drops_what_waits_and_keeps_what_was_written(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location, mode="w") as store:
        with pytest.raises(RuntimeError, match="stop"), WriteBehind(store) as behind:
            behind.submit(Changeset(replace={graph(0): [(graph(0), P, Literal("written"))]}))
            behind.drain()
            behind.submit(Changeset(replace={graph(1): [(graph(1), P, Literal("maybe"))]}))
            raise RuntimeError("stop")
        names = store.graph_names()
    assert graph(0) in names and names <= {graph(0), graph(1)}
    with open_store(location) as store:  # whatever landed is whole
        for g in store.graph_names():
            assert len(values(store, g)) == 1
