from __future__ import annotations

from datetime import date

import pytest

from builder.dates import find_dates

PUB = date(2024, 3, 10)  # a Sunday


@pytest.mark.parametrize(("text", "words", "day"), [
    ("On Saturday, drones hit Kharkiv", "On Saturday", date(2024, 3, 9)),
    ("killed on Sunday", "on Sunday", date(2024, 3, 10)),
    ("shelled on Monday", "on Monday", date(2024, 3, 4)),
    ("yesterday", "yesterday", date(2024, 3, 9)),
    ("on March 2", "on March 2", date(2024, 3, 2)),
])
def test_point_dates_resolve_on_or_before_publication(text: str, words: str, day: date) -> None:
    found = find_dates(text, published=PUB)[0]
    assert (found.text, found.date) == (words, day)


@pytest.mark.parametrize(("text", "start"), [
    ("fled over the past two days", date(2024, 3, 8)),
    ("in the past week", date(2024, 3, 3)),
    ("since November 1", date(2023, 11, 1)),
    ("since the war began in April", date(2023, 4, 1)),
])
def test_periods_end_at_publication(text: str, start: date) -> None:
    found = find_dates(text, published=PUB)[0]
    assert (found.kind, found.period_start, found.period_end) == ("period", start, PUB)


def test_without_publication_date_only_the_words_are_kept() -> None:
    found = find_dates("On Saturday", published=None)[0]
    assert (found.text, found.date) == ("On Saturday", None)
