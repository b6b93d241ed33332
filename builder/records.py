"""Plain typed records passed between the builder's stages.

    read ─► ArticleInput ─► annotate/extract ─► Extraction ─► resolve ─► Resolved ─► assemble ─► RDF

Every stage takes and returns these dataclasses, so each can be tested alone.
Mentions are referred to by their ``id`` (unique within one article: ``"m0"``,
``"m1"`` …), events by ``id`` (``"e0"`` …), claims by ``id`` (``"c0"`` …).
Character offsets always refer to ``ArticleInput.text`` (the normalised text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EntityKind = Literal["place", "actor"]
Qualifier = Literal["exact", "at_least", "about", "more_than", "up_to"]
Stance = Literal["asserts", "denies", "unconfirmed"]


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article as read and normalised, with its metadata."""

    text: str
    source: str  # the file it came from, "path:line" for JSON Lines, "-" for stdin
    id: str | None = None  # the id the input gave, if any
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None
    encoding: str | None = None
    fmt: str = "text"  # text | html | markdown | jsonl
    #: SHA-256 of the normalised text: the article's identity (hashed once, on creation; read by the reader's
    #: dedupe, the build's skip of unchanged articles, assembly and every event summary)
    content_hash: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest())


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: where in the article's text something was said."""

    start: int
    end: int
    text: str
    sentence_index: int
    sentence: str


@dataclass(slots=True)
class EntityMention:
    """A place or actor as written in one article."""

    id: str
    kind: EntityKind
    cls: str  # ontology class local name: Settlement, Region, StateForce, Person, MediaOutlet …
    surface: str  # the words as written ("Maaret al-Numaan", "Russian jets")
    span: Span
    name: str | None = None  # the name the words stand for, if not the surface ("Russian jets" -> "Russia")
    role: str | None = None  # for persons and groups: "a local activist in southern Idlib"
    antecedent: str | None = None  # coreference: id of the mention this one refers back to ("the city")


@dataclass(slots=True)
class Figure:
    """A number as a source gave it: integer with qualifier, or vague words only."""

    value: int | None
    qualifier: Qualifier | None
    text: str
    women: int | None = None
    children: int | None = None


@dataclass(slots=True)
class EventRecord:
    """An attack, displacement or territorial change reported in one article."""

    id: str
    cls: str  # AirStrike, BarrelBombing, Shelling, Attack, Displacement, TerritorialChange …
    span: Span  # the trigger's sentence and words
    location: str | None = None  # mention id
    perpetrators: list[str] = field(default_factory=list)  # mention ids
    targets: list[str] = field(default_factory=list)  # mention ids (civilians, a facility)
    target_text: str | None = None  # "a convoy of civilian cars"
    weapon: str | None = None  # "barrel bombs", "jets"
    date: date | None = None
    date_text: str | None = None
    origin: str | None = None  # mention id, displacement
    destination: str | None = None  # mention id, displacement
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None


@dataclass(slots=True)
class ClaimRecord:
    """What one source said about one event in one article."""

    id: str
    event: str  # event id
    source: str  # mention id of the source (the publisher's mention when the outlet itself says it)
    span: Span
    stance: Stance = "asserts"
    killed: Figure | None = None
    injured: Figure | None = None
    displaced: Figure | None = None
    quote: str | None = None


@dataclass(slots=True)
class Relation:
    """A relation between two mentions: backedBy, alliedWith, affiliation, locatedIn."""

    subject: str  # mention id
    predicate: Literal["backedBy", "alliedWith", "affiliation", "locatedIn"]
    object: str  # mention id
    span: Span


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article, before resolution."""

    article: ArticleInput
    mentions: list[EntityMention] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    publisher: str | None = None  # mention id of the publisher (synthesised if the text never names it)
    dateline: str | None = None  # mention id of the dateline place

    def mention(self, mention_id: str) -> EntityMention:
        for m in self.mentions:
            if m.id == mention_id:
                return m
        raise KeyError(mention_id)


@dataclass(slots=True)
class Entity:
    """A resolved real-world entity: what its IRI is minted from and what describes it."""

    key: str  # the resolved key, e.g. "place:maarat al numan" or "actor:russia"
    kind: EntityKind
    cls: str
    pref_label: str
    alt_labels: set[str] = field(default_factory=set)
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: str | None = None
    wikidata_id: str | None = None
    located_in: str | None = None  # key of the enclosing place
    country: str | None = None  # key of the Country place a state actor belongs to
    backed_by: set[str] = field(default_factory=set)  # keys of actors


@dataclass(slots=True)
class Resolved:
    """One article's extraction with every mention mapped to an entity key."""

    extraction: Extraction
    mention_keys: dict[str, str]  # mention id -> entity key
    entities: dict[str, Entity]  # key -> entity, for every key used


@dataclass(slots=True)
class Merge:
    """Event reports judged to be one real-world event, and why."""

    canonical: str  # event IRI (string) the others merge into
    members: list[str]  # event IRIs (strings), canonical included
    rule: str
    score: float
