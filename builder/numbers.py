"""Figures as sources give them: "at least eight", "more than half a million", "dozens".

A figure becomes an integer with a qualifier; vague amounts become their lower
bound (table in ``builder/data/vague_amounts.csv``) and always keep their words.
No number in the text, no figure.

>>> parse_figure("at least 25,000")
Figure(value=25000, qualifier='at_least', text='at least 25,000', women=None, children=None)
>>> parse_figure("Tens of thousands")
Figure(value=10000, qualifier='at_least', text='Tens of thousands', women=None, children=None)
>>> parse_figure("more than half a million").value
500000
>>> parse_figure("nobody") is None
True
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from builder.records import Figure, Qualifier

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("builder").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@cache
def vague_amounts() -> dict[str, tuple[int, Qualifier]]:
    """Vague phrase (lower case) -> (lower bound, qualifier), longest phrases first."""
    rows = _data_rows("vague_amounts.csv")
    table = {r["phrase"].lower(): (int(r["value"]), r["qualifier"]) for r in rows}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


@cache
def qualifiers() -> dict[str, Qualifier]:
    """Qualifier phrase (lower case) -> qualifier, longest first."""
    rows = _data_rows("qualifiers.csv")
    table = {r["phrase"].lower(): r["qualifier"] for r in rows}
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def figure_pattern() -> re.Pattern[str]:
    """One compiled regex for a qualified number: (qualifier) (amount)."""
    word = _alt(list(_WORD_VALUES) + list(_SCALES))
    word_number = rf"(?:{word})(?:(?:\s+|-|\s+and\s+)(?:{word}))*"
    digits = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    digit_number = rf"(?:{digits})(?:\s+(?:million|billion|thousand))?"
    amount = rf"(?:{_alt(list(vague_amounts()))}|{digit_number}|{word_number})"
    return re.compile(
        rf"(?<![\w-])(?:(?P<qual>{_alt(list(qualifiers()))})\s+)?(?P<amount>{amount})(?![\w-])",
        re.IGNORECASE,
    )


def amount_value(words: str) -> tuple[int, Qualifier | None] | None:
    """The integer an amount's words give, and the qualifier a vague amount implies.

    >>> amount_value("1.5 million")
    (1500000, None)
    >>> amount_value("twenty-five")
    (25, None)
    >>> amount_value("scores")
    (40, 'at_least')
    """
    key = re.sub(r"\s+", " ", words.strip().lower())
    if key in vague_amounts():
        value, qual = vague_amounts()[key]
        return value, qual
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?:\s+(million|billion|thousand))?", key)
    if match:
        number = float(match.group(1).replace(",", ""))
        if match.group(2):
            number *= _SCALES[match.group(2)]
        return int(round(number)), None
    total, current = 0, 0
    for token in re.split(r"[\s-]+", key):
        if token == "and":
            continue
        if token in _WORD_VALUES:
            current += _WORD_VALUES[token]
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
    return total + current, None


@dataclass(frozen=True, slots=True)
class FoundFigure:
    """A figure found in a text, with its character offsets."""

    start: int
    end: int
    figure: Figure


def find_figures(text: str) -> list[FoundFigure]:
    """Every qualified number in ``text``, left to right, with offsets.

    >>> [f.figure.value for f in find_figures("at least eight dead and scores injured")]
    [8, 40]
    """
    found = []
    for match in figure_pattern().finditer(text):
        value = amount_value(match.group("amount"))
        if value is None or re.search(r"\bno\s+$", text[max(0, match.start() - 4):match.start()], re.IGNORECASE):
            continue  # "no one" counts nobody
        number, implied = value
        qual = match.group("qual")
        qualifier: Qualifier = qualifiers()[re.sub(r"\s+", " ", qual.lower())] if qual else (implied or "exact")
        found.append(FoundFigure(match.start(), match.end(), Figure(number, qualifier, match.group(0))))
    return found


def parse_figure(text: str) -> Figure | None:
    """The first figure in ``text``, or ``None`` when there is no number."""
    found = find_figures(text)
    return found[0].figure if found else None
