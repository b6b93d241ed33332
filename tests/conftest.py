"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    """The real annotation pipeline (model + domain components), loaded once per session."""
    from builder.nlp import load_nlp

    return load_nlp()
