"""What writing a build's quads costs the embedded Oxigraph store, apart from everything else.

    python bench/store_writes.py STORE_DIR [--batch 32] [--json out.json]

Every article graph of a built store is written again into fresh store directories,
``--batch`` article graphs per call, in the store's own order:

- ``extend``: one transaction per batch (``Store.extend``), what ``newsgraph build`` does;
- ``bulk_extend``: Oxigraph's bulk loader on the same quads (SST files ingested per call);
- ``bulk_load``: the bulk loader on the same quads serialised as N-Quads (the one form
  of the bulk loader that releases the GIL).

Prints one JSON object: the quads and graphs written, and for each way the wall
clock and CPU seconds (every thread of this process, RocksDB's included) and the
microseconds per quad. The bulk loader is shown for comparison only: the build
keeps transactions, because each batch also rewrites entity descriptions, and an
ingest after a transaction flushes the memtable (see the README's performance section).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def article_batches(store_dir: Path, batch: int) -> tuple[list[list[Any]], int, int]:
    """The quads of the store's article graphs, ``batch`` graphs per list (the entities graph is left out)."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_dir))
    graphs: dict[str, list[Any]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        name = quad.graph_name
        if isinstance(name, pyoxigraph.NamedNode) and "/graph/article/" in name.value:
            graphs.setdefault(name.value, []).append(quad)
    lists = list(graphs.values())
    batches = [[q for g in lists[i:i + batch] for q in g] for i in range(0, len(lists), batch)]
    return batches, sum(len(g) for g in lists), len(lists)


def timed(batches: list[list[Any]], write: Callable[[Any, list[Any]], None], quads: int) -> dict[str, float]:
    """Write every batch into a fresh store with ``write``; wall, CPU and µs per quad, flush included."""
    import pyoxigraph

    folder = Path(tempfile.mkdtemp(prefix="ng-store-writes-"))
    try:
        store = pyoxigraph.Store(str(folder / "store"))
        wall, cpu = time.perf_counter(), _cpu()
        for quads_of_batch in batches:
            write(store, quads_of_batch)
        store.flush()
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        del store
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "us_per_quad": round(1e6 * cpu / max(quads, 1), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the store writes of a build apart from everything else.")
    parser.add_argument("store", type=Path, help="an Oxigraph store directory built by newsgraph")
    parser.add_argument("--batch", type=int, default=32, help="article graphs per write (the build's commit)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    if not (args.store / "CURRENT").is_file():
        parser.error(f"{args.store} is not an Oxigraph store directory (no CURRENT file); "
                     "expected one written by `newsgraph build ... --output DIR`")
    import pyoxigraph

    nquads = pyoxigraph.RdfFormat.N_QUADS
    batches, quads, graphs = article_batches(args.store, args.batch)
    ways: dict[str, Callable[[Any, list[Any]], None]] = {
        "extend": lambda store, batch: store.extend(batch),
        "bulk_extend": lambda store, batch: store.bulk_extend(batch),
        "bulk_load": lambda store, batch: store.bulk_load(pyoxigraph.serialize(batch, format=nquads), format=nquads),
    }
    result: dict[str, Any] = {"quads": quads, "article_graphs": graphs, "batch": args.batch}
    for name, write in ways.items():
        result[name] = timed(batches, write, quads)
    text = json.dumps(result)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
