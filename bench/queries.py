"""Time every named query (``queries/*.rq``) on a built store: embedded Oxigraph, then rdflib in memory.

    python bench/queries.py STORE_DIR --runs 5 [--engine oxigraph|rdflib]

Each query runs once to warm up, then ``--runs`` times; the median is reported (a query
slower than 5 s on its warm-up run is reported with that one time; ``--timeout`` caps it).
Queries run without parameters (their parameters are optional filters). Prints
one JSON object: ``{"engine", "load_seconds", "triples", "queries": {name: {"median", "rows"}}}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def named_queries() -> dict[str, str]:
    """The product's named queries, by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}


SLOW = 5.0  # seconds: a query slower than this on its warm-up run is timed once, not ``runs`` times


def _time(run: object, runs: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    rows = len(run())  # type: ignore[operator]
    first = time.perf_counter() - t0
    if first > SLOW:
        return first, rows
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), rows


def time_oxigraph(store_dir: Path, *, runs: int, timeout: float = 60.0) -> dict[str, object]:
    from ontology.store import open_store

    t0 = time.perf_counter()
    out: dict[str, object] = {}
    with open_store(str(store_dir), mode="r") as store:
        load = time.perf_counter() - t0
        for name, sparql in named_queries().items():
            try:
                median, rows = _time(lambda s=sparql: store.query(s, timeout=timeout).rows, runs)
                out[name] = {"median": median, "rows": rows}
            except Exception as err:  # noqa: BLE001 - a failing query is reported, the others still timed
                out[name] = {"error": f"{type(err).__name__}: {err}"[:300]}
        triples = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
    return {"engine": "oxigraph", "load_seconds": load, "triples": triples, "queries": out}


class _OverTime(Exception):
    """An rdflib query ran past its time limit."""


def _alarm(signum: int, frame: object) -> None:  # noqa: ARG001
    raise _OverTime


def time_rdflib(store_dir: Path, *, runs: int, timeout: float = 60.0) -> dict[str, object]:
    """rdflib's evaluator is pure Python, so a SIGALRM can stop a query that runs past ``timeout``."""
    import signal

    from ontology.store import open_store

    t0 = time.perf_counter()
    with open_store(str(store_dir), mode="r") as store:
        ds = store.dataset()
    load = time.perf_counter() - t0
    out: dict[str, object] = {}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for name, sparql in named_queries().items():
            signal.setitimer(signal.ITIMER_REAL, timeout + runs * SLOW)  # the first run gets the limit
            try:
                median, rows = _time(lambda s=sparql: list(ds.query(s)), runs)
                out[name] = {"median": median, "rows": rows}
            except _OverTime:
                out[name] = {"error": f"over the {timeout:.0f} s limit"}
            except Exception as err:  # noqa: BLE001 - a failing query is reported, the others still timed
                out[name] = {"error": f"{type(err).__name__}: {err}"[:300]}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return {"engine": "rdflib", "load_seconds": load, "triples": len(ds), "queries": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Median time of every named query on a store.")
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="give up on an Oxigraph query after this many seconds (reported as an error)")
    args = parser.parse_args(argv)
    timer = time_oxigraph if args.engine == "oxigraph" else time_rdflib
    print(json.dumps(timer(args.store, runs=args.runs, timeout=args.timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
