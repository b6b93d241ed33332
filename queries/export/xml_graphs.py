"""GEXF 1.3 (Gephi, sigma.js/graphology), GraphML (Gephi, yEd, Cytoscape) and yEd-flavoured GraphML.

All take a graph from ``sanitise`` (safe ids, scalar attributes, clean text).
GEXF is written here with lxml rather than by networkx, whose 1.3 writer puts the
wrong XSI namespace and cannot write spells from ISO dates.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
Y_NS = "http://www.yworks.com/xml/graphml"
# attributes written natively (GEXF) or as Gephi's well-known keys, not as data columns
_NATIVE = {"label", "color", "r", "g", "b", "size", "start", "shape"}
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_YED_SHAPES = {"diamond": "diamond", "ellipse": "ellipse", "box": "rectangle", "triangle": "triangle",
               "dot": "ellipse", "star": "star8"}


def _columns(items: list[dict[str, Any]]) -> dict[str, str]:
    """Attribute name → GEXF/GraphML type, the widest over all items (int+float → double)."""
    seen: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            if key not in _NATIVE:
                seen.setdefault(key, set()).add(type(value))
    out = {}
    for key in sorted(seen):
        kinds = seen[key]
        if kinds <= {bool}:
            out[key] = "boolean"
        elif kinds <= {int}:
            out[key] = "long"
        elif kinds <= {int, float}:
            out[key] = "double"
        else:
            out[key] = "string"
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_gexf(graph: nx.MultiDiGraph, *, description: str = "") -> bytes:
    """GEXF 1.3 with viz colours and sizes and node/edge spells for Gephi's timeline."""
    from lxml import etree

    nsmap = {None: GEXF_NS, "viz": VIZ_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap=nsmap, version="1.3")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd")
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta", lastmodifieddate=date.today().isoformat())
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "newsgraph"
    etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = description or f"newsgraph {graph.graph.get('view', '')} view"
    g = etree.SubElement(root, f"{{{GEXF_NS}}}graph", defaultedgetype="directed", mode="dynamic",
                         timeformat="date", timerepresentation="interval")
    node_cols = _columns([d for _, d in graph.nodes(data=True)])
    edge_cols = _columns([d for *_, d in graph.edges(data=True)])
    for cls, cols in (("node", node_cols), ("edge", edge_cols)):
        attrs = etree.SubElement(g, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
        for name, kind in cols.items():
            etree.SubElement(attrs, f"{{{GEXF_NS}}}attribute", id=name, title=name, type=kind)
    nodes = etree.SubElement(g, f"{{{GEXF_NS}}}nodes")
    for node, data in graph.nodes(data=True):
        el = etree.SubElement(nodes, f"{{{GEXF_NS}}}node", id=node, label=data["label"])
        _attvalues(el, data, node_cols)
        _spell(el, data.get("start"))
        etree.SubElement(el, f"{{{VIZ_NS}}}color", r=str(data["r"]), g=str(data["g"]), b=str(data["b"]), a="1.0")
        etree.SubElement(el, f"{{{VIZ_NS}}}size", value=str(data["size"]))
        etree.SubElement(el, f"{{{VIZ_NS}}}shape", value="diamond" if data["shape"] == "diamond" else "disc")
    edges = etree.SubElement(g, f"{{{GEXF_NS}}}edges")
    for u, v, key, data in graph.edges(keys=True, data=True):
        el = etree.SubElement(edges, f"{{{GEXF_NS}}}edge", id=key, source=u, target=v,
                              label=data["label"], kind=data["relation"], weight=str(data["weight"]))
        _attvalues(el, {k: x for k, x in data.items() if k != "weight"}, edge_cols)
        _spell(el, data.get("first"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _attvalues(el: Any, data: dict[str, Any], cols: dict[str, str]) -> None:
    from lxml import etree

    values = [(k, data[k]) for k in cols if k in data]
    if not values:
        return
    holder = etree.SubElement(el, f"{{{GEXF_NS}}}attvalues")
    for key, value in values:
        etree.SubElement(holder, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": _text(value)})


def _spell(el: Any, start: Any) -> None:
    from lxml import etree

    if start:
        spells = etree.SubElement(el, f"{{{GEXF_NS}}}spells")
        etree.SubElement(spells, f"{{{GEXF_NS}}}spell", start=str(start)[:10])


def write_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML with the keys Gephi reads natively (label, r, g, b, size) plus every attribute."""
    from lxml import etree

    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap={None: GRAPHML_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation",
             f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")
    node_cols = {"label": "string", "r": "int", "g": "int", "b": "int", "size": "double",
                 "color": "string", "start": "string", **_columns([d for _, d in graph.nodes(data=True)])}
    edge_cols = {"label": "string", **_columns([d for *_, d in graph.edges(data=True)])}
    keys: dict[tuple[str, str], str] = {}
    for scope, cols in (("node", node_cols), ("edge", edge_cols)):
        for name, kind in cols.items():
            key_id = f"{scope[0]}_{name}"
            keys[(scope, name)] = key_id
            etree.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": key_id, "for": scope,
                             "attr.name": name, "attr.type": {"long": "long"}.get(kind, kind)})
    g = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G", edgedefault="directed")
    for node, data in graph.nodes(data=True):
        el = etree.SubElement(g, f"{{{GRAPHML_NS}}}node", id=node)
        _data(el, data, node_cols, keys, "node")
    for u, v, key, data in graph.edges(keys=True, data=True):
        el = etree.SubElement(g, f"{{{GRAPHML_NS}}}edge", id=key, source=u, target=v)
        _data(el, data, edge_cols, keys, "edge")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _data(el: Any, data: dict[str, Any], cols: dict[str, str], keys: dict[tuple[str, str], str],
          scope: str) -> None:
    from lxml import etree

    for name in cols:
        if name in data:
            etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key=keys[(scope, name)]).text = _text(data[name])


def write_graphml_yed(graph: nx.MultiDiGraph) -> bytes:
    """GraphML with yFiles ShapeNode graphics, so yEd shows labelled, coloured shapes on open."""
    from lxml import etree

    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap={None: GRAPHML_NS, "y": Y_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation",
             f"{GRAPHML_NS} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd")
    etree.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": "ng", "for": "node", "yfiles.type": "nodegraphics"})
    etree.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": "eg", "for": "edge", "yfiles.type": "edgegraphics"})
    for key_id, scope, name in (("nk", "node", "kind"), ("ni", "node", "iri"), ("er", "edge", "relation"),
                                ("ew", "edge", "weight")):
        etree.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": key_id, "for": scope, "attr.name": name,
                         "attr.type": "double" if name == "weight" else "string"})
    g = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G", edgedefault="directed")
    for node, data in graph.nodes(data=True):
        el = etree.SubElement(g, f"{{{GRAPHML_NS}}}node", id=node)
        etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="nk").text = data["kind"]
        etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="ni").text = data["iri"]
        shape = etree.SubElement(etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="ng"), f"{{{Y_NS}}}ShapeNode")
        width = max(60.0, 7.0 * min(len(data["label"]), 40))
        etree.SubElement(shape, f"{{{Y_NS}}}Geometry", height="30.0", width=f"{width:.1f}")
        etree.SubElement(shape, f"{{{Y_NS}}}Fill", color=data["color"].upper(), transparent="false")
        etree.SubElement(shape, f"{{{Y_NS}}}NodeLabel").text = data["label"]
        etree.SubElement(shape, f"{{{Y_NS}}}Shape", type=_YED_SHAPES.get(data["shape"], "ellipse"))
    for u, v, key, data in graph.edges(keys=True, data=True):
        el = etree.SubElement(g, f"{{{GRAPHML_NS}}}edge", id=key, source=u, target=v)
        etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="er").text = data["relation"]
        etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="ew").text = str(data["weight"])
        line = etree.SubElement(etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key="eg"), f"{{{Y_NS}}}PolyLineEdge")
        etree.SubElement(line, f"{{{Y_NS}}}Arrows", source="none", target="standard")
        etree.SubElement(line, f"{{{Y_NS}}}EdgeLabel").text = data["relation"]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
