"""GeoJSON FeatureCollection of places with their events (QGIS, kepler.gl, geojson.io).

Coordinates are ``[longitude, latitude]`` (RFC 7946). Properties are flat so
QGIS and kepler.gl show them as columns: ``events`` (count), ``event_labels``,
``event_kinds``, ``first_date``/``last_date``, and ``killed`` = the sum over the
place's events of each event's lowest asserted toll.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Dataset


def write_geojson(dataset: Dataset) -> str:
    """Every place with coordinates and an event at, from or to it."""
    from queries.export.sanitise import clean_text, clean_value
    from queries.project import View, local_name, project

    graph = project(dataset, view=View.PLACES)
    features = []
    for node, data in sorted(graph.nodes(data=True), key=lambda item: item[0]):
        if data.get("group") != "Place" or data.get("lat") is None or data.get("lon") is None:
            continue
        events = [(e, graph.nodes[e], rel) for e, _, rel in graph.in_edges(node, keys=True)
                  if graph.nodes[e].get("group") == "Event"]
        if not events:
            continue
        days = sorted(str(clean_value(d.get("date") or d.get("periodStart"))) for _, d, _ in events
                      if d.get("date") or d.get("periodStart"))
        props: dict[str, Any] = {
            "name": clean_text(str(data["label"]), one_line=True) or local_name(data["iri"]), "kind": data["kind"], "iri": data["iri"],
            "events": len(events),
            "event_labels": " | ".join(sorted(clean_text(str(d["label"]), one_line=True) for _, d, _ in events)),
            "event_kinds": " | ".join(sorted({d["kind"] for _, d, _ in events})),
            "relations": " | ".join(sorted({rel for *_, rel in events})),
            "event_iris": " | ".join(sorted(e for e, _, _ in events)),
            "killed": sum(d.get("killed") or 0 for _, d, _ in events),
            "first_date": days[0] if days else None, "last_date": days[-1] if days else None,
        }
        features.append({"type": "Feature", "id": data["iri"],
                         "geometry": {"type": "Point", "coordinates": [data["lon"], data["lat"]]},
                         "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)
