"""Resolve one article's mentions to entity keys: one real-world thing, one key.

For each mention, in this order:

1. coreference — a mention the extraction linked to an antecedent, or a generic
   one ("the city", "the group", "it"; classes in ``resolution.toml``) takes the
   key of the nearest preceding compatible mention;
2. acronyms defined in the article — "Union of Medical Care and Relief
   Organisations (UOSSM)" makes "UOSSM" and the long form one entity;
3. the gazetteer (``builder/gazetteer.py``): exact key, generic words and
   direction modifiers dropped, consonant skeleton, fuzzy match — constrained by
   kind, class and the article's countries; demonyms ("Russian jets"), metonymy
   ("Moscow" as an actor) and a country acting ("Syria's" as an actor) go to
   the country's actor;
4. otherwise a key from the name itself (``name_key``), shared within the
   article by mentions whose skeletons agree and by a person's surname.

The result only depends on the article and the shipped tables, never on other
articles, so entity IRIs are the same in any build order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from builder.gazetteer import GazEntry, Gazetteer, load_gazetteer
from builder.names import consonants, is_acronym_of, loose_key, name_key, skeleton_key
from builder.records import Entity, EntityMention, Extraction, Resolved

# "Long Name of Something (LNS)": a parenthesised all-capitals acronym after a capitalised name.
_DEFINED_ACRONYM = re.compile(
    r"((?:[A-Z][\w'\u2019.-]*|of|for|and|the|de|des|du|al|el|on|in)"
    r"(?:\s+(?:[A-Z][\w'\u2019.-]*|of|for|and|the|de|des|du|al|el|on|in)){1,12})\s*\(([A-Z][A-Za-z.&-]{1,11})\)"
)
_TITLES = frozenset({"president", "prime", "minister", "general", "gen", "colonel", "col", "dr", "mr", "mrs", "ms",
                     "sheikh", "king", "prince", "commander", "senior", "lieutenant", "major", "captain", "spokesman",
                     "spokeswoman", "spokesperson", "activist", "journalist"})


@dataclass(slots=True)
class _State:
    gaz: Gazetteer
    context: tuple[str, ...]
    acronyms: dict[str, str] = field(default_factory=dict)  # name key of acronym -> long form, and back
    keys: dict[str, str] = field(default_factory=dict)  # mention id -> key
    entries: dict[str, GazEntry] = field(default_factory=dict)  # key -> gazetteer entry, when curated
    local: dict[str, str] = field(default_factory=dict)  # skeleton of an uncurated name -> its key
    max_back: int = 3  # sentences a generic mention looks back
    country_fallback: frozenset[str] = frozenset()


def resolve(extraction: Extraction) -> Resolved:
    """Map every mention of one article to an entity key and describe every entity used.

    Deterministic and per article: the same extraction always gives the same
    keys, whatever was resolved before. Generic mentions get ``antecedent`` set
    (when the extraction did not) so they are not taken as alternative names.
    """
    gaz = load_gazetteer()
    mentions = sorted(extraction.mentions, key=lambda m: (m.span.start, m.span.end, m.id))
    coref = gaz.config.get("coreference", {})
    state = _State(gaz=gaz, context=article_countries(extraction, gaz),
                   max_back=int(coref.get("max_sentences_back", 3)),
                   country_fallback=frozenset(name_key(w) for w in coref.get("country_fallback", [])))
    state.acronyms = defined_acronyms(extraction.article.text)
    for short, long_form in implied_acronyms(mentions).items():
        state.acronyms.setdefault(name_key(short), long_form)
        state.acronyms.setdefault(name_key(long_form), short)
    by_id = {m.id: m for m in mentions}
    deferred: list[EntityMention] = []
    for m in mentions:
        if m.antecedent or _anaphoric(m, gaz):
            deferred.append(m)
            continue
        _set(state, m, _resolve_one(m, state, mentions))
    for m in deferred:
        antecedent = by_id.get(m.antecedent) if m.antecedent else _nearest(m, mentions, state)
        if antecedent is not None and antecedent.id in state.keys:
            m.antecedent = antecedent.id
            state.keys[m.id] = state.keys[antecedent.id]
            continue
        m.antecedent = None
        if not _anaphoric(m, gaz):
            _set(state, m, _resolve_one(m, state, mentions))
            continue
        # a generic mention with nothing to refer back to: the tables ("the army" in a Sudan article),
        # the article's main country ("the country"), or no entity at all rather than one named "it"
        entry = _lookup(m, m.name or m.surface, state, fuzzy=False)
        if entry is None and name_key(m.surface) in state.country_fallback and state.context:
            # "the country" is the article's main country, when the article names it somewhere
            named = [o for o in mentions if o.antecedent is None and state.keys.get(o.id) == state.context[0]]
            if named:
                m.antecedent = named[0].id
                state.keys[m.id] = state.context[0]
                continue
        if entry is not None:
            state.entries[entry.key] = entry
            state.keys[m.id] = entry.key
    _join_coordinated_groups(extraction, mentions, state)
    return Resolved(extraction, {m.id: state.keys[m.id] for m in extraction.mentions if m.id in state.keys},
                    _entities(extraction, state))


def _join_coordinated_groups(extraction: Extraction, mentions: list[EntityMention], state: _State) -> None:
    """Unnamed groups named together ("witnesses and residents said") are one collective source.

    Within one article, generic ``Group`` mentions joined by "and" become one
    entity, and so do later mentions with the same words ("Residents in the
    area said"). Counted people ("two residents and one rescuer") are specific
    witnesses, not a coordination to join. The key lists the groups' words.
    """
    text = extraction.article.text
    counts = state.gaz.count_words
    groups = [m for m in mentions if m.kind == "actor" and m.cls == "Group" and m.id in state.keys
              and m.antecedent is None and state.keys[m.id] not in state.entries]
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        parent.setdefault(k, k)
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in zip(groups, groups[1:]):
        between = text[a.span.end:b.span.start] if a.span.end <= b.span.start else ""
        if a.span.sentence_index != b.span.sentence_index or not _COORDINATION.match(between):
            continue
        if _counted(a.surface, counts) or _counted(b.surface, counts):
            continue
        ka, kb = find(state.keys[a.id]), find(state.keys[b.id])
        if ka != kb:
            parent[max(ka, kb)] = min(ka, kb)
    clusters: dict[str, set[str]] = {}
    for k in list(parent):
        clusters.setdefault(find(k), set()).add(k)
    for members in clusters.values():
        if len(members) < 2:
            continue
        joined = "actor:" + " and ".join(sorted(k.split(":", 1)[1] for k in members))
        for mid, key in state.keys.items():
            if key in members:
                state.keys[mid] = joined


_COORDINATION = re.compile(r"^\s*,?\s*(?:and|&)\s*$")


def _counted(surface: str, counts: frozenset[str]) -> bool:
    first = name_key(surface).split(" ")[0] if surface.strip() else ""
    return first.isdigit() or first in counts


def _set(state: _State, m: EntityMention, key: str | None) -> None:
    if key is not None:
        state.keys[m.id] = key


def article_countries(extraction: Extraction, gaz: Gazetteer | None = None) -> tuple[str, ...]:
    """The countries an article is about, most mentioned first (place keys).

    Counted from its place mentions (a town counts for its country) and
    demonyms; ties broken by key so the order only depends on the article.
    A GeoNames town only counts for a country something else in the article
    points to: an Aleppo district named like an Iraqi town brings no Iraq.
    """
    gaz = gaz or load_gazetteer()
    counts: Counter[str] = Counter()
    named: Counter[str] = Counter()  # the country itself or its demonym, not a town that may have namesakes
    sure: set[str] = set()  # countries a curated place, a country's name or a demonym points to
    for m in extraction.mentions:
        if m.antecedent or _anaphoric(m, gaz):
            continue
        text = m.name or m.surface
        country = None
        if m.kind == "place":
            entry = gaz.lookup_place(text)
            country = gaz.country_of(entry.key) if entry else None
            direct = entry is not None and entry.cls == "Country"
        else:
            # "Ethiopian military" (named "Ethiopia"): its demonym, written or named
            firsts = [name_key(t).split(" ")[0] for t in (m.surface, text) if t and t.strip()]
            country = next((c for c in map(gaz.demonym_country, firsts) if c), None)
            direct = True
        if country:
            counts[country] += 1
            named[country] += direct
            if m.kind != "place" or entry.tier != "geonames" or direct:
                sure.add(country)
    # ties go to the country the article names itself ("the Libyan capital Tripoli": Libya, not Lebanon)
    return tuple(k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -named[kv[0]], kv[0]))
                 if k in sure or not sure)


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines, "Long Name (LN)", as name key → long form and back.

    >>> d = defined_acronyms("said the Syrian Observatory for Human Rights (SOHR), a monitor")
    >>> d["sohr"]
    'Syrian Observatory for Human Rights'
    """
    out: dict[str, str] = {}
    for m in _DEFINED_ACRONYM.finditer(text):
        long_form, short = m.group(1).strip(), m.group(2)
        words = long_form.split()
        # keep the shortest tail of the capitalised run that the acronym still abbreviates
        for i in range(len(words)):
            tail = " ".join(words[i:])
            if tail.split()[0][0].isupper() and is_acronym_of(short, tail):
                long_form = tail
                break
        else:
            # "the work of the Kurdistan Workers' Party (PKK)": an acronym of another language's name
            # abbreviates the name from its first capitalised word
            first = next((i for i, w in enumerate(words) if w[0].isupper()), 0)
            long_form = " ".join(words[first:])
        out.setdefault(name_key(short), long_form)
        out.setdefault(name_key(long_form), short)
    return out


def implied_acronyms(mentions: list[EntityMention]) -> dict[str, str]:
    """Acronyms an article uses without defining them, for the one name of it abbreviates: "the Kachin
    Independence Organization said" ... "the headquarters of the KIO".

    >>> from builder.records import Span
    >>> ms = [EntityMention(f"m{i}", "actor", "Organization", t, Span(0, 0, t, 0, t))
    ...       for i, t in enumerate(["Kachin Independence Organization", "KIO", "Kachin Independence Army"])]
    >>> implied_acronyms(ms)
    {'KIO': 'Kachin Independence Organization'}
    """
    names = {m.surface for m in mentions if m.kind == "actor" and len(m.surface.split()) > 1}
    out: dict[str, str] = {}
    for m in mentions:
        short = m.surface.strip()
        if m.kind != "actor" or not (2 <= len(short) <= 6) or not short.isupper() or not short.isalpha():
            continue
        longs = sorted(n for n in names if n[:1].isupper() and is_acronym_of(short, n))
        if len(longs) == 1:
            out[short] = longs[0]
    return out


def _anaphoric(m: EntityMention, gaz: Gazetteer) -> bool:
    return name_key(m.surface) in gaz.anaphora and not m.name


def _nearest(m: EntityMention, mentions: list[EntityMention], state: _State) -> EntityMention | None:
    classes = state.gaz.anaphora.get(name_key(m.surface), ())
    best = None
    for other in mentions:
        if other.span.start >= m.span.start:
            break
        if other.id == m.id or other.id not in state.keys or other.kind != m.kind:
            continue
        known = m.span.sentence_index >= 0 and other.span.sentence_index >= 0
        if known and m.span.sentence_index - other.span.sentence_index > state.max_back:
            continue  # too far back to be what "the city" means
        entry = state.entries.get(state.keys[other.id])
        cls = entry.cls if entry else other.cls
        if cls in classes:
            best = other
    return best


def _resolve_one(m: EntityMention, state: _State, mentions: list[EntityMention]) -> str | None:
    """The key of a mention, or None when it has no words to resolve (nothing is invented)."""
    gaz = state.gaz
    texts = [t for t in dict.fromkeys([m.name, m.surface]) if t and name_key(t)]
    for text in texts:
        entry = _lookup(m, text, state)
        if entry is not None:
            state.entries[entry.key] = entry
            return entry.key
    return _local_key(m, texts[0], state, mentions, gaz) if texts else None


def _lookup(m: EntityMention, text: str, state: _State, *, fuzzy: bool = True) -> GazEntry | None:
    gaz = state.gaz
    if m.kind == "place":
        entry = gaz.lookup_place(text, context=state.context, fuzzy=fuzzy) if fuzzy else None
        if entry is not None and m.cls == "Region" and entry.cls == "Settlement" and entry.tier == "geonames":
            return None  # "the Poonch district" is not GeoNames' town of Pūnch: the district keeps its own node
        return entry
    cls = m.cls if m.cls not in {"Group", "Civilians"} else None
    entry = gaz.lookup_actor(text, context=state.context, cls=cls, fuzzy=fuzzy)
    if entry is not None:
        return entry
    expanded = state.acronyms.get(name_key(text))
    if expanded:
        entry = gaz.lookup_actor(expanded, context=state.context, cls=cls)
        if entry is not None:
            return entry
    if fuzzy and (m.cls in {"StateForce", "Government", "Actor", "Organization"} or m.cls is None):
        # a country acting ("Syria's" army, "Turkey" said): its forces or government. A capital
        # ("Moscow") stands for its government only where actors.csv lists it as a variant.
        place = gaz.lookup_place(text, context=state.context)
        if place is not None and place.cls == "Country":
            surface = f" {name_key(m.surface)} "
            if any(f" {name_key(word)} " in surface for word in gaz.government_words):
                return gaz.government_for_country(place.key)  # "the Lebanese government" is not the Lebanese army
            return gaz.actor_for_country(place.key)
    return None


def _local_key(m: EntityMention, text: str, state: _State, mentions: list[EntityMention], gaz: Gazetteer) -> str:
    """A key for a name the tables do not know, shared within the article by its variants."""
    if m.kind == "place":
        base = loose_key(gaz.strip_place(text) or text)  # "Qabr Fiddah" and "Kabr Fidda" meet
        if gaz.names_region(text):  # "the Kharkiv region" keeps its region word: it is not the town
            base = loose_key(f"{gaz.strip_place(text)} {name_key(text).split()[-1]}")
    else:
        if (text.strip().isupper() or (" " not in text.strip() and text[:1].isupper())) \
                and name_key(text) in state.acronyms:
            text = state.acronyms[name_key(text)]  # "IRT" (or the BBC's "Nema") -> the long form the article defines
            for other in mentions:  # ... which has its key already when a mention of it was given a name
                if other.id in state.keys and other.kind == "actor" and name_key(other.surface) == name_key(text):
                    return state.keys[other.id]
        base = gaz.strip_actor(text) if m.cls not in {"Person"} else _person_key(text, gaz.name_variants)
        base = base or name_key(text)
        if m.cls == "StateForce":  # "Pakistani air strikes", "Pakistan's military": one country's forces
            base = gaz.force_key(base) or base
        if m.cls == "Person":
            for other in mentions:  # a surname alone after the full name: "Rasheed" after "Mohamad Rasheed"
                key = state.keys.get(other.id)
                if key and other.cls == "Person" and other.kind == "actor" and key != f"actor:{base}" \
                        and key.split(":", 1)[1].split(" ")[-1:] == base.split(" ") and len(base.split()) == 1:
                    return key
    base = base or "x"
    key = f"{m.kind}:{base}"
    if m.cls == "Person":
        return key  # "Omar Hamdan" and "Amr Hamdan" share a skeleton but may be two people
    # within one article, spellings whose skeletons agree are one name ("Qabr Fidda", "Qabr Fiddah")
    sk = f"{m.kind}:{skeleton_key(base)}"
    if consonants(skeleton_key(base)) >= gaz._min_skeleton:
        return state.local.setdefault(sk, key)
    return key


def _person_key(text: str, variants: dict[str, str] | None = None) -> str:
    """A person's key: titles dropped, given-name spellings unified ("Mohamad" → "muhamad")."""
    words = name_key(text).split()
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return _unify(" ".join(words), variants or {})


def _unify(key: str, variants: dict[str, str]) -> str:
    """Replace known spelling variants, longest first, word-aligned."""
    if not variants:
        return key
    padded = f" {key} "
    for variant in sorted(variants, key=lambda v: (-len(v), v)):
        padded = padded.replace(f" {variant} ", f" {variants[variant]} ")
    return padded.strip()


def _entities(extraction: Extraction, state: _State) -> dict[str, Entity]:
    gaz = state.gaz
    out: dict[str, Entity] = {}
    classes: dict[str, Counter[str]] = {}
    by_id = {m.id: m for m in extraction.mentions}
    for mid, key in state.keys.items():
        m = by_id[mid]
        entry = state.entries.get(key)
        if key not in out:
            out[key] = _entity(key, entry, gaz) if entry else Entity(key=key, kind=m.kind, cls=m.cls,
                                                                     pref_label=_label(m))
        if m.antecedent is None and m.surface:
            # the publisher goes by the name the metadata gives ("Gulf Monitor", of which the model kept "Monitor")
            out[key].alt_labels.add(m.name if mid == extraction.publisher and m.name else m.surface)
        if entry is None:
            classes.setdefault(key, Counter())[m.cls] += 1
    for key, counts in classes.items():
        out[key].cls = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        labels = sorted(out[key].alt_labels, key=lambda s: (-len(s), s))
        out[key].pref_label = labels[0] if labels else out[key].pref_label
    # every place on a locatedIn chain, every state actor's country and every backer is described too
    pending = [k for k in out]
    while pending:
        key = pending.pop()
        ent = out[key]
        for ref in (ent.located_in, ent.country, *sorted(ent.backed_by)):
            if ref and ref not in out:
                entry = gaz.place(ref) if ref.startswith("place:") else gaz.actors.get(ref)
                if entry is not None:
                    out[ref] = _entity(ref, entry, gaz)
                    pending.append(ref)
    return out


def _label(m: EntityMention) -> str:
    return (m.name or m.surface or "").strip() or m.id


def _entity(key: str, entry: GazEntry, gaz: Gazetteer) -> Entity:
    return Entity(
        key=key, kind=entry.kind, cls=entry.cls, pref_label=entry.name,
        latitude=entry.latitude, longitude=entry.longitude, geonames_id=entry.geonames_id,
        wikidata_id=entry.wikidata_id, located_in=entry.located_in,
        country=entry.country if entry.kind == "actor" else None, backed_by=set(entry.backed_by),
    )
