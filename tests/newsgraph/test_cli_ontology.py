"""``newsgraph ontology`` and ``newsgraph validate`` through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ontology.namespace import NG, ontology_graph

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
VALID_TRIG = Path(__file__).resolve().parents[1] / "ontology" / "fixtures" / "valid.trig"
CLAIM = URIRef("https://w3id.org/newsgraph/id/claim/0123456789abcdef-300-0")
HODEIDAH = URIRef("https://w3id.org/newsgraph/id/place/hodeidah")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert NEWSGRAPH.exists(), f"the newsgraph console script is not installed at {NEWSGRAPH}"
    return subprocess.run([str(NEWSGRAPH), *args], capture_output=True, text=True, timeout=300, check=False)


def write_variant(path: Path, *, stance: str | None = None, place_is_actor: bool = False) -> Path:
    dataset = Dataset(default_union=True)
    dataset.parse(VALID_TRIG, format="trig")
    graph = dataset.graph(URIRef("https://w3id.org/newsgraph/id/graph/entities"))
    if stance is not None:
        dataset.graph(URIRef("https://w3id.org/newsgraph/id/graph/article/0123456789abcdef")).set(
            (CLAIM, NG.stance, Literal(stance)))
    if place_is_actor:
        graph.add((HODEIDAH, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NG.Actor))
    dataset.serialize(path, format="trig")
    return path


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_ontology_print_writes_the_ontology_to_stdout(fmt: str, rdflib_format: str) -> None:
    done = run("ontology", "print", "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert isomorphic(Graph().parse(data=done.stdout, format=rdflib_format), ontology_graph())


def test_ontology_print_rejects_unknown_format_with_the_valid_ones() -> None:
    done = run("ontology", "print", "--format", "owl")
    assert done.returncode == 2
    assert "expected one of ttl, jsonld, nt" in done.stderr
    assert done.stdout == ""


def test_ontology_docs_writes_html(tmp_path: Path) -> None:
    target = tmp_path / "out" / "ontology.html"
    done = run("ontology", "docs", "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert "ng:ReportingSource" in target.read_text(encoding="utf-8") or \
        "ReportingSource" in target.read_text(encoding="utf-8")
    assert done.stdout == ""
    assert "INFO" not in done.stderr and "DEBUG" not in done.stderr


def test_validate_valid_graph_exits_0(tmp_path: Path) -> None:
    graph = write_variant(tmp_path / "graph.trig")
    done = run("validate", str(graph))
    assert done.returncode == 0, done.stderr
    assert "valid: 0 violation(s)" in done.stderr and "owl consistency" in done.stderr


def test_validate_invalid_graph_exits_1_with_readable_report(tmp_path: Path) -> None:
    graph = write_variant(tmp_path / "graph.trig", stance="maybe", place_is_actor=True)
    done = run("validate", str(graph), "--json")
    assert done.returncode == 1
    assert "INVALID" in done.stderr
    assert 'id:claim/0123456789abcdef-300-0  ng:stance = "maybe"' in done.stderr
    assert "id:place/hodeidah: is both ng:Actor" in done.stderr  # the reasoner's finding
    results = json.loads(done.stdout)["results"]
    assert {(r["source"], r["focus"]) for r in results} >= {("shacl", str(CLAIM)), ("reasoner", str(HODEIDAH))}


def test_validate_without_reasoner_skips_consistency(tmp_path: Path) -> None:
    graph = write_variant(tmp_path / "graph.trig", place_is_actor=True)
    done = run("validate", str(graph), "--no-reason")
    assert done.returncode == 1  # SHACL alone still sees two ontology classes on one entity
    assert "owl consistency" not in done.stderr and "is both" not in done.stderr
