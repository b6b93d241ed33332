from __future__ import annotations

import pytest

from builder.numbers import find_figures, parse_figure


@pytest.mark.parametrize(("text", "value", "qualifier"), [
    ("at least eight", 8, "at_least"),
    ("more than half a million", 500000, "more_than"),
    ("some 200,000", 200000, "about"),
    ("Dozens", 24, "at_least"),
    ("scores", 40, "at_least"),
    ("tens of thousands", 10000, "at_least"),
    ("thousands", 1000, "at_least"),
    ("1.5 million", 1500000, "exact"),
    ("nearly 300", 300, "about"),
    ("up to 40", 40, "up_to"),
    ("twenty-five", 25, "exact"),
])
def test_parse_figure_values_and_qualifiers(text: str, value: int, qualifier: str) -> None:
    figure = parse_figure(text)
    assert figure is not None
    assert (figure.value, figure.qualifier, figure.text) == (value, qualifier, text)


@pytest.mark.parametrize("text", ["no one", "a fourth consecutive day", "the villages"])
def test_no_number_no_figure(text: str) -> None:
    assert parse_figure(text) is None


def test_find_figures_offsets_are_exact() -> None:
    text = "leaving at least eight dead and scores injured"
    for found in find_figures(text):
        assert text[found.start:found.end] == found.figure.text
