"""The ``newsgraph`` command line: every command is registered here, in one place.

Data goes to stdout; progress, warnings and errors go to stderr. Exit codes: 0 ok,
1 data rejected or validation failed, 2 usage error, 65 input quarantined,
73-75 environment failures (cannot create output, I/O error, store in use).
"""

from __future__ import annotations

import sys

import typer

from newsgraph.cli import build as _build
from newsgraph.cli import export as _export
from newsgraph.cli import ontology as _ontology
from newsgraph.cli import query as _query
from newsgraph.cli import serve as _serve
from newsgraph.cli import validate as _validate

app = typer.Typer(
    name="newsgraph",
    help=(
        "Build an RDF knowledge graph of attacks, displacement, actors, places and "
        "their sources from conflict news, then query, validate, serve and export it.\n\n"
        "Example: newsgraph build examples/ --output out/graph.trig && "
        "newsgraph query attacks --graph out/graph.trig"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

app.command("build")(_build.build)
app.command("query")(_query.query)
app.command("queries")(_query.list_queries)
app.command("export")(_export.export)
app.command("serve")(_serve.serve)
app.command("validate")(_validate.validate)
app.add_typer(_ontology.app, name="ontology")


def main() -> None:
    """Console-script entry point: run the app and turn newsgraph errors into exit codes."""
    from newsgraph.cli.common import run

    sys.exit(run(app))
