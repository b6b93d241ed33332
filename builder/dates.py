"""Relative dates resolved against the publication date.

"on Sunday" is the most recent Sunday on or before publication; "since November 1"
starts a period that ends at publication; "over the past two days" is the two
days before publication. Without a publication date only the words are kept.
The words (weekdays, months, unit lengths) are in ``builder/data/date_words.toml``.

>>> from datetime import date
>>> [(d.text, d.date) for d in find_dates("On Saturday, jets hit a market", published=date(2019, 12, 22))]
[('On Saturday', datetime.date(2019, 12, 21))]
>>> d = find_dates("fled over the past two days", published=date(2019, 12, 22))[0]
>>> (d.text, d.period_start, d.period_end)
('over the past two days', datetime.date(2019, 12, 20), datetime.date(2019, 12, 22))
>>> find_dates("since November 1", published=date(2019, 12, 22))[0].period_start
datetime.date(2019, 11, 1)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal

from builder.numbers import amount_value


@cache
def date_words() -> dict[str, Any]:
    """The date word tables, loaded once."""
    text = resources.files("builder").joinpath("data", "date_words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    w = date_words()
    month = _alt(w["months"] + w["month_abbreviations"])
    weekday = _alt(w["weekdays"])
    unit = _alt(list(w["units"]))
    count = r"[a-z]+|\d+"
    since = _alt(w["periods"]["since"])
    past = _alt(w["periods"]["past"])
    offset = _alt(list(w["offsets"]))
    day_month = rf"(?:(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{month})\.?)(?:,?\s+(?P<y>\d{{4}}))?"
    flags = re.IGNORECASE
    return [
        ("since_day", re.compile(rf"\b(?:{since})\s+(?:{day_month})\b", flags)),
        ("since_month", re.compile(rf"\b(?:{since})\s+(?:(?:early|mid|late)[-\s])?(?P<m>{month})(?:\s+(?P<y>\d{{4}}))?\b", flags)),
        ("since_month", re.compile(rf"\b(?:{since})\s+(?:[a-z]+\s+){{0,3}}?(?:began|started|begun|erupted|escalated)\s+in\s+(?:(?:early|mid|late)[-\s])?(?P<m>{month})(?:\s+(?P<y>\d{{4}}))?\b", flags)),
        # "from Sunday's strike" is the strike of Sunday, not a period from Sunday on
        ("since_weekday", re.compile(rf"\b(?:{since})\s+(?:last\s+)?(?P<w>{weekday})\b(?!['’]s)", flags)),
        ("since_year", re.compile(rf"\b(?:{since})\s+(?:(?:early|mid|late)[-\s])?(?P<y>\d{{4}})\b", flags)),
        ("since_start", re.compile(rf"\b(?:{since})\s+the\s+(?:beginning|start)\s+of\s+(?:the|this)\s+(?P<u>year|month|week)\b", flags)),
        ("past", re.compile(rf"\b(?:{past})\s+(?:(?P<n>{count})\s+)?(?P<u>{unit})\b", flags)),
        ("on_day", re.compile(rf"\b(?:on\s+)?(?:{day_month})\b", flags)),
        ("weekday", re.compile(rf"\b(?:(?:on|last|this|late|early)\s+)?(?P<w>{weekday})(?:\s+(?:morning|afternoon|evening|night))?\b", flags)),
        ("offset", re.compile(rf"\b(?P<o>{offset})\b", flags)),
        ("in_month", re.compile(rf"\bin\s+(?:(?:early|mid|late)[-\s])?(?P<m>{month})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", flags)),
        ("in_year", re.compile(rf"\bin\s+(?:(?:early|mid|late)[-\s])?(?P<y>(?:19|20)\d{{2}})\b", flags)),
    ]


_NEED_DIGITS = frozenset({"since_day", "since_year", "on_day", "in_month", "in_year"})  # a day or a year in figures
_DIGIT = re.compile(r"\d")


@cache
def _since_guard() -> re.Pattern[str]:
    """The words every ``since_*`` pattern starts with: one scan tells whether any of the six can match."""
    return re.compile(rf"\b(?:{_alt(date_words()['periods']['since'])})\s", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date expression in a text: its offsets, words and resolved values."""

    start: int
    end: int
    text: str
    kind: Literal["point", "period"]
    date: date | None = None
    period_start: date | None = None
    period_end: date | None = None


def _month_number(name: str) -> int:
    w = date_words()
    key = name.lower().rstrip(".")
    if key in w["months"]:
        return w["months"].index(key) + 1
    return w["month_abbreviations"].index(key[:3]) + 1


def _before(published: date, month: int, day: int, year: str | None) -> date | None:
    """The day/month on or before publication (or in the year given)."""
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(published.year, month, day)
    except ValueError:
        return None
    return candidate if candidate <= published else candidate.replace(year=published.year - 1)


def _resolve(kind: str, m: re.Match[str], published: date | None) -> FoundDate | None:
    text, start, end = m.group(0), m.start(), m.end()
    w = date_words()
    groups = m.groupdict()
    if kind in ("since_day", "on_day"):
        month = _month_number(groups["m1"] or groups["m2"])
        day = int(groups["d1"] or groups["d2"])
        resolved = _before(published, month, day, groups["y"]) if published else (
            _before(date(int(groups["y"]), 12, 31), month, day, groups["y"]) if groups["y"] else None)
        if kind == "since_day":
            return FoundDate(start, end, text, "period", period_start=resolved, period_end=published if resolved else None)
        return FoundDate(start, end, text, "point", date=resolved)
    if kind == "since_month":
        month = _month_number(groups["m"])
        resolved = _before(published, month, 1, groups["y"]) if published else None
        return FoundDate(start, end, text, "period", period_start=resolved, period_end=published if resolved else None)
    if kind == "since_start":
        if published is None:
            return FoundDate(start, end, text, "period")
        unit = groups["u"].lower()
        first = (published.replace(month=1, day=1) if unit == "year" else published.replace(day=1) if unit == "month"
                 else published - timedelta(days=published.weekday()))
        return FoundDate(start, end, text, "period", period_start=first, period_end=published)
    if kind == "since_year":
        return FoundDate(start, end, text, "period", period_start=date(int(groups["y"]), 1, 1),
                         period_end=published)
    if kind == "past":
        unit = w["units"][groups["u"].lower()]
        n = 1
        if groups["n"]:
            value = amount_value(groups["n"])
            if value is None:
                return None
            n = value[0]
        if published is None:
            return FoundDate(start, end, text, "period")
        return FoundDate(start, end, text, "period", period_start=published - timedelta(days=n * unit),
                         period_end=published)
    if kind == "since_weekday":
        if published is None:
            return FoundDate(start, end, text, "period")
        back = (published.weekday() - w["weekdays"].index(groups["w"].lower())) % 7
        return FoundDate(start, end, text, "period", period_start=published - timedelta(days=back), period_end=published)
    if kind == "weekday":
        if published is None:
            return FoundDate(start, end, text, "point")
        target = w["weekdays"].index(groups["w"].lower())
        back = (published.weekday() - target) % 7
        if text.lower().startswith("last ") and back == 0:
            back = 7
        return FoundDate(start, end, text, "point", date=published - timedelta(days=back))
    if kind == "offset":
        days = w["offsets"][re.sub(r"\s+", " ", groups["o"].lower())]
        return FoundDate(start, end, text, "point", date=published - timedelta(days=days) if published else None)
    if kind == "in_month":  # "in October 2017": that month
        year, month = int(groups["y"]), _month_number(groups["m"])
        last = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
        return FoundDate(start, end, text, "period", period_start=date(year, month, 1), period_end=last)
    if kind == "in_year":
        return FoundDate(start, end, text, "period", period_start=date(int(groups["y"]), 1, 1),
                         period_end=date(int(groups["y"]), 12, 31))
    return None


def find_dates(text: str, *, published: date | None) -> list[FoundDate]:
    """Date expressions in ``text``, non-overlapping, left to right (earlier patterns win)."""
    taken: list[FoundDate] = []
    since = _since_guard().search(text) is not None
    digits = _DIGIT.search(text) is not None
    for kind, pattern in _patterns():
        if (kind.startswith("since") and not since) or (kind in _NEED_DIGITS and not digits):
            continue  # the pattern cannot match: skip its scan
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in taken):
                continue
            found = _resolve(kind, m, published)
            if found is not None:
                taken.append(found)
    return sorted(taken, key=lambda d: d.start)
