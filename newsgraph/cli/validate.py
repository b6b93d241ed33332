"""``newsgraph validate`` (owned by the ontology room)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer


def validate(
    graph: Annotated[str, typer.Argument(
        help="Graph file (.trig, .nq, .jsonld, .ttl, .nt), Oxigraph store directory or SPARQL endpoint URL.")
    ] = "out/graph.trig",
    reason: Annotated[bool, typer.Option(
        "--reason/--no-reason", help="Also check consistency with the ontology (HermiT reasoner, needs Java 17).")
    ] = True,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many results on stderr.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Also write every result as JSON to stdout.")] = False,
) -> None:
    """Validate a graph against the SHACL shapes and the ontology.

    The shapes run over the union of all named graphs. Exit 0 when the graph is
    valid, 1 when it is not; the report (one line per violation or warning:
    node, property, value, what was expected) goes to stderr.

    Example: newsgraph validate out/graph.trig
    """
    from newsgraph import api
    from newsgraph.cli.common import console
    from ontology.errors import ValidationError
    from ontology.validation import short

    report = api.validate(graph, reason=reason)
    if as_json:
        rows = [{"severity": r.severity, "focus": str(r.focus) if r.focus is not None else None,
                 "path": str(r.path) if r.path is not None else None,
                 "value": short(r.value) if r.value is not None else None,
                 "message": r.message, "source": r.source} for r in report.results]
        json.dump({"conforms": report.conforms, "triples": report.triples, "results": rows},
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    out = console()
    style = "green" if report.conforms else "bold red"
    out.print(f"{graph}: {report.summary()}", style=style, markup=False, soft_wrap=True)
    for line in report.text(limit=limit).splitlines()[1:]:
        out.print(line, markup=False, soft_wrap=True)
    if not report.conforms:
        raise ValidationError(f"{graph}: {len(report.violations)} violation(s) listed above; expected a graph "
                              "that conforms to ontology/shapes.ttl and is consistent with the ontology")
