"""TEMPORARY stand-ins for stages other rooms are still writing (read, extract, resolve).

Deleted as soon as ``builder/read.py``, ``builder/extract.py`` and ``builder/resolve.py`` land.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from builder.records import ArticleInput, Entity, EntityMention, Extraction, Resolved, Span

_SUFFIXES = {".txt", ".md", ".html"}


def iter_articles(paths: list[str], *, publisher: str | None = None, published: date | None = None,
                  quarantine: Any) -> Iterator[ArticleInput]:
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.rglob("*") if f.suffix in _SUFFIXES) if p.is_dir() else [p])
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            quarantine.add(str(f), None, "read", type(err).__name__, str(err))
            continue
        if not text.strip():
            quarantine.add(str(f), None, "read", "EmptyFile", "the file is empty; expected article text")
            continue
        meta: dict[str, Any] = {}
        side = f.with_name(f.stem + ".meta.json")
        if side.exists():
            meta = json.loads(side.read_text(encoding="utf-8"))
        pub = meta.get("published")
        yield ArticleInput(text=text, source=str(f), title=meta.get("title"),
                           publisher=meta.get("publisher") or publisher,
                           published=date.fromisoformat(pub) if pub else published, url=meta.get("url"),
                           language=meta.get("language") or "en", encoding="utf-8")


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
