"""build(): the whole pipeline end to end, with the real model and real stores.

Expected rows come from examples/README.md (facts written down with the example
articles) and from the seed articles in ../shared/corpus/seeds.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from rdflib import Dataset

from builder.pipeline import BuildReport, build
from ontology import iri
from ontology.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
QUERIES = ROOT / "queries"

ARTICLE_A = ("KHARTOUM - Shelling hit a crowded market in Omdurman on Monday, killing at least 14 people, "
             "local health officials said. The Rapid Support Forces denied firing on the market.")
ARTICLE_B = ("KYIV - A Russian missile struck an apartment block in Dnipro on Friday, killing five people, "
             "Ukrainian emergency services said. Emergency services in Dnipro said rescuers were still searching.")


def nquads(location: str) -> list[str]:
    """The dataset at ``location`` as sorted N-Quads lines (the byte-level comparison of two builds)."""
    with open_store(location) as store:
        text = store.dataset().serialize(format="nquads")
    return sorted(line for line in text.splitlines() if line.strip())


def rows(location: str, name: str) -> list[dict[str, str]]:
    """Run a contract query through the queries runner (as ``newsgraph query`` does); cells as CSV text."""
    from newsgraph import api

    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in api.query(name, graph=location)]


def rdflib_rows(location: str, name: str) -> list[tuple[str, ...]]:
    """The same query evaluated by rdflib over the store's union dataset, as sorted tuples of text."""
    with open_store(location) as store:
        ds: Dataset = store.dataset()
    result = ds.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    return sorted(tuple("" if v is None else str(v) for v in row) for row in result)


def write(folder: Path, name: str, text: str, *, publisher: str = "Test Wire", published: str = "2024-05-06") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    (folder / f"{path.stem}.meta.json").write_text(
        f'{{"publisher": "{publisher}", "published": "{published}", "language": "en"}}', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def examples_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, BuildReport]:
    out = str(tmp_path_factory.mktemp("examples") / "graph.trig")
    return out, build([str(EXAMPLES)], out, progress=False)


def test_examples_build_clean(examples_graph: tuple[str, BuildReport]) -> None:
    _, report = examples_graph
    assert report.clean, report
    assert report.articles_built == report.articles_read >= 8
    assert report.triples > 1000


def test_examples_graph_conforms_to_the_shapes_and_the_ontology(examples_graph: tuple[str, BuildReport]) -> None:
    from newsgraph import api

    out, _ = examples_graph
    report = api.validate(out, reason=False)
    assert report.conforms, report.text()


def test_examples_one_place_for_two_spellings_of_maarat(examples_graph: tuple[str, BuildReport]) -> None:
    out, _ = examples_graph
    maarat = [r for r in rows(out, "places") if "maar" in (r["name"] + r["aliases"]).lower()]
    assert len(maarat) == 1, maarat
    assert {"Maarat al-Numan", "Maaret al-Numan"} <= {maarat[0]["name"], *maarat[0]["aliases"].split(" | ")}


def test_examples_conflicting_tolls_are_two_rows_of_one_event(examples_graph: tuple[str, BuildReport]) -> None:
    out, _ = examples_graph
    market = [r for r in rows(out, "attacks") if r["date"] == "2025-02-09" and "Maar" in r["place"]]
    assert {(r["killed"], r["killed_qualifier"]) for r in market} >= {("8", "at_least"), ("11", "exact")}
    assert len({r["event"] for r in market}) == 1


def test_examples_every_contract_query_has_its_columns(examples_graph: tuple[str, BuildReport]) -> None:
    out, _ = examples_graph
    expected = {
        "places": "place,name,type,aliases,latitude,longitude,geonames_id,wikidata_id,located_in,articles",
        "actors": "actor,name,type,aliases,wikidata_id,backed_by,articles",
        "sources": "source,name,type,claims,articles",
        "attacks": "event,type,label,place,latitude,longitude,date,date_text,perpetrators,targets,weapon,"
                   "killed,killed_qualifier,injured,injured_qualifier,sources,articles",
        "displacements": "event,count,qualifier,origin,destination,period_start,period_end,period_text,sources,articles",
    }
    for name, columns in expected.items():
        got = rows(out, name)
        assert got, name
        assert ",".join(got[0]) == columns


@pytest.mark.parametrize("name", ["places", "actors", "sources", "attacks", "displacements"])
def test_contract_queries_give_the_same_rows_in_oxigraph_and_rdflib(examples_graph: tuple[str, BuildReport],
                                                                   name: str) -> None:
    out, _ = examples_graph
    oxigraph = sorted(tuple(r.values()) for r in rows(out, name))
    assert len(oxigraph) == len(rdflib_rows(out, name)) > 0


@pytest.mark.parametrize("name", ["attacks-by-perpetrator", "attacks-in-period"])
def test_joined_cells_survive_a_value_missing_in_some_rows(examples_graph: tuple[str, BuildReport],
                                                           name: str) -> None:
    # an attack with one unlabelled target (or perpetrator) once emptied the whole joined cell in Oxigraph
    # and stopped rdflib with NotBoundError: the cell joins what is there instead
    out, _ = examples_graph
    oxigraph = sorted(tuple(r.values()) for r in rows(out, name))
    assert len(oxigraph) == len(rdflib_rows(out, name)) > 0


def test_examples_publishers_are_sources(examples_graph: tuple[str, BuildReport]) -> None:
    out, _ = examples_graph
    names = {r["name"] for r in rows(out, "sources")}
    assert {"Reuters", "Associated Press", "Al Jazeera", "Middle East Eye", "The Irrawaddy", "Xinhua"} <= names


def test_seeds_saraqeb_market_strike_and_un_displacement(tmp_path: Path) -> None:
    out = str(tmp_path / "seeds.trig")
    report = build([str(SEEDS)], out, progress=False)
    assert report.clean and report.articles_built == 2
    saraqeb = [r for r in rows(out, "attacks") if "Saraqeb" in r["place"]]
    assert [(r["killed"], r["killed_qualifier"], r["date"]) for r in saraqeb] == [("8", "at_least", "2019-12-21")]
    half_million = [r for r in rows(out, "displacements") if r["count"] == "500000"]
    assert len(half_million) == 1 and half_million[0]["qualifier"] == "more_than"
    assert len(half_million[0]["articles"].split(" | ")) == 2


def test_build_is_order_independent_to_the_byte(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    b = write(tmp_path / "in", "b.txt", ARTICLE_B)
    forward, backward = str(tmp_path / "f.nq"), str(tmp_path / "b.nq")
    build([str(a), str(b)], forward, progress=False)
    build([str(b), str(a)], backward, progress=False)
    assert nquads(forward) == nquads(backward)
    assert len(nquads(forward)) > 50


def test_incremental_add_into_store_equals_building_both(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    b = write(tmp_path / "in", "b.txt", ARTICLE_B)
    step, whole = str(tmp_path / "step"), str(tmp_path / "whole")
    build([str(a)], step, progress=False)
    build([str(b)], step, progress=False)
    build([str(a), str(b)], whole, progress=False)
    assert nquads(step) == nquads(whole)


def test_readding_an_article_replaces_it(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    once, twice = str(tmp_path / "once"), str(tmp_path / "twice")
    build([str(a)], once, progress=False)
    build([str(a)], twice, progress=False)
    report = build([str(a)], twice, progress=False, rebuild=True)
    assert (report.articles_built, report.articles_unchanged) == (1, 0)
    assert nquads(once) == nquads(twice)


def test_an_article_the_store_holds_unchanged_is_not_processed_again(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    b = write(tmp_path / "in", "b.txt", ARTICLE_B)
    store = str(tmp_path / "store")
    build([str(a)], store, progress=False)
    before = nquads(store)
    report = build([str(a), str(b)], store, progress=False)
    assert (report.articles_read, report.articles_built, report.articles_unchanged) == (2, 1, 1)
    assert "1 unchanged" in report.summary()
    whole = str(tmp_path / "whole.nq")
    build([str(a), str(b)], whole, progress=False)
    assert nquads(store) == nquads(whole)
    assert set(before) - set(nquads(store)) == set()  # nothing of a was rewritten away
    again = build([str(tmp_path / "in")], store, progress=False)
    assert (again.articles_built, again.articles_unchanged) == (0, 2)
    assert nquads(store) == nquads(whole)


def test_changed_metadata_processes_the_article_again(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A, publisher="Test Wire")
    store = str(tmp_path / "store")
    build([str(a)], store, progress=False)
    a = write(tmp_path / "in", "a.txt", ARTICLE_A, publisher="Sudan Tribune")
    report = build([str(a)], store, progress=False)
    assert (report.articles_built, report.articles_unchanged) == (1, 0)
    fresh = str(tmp_path / "fresh.nq")
    build([str(a)], fresh, progress=False)
    assert nquads(store) == nquads(fresh)
    assert any("Sudan Tribune" in line for line in nquads(store))


def test_an_article_written_by_another_build_is_processed_again(tmp_path: Path) -> None:
    from rdflib import Literal

    from builder.records import ArticleInput
    from ontology.namespace import NG
    from ontology.store import Changeset

    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    store = str(tmp_path / "store")
    build([str(a)], store, progress=False)
    expected = nquads(store)
    graph = iri.article_graph(ArticleInput(text=ARTICLE_A, source="").content_hash)
    with open_store(store, mode="w") as s:
        triples = [t for t in s.triples(graph) if t[1] != NG.buildKey]
        article = next(t[0] for t in triples if t[1] == NG.contentHash)
        s.apply(Changeset(replace={graph: [*triples, (article, NG.buildKey, Literal("0" * 64))]}))
    assert nquads(store) != expected
    report = build([str(a)], store, progress=False)
    assert (report.articles_built, report.articles_unchanged) == (1, 0)
    assert nquads(store) == expected


def test_identical_article_twice_in_one_batch_is_skipped(tmp_path: Path) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    copy = tmp_path / "in" / "copy.txt"
    shutil.copy(a, copy)
    report = build([str(a), str(copy)], str(tmp_path / "g.trig"), progress=False)
    assert (report.articles_built, report.articles_skipped) == (1, 1)


def test_bad_file_is_quarantined_while_the_good_one_is_built(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "good.txt", ARTICLE_A)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    out = str(tmp_path / "g.trig")
    report = build([str(folder)], out, progress=False)
    assert (report.articles_built, report.articles_quarantined) == (1, 1)
    assert report.quarantine_path == f"{out}.quarantine.jsonl"
    assert "empty.txt" in Path(report.quarantine_path).read_text(encoding="utf-8")
    assert any(line.startswith(f"<{iri.DEFAULT_BASE}article/") for line in nquads(out))


@pytest.mark.slow
def test_two_jobs_build_the_same_graph_as_one(tmp_path: Path) -> None:
    one, two = str(tmp_path / "one.nq"), str(tmp_path / "two.nq")
    build([str(EXAMPLES)], one, progress=False)
    build([str(EXAMPLES)], two, jobs=2, progress=False)
    assert nquads(one) == nquads(two)


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real read-write ``oxigraph serve`` on a free loopback port (union default graph); yields its query URL."""
    from queries.serve import free_port, oxigraph_binary

    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {process.returncode}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_incremental_build_into_a_sparql_server_equals_a_file_build(tmp_path: Path, oxigraph_server: str) -> None:
    a = write(tmp_path / "in", "a.txt", ARTICLE_A)
    b = write(tmp_path / "in", "b.txt", ARTICLE_B)
    whole = str(tmp_path / "whole.nq")
    build([str(a)], oxigraph_server, progress=False)
    build([str(b)], oxigraph_server, progress=False)
    build([str(a)], oxigraph_server, progress=False)  # re-added: replaced, not doubled
    build([str(a), str(b)], whole, progress=False)
    assert nquads(oxigraph_server) == nquads(whole)


HAJJAH_A = ("SANAA - Coalition air strikes hit a market in Hajjah on Tuesday, killing at least 12 people, "
            "Houthi-run health officials said.")
HAJJAH_B = ("ADEN (Gulf Monitor) - An air strike struck a crowded market in Hajjah on Tuesday, killing 12 civilians, "
            "the Yemeni health ministry said.")


def resolution(location: str) -> list[str]:
    graph = f"<{iri.resolution_graph()}>"
    return [line for line in nquads(location) if line.endswith(f"{graph} .")]


def test_incremental_merges_one_article_at_a_time_equal_a_whole_build(tmp_path: Path) -> None:
    """Each add reads back only the stored events that can merge with its own and rewrites only their clusters."""
    seeds = sorted(SEEDS.glob("*.txt"))
    hajjah = [write(tmp_path / "in", "hajjah-a.txt", HAJJAH_A, published="2024-05-08"),
              write(tmp_path / "in", "hajjah-b.txt", HAJJAH_B, publisher="Gulf Monitor", published="2024-05-08")]
    steps = [*seeds, *hajjah]
    step, whole = str(tmp_path / "step"), str(tmp_path / "whole")
    reports = [build([str(p)], step, progress=False) for p in steps]
    final = build([str(p) for p in steps], whole, progress=False)
    assert nquads(step) == nquads(whole)
    assert resolution(step)  # the seeds' UN 500,000 is one event: merging happened across adds
    assert reports[-1].merges == final.merges  # counts of the whole resolution graph, as a full build gives
    half_million = [r for r in rows(step, "displacements") if r["count"] == "500000"]
    assert len(half_million) == 1 and len(half_million[0]["articles"].split(" | ")) == 2


def test_incremental_merge_reads_back_only_candidates(tmp_path: Path) -> None:
    from builder.stored_events import merge_candidates, stored_clusters, stored_event_summaries

    out = str(tmp_path / "store")
    build([str(write(tmp_path / "in", "a.txt", ARTICLE_A)), str(write(tmp_path / "in", "b.txt", ARTICLE_B))],
          out, progress=False)
    with open_store(out) as store:
        every = stored_event_summaries(store, base=iri.DEFAULT_BASE)
        omdurman = [e for e in every if any("omdurman" in k for k in e.location_chain)]
        assert omdurman and len(omdurman) < len(every)
        stored = merge_candidates(store, omdurman, base=iri.DEFAULT_BASE)
        assert {str(e) for e in stored} == {e.iri for e in omdurman}  # Dnipro, four days later, is no candidate
        assert stored_clusters(store, stored, base=iri.DEFAULT_BASE) == []
        again = stored_event_summaries(store, base=iri.DEFAULT_BASE, events=stored)
        assert sorted(again, key=lambda e: e.iri) == sorted(omdurman, key=lambda e: e.iri)


def test_a_store_built_before_mentioned_in_is_upgraded_by_the_next_build(tmp_path: Path) -> None:
    """A store without ng:mentionedIn (built by an earlier newsgraph) gets it when articles are added to it."""
    import pyoxigraph

    from builder.writer import upgrade

    paths = [str(write(tmp_path / "in", name, text)) for name, text in
             (("a.txt", ARTICLE_A), ("b.txt", ARTICLE_B), ("hajjah.txt", HAJJAH_A))]
    old, whole = str(tmp_path / "old"), str(tmp_path / "whole")
    build(paths[:2], old, progress=False)
    build(paths, whole, progress=False)
    raw = pyoxigraph.Store(old)
    raw.update("DELETE WHERE { GRAPH ?g { ?node <https://w3id.org/newsgraph/ontology#mentionedIn> ?article } }")
    raw.flush()
    del raw
    with open_store(old) as store:
        assert not store.query("ASK { ?node <https://w3id.org/newsgraph/ontology#mentionedIn> ?a }").boolean
    build(paths[2:], old, progress=False)
    assert nquads(old) == nquads(whole)
    with open_store(old) as store:
        assert upgrade(store) == 0  # a current store costs two ASKs


SARAQEB = "BEIRUT - Air strikes hit the town of Saraqeb on Monday, killing six people, rescuers said."
IDLIB = "DAMASCUS - Air strikes hit Idlib province on Monday, killing nine people, a war monitor said."
ALEPPO = "AMMAN - Air strikes hit Aleppo on Monday, killing four people, rescuers said."


def test_incremental_merge_candidates_share_a_place_not_only_a_day(tmp_path: Path) -> None:
    """A stored attack on the same day is a candidate only at a place of the new one's chain or inside its place."""
    from builder.stored_events import merge_candidates, stored_event_summaries

    out = str(tmp_path / "store")
    build([str(write(tmp_path / "in", f"{name}.txt", text, published="2024-05-07"))
           for name, text in (("saraqeb", SARAQEB), ("idlib", IDLIB), ("aleppo", ALEPPO))], out, progress=False)
    with open_store(out) as store:
        every = {e.location: e for e in stored_event_summaries(store, base=iri.DEFAULT_BASE) if e.location}
        town, province, aleppo = (next(e for k, e in every.items() if name in k)
                                  for name in ("saraqeb", "idlib", "aleppo"))
        assert province.location in town.location_chain and town.date == province.date == aleppo.date
        assert {str(e) for e in merge_candidates(store, [town], base=iri.DEFAULT_BASE)} == {town.iri, province.iri}
        assert {str(e) for e in merge_candidates(store, [province], base=iri.DEFAULT_BASE)} == {town.iri, province.iri}
        assert {str(e) for e in merge_candidates(store, [aleppo], base=iri.DEFAULT_BASE)} == {aleppo.iri}


SUNDAY = "BEIRUT - Air strikes hit the town of Saraqeb on Sunday, killing six people, rescuers said."
SUNDAY_TOO = "ISTANBUL - Air strikes hit Saraqeb on Sunday, killing six civilians, activists said."
MONDAY = "DAMASCUS - Air strikes hit the town of Saraqeb on Monday, killing seven people, a war monitor said."
TUESDAY = "AMMAN - Air strikes hit the town of Saraqeb on Tuesday, killing five people, residents said."


def test_replacing_an_article_that_bridged_a_cluster_dissolves_it_as_a_whole_build_would(tmp_path: Path) -> None:
    """Sunday's and Tuesday's strikes are two days apart, too far to merge; Monday's report bridges them into
    one event. Re-added a week later (its Monday is the 13th), it bridges nothing: the stored cluster is
    dissolved and its other members compared again (the two Sunday reports stay one event), without
    re-merging the whole store."""
    folder = tmp_path / "in"
    paths = [str(write(folder, f"{name}.txt", text, published="2024-05-07")) for name, text in
             (("sunday", SUNDAY), ("sunday-too", SUNDAY_TOO), ("monday", MONDAY), ("tuesday", TUESDAY))]
    store, fresh, back = str(tmp_path / "store"), str(tmp_path / "fresh"), str(tmp_path / "back")
    build(paths, store, progress=False)
    bridged = [r for r in rows(store, "attacks") if "Saraqeb" in r["place"]]
    assert len({r["event"] for r in bridged}) == 1 and len(resolution(store)) > 0
    later = write(folder, "monday.txt", MONDAY, published="2024-05-14")
    report = build([str(later)], store, progress=False)
    assert (report.articles_built, report.merges) == (1, 1)
    build(paths, fresh, progress=False)
    assert nquads(store) == nquads(fresh)
    assert len({r["event"] for r in rows(store, "attacks") if "Saraqeb" in r["place"]}) == 3
    # and back: the re-added Monday report joins the two again
    write(folder, "monday.txt", MONDAY, published="2024-05-07")
    assert build([str(later)], store, progress=False).merges == 1
    build(paths, back, progress=False)
    assert nquads(store) == nquads(back)


@pytest.mark.parametrize("name", ["idlib-market-airstrike-reuters", "maaret-al-numan-exodus-mee"])
def test_an_example_corrected_in_place_equals_a_whole_build(tmp_path: Path, name: str) -> None:
    """An article re-dated by 400 days under another outlet's name is replaced in a store of six wars:
    its entities' labels and descriptions, and every cluster its reports were in, as a whole build has them."""
    import json

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    store, fresh = str(tmp_path / "store"), str(tmp_path / "fresh")
    build([str(folder)], store, progress=False)
    before = resolution(store)
    meta = folder / f"{name}.meta.json"
    fields = json.loads(meta.read_text(encoding="utf-8"))
    published = date.fromisoformat(fields["published"]) + timedelta(days=400)
    meta.write_text(json.dumps({**fields, "publisher": "Corrections Desk", "published": published.isoformat()}),
                    encoding="utf-8")
    report = build([str(folder)], store, progress=False)
    assert report.articles_built == 1 and report.articles_unchanged == report.articles_read - 1
    build([str(folder)], fresh, progress=False)
    assert nquads(store) == nquads(fresh)
    assert resolution(store) != before  # the new dates moved its reports out of the cluster they were in


def test_a_build_of_several_commits_equals_the_same_articles_added_in_two_builds(tmp_path: Path) -> None:
    """Entities named in several batches are described once at their first commit and rewritten when they
    change; an incremental build reads those descriptions back. Every way ends with the same dataset."""
    from tests.robustness.articles import corpus

    batch = 8
    paths = corpus(tmp_path / "in", 2 * batch + 3)  # three commits; the same six scenes told three times
    split = batch + 2
    whole, step, fresh = str(tmp_path / "whole.nq"), str(tmp_path / "step"), str(tmp_path / "fresh")
    report = build([str(tmp_path / "in")], whole, progress=False, batch=batch)
    build([str(p) for p in paths[:split]], step, progress=False, batch=batch)
    build([str(p) for p in paths[split:]], step, progress=False, batch=batch)
    build([str(tmp_path / "in")], fresh, progress=False, batch=batch)
    assert report.articles_built == len(paths)
    assert nquads(step) == nquads(whole) == nquads(fresh)


def test_a_rerun_merges_the_reports_a_build_stopped_before_its_merge_step_left(tmp_path: Path) -> None:
    """A build killed between its last commit and its merge leaves reports no cluster holds; the rerun writes
    fewer articles than the store has (the others are unchanged), so it would merge its own reports only. The
    store is marked from a build's first commit to its merge, and a marked store is merged whole."""
    from tests.robustness.articles import corpus

    paths = corpus(tmp_path / "in", 12)  # six scenes told twice: every report has one to merge with
    whole, store = str(tmp_path / "whole.nq"), str(tmp_path / "store")
    build([str(tmp_path / "in")], whole, progress=False)
    build([str(p) for p in paths[:10]], store, progress=False, merge=False)  # as if killed before merging
    with open_store(store) as opened:
        assert opened.query("PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?g ng:mergePending true }").boolean
    report = build([str(tmp_path / "in")], store, progress=False)
    assert (report.articles_built, report.articles_unchanged) == (2, 10)
    assert nquads(store) == nquads(whole)  # the merges of all twelve, and no mark left


def test_examples_added_one_file_at_a_time_equal_a_whole_build(tmp_path: Path) -> None:
    """Every label, description and merge an incremental add writes (reading back only what it must: no
    surface counts for a curated entity or for one whose stored label is the only surface written again)
    equals the whole build's, over six wars' worth of entities."""
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html", ".jsonl"))
    step, whole = str(tmp_path / "step"), str(tmp_path / "whole")
    for path in files:
        build([str(path)], step, progress=False)
    build([str(p) for p in files], whole, progress=False)
    assert nquads(step) == nquads(whole)


def test_a_commit_batch_below_one_article_is_refused(tmp_path: Path) -> None:
    from ontology.errors import UsageError

    with pytest.raises(UsageError, match="batch must be at least 1 article per commit, got 0"):
        build([str(EXAMPLES)], str(tmp_path / "g.nq"), progress=False, batch=0)


def test_a_replaced_graph_leaves_the_label_count_only_if_its_surfaces_are_read_back() -> None:
    """The stored label is kept without reading the store only when the re-added article wrote it at least as
    often as the version it replaces did; otherwise the counts are read and the old version's are left out."""
    from collections import Counter

    from rdflib import Literal, URIRef

    from builder.assemble import EntityDescription
    from builder.writer import EntityState

    brigade, brigades = Literal("Foo Brigade", lang="en"), Literal("Foo Brigades", lang="en")
    old, other = URIRef("urn:graph:old"), URIRef("urn:graph:other")
    described = EntityDescription(iri=URIRef("urn:actor:foo"), kind="actor", cls="ArmedGroup", name_key="foo",
                                  curated_label=None)
    reads: list[int] = []

    def state(written: int) -> EntityState:
        def read() -> dict[URIRef, Counter[Literal]]:
            reads.append(1)
            return {old: Counter({brigade: 3}), other: Counter({brigades: 2})}

        s = EntityState(description=described, stored_surfaces=None, read_surfaces=read, stored_label=brigade)
        s.drop(old, Counter({brigade: 3}))
        s.built[brigade] += written
        return s

    assert state(3).label(described) == brigade and reads == []  # 3 written again for 3 dropped: still ahead
    assert state(1).label(described) == brigades and reads == [1]  # 1 for 3: "Foo Brigades" (2) leads


@pytest.mark.parametrize(("change", "remerged"), [({"title": "Corrected headline"}, False),
                                                  ({"published": "2026-03-17"}, True)])
def test_a_re_added_article_is_merged_again_only_when_its_reports_changed(tmp_path: Path, change: dict,
                                                                           remerged: bool) -> None:
    """A new headline leaves the article's reports as the store summarised them: their clusters stay as they
    are, untouched. A new date moves them: they leave their clusters and are merged again."""
    import json

    from builder.writer import Writer
    from builder.quarantine import Quarantine
    from builder.read import iter_articles
    from builder.workers import process_articles

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    store = str(tmp_path / "store")
    build([str(folder)], store, progress=False)
    meta = folder / "idlib-market-airstrike-reuters.meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text(encoding="utf-8")), **change}), encoding="utf-8")
    (article,) = iter_articles([str(folder / "idlib-market-airstrike-reuters.txt")], quarantine=Quarantine())
    (outcome,) = process_articles([article])
    with open_store(store, mode="w") as opened, Writer(opened, base=iri.DEFAULT_BASE) as writer:
        writer.write(outcome)
        assert bool(writer.replaced) == remerged and bool(writer.events) == remerged
        writer.commit()
        writer.merge_events()
    fresh = str(tmp_path / "fresh")
    build([str(folder)], fresh, progress=False)
    assert nquads(store) == nquads(fresh)


KIRYAT_A = ("KIRYAT SHMONA, Israel - A rocket fired from Lebanon hit a house in Kiryat Shmona on Tuesday, "
            "killing two people, Israeli police said.")
QIRYAT_B = ("BEIRUT - Hezbollah said it fired rockets at Qiryat Shmona on Wednesday. Residents of Qiryat Shmona "
            "said sirens sounded for an hour. Israeli police said no one was hurt in Qiryat Shmona.")


def place_labels(location: str, latitude: str) -> set[str]:
    return {r["name"] for r in rows(location, "places") if r["latitude"].startswith(latitude)}


def test_a_town_only_geonames_knows_is_labelled_as_the_articles_spell_it(tmp_path: Path) -> None:
    """GeoNames' transliteration ("Qiryat Shmona") is not the label when the articles write "Kiryat Shmona";
    the dateline's capitals count for the same name. The label follows the counts as articles are added,
    and an add equals a whole build."""
    folder = tmp_path / "in"
    a = write(folder, "a.txt", KIRYAT_A, published="2024-02-13")
    b = write(folder, "b.txt", QIRYAT_B, published="2024-02-14")
    step, whole = str(tmp_path / "step"), str(tmp_path / "whole")
    build([str(a)], step, progress=False)
    assert place_labels(step, "33.2") == {"Kiryat Shmona"}  # GeoNames' own coordinates, the article's name
    build([str(b)], step, progress=False)  # written three times as GeoNames spells it: now the most written
    build([str(a), str(b)], whole, progress=False)
    assert place_labels(step, "33.2") == {"Qiryat Shmona"}
    assert nquads(step) == nquads(whole)
