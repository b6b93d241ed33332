"""Public Python API: thin functions that import the layers lazily and wire them."""

from __future__ import annotations

from typing import Any


def build(paths: list[str], *, output: str, **options: Any) -> Any:
    """Build a graph from ``paths`` into ``output`` (file, store directory or endpoint URL).

    Options are those of ``builder.pipeline.build`` (``jobs``, ``merge``, ``publisher``,
    ``published`` as a date or ``YYYY-MM-DD``, ``base``, ``progress``, ``quarantine_path``,
    ``scheduler``, ``batch``: articles per store transaction, ``rebuild``: process also the
    articles the output holds unchanged); returns its ``BuildReport``.
    """
    from builder.pipeline import build as _build

    return _build(list(paths), output, **options)


def open(location: str) -> Any:  # noqa: A001 - mirrors the builtin on purpose
    """Open a graph file, Oxigraph store directory or SPARQL endpoint as an rdflib Dataset.

    The default graph is the union of the named graphs (one per article, plus
    entities and resolution). A file is read into memory, a store directory is
    opened read-only through oxrdflib, a URL is queried over the SPARQL Protocol.
    ``.query()`` refuses SERVICE, FROM and LOAD.
    """
    from ontology.store import open_dataset

    return open_dataset(location)


def query(name: str, *, graph: str = "out/graph.trig", **params: Any) -> list[dict[str, Any]]:
    """Run a named query (or a .rq file) with bound parameters; return rows as dicts.

    Parameters are bound as RDF terms of the type the query declares (string, date,
    integer, iri); values are rdflib IRIs, Python values for literals, None if unbound::

        newsgraph.query("attacks-in-place", graph="out/graph.trig", place="Idlib")
    """
    from rdflib import Literal

    from queries.runner import run

    result = run(name, graph, params)
    return [{var: (term.toPython() if isinstance(term, Literal) else term) for var, term in row.items()}
            for row in result.dicts()]


def export(graph: str, *, view: str = "events", fmt: str = "gexf", output: str | None = None,
           all_formats: bool = False) -> Any:
    """Project the graph into a view and write it in a visualisation format; return the files written.

    ``output`` defaults to ``out/{view}.{ext}``; ``"-"`` writes to stdout. With
    ``all_formats`` it is a directory receiving every format of the view plus the
    ACLED CSV, GeoJSON, HTML viewer and RDF (the input graph is never overwritten).
    """
    import sys
    from pathlib import Path

    from ontology.errors import UsageError
    from queries.export import Format, export_all, render
    from queries.export import export as write_export
    from queries.project import View, open_graph

    view_name, fmt_name = View.parse(view), Format.parse(fmt)
    target = Path(output or f"out/{view_name.value}{fmt_name.suffix}")
    if not all_formats and output != "-" and target.exists() and target.resolve() == Path(graph).resolve():
        raise UsageError(f"{target} is the input graph; expected an output that does not overwrite it")
    with open_graph(graph) as source:
        if all_formats:
            return export_all(source, output=output or "out", view=view_name, protect=(graph,))
        if output == "-":
            content = render(source, fmt_name, view=view_name)
            if isinstance(content, dict):
                raise UsageError("--format csv writes two files (nodes and edges); expected --output FILE, not -")
            sys.stdout.buffer.write(content if isinstance(content, bytes) else content.encode("utf-8"))
            return []
        return write_export(source, fmt=fmt_name, view=view_name, output=target)


def validate(graph: str, *, reason: bool = True) -> Any:
    """Validate a graph against the SHACL shapes and (``reason=True``) the ontology's consistency.

    ``graph`` is a graph file, an Oxigraph store directory or a SPARQL endpoint URL.
    Returns an ``ontology.validation.ValidationReport``: ``.conforms``, ``.results``
    (focus node, path, message, severity), ``.text()`` for a readable report.
    """
    from ontology.store import open_store
    from ontology.validation import validate as validate_dataset

    with open_store(graph) as store:
        dataset = store.dataset()
    return validate_dataset(dataset, reason=reason)
