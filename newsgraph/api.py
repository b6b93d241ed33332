"""Public Python API: thin functions that import the layers lazily and wire them."""

from __future__ import annotations

from typing import Any


def build(paths: list[str], *, output: str, **options: Any) -> Any:
    """Build a graph from ``paths`` into ``output`` (file, store directory or endpoint URL).

    Options are those of ``builder.pipeline.build`` (``jobs``, ``merge``, ``publisher``,
    ``published`` as a date or ``YYYY-MM-DD``, ``base``, ``progress``, ``quarantine_path``);
    returns its ``BuildReport``.
    """
    from builder.pipeline import build as _build

    return _build(list(paths), output, **options)


def open(location: str) -> Any:  # noqa: A001 - mirrors the builtin on purpose
    """Open a graph file, Oxigraph store directory or SPARQL endpoint as an rdflib Dataset."""
    raise NotImplementedError


def query(name: str, *, graph: str = "out/graph.trig", **params: Any) -> list[dict[str, Any]]:
    """Run a named query (or a .rq file) with bound parameters; return rows as dicts."""
    raise NotImplementedError


def export(graph: str, *, view: str = "events", fmt: str = "gexf", output: str) -> Any:
    """Project the graph into a view and write it in a visualisation format."""
    raise NotImplementedError


def validate(graph: str) -> Any:
    """Validate a graph against the SHACL shapes and the ontology's consistency."""
    raise NotImplementedError
