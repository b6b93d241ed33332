"""A self-contained, offline HTML viewer: vis-network (read at export time from the pinned
``pyvis`` wheel, never copied into this repository) inlined into ``queries/assets/viewer.html``,
with the graph and the sentences behind every node in a JSON script block.

Labels are data, never markup: the JSON is escaped so ``<``, ``>``, ``&`` and the
JavaScript line separators cannot end the script block, and the page only ever
sets ``textContent``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "viewer.html"
VIS_VERSION = "vis-9.1.2"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    >>> script_json({"label": "</script><img src=x>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def vis_network_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS shipped in the installed ``pyvis`` package."""
    from ontology.errors import ExportError

    try:
        lib = resources.files("pyvis") / "lib" / VIS_VERSION
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        raise ExportError(f"the HTML viewer needs vis-network from the pyvis package (pyvis/lib/{VIS_VERSION}); "
                          f"got {err}; expected `pip install pyvis==0.3.2`") from err
    if "</script" in js.lower() or "</style" in css.lower():
        raise ExportError("the vis-network build contains a closing script/style tag; cannot inline it")
    return js, css


def write_viewer(graph: nx.MultiDiGraph, facts: dict[str, list[dict[str, Any]]], *, title: str) -> str:
    """The viewer page for a sanitised graph; ``facts`` maps node IRIs to their evidence rows."""
    from queries.export.sanitise import clean_value

    nodes = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    edges = [{"id": k, "source": u, "target": v, **d} for u, v, k, d in graph.edges(keys=True, data=True)]
    node_facts = {}
    for node, data in graph.nodes(data=True):
        rows = facts.get(data["iri"])
        if rows:
            node_facts[node] = [{k: clean_value(v) for k, v in row.items()} for row in rows[:200]]
    payload = {"title": clean_value(title), "nodes": nodes, "edges": edges, "facts": node_facts}
    js, css = vis_network_assets()
    template = TEMPLATE.read_text(encoding="utf-8")
    # one pass over the template's three markers, so inserted text is never re-scanned
    parts = {"/*__VIS_CSS__*/": css, "__DATA_JSON__": script_json(payload), "/*__VIS_JS__*/": js}
    out = template
    pieces = []
    for marker, value in parts.items():
        head, sep, out = out.partition(marker)
        if not sep:
            from ontology.errors import ExportError

            raise ExportError(f"{TEMPLATE}: marker {marker} missing; expected the viewer template's markers")
        pieces += [head, value]
    return "".join(pieces) + out
