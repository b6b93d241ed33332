"""Time adding one new article to an existing store, model load excluded, for several articles.

    python bench/incremental.py STORE_DIR [--adds 5] [--replaces 3]

The model and the data tables are loaded first (one warm-up article is run through
the map step, not written); then ``--adds`` articles the store has never seen are
built into it one at a time with ``builder.pipeline.build``, as ``newsgraph build
new.txt --output STORE`` would (each add is one build: its own merge and commit).
One add depends on what the article names (how many stored reports it may merge
with), so several different articles are timed.
Then ``--replaces`` articles the store already holds (the first of the corpus it was
built from, ``--store-seed``) are built into it again under another publisher's name, so
each is processed again and replaces its stored graph, one build each: its reports summarise
differently (the outlet is part of a report's summary), so the stored clusters they were in
are dissolved and merged again.
Prints one JSON object: ``{"warm_up_seconds", "adds", "add_seconds" (the median),
"slowest_add_seconds", "articles_built", "replaces", "replace_seconds" (the median),
"articles_replaced"}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
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
    parser.add_argument("--replaces", type=int, default=3,
                        help="how many stored articles to build again under another publisher, one at a time")
    parser.add_argument("--store-seed", type=int, default=0, help="corpus seed the store was built from")
    args = parser.parse_args(argv)

    from corpus import generate

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
    adds, built = _one_at_a_time(new, args.store)
    stored = [replace(a, publisher="Bench Corrections Desk") for a in generate(args.replaces, seed=args.store_seed)]
    replaces, replaced = _one_at_a_time(stored, args.store)
    print(json.dumps({"warm_up_seconds": warm_seconds, "adds": adds, "add_seconds": statistics.median(adds),
                      "slowest_add_seconds": max(adds), "articles_built": built, "replaces": replaces,
                      "replace_seconds": statistics.median(replaces) if replaces else None,
                      "articles_replaced": replaced}))
    return 0


def _one_at_a_time(articles: list, store: Path) -> tuple[list[float], int]:
    """Build each article into ``store`` on its own, as ``newsgraph build one.txt -o STORE``: seconds, articles built."""
    from corpus import write

    from builder.pipeline import build

    seconds: list[float] = []
    built = 0
    for article in articles:
        with tempfile.TemporaryDirectory() as tmp:
            write(iter([article]), Path(tmp))
            t1 = time.perf_counter()
            report = build([tmp], str(store), jobs=1, progress=False)
            seconds.append(time.perf_counter() - t1)
            built += report.articles_built
    return seconds, built


if __name__ == "__main__":
    sys.exit(main())
