"""``newsgraph query`` and ``newsgraph queries`` (owned by the queries room).

Rows go to stdout and nothing else does: ``--format csv`` prints exactly the CSV
(header + rows). Warnings (a row cap that cut the answer) go to stderr.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from queries.runner import OutputFormat


def query(
    name: Annotated[str, typer.Argument(help="A named query (see `newsgraph queries`), a .rq file, or - for stdin.")],
    graph: Annotated[str, typer.Option("--graph", "-g", help="Graph file (.trig/.nq/.ttl/.jsonld), Oxigraph store directory or SPARQL endpoint URL.")] = "out/graph.trig",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A query parameter NAME=VALUE (repeatable), bound as an RDF term.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv (header = SELECT variables), tsv, or json (SPARQL 1.1 Query Results JSON).")] = OutputFormat.table,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Give up after this many seconds.")] = 60.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Return at most this many rows (a warning says when the answer was cut).")] = 100_000,
) -> None:
    """Run a named SPARQL query, a .rq file, or a query on stdin, over a graph.

    Parameters are bound as RDF terms, never pasted into the query text. The
    default graph is the union of all named graphs; SERVICE, FROM and LOAD are refused.

    Example: newsgraph query attacks-in-place --graph out/graph.trig --param place=Idlib --format csv
    """
    from ontology.store import open_store
    from queries.runner import bind, load_query, parse_params, run_query, write_result

    spec = load_query(name)
    params = parse_params(param or [])
    bind(spec, params)  # bad parameters fail before a large graph is opened

    with open_store(graph, mode="r") as store:
        result = run_query(spec, store, params, timeout=timeout, max_rows=max_rows)
    write_result(result, fmt, sys.stdout, title=spec.title)
    sys.stdout.flush()  # a cut answer was reported on stderr by the runner's warning


def list_queries(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = OutputFormat.table,
) -> None:
    """List the named queries: what each answers, its parameters and an example.

    Example: newsgraph queries
    """
    from rdflib import Literal

    from ontology.store import QueryResult
    from queries.runner import library, write_result

    rows = []
    for name, spec in sorted(library().items()):
        params = "; ".join(
            f"{p.name}: {p.type}{' (optional)' if p.optional else ''}{' — ' + p.doc if p.doc else ''}"
            for p in spec.params
        )
        rows.append(tuple(Literal(v) for v in (name, spec.title, spec.description, params, spec.example)))
    result = QueryResult(vars=["name", "title", "description", "parameters", "example"], rows=rows)
    write_result(result, fmt, sys.stdout, title="newsgraph queries")
