"""``newsgraph query`` and ``newsgraph queries`` (owned by the queries room)."""

from __future__ import annotations

from typing import Annotated

import typer


def query(
    name: Annotated[str, typer.Argument(help="A named query, a .rq file, or - for stdin.")],
    graph: Annotated[str, typer.Option("--graph", "-g", help="Graph file, Oxigraph store directory or SPARQL endpoint URL.")] = "out/graph.trig",
) -> None:
    """Run a named SPARQL query.

    Example: newsgraph query attacks --graph out/graph.trig --format csv
    """
    raise NotImplementedError


def list_queries() -> None:
    """List the named queries with what they answer.

    Example: newsgraph queries
    """
    raise NotImplementedError
