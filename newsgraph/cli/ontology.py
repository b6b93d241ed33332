"""``newsgraph ontology`` (owned by the ontology room)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Print the ontology or write its HTML documentation.", no_args_is_help=True)


@app.command("print")
def print_ontology() -> None:
    """Print the ontology as Turtle.

    Example: newsgraph ontology print
    """
    raise NotImplementedError
