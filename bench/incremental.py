"""Time adding one new article to an existing store, model load excluded.

    python bench/incremental.py STORE_DIR

The model and the data tables are loaded first (one warm-up article is run through
the map step, not written); then one article the store has never seen is built into
it with ``builder.pipeline.build``, as ``newsgraph build new.txt --output STORE`` would.
Prints one JSON object: ``{"warm_up_seconds", "add_seconds", "articles_built"}``.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--seed", type=int, default=9_999, help="corpus seed of the new article (not the store's)")
    args = parser.parse_args(argv)

    from corpus import generate, write

    from builder.pipeline import build
    from builder.records import ArticleInput
    from builder.workers import process_articles, warm_up

    t0 = time.perf_counter()
    warm_up()
    warm, new = list(generate(2, seed=args.seed))
    process_articles([ArticleInput(text=warm.text, source="warm-up", publisher=warm.publisher,
                                   published=warm.published)])
    try:  # the GeoNames index loads on the first place the curated gazetteer lacks: data load, not the add
        from builder.gazetteer import load_gazetteer

        load_gazetteer().lookup_place("Qaryat al-Bench")
    except ImportError:
        pass
    warm_seconds = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        write(iter([new]), Path(tmp))
        t1 = time.perf_counter()
        report = build([tmp], str(args.store), jobs=1, progress=False)
        add_seconds = time.perf_counter() - t1
    print(json.dumps({"warm_up_seconds": warm_seconds, "add_seconds": add_seconds,
                      "articles_built": report.articles_built}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
