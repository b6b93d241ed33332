"""``newsgraph validate`` (owned by the ontology room)."""

from __future__ import annotations


def validate() -> None:
    """Validate a graph against the SHACL shapes and the ontology.

    Example: newsgraph validate out/graph.trig
    """
    raise NotImplementedError
