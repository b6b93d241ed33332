"""The read-only SPARQL endpoint (``newsgraph serve``) over HTTP, with real clients."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
          "SELECT ?claim ?killed WHERE { ?claim a ng:Claim OPTIONAL { ?claim ng:killed ?killed } } ORDER BY ?claim")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def get(endpoint, sparql: str, accept: str = "application/sparql-results+json"):
    return http(endpoint.url + "?" + urllib.parse.urlencode({"query": sparql}), headers={"Accept": accept})


def test_sparqlwrapper_reads_json_results(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint.url)
    client.setQuery(CLAIMS)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert len(bindings) == 7
    assert {b["killed"]["value"] for b in bindings if "killed" in b} == {"3", "12", "15", "20"}


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_get_and_both_kinds_of_post(endpoint, method):
    accept = {"Accept": "application/sparql-results+json"}
    if method == "GET":
        status, _, body = get(endpoint, CLAIMS)
    elif method == "POST-form":
        status, _, body = http(endpoint.url, data=urllib.parse.urlencode({"query": CLAIMS}).encode(),
                               headers={**accept, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, _, body = http(endpoint.url, data=CLAIMS.encode(),
                               headers={**accept, "Content-Type": "application/sparql-query"})
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 7


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values",
                                    "application/sparql-results+json"])
def test_every_result_format_carries_the_same_rows(endpoint, accept):
    status, headers, body = get(endpoint, CLAIMS, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(accept)
    text = body.decode("utf-8")
    if accept.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        results = ET.fromstring(text).findall(".//r:result", ns)
        claims = [r.find("r:binding[@name='claim']/r:uri", ns).text for r in results]
    elif accept == "text/csv":
        table = list(csv.reader(io.StringIO(text)))
        assert table[0] == ["claim", "killed"]
        claims = [row[0] for row in table[1:]]
    elif accept == "text/tab-separated-values":
        lines = text.splitlines()
        assert lines[0] == "?claim\t?killed"
        claims = [line.split("\t")[0].strip("<>") for line in lines[1:]]
    else:
        claims = [b["claim"]["value"] for b in json.loads(text)["results"]["bindings"]]
    assert len(claims) == 7
    assert claims == sorted(claims)
    assert claims[0] == "https://w3id.org/newsgraph/id/claim/a1a1a1a1a1a1a1a1-10-0"


def test_ask_and_construct(endpoint):
    status, _, body = get(endpoint, "ASK { ?s a <https://w3id.org/newsgraph/ontology#Merge> }")
    assert (status, json.loads(body)["boolean"]) == (200, True)
    status, headers, body = get(endpoint, "CONSTRUCT WHERE { ?s a <https://w3id.org/newsgraph/ontology#Merge> }",
                                "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert body.decode().strip().endswith("<https://w3id.org/newsgraph/ontology#Merge> .")


@pytest.mark.parametrize(("path", "data", "content_type", "method"), [
    ("/update", "INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }", "application/sparql-update", "POST"),
    ("/query", "INSERT DATA { <http://a.example/s> <http://a.example/p> 1 }", "application/sparql-update", "POST"),
    ("/query", "update=" + urllib.parse.quote("DROP ALL"), "application/x-www-form-urlencoded", "POST"),
    ("/query", "DELETE WHERE { ?s ?p ?o }", "application/sparql-query", "POST"),
    ("/store", "<http://a.example/s> <http://a.example/p> 1 .", "application/n-triples", "PUT"),
    ("/query?update=" + urllib.parse.quote("CLEAR ALL"), None, None, "GET"),
])
def test_updates_are_forbidden(endpoint, path, data, content_type, method):
    base = endpoint.url.rsplit("/query", 1)[0]
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, body = http(base + path, data=data.encode() if data else None, headers=headers, method=method)
    assert status == 403, body
    status, _, body = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "319"  # quads: the union keeps a triple once per graph


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/g.ttl> WHERE {{ ?s ?p ?o }}",
])
def test_service_and_from_are_refused_and_nothing_is_contacted(endpoint, listener, template):
    status, _, body = get(endpoint, template.format(port=listener.port))
    assert status == 400
    assert b"refused" in body
    assert listener.connections == 0


def test_the_row_cap_holds_and_says_so(endpoint):
    status, headers, body = get(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200
    assert headers.get("X-Newsgraph-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    _, headers, _ = get(endpoint, CLAIMS)
    assert "X-Newsgraph-Truncated" not in headers


def test_a_slow_query_hits_the_time_limit_while_others_are_answered(endpoint):
    slow: dict[str, int] = {}
    started = threading.Event()

    def run_slow() -> None:
        started.set()
        slow["status"] = get(endpoint, SLOW)[0]

    worker = threading.Thread(target=run_slow)
    worker.start()
    started.wait()
    answers = [get(endpoint, CLAIMS)[0] for _ in range(3)]
    worker.join(timeout=60)
    assert answers == [200, 200, 200]
    assert slow["status"] == 503


def test_a_syntax_error_is_a_bad_request(endpoint):
    status, _, body = get(endpoint, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400 and body


def test_the_query_page_works_offline(endpoint):
    base = endpoint.url.rsplit("/query", 1)[0]
    status, headers, body = http(base + "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "the page must not load anything remote"
    assert 'fetch("query"' in page
    status, _, body = http(base + "/queries.json")
    names = {item["name"] for item in json.loads(body)}
    assert {"attacks-in-place", "provenance"} <= names


def test_a_store_directory_is_served_in_place_and_kept_from_writers(small_dir):
    from ontology.errors import StoreLockedError
    from ontology.store import open_store
    from queries.serve import start_endpoint

    with start_endpoint(small_dir, port=0, timeout=5, max_rows=1000) as served:
        status, _, body = get(served, CLAIMS)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 7
        with pytest.raises(StoreLockedError):
            open_store(small_dir, mode="w")
    with open_store(small_dir, mode="w"):
        pass


def test_newsgraph_serve_runs_until_terminated_and_cleans_up(small_trig, tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "newsgraph"), "serve", "--graph", small_trig, "--port", "0", "--timeout", "5"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        match = re.search(r"SPARQL endpoint: (http://\S+/query)", line)
        assert match, line
        status, _, body = http(match.group(1) + "?" + urllib.parse.urlencode({"query": CLAIMS}),
                               headers={"Accept": "text/csv"})
        assert status == 200 and body.decode().splitlines()[0] == "claim,killed"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("newsgraph-serve-")]
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert stdout == ""
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("newsgraph-serve-")]


@pytest.mark.slow
def test_the_query_page_runs_a_query_in_a_real_browser(endpoint, tmp_path):
    """Headless Chromium loads the page (nothing remote), runs the query from a shared link, shows the rows."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is a test dependency (make system-deps)"
    sparql = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
              "SELECT ?name WHERE { ?p skos:prefLabel ?name } ORDER BY ?name LIMIT 3")
    page = endpoint.url.rsplit("/query", 1)[0] + "/?" + urllib.parse.urlencode({"query": sparql, "run": "1"})
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}",
                           "--virtual-time-budget=10000", "--dump-dom", page],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", done.stdout)
    assert cells == ["Abu Shouk camp", "Darfur Dispatch", "El Fasher"]
    assert "3 rows in" in done.stdout
