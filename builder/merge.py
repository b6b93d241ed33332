"""Merge reports of one real-world event from different articles.

Each article's events arrive as :class:`EventSummary` (built by
:func:`summarise` from a resolved article). :func:`merge_events` groups them:

- **same-attack** — compatible classes (AirStrike ~ BarrelBombing ~ generic
  Attack), the same place or one inside the other, dates within a day, and
  perpetrators that overlap or are unknown on one side;
- **same-figure** — a displacement figure repeated by several outlets (the UN's
  500,000): the same count and qualifier, compatible origins and periods, the
  same or no reported source.

Rules and thresholds live in ``builder/data/merge_rules.toml``. Candidates are
found by blocking (attacks by class family, country, region and day;
displacements by count, origin country and period), never by comparing all pairs, so the work grows with the corpus, not
its square. Clusters are the connected components of the symmetric match
relation, so they do not depend on input order; the canonical event is the
lexicographically smallest IRI. :func:`explain` says why two events match.
"""

from __future__ import annotations

import functools
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from builder.records import Figure, Merge, Resolved
from ontology.errors import InputError

RULES = Path(__file__).with_name("data") / "merge_rules.toml"
DISPLACEMENT = "Displacement"


@dataclass(frozen=True, slots=True)
class EventSummary:
    """What merging needs to know about one event report.

    ``location``/``origin`` are entity keys; the ``*_chain`` fields hold the key
    and every place it lies in (innermost first). Figures are ``(value,
    qualifier)`` pairs over the event's claims; ``sources`` are the actor keys
    of the claims' sources; ``publisher`` is the article's outlet key (a claim
    the outlet makes itself counts as unsourced).
    """

    iri: str
    cls: str
    article: str  # content hash of the article
    location: str | None = None
    location_chain: tuple[str, ...] = ()
    date: date | None = None
    perpetrators: frozenset[str] = frozenset()
    killed: frozenset[tuple[int, str]] = frozenset()
    injured: frozenset[tuple[int, str]] = frozenset()
    displaced: frozenset[tuple[int, str]] = frozenset()
    sources: frozenset[str] = frozenset()
    publisher: str | None = None
    origin: str | None = None
    origin_chain: tuple[str, ...] = ()
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None


_NONE: frozenset[Any] = frozenset()


def compact(e: EventSummary, pool: dict[Any, Any] | None = None) -> EventSummary:
    """The same summary taking less memory, for holding every report of a corpus until the final merge.

    A summary unpickled from a worker owns every value it holds (1.78 kB on
    average over the 6,173 reports of a 2,000-article bench build). Reports
    share most of their values: places and their chains, dates, tolls, sets of
    sources and perpetrators. With ``pool`` (one dict kept for a whole build)
    every such value is held once and the summary refers to it: 0.54 kB, the
    pool included. Without it, strings are interned and empty sets shared (1.25 kB).

    >>> pool = {}
    >>> a = EventSummary("e:1", "AirStrike", "h", "place:x", ("place:x",), killed=frozenset({(3, "exact")}))
    >>> b = EventSummary("e:2", "Shelling", "h", "place:x", ("place:x",), killed=frozenset({(3, "exact")}))
    >>> compact(a, pool) == a and compact(a, pool).injured is compact(a, pool).displaced
    True
    >>> x, y = compact(a, pool), compact(b, pool)
    >>> x.killed is y.killed and x.location_chain is y.location_chain
    True
    """
    intern = sys.intern
    shared = pool.setdefault if pool is not None else (lambda value, default: value)

    def one(value: Any) -> Any:
        return None if value is None else shared(value, value)

    def key(value: str | None) -> str | None:
        return None if value is None else intern(value)

    def chain(values: tuple[str, ...]) -> tuple[str, ...]:
        return one(tuple(map(intern, values))) if values else ()

    def keys(values: frozenset[str]) -> frozenset[str]:
        return one(frozenset(map(intern, values))) if values else _NONE

    def figures(values: frozenset[tuple[int, str]]) -> frozenset[tuple[int, str]]:
        return one(frozenset((n, intern(q)) for n, q in values)) if values else _NONE

    return replace(e, cls=intern(e.cls), article=intern(e.article), location=key(e.location),
                   location_chain=chain(e.location_chain), date=one(e.date), perpetrators=keys(e.perpetrators),
                   killed=figures(e.killed), injured=figures(e.injured), displaced=figures(e.displaced),
                   sources=keys(e.sources), publisher=key(e.publisher), origin=key(e.origin),
                   origin_chain=chain(e.origin_chain), period_start=one(e.period_start),
                   period_end=one(e.period_end), period_text=one(e.period_text))


@dataclass(frozen=True, slots=True)
class Match:
    """Why two reports match: the rule, the score and each part's verdict."""

    rule: str
    score: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Rules:
    generic: frozenset[str]
    families: tuple[frozenset[str], ...]
    attack: dict[str, Any]
    figure: dict[str, Any]


@functools.cache
def load_rules(path: str | None = None) -> _Rules:
    """Read the merge rules (once)."""
    p = Path(path) if path else RULES
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        classes = data["classes"]
        return _Rules(frozenset(classes["generic"]), tuple(frozenset(f) for f in classes["families"]),
                      dict(data["rules"]["same-attack"]), dict(data["rules"]["same-figure"]))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"cannot read the merge rules: {err}", path=str(p), stage="merge") from err
    except KeyError as err:
        raise InputError(f"missing {err} in the merge rules; expected [classes] generic/families and "
                         "[rules.same-attack], [rules.same-figure]", path=str(p), stage="merge") from err


# -- summaries -------------------------------------------------------------------------------


def summarise(resolved: Resolved, event_iris: Mapping[str, str]) -> list[EventSummary]:
    """Summaries of one resolved article's events; ``event_iris`` maps event id → event IRI."""
    ex = resolved.extraction
    keys = resolved.mention_keys

    def key(mid: str | None) -> str | None:
        return keys.get(mid) if mid else None

    def chain(k: str | None) -> tuple[str, ...]:
        out: list[str] = []
        while k and k not in out:
            out.append(k)
            ent = resolved.entities.get(k)
            k = ent.located_in if ent else None
        return tuple(out)

    claims: dict[str, list[Any]] = defaultdict(list)
    for c in ex.claims:
        claims[c.event].append(c)
    out = []
    for ev in ex.events:
        if ev.id not in event_iris:
            continue
        cs = claims.get(ev.id, [])
        out.append(EventSummary(
            iri=str(event_iris[ev.id]), cls=ev.cls, article=ex.article.content_hash,
            location=key(ev.location), location_chain=chain(key(ev.location)), date=ev.date,
            perpetrators=frozenset(k for k in (key(p) for p in ev.perpetrators) if k),
            killed=_figures(c.killed for c in cs), injured=_figures(c.injured for c in cs),
            displaced=_figures(c.displaced for c in cs),
            sources=frozenset(k for k in (key(c.source) for c in cs) if k),
            publisher=key(ex.publisher), origin=key(ev.origin), origin_chain=chain(key(ev.origin)),
            period_start=ev.period_start, period_end=ev.period_end, period_text=ev.period_text,
        ))
    return out


def _figures(figs: Iterable[Figure | None]) -> frozenset[tuple[int, str]]:
    return frozenset((f.value, f.qualifier or "exact") for f in figs if f is not None and f.value is not None)


# -- matching --------------------------------------------------------------------------------


def _family(cls: str, rules: _Rules) -> set[int]:
    return {i for i, fam in enumerate(rules.families) if cls in fam}


def _classes_compatible(a: str, b: str, rules: _Rules) -> float:
    if a == b:
        return 1.0
    if a in rules.generic or b in rules.generic:
        return 0.8
    return 0.9 if _family(a, rules) & _family(b, rules) else 0.0


def _places_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """1 for the same place, 0.8 when one lies inside the other, else 0.

    >>> town = ("place:saraqeb", "place:idlib-governorate", "place:syria")
    >>> _places_compatible(town, ("place:idlib-governorate", "place:syria"))
    0.8
    >>> _places_compatible(town, ("place:sarmin", "place:idlib-governorate", "place:syria"))
    0.0
    """
    if not a or not b:
        return 0.0
    if a[0] == b[0]:
        return 1.0
    if a[0] in b or b[0] in a:
        return 0.8
    return 0.0


def is_attack(cls: str, rules: _Rules | None = None) -> bool:
    """An event class the same-attack rule looks at.

    >>> is_attack("BarrelBombing"), is_attack("Attack"), is_attack("Displacement")
    (True, True, False)
    """
    rules = rules or load_rules()
    return cls in rules.generic or any(cls in f for f in rules.families)


def explain(a: EventSummary, b: EventSummary) -> Match | None:
    """The rule and score by which two reports are one event, or None when they are not.

    The relation is symmetric: ``explain(a, b)`` and ``explain(b, a)`` agree.
    """
    rules = load_rules()
    if a.iri == b.iri:
        return None
    if a.cls == DISPLACEMENT and b.cls == DISPLACEMENT:
        return _same_figure(a, b, rules)
    if is_attack(a.cls, rules) and is_attack(b.cls, rules):
        return _same_attack(a, b, rules)
    return None


def _same_attack(a: EventSummary, b: EventSummary, rules: _Rules) -> Match | None:
    r = rules.attack
    if not r.get("same_article", False) and a.article == b.article:
        return None
    cls = _classes_compatible(a.cls, b.cls, rules)
    if cls == 0.0:
        return None
    place = _places_compatible(a.location_chain, b.location_chain)
    if place == 0.0 and (r.get("require_location", True) or (a.location and b.location)):
        return None
    if a.date is None or b.date is None:
        if r.get("require_date", True):
            return None
        day = 0.5
    else:
        apart = abs((a.date - b.date).days)
        if apart > int(r.get("max_days_apart", 1)):
            return None
        day = 1.0 if apart == 0 else 0.7
    if a.perpetrators and b.perpetrators:
        if not a.perpetrators & b.perpetrators:
            return None
        actors = len(a.perpetrators & b.perpetrators) / len(a.perpetrators | b.perpetrators)
    elif r.get("allow_missing_perpetrator", True):
        actors = 0.5
    else:
        return None
    parts = {"class": cls, "place": place, "date": day, "actors": actors}
    score = (r["weight_class"] * cls + r["weight_place"] * place + r["weight_date"] * day
             + r["weight_actors"] * actors)
    if score < float(r.get("min_score", 0.0)):
        return None
    return Match("same-attack", round(score, 3), parts)


def _anchored(e: EventSummary) -> bool:
    """A figure says where, since when or on whose word: a bare "thousands fled" merges with nothing."""
    return bool(e.origin_chain or e.period_start or _own_sources(e))


def _own_sources(e: EventSummary) -> frozenset[str]:
    return frozenset(s for s in e.sources if s != e.publisher)


def _same_figure(a: EventSummary, b: EventSummary, rules: _Rules) -> Match | None:
    r = rules.figure
    if not r.get("same_article", False) and a.article == b.article:
        return None
    if not a.displaced & b.displaced:
        return None
    if not (_anchored(a) and _anchored(b)):
        return None
    if a.origin_chain and b.origin_chain:
        origin = _places_compatible(a.origin_chain, b.origin_chain)
        if origin == 0.0:
            return None
    elif r.get("allow_missing_origin", True):
        origin = 0.5
    else:
        return None
    if a.period_start and b.period_start:
        apart = abs((a.period_start - b.period_start).days)
        if apart > int(r.get("max_period_days", 31)):
            return None
        period = 1.0 if apart == 0 else 0.8
    else:
        period = 0.5
    sa, sb = _own_sources(a), _own_sources(b)
    if sa and sb:
        if not sa & sb:
            return None
        source = 1.0
    elif r.get("allow_missing_source", True):
        source = 0.5
    else:
        return None
    parts = {"count": 1.0, "origin": origin, "period": period, "source": source}
    score = (r["weight_count"] + r["weight_origin"] * origin + r["weight_period"] * period
             + r["weight_source"] * source)
    if score < float(r.get("min_score", 0.0)):
        return None
    return Match("same-figure", round(score, 3), parts)


# -- clustering ------------------------------------------------------------------------------


def _candidate_pairs(events: list[EventSummary], rules: _Rules, *,
                     involving: frozenset[str] | None = None) -> Iterable[tuple[EventSummary, EventSummary]]:
    """Pairs that may match; every matching pair is among them, and each comes once.

    Attacks are blocked by class family and day window, then by place (a
    report meets those whose location chain holds its own place, so one
    placed only at country level meets every report of its country that day);
    displacement figures by count and qualifier, then by
    origin (a report meets those whose origin chain holds its own origin, and
    an origin-less report meets all), then swept by period start. Work grows with the size of the
    blocks, not with the square of the corpus. With ``involving`` (the IRIs of reports added to a
    store), only pairs with at least one of them come, and blocks without one are not looked at.
    """
    window = int(rules.attack.get("max_days_apart", 1))
    attacks: dict[tuple[int, int], list[EventSummary]] = defaultdict(list)
    figures: dict[tuple[Any, ...], list[EventSummary]] = defaultdict(list)
    for e in events:
        if e.cls == DISPLACEMENT and _anchored(e):
            for value, qualifier in e.displaced:
                figures[(value, qualifier)].append(e)
        elif is_attack(e.cls, rules) and e.location_chain and e.date is not None:
            families = range(len(rules.families)) if e.cls in rules.generic else sorted(_family(e.cls, rules))
            for family in families:
                # a pair at most `window` days apart always shares one window [d, d+window]
                for offset in range(window + 1):
                    attacks[(family, e.date.toordinal() - offset)].append(e)
    seen: set[tuple[str, str]] = set()

    def emit(a: EventSummary, b: EventSummary) -> Iterable[tuple[EventSummary, EventSummary]]:
        pair = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
        if a.iri != b.iri and pair not in seen:
            seen.add(pair)
            yield (a, b) if a.iri < b.iri else (b, a)

    def involved(block: list[EventSummary]) -> list[EventSummary] | None:
        """The reports of ``block`` a pair must hold one of (all, or none: a block to pass over)."""
        if involving is None:
            return block
        return [e for e in block if e.iri in involving] or None

    def meets_all(e: EventSummary) -> bool:
        """Whether ``e`` meets every report of its block (it counts), or only the added ones (it is stored)."""
        return involving is None or e.iri in involving

    for key in sorted(attacks):
        if (added := involved(attacks[key])) is None:
            continue
        # places are compatible only when one's innermost place is in the other's chain
        posted, within = _by_place(attacks[key], lambda e: e.location_chain)
        within_added = within if involving is None else _by_place(added, lambda e: e.location_chain)[1]
        for place in sorted(posted):
            for a in posted[place]:
                for b in within[place] if meets_all(a) else within_added[place]:
                    yield from emit(a, b)
    days = int(rules.figure.get("max_period_days", 31))
    for figure, block in sorted(figures.items(), key=lambda kv: repr(kv[0])):
        if (added := involved(block)) is None:
            continue
        # a pair of reports meets in the block of every figure both give, and qualifies in all of them or
        # none (origins and periods do not depend on the figure): it is emitted in the first such block
        # only, so the pairs remembered are one block's, not the corpus's (177,562 at 20,000 articles)
        seen.clear()

        def first_block(a: EventSummary, b: EventSummary, figure: Any = figure) -> Iterable[Any]:
            several = len(a.displaced) > 1 and len(b.displaced) > 1
            if several and min(map(repr, a.displaced & b.displaced)) != repr(figure):
                return ()
            return emit(a, b)

        # origins are compatible only when one's innermost place is in the other's chain: each report is
        # compared with the reports whose chain holds its own place (the same place, or one inside it), so
        # a report from one district never meets another district's; a report with no origin meets all
        posted, within = _by_place(block, lambda e: e.origin_chain)
        within_added = within if involving is None else _by_place(added, lambda e: e.origin_chain)[1]
        loose = [e for e in block if not e.origin_chain]
        for place in sorted(posted):
            yield from _swept(posted[place], within[place], within_added[place], days, first_block, meets_all)
        yield from _swept(loose, block, added, days, first_block, meets_all)


def _by_place(events: Iterable[EventSummary], chain: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Reports by their innermost place, and by every place of their chain (one with no chain is in neither)."""
    posted: dict[str, list[EventSummary]] = defaultdict(list)
    within: dict[str, list[EventSummary]] = defaultdict(list)
    for e in events:
        places = chain(e)
        if places:
            posted[places[0]].append(e)
            for place in dict.fromkeys(places):
                within[place].append(e)
    return posted, within


@dataclass(frozen=True)
class _ByStart:
    """Reports ready to be met by period start: the dated ones sorted by it, and the undated."""

    events: list[EventSummary]
    dated: list[EventSummary]
    starts: list[int]
    undated: list[EventSummary]

    @classmethod
    def of(cls, events: list[EventSummary]) -> _ByStart:
        dated = sorted((e for e in events if e.period_start), key=lambda e: (e.period_start, e.iri))
        return cls(events, dated, [e.period_start.toordinal() for e in dated],  # type: ignore[union-attr]
                   [e for e in events if not e.period_start])

    def near(self, a: EventSummary, days: int) -> list[EventSummary]:
        """Those whose start is within ``days`` of ``a``'s or unknown (all of them when ``a``'s is unknown)."""
        from bisect import bisect_left, bisect_right

        if a.period_start is None:
            return self.events
        d = a.period_start.toordinal()
        return [*self.dated[bisect_left(self.starts, d - days):bisect_right(self.starts, d + days)], *self.undated]


def _swept(block: list[EventSummary], others: list[EventSummary], added: list[EventSummary], days: int,
           emit: Any, meets_all: Any) -> Iterable[Any]:
    """Pairs of ``block`` × ``others`` whose period starts are within ``days`` or unknown on one side;
    a report of ``block`` that does not ``meets_all`` meets only ``added`` (the added reports of ``others``)."""
    every = _ByStart.of(others)
    few = every if added is others else _ByStart.of(added)
    for a in block:
        for b in (every if meets_all(a) else few).near(a, days):
            yield from emit(a, b)


def neighbour_keys(events: Iterable[EventSummary]) -> tuple[set[date], set[int]]:
    """What a stored report must have to merge with one of ``events``: a day, or a displaced figure.

    Every match needs them (same-attack: a date at most ``max_days_apart`` from the
    attack's; same-figure: a shared count), so reading back only the stored
    reports on these days or with these figures finds every partner (and some
    more: merging decides). Rules that merge undated or unplaced attacks have no
    such key: a :class:`ValueError` says to compare against everything instead.

    >>> from datetime import date
    >>> strike = EventSummary("e:1", "AirStrike", "a", "place:x", ("place:x",), date(2024, 5, 2))
    >>> days, figures = neighbour_keys([strike])
    >>> [d.isoformat() for d in sorted(days)], figures
    (['2024-05-01', '2024-05-02', '2024-05-03'], set())
    """
    rules = load_rules()
    if not (rules.attack.get("require_date", True) and rules.attack.get("require_location", True)):
        raise ValueError("the same-attack rule merges undated or unplaced reports: no key narrows the candidates")
    window = int(rules.attack.get("max_days_apart", 1))
    days: set[date] = set()
    figures: set[int] = set()
    for e in events:
        if e.cls == DISPLACEMENT and _anchored(e):
            figures.update(value for value, _ in e.displaced)
        elif is_attack(e.cls, rules) and e.location_chain and e.date is not None:
            days.update(date.fromordinal(e.date.toordinal() + d) for d in range(-window, window + 1))
    return days, figures


def merge_events(events: Iterable[EventSummary]) -> list[Merge]:
    """Cluster event reports into real-world events; one :class:`Merge` per cluster of two or more.

    Order-independent: the same summaries in any order give the same merges.
    """
    rules = load_rules()
    unique = {e.iri: e for e in events}
    ordered = [unique[k] for k in sorted(unique)]
    parent = {e.iri: e.iri for e in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # what the links inside each cluster say, folded into its root as clusters join: the weakest
    # score and the rules used. Keeping every matching pair instead took memory growing with the
    # pairs (180,307 candidates over the 61,257 reports of a 20,000-article bench store)
    links: dict[str, tuple[float, set[str]]] = {}
    for a, b in _candidate_pairs(ordered, rules):
        m = explain(a, b)
        if m is None:
            continue
        ra, rb = find(a.iri), find(b.iri)
        root = min(ra, rb)
        if ra != rb:
            parent[max(ra, rb)] = root
        score, used = m.score, {m.rule}
        for r in {ra, rb}:
            if r in links:
                weakest, rules_used = links.pop(r)
                score, used = min(score, weakest), used | rules_used
        links[root] = (score, used)
    clusters: dict[str, list[str]] = defaultdict(list)
    for e in ordered:
        clusters[find(e.iri)].append(e.iri)
    out = []
    for root, members in clusters.items():
        if len(members) < 2:
            continue
        score, used = links[root]
        # the weakest link is the cluster's score; the rule is the one every link used (they never mix)
        out.append(Merge(canonical=min(members), members=sorted(members), rule=sorted(used)[0], score=score))
    return sorted(out, key=lambda m: m.canonical)


@dataclass(frozen=True, slots=True)
class StoredCluster:
    """A cluster a store's resolution graph already holds: its ``ng:Merge`` node, members, rule and score."""

    node: str
    members: tuple[str, ...]
    rule: str
    score: float


def links_of(new: Iterable[EventSummary], candidates: Iterable[EventSummary]) -> list[tuple[str, str, Match]]:
    """Every match of a new report with another new one or with a stored candidate, as ``(iri, iri, match)``.

    Blocked as :func:`merge_events` blocks the whole corpus, keeping only the pairs a new report
    is in: stored reports are never compared with each other (their clusters are already known),
    so a figure repeated by a thousand stored reports costs a thousand comparisons per new report,
    not half a million, and a thousand new articles are not compared all with all.
    """
    fresh = {e.iri: e for e in new}
    every = {e.iri: e for e in candidates}
    every.update(fresh)
    pairs = _candidate_pairs([every[k] for k in sorted(every)], load_rules(), involving=frozenset(fresh))
    return [(a.iri, b.iri, m) for a, b in pairs if (m := explain(a, b)) is not None]


def merge_increment(new: Iterable[str], links: Iterable[tuple[str, str, Match]],
                    clusters: Iterable[StoredCluster]) -> tuple[list[Merge], set[str]]:
    """The clusters new reports join or form, and the stored clusters they absorb (to be replaced).

    Equal to :func:`merge_events` over the whole store: matching is symmetric and a
    stored cluster is closed under it, so two stored clusters never match each other
    directly, and the matches inside a new cluster are those inside the stored clusters
    it absorbs plus the new reports' ``links``. Its score is the weakest of them (a
    stored cluster brings its own weakest), its rule the first, as ``merge_events`` decides.
    """
    stored = {c.node: c for c in clusters}
    home = {member: c.node for c in stored.values() for member in c.members}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def unit(event: str) -> str:  # a stored report stands for its whole cluster
        return home.get(event, event)

    new_events = set(new)
    for event in new_events:
        find(event)
    rules: dict[str, list[str]] = defaultdict(list)
    scores: dict[str, list[float]] = defaultdict(list)
    kept = list(links)
    for a, b, _ in kept:
        ra, rb = find(unit(a)), find(unit(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    for a, _b, m in kept:
        root = find(unit(a))
        rules[root].append(m.rule)
        scores[root].append(m.score)
    groups: dict[str, set[str]] = defaultdict(set)
    for node in list(parent):
        groups[find(node)].add(node)
    merges: list[Merge] = []
    absorbed: set[str] = set()
    for root, units in groups.items():
        if not units & new_events:
            continue
        members: set[str] = set()
        for u in units:
            if u in stored:
                members.update(stored[u].members)
                rules[root].append(stored[u].rule)
                scores[root].append(stored[u].score)
                absorbed.add(u)
            else:
                members.add(u)
        if len(members) < 2:
            continue
        merges.append(Merge(canonical=min(members), members=sorted(members), rule=min(rules[root]),
                            score=min(scores[root])))
    return sorted(merges, key=lambda m: m.canonical), absorbed
