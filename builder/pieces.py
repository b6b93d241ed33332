"""Articles longer than one parse: extract piece by piece, then join the records.

A several-million-character file (a transcript, a scraped dump) cannot be one
spaCy Doc: the parser needs memory in proportion, and rules that look back over
the article's mentions would grow with its square. So such an article is cut at
paragraph, then sentence boundaries (``normalise.chunks``), each piece is parsed
and extracted on its own, and the pieces' records are shifted back onto the whole
text: offsets, sentence indices and ids, so evidence still points at the right
characters. What crosses a piece boundary (a pronoun whose antecedent is in the
previous piece) is not linked; memory stays bounded by the piece size.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from builder.records import ArticleInput, EventRecord, Extraction, Relation, Span

PIECE_CHARS = 100_000  # characters; well under spaCy's max_length, and a few hundred MB to parse


def extract_in_pieces(nlp: object, article: ArticleInput, *, max_chars: int = PIECE_CHARS) -> Extraction:
    """Extract a long article piece by piece and join the pieces' records into one Extraction."""
    from builder.extract import extract
    from builder.normalise import chunks

    whole = Extraction(article=article)
    offsets = [offset for offset, _ in chunks(article.text, max_chars)]
    sentences = 0
    pieces = (piece for _, piece in chunks(article.text, max_chars))
    for number, (offset, doc) in enumerate(zip(offsets, nlp.pipe(pieces, batch_size=1), strict=True)):  # type: ignore[attr-defined]
        part = extract(doc, dataclasses.replace(article, text=doc.text))
        _join(whole, part, prefix=f"p{number}.", offset=offset, sentences=sentences)
        sentences += sum(1 for _ in doc.sents)
    return whole


def _join(whole: Extraction, part: Extraction, *, prefix: str, offset: int, sentences: int) -> None:
    """Add one piece's records to the whole, shifted to the whole text; the first piece's publisher speaks for all."""
    ids = {m.id: prefix + m.id for m in part.mentions}
    if whole.publisher is not None and part.publisher is not None:
        ids[part.publisher] = whole.publisher  # one publisher for the whole article
    events = {e.id: prefix + e.id for e in part.events}

    def span(s: Span) -> Span:
        if s.sentence_index < 0:  # synthesised (a publisher the text never names): no place in the text
            return s
        return Span(s.start + offset, s.end + offset, s.text, s.sentence_index + sentences, s.sentence)

    def ref(mention_id: str | None) -> str | None:
        return None if mention_id is None else ids.get(mention_id, prefix + mention_id)

    for m in part.mentions:
        if ids[m.id] != prefix + m.id:
            continue  # the piece's own synthesised publisher: the whole has one already
        whole.mentions.append(dataclasses.replace(m, id=ids[m.id], span=span(m.span), antecedent=ref(m.antecedent)))
    whole.events.extend(_events(part.events, events, ref, span))
    whole.claims.extend(
        dataclasses.replace(c, id=prefix + c.id, event=events.get(c.event, prefix + c.event),
                            source=ref(c.source) or c.source, span=span(c.span))
        for c in part.claims)
    whole.relations.extend(
        Relation(ref(r.subject) or r.subject, r.predicate, ref(r.object) or r.object, span(r.span))
        for r in part.relations)
    if whole.publisher is None:
        whole.publisher = ref(part.publisher)
    if offset == 0:  # a dateline opens the article, so only the first piece can have one
        whole.dateline = ref(part.dateline)


def _events(events: list[EventRecord], ids: dict[str, str], ref: Callable[[str | None], str | None],
            span: Callable[[Span], Span]) -> Iterator[EventRecord]:
    for e in events:
        yield dataclasses.replace(
            e, id=ids[e.id], span=span(e.span), location=ref(e.location),
            perpetrators=[ref(p) or p for p in e.perpetrators], targets=[ref(t) or t for t in e.targets],
            origin=ref(e.origin), destination=ref(e.destination))

