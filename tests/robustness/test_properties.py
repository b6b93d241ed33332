"""Property-based proofs (hypothesis): IRIs are always legal, and every graph file format gives back
exactly the dataset that was written, whatever the literals hold.

The exports room proves the same for exported views with arbitrary labels
(tests/queries/test_export_labels.py); these cover what the builder writes and
the stores read.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from ontology import iri
from ontology.store import Changeset, open_store

#: an IRI as newsgraph mints it: base, a kind, an ASCII slug and a hash — nothing to escape, ever
MINTED = re.compile(r"^https://w3id\.org/newsgraph/id/[a-z][a-z0-9-]*/[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$")
ILLEGAL_IN_IRI = set(' <>"{}|^`\\') | {chr(c) for c in range(0x21)}

#: any text but lone surrogates, which no RDF syntax can carry (the readers replace them, see test_bad_input)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
any_text = st.text(max_size=40)  # keys may hold anything, surrogates included: minting must not care
kinds = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
languages = st.from_regex(r"[a-z]{2,3}(-[A-Z]{2})?", fullmatch=True)
literals = st.one_of(
    texts.map(Literal),
    st.builds(lambda text, lang: Literal(text, lang=lang), texts, languages),
    st.integers(min_value=-10**30, max_value=10**30).map(Literal),
    st.builds(lambda text: Literal(text, datatype=URIRef("https://example.org/datatype")), texts),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_legal(node: URIRef) -> None:
    assert not set(str(node)) & ILLEGAL_IN_IRI, node
    pyoxigraph.NamedNode(str(node))  # Oxigraph validates IRIs strictly (RFC 3987)
    parsed = Dataset()
    parsed.parse(data=f"<{node}> <{node}> <{node}> .\n", format="nt")
    assert set(parsed.subjects()) == {node}


@FAST
@given(kind=kinds, key=st.lists(any_text, min_size=1, max_size=3))
def test_minting_is_deterministic_and_always_legal(kind: str, key: list[str]) -> None:
    minted = iri.mint(kind, *key)
    assert minted == iri.mint(kind, *key)
    assert MINTED.match(str(minted)), minted
    assert_legal(minted)


@FAST
@given(a=st.lists(any_text, min_size=1, max_size=2), b=st.lists(any_text, min_size=1, max_size=2))
def test_distinct_keys_mint_distinct_iris(a: list[str], b: list[str]) -> None:
    if a != b:
        assert iri.mint("place", *a) != iri.mint("place", *b)


@FAST
@given(text=texts, start=st.integers(0, 10**7), length=st.integers(0, 10**4), n=st.integers(0, 99))
def test_article_mention_event_and_claim_iris_are_legal(text: str, start: int, length: int, n: int) -> None:
    digest = iri.stable_hash(text, length=64)
    for node in (iri.article_iri(digest), iri.article_graph(digest), iri.mention_iri(digest, start, start + length),
                 iri.event_iri(digest, start), iri.claim_iri(digest, start, n), iri.merge_iri([text, digest])):
        assert_legal(node)
    assert iri.article_iri(digest) == iri.article_iri(digest)


def _changes(values: list[Literal]) -> Changeset:
    base = "https://w3id.org/newsgraph/id/"
    graph = URIRef(base + "graph/article/0123456789abcdef")
    subject = URIRef(base + "mention/0123456789abcdef-0-5")
    triples = [(subject, URIRef(f"https://w3id.org/newsgraph/ontology#p{i}"), v) for i, v in enumerate(values)]
    entity = URIRef(base + "place/x-00000000")
    return Changeset(replace={graph: triples},
                     upsert={iri.entities_graph(): {entity: [(entity, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
                                                              v) for v in values[:3]]}})


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld", ".ttl"])
def test_every_graph_file_format_gives_back_what_was_written(suffix: str) -> None:
    @FAST
    @given(values=st.lists(literals, min_size=1, max_size=8))
    def round_trip(values: list[Literal]) -> None:
        changes = _changes(values)
        written = {(s, p, o, g) for g, triples in changes.replace.items() for s, p, o in triples}
        written |= {(s, p, o, g) for g, by in changes.upsert.items() for ts in by.values() for s, p, o in ts}
        with tempfile.TemporaryDirectory() as folder:
            location = str(Path(folder) / f"graph{suffix}")
            with open_store(location, mode="w") as store:
                store.apply(changes)
            with open_store(location) as store:
                read = set(store.quads())
            expected = written if suffix != ".ttl" else {(s, p, o, None) for s, p, o, _ in written}
            assert read == expected
            # an independent reader (rdflib) sees the same dataset in the same file
            other = Dataset()
            other.parse(location, format={".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld",
                                          ".ttl": "turtle"}[suffix])
            seen = {(s, p, o, getattr(g, "identifier", g) if suffix != ".ttl" else None)
                    for s, p, o, g in other.quads()}
            assert seen == expected

    round_trip()
