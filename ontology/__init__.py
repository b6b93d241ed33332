"""The newsgraph ontology: vocabulary, shapes, IRI minting, stores and reasoning.

This is the ground floor: ``builder`` and ``queries`` import it, it imports
neither. Nothing heavy happens at import time; the reasoner, SHACL engine and
stores load lazily behind functions.
"""

from __future__ import annotations

from pathlib import Path

from ontology.errors import (
    DiskFullError,
    ExportError,
    InputError,
    NewsgraphError,
    QueryError,
    StoreError,
    StoreLockedError,
    UsageError,
    ValidationError,
)
from ontology.iri import DEFAULT_BASE, mint
from ontology.namespace import NG

ONTOLOGY_IRI = "https://w3id.org/newsgraph/ontology"
HERE = Path(__file__).resolve().parent
ONTOLOGY_TTL = HERE / "newsgraph.ttl"
SHAPES_TTL = HERE / "shapes.ttl"

__all__ = [
    "DEFAULT_BASE",
    "NG",
    "ONTOLOGY_IRI",
    "ONTOLOGY_TTL",
    "SHAPES_TTL",
    "DiskFullError",
    "ExportError",
    "InputError",
    "NewsgraphError",
    "QueryError",
    "StoreError",
    "StoreLockedError",
    "UsageError",
    "ValidationError",
    "mint",
]
