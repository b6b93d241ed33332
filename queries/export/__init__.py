"""Exports of the graph for the tools analysts use.

``Format`` lists them; ``export`` writes one view in one format; ``export_all``
writes every format of a view plus the ACLED CSV, GeoJSON, HTML viewer and RDF.
Projected graphs pass through ``sanitise`` once before any graph writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset

    from queries.project import View


class Format(str, Enum):
    """The export formats ``newsgraph export --format`` offers."""

    GEXF = "gexf"
    GRAPHML = "graphml"
    GRAPHML_YED = "graphml-yed"
    CYTOSCAPE = "cytoscape"
    D3 = "d3"
    DOT = "dot"
    CSV = "csv"
    GEOJSON = "geojson"
    ACLED = "acled"
    HTML = "html"
    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "jsonld"

    @classmethod
    def parse(cls, name: str | Format) -> Format:
        """The format called ``name``; an unknown name fails listing the valid ones.

        >>> Format.parse("graphml-yed") is Format.GRAPHML_YED
        True
        """
        if isinstance(name, Format):
            return name
        try:
            return cls(name.lower())
        except ValueError as err:
            from ontology.errors import UsageError

            valid = ", ".join(f.value for f in cls)
            raise UsageError(f"unknown export format {name!r}; expected one of: {valid}") from err

    @property
    def suffix(self) -> str:
        """The file name ending ``--all`` uses.

        >>> Format.GRAPHML_YED.suffix, Format.CSV.suffix
        ('.yed.graphml', '.csv')
        """
        return _SUFFIXES[self]


_SUFFIXES = {
    Format.GEXF: ".gexf", Format.GRAPHML: ".graphml", Format.GRAPHML_YED: ".yed.graphml",
    Format.CYTOSCAPE: ".cyjs", Format.D3: ".d3.json", Format.DOT: ".dot", Format.CSV: ".csv",
    Format.GEOJSON: ".geojson", Format.ACLED: ".acled.csv", Format.HTML: ".html",
    Format.TURTLE: ".ttl", Format.TRIG: ".trig", Format.NQUADS: ".nq", Format.JSONLD: ".jsonld",
}
GRAPH_FORMATS = (Format.GEXF, Format.GRAPHML, Format.GRAPHML_YED, Format.CYTOSCAPE, Format.D3,
                 Format.DOT, Format.CSV)
_RDF = {Format.TURTLE: "turtle", Format.TRIG: "trig", Format.NQUADS: "nquads", Format.JSONLD: "json-ld"}


@dataclass(frozen=True, slots=True)
class Written:
    """One file an export wrote."""

    path: Path
    fmt: Format
    view: str | None
    nodes: int | None = None
    edges: int | None = None


def csv_paths(output: str | Path) -> tuple[Path, Path]:
    """The node and edge files a CSV export writes for ``output``.

    >>> [p.name for p in csv_paths("out/events.csv")]
    ['events-nodes.csv', 'events-edges.csv']
    """
    path = Path(output)
    stem = path.name[: -len(".csv")] if path.name.endswith(".csv") else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def render(dataset: Dataset, fmt: Format | str, *, view: View | str = "events",
           cache: dict | None = None) -> dict[str, str | bytes] | str | bytes:
    """The bytes/text of one export (CSV gives ``{"nodes": …, "edges": …}``)."""
    from queries.project import View as ViewEnum
    from queries.project import evidence, project

    fmt = Format.parse(fmt)
    view = ViewEnum.parse(view)
    cache = {} if cache is None else cache
    if fmt in _RDF:
        from queries.export.rdf import write_rdf

        return write_rdf(dataset, _RDF[fmt])
    if fmt is Format.ACLED:
        from queries.export.tables import write_acled_csv

        return write_acled_csv(dataset)
    if fmt is Format.GEOJSON:
        from queries.export.geo import write_geojson

        return write_geojson(dataset)
    if view not in cache:
        from queries.export.sanitise import sanitise

        cache[view] = sanitise(project(dataset, view=view))
    graph = cache[view]
    if fmt is Format.GEXF:
        from queries.export.xml_graphs import write_gexf

        return write_gexf(graph)
    if fmt is Format.GRAPHML:
        from queries.export.xml_graphs import write_graphml

        return write_graphml(graph)
    if fmt is Format.GRAPHML_YED:
        from queries.export.xml_graphs import write_graphml_yed

        return write_graphml_yed(graph)
    if fmt is Format.CYTOSCAPE:
        from queries.export.json_graphs import write_cytoscape

        return write_cytoscape(graph)
    if fmt is Format.D3:
        from queries.export.json_graphs import write_d3

        return write_d3(graph)
    if fmt is Format.DOT:
        from queries.export.dot import write_dot

        return write_dot(graph)
    if fmt is Format.CSV:
        from queries.export.tables import write_edges_csv, write_nodes_csv

        return {"nodes": write_nodes_csv(graph), "edges": write_edges_csv(graph)}
    from queries.export.viewer import write_viewer

    if "facts" not in cache:
        cache["facts"] = evidence(dataset)
    return write_viewer(graph, cache["facts"], title=f"newsgraph — {view.value} view")


def export(dataset: Dataset, *, fmt: Format | str, view: View | str = "events", output: str | Path,
           cache: dict | None = None) -> list[Written]:
    """Write one view in one format to ``output`` (CSV writes ``…-nodes.csv`` and ``…-edges.csv``)."""
    from queries.export.files import write_atomic
    from queries.project import View as ViewEnum

    fmt = Format.parse(fmt)
    view = ViewEnum.parse(view)
    cache = {} if cache is None else cache
    content = render(dataset, fmt, view=view, cache=cache)
    graph = cache.get(view)
    counts = (graph.number_of_nodes(), graph.number_of_edges()) if graph is not None and fmt in (
        *GRAPH_FORMATS, Format.HTML) else (None, None)
    shown_view = view.value if fmt not in (*_RDF, Format.ACLED, Format.GEOJSON) else None
    if isinstance(content, dict):
        nodes_path, edges_path = csv_paths(output)
        return [Written(write_atomic(nodes_path, content["nodes"]), fmt, shown_view, *counts),
                Written(write_atomic(edges_path, content["edges"]), fmt, shown_view, *counts)]
    return [Written(write_atomic(output, content), fmt, shown_view, *counts)]


def export_all(dataset: Dataset, *, output: str | Path, view: View | str = "events",
               protect: tuple[str | Path, ...] = ()) -> list[Written]:
    """Every graph format of ``view`` plus ACLED CSV, GeoJSON, the HTML viewer and RDF, into ``output``.

    Files are named ``{view}.gexf`` …, ``acled.csv``, ``places.geojson``, ``viewer.html`` and
    ``newsgraph.ttl|trig|nq|jsonld``; a path in ``protect`` (the input graph) is never overwritten.
    """
    from ontology.errors import UsageError
    from queries.project import View as ViewEnum

    view = ViewEnum.parse(view)
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--all needs a directory for --output, got the file {folder}")
    plan = [(fmt, folder / f"{view.value}{fmt.suffix}") for fmt in GRAPH_FORMATS]
    plan += [(Format.ACLED, folder / "acled.csv"), (Format.GEOJSON, folder / "places.geojson"),
             (Format.HTML, folder / "viewer.html")]
    plan += [(fmt, folder / f"newsgraph{fmt.suffix}") for fmt in _RDF]
    protected = {Path(p).resolve() for p in protect}
    cache: dict = {}
    written: list[Written] = []
    for fmt, path in plan:
        if path.resolve() in protected:
            raise UsageError(f"{path} is the input graph; expected an output that does not overwrite it")
        written += export(dataset, fmt=fmt, view=view, output=path, cache=cache)
    return written
