"""newsgraph: a knowledge graph of conflict news, with provenance for every fact.

The public Python API, wiring the ``builder`` (write side) and ``queries``
(read side) over the ``ontology``::

    import newsgraph
    newsgraph.build(["examples/"], output="out/graph.trig")
    ds = newsgraph.open("out/graph.trig")          # an rdflib Dataset
    rows = newsgraph.query("attacks", graph="out/graph.trig", place="Idlib")

Nothing heavy is imported until a function is called.
"""

from __future__ import annotations

from newsgraph.api import build, export, open, query, validate  # noqa: A004 - open() is the API

__version__ = "0.1.0"
__all__ = ["build", "export", "open", "query", "validate", "__version__"]
