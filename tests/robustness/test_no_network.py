"""Nothing reaches the network or expands entities while reading graphs or answering queries.

A loopback listener stands in for the web: every remote reference below points at it,
and it must hear nothing — through the CLI, the Python API and the endpoint.
(SERVICE/FROM/LOAD in queries are proven in tests/ontology/test_store.py,
tests/newsgraph/test_cli_query.py and tests/queries/test_endpoint.py.)
"""

from __future__ import annotations

import json
import subprocess
import sys

from pathlib import Path

import pytest

from ontology.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")
SMALL = ROOT / "tests" / "queries" / "fixtures" / "small.trig"


def newsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def billion_laughs(levels: int = 8) -> str:
    """The classic entity expansion bomb in under 400 bytes (10^7 "lol"s, 30 MB, when expanded)."""
    names = "abcdefghij"
    entities = "".join(f'<!ENTITY {names[i]} "' + f"&{names[i - 1]};" * 10 + '">' for i in range(1, levels))
    return f'<!DOCTYPE r [<!ENTITY a "lol">{entities}]><r>&{names[levels - 1]};</r>'



def remote_contexts(url: str) -> dict[str, object]:
    """JSON-LD documents that would make a processor fetch ``url``."""
    return {
        "string": {"@context": f"{url}/context.jsonld", "@id": "http://example.org/a", "name": "x"},
        "list": {"@context": [{"ex": "http://example.org/"}, f"{url}/c.jsonld"], "@id": "http://example.org/a"},
        "nested": {"@context": {"ex": "http://example.org/"},
                   "@graph": [{"@id": "ex:a", "@context": f"{url}/c.jsonld", "ex:p": "x"}]},
        "import": {"@context": {"@version": 1.1, "@import": f"{url}/c.jsonld"}, "@id": "http://example.org/a"},
    }


def test_a_billion_laughs_file_is_refused_before_any_entity_is_parsed(tmp_path: Path) -> None:
    from ontology.store import open_dataset, open_store

    bomb = billion_laughs()
    assert len(bomb.encode()) < 400
    # after the DOCTYPE the file is not even well-formed XML: a parser would fail differently
    for name, text in {"laughs.rdf": bomb, "laughs.owl": bomb, "broken.xml": bomb.replace("<r>", "<<r")}.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for opener in (open_store, open_dataset):
            with pytest.raises(InputError, match=r"declares <!DOCTYPE>; DOCTYPE and entity declarations are refused"):
                opener(str(path))
    done = newsgraph("query", "-", "--graph", str(tmp_path / "laughs.owl"))
    assert done.returncode == 65 and "DOCTYPE" in done.stderr, done.stderr
    done = newsgraph("validate", str(tmp_path / "laughs.rdf"), "--no-reason")
    assert done.returncode == 65 and "DOCTYPE" in done.stderr, done.stderr
    done = newsgraph("export", "--graph", str(tmp_path / "laughs.owl"), "--output", str(tmp_path / "out.gexf"))
    assert done.returncode == 65 and "DOCTYPE" in done.stderr, done.stderr


def test_a_doctype_after_a_megabyte_of_comment_is_still_found(tmp_path: Path) -> None:
    from ontology.store import open_store

    path = tmp_path / "late.rdf"
    padding = "<!-- " + "x" * ((1 << 20) - 7) + " -->"  # puts the DOCTYPE across the scanner's chunk boundary
    path.write_text('<?xml version="1.0"?>' + padding + billion_laughs(), encoding="utf-8")
    with pytest.raises(InputError, match="DOCTYPE"):
        open_store(str(path))


@pytest.mark.parametrize("case", ["string", "list", "nested", "import"])
def test_remote_jsonld_contexts_are_never_fetched(case: str, tmp_path: Path, listener) -> None:
    import newsgraph as api
    from queries.serve import start_endpoint

    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(remote_contexts(listener.url)[case]), encoding="utf-8")
    for attempt in (lambda: api.open(str(path)), lambda: api.query("attacks", graph=str(path)),
                    lambda: start_endpoint(str(path), port=0)):
        with pytest.raises(InputError):
            attempt()
    done = newsgraph("query", "attacks", "--graph", str(path))
    assert done.returncode == 65, done.stderr
    done = newsgraph("validate", str(path), "--no-reason")
    assert done.returncode == 65, done.stderr
    done = newsgraph("export", "--graph", str(path), "--format", "gexf", "--output", str(tmp_path / "out.gexf"))
    assert done.returncode == 65, done.stderr
    assert listener.connections == 0


def test_owl_imports_in_a_graph_are_never_followed(tmp_path: Path, listener) -> None:
    """``newsgraph validate`` reasons with owlready2, which downloads what ``owl:imports`` names."""
    path = tmp_path / "graph.nq"
    imports = "<http://www.w3.org/2002/07/owl#imports>"
    path.write_text("".join(
        f"<{subject}> {imports} <{listener.url}/evil.owl> <https://w3id.org/newsgraph/id/graph/entities> .\n"
        for subject in ("https://w3id.org/newsgraph/reasoner-input", "https://w3id.org/newsgraph/ontology",
                        "https://w3id.org/newsgraph/id/place/x")), encoding="utf-8")
    done = newsgraph("validate", str(path))
    assert done.returncode in (0, 1), done.stderr
    assert "download" not in done.stderr.lower()
    assert listener.connections == 0
