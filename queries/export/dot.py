"""Graphviz DOT: safe ids (``n0`` …), labels escaped, the IRI in each node's ``URL`` and ``tooltip``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

_DOT_SHAPES = {"diamond": "diamond", "ellipse": "ellipse", "box": "box", "triangle": "triangle",
               "dot": "circle", "star": "star"}


def quote(text: Any) -> str:
    """A DOT double-quoted string; backslashes and quotes escaped, so no escape sequence leaks.

    >>> quote('say "hi" \\\\n')
    '"say \\\\"hi\\\\" \\\\\\\\n"'
    """
    value = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{value}"'


def write_dot(graph: nx.MultiDiGraph) -> str:
    """A digraph Graphviz's ``dot`` lays out without warnings."""
    lines = [f"digraph {quote('newsgraph ' + str(graph.graph.get('view', '')))} {{",
             '  graph [charset="UTF-8", overlap=false, rankdir=LR];',
             '  node [style=filled, fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8];']
    for node, data in graph.nodes(data=True):
        attrs = {"label": data["label"], "fillcolor": data["color"],
                 "shape": _DOT_SHAPES.get(data["shape"], "ellipse"), "URL": data["iri"],
                 "tooltip": f"{data['kind']}: {data['iri']}", "class": data["kind"]}
        lines.append(f"  {node} [{', '.join(f'{k}={quote(v)}' for k, v in attrs.items())}];")
    for u, v, key, data in graph.edges(keys=True, data=True):
        weight = max(1, round(data["weight"]))
        attrs = {"label": data["relation"], "id": key, "weight": weight, "penwidth": min(1 + weight / 2, 6)}
        lines.append(f"  {u} -> {v} [{', '.join(f'{k}={quote(x)}' for k, x in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
