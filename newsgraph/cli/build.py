"""``newsgraph build``: read articles and write their knowledge graph (owned by the builder)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def build(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output: .trig/.nq/.ttl/.jsonld file, Oxigraph store directory, or SPARQL endpoint URL.")] = "out/graph.trig",
) -> None:
    """Build the knowledge graph from news articles.

    Example: newsgraph build examples/ --output out/graph.trig
    """
    raise NotImplementedError
