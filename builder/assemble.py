"""Turn one article's resolved records into RDF in the shape of docs/contracts.md section 2.

``assemble`` is pure and per article: it returns the article graph's triples, a
description of every entity the article touches (for the entities graph, merged
across articles by the pipeline) and the surfaces each entity was written as
(the pipeline picks preferred labels from them over the whole store).
Same input, same triples: every IRI comes from ``ontology.iri``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.namespace import Namespace

from builder.records import ClaimRecord, Entity, EventRecord, Figure, Resolved, Span
from ontology import iri
from ontology.errors import InputError
from ontology.namespace import NG

if TYPE_CHECKING:
    from ontology.rdfio import PreparedTriples

Triple = tuple[URIRef, URIRef, URIRef | Literal]

GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")  # W3C Basic Geo, as in the ontology
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(slots=True)
class EntityDescription:
    """What the entities graph says about one entity, as far as one article knows it."""

    iri: URIRef
    kind: str  # place | actor
    cls: str
    name_key: str
    curated_label: str | None  # the gazetteer's name; None when the label must come from surfaces
    #: GeoNames' name of a place only GeoNames knows: labelled by the surfaces the articles write ("Kiryat
    #: Shmona", not GeoNames' "Qiryat Shmona"), by this name only while no article gives one
    gazetteer_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: str | None = None
    wikidata_id: str | None = None
    located_in: URIRef | None = None
    country: URIRef | None = None
    backed_by: frozenset[URIRef] = frozenset()

    def triples(self, pref_label: Literal) -> list[Triple]:
        """The description's triples with the given preferred label."""
        s = self.iri
        out: list[Triple] = [
            (s, RDF.type, ng(self.cls)),
            (s, SKOS.prefLabel, pref_label),
            (s, ng("nameKey"), plain_literal(self.name_key)),
        ]
        if self.latitude is not None and self.longitude is not None:
            out.append((s, GEO.lat, decimal_literal(self.latitude)))
            out.append((s, GEO.long, decimal_literal(self.longitude)))
        if self.geonames_id:
            out.append((s, ng("geonamesId"), plain_literal(self.geonames_id)))
        if self.wikidata_id:
            out.append((s, ng("wikidataId"), plain_literal(self.wikidata_id)))
        if self.located_in is not None:
            out.append((s, ng("locatedIn"), self.located_in))
        if self.country is not None:
            out.append((s, ng("country"), self.country))
        out.extend((s, ng("backedBy"), b) for b in sorted(self.backed_by))
        return out


@dataclass(slots=True)
class ArticleGraphs:
    """Everything one article contributes to the dataset."""

    article: URIRef
    graph: URIRef
    content_hash: str
    source: str
    language: str
    triples: list[Triple] | PreparedTriples  # the map step hands them on prepared as N-Quads text
    entities: dict[URIRef, EntityDescription]
    surfaces: dict[URIRef, Counter[str]]  # entity -> surface -> how often written (non-anaphoric mentions)
    events: list[Any] = field(default_factory=list)  # builder.merge.EventSummary of each event, for merging

    def entity_triples(self) -> list[Triple]:
        """Entity descriptions with labels chosen from this article alone (see ``preferred_label``)."""
        out: list[Triple] = []
        for ent in self.entities.values():
            surfaces = self.surfaces.get(ent.iri, Counter())
            label = preferred_label(ent.curated_label, surfaces, ent.gazetteer_name)
            written = not ent.curated_label and any(" ".join(t.split()) == label for t in surfaces)
            out.extend(ent.triples(Literal(label, lang=self.language if written else "en")))
        return out


def preferred_label(curated: str | None, surfaces: Counter[str], gazetteer: str | None = None) -> str:
    """The entity's preferred label: the curated name, else its most written surface.

    Surfaces that differ only in case, accents or apostrophes are one name
    (``label_group``), shown as the ``gazetteer`` name when it is that name
    (GeoNames' "Akçakale" for the written "Akcakale"), else as its most frequent
    form that is not all capitals (a dateline's "KIRYAT SHMONA" counts for
    "Kiryat Shmona"). Ties go to the gazetteer's name, then to the longer
    surface (more informative: "Saraqeb city" over "Saraqeb" only when written
    as often), then to the alphabetically first, so the choice depends only on
    the counts, never on the order articles came in. An entity no article names
    yet, or only in capitals, is labelled by the gazetteer's name.

    >>> preferred_label(None, Counter({"Assad": 2, "Bashar al-Assad": 2, "al-Assad": 1}))
    'Bashar al-Assad'
    >>> preferred_label("Russia", Counter({"Russian jets": 3}))
    'Russia'
    >>> preferred_label(None, Counter({"Maarat al-\\nNuman": 1, "Maarat al- Numan": 1}))
    'Maarat al- Numan'
    >>> preferred_label(None, Counter({"KIRYAT SHMONA": 2, "Kiryat Shmona": 1}), gazetteer="Qiryat Shmona")
    'Kiryat Shmona'
    >>> preferred_label(None, Counter({"Akcakale": 2, "AKCAKALE": 1}), gazetteer="Akçakale")
    'Akçakale'
    >>> preferred_label(None, Counter({"Finote Selam town": 1, "Finote Selam": 1}), gazetteer="Finote Selam")
    'Finote Selam'
    """
    if curated:
        return curated
    groups: dict[str, Counter[str]] = {}
    own = label_group(gazetteer) if gazetteer else None
    for surface, n in surfaces.items():  # a line break inside a name (hard-wrapped text) is a space
        text = " ".join(surface.split())
        if text:
            group = label_group(text)
            if own and _typed(text, group, own):  # "Finote Selam town": the gazetteer's Finote Selam
                group = own
            groups.setdefault(group, Counter())[text] += n
    if not groups:
        if gazetteer:
            return gazetteer
        raise InputError("an entity without a curated name needs at least one surface form",
                         stage="assemble")
    named = [(sum(forms.values()), group != own, gazetteer if group == own else _written_form(forms))
             for group, forms in groups.items()]
    label = min(named, key=lambda row: (-row[0], row[1], -len(row[2]), row[2]))[2]
    return gazetteer if gazetteer and label.isupper() else label  # type: ignore[return-value]


def label_group(text: str) -> str:
    """What surfaces that count as one name share: their text without case, accents or apostrophes.

    >>> label_group("Mek’ele") == label_group("MEKELE") == label_group("Mekéle")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in _APOSTROPHES).casefold()


_APOSTROPHES = frozenset("'\u2019\u2018`\u02bc\u02bf\u02be")


def _typed(text: str, group: str, own: str) -> bool:
    """Whether a surface is the gazetteer's name followed by lower-case words (a type: "town", "city")."""
    rest = text.split()[len(own.split()):]
    return group.startswith(own + " ") and bool(rest) and all(word.islower() for word in rest)


def _written_form(forms: Counter[str]) -> str:
    """The form of one name to show: not all capitals when another is written, then the most frequent."""
    return min(forms.items(), key=lambda kv: (kv[0].isupper(), -kv[1], -len(kv[0]), kv[0]))[0]


def class_label(cls: str) -> str:
    """Human label of an ontology class from its local name.

    >>> class_label("AirStrike")
    'Air strike'
    """
    words = _CAMEL.split(cls)
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def event_label(cls: str, place: str | None, when: date | None) -> str:
    """``"Air strike in Saraqeb, 2019-12-21"`` with whatever parts are known.

    >>> event_label("Shelling", None, date(2024, 2, 3))
    'Shelling, 2024-02-03'
    """
    label = class_label(cls)
    if place:
        label += f" in {place}"
    if when:
        label += f", {when.isoformat()}"
    return label


@functools.lru_cache(maxsize=1024)  # the ontology's terms: rdflib builds a new one on every NG.x
def ng(name: str) -> URIRef:
    """The ontology term ``NG[name]``."""
    return NG[name]


@functools.lru_cache(maxsize=1 << 14)  # names, keys and ids of the entities articles keep naming
def plain_literal(value: str) -> Literal:
    """A plain string literal (terms are immutable, so one object serves every triple)."""
    return Literal(value)


@functools.lru_cache(maxsize=1 << 14)  # coordinates of the places articles keep naming
def decimal_literal(value: float) -> Literal:
    """An xsd:decimal with at most six fractional digits and no exponent.

    >>> str(decimal_literal(36.0))
    '36.0'
    >>> str(decimal_literal(35.93333333))
    '35.933333'
    """
    text = f"{value:.6f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    return Literal(text, datatype=XSD.decimal)


@functools.lru_cache(maxsize=1 << 14)  # offsets and counts repeat; rdflib parses each new typed literal
def integer_literal(value: int) -> Literal:
    """An xsd:integer literal (terms are immutable, so one object serves every triple)."""
    return Literal(value, datatype=XSD.integer)


@functools.lru_cache(maxsize=1 << 14)  # the entities articles keep naming; minting hashes and slugs the key
def entity_node(key: str, base: str) -> URIRef:
    """The IRI of an entity key under ``base`` (``ontology.iri.entity_iri``)."""
    return iri.entity_iri(key, base=base)


def assemble(resolved: Resolved, *, base: str = iri.DEFAULT_BASE) -> ArticleGraphs:
    """Build one article's graph triples, entity descriptions and event summaries."""
    return _Assembler(resolved, base).run()


class _Assembler:
    """One article's assembly; holds the IRIs computed once."""

    def __init__(self, resolved: Resolved, base: str) -> None:
        self.resolved = resolved
        self.extraction = resolved.extraction
        self.article_input = resolved.extraction.article
        self.base = base
        self.hash = self.article_input.content_hash
        self.article = iri.article_iri(self.hash, base=base)
        self.graph = iri.article_graph(self.hash, base=base)
        self.lang = (self.article_input.language or "en").lower()
        self.triples: set[Triple] = set()
        self.spans: dict[Span, URIRef] = {}  # spans described already (a sentence is the evidence of many claims)
        self.literals: dict[str, Literal] = {}  # plain literals made already (a sentence for each of its mentions)

    # -- helpers ---------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.triples.add((s, p, o))

    def text(self, value: str | None) -> Literal | None:
        return self.literal(value) if value else None

    def literal(self, value: str) -> Literal:
        """A plain literal, made once per article and value."""
        lit = self.literals.get(value)
        if lit is None:
            lit = self.literals[value] = Literal(value)
        return lit

    def entity(self, mention_id: str | None) -> URIRef | None:
        """The entity IRI a mention was resolved to (None for unresolved or absent mentions)."""
        if mention_id is None:
            return None
        key = self.resolved.mention_keys.get(mention_id)
        return entity_node(key, self.base) if key else None

    def entity_name(self, mention_id: str | None) -> str | None:
        key = self.resolved.mention_keys.get(mention_id) if mention_id else None
        ent = self.resolved.entities.get(key) if key else None
        return ent.pref_label if ent else None

    def span(self, span: Span) -> URIRef:
        """Mint and describe the mention node of a span (once per span)."""
        node = self.spans.get(span)
        if node is not None:
            return node
        node = self.spans[span] = iri.mention_iri(self.hash, span.start, span.end, base=self.base)
        self.add(node, RDF.type, ng("Mention"))
        self.add(node, ng("article"), self.article)
        self.add(node, ng("startOffset"), integer_literal(span.start))
        self.add(node, ng("endOffset"), integer_literal(span.end))
        self.add(node, ng("anchorOf"), self.literal(span.text))
        self.add(node, ng("sentence"), self.text(span.sentence))
        self.add(node, ng("sentenceIndex"), integer_literal(span.sentence_index))
        return node

    # -- parts ---------------------------------------------------------------------------------

    def run(self) -> ArticleGraphs:
        self.article_metadata()
        surfaces = self.mentions()
        events = {ev.id: self.event(ev) for ev in self.extraction.events}
        starts: Counter[int] = Counter()
        for group in self.claim_groups():
            n = starts[group[0].span.start]
            starts[group[0].span.start] += 1
            self.claim(group, events, n)
        for rel in self.extraction.relations:
            s, o = self.entity(rel.subject), self.entity(rel.object)
            if s is not None and o is not None and s != o:
                self.add(s, ng(rel.predicate), o)
        return ArticleGraphs(
            article=self.article,
            graph=self.graph,
            content_hash=self.hash,
            source=self.article_input.source,
            language=self.lang,
            triples=sorted(self.triples, key=_order),
            entities=self.descriptions(),
            surfaces=surfaces,
            events=self.summaries(events),
        )

    def article_metadata(self) -> None:
        a, art = self.article, self.article_input
        self.add(a, RDF.type, ng("Article"))
        self.add(a, ng("title"), self.text(art.title))
        if art.published:
            self.add(a, ng("datePublished"), Literal(art.published.isoformat(), datatype=XSD.date))
        if art.url:
            self.add(a, ng("url"), Literal(art.url, datatype=XSD.anyURI))
        self.add(a, ng("contentHash"), Literal(self.hash))
        self.add(a, ng("language"), Literal(self.lang))
        self.add(a, ng("sourceFile"), Literal(art.source))
        self.add(a, ng("encoding"), self.text(art.encoding))
        self.add(a, ng("text"), Literal(art.text))
        self.add(a, ng("publisher"), self.entity(self.extraction.publisher))
        self.add(a, ng("dateline"), self.entity(self.extraction.dateline))

    def mentions(self) -> dict[URIRef, Counter[str]]:
        """Evidence (with the article it is in) and labels of every entity mention; returns how often each label is written.

        A label's count is the number of distinct spans of the entity whose words
        are exactly that label (at least 1: a synthesised publisher has a name but
        no span) — the same count the pipeline reads back from a store, so labels
        agree between incremental and whole builds.
        """
        labels: dict[URIRef, set[str]] = {}
        spans: dict[URIRef, set[tuple[int, int, str]]] = {}
        for m in self.extraction.mentions:
            ent = self.entity(m.id)
            if ent is None:
                continue
            if m.span.end > m.span.start:  # a synthesised mention (a publisher the text never names) has no span
                self.add(ent, ng("evidence"), self.span(m.span))
                self.add(ent, ng("mentionedIn"), self.article)
                spans.setdefault(ent, set()).add((m.span.start, m.span.end, m.span.text))
            if m.role:
                self.add(ent, ng("role"), Literal(m.role))
            surface = m.surface if m.surface.strip() else (m.name or "").strip()
            if m.id == self.extraction.publisher and m.name:
                surface = m.name  # the metadata's name of the outlet, whatever words of it the model kept
            implied = m.name if m.cls == "Government" and m.name and surface.islower() else None
            for name in (surface, implied) if m.antecedent is None else ():
                # and the name the article implies for a government in lower-case words, beside them ("the
                # government" in a Burkina Faso article: Burkinabe Government; "the health ministry" in Sudan's)
                if name:
                    self.add(ent, SKOS.altLabel, Literal(name, lang=self.lang))
                    labels.setdefault(ent, set()).add(name)
        return {ent: Counter({label: max(1, sum(text == label for *_, text in spans.get(ent, ())))
                              for label in sorted(names)})
                for ent, names in labels.items()}

    def event(self, ev: EventRecord) -> URIRef:
        node = iri.event_iri(self.hash, ev.span.start, base=self.base)
        place = ev.location or ev.origin
        self.add(node, RDF.type, ng(ev.cls))
        self.add(node, RDFS.label, Literal(event_label(ev.cls, self.entity_name(place), ev.date), lang="en"))
        self.add(node, ng("location"), self.entity(ev.location))
        if ev.date:
            self.add(node, ng("date"), Literal(ev.date.isoformat(), datatype=XSD.date))
        self.add(node, ng("dateText"), self.text(ev.date_text))
        for p in ev.perpetrators:
            self.add(node, ng("perpetrator"), self.entity(p))
        for t in ev.targets:
            self.add(node, ng("target"), self.entity(t))
        self.add(node, ng("targetText"), self.text(ev.target_text))
        self.add(node, ng("weapon"), self.text(ev.weapon))
        self.add(node, ng("origin"), self.entity(ev.origin))
        self.add(node, ng("destination"), self.entity(ev.destination))
        if ev.period_start:
            self.add(node, ng("periodStart"), Literal(ev.period_start.isoformat(), datatype=XSD.date))
        if ev.period_end:
            self.add(node, ng("periodEnd"), Literal(ev.period_end.isoformat(), datatype=XSD.date))
        self.add(node, ng("periodText"), self.text(ev.period_text))
        self.add(node, ng("evidence"), self.span(ev.span))
        self.add(node, ng("mentionedIn"), self.article)  # the chain evidence/article, for queries at scale
        return node

    def claim_groups(self) -> list[list[ClaimRecord]]:
        """Claims of one source about one event with one stance, folded into one claim when their figures agree.

        Extraction may give the toll and the injured of one statement as two
        records ("killing 22 … More than 40 were wounded, the ministry said");
        they are what one source said about one event, so one ng:Claim. Records
        whose figures differ (8 killed, then 11 killed) stay separate claims.
        """
        groups: list[list[ClaimRecord]] = []
        by_key: dict[tuple[object, ...], list[list[ClaimRecord]]] = {}  # linear in the claims, even for huge texts
        for claim in self.extraction.claims:
            same = by_key.setdefault((claim.event, self.entity(claim.source), claim.stance), [])
            group = next((g for g in same if all(_figures_agree(claim, other) for other in g)), None)
            if group is None:
                group = [claim]
                same.append(group)
                groups.append(group)
            else:
                group.append(claim)
        return groups

    def claim(self, group: list[ClaimRecord], events: dict[str, URIRef], n: int) -> None:
        claim = group[0]
        event = events.get(claim.event)
        if event is None:
            raise InputError(f"claim {claim.id} is about event {claim.event!r}, which the extraction does not have "
                             f"(expected one of {sorted(events)})", path=self.article_input.source, stage="assemble")
        node = iri.claim_iri(self.hash, claim.span.start, n, base=self.base)
        self.add(node, RDF.type, ng("Claim"))
        self.add(node, ng("about"), event)
        self.add(node, ng("reportedBy"), self.entity(claim.source))
        self.add(node, ng("publishedIn"), self.article)
        self.add(node, ng("stance"), Literal(claim.stance))
        for what in ("killed", "injured", "displaced"):
            self.figure(node, what, next((getattr(c, what) for c in group if getattr(c, what)), None))
        for part in group:
            self.add(node, ng("quote"), self.text(part.quote))
            self.add(node, ng("evidence"), self.span(part.span))

    def figure(self, node: URIRef, what: str, fig: Figure | None) -> None:
        if fig is None:
            return
        if fig.value is not None:
            self.add(node, ng(what), integer_literal(fig.value))
        self.add(node, ng(f"{what}Qualifier"), self.text(fig.qualifier))
        self.add(node, ng(f"{what}Text"), self.text(fig.text))
        if what == "killed":
            if fig.women is not None:
                self.add(node, ng("womenKilled"), integer_literal(fig.women))
            if fig.children is not None:
                self.add(node, ng("childrenKilled"), integer_literal(fig.children))

    def descriptions(self) -> dict[URIRef, EntityDescription]:
        """Every entity used, plus the places on their locatedIn chains and their countries."""
        out: dict[URIRef, EntityDescription] = {}
        pending = sorted(set(self.resolved.mention_keys.values()))
        while pending:
            key = pending.pop()
            ent = self.resolved.entities.get(key)
            if ent is None:
                continue
            node = entity_node(key, self.base)
            if node in out:
                continue
            out[node] = self.description(node, ent)
            pending.extend(k for k in (ent.located_in, ent.country, *ent.backed_by) if k)
        return out

    def description(self, node: URIRef, ent: Entity) -> EntityDescription:
        def link(key: str | None) -> URIRef | None:
            return entity_node(key, self.base) if key else None

        curated = _is_curated(ent)
        return EntityDescription(
            iri=node,
            kind=ent.kind,
            cls=ent.cls,
            name_key=ent.key.partition(":")[2] or ent.key,
            curated_label=ent.pref_label if curated else None,
            gazetteer_name=ent.pref_label if ent.geonames_id and not curated else None,
            latitude=ent.latitude,
            longitude=ent.longitude,
            geonames_id=ent.geonames_id,
            wikidata_id=ent.wikidata_id,
            located_in=link(ent.located_in),
            country=link(ent.country),
            backed_by=frozenset(entity_node(k, self.base) for k in ent.backed_by),
        )

    def summaries(self, events: dict[str, URIRef]) -> list[Any]:
        from builder.merge import summarise

        return summarise(self.resolved, {eid: str(node) for eid, node in events.items()})


def _order(triple: Triple) -> tuple[str, str, URIRef | Literal]:
    """Sort key giving rdflib's order of the triples: subjects and predicates are IRIs, which rdflib
    orders by their text, so they compare as plain strings and only objects need rdflib's comparison."""
    s, p, o = triple
    return str(s), str(p), o


def _figures_agree(a: ClaimRecord, b: ClaimRecord) -> bool:
    """No figure is given by both with different values or qualifiers."""
    for what in ("killed", "injured", "displaced"):
        fa, fb = getattr(a, what), getattr(b, what)
        if fa and fb and (fa.value, fa.qualifier) != (fb.value, fb.qualifier):
            return False
    return True


def _is_curated(ent: Entity) -> bool:
    return is_curated(ent.key, has_identifier=bool(ent.geonames_id or ent.wikidata_id))


def is_curated(key: str, *, has_identifier: bool) -> bool:
    """A name is curated when the entity is in the curated tables, a country, or has a Wikidata id.

    A town only GeoNames knows is not: GeoNames names it in its own transliteration ("Qiryat Shmona",
    "Al Manāqil"), which no article may write; it is labelled like any other entity, by the surface
    the articles write most (``preferred_label``).
    """
    from builder.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    place = key.startswith("place:")
    if key in (gaz.places if place else gaz.actors):
        return True
    if not has_identifier:
        return False
    entry = gaz.place(key) if place else None
    return entry is None or entry.tier != "geonames" or entry.cls == "Country"
