"""A bounded load test of ``newsgraph serve`` on 127.0.0.1: a few hundred requests from a few threads,
pathological ones mixed in. Every normal query gets its full, correct answer; every hostile one
a clear refusal or the time limit; nothing crashes, and the endpoint answers afterwards.
"""

from __future__ import annotations

import random
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "queries" / "fixtures" / "small.trig"
PREFIX = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
          "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
REQUESTS = 300
THREADS = 4
SEED = 7

NORMAL = [
    PREFIX + "SELECT ?claim ?killed WHERE { ?claim a ng:Claim OPTIONAL { ?claim ng:killed ?killed } } ORDER BY ?claim",
    PREFIX + "SELECT ?place ?name WHERE { ?place ng:locatedIn ?r ; skos:prefLabel ?name } ORDER BY ?place ?name",
    PREFIX + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e ng:location ?p }",
    PREFIX + "ASK { ?s a ng:Article }",
    PREFIX + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    PREFIX + 'SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "fasher")) } ORDER BY ?s',
]
#: (query, statuses it may get): the time limit (503) or a refusal (400/403/413), never a crash
HOSTILE = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {503}),  # cross join
    ('SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f), "aaaaaaaaaaaaaaaaaaaaaaaa!"), '
     '"^(a+)+$")) }', {200, 503}),  # catastrophic backtracking in a backtracking engine; Oxigraph's is linear
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY DESC(?c)", {503}),  # sort of a cross join
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {400}),
    ("INSERT DATA { <http://x.org/a> <http://x.org/b> <http://x.org/c> }", {400, 403}),
    ("SELECT ?s WHERE { ?s ?p }", {400}),
    ("SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(400)) + " }", {200, 503}),
]


def request(url: str, sparql: str) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({"query": sparql}).encode("ascii")
    call = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                           "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture(scope="module")
def endpoint():
    from queries.serve import start_endpoint

    with start_endpoint(str(SMALL), port=0, timeout=2.0, max_rows=50) as running:
        yield running


def test_every_normal_query_is_answered_under_load_with_hostile_ones_mixed_in(endpoint) -> None:
    expected = {q: request(endpoint.url, q) for q in NORMAL}  # answers on a quiet endpoint
    assert all(status == 200 for status, _ in expected.values())
    rng = random.Random(SEED)
    plan = [("hostile", *rng.choice(HOSTILE)) if rng.random() < 0.08 else ("normal", rng.choice(NORMAL), {200})
            for _ in range(REQUESTS)]
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(lambda item: request(endpoint.url, item[1]), plan))
    normal = [(q, a) for (kind, q, _), a in zip(plan, answers) if kind == "normal"]
    wrong = [(q[-60:], a[0], a[1][:200]) for q, a in normal if a != expected[q]]
    assert wrong == [], f"{len(wrong)} of {len(normal)} normal queries were not answered in full: {wrong[:3]}"
    hostile = [(q[:60], a[0], ok) for (kind, q, ok), a in zip(plan, answers) if kind == "hostile"]
    assert hostile and all(status in ok for _, status, ok in hostile), hostile
    assert any(status == 503 for _, status, _ in hostile)  # the time limit did cut some
    assert endpoint.process.poll() is None  # the Oxigraph server is still running
    assert request(endpoint.url, NORMAL[0]) == expected[NORMAL[0]]


def test_an_oversized_request_is_refused_unread_and_the_endpoint_goes_on(endpoint) -> None:
    import http.client

    parts = urllib.parse.urlsplit(endpoint.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(1 << 30))  # announces 1 GiB, sends none of it
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413 and b"expected at most" in response.read()
    connection.close()
    assert request(endpoint.url, NORMAL[3])[0] == 200
