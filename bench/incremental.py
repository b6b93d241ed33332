"""Time adding one new article to an existing store, model load excluded, for several articles.

    python bench/incremental.py STORE_DIR [--adds 5]

The model and the data tables are loaded first (one warm-up article is run through
the map step, not written); then ``--adds`` articles the store has never seen are
built into it one at a time with ``builder.pipeline.build``, as ``newsgraph build
new.txt --output STORE`` would (each add is one build: its own merge and commit).
One add depends on what the article names (how many stored reports it may merge
with), so several different articles are timed.
Prints one JSON object: ``{"warm_up_seconds", "adds", "add_seconds" (the median),
"slowest_add_seconds", "articles_built"}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "bench"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time adding one article to a store.")
    parser.add_argument("store", type=Path)
    parser.add_argument("--seed", type=int, default=9_999, help="corpus seed of the new articles (not the store's)")
    parser.add_argument("--adds", type=int, default=5, help="how many different articles to add, one at a time")
    args = parser.parse_args(argv)

    from corpus import generate, write

    from builder.pipeline import build
    from builder.records import ArticleInput
    from builder.workers import process_articles, warm_up

    t0 = time.perf_counter()
    warm_up()
    warm, *new = list(generate(1 + args.adds, seed=args.seed))
    process_articles([ArticleInput(text=warm.text, source="warm-up", publisher=warm.publisher,
                                   published=warm.published)])
    try:  # the GeoNames index loads on the first place the curated gazetteer lacks: data load, not the add
        from builder.gazetteer import load_gazetteer

        load_gazetteer().lookup_place("Qaryat al-Bench")
    except ImportError:
        pass
    warm_seconds = time.perf_counter() - t0
    adds: list[float] = []
    built = 0
    for article in new:
        with tempfile.TemporaryDirectory() as tmp:
            write(iter([article]), Path(tmp))
            t1 = time.perf_counter()
            report = build([tmp], str(args.store), jobs=1, progress=False)
            adds.append(time.perf_counter() - t1)
            built += report.articles_built
    print(json.dumps({"warm_up_seconds": warm_seconds, "adds": adds, "add_seconds": statistics.median(adds),
                      "slowest_add_seconds": max(adds), "articles_built": built}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
