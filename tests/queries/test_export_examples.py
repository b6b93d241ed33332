"""End to end: build examples/ with the real pipeline, export --all, read the files back."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("newsgraph"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examples-export")
    build = subprocess.run([CLI, "build", str(ROOT / "examples"), "--output", str(folder / "graph.trig"), "--quiet"],
                           capture_output=True, text=True, check=False, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([CLI, "export", "--graph", str(folder / "graph.trig"), "--all", "--output", str(folder)],
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return folder


@pytest.mark.slow
def test_export_examples_read_back(exported):
    import geojson
    import networkx as nx

    gexf = nx.read_gexf(exported / "events.gexf")
    graphml = nx.read_graphml(exported / "events.graphml")
    assert gexf.number_of_nodes() == graphml.number_of_nodes() > 20
    kinds = {d["kind"] for _, d in gexf.nodes(data=True)}
    assert {"Settlement", "StateForce"} <= kinds and kinds & {"AirStrike", "MissileStrike", "Shelling"}
    assert not [d["label"] for _, d in gexf.nodes(data=True) if d["label"].startswith("http")]
    dot = subprocess.run(["dot", "-Tsvg", str(exported / "events.dot")], capture_output=True, text=True, check=False)
    assert dot.returncode == 0 and dot.stderr == ""
    places = geojson.loads((exported / "places.geojson").read_text(encoding="utf-8"))
    assert places.is_valid and places["features"]
    for feature in places["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    with (exported / "acled.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["event_type"] and r["time_precision"] in {"1", "3"} and r["notes"] for r in rows)
    assert {r["country"] for r in rows} >= {"Syria", "Ukraine", "Yemen"}


@pytest.mark.slow
def test_export_examples_read_by_node(exported):
    node_dir = ROOT / "tests" / "node"
    assert (node_dir / "node_modules" / "graphology-gexf").is_dir(), "run `make node-deps` (npm ci in tests/node)"
    assert shutil.which("node"), "node is not installed"
    files = [str(exported / n) for n in ("events.gexf", "events.graphml", "events.cyjs")]
    run = subprocess.run(["node", str(node_dir / "read_exports.mjs"), *files], capture_output=True, text=True,
                         check=False, cwd=node_dir)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    orders = {seen[f]["order"] for f in files}
    assert len(orders) == 1 and orders.pop() > 20
