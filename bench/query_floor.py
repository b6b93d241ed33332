"""The floor under a named query's time: its own answer, kept as triples, read back as a table.

    python bench/query_floor.py STORE [NAME ...] [--repeats 3] [--json floor.json]

Each query (every named query by default) is answered through
``queries.runner.run_query`` on STORE (a store directory or graph file), with the
parameters ``bench/query_times.py`` times it with: one warm-up run, then the median
of ``--repeats`` runs, as that script reports it. Its answer is then written into a
fresh Oxigraph store directory, with nothing else in it: one blank node per row
(Oxigraph keeps short blank-node ids inline) and one triple per bound cell. The
floor is the median time to read that table back with SPARQL, in the fastest
shape found (one hash-joined subquery per column), and turn every cell into a
Python string.

So a query whose floor is over a second cannot answer in a second through
Oxigraph on this machine, even from rows computed at build time and kept in the
store; the distance between the two times is what a better query could gain.
Prints one line per query and, with ``--json``, the figures as a list of objects.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

COLUMN = "urn:newsgraph:bench:column:"


def table_query(columns: list[str]) -> str:
    """The read-back: the first column's triples, every other column joined by hashing (OPTIONAL subqueries).

    >>> print(table_query(["event", "label"]))
    SELECT ?c0 ?c1 WHERE {
      ?row <urn:newsgraph:bench:column:0> ?c0 .
      OPTIONAL { SELECT ?row ?c1 WHERE { ?row <urn:newsgraph:bench:column:1> ?c1 } }
    }
    """
    head = " ".join(f"?c{i}" for i in range(len(columns)))
    lines = [f"SELECT {head} WHERE {{", f"  ?row <{COLUMN}0> ?c0 ."]
    lines += [f"  OPTIONAL {{ SELECT ?row ?c{i} WHERE {{ ?row <{COLUMN}{i}> ?c{i} }} }}" for i in range(1, len(columns))]
    return "\n".join([*lines, "}"])


def write_table(rows: list[tuple[Any, ...]], directory: Path) -> int:
    """Keep ``rows`` (rdflib terms or None) in a new Oxigraph store at ``directory``; returns the cells written.

    A row's first cell, when unbound, is written as "" so that every row is found by the first column.
    """
    import pyoxigraph

    from ontology.rdfio import to_oxigraph

    quads = []
    for number, row in enumerate(rows, start=1):
        node = pyoxigraph.BlankNode(f"{number:x}")
        for column, value in enumerate(row):
            if value is None and column == 0:
                value = ""
            if value is not None:
                term = pyoxigraph.Literal(value) if isinstance(value, str) else to_oxigraph(value)
                quads.append(pyoxigraph.Quad(node, pyoxigraph.NamedNode(f"{COLUMN}{column}"), term))
    store = pyoxigraph.Store(str(directory))
    store.bulk_extend(quads)
    store.flush()
    del store
    return len(quads)


def read_back(store: Any, columns: list[str]) -> list[list[str | None]]:
    """The table kept in ``store`` (a pyoxigraph store), every cell as a Python string (None when unbound)."""
    return [[None if v is None else v.value for v in row] for row in store.query(table_query(columns))]


def read_table(directory: Path, columns: list[str], repeats: int) -> tuple[float, int]:
    """Median seconds (of ``repeats``, after one warm-up) to read the table back, and its rows."""
    import pyoxigraph
    from query_times import timed

    store = pyoxigraph.Store.read_only(str(directory))
    median, rows, _ = timed(lambda: len(read_back(store, columns)), repeats, slow=float("inf"))
    return median, rows


def floor(store_location: str, name: str, *, repeats: int = 3) -> dict[str, Any]:
    """The query's median time through the runner beside the floor of reading its answer back (``repeats`` each,
    after one warm-up run)."""
    from query_times import bench_params, timed

    from ontology.store import open_store
    from queries.runner import load_query, run_query

    spec = load_query(name)
    with open_store(store_location, mode="r") as store:
        params = bench_params(name, spec.example, store)
        answers: list[Any] = []  # the warm-up's answer, the one kept

        def answer() -> int:
            result = run_query(spec, store, params, timeout=3600.0, max_rows=10_000_000)
            if not answers:
                answers.append(result)
            return len(result.rows)

        seconds, _, _ = timed(answer, repeats, slow=float("inf"))  # warm-up, then the median, as query_times does
    result = answers[0]
    columns = list(result.vars)
    with tempfile.TemporaryDirectory(prefix="newsgraph-floor-") as tmp:
        cells = write_table(result.rows, Path(tmp) / "table")
        median, rows = read_table(Path(tmp) / "table", columns, repeats)
    if rows != len(result.rows):
        raise SystemExit(f"{name}: read back {rows} rows of the {len(result.rows)} written")
    return {"query": name, "params": params, "rows": rows, "columns": len(columns), "cells": cells,
            "answer_seconds": seconds, "floor_seconds": median}


def main(argv: list[str] | None = None) -> int:
    from queries.runner import library

    parser = argparse.ArgumentParser(description="Each named query's time beside the floor of reading its answer back.")
    parser.add_argument("store", help="store directory or graph file (e.g. the bench's store-large)")
    parser.add_argument("names", nargs="*", help="named queries (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    figures = []
    for name in args.names or sorted(library()):
        entry = floor(args.store, name, repeats=args.repeats)
        figures.append(entry)
        print(f"{name:24} {entry['rows']:>7} rows {entry['cells']:>8} cells  answer {entry['answer_seconds']:7.3f} s  "
              f"floor {entry['floor_seconds']:6.3f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
