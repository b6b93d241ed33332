"""``newsgraph serve`` (owned by the queries room)."""

from __future__ import annotations


def serve() -> None:
    """Serve a read-only SPARQL endpoint.

    Example: newsgraph serve --graph out/graph.trig --port 7878
    """
    raise NotImplementedError
