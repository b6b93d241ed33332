"""The map step: chunks of articles in, article graphs out, and a vocabulary that does not grow."""

from __future__ import annotations

from datetime import date

from builder.assemble import ArticleGraphs
from builder.records import ArticleInput
from builder.workers import Failure, batches, process_articles


def _article(i: int, word: str) -> ArticleInput:
    text = (f"KHARTOUM, March {i + 1} (Test Wire) - Shelling hit the {word} market in Omdurman on Tuesday, "
            f"killing {i + 3} civilians, the Sudan Doctors Network said.")
    return ArticleInput(text=text, source=f"a{i}.txt", publisher="Test Wire", published=date(2025, 3, 20))


def test_a_chunk_is_built_in_order_and_its_new_words_leave_the_vocabulary(nlp: object) -> None:
    # words no model has seen: were they kept, a long run's StringStore would grow with every article
    words = [f"zqxv{n}blorf" for n in range(6)]
    process_articles([_article(0, "warmup")])  # the pipeline's own start-up strings are made once
    before = len(nlp.vocab.strings)  # type: ignore[attr-defined]
    outcomes = process_articles([_article(i, w) for i, w in enumerate(words)])
    assert [type(o) for o in outcomes] == [ArticleGraphs] * len(words), [o for o in outcomes if isinstance(o, Failure)]
    assert len(nlp.vocab.strings) == before  # type: ignore[attr-defined]
    assert not any(w in nlp.vocab.strings for w in words)  # type: ignore[attr-defined]
    # the graphs were made inside the zone but hold plain RDF terms, readable after it
    texts = [str(o) for og in outcomes for t in og.triples for o in t]  # type: ignore[union-attr]
    assert any(words[3] in t for t in texts)


def test_batches_cut_a_stream_into_chunks() -> None:
    assert [len(b) for b in batches(iter(range(17)), 8)] == [8, 8, 1]
