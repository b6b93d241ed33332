"""Cytoscape.js JSON (``elements.nodes/edges``) and D3 node-link JSON (``nodes``/``links``).

Written directly rather than with ``nx.cytoscape_data`` (which overwrites ``name``)
or ``nx.node_link_data`` (which now writes ``edges``, not D3's ``links``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


def write_cytoscape(graph: nx.MultiDiGraph) -> str:
    """Cytoscape.js / Cytoscape desktop JSON: ``name`` is the label, every edge has an id."""
    nodes = [{"data": {**data, "id": node, "name": data["label"]}} for node, data in graph.nodes(data=True)]
    edges = [{"data": {**data, "id": key, "source": u, "target": v, "interaction": data["relation"],
                       "name": f"{graph.nodes[u]['label']} ({data['relation']}) {graph.nodes[v]['label']}"}}
             for u, v, key, data in graph.edges(keys=True, data=True)]
    document = {"format_version": "1.0", "generated_by": "newsgraph",
                "data": {"name": f"newsgraph {graph.graph.get('view', '')}".strip()},
                "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(document, ensure_ascii=False, indent=1)


def write_d3(graph: nx.MultiDiGraph) -> str:
    """D3 force-layout JSON: ``nodes`` with ``id`` and ``links`` with ``source``/``target`` ids."""
    nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    links = [{"id": key, "source": u, "target": v, **data} for u, v, key, data in graph.edges(keys=True, data=True)]
    return json.dumps({"directed": True, "multigraph": True, "graph": dict(graph.graph),
                       "nodes": nodes, "links": links}, ensure_ascii=False, indent=1)
