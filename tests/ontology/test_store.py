"""ontology/store.py: the store API on files and Oxigraph directories (the SPARQL server kind is in tests/queries)."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from ontology.errors import DiskFullError, InputError, QueryError, StoreLockedError, UsageError
from ontology.store import Changeset, open_dataset, open_store

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "queries" / "fixtures" / "small.trig"
BASE = "https://w3id.org/newsgraph/id/"
NG = "https://w3id.org/newsgraph/ontology#"
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
ENTITIES = URIRef(BASE + "graph/entities")
ARTICLE_A = URIRef(BASE + "graph/article/aaaaaaaaaaaaaaaa")
ARTICLE_B = URIRef(BASE + "graph/article/bbbbbbbbbbbbbbbb")
TAIZ = URIRef(BASE + "place/taiz-00000001")
HOUTHIS = URIRef(BASE + "actor/houthis-00000002")
EVENT = URIRef(BASE + "event/aaaaaaaaaaaaaaaa-10")
LOCATION = URIRef(NG + "location")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

LOCATIONS = ["graph.trig", "graph.nq", "graph.jsonld", "store"]


def article_changes(label: str = "Shelling in Taiz, 2023-03-02") -> Changeset:
    return Changeset(
        replace={ARTICLE_A: [(EVENT, LABEL, Literal(label)), (EVENT, LOCATION, TAIZ)]},
        upsert={ENTITIES: {TAIZ: [(TAIZ, SKOS_PREF, Literal("Taiz"))],
                           HOUTHIS: [(HOUTHIS, SKOS_PREF, Literal("Houthis"))]}},
    )


def count(store) -> int:
    return len(store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows)


@pytest.mark.parametrize("name", LOCATIONS)
def test_apply_then_reopen_gives_the_same_graphs(tmp_path, name):
    location = str(tmp_path / name)
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
    with open_store(location) as store:
        assert store.graph_names() == {ARTICLE_A, ENTITIES}
        assert set(store.triples(ENTITIES, [TAIZ])) == {(TAIZ, SKOS_PREF, Literal("Taiz"))}
        assert count(store) == 4


@pytest.mark.parametrize("name", LOCATIONS)
def test_applying_again_replaces_and_upserts_without_duplicates(tmp_path, name):
    location = str(tmp_path / name)
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
        store.apply(article_changes())
    with open_store(location, mode="w") as store:  # a later incremental build
        store.apply(Changeset(
            replace={ARTICLE_A: [(EVENT, LABEL, Literal("Shelling in Taiz, 2023-03-03"))],
                     ARTICLE_B: [(HOUTHIS, URIRef(NG + "anchorOf"), Literal("Houthis"))]},
            upsert={ENTITIES: {TAIZ: [(TAIZ, SKOS_PREF, Literal("Ta'izz"))]}},
        ))
    with open_store(location) as store:
        assert set(store.triples(ARTICLE_A)) == {(EVENT, LABEL, Literal("Shelling in Taiz, 2023-03-03"))}
        assert set(store.triples(ENTITIES)) == {(TAIZ, SKOS_PREF, Literal("Ta'izz")),
                                                (HOUTHIS, SKOS_PREF, Literal("Houthis"))}
        assert store.graph_names() == {ARTICLE_A, ARTICLE_B, ENTITIES}
        assert count(store) == 4


def test_a_bad_term_in_a_changeset_changes_nothing(tmp_path):
    location = str(tmp_path / "store")
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
        bad = Changeset(replace={ARTICLE_A: []}, upsert={ENTITIES: {TAIZ: [(TAIZ, SKOS_PREF, URIRef("not an iri"))]}})
        with pytest.raises(InputError, match="not an iri"):
            store.apply(bad)
        assert count(store) == 4


def test_turtle_output_keeps_only_the_union_and_says_so(tmp_path, caplog):
    location = str(tmp_path / "graph.ttl")
    with caplog.at_level(logging.WARNING, logger="newsgraph.store"):
        with open_store(location, mode="w") as store:
            store.apply(article_changes())
    assert "only the union" in caplog.text
    with open_store(location) as store:
        assert store.graph_names() == set()
        assert len(store.query("SELECT * WHERE { ?s ?p ?o }").rows) == 4


@pytest.mark.parametrize("name", ["graph.trig", "store"])
def test_a_second_writer_fails_at_once(tmp_path, name):
    location = str(tmp_path / name)
    with open_store(location, mode="w"):
        with pytest.raises(StoreLockedError, match="is in use") as caught:
            open_store(location, mode="w")
    assert caught.value.exit_code == 75
    with open_store(location, mode="w"):  # the lock is released on close
        pass


def test_a_writer_in_another_process_locks_out_writers_and_readers(tmp_path, hold_writer_lock):
    location = str(tmp_path / "store")
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
    holder = hold_writer_lock(location)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLockedError):
            open_store(location, mode="w")
        with pytest.raises(StoreLockedError):
            open_store(location, mode="r")
    finally:
        holder.communicate("done\n", timeout=30)
    with open_store(location) as store:
        assert count(store) == 4


def test_a_failure_mid_write_leaves_the_old_file(tmp_path):
    """The file-size limit makes the write fail half way (EFBIG): the old file stays, no temp file is left."""
    location = tmp_path / "graph.trig"
    with open_store(str(location), mode="w") as store:
        store.apply(article_changes())
    before = location.read_bytes()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from rdflib import Literal, URIRef
        from ontology.errors import DiskFullError
        from ontology.store import Changeset, open_store
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        graph = URIRef("https://w3id.org/newsgraph/id/graph/article/cccccccccccccccc")
        big = [(URIRef(f"https://w3id.org/newsgraph/id/mention/c-{{i}}"), URIRef("https://w3id.org/newsgraph/ontology#anchorOf"),
                Literal("x" * 200)) for i in range(2000)]
        store = open_store({str(location)!r}, mode="w")
        store.apply(Changeset(replace={{graph: big}}))
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 4096}, resource.RLIM_INFINITY))
        try:
            store.close()
        except DiskFullError as err:
            print("DiskFullError", err.exit_code)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["DiskFullError", "73"], done.stderr
    assert location.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.trig.lock", "graph.trig"]


def test_reading_a_missing_file_or_unknown_suffix_fails_clearly(tmp_path):
    from ontology.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing.trig"))
    (tmp_path / "graph.xyz").write_text("x")
    with pytest.raises(UsageError, match=r"\.trig"):
        open_store(str(tmp_path / "graph.xyz"))


def test_rdfxml_with_a_doctype_is_refused(tmp_path):
    laughs = tmp_path / "ontology.owl"
    entities = "".join(f'<!ENTITY lol{i} "&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};">' for i in range(1, 12))
    laughs.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY lol0 "lol">' + entities + ']>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol11;</ex:p></rdf:Description></rdf:RDF>'
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        open_store(str(laughs))


def test_jsonld_with_a_remote_context_is_refused_without_fetching(tmp_path, listener):
    document = tmp_path / "graph.jsonld"
    document.write_text(
        '{"@context": "http://127.0.0.1:%d/context.jsonld", "@id": "http://example.org/a", "name": "x"}' % listener.port
    )
    with pytest.raises(InputError, match="remote"):
        open_store(str(document))
    with pytest.raises(InputError, match="remote"):
        open_dataset(str(document))
    assert listener.connections == 0


@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:{port}/graph.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/graph.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
])
def test_service_and_from_are_refused_and_nothing_is_contacted(tmp_path, listener, sparql):
    query = sparql.replace("{port}", str(listener.port))
    with open_store(str(SMALL)) as store:
        with pytest.raises(QueryError, match="refused"):
            store.query(query)
    dataset = open_dataset(str(SMALL))
    with pytest.raises(QueryError, match="refused"):
        dataset.query(query)
    from rdflib.plugins.sparql import prepareQuery

    with pytest.raises(QueryError, match="refused"):
        dataset.query(prepareQuery(query))
    with pytest.raises(QueryError, match="refused"):
        dataset.update(f"LOAD <http://127.0.0.1:{listener.port}/graph.ttl>")
    assert listener.connections == 0


@pytest.mark.parametrize("sparql", [
    'SELECT ?s WHERE { ?s ?p "SERVICE <http://x/> FROM" } # SERVICE',
    "PREFIX from: <http://example.org/> SELECT ?from WHERE { ?from from:service ?service }",
])
def test_the_words_in_strings_comments_and_names_are_not_mistaken_for_keywords(sparql):
    with open_store(str(SMALL)) as store:
        assert store.query(sparql).rows == []


def test_updates_are_refused_by_query():
    with open_store(str(SMALL)) as store:
        with pytest.raises(QueryError, match="update"):
            store.query("DELETE WHERE { ?s ?p ?o }")


def test_the_row_cap_cuts_and_says_so():
    with open_store(str(SMALL)) as store:
        result = store.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5
    assert result.truncated


def test_the_time_limit_stops_waiting_for_a_cross_join(tmp_path):
    location = str(tmp_path / "graph.nq")
    triples = [(URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)) for i in range(2500)]
    with open_store(location, mode="w") as store:
        store.apply(Changeset(replace={ARTICLE_A: triples}))
    with open_store(location) as store:
        with pytest.raises(QueryError, match="time limit"):
            store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y FILTER(STR(?x) < STR(?y)) }",
                        timeout=0.05)
        assert store.query("ASK { ?s ?p ?o }").boolean is True


def test_bindings_are_terms_not_text():
    with open_store(str(SMALL)) as store:
        hostile = store.query("SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }",
                              {"name": Literal('x" || true || "')})
        assert hostile.rows == []
        found = store.query("SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }",
                            {"name": Literal("Mellit")})
        assert found.rows == [(URIRef(BASE + "place/mellit-0a0a0005"),)]


def test_dataset_is_a_union_rdflib_dataset():
    with open_store(str(SMALL)) as store:
        dataset = store.dataset()
        distinct = len(store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }").rows)
        quads = len(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
    assert dataset.default_union
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert URIRef(BASE + "graph/entities") in names
    assert (len(dataset), sum(1 for _ in dataset.quads())) == (distinct, quads) == (315, 319)


def test_open_dataset_over_a_store_directory_queries_with_oxigraph(tmp_path):
    location = str(tmp_path / "store")
    with open_store(str(SMALL)) as source, open_store(location, mode="w") as target:
        for graph in source.graph_names():
            target.apply(Changeset(replace={graph: list(source.triples(graph))}))
    dataset = open_dataset(location)
    rows = list(dataset.query("SELECT ?name WHERE { ?p <https://w3id.org/newsgraph/ontology#locatedIn> ?r . "
                              "?r <http://www.w3.org/2004/02/skos/core#prefLabel> ?name } ORDER BY ?name"))
    assert [str(r[0]) for r in rows] == ["El Fasher", "North Darfur", "North Darfur", "North Darfur", "Sudan"]
    with pytest.raises(StoreLockedError):  # the dataset holds the readers' lock
        open_store(location, mode="w")


def test_an_output_that_cannot_be_created_exits_73(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(DiskFullError) as caught:
        open_store(str(blocker / "graph.trig"), mode="w")
    assert caught.value.exit_code == 73


@pytest.mark.parametrize("name", LOCATIONS)
def test_replacing_a_graph_with_nothing_removes_the_graph(tmp_path, name):
    location = str(tmp_path / name)
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
        store.apply(Changeset(replace={ARTICLE_A: []}))
        assert store.graph_names() == {ENTITIES}
    with open_store(location) as store:
        assert store.graph_names() == {ENTITIES}
        assert count(store) == 2


@pytest.mark.parametrize("name", LOCATIONS)
def test_a_graph_replaced_and_upserted_at_once_holds_the_upserted_subjects_new_triples(tmp_path, name):
    """The order of the operations: replace the graph whole, then drop and rewrite each upserted subject."""
    location = str(tmp_path / name)
    with open_store(location, mode="w") as store:
        store.apply(article_changes())
        store.apply(Changeset(
            replace={ENTITIES: [(TAIZ, SKOS_PREF, Literal("Taiz")), (TAIZ, LABEL, Literal("old")),
                                (HOUTHIS, SKOS_PREF, Literal("Ansar Allah"))]},
            upsert={ENTITIES: {TAIZ: [(TAIZ, SKOS_PREF, Literal("Ta'izz"))]}},
        ))
    with open_store(location) as store:
        assert set(store.triples(ENTITIES)) == {(TAIZ, SKOS_PREF, Literal("Ta'izz")),
                                                (HOUTHIS, SKOS_PREF, Literal("Ansar Allah"))}


@pytest.mark.parametrize("name", ["graph.trig", "store"])
def test_prepared_triples_land_in_the_graph_they_are_written_to(tmp_path, name):
    from ontology.rdfio import PreparedTriples

    prepared = PreparedTriples([(EVENT, LABEL, Literal("Shelling in Taiz"))], ARTICLE_A)
    with open_store(str(tmp_path / name), mode="w") as store:
        store.apply(Changeset(replace={ARTICLE_A: prepared, ARTICLE_B: prepared}))
        assert set(store.triples(ARTICLE_B)) == set(store.triples(ARTICLE_A)) == set(prepared)


@pytest.mark.parametrize("name", ["graph.trig", "store"])
def test_a_batch_of_prepared_articles_and_new_entities_is_one_write(tmp_path, name):
    # the writer's batch: new article graphs as N-Quads text, new entity descriptions as triples
    # (one with a blank node, which loading text would rename), then one of the articles again
    from rdflib import BNode

    from ontology.rdfio import PreparedTriples

    located = URIRef(NG + "locatedIn")
    a = PreparedTriples([(EVENT, LABEL, Literal("Shelling in Taiz")), (EVENT, SKOS_PREF, Literal("x\ny"))], ARTICLE_A)
    b = PreparedTriples([(EVENT, LABEL, Literal("Shelling in Taiz", lang="en"))], ARTICLE_B)
    entities = {TAIZ: [(TAIZ, SKOS_PREF, Literal("Taiz")), (TAIZ, located, BNode("region"))]}
    with open_store(str(tmp_path / name), mode="w") as store:
        store.apply(Changeset(replace={ARTICLE_A: a, ARTICLE_B: b}, upsert={ENTITIES: entities}))
        assert set(store.triples(ARTICLE_A)) == set(a) and len(set(a)) == 2
        assert set(store.triples(ARTICLE_B)) == set(b)
        assert set(store.triples(ENTITIES)) == set(entities[TAIZ])  # the blank node keeps its name
        again = PreparedTriples([(EVENT, LABEL, Literal("Shelling in Taiz city"))], ARTICLE_A)
        store.apply(Changeset(replace={ARTICLE_A: again}))  # an article added again replaces its graph
        assert set(store.triples(ARTICLE_A)) == set(again)
        assert len(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows) == 4


@pytest.mark.parametrize("name", ["graph.trig", "store"])
def test_an_upsert_removes_a_subjects_triples_with_blank_nodes(tmp_path, name):
    from rdflib import BNode

    located = URIRef(NG + "locatedIn")
    with open_store(str(tmp_path / name), mode="w") as store:
        store.apply(Changeset(replace={ENTITIES: [(TAIZ, located, BNode("region")), (TAIZ, SKOS_PREF, Literal("Taiz"))]}))
        store.apply(Changeset(upsert={ENTITIES: {TAIZ: [(TAIZ, SKOS_PREF, Literal("Taiz"))]}}))
        assert set(store.triples(ENTITIES)) == {(TAIZ, SKOS_PREF, Literal("Taiz"))}


@pytest.mark.parametrize("triple", [
    (Literal("a literal subject"), SKOS_PREF, Literal("x")),
    (TAIZ, Literal("a literal predicate"), Literal("x")),
    (TAIZ, URIRef("not an iri"), Literal("x")),
])
def test_a_triple_no_store_can_hold_is_an_input_error_and_changes_nothing(tmp_path, triple):
    with open_store(str(tmp_path / "store"), mode="w") as store:
        store.apply(article_changes())
        with pytest.raises(InputError, match="not a valid RDF"):
            store.apply(Changeset(replace={ARTICLE_B: [(EVENT, LABEL, Literal("fine")), triple]}))
        assert store.graph_names() == {ARTICLE_A, ENTITIES}
        assert count(store) == 4
