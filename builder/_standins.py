"""TEMPORARY stand-ins for stages other rooms are still writing (extract, resolve).

Deleted as soon as ``builder/extract.py`` and ``builder/resolve.py`` land.
"""

from __future__ import annotations

from typing import Any

from builder.records import ArticleInput, Entity, EntityMention, Extraction, Resolved, Span


def _span(doc: Any, ent: Any) -> Span:
    sent = ent.sent
    index = sum(1 for s in doc.sents if s.start < sent.start)
    return Span(ent.start_char, ent.end_char, ent.text, index, sent.text)


def extract(doc: Any, article: ArticleInput) -> Extraction:
    ex = Extraction(article)
    kinds = {"GPE": ("place", "Settlement"), "LOC": ("place", "Region"), "ORG": ("actor", "Organization"),
             "PERSON": ("actor", "Person")}
    for ent in doc.ents:
        if ent.label_ in kinds:
            kind, cls = kinds[ent.label_]
            ex.mentions.append(EntityMention(f"m{len(ex.mentions)}", kind, cls, ent.text, _span(doc, ent)))
    if article.publisher:
        ex.mentions.append(EntityMention(f"m{len(ex.mentions)}", "actor", "MediaOutlet", article.publisher,
                                         Span(0, 0, "", 0, "")))
        ex.publisher = ex.mentions[-1].id
    return ex


def resolve(extraction: Extraction) -> Resolved:
    keys: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for m in extraction.mentions:
        key = f"{m.kind}:{' '.join(m.surface.lower().split())}"
        keys[m.id] = key
        entities.setdefault(key, Entity(key, m.kind, m.cls, m.surface))
    return Resolved(extraction, keys, entities)
