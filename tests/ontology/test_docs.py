"""Published forms of the ontology: HTML docs, JSON-LD context, serialisations, codebook table."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from ontology_test_data import load_valid
from rdflib import RDFS, Dataset, Graph
from rdflib.compare import isomorphic

from ontology.docs import CONTEXT_JSONLD, jsonld_context, mapping_table, serialize, write_html
from ontology.errors import UsageError
from ontology.namespace import NG, ontology_graph


def test_published_context_file_matches_the_ontology() -> None:
    assert json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8")) == jsonld_context(), \
        "ontology/context.jsonld is stale: run python -c 'from ontology.docs import write_context; write_context()'"


@pytest.mark.parametrize("prefix", ["ng", "skos", "geo", "xsd", "rdfs"])
def test_context_declares_the_prefixes(prefix: str) -> None:
    assert prefix in jsonld_context()["@context"]


def test_graph_round_trips_through_json_ld_with_the_context() -> None:
    dataset = load_valid()
    context = jsonld_context()["@context"]
    text = dataset.serialize(format="json-ld", context=context)
    document = json.loads(text)
    assert document["@context"] == context
    back = Dataset(default_union=True)
    back.parse(data=text, format="json-ld")
    assert {q for q in back.quads()} == {q for q in dataset.quads()}
    # the typed terms compacted the literals (no per-value {"@type": ...} objects)
    body = json.dumps(document["@graph"])
    assert '"startOffset": "120"' in body and '"lat": "14.79781"' in body
    assert '"location": "https://w3id.org/newsgraph/id/place/hodeidah"' in body
    assert "XMLSchema#" not in body


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_every_serialisation_parses_back_to_the_ontology(fmt: str, rdflib_format: str) -> None:
    parsed = Graph().parse(data=serialize(fmt), format=rdflib_format)
    assert isomorphic(parsed, ontology_graph())


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="'owl'; expected one of ttl, jsonld, nt"):
        serialize("owl")


def test_mapping_table_has_a_row_per_event_class() -> None:
    table = mapping_table().splitlines()
    events = set(ontology_graph().transitive_subjects(RDFS.subClassOf, NG.Event))
    assert len(table) == 2 + len(events)
    assert "| ng:Shelling | Shelling | ng:Attack | Explosions/Remote violence | " \
           "Shelling/artillery/missile attack | ASSAULT (heavy-weapons) | 194 |" in table


def test_html_docs_are_written_offline_and_leave_logging_alone(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    path = write_html(tmp_path / "site" / "ontology.html")
    html = path.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or html.lstrip().startswith("<html")
    for term in ("ReportingSource", "Air strike", "killedQualifier", "newsgraph ontology",
                 "Event codebook mappings", "<td>Air/drone strike</td>", "href=\"#codebooks\""):
        assert term in html
    assert (list(root.handlers), root.level) == before


def test_readme_mapping_table_is_current() -> None:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text(encoding="utf-8").split("<!-- section:ontology -->")[1].split(
        "<!-- /section:ontology -->")[0]
    assert mapping_table() in section, "README's ontology section has a stale ACLED/PLOVER/CAMEO table"
