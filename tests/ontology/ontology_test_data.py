"""Shared test data for tests/ontology: the hand-written valid dataset and its IRIs."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Namespace

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_TRIG = FIXTURES / "valid.trig"
ID = Namespace("https://w3id.org/newsgraph/id/")
ARTICLE_GRAPH = ID["graph/article/0123456789abcdef"]
ENTITIES_GRAPH = ID["graph/entities"]
RESOLUTION_GRAPH = ID["graph/resolution"]


def load_valid() -> Dataset:
    """The valid fixture as a Dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    dataset.parse(VALID_TRIG, format="trig")
    return dataset
