"""``newsgraph query`` / ``newsgraph queries`` as a user runs them, and the Python API's open() and query()."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = str(ROOT / "tests" / "queries" / "fixtures" / "small.trig")
NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")
ID = "https://w3id.org/newsgraph/id/"


def newsgraph(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command; stdout is decoded without newline translation (CSV ends rows with CRLF)."""
    done = subprocess.run([NEWSGRAPH, *args], cwd=ROOT, input=stdin.encode() if stdin else None,
                          capture_output=True, timeout=120)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))


def test_csv_is_exactly_header_and_rows():
    done = newsgraph("query", "attacks-in-place", "--graph", SMALL, "--param", "place=El Fasher", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "event,type,date,location,within,perpetrators,sources\r\n"
        f"{ID}event/a1a1a1a1a1a1a1a1-214,Shelling,2024-05-10,Abu Shouk camp,El Fasher,Rapid Support Forces,"
        "Médecins Sans Frontières\r\n"
        f"{ID}event/a1a1a1a1a1a1a1a1-10,DroneStrike,2024-05-11,El Fasher,El Fasher,Rapid Support Forces,"
        "Fasher Resistance Committee | Rapid Support Forces | Sudan Doctors Network\r\n"
    )


def test_json_is_sparql_results_json():
    done = newsgraph("query", "casualties-by-source", "-g", SMALL, "-p", "source=Sudan Doctors Network", "-f", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["head"]["vars"][:3] == ["reported_by", "event", "label"]
    [row] = document["results"]["bindings"]
    assert row["killed"] == {"type": "literal", "value": "15",
                             "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["event"] == {"type": "uri", "value": f"{ID}event/a1a1a1a1a1a1a1a1-10"}
    assert "injured" not in row


def test_tsv_and_table():
    done = newsgraph("query", "displacement-timeline", "--graph", SMALL, "--format", "tsv")
    lines = done.stdout.splitlines()
    assert lines[0].split("\t")[:5] == ["period_start", "period_end", "period_text", "origin", "destination"]
    assert len(lines) == 3
    table = newsgraph("query", "displacement-timeline", "--graph", SMALL)
    assert table.returncode == 0 and "Tawila" in table.stdout and "40000" in table.stdout


def test_a_query_file_and_stdin(tmp_path):
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?name WHERE { ?p skos:prefLabel ?name } ORDER BY ?name LIMIT 2\n"
    path = tmp_path / "names.rq"
    path.write_text("# param name: string (optional) — unused here\n" + query)
    from_file = newsgraph("query", str(path), "--graph", SMALL, "--format", "csv")
    from_stdin = newsgraph("query", "-", "--graph", SMALL, "--format", "csv", stdin=query)
    assert from_file.stdout == from_stdin.stdout == "name\r\nAbu Shouk camp\r\nDarfur Dispatch\r\n"


def test_an_unknown_query_exits_2_listing_the_names():
    done = newsgraph("query", "atacks", "--graph", SMALL)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "attacks-in-place" in done.stderr and "provenance" in done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--param", "place"], "is not NAME=VALUE"),
    (["--param", "colour=red"], "no parameter 'colour'"),
    ([], "needs parameter(s) place"),
])
def test_bad_parameters_exit_2(args, message):
    done = newsgraph("query", "attacks-in-place", "--graph", SMALL, *args)
    assert done.returncode == 2
    assert message in " ".join(done.stderr.split())


def test_the_row_cap_warns_on_stderr_only():
    done = newsgraph("query", "source-reports", "--graph", SMALL, "--format", "csv", "--max-rows", "2")
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 3
    assert "cut at 2 rows" in done.stderr


def test_service_is_refused_and_nothing_is_contacted():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.1)
        port = listener.getsockname()[1]
        done = newsgraph("query", "-", "--graph", SMALL,
                         stdin=f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        with pytest.raises(TimeoutError):
            listener.accept()
    assert done.returncode == 1
    assert "refused" in done.stderr


def test_a_store_being_written_exits_75(tmp_path, hold_writer_lock):
    location = str(tmp_path / "store")
    holder = hold_writer_lock(location)
    try:
        assert holder.stdout.readline().strip() == "locked"
        done = newsgraph("query", "attacks", "--graph", location)
    finally:
        holder.communicate("done\n", timeout=30)
    assert done.returncode == 75
    assert "is in use" in done.stderr


def test_queries_lists_the_library():
    done = newsgraph("queries", "--format", "csv")
    assert done.returncode == 0
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    by_name = {row["name"]: row for row in table}
    assert by_name["attacks-in-place"]["title"] == "Attacks in a place"
    assert by_name["attacks-in-place"]["parameters"].startswith("place: string")
    assert by_name["provenance"]["example"].startswith("newsgraph query provenance")


def test_api_query_returns_python_values():
    import datetime

    from rdflib import URIRef

    import newsgraph as ng

    rows = ng.query("attacks-in-period", graph=SMALL, since=datetime.date(2024, 5, 12))
    assert rows == [{"event": URIRef(f"{ID}event/b2b2b2b2b2b2b2b2-5"), "type": "GroundAssault",
                     "date": datetime.date(2024, 5, 12), "location": "Mellit",
                     "perpetrators": "Sudanese Armed Forces", "sources": "Sudanese Armed Forces"}]


def test_api_open_gives_a_union_dataset_that_refuses_service():
    import newsgraph as ng
    from ontology.errors import QueryError

    dataset = ng.open(SMALL)
    [(count,)] = list(dataset.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/newsgraph/ontology#Claim> }"))
    assert int(count) == 7
    with pytest.raises(QueryError):
        dataset.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_api_open_a_sparql_endpoint(tmp_path):
    """newsgraph.open over a URL reads through rdflib's SPARQLStore from the real endpoint."""
    import newsgraph as ng
    from queries.serve import start_endpoint

    with start_endpoint(SMALL, port=0, timeout=10, max_rows=1000) as served:
        dataset = ng.open(served.url)
        rows = list(dataset.query("SELECT DISTINCT ?name WHERE { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> ?name "
                                  "FILTER(?name = \"Mellit\") }"))
    assert [str(r[0]) for r in rows] == ["Mellit"]


def test_typer_help_lists_options():
    done = newsgraph("query", "--help")
    for option in ("--graph", "--param", "--format", "--timeout", "--max-rows"):
        assert option in done.stdout


def test_a_query_over_its_time_limit_exits_1_promptly():
    done = newsgraph("query", "-", "--graph", SMALL, "--timeout", "0.3",
                     stdin="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "time limit of 0.3 s" in done.stderr
