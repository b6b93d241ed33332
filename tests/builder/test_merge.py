"""Cross-article event merging: which reports are one event, why, and independence from input order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.merge import EventSummary, _candidate_pairs, explain, load_rules, merge_events

SARAQEB = ("place:saraqeb", "place:idlib-governorate", "place:syria")
SARMIN = ("place:sarmin", "place:idlib-governorate", "place:syria")
IDLIB = ("place:idlib-governorate", "place:syria")
ALEPPO = ("place:aleppo-governorate", "place:syria")
DAY = date(2019, 12, 21)
RUSSIA = frozenset({"actor:russia"})
UN = frozenset({"actor:united-nations"})


def attack(iri: str, article: str, *, cls: str = "AirStrike", chain=SARAQEB, when=DAY, by=RUSSIA) -> EventSummary:
    return EventSummary(iri=iri, cls=cls, article=article, location=chain[0] if chain else None,
                        location_chain=chain, date=when, perpetrators=by)


def figure(iri: str, article: str, *, count=500000, qualifier="more_than", sources=UN, origin=IDLIB,
           start=date(2019, 4, 1), publisher=None) -> EventSummary:
    return EventSummary(iri=iri, cls="Displacement", article=article, displaced=frozenset({(count, qualifier)}),
                        sources=sources, origin=origin[0] if origin else None, origin_chain=origin,
                        period_start=start, publisher=publisher)


def merged(*events: EventSummary) -> list[list[str]]:
    return [m.members for m in merge_events(events)]


@pytest.mark.parametrize(("a", "b"), [
    (attack("e:1", "A"), attack("e:2", "B")),
    (attack("e:1", "A"), attack("e:2", "B", cls="BarrelBombing")),
    (attack("e:1", "A"), attack("e:2", "B", cls="Attack")),
    (attack("e:1", "A"), attack("e:2", "B", when=date(2019, 12, 22))),
    (attack("e:1", "A"), attack("e:2", "B", by=frozenset())),
    (attack("e:1", "A"), attack("e:2", "B", chain=IDLIB)),  # Saraqeb lies in Idlib
], ids=["same", "barrel-bombs", "generic-attack", "next-day", "unknown-perpetrator", "located-in"])
def test_reports_of_one_attack_merge(a: EventSummary, b: EventSummary) -> None:
    assert merged(a, b) == [["e:1", "e:2"]]
    m = explain(a, b)
    assert m is not None and m.rule == "same-attack" and 0 < m.score <= 1
    assert explain(b, a) == m


@pytest.mark.parametrize(("a", "b"), [
    (attack("e:1", "A"), attack("e:2", "B", chain=SARMIN)),
    (attack("e:1", "A"), attack("e:2", "B", chain=ALEPPO)),
    (attack("e:1", "A"), attack("e:2", "B", when=date(2019, 12, 23))),
    (attack("e:1", "A"), attack("e:2", "B", by=frozenset({"actor:syrian-government-forces"}))),
    (attack("e:1", "A"), attack("e:2", "B", cls="Shelling")),
    (attack("e:1", "A"), attack("e:2", "B", when=None)),
    (attack("e:1", "A"), attack("e:2", "A")),
    # the seeds: Sunday's "attacks on villages" somewhere in Idlib vs Saturday's Russian air strike on Saraqeb
    (attack("e:1", "A"), attack("e:2", "B", cls="Attack", chain=IDLIB, when=date(2019, 12, 22), by=frozenset())),
], ids=["saraqeb-vs-sarmin", "other-governorate", "two-days-apart", "different-perpetrators", "shelling",
        "undated", "same-article", "vague-on-every-count"])
def test_different_attacks_stay_apart(a: EventSummary, b: EventSummary) -> None:
    assert merged(a, b) == []
    assert explain(a, b) is None and explain(b, a) is None


def test_the_uns_figure_in_two_outlets_is_one_displacement() -> None:
    aj = figure("e:aj", "AJ", publisher="actor:al-jazeera", origin=())
    reuters = figure("e:reuters", "R", publisher="actor:reuters",
                     sources=UN | {"actor:reuters"})  # the outlet itself is not a second source
    merges = merge_events([aj, reuters])
    assert [(m.members, m.rule) for m in merges] == [(["e:aj", "e:reuters"], "same-figure")]


@pytest.mark.parametrize("other", [
    figure("e:2", "B", qualifier="about"),
    figure("e:2", "B", count=200000),
    figure("e:2", "B", sources=frozenset({"actor:unhcr"})),
    figure("e:2", "B", origin=ALEPPO),
    figure("e:2", "B", start=date(2019, 11, 1)),
    figure("e:2", "A"),
], ids=["qualifier", "count", "other-source", "other-origin", "other-period", "same-article"])
def test_different_figures_stay_apart(other: EventSummary) -> None:
    assert merged(figure("e:1", "A"), other) == []


def test_a_bare_round_figure_merges_with_nothing() -> None:
    bare = figure("e:2", "B", sources=frozenset(), origin=(), start=None, publisher="actor:reuters")
    assert merged(figure("e:1", "A"), bare) == []


def test_unsourced_figure_merges_with_a_sourced_one() -> None:
    assert merged(figure("e:1", "A"), figure("e:2", "B", sources=frozenset())) == [["e:1", "e:2"]]


def test_canonical_is_the_smallest_iri_and_members_are_sorted() -> None:
    m = merge_events([attack("e:9", "C"), attack("e:3", "B"), attack("e:5", "A")])
    assert len(m) == 1 and m[0].canonical == "e:3" and m[0].members == ["e:3", "e:5", "e:9"]


def test_merge_with_no_events_is_empty() -> None:
    assert merge_events([]) == []


def test_rules_are_data() -> None:
    rules = load_rules()
    assert rules.attack["max_days_apart"] == 1
    assert "BarrelBombing" in next(f for f in rules.families if "AirStrike" in f)


def _spread(n: int) -> list[EventSummary]:
    """n attacks and n figures in three countries of ten regions, over a period that grows with n
    (a bigger corpus covers more days, as 20,000 articles do)."""
    out = []
    for i in range(n):
        day = date.fromordinal(date(2019, 1, 1).toordinal() + (i * 7919) % max(n // 5, 1))
        country = ("place:syria", "place:yemen", "place:sudan")[i % 3]
        region = f"place:r{i % 10}-{country}"
        out.append(attack(f"e:a{i:05d}", f"A{i}", when=day,
                          chain=(f"place:t{i % 50}-{region}", region, country)))
        out.append(figure(f"e:f{i:05d}", f"A{i}", count=1000 * (i % 97), start=day,
                          origin=(f"place:r{i % 10}-{country}", country)))
    return out


def test_candidate_pairs_grow_linearly_not_quadratically() -> None:
    rules = load_rules()
    small = sum(1 for _ in _candidate_pairs(_spread(1000), rules))
    large = sum(1 for _ in _candidate_pairs(_spread(4000), rules))
    assert large < 5 * small  # 4x the events: about 4x the pairs (16x would be all-pairs behaviour)
    assert large < 4000 * 8000 / 100  # and far below all pairs


def test_blocking_never_misses_a_match() -> None:
    events = _spread(300) + pool
    found = {(m.members[0], m.members[-1]) for m in merge_events(events)}
    every = sorted(events, key=lambda e: e.iri)
    brute = set()
    for i, a in enumerate(every):
        for b in every[i + 1:]:
            if explain(a, b) is not None:
                brute.add((a.iri, b.iri))
    clustered = {iri for m in merge_events(events) for iri in m.members}
    assert {x for pair in brute for x in pair} == clustered
    assert found or not brute


def test_candidates_hold_every_matching_pair_when_one_article_places_a_town_without_its_country() -> None:
    """One article knows only "Saada", another "Saada, Saada Governorate, Yemen": they can still match."""
    town, full = ("place:saada",), ("place:saada", "place:saada-governorate", "place:yemen")
    events = [attack("e:1", "A", chain=town), attack("e:2", "B", chain=full), attack("e:3", "C", chain=full[1:]),
              figure("e:4", "A", origin=town), figure("e:5", "B", origin=full), figure("e:6", "C", origin=full[2:])]
    brute = {(a.iri, b.iri) for a in events for b in events if a.iri < b.iri and explain(a, b) is not None}
    candidates = {(a.iri, b.iri) for a, b in _candidate_pairs(sorted(events, key=lambda e: e.iri), load_rules())}
    assert ("e:1", "e:2") in brute and ("e:4", "e:5") in brute
    assert brute <= candidates
    assert merged(*events) == [["e:1", "e:2", "e:3"], ["e:4", "e:5", "e:6"]]


@given(st.sets(st.integers(0, 308), min_size=1, max_size=60))
@settings(max_examples=30, deadline=None)
def test_pairs_involving_added_reports_hold_every_match_of_one_and_only_those(picked: set[int]) -> None:
    """Blocking for an add: every matching pair with an added report comes, and no pair of two stored ones."""
    events = sorted(_spread(300) + pool, key=lambda e: e.iri)
    added = frozenset(events[i].iri for i in picked)
    pairs = {(a.iri, b.iri) for a, b in _candidate_pairs(events, load_rules(), involving=added)}
    brute = {(a.iri, b.iri) for a in events for b in events
             if a.iri < b.iri and (a.iri in added or b.iri in added) and explain(a, b) is not None}
    assert brute <= pairs
    assert all(a in added or b in added for a, b in pairs)


@pytest.mark.parametrize("made", [attack, figure, lambda iri, article: figure(iri, article, origin=())])
def test_stored_reports_of_a_block_meet_the_added_one_and_not_each_other(made: Any) -> None:
    """Three reports of one block (same place or origin, same day): two stored, one added."""
    events = [made("e:1", "A"), made("e:2", "B"), made("e:3", "C")]
    pairs = {(a.iri, b.iri) for a, b in _candidate_pairs(events, load_rules(), involving=frozenset({"e:2"}))}
    assert pairs == {("e:1", "e:2"), ("e:2", "e:3")}
    assert len(set(_candidate_pairs(events, load_rules()))) == 3  # a whole merge meets them all


pool = [
    attack("e:a1", "A"), attack("e:b1", "B", cls="BarrelBombing"), attack("e:c1", "C", chain=IDLIB),
    attack("e:d1", "D", chain=SARMIN), attack("e:e1", "E", when=date(2019, 12, 22), by=frozenset()),
    attack("e:f1", "F", by=frozenset({"actor:syrian-government-forces"})),
    figure("e:g1", "G"), figure("e:h1", "H", sources=frozenset()), figure("e:i1", "I", qualifier="about"),
]


@given(st.permutations(pool))
@settings(max_examples=50, deadline=None)
def test_merges_do_not_depend_on_input_order(events: list[EventSummary]) -> None:
    assert merge_events(events) == merge_events(pool)


def test_duplicated_summaries_are_one_report() -> None:
    a = attack("e:1", "A")
    assert merged(a, replace(a), attack("e:2", "B")) == [["e:1", "e:2"]]


@pytest.mark.slow
def test_seed_articles_merge_the_un_displacement_figure() -> None:
    from pathlib import Path

    from builder.extract import extract
    from builder.merge import summarise
    from builder.nlp import load_nlp
    from builder.quarantine import Quarantine
    from builder.read import iter_articles
    from builder.resolve import resolve
    from ontology import iri

    seeds = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
    nlp = load_nlp()
    summaries = []
    for art in iter_articles([str(seeds)], quarantine=Quarantine()):
        r = resolve(extract(nlp(art.text), art))
        ids = {ev.id: str(iri.event_iri(art.content_hash, ev.span.start)) for ev in r.extraction.events}
        summaries.extend(summarise(r, ids))
    merges = merge_events(summaries)
    un = [m for m in merges if m.rule == "same-figure"
          and all((500000, "more_than") in next(s for s in summaries if s.iri == i).displaced for i in m.members)]
    assert len(un) == 1 and len({next(s for s in summaries if s.iri == i).article for i in un[0].members}) == 2
    assert merge_events(list(reversed(summaries))) == merges
    # the two seeds share no attack: Sunday's attacks (Al Jazeera) are not Saturday's Saraqeb strike (Reuters)
    assert [m for m in merges if m.rule == "same-attack"] == []


# ---- adding reports to a store: only the new reports' links and the clusters they touch -------------------

def _varied_report(i: int, kind: int, day: int, place: int, count: int) -> EventSummary:
    chain = (SARAQEB, SARMIN, IDLIB, ALEPPO)[place]
    if kind == 0:
        return attack(f"e:{i:03d}", f"A{i}", when=date(2019, 12, 15 + day), chain=chain,
                      cls=("AirStrike", "Attack", "Shelling")[i % 3])
    return figure(f"e:{i:03d}", f"A{i}", count=(250000, 500000, 40000)[count], origin=(IDLIB, ALEPPO)[place % 2])


def _stored(merges: list) -> list:
    from builder.merge import StoredCluster

    # as the resolution graph holds them: the score written with three decimals
    return [StoredCluster(node=f"m:{m.canonical}", members=tuple(m.members), rule=m.rule,
                          score=float(f"{m.score:.3f}")) for m in merges]


def _rounded(merges: list) -> list[tuple]:
    return sorted((m.canonical, tuple(m.members), m.rule, f"{m.score:.3f}") for m in merges)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 4), st.integers(0, 3), st.integers(0, 2)),
                min_size=2, max_size=24),
       st.integers(1, 6))
@settings(max_examples=150, deadline=None)
def test_adding_reports_to_stored_clusters_equals_merging_everything(specs: list, added: int) -> None:
    from builder.merge import links_of, merge_increment

    events = [_varied_report(i, *spec) for i, spec in enumerate(specs)]
    old, new = events[:-added] if added < len(events) else events[:1], events[-added:]
    before = merge_events(old)
    stored = _stored(before)
    merges, absorbed = merge_increment({e.iri for e in new}, links_of(new, old), stored)
    kept = [m for m, c in zip(before, stored) if c.node not in absorbed]
    assert _rounded(kept + merges) == _rounded(merge_events(old + new))


def test_a_new_report_can_join_two_stored_clusters_into_one() -> None:
    from builder.merge import links_of, merge_increment

    # e:1/e:2 on the 20th and e:3/e:4 on the 22nd are a day too far apart for each other; a report of the 21st
    # is near both: one event of five reports
    early = [attack("e:1", "A", when=date(2019, 12, 20)), attack("e:2", "B", when=date(2019, 12, 20))]
    late = [attack("e:3", "C", when=date(2019, 12, 22)), attack("e:4", "D", when=date(2019, 12, 22))]
    stored = _stored(merge_events(early + late))
    bridge = attack("e:5", "E", when=date(2019, 12, 21))
    merges, absorbed = merge_increment({"e:5"}, links_of([bridge], early + late), stored)
    assert [c.members for c in stored] == [("e:1", "e:2"), ("e:3", "e:4")]
    assert [m.members for m in merges] == [["e:1", "e:2", "e:3", "e:4", "e:5"]]
    assert absorbed == {c.node for c in stored}


def test_a_cluster_scores_its_weakest_link_whatever_order_its_links_join_in() -> None:
    # e:1–e:2 the same place and day, e:2–e:3 a day apart and placed only by governorate: a weaker link
    events = [attack("e:1", "A"), attack("e:2", "B"), attack("e:3", "C", chain=IDLIB, when=date(2019, 12, 22))]
    links = [explain(a, b) for a, b in [(events[0], events[1]), (events[1], events[2]), (events[0], events[2])]]
    weakest = min(m.score for m in links if m is not None)
    assert links[0] is not None and links[1] is not None and links[1].score < links[0].score
    for order in (events, events[::-1], [events[2], events[0], events[1]]):
        (m,) = merge_events(order)
        assert (m.members, m.rule, m.score) == (["e:1", "e:2", "e:3"], "same-attack", weakest)


def test_reports_giving_two_figures_in_common_are_compared_once() -> None:
    """A pair meets in the block of each figure both give; it must be emitted (and counted) once."""
    both = frozenset({(500000, "more_than"), (12000, "about")})
    events = [replace(figure("e:1", "A"), displaced=both), replace(figure("e:2", "B"), displaced=both),
              replace(figure("e:3", "C"), displaced=frozenset({(12000, "about")})), figure("e:4", "D")]
    pairs = [(a.iri, b.iri) for a, b in _candidate_pairs(sorted(events, key=lambda e: e.iri), load_rules())]
    brute = {(a.iri, b.iri) for a in events for b in events if a.iri < b.iri and explain(a, b) is not None}
    assert len(pairs) == len(set(pairs))
    assert brute <= set(pairs) and ("e:1", "e:2") in brute
    assert merged(*events) == [["e:1", "e:2", "e:3", "e:4"]]
