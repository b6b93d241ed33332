"""``newsgraph export`` (owned by the exports room)."""

from __future__ import annotations


def export() -> None:
    """Export the graph for visualisation tools.

    Example: newsgraph export --graph out/graph.trig --view events --format gexf --output out/events.gexf
    """
    raise NotImplementedError
