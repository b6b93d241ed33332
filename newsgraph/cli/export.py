"""``newsgraph export`` (owned by the exports room)."""

from __future__ import annotations

from typing import Annotated

import typer

from queries.export import Format
from queries.project import View


def export(
    graph: Annotated[str, typer.Option("--graph", "-g", help="Graph file, Oxigraph store directory or SPARQL endpoint URL.")] = "out/graph.trig",
    view: Annotated[View, typer.Option("--view", "-v", help="events: attacks and displacements with places, actors, sources; actors: actor network; sources: who reports what; places: places and their events; full: every resource.", case_sensitive=False)] = View.EVENTS,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format (gexf for Gephi, graphml, graphml-yed, cytoscape, d3, dot, csv, geojson, acled, html viewer, turtle, trig, nquads, jsonld).", case_sensitive=False)] = Format.GEXF,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Output file (default out/VIEW.EXT; - for stdout); with --all, a directory.")] = None,
    all_formats: Annotated[bool, typer.Option("--all", help="Write every format of the view plus ACLED CSV, GeoJSON, the HTML viewer and RDF into the --output directory.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list the files written on stderr.")] = False,
) -> None:
    """Export the graph for visualisation tools: Gephi, yEd, Cytoscape, sigma.js, D3, Graphviz, Kumu, QGIS, a browser.

    CSV writes two files, OUTPUT-nodes.csv and OUTPUT-edges.csv. Exit codes: 0 written,
    1 export failed, 2 usage error, 65 graph unreadable, 73 output cannot be written.

    Example: newsgraph export --graph out/graph.trig --view events --format gexf --output out/events.gexf
    """
    from newsgraph import api
    from newsgraph.cli.common import console

    written = api.export(graph, view=view.value, fmt=fmt.value, output=output, all_formats=all_formats)
    if not quiet:
        for item in written:
            counts = f" ({item.nodes} nodes, {item.edges} edges)" if item.nodes is not None else ""
            console().print(f"wrote {item.path} [{item.fmt.value}]{counts}", markup=False)
