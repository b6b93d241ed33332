"""Median time of every named query, with its header's example parameters (or values from the store).

    python bench/query_times.py STORE_DIR [--rdflib SLICE_DIR] [--repeats 5] [--json out.json]

Each query in ``queries/*.rq`` runs with the ``--param`` values of its ``# example:`` line
(those ``bench/data/query_params.toml`` names are looked up in the store instead: an example
naming something the store lacks would time an empty answer), through
``queries.runner.run_query`` on ``ontology.store.open_store(STORE_DIR)`` (embedded Oxigraph):
one warm-up run, then ``repeats`` timed runs, median reported. With ``--rdflib``, the same
queries run on an rdflib in-memory ``Dataset`` (default graph = union) loaded from a smaller
store (rdflib is one to two orders of magnitude slower; its size is reported beside the figures).
A query slower than ``--slow`` seconds on its warm-up run is timed that once; one over
``--timeout`` is reported as an error.

``bench/run.py`` may call :func:`measure_queries` and :func:`measure_queries_rdflib`.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SLOW = 5.0
LOOKUPS = Path(__file__).with_name("data") / "query_params.toml"


def example_params(example: str) -> dict[str, str]:
    """The ``--param NAME=VALUE`` pairs of a header's example command line.

    >>> example_params("newsgraph query attacks-in-place --graph g.trig --param place=Idlib --param 'q=a b'")
    {'place': 'Idlib', 'q': 'a b'}
    """
    words = shlex.split(example) if example else []
    pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "--param"]
    pairs += [word.split("=", 1)[1] for word in words if word.startswith("--param=")]
    out: dict[str, str] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name] = value
    return out


def bench_params(name: str, example: str, store: Any, lookups: Path = LOOKUPS) -> dict[str, str]:
    """The parameters a query is timed with: its header's example, with the values ``lookups``
    (bench/data/query_params.toml) finds in ``store`` instead, so a query is not timed on an empty answer."""
    import tomllib

    params = example_params(example)
    for param, sparql in tomllib.loads(lookups.read_text(encoding="utf-8")).get(name, {}).items():
        rows = store.query(sparql).rows
        if rows and rows[0] and rows[0][0] is not None:
            params[param] = str(rows[0][0])
    return params


def timed(run: Callable[[], int], repeats: int, slow: float = SLOW) -> tuple[float, int, list[float]]:
    """Median seconds of ``repeats`` calls of ``run`` after one warm-up call (only the warm-up when it took over
    ``slow`` seconds), what the warm-up returned (the rows), and the samples."""
    t0 = time.perf_counter()
    rows = run()
    first = time.perf_counter() - t0
    if first > slow:
        return first, rows, [first]
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), rows, samples


def _specs(library_dir: str | Path | None) -> dict[str, Any]:
    """The named queries: the shipped library, or the ``.rq`` files of ``library_dir`` (to time other versions)."""
    from queries.runner import library, spec_from_text

    if library_dir is None:
        return library()
    return {p.stem: spec_from_text(p.read_text(encoding="utf-8"), name=p.stem, path=str(p))
            for p in sorted(Path(library_dir).glob("*.rq"))}


def measure_queries(store_dir: str | Path, *, repeats: int = 5, timeout: float = 60.0,
                    slow: float = SLOW, names: list[str] | None = None,
                    library_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Every named query on the embedded Oxigraph store at ``store_dir``: one dict per query
    with ``query``, ``engine``, ``params``, ``median`` (s), ``samples``, ``rows`` (or ``error``).

    Each query runs in its own process, killed after ``timeout`` seconds: a query given up
    inside a process keeps running in its thread and would slow every later measurement."""
    out: list[dict[str, Any]] = []
    for name, spec in sorted(_specs(library_dir).items()):
        if names and name not in names:
            continue
        params = example_params(spec.example)
        entry: dict[str, Any] = {"query": name, "engine": "oxigraph", "params": params}
        command = [sys.executable, __file__, str(store_dir), "--one", name, "--repeats", str(repeats),
                   "--slow", str(slow)]
        if library_dir is not None:
            command += ["--library", str(library_dir)]
        out.append(_measured(entry, command, timeout=timeout, grace=15))
    return out


def _measured(entry: dict[str, Any], command: list[str], *, timeout: float, grace: float) -> dict[str, Any]:
    """Run one query's measurement in its own process; a hung or failed one is recorded, not fatal."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout + grace, check=False)
    except subprocess.TimeoutExpired:
        entry["error"] = f"over the {timeout} s limit (killed)"
        return entry
    if done.returncode == 0 and done.stdout.strip():
        entry.update(json.loads(done.stdout.strip().splitlines()[-1]))
    else:
        entry["error"] = (done.stderr.strip().splitlines() or ["failed"])[-1][:300]
    return entry


def _measure_one(store_dir: str | Path, name: str, *, repeats: int, slow: float,
                 library_dir: str | Path | None = None) -> dict[str, Any]:
    from ontology.store import open_store
    from queries.runner import run_query

    spec = _specs(library_dir)[name]
    with open_store(str(store_dir), mode="r") as store:
        params = bench_params(name, spec.example, store)
        median, rows, samples = timed(lambda: len(run_query(spec, store, params, timeout=3600.0).rows), repeats, slow)
    return {"median": median, "rows": rows, "samples": samples, "params": params}


def measure_queries_rdflib(store_dir: str | Path, *, repeats: int = 3, timeout: float = 120.0, slow: float = SLOW,
                           names: list[str] | None = None,
                           library_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """The same on an rdflib in-memory ``Dataset`` (default graph = union) copied from ``store_dir``,
    each query in its own process (killed after ``timeout`` s, the copy not counted)."""
    out: list[dict[str, Any]] = []
    for name, spec in sorted(_specs(library_dir).items()):
        if names and name not in names:
            continue
        entry: dict[str, Any] = {"query": name, "engine": "rdflib", "params": example_params(spec.example)}
        command = [sys.executable, __file__, str(store_dir), "--one", name, "--engine", "rdflib",
                   "--repeats", str(repeats), "--slow", str(slow)]
        if library_dir is not None:
            command += ["--library", str(library_dir)]
        out.append(_measured(entry, command, timeout=timeout, grace=120))
    return out


def _measure_one_rdflib(store_dir: str | Path, name: str, *, repeats: int, slow: float,
                        library_dir: str | Path | None = None) -> dict[str, Any]:
    from ontology.store import open_store
    from queries.runner import bind

    spec = _specs(library_dir)[name]
    with open_store(str(store_dir), mode="r") as store:
        dataset = store.dataset()
        params = bench_params(name, spec.example, store)
    bindings = bind(spec, params)
    median, rows, samples = timed(lambda: len(list(dataset.query(spec.text, initBindings=bindings))), repeats, slow)
    return {"median": median, "rows": rows, "samples": samples, "params": params}


def store_size(store_dir: str | Path) -> dict[str, int]:
    """Quads and articles in a store."""
    from ontology.store import open_store

    with open_store(str(store_dir), mode="r") as store:
        quads = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
        articles = int(store.query("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
                                   "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ng:Article }").rows[0][0])
    return {"quads": quads, "articles": articles}


def _fmt(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "-"
    if "error" in entry:
        return "error"
    return f"{entry['median']:.3f}" + ("*" if len(entry.get("samples", [])) == 1 else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Median time of every named query (example parameters).")
    parser.add_argument("store", type=Path, help="the large Oxigraph store directory (bench/scale_store.py)")
    parser.add_argument("--rdflib", type=Path, default=None, help="a smaller store to time with rdflib in memory")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--slow", type=float, default=SLOW)
    parser.add_argument("--query", action="append", default=None, help="only this query (repeatable)")
    parser.add_argument("--library", type=Path, default=None,
                        help="time the .rq files of this folder instead of queries/ (e.g. an older version)")
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph", help=argparse.SUPPRESS)
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)  # one query, in a child process
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    args = parser.parse_args(argv)
    if args.one and args.engine == "rdflib":
        print(json.dumps(_measure_one_rdflib(args.store, args.one, repeats=args.repeats, slow=args.slow,
                                             library_dir=args.library)))
        return 0
    if args.one:
        print(json.dumps(_measure_one(args.store, args.one, repeats=args.repeats, slow=args.slow,
                                      library_dir=args.library)))
        return 0
    size = store_size(args.store)
    ox = measure_queries(args.store, repeats=args.repeats, timeout=args.timeout, slow=args.slow, names=args.query,
                         library_dir=args.library)
    report: dict[str, Any] = {"oxigraph": {"store": str(args.store), **size, "queries": ox}}
    rd: dict[str, dict[str, Any]] = {}
    if args.rdflib:
        rows = measure_queries_rdflib(args.rdflib, repeats=min(args.repeats, 3), timeout=args.rdflib_timeout,
                                      slow=args.slow, names=args.query, library_dir=args.library)
        report["rdflib"] = {"store": str(args.rdflib), **store_size(args.rdflib), "queries": rows}
        rd = {e["query"]: e for e in rows}
    print(f"Oxigraph: {size['articles']} articles, {size['quads']} quads"
          + (f"; rdflib: {report['rdflib']['articles']} articles, {report['rdflib']['quads']} quads" if rd else ""))
    print(f"{'query':28} {'oxigraph s':>11} {'rows':>7} {'rdflib s':>10} {'rows':>7}")
    for entry in ox:
        other = rd.get(entry["query"])
        print(f"{entry['query']:28} {_fmt(entry):>11} {entry.get('rows', ''):>7} {_fmt(other):>10} "
              f"{(other or {}).get('rows', ''):>7}")
        if "error" in entry:
            print(f"    {entry['error']}")
        elif entry.get("rows") == 0 and entry.get("params"):
            # a parameter that names nothing times an empty answer, not the query's real work
            print(f"    0 rows: the header's example {entry['params']} matches nothing in this store")
    worst = max((e.get("median", float("inf")) for e in ox), default=0.0)
    print(f"slowest Oxigraph median {worst:.3f} s (target < 1 s); * = timed once (slower than {args.slow} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
