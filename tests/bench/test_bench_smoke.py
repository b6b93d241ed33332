"""The benchmark scripts still run end to end (on a tiny corpus) and print every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def _corpus():  # noqa: ANN202 - the bench folder is scripts, not a package
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import corpus

    return corpus


@pytest.mark.parametrize("seed", [0, 11])
def test_corpus_is_deterministic_distinct_and_nested(seed: int) -> None:
    corpus = _corpus()
    ten = list(corpus.generate(10, seed=seed))
    assert [a.text for a in corpus.generate(10, seed=seed)] == [a.text for a in ten]
    assert [a.text for a in corpus.generate(4, seed=seed)] == [a.text for a in ten[:4]]
    assert len({a.text for a in ten}) == 10
    assert all(a.words > 100 and "{" not in a.text and ",," not in a.text for a in ten)


@pytest.mark.parametrize("war", ["Syria", "Yemen", "Ukraine", "Sudan", "Myanmar", "Gaza"])
def test_corpus_covers_every_war(war: str) -> None:
    corpus = _corpus()
    assert any(a.war == war for a in corpus.generate(200, seed=0))


@pytest.mark.parametrize("fmt", ["txt", "jsonl"])
def test_corpus_writes_sidecars_or_json_lines(tmp_path: Path, fmt: str) -> None:
    corpus = _corpus()
    target = tmp_path / ("c.jsonl" if fmt == "jsonl" else "c")
    n, words = corpus.write(corpus.generate(3, seed=1), target, fmt=fmt)
    assert n == 3 and words > 300
    if fmt == "jsonl":
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert [set(r) >= {"text", "publisher", "published"} for r in rows] == [True] * 3
    else:
        assert len(list(target.rglob("*.txt"))) == 3
        assert len(list(target.rglob("*.meta.json"))) == 3


@pytest.mark.slow
def test_bench_run_prints_every_figure_on_a_tiny_corpus(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--small", "5", "--large", "8", "--runs", "1",
         "--workdir", str(tmp_path / "work"), "--json", str(tmp_path / "figures.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert {"machine", "corpus", "bare", "build", "overhead", "linear", "parallel", "memory", "queries",
            "incremental", "replace", "rerun"} <= lines, result.stdout
    figures = json.loads((tmp_path / "figures.json").read_text())["figures"]
    assert all(value > 0 for value in figures.values()), figures
    # bare nlp.pipe runs the model's rules as the build does, else a faster build of the model would pass as
    # less overhead (a bench run whose baseline kept spaCy's ruler reported --jobs 1 0.86)
    bare = json.loads((tmp_path / "figures.json").read_text())["bare"]
    assert bare["needed_attribute_ruler"] == bare["needed_attribute_ruler_j2"] == "IndexedAttributeRuler", bare
    queries = json.loads((tmp_path / "figures.json").read_text())["queries_oxigraph"]["queries"]
    assert queries
    # the examples of these two name things of examples/; the bench looks their parameters up in the
    # store (bench/data/query_params.toml), so they time a real answer, not an empty one
    for name in ("provenance", "source-reports"):
        assert queries[name]["rows"] > 0, (name, queries[name])
    incremental = json.loads((tmp_path / "figures.json").read_text())["incremental"]
    assert len(incremental["adds"]) == 5 and incremental["articles_built"] == 5, incremental
    assert len(incremental["replaces"]) == 3 and incremental["articles_replaced"] == 3, incremental
    rerun = json.loads((tmp_path / "figures.json").read_text())["rerun"]
    assert (rerun["articles_read"], rerun["articles_unchanged"], rerun["articles_built"]) == (8, 8, 0), rerun


@pytest.mark.slow
def test_store_writes_times_every_way_of_writing_a_built_store(tmp_path: Path) -> None:
    from builder.pipeline import build

    corpus = _corpus()
    corpus.write(corpus.generate(6, seed=3), tmp_path / "in")
    report = build([str(tmp_path / "in")], str(tmp_path / "store"), progress=False)
    assert report.articles_built == 6
    result = subprocess.run(
        [sys.executable, str(BENCH / "store_writes.py"), str(tmp_path / "store"), "--batch", "4",
         "--json", str(tmp_path / "writes.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads((tmp_path / "writes.json").read_text())
    assert figures["article_graphs"] == 6 and figures["quads"] > 6 * 50, figures
    for way in ("extend", "bulk_extend", "bulk_load"):
        assert figures[way]["seconds"] > 0 and figures[way]["us_per_quad"] > 0, figures


def test_store_writes_refuses_a_folder_that_is_no_store(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(BENCH / "store_writes.py"), str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "is not an Oxigraph store directory (no CURRENT file)" in result.stderr


def test_the_build_feeds_nlp_pipe_the_batches_the_baseline_parses() -> None:
    """A map chunk is one whole ``nlp.pipe`` batch of the size bench/baseline.py parses with.

    Chunks of 8 articles under a batch size of 16 gave spaCy batches of 8, which parse 6 % slower
    than 16 (400 bench texts: 12.8 s against 12.1 s): the overhead figure charged that to the build.
    """
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import baseline

    from builder.pipeline import BATCH, CHUNK

    assert CHUNK == baseline.build_batch_size(), (CHUNK, baseline.build_batch_size())
    assert BATCH % CHUNK == 0, (BATCH, CHUNK)


def _query_floor():  # noqa: ANN202 - the bench folder is scripts, not a package
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import query_floor

    return query_floor


def test_query_floor_reads_back_the_table_it_keeps(tmp_path: Path) -> None:
    """The floor is only a floor if it reads the whole answer: every row, every cell, nothing more."""
    import pyoxigraph
    from rdflib import Literal, URIRef

    query_floor = _query_floor()
    rows = [(URIRef("https://x/e1"), Literal("Idlib | Maarat al-Numan"), Literal(12), None),
            (None, Literal("Aleppo"), None, Literal("2024-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))),
            (URIRef("https://x/e3"), None, None, None)]
    cells = query_floor.write_table(rows, tmp_path / "table")
    assert cells == 7  # the six bound cells and the unbound first cell of row 2, kept as ""
    store = pyoxigraph.Store.read_only(str(tmp_path / "table"))
    back = query_floor.read_back(store, ["event", "place", "killed", "date"])
    assert sorted(back, key=str) == sorted([["https://x/e1", "Idlib | Maarat al-Numan", "12", None],
                                            ["", "Aleppo", None, "2024-01-02"],
                                            ["https://x/e3", None, None, None]], key=str)


@pytest.mark.slow
def test_query_floor_times_each_answer_beside_its_floor(tmp_path: Path) -> None:
    from builder.pipeline import build

    corpus = _corpus()
    corpus.write(corpus.generate(6, seed=3), tmp_path / "in")
    assert build([str(tmp_path / "in")], str(tmp_path / "store"), progress=False).articles_built == 6
    result = subprocess.run(
        [sys.executable, str(BENCH / "query_floor.py"), str(tmp_path / "store"), "attacks", "source-reports",
         "--repeats", "1", "--json", str(tmp_path / "floor.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = {entry["query"]: entry for entry in json.loads((tmp_path / "floor.json").read_text())}
    assert set(figures) == {"attacks", "source-reports"}
    for entry in figures.values():
        assert entry["rows"] > 0 and entry["cells"] >= entry["rows"], entry
        assert entry["answer_seconds"] > 0 and entry["floor_seconds"] > 0, entry
    assert figures["attacks"]["columns"] == 17 and figures["source-reports"]["params"]["source"], figures
