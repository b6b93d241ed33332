"""RDF serialisations of the dataset: Turtle (the union of all graphs), TriG, N-Quads and
JSON-LD compacted with the published ``@context`` (``ontology/context.jsonld``) when it exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Dataset

CONTEXT = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
PREFIXES = {"ng": "https://w3id.org/newsgraph/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
            "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


def _bind(target: object) -> None:
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns, override=True)  # type: ignore[attr-defined]


def write_rdf(dataset: Dataset | Any, fmt: str) -> str | bytes:
    """``fmt`` is ``turtle``, ``trig``, ``nquads`` (streamed from a Store or Dataset and written by
    Oxigraph, fast) or ``json-ld`` (rdflib, compacted with the context)."""
    from rdflib import Dataset as RDFDataset

    from queries.project import as_dataset

    if fmt in ("turtle", "trig", "nquads"):
        return _oxigraph_serialise(dataset, fmt)
    dataset = as_dataset(dataset)
    copy = RDFDataset()
    _bind(copy)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g is not None:
            copy.add((s, p, o, copy.graph(g.identifier if hasattr(g, "identifier") else g)))
    if fmt == "json-ld":
        context = json.loads(CONTEXT.read_text(encoding="utf-8")) if CONTEXT.is_file() else dict(PREFIXES)
        context = context.get("@context", context) if isinstance(context, dict) else context
        return copy.serialize(format="json-ld", context=context, auto_compact=True)
    return copy.serialize(format=fmt)


def _oxigraph_serialise(dataset: Dataset | Any, fmt: str) -> bytes:
    """Turtle (the union of all graphs, each triple once), TriG or N-Quads, serialised by pyoxigraph."""
    import pyoxigraph as ox

    from ontology.rdfio import to_oxigraph

    quads = dataset.quads() if hasattr(dataset, "graph_names") else dataset.quads((None, None, None, None))
    if fmt == "turtle":
        seen = {(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o, _ in quads}
        items: list = [ox.Triple(*t) for t in sorted(seen, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))]
    else:
        items = []
        for s, p, o, g in quads:
            name = getattr(g, "identifier", g)
            graph = ox.DefaultGraph() if name is None or str(name).startswith("urn:x-rdflib:") else to_oxigraph(name)
            items.append(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph))
        items.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    prefixes = PREFIXES if fmt != "nquads" else None
    return ox.serialize(items, format=rdf_format, prefixes=prefixes)
