"""The build's map step: articles in, assembled graphs out, one chunk at a time.

``process_articles`` is a plain top-level function of picklable arguments, so a
process pool (``newsgraph build --jobs N``) or a Dask ``map`` over shards can call
it as is. Each process loads the spaCy pipeline once (``builder.nlp.load_nlp`` is
cached); the parent stays the only writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from builder.assemble import ArticleGraphs, assemble
from builder.pieces import PIECE_CHARS, extract_in_pieces
from builder.records import ArticleInput, Extraction
from ontology.errors import NewsgraphError
from ontology.iri import DEFAULT_BASE

PIPE_BATCH = 16


@dataclass(frozen=True, slots=True)
class Failure:
    """An article the map step could not turn into a graph: it goes to the quarantine report."""

    source: str
    stage: str
    error: str
    message: str


Outcome = ArticleGraphs | Failure


def process_articles(articles: list[ArticleInput], *, base: str = DEFAULT_BASE) -> list[Outcome]:
    """Annotate, extract, resolve and assemble a chunk of articles, in order.

    One article that fails becomes a ``Failure``; the others are still built.
    """
    from builder.nlp import load_nlp

    from builder.extract import extract

    nlp = load_nlp()
    outcomes: list[Outcome] = []
    # strings and lexemes spaCy adds for this chunk's words are freed at the end of the zone, so a
    # worker's vocabulary does not grow with the corpus; no spaCy object outlives it (outcomes are RDF)
    with nlp.memory_zone():
        docs = iter(_docs(nlp, [a for a in articles if len(a.text) <= PIECE_CHARS]))
        for article in articles:
            if len(article.text) > PIECE_CHARS:  # parsed and extracted piece by piece: bounded memory, exact offsets
                outcomes.append(_outcome(article, lambda a=article: extract_in_pieces(nlp, a), base))
                continue
            doc = next(docs)
            if isinstance(doc, Exception):
                outcomes.append(_failure(article, "annotate", doc))
            else:
                outcomes.append(_outcome(article, lambda a=article, d=doc: extract(d, a), base))
    return outcomes


def batches(articles: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    """Consecutive lists of ``size`` articles (the last may be shorter): map tasks and Dask shards.

    >>> [len(b) for b in batches(iter(range(5)), 2)]
    [2, 2, 1]
    """
    batch: list[ArticleInput] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def warm_up() -> None:
    """Pool initializer: load the model before the first chunk arrives."""
    from builder.nlp import load_nlp

    load_nlp()


def _docs(nlp: object, articles: list[ArticleInput]) -> list[object]:
    """Parse the chunk with ``nlp.pipe``; if a batch fails, parse one by one so only the culprit fails."""
    texts = [a.text for a in articles]
    try:
        return list(nlp.pipe(texts, batch_size=PIPE_BATCH))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - fall back to per-article parsing to isolate the bad one
        docs: list[object] = []
        for text in texts:
            docs.append(_parse(nlp, text))
        return docs


def _parse(nlp: object, text: str) -> object:
    """One article's Doc, or the exception that stopped it."""
    try:
        return nlp(text)  # type: ignore[operator]
    except Exception as err:  # noqa: BLE001 - recorded as that article's failure
        return err


def _outcome(article: ArticleInput, extraction: Callable[[], Extraction], base: str) -> Outcome:
    """Extract, resolve and assemble one article; a failure at any stage is that article's alone."""
    from rdflib import Literal

    from builder.build_key import build_key
    from builder.resolve import resolve
    from ontology import iri
    from ontology.namespace import NG
    from ontology.rdfio import PreparedTriples

    stage = "extract"
    try:
        extracted = extraction()
        stage = "resolve"
        resolved = resolve(extracted)
        stage = "assemble"
        graphs = assemble(resolved, base=base)
        # what a later build compares to skip the article while nothing it depends on changed
        graphs.triples.append((iri.article_iri(graphs.content_hash, base=base), NG.buildKey,
                               Literal(build_key(article, base=base))))
        # the triples as N-Quads text (terms validated here): one string to send the writer, which loads it
        graphs.triples = PreparedTriples(graphs.triples, graphs.graph)
        return graphs
    except NewsgraphError as err:
        return _failure(article, getattr(err, "stage", stage) or stage, err)
    except Exception as err:  # noqa: BLE001 - one article's bug must not stop a corpus build; it is reported
        return _failure(article, stage, err)


def _failure(article: ArticleInput, stage: str, err: BaseException) -> Failure:
    return Failure(source=article.source, stage=stage, error=type(err).__name__,
                   message=f"{stage} failed: {err}")
