"""Hand-built extractions for the resolution tests: mentions found by their words in an invented text."""

from __future__ import annotations

from datetime import date

from builder.records import ArticleInput, EntityMention, Extraction, Span


def article(text: str, *, publisher: str | None = None, published: date | None = date(2024, 3, 2)) -> ArticleInput:
    return ArticleInput(text=text, source="test.txt", publisher=publisher, published=published, language="en")


def span(text: str, words: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return Span(start, start + len(words), words, 0, text)


def extraction(text: str, mentions: list[tuple[str, str, str]] | list[tuple], *, publisher: str | None = None) -> Extraction:
    """``mentions``: (kind, cls, words[, occurrence[, name]]) in any order; ids m0, m1 … follow the list."""
    ex = Extraction(article(text, publisher=publisher))
    for i, item in enumerate(mentions):
        kind, cls, words, *rest = item
        occurrence = rest[0] if rest else 0
        name = rest[1] if len(rest) > 1 else None
        ex.mentions.append(EntityMention(f"m{i}", kind, cls, words, span(text, words, occurrence), name=name))
    return ex
