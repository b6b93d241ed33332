"""Fixtures for the ontology tests: the hand-written valid dataset, parsed fresh per test."""

from __future__ import annotations

import pytest
from ontology_test_data import load_valid
from rdflib import Dataset


@pytest.fixture
def valid_dataset() -> Dataset:
    """A fresh copy per test, so tests may break it."""
    return load_valid()
