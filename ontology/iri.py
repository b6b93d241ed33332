"""Deterministic IRIs for everything newsgraph mints.

IRIs come from stable hashes of resolved keys, never from counters or random
blank nodes, so the same input gives the same graph in any order, alone or in
shards.

>>> str(mint("place", "maarat al numan"))
'https://w3id.org/newsgraph/id/place/maarat-al-numan-0626ff7f'
>>> mint("place", "maarat al numan") == mint("place", "maarat al numan")
True
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/newsgraph/id/"
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['`]+")  # anyascii writes ʿ ʾ ’ as apostrophes; they join, not split, a word
_KIND = re.compile(r"^[a-z][a-z0-9-]*$")


def stable_hash(*parts: str, length: int = 16) -> str:
    """Hex SHA-256 of the parts joined by an unambiguous separator.

    >>> stable_hash("a", "b") != stable_hash("ab")
    True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]


def slug(text: str, *, max_length: int = 48) -> str:
    """ASCII lower-case slug, safe in any IRI path segment.

    >>> slug("Maʿarrat al-Nuʿmān")
    'maarrat-al-numan'
    >>> slug("   ")
    'x'
    """
    from anyascii import anyascii

    ascii_text = _APOSTROPHES.sub("", anyascii(text).lower())
    out = _NON_SLUG.sub("-", ascii_text).strip("-")[:max_length].strip("-")
    return out or "x"


def mint(kind: str, *key: str, base: str = DEFAULT_BASE) -> URIRef:
    """Mint the IRI of a resource of ``kind`` identified by ``key``.

    The last key part gives the readable slug; a hash of all parts keeps
    distinct keys distinct.
    """
    if not _KIND.match(kind):
        from ontology.errors import UsageError

        raise UsageError(f"IRI kind must be a lower-case word, got {kind!r}")
    if not key:
        from ontology.errors import UsageError

        raise UsageError(f"mint({kind!r}) needs at least one key part")
    return URIRef(f"{base}{kind}/{slug(key[-1])}-{stable_hash(kind, *key, length=8)}")


def article_iri(content_hash: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of an article, from the SHA-256 of its normalised text."""
    return URIRef(f"{base}article/{content_hash[:16]}")


def article_graph(content_hash: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the named graph holding one article's facts."""
    return URIRef(f"{base}graph/article/{content_hash[:16]}")


def entities_graph(*, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the named graph holding resolved entity descriptions (labels, coordinates, links)."""
    return URIRef(f"{base}graph/entities")


def resolution_graph(*, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the named graph holding event merges and their explanations."""
    return URIRef(f"{base}graph/resolution")


def entity_iri(key: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of a resolved entity from its key (``"place:saraqeb"``, ``"actor:russia"``).

    >>> entity_iri("place:maarat al numan") == mint("place", "maarat al numan")
    True
    """
    kind, sep, name = key.partition(":")
    if not sep or kind not in ("place", "actor"):
        from ontology.errors import UsageError

        raise UsageError(f"entity key must look like 'place:NAME' or 'actor:NAME', got {key!r}")
    return mint(kind, name, base=base)


def mention_iri(content_hash: str, start: int, end: int, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the text span ``[start, end)`` of an article."""
    return URIRef(f"{base}mention/{content_hash[:16]}-{start}-{end}")


def event_iri(content_hash: str, start: int, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of an event reported in an article, from its trigger's start offset."""
    return URIRef(f"{base}event/{content_hash[:16]}-{start}")


def claim_iri(content_hash: str, start: int, n: int, *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the ``n``-th claim (from 0) whose evidence starts at ``start``."""
    return URIRef(f"{base}claim/{content_hash[:16]}-{start}-{n}")


def merge_iri(members: list[str], *, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of the merge of event reports ``members`` (order-independent).

    >>> merge_iri(["b", "a"]) == merge_iri(["a", "b"])
    True
    """
    return URIRef(f"{base}merge/{stable_hash(*sorted(members))}")
