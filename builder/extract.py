"""From a parsed article to records: ``extract(doc, article) -> Extraction``.

    mentions (entities.py) ─► sentence facts: attacks, displacement, figures (events.py)
        ─► attribution: sources, stance, quotes, publisher (attribution.py) ─► claims

Every record carries its evidence ``Span`` with exact offsets into
``article.text`` (``article.text[start:end] == span.text``).

Per article, after the sentences: reports of one attack in several sentences
are folded into one event with several claims (``_merge_attacks``), and
generic actor phrases with no antecedent that do not speak ("forces", "an army
spokesman", "11 villagers") are dropped (``_drop_generic``).
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from builder.extraction.attribution import attribute_sentences, publisher_mention
from builder.extraction.context import Context, referent, referent_name
from builder.extraction.coreference import is_generic, link_mentions, national_government
from builder.extraction.entities import extract_mentions
from builder.extraction.lexicon import lexicon
from builder.extraction.events import SentenceFacts, sentence_facts
from builder.gazetteer import load_gazetteer
from builder.records import ArticleInput, ClaimRecord, EventRecord, Extraction, Figure
from ontology.errors import InputError

_FOLLOW_UP = 2  # a toll with no trigger belongs to the attack of the last two sentences
_REMENTION = 5  # sentences: an attack with nothing of its own (place, date, toll, target) retells one this close


def _furniture(ctx: Context, index: int) -> bool:
    """Headline, byline, page furniture: lines before the dateline, or an unpunctuated first line, or the title."""
    start, end = ctx.sent_bounds[index]
    text = ctx.sentence_text(index).strip().strip("#*_> ").strip()
    if ctx.article.title and text and text.lower() == ctx.article.title.strip().lower():
        return True
    dateline = ctx.doc._.dateline
    if dateline is not None and end <= dateline.start_char:
        return True
    return index == 0 and bool(text) and text[-1] not in ".!?\"”'’" and "\n" in ctx.article.text[start:end + 2]


def extract(doc: Doc, article: ArticleInput) -> Extraction:
    """Every place, actor, attack, displacement and claim the article states, with evidence."""
    if doc.text != article.text:
        raise InputError(f"expected the Doc of the article's text ({len(article.text)} characters), "
                         f"got a Doc of {len(doc.text)} characters", path=article.source, stage="extract")
    ctx = Context(doc, article)
    dateline, relations = extract_mentions(ctx)
    link_mentions(ctx)
    publisher = publisher_mention(ctx)
    attributions = attribute_sentences(ctx)
    # the dateline, places describing a person and owners of organisations are no place of an event
    exclude = ({dateline} if dateline else set()) | ctx.incidental
    out = Extraction(article=article, relations=relations, dateline=dateline,
                     publisher=publisher.id if publisher else None)
    last_attack: tuple[int, EventRecord] | None = None
    last_flight: tuple[int, EventRecord] | None = None
    contextual: set[str] = set()
    attacks: list[EventRecord] = []

    def claim(event: EventRecord, sources: list[str], index: int, *, stance: str = "asserts",
              killed: Figure | None = None, injured: Figure | None = None, displaced: Figure | None = None,
              quote: str | None = None) -> None:
        who = sources or ([out.publisher] if out.publisher else [])
        for source in who:
            if any(c.event == event.id and c.source == source and c.span.sentence_index == index and c.stance == stance
                   for c in out.claims):
                continue
            if killed is not None and _vague(killed) and any(
                    c.event == event.id and referent_name(ctx, c.source) == referent_name(ctx, source) and c.killed and not _vague(c.killed)
                    for c in out.claims):
                # "killing at least 70 detainees, MSF said" ... "MSF said the hospital had received dozens of bodies":
                # the words of a toll the same source gave in figures, not another toll
                killed = None
            out.claims.append(ClaimRecord(id=f"c{len(out.claims)}", event=event.id, source=source,
                                          span=ctx.sentence_span(index), stance=stance, killed=killed,
                                          injured=injured, displaced=displaced, quote=quote))

    for index in range(len(ctx.sentences)):
        if _furniture(ctx, index):
            continue
        facts: SentenceFacts = sentence_facts(ctx, index, exclude)
        att = attributions[index]
        before = len(out.claims)
        if facts.attack is not None and last_attack and index - last_attack[0] <= _REMENTION and _retold(facts):
            previous, retold = last_attack[1], facts.attack
            previous.perpetrators = previous.perpetrators or retold.perpetrators
            previous.weapon = previous.weapon or retold.weapon
            if previous.cls == "Attack" and (
                    (retold.weapon and lexicon().refine(retold.weapon.split()[-1].lower()) == retold.cls)
                    or retold.cls in _TELLS_THE_KIND):
                # "an attack by regime forces" ... "targeted by regime artillery": shelling (a "blast" names no weapon);
                # "the Israeli aggression against Evin prison" ... "the strike hit": an air strike
                previous.cls = retold.cls
            if facts.own_place and retold.location and (previous.id in contextual or previous.location is None or
                                                        _rank(ctx, retold.location) < _rank(ctx, previous.location)):
                # "a drone strike in the Amhara region ..." "The strike hit the town of Finote Selam": the town
                previous.location = retold.location
                contextual.discard(previous.id)
            if previous.date is None and retold.date is not None:
                previous.date, previous.date_text = retold.date, retold.date_text
            if facts.past:
                facts.killed = facts.injured = None
            claim(previous, att.sources, index, killed=facts.killed, injured=facts.injured, quote=att.quote)
            facts.attack = None
        elif facts.attack is not None and last_attack and index - last_attack[0] <= _REMENTION \
                and (told := _restated(ctx, facts, attacks)) is not None:
            # "Russia's defence ministry said its aircraft had struck 'terrorist positions' in the Idlib
            # de-escalation zone": the attacker's own account of the strikes told before, no attack of its own
            claim(told, att.sources, index, quote=att.quote)
            facts.attack = None
        elif facts.attack is not None:
            event = facts.attack
            event.id = f"e{len(out.events)}"
            if event.date is None and last_attack is not None and last_attack[1].date is not None \
                    and _also(ctx.sentences[index]):
                # "Syrian regime forces also shelled the nearby town of Kansafra": the day of the attack told before
                event.date = last_attack[1].date
            out.events.append(event)
            attacks.append(event)
            last_attack = (index, event)
            if not facts.own_place:
                contextual.add(event.id)  # the place comes from the sentences before, not this one
            claim(event, att.sources, index, killed=facts.killed, injured=facts.injured, quote=att.quote)
        elif facts.tally or facts.accident or facts.past:
            # a tally over weeks or months, the toll of an accident or of an attack years ago is no toll of the latest
            facts.killed = facts.injured = None
        elif (facts.killed or facts.injured) and last_attack and index - last_attack[0] <= _FOLLOW_UP:
            claim(last_attack[1], att.sources, index, killed=facts.killed, injured=facts.injured, quote=att.quote)
        if facts.displacement is not None:
            event = facts.displacement
            event.id = f"e{len(out.events)}"
            out.events.append(event)
            last_flight = (index, event)
            claim(event, att.sources, index, displaced=facts.displaced, quote=att.quote)
        elif facts.displaced is not None and last_flight and index - last_flight[0] <= _FOLLOW_UP:
            # "The Kurdish-led administration put the number of displaced at more than 190,000": another figure
            # of the flight just told, from another source
            claim(last_flight[1], att.sources, index, displaced=facts.displaced, quote=att.quote)
        if att.blamed and last_attack and index - last_attack[0] <= _REMENTION:
            if not [p for p in last_attack[1].perpetrators if p not in ctx.generic]:  # none, or words naming no one
                last_attack[1].perpetrators = list(dict.fromkeys(att.blamed))
            claim(last_attack[1], att.sources, index, quote=att.quote)  # who blames whom is itself a claim
        if facts.territory is not None:
            event = facts.territory
            event.id = f"e{len(out.events)}"
            out.events.append(event)
            claim(event, att.sources, index, quote=att.quote)
        if att.unconfirmed_by and last_attack and index - last_attack[0] <= _REMENTION:
            claim(last_attack[1], att.unconfirmed_by, index, stance="unconfirmed")
        for denier in att.denied_by:
            target = _denied_event(ctx, attacks, denier)
            if target is not None:
                claim(target, [denier], index, stance="denies")
        if facts.accident:
            pass  # what its sources say is about the accident: neither the attack nor the flight told before
        elif att.sources and len(out.claims) == before and last_attack is not None and facts.displacement is None:
            # "X told AFP that bodies were still under the rubble": a statement about the attack the story is on
            claim(last_attack[1], att.sources, index, killed=facts.killed, injured=facts.injured, quote=att.quote)
        elif att.sources and len(out.claims) == before and last_flight is not None and not (facts.killed or facts.injured):
            # "UNHCR said schools in Idlib city had been turned into shelters": about the flight the story is on
            claim(last_flight[1], att.sources, index, quote=att.quote)
    _places_named_after(ctx, attacks)
    out.mentions = ctx.mentions
    # generic attackers ("suspected jihadists") go first, so that merging takes a named one told later
    # ("The attack was claimed by JNIM") instead of keeping a word that names no one
    _drop_generic(out, ctx.generic)
    _merge_attacks(out, contextual)
    return out


def _vague(figure: Figure) -> bool:
    """A figure given as a vague amount ("dozens", "scores": vague_amounts.csv), not as a number."""
    from builder.numbers import vague_amounts

    text = figure.text.lower()
    return not any(ch.isdigit() for ch in text) and any(text.startswith(phrase) for phrase in vague_amounts())


_NOT_ATTACKS = frozenset({"Displacement", "TerritorialChange"})
_DEFINITE = frozenset({"the", "this", "that", "its", "their"})  # "the building": the target told before


def _merge_attacks(out: Extraction, contextual: set[str]) -> None:
    """One attack told in several sentences is one event with several claims ("A missile hit Zaporizhzhia on
    Monday" ... "the strike on Zaporizhzhia" ... "A local committee put the toll at 24"): a later attack of the
    same or a compatible class (a generic Attack fits any), at the same place or none, with no other date and
    no other attacker, is folded into the first one."""
    kept: list[EventRecord] = []
    into: dict[str, EventRecord] = {}
    tolled = {c.event for c in out.claims if c.killed}
    for event in out.events:
        if event.cls in _NOT_ATTACKS:
            kept.append(event)
            continue
        first = next((k for k in kept if k.cls not in _NOT_ATTACKS and _same_attack(out, k, event, contextual, tolled)), None)
        if first is None:
            kept.append(event)
            continue
        into[event.id] = first
        if event.id in tolled:
            tolled.add(first.id)
        if first.cls == "Attack":
            first.cls = event.cls
        if event.location and event.id not in contextual and (
                first.location is None or first.id in contextual or _rank(out, event.location) < _rank(out, first.location)):
            first.location = event.location  # "an air strike on a village in Sagaing" ... "jets bombed Kyauk Pyin village"
            contextual.discard(first.id)
        first.date, first.date_text = (first.date, first.date_text) if first.date else (event.date, event.date_text)
        first.perpetrators = first.perpetrators or event.perpetrators
        first.targets = list(dict.fromkeys(first.targets + event.targets))
        first.target_text = first.target_text or event.target_text
        first.weapon = first.weapon or event.weapon
    if not into:
        return
    out.events = kept
    claims: list[ClaimRecord] = []
    for c in out.claims:
        if c.event in into:
            c.event = into[c.event].id
        if any(o.event == c.event and o.source == c.source and o.span.sentence_index == c.span.sentence_index
               and o.stance == c.stance for o in claims):
            continue
        claims.append(c)
    out.claims = claims


_RANK = {"Facility": 0, "Settlement": 1, "Region": 2, "Country": 3}
#: classes a retelling may give an attack first told without its kind ("the strike" after "the aggression")
_TELLS_THE_KIND = frozenset({"AirStrike", "DroneStrike", "MissileStrike", "Shelling", "BarrelBombing", "Bombing"})


def _rank(out: Extraction | Context, mention_id: str) -> float:
    """How fine a place is: a facility, a town, a district ("the Barmal district"), a province, a country."""
    m = out.mention(mention_id)
    named = out.mention(m.antecedent) if m.antecedent else m
    rank = _RANK.get(named.cls, 2)
    if named.cls == "Region":  # the type word in the name or right after it ("the Chahar Dara district")
        words = (named.surface + " " + out.article.text[named.span.end:named.span.end + 20]).lower().split()
        if any(w.strip(",.;") in lexicon().actors["place_levels"]["district"]
               for w in words[len(named.surface.split()) - 1:len(named.surface.split()) + 1]):
            return rank - 0.5
    return rank


def _same_attack(out: Extraction, a: EventRecord, b: EventRecord, contextual: set[str], tolled: set[str]) -> bool:
    if a.cls != b.cls and "Attack" not in (a.cls, b.cls):
        return False
    if b.date and a.date != b.date:
        return False  # a dated attack after an undated one is told for itself ("barrel bombs ..." then "on Sunday ...")
    if a.location and b.location and b.id not in contextual and a.id not in contextual \
            and referent_name(out, a.location) != referent_name(out, b.location):
        # a named place inside the region the first report gave ("a village in Sagaing" ... "Kyauk Pyin village"),
        # or inside the town it gave, as the tables know ("a camp outside El Fasher" ... "the Abu Shouk camp")
        if not ((_rank(out, a.location) >= 2 > _rank(out, b.location) or _lies_in(out, b.location, a.location))
                and not b.date):
            return False
    if b.id in tolled and a.id not in tolled and b.target_text and b.target_text.split()[0].lower() not in _DEFINITE \
            and not (a.date and not b.date and a.location):
        # "stepped up strikes on villages" ... "jets hit a convoy, killing 8": a toll of its own, a new attack (not
        # when the first was one dated attack on one place: "confronted an aggression on Damascus on Monday night"
        # ... "a missile attack targeting some points near Damascus killed two soldiers")
        return False
    named_a = {_actor_name(out, p) for p in a.perpetrators if not is_generic(referent(out, p))}
    named_b = {_actor_name(out, p) for p in b.perpetrators if not is_generic(referent(out, p))}
    if named_a and named_b and not named_a & named_b:
        return False  # "the military" and "junta jets" may be one attacker: only named ones conflict
    return True


def _lies_in(out: Extraction, inner: str, outer: str) -> bool:
    """Whether the tables place the first mention's place inside the second's."""
    gaz = load_gazetteer()
    inside = gaz.lookup_place(referent_name(out, inner), fuzzy=False)
    around = gaz.lookup_place(referent_name(out, outer), fuzzy=False)
    return inside is not None and around is not None and inside.key != around.key and around.key in gaz.chain(inside.key)


def _actor_name(out: Extraction | Context, mention_id: str) -> str:
    """The attacker's country when its words give one ("Russian", "Russia's Defense Ministry" -> russia)."""
    m = referent(out, mention_id)
    name = m.name or m.surface
    demonyms = lexicon().demonyms
    first = name.replace("'s", " ").replace("’s", " ").split()[0] if name.split() else name
    country = demonyms.get(first) or (first if first in demonyms.values() else None)
    return (country or name).lower()


def _restated(ctx: Context, facts: SentenceFacts, attacks: list[EventRecord]) -> EventRecord | None:
    """The attack told before that this sentence's tells again from another side: an undated attack with no
    toll, by an attacker of that attack, of its kind, at a coarser place (a province, a country, none)."""
    attack = facts.attack
    if attack is None or attack.date is not None or facts.killed or facts.injured or not attack.perpetrators \
            or _also(ctx.sentences[facts.index]):
        return None
    attackers = {_actor_name(ctx, p) for p in attack.perpetrators}
    for previous in reversed(attacks):
        if previous.location is None or attack.cls not in (previous.cls, "Attack"):
            continue
        if attack.location is not None and _rank(ctx, attack.location) <= _rank(ctx, previous.location):
            continue
        if attackers & {_actor_name(ctx, p) for p in previous.perpetrators}:
            return previous
    return None


def _also(sent: SpacySpan) -> bool:
    """Whether the sentence's verb is told as "also" done: another act of the same time."""
    return any(t.lower_ == "also" and t.dep_ == "advmod" and t.head.pos_ in ("VERB", "AUX") for t in sent)


def _drop_generic(out: Extraction, generic: set[str]) -> None:
    """Generic actor phrases with no antecedent ('forces', 'an army spokesman') are no actor at all,
    unless an unnamed group speaks ('officials said'): a claim they made falls to the publisher."""
    speaking = {c.source for c in out.claims}
    roles = set(lexicon().actors["generic"]["roles"])

    def group(mid: str) -> bool:
        m = out.mention(mid)
        return m.cls in ("Group", "Organization") and m.surface.lower().split()[-1] not in roles

    for mid in generic & speaking:
        name = national_government(out, mid)
        if name is not None:  # "The government said" in a Burkina Faso article: Burkina Faso's
            out.mention(mid).name = name
            generic = generic - {mid}
    drop = {mid for mid in generic if mid not in speaking or (not group(mid) and out.publisher is not None)}
    # "killing 11 villagers": people counted or named as victims are not actors; an unnamed group only as a source
    drop |= {m.id for m in out.mentions if m.kind == "actor" and m.cls == "Group" and m.id not in speaking}
    if not drop:
        return
    for event in out.events:
        event.perpetrators = [p for p in event.perpetrators if p not in drop]
        event.targets = [t for t in event.targets if t not in drop]
    claims = []
    for c in out.claims:
        if c.source in drop:
            c.source = out.publisher
            if any(o.event == c.event and o.source == c.source and o.span.sentence_index == c.span.sentence_index
                   and o.stance == c.stance for o in claims):
                continue
        claims.append(c)
    out.claims = claims
    out.relations = [r for r in out.relations if r.subject not in drop and r.object not in drop]
    out.mentions = [m for m in out.mentions if m.id not in drop]
    for m in out.mentions:
        if m.antecedent in drop:
            m.antecedent = None  # resolution looks for its referent again, among the mentions that stay


def _retold(facts: SentenceFacts) -> bool:
    """Nothing of its own: no place named in the sentence, no date, no toll, no target."""
    attack = facts.attack
    if facts.definite:
        return True  # "the drone struck", "jets struck the vegetable market": told before
    if attack.date or facts.killed or facts.injured:
        return False
    return not (facts.own_place or attack.target_text)


def _places_named_after(ctx: Context, attacks: list[EventRecord]) -> None:
    """'... bombed a camp for displaced people in Kachin State' then 'The Mung Lai Hkyet camp lies ...': an
    attack placed no finer than a region whose target is a kind of place takes the place of that kind the
    next sentences name with the same word."""
    types = lexicon().actors["place_types"]
    kinds = set(types["Settlement"]) | set(types["Facility"])
    text = ctx.article.text
    for event in attacks:
        words = (event.target_text or "").lower().split()
        if not words or words[-1] not in kinds:
            continue
        if event.location is not None and ctx.mention(event.location).cls not in ("Region", "Country"):
            continue
        noun, index = words[-1], event.span.sentence_index
        for m in ctx.mentions:
            if m.kind == "place" and m.cls in ("Settlement", "Facility") and not m.antecedent \
                    and 0 < m.span.sentence_index - index <= 2 \
                    and text[max(0, m.span.start - 4):m.span.start].lower() == "the " \
                    and (m.surface.lower().endswith(f" {noun}")
                         or text[m.span.end:m.span.end + len(noun) + 1].lower() == f" {noun}"):
                event.location = m.id
                break


def _denied_event(ctx: Context, attacks: list[EventRecord], denier: str) -> EventRecord | None:
    """The attack a denial answers: the latest one the denier is said to have carried out, else the latest."""
    name = (ctx.mention(denier).name or ctx.mention(denier).surface).lower()
    for event in reversed(attacks):
        for p in event.perpetrators:
            m = ctx.mention(p)
            if (m.name or m.surface).lower() == name or m.surface.lower() == ctx.mention(denier).surface.lower():
                return event
    return attacks[-1] if attacks else None
