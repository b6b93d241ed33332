"""CSV: a node table and an edge table (Gephi, Kumu, Flourish, Neo4j ``LOAD CSV``), and an
ACLED-style event table.

ACLED ``event_type``/``sub_event_type`` come from the ontology's
``ng:acledEventType``/``ng:acledSubEventType`` annotations on the event's class
(or its nearest annotated superclass); events of a class with no ACLED
equivalent (displacement) are left out. ``fatalities`` is the lowest toll any
source asserted (blank when none was reported); nothing is averaged.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

ACLED_COLUMNS = ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
                 "civilian_targeting", "country", "admin1", "location", "latitude", "longitude",
                 "time_precision", "source", "notes", "fatalities")
_NODE_FIRST = ("Id", "Label", "kind", "group", "iri")
_EDGE_FIRST = ("Source", "Target", "Type", "relation", "weight", "first", "last")


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_nodes_csv(graph: nx.MultiDiGraph) -> str:
    """Nodes: ``Id``, ``Label``, kind, group, IRI, then every other attribute."""
    rows = [{"Id": n, "Label": d["label"], **{k: v for k, v in d.items() if k != "label"}}
            for n, d in graph.nodes(data=True)]
    extra = sorted({k for r in rows for k in r} - set(_NODE_FIRST) - {"r", "g", "b"})
    return _csv(rows, [*_NODE_FIRST, *extra])


def write_edges_csv(graph: nx.MultiDiGraph) -> str:
    """Edges: ``Source``, ``Target``, ``Type`` (Directed), relation, weight, first/last dates."""
    rows = [{"Source": u, "Target": v, "Type": "Directed", "Id": k, **d}
            for u, v, k, d in graph.edges(keys=True, data=True)]
    extra = sorted({k for r in rows for k in r} - set(_EDGE_FIRST) - {"label"})
    return _csv(rows, [*_EDGE_FIRST, *extra])


@lru_cache(maxsize=1)
def acled_types() -> dict[str, tuple[str, str]]:
    """Event class local name → (ACLED event type, sub-event type), inherited from the nearest annotated class."""
    from ontology.namespace import NG
    from queries.project import NG_NS, class_ancestors, ontology_graph

    graph = ontology_graph()
    own: dict[str, tuple[str, str]] = {}
    for cls, value in graph.subject_objects(NG.acledEventType):
        sub = graph.value(cls, NG.acledSubEventType)
        own[str(cls)[len(NG_NS):]] = (str(value), str(sub or ""))
    out = {}
    for kind, ancestors in class_ancestors().items():
        for candidate in (kind, *ancestors):
            if candidate in own:
                out[kind] = own[candidate]
                break
    return out


def acled_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """One ACLED-style row per event (as presented) whose class has an ACLED equivalent."""
    from queries.project import event_links, fold, node_table, select

    nodes = node_table(dataset)
    parent: dict[str, str] = {}
    for row in select(dataset, "place_links"):
        parent.setdefault(row["a"], row["b"])
    types = acled_types()
    rows = []
    dates = fold(select(dataset, "event_dates"), ("event",), least=("d",))
    mentions = fold(select(dataset, "event_mentions"), ("event",), least=("sent", "pub"))
    claims = select(dataset, "event_claims")
    for row in claims:  # a denial gives no toll
        if row["stance"] == "denies":
            row["k"] = None
    tolls = fold(claims, ("event",), least=("k",), distinct=("source",))
    links: dict[tuple[str, str], set[str]] = {}
    for link in event_links(dataset):
        links.setdefault((link["event"], link["relation"]), set()).add(link["node"])
    for (event,), g in dates.items():
        m = mentions.get((event,), {"sent": None, "pub": None})
        t = tolls.get((event,), {"k": None, "source": set()})
        row = {"event": event, "date": g["d"], "published": m["pub"],
               "location": min(links.get((event, "location"), ()), default=None),
               "perpetrators": " ".join(sorted(links.get((event, "perpetrator"), ()))),
               "targets": " ".join(sorted(links.get((event, "target"), ()))),
               "sources": " ".join(sorted(t["source"])), "fatalities": _whole(t["k"]), "notes": m["sent"]}
        kind = nodes.get(event, {}).get("kind", "")
        if kind not in types:
            continue
        chain = _chain(row["location"], parent)
        by_kind = {nodes.get(p, {}).get("kind"): p for p in reversed(chain)}
        regions = [p for p in chain if nodes.get(p, {}).get("kind") == "Region"]
        settlement = next((p for p in chain if nodes.get(p, {}).get("kind") == "Settlement"), row["location"])
        point = next((p for p in (settlement, *chain) if nodes.get(p, {}).get("lat") is not None), None)
        targets = (row["targets"] or "").split()
        day = row["date"] if isinstance(row["date"], date) else None
        fallback = row["published"] if isinstance(row["published"], date) else None
        rows.append({
            "event_id": event.rstrip("/").rsplit("/", 1)[-1],
            "event_date": (day or fallback).isoformat() if (day or fallback) else "",
            "event_type": types[kind][0], "sub_event_type": types[kind][1],
            "actor1": _labels(row["perpetrators"], nodes),
            "actor2": _labels(" ".join(t for t in targets if nodes.get(t, {}).get("group") == "Actor"), nodes),
            "civilian_targeting": "Civilian targeting"
            if any(nodes.get(t, {}).get("kind") == "Civilians" for t in targets) else "",
            "country": _label(by_kind.get("Country"), nodes),
            "admin1": _label(regions[-1] if regions else None, nodes),
            "location": _label(settlement, nodes),
            "latitude": nodes[point]["lat"] if point else "", "longitude": nodes[point]["lon"] if point else "",
            "time_precision": 1 if day else 3,
            "source": _labels(row["sources"], nodes),
            "notes": _one_line(row["notes"]),
            "fatalities": row["fatalities"] if row["fatalities"] is not None else "",
        })
    rows.sort(key=lambda r: (r["event_date"], r["event_id"]))
    return rows


def write_acled_csv(dataset: Dataset) -> str:
    """The ACLED-style event CSV."""
    return _csv(acled_rows(dataset), list(ACLED_COLUMNS))


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)


def _chain(place: str | None, parent: dict[str, str]) -> list[str]:
    chain: list[str] = []
    while place and place not in chain:
        chain.append(place)
        place = parent.get(place)
    return chain


def _label(node: str | None, nodes: dict[str, dict[str, Any]]) -> str:
    from queries.export.sanitise import clean_text
    from queries.project import local_name

    if not node:
        return ""
    return clean_text(str(nodes.get(node, {}).get("label", "")), one_line=True) or local_name(node)


def _labels(iris: str | None, nodes: dict[str, dict[str, Any]]) -> str:
    return "; ".join(sorted(_label(i, nodes) for i in (iris or "").split()))


def _one_line(text: Any) -> str:
    from queries.export.sanitise import clean_text

    return clean_text(str(text), one_line=True) if text else ""
