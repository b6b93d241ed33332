"""The one place where a projected graph is made safe for every writer.

networkx's writers trip over ``None``, lists and dates (GraphML, GEXF), collapse
IRI ids (DOT), and XML cannot hold most control characters. ``sanitise`` fixes
all of that once: it returns a new MultiDiGraph whose node ids are ``n0``, ``n1``
… (sorted by IRI, so stable), edge keys ``e0`` …, every attribute a ``str``,
``int``, ``float`` or ``bool`` (dates as ISO strings, lists joined with
``" | "``, ``None`` dropped), every string free of characters XML 1.0 forbids,
and every node coloured and sized by its kind. Format modules only add their
own syntax escaping on top.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

PALETTE = Path(__file__).with_name("palette.toml")
# C0 controls but tab/newline/CR, DEL and C1 controls, lone surrogates, U+FFFE/U+FFFF
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def clean_text(text: str, *, one_line: bool = False) -> str:
    """``text`` without the characters XML 1.0 and most tools reject.

    >>> clean_text("Residents\\x07 of Kharkiv")
    'Residents of Kharkiv'
    >>> clean_text("two\\nlines", one_line=True)
    'two lines'
    """
    text = _UNSAFE.sub("", text)
    return _SPACES.sub(" ", text).strip() if one_line else text


def clean_value(value: Any) -> str | int | float | bool | None:
    """A writer-safe scalar for ``value``, or ``None`` to drop it.

    >>> clean_value(date(2018, 8, 2)), clean_value(["a", "b"]), clean_value(None)
    ('2018-08-02', 'a | b', None)
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(str(clean_value(v)) for v in value if v is not None)
        return " | ".join(items) if items else None
    return clean_text(str(value))


@lru_cache(maxsize=1)
def palette() -> dict[str, dict[str, dict[str, str]]]:
    """The kind and group colours and shapes (``palette.toml``)."""
    with PALETTE.open("rb") as handle:
        return tomllib.load(handle)


def style_of(kind: str, group: str) -> dict[str, str]:
    """Colour (``#rrggbb``) and shape for a node kind, falling back to its group.

    >>> style_of("Settlement", "Place")["color"], style_of("Settlement", "Place")["shape"]
    ('#74c476', 'box')
    """
    table = palette()
    style = dict(table["groups"].get(group, table["groups"]["Other"]))
    style.update(table["kinds"].get(kind, {}))
    return style


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def sanitise(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A writer-safe copy of a projected graph (see the module docstring)."""
    import networkx as nx

    from queries.project import local_name

    out = nx.MultiDiGraph()
    out.graph.update({k: v for k, v in ((k, clean_value(v)) for k, v in graph.graph.items()) if v is not None})
    order = sorted(graph.nodes, key=lambda n: str(graph.nodes[n].get("iri", n)))
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    starts = _start_dates(graph)
    for node in order:
        data = graph.nodes[node]
        attrs = {k: v for k, v in ((k, clean_value(v)) for k, v in data.items()) if v is not None}
        attrs["iri"] = clean_text(str(data.get("iri", node)))
        attrs["label"] = clean_text(str(data.get("label") or ""), one_line=True) or local_name(attrs["iri"])
        attrs.setdefault("kind", "Resource")
        attrs.setdefault("group", "Other")
        style = style_of(attrs["kind"], attrs["group"])
        attrs["color"] = style["color"]
        attrs["shape"] = style["shape"]
        attrs["r"], attrs["g"], attrs["b"] = _rgb(style["color"])
        magnitude = attrs.get("events") if attrs["group"] != "Event" else attrs.get("sources")
        attrs["size"] = float(10 + 4 * min(int(magnitude or 0), 20))
        if starts.get(node):
            attrs["start"] = starts[node]
        out.add_node(ids[node], **attrs)
    edges = sorted(graph.edges(keys=True, data=True),
                   key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    for i, (u, v, key, data) in enumerate(edges):
        attrs = {k: v2 for k, v2 in ((k, clean_value(v2)) for k, v2 in data.items()) if v2 is not None}
        attrs["relation"] = clean_text(str(data.get("relation", key)), one_line=True)
        attrs["label"] = attrs["relation"]
        attrs["weight"] = float(data.get("weight") or 1)
        out.add_edge(ids[u], ids[v], key=f"e{i}", **attrs)
    return out


def _start_dates(graph: nx.MultiDiGraph) -> dict[Any, str]:
    """When each node enters the timeline: an event's day (or period start, or report date);
    any other node the first day of the events it is linked to."""
    starts: dict[Any, str] = {}
    for node, data in graph.nodes(data=True):
        day = data.get("date") or data.get("periodStart") or data.get("published")
        if day:
            starts[node] = clean_value(day)
    for u, v, data in graph.edges(data=True):
        first = data.get("first") or starts.get(u if graph.nodes[u].get("group") == "Event" else v)
        if first is None:
            continue
        first = clean_value(first)
        for node in (u, v):
            if graph.nodes[node].get("group") != "Event" and (node not in starts or first < starts[node]):
                starts[node] = first
    return starts
