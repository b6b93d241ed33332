"""``newsgraph ontology`` (owned by the ontology room)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Print the ontology or write its HTML documentation.", no_args_is_help=True)


@app.command("print")
def print_ontology(
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="ttl (the source file, comments kept), jsonld (with the published @context) or nt.")
    ] = "ttl",
) -> None:
    """Print the ontology to stdout.

    Example: newsgraph ontology print --format jsonld
    """
    from ontology.docs import serialize

    sys.stdout.write(serialize(fmt))


@app.command("docs")
def docs(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("out/ontology.html"),
) -> None:
    """Write the ontology's HTML documentation (pyLODE; offline).

    Example: newsgraph ontology docs --output out/ontology.html
    """
    from newsgraph.cli.common import console
    from ontology.docs import write_html

    path = write_html(output)
    console().print(f"wrote {path} ({path.stat().st_size // 1024} KiB)", markup=False)
