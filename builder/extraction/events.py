"""Attacks and displacement: triggers, their class, place, date, perpetrators and figures.

One attack per sentence at most (its triggers are merged; the most specific
class wins). A noun trigger ("strikes", "attacks") only makes an event when the
sentence anchors it: a casualty figure, an attacker attached to it ("jets
escalated attacks"), or a named place in its phrase; background uses
("allegations of bombing", "fleeing bombardment", "a year of attacks") never do.
A casualty figure with no trigger adds a claim to the attack of the last two
sentences, or starts a generic Attack. Displacement needs a counted figure
inside the flight verb's clause ("people who fled" in a relative clause is
background).
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span as SpacySpan, Token

from builder.dates import FoundDate, find_dates
from builder.extraction.context import Context, referent_name
from builder.extraction.coreference import nearest
from builder.extraction.entities import ACTOR_CLASSES
from builder.extraction.lexicon import lexicon
from builder.numbers import FoundFigure, find_figures
from builder.records import EntityMention, EventRecord, Figure

# a town before a facility named in it: an attack's place is where it was (ACLED's location), the hospital its target
_PLACE_RANK = {"Settlement": 0, "Facility": 1, "Region": 2, "Country": 3}
#: a sentence without an attack of its own whose date is more days than this before publication tells of an earlier one
_PAST_DAYS = 60


@dataclass
class Trigger:
    head: Token
    start: int  # token index of first word
    end: int
    cls: str
    pos: str


@dataclass
class SentenceFacts:
    """What one sentence reports, before attribution."""

    index: int
    attack: EventRecord | None = None
    displacement: EventRecord | None = None
    killed: Figure | None = None
    injured: Figure | None = None
    displaced: Figure | None = None
    territory: EventRecord | None = None
    own_place: bool = False
    tally: bool = False  # figures over a period with no day ("dozens killed since the start of the year")
    accident: bool = False  # "a fuel depot exploded ..., killing 170": a toll, but of no attack
    past: bool = False  # a toll dated long before the story ("killed 500 in October 2017"): an earlier attack's
    definite: bool = False  # "the drone struck": the attack told before
    figures: list[FoundFigure] = field(default_factory=list)


def find_triggers(sent: SpacySpan, lowers: list[str] | None = None, lemmas: list[str] | None = None) -> list[Trigger]:
    """Attack trigger words of a sentence (two-word nouns first, then nouns, then verb lemmas).

    ``lowers`` and ``lemmas`` (lower-cased) of the whole doc, when the caller has read them already.
    """
    lex = lexicon()
    nouns = lex.attack_words("noun")
    verbs = lex.attack_words("verb")
    out: list[Trigger] = []
    i = sent.start
    doc = sent.doc
    lowers = lowers if lowers is not None else [t.lower_ for t in doc]
    lemmas = lemmas if lemmas is not None else [t.lemma_.lower() for t in doc]
    while i < sent.end:
        if i + 1 < sent.end:
            pair = f"{lowers[i]} {lowers[i + 1]}"
            if pair in nouns:
                out.append(Trigger(doc[i + 1], i, i + 2, nouns[pair], "noun"))
                i += 2
                continue
        if lowers[i] not in nouns and lemmas[i] not in verbs:
            i += 1  # most words: no need to look at the token
            continue
        tok = doc[i]
        if lowers[i] in nouns and (tok.pos_ in ("NOUN", "PROPN") or (tok.tag_ == "VBG" and (
                tok.dep_ in ("nsubj", "nsubjpass") or (i == sent.start and tok.dep_ == "aux")))):
            out.append(Trigger(tok, i, i + 1, nouns[lowers[i]], "noun"))
        elif tok.pos_ == "VERB" and lemmas[i] in verbs:
            out.append(Trigger(tok, i, i + 1, verbs[lemmas[i]], "verb"))
        i += 1
    return out


def _killings(ctx: Context, sent: SpacySpan) -> list[Trigger]:
    """Killing verbs whose subject is an armed actor ("Malian troops killed at least 500 people"): an attack with
    no attack word (event_triggers.toml [killing]). A negated or background verb is none (``_background``)."""
    killing = lexicon().triggers["killing"]
    verbs, armed = set(killing["verbs"]), set(killing["subjects"])
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or ctx.lemmas[tok.i] not in verbs:
            continue
        actors = [a for c in tok.children if c.dep_ == "nsubj" for a in _subject_actors(ctx, tok, c)]
        if any(ctx.mention(a).cls in armed for a in actors):
            trig = Trigger(tok, tok.i, tok.i + 1, "Attack", "verb")
            if not _background(trig):
                out.append(trig)
    return out


def _background(trigger: Trigger) -> bool:
    governors = set(lexicon().triggers["background"]["governors"])
    adverbs = set(lexicon().triggers["background"]["adverbs"])
    tok = trigger.head
    if any(c.dep_ == "advmod" and c.lower_ in adverbs for c in tok.children):
        return True
    verb = tok if trigger.pos == "verb" else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is not None and any(c.dep_ == "neg" for c in verb.children):
        return True  # "the air force does not carry out strikes on civilian targets": no attack
    if verb is not None and any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children):
        return True  # "bombed daily since the regime launched its offensive in April": the campaign's start
    if trigger.pos == "verb" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return True  # "relied on air power to strike areas": an aim, not an event
    clause = tok
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    if trigger.pos == "verb" and clause.dep_ == "relcl" and any(
            c.dep_ == "aux" and c.lower_ in ("have", "has") for c in clause.children):
        return True  # "the rebels, who have attacked shipping in the Red Sea": what a group is known for
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            return False
        if head.lower_ in governors or head.lemma_.lower() in governors:
            return True
        if tok.dep_ not in ("pobj", "prep", "dobj", "compound", "amod", "xcomp", "pcomp", "ccomp"):
            return False
        tok = head
    return False


def _actors_of(ctx: Context, token: Token) -> list[str]:
    """Actor mentions (conjuncts too) a subject/agent noun stands for."""
    out = []
    stack = [token]
    while stack:
        tok = stack.pop()
        m = ctx.mention_at(tok)
        if m is not None and m.kind == "actor" and m.cls in ACTOR_CLASSES:
            out.append(m.antecedent or m.id)
        for child in tok.children:
            # the words of the noun phrase too: "the ELN guerrilla group" (ELN a compound of a compound)
            if child.dep_ in ("conj", "compound") or (child.dep_ == "amod" and ctx.mention_at(child) is not None):
                stack.append(child)
    # "Russian and Syrian jets": the coordinated demonym right before the phrase
    first = min((ctx.mention(m).span.start for m in out), default=None)
    for m in ctx.mentions:
        if m.kind == "actor" and m.cls in ACTOR_CLASSES and first is not None and 0 < first - m.span.end <= 5 \
                and ctx.article.text[m.span.end:first].strip() == "and" and m.id not in out:
            out.append(m.id)
    return list(dict.fromkeys(out))


@cache
def _speaking_verbs() -> frozenset[str]:
    """Verbs whose subject speaks about an attack or defends against it, not carries it out: 'X blamed the
    attack on Y', 'X condemned the strike', 'X denied the bombing', 'air defenses confronted an aggression'."""
    speech = lexicon().speech
    return frozenset(speech["blames"]) | frozenset(speech["denies"]) | frozenset(speech["condemns"]) \
        | frozenset(lexicon().triggers["defence"]["verbs"])


@cache
def _casualty_words() -> frozenset[str]:
    """Words of killing and wounding (casualty_words.toml), for the rules that ask what a verb does."""
    return frozenset(lexicon().casualty["killed"]) | frozenset(lexicon().casualty["injured"])


def _subject_actors(ctx: Context, verb: Token, subject: Token) -> list[str]:
    """The actors a verb's subject stands for; a pronoun under a speech verb is whoever said so
    ("Hezbollah said it fired rockets at ...")."""
    found = _actors_of(ctx, subject)
    if not found and subject.lower_ in ("it", "they", "we") and verb.dep_ == "ccomp":
        found = [a for c in verb.head.children if c.dep_ == "nsubj" for a in _actors_of(ctx, c)]
    return found


def _perpetrators(ctx: Context, trig: Trigger, *, owners: bool = True) -> list[str]:
    """The attackers: subject or agent of a verb; for a noun, its owner ("Russian strikes", when
    ``owners``) or the subject of the verb it is the object of ("jets escalated attacks")."""
    tok = trig.head
    before = ctx.mention_at(ctx.doc[trig.start - 1]) if trig.start > 0 and owners else None
    if before is not None and before.kind == "actor" and before.cls == "StateForce" \
            and ctx.doc[trig.start - 1].ent_type_ == "NORP" and ctx.doc[trig.start - 1].head.i != tok.i:
        # "the Ukrainian shelling of the centre" parsed as "Ukrainian" with a "shelling" clause: its attacker
        return [before.antecedent or before.id]
    if trig.pos == "verb":
        for child in tok.children:
            if child.dep_ == "nsubj":
                found = _subject_actors(ctx, tok, child)
                if not found:  # "shells fired by the Houthi militia hit ..."
                    for sub in child.subtree:
                        if sub.dep_ == "agent" or (sub.dep_ == "prep" and sub.lower_ == "by"):
                            for obj in sub.children:
                                if obj.dep_ == "pobj":
                                    found = _actors_of(ctx, obj)
                return found
            if child.dep_ == "agent":
                for obj in child.children:
                    return _actors_of(ctx, obj)
        return []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "between"):  # "shelling by X", "clashes between X and Y"
            for obj in child.children:
                if obj.dep_ == "pobj" and _actors_of(ctx, obj):
                    return _actors_of(ctx, obj)
        if child.dep_ == "acl":  # "a shell fired by government forces"
            for obj in (o for agent in child.children if agent.dep_ == "agent" for o in agent.children):
                if obj.dep_ == "pobj" and _actors_of(ctx, obj):
                    return _actors_of(ctx, obj)
        if owners and child.dep_ in ("poss", "amod", "compound"):
            found = _actors_of(ctx, child)
            if found:
                return found
    obj = tok
    if obj.dep_ == "pobj" and obj.head.lower_ == "of" and obj.head.head.pos_ == "NOUN":
        obj = obj.head.head  # "fired a barrage of rockets": the verb's object is the barrage
    if obj.dep_ in ("dobj", "nsubjpass") and obj.head.pos_ == "VERB" and obj.head.lemma_.lower() not in _speaking_verbs():
        for child in obj.head.children:
            if child.dep_ == "nsubj":
                return _subject_actors(ctx, obj.head, child)
            if child.dep_ == "agent" and obj.dep_ == "nsubjpass":  # "the strike was carried out by Russian jets"
                found = [a for o in child.children if o.dep_ == "pobj" for a in _actors_of(ctx, o)]
                if found:
                    return found
    casualty = _casualty_words()
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "during") and tok.head.head.pos_ == "VERB" \
            and tok.head.head.lemma_.lower() in casualty:
        # "the RSF killed 40 people in an attack on ...": who killed carried out the attack (not who "said
        # on Friday, in the deadliest attack since ...")
        verb = tok.head.head
        if not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            for child in verb.children:
                if child.dep_ == "nsubj":
                    return _actors_of(ctx, child)
            if verb.dep_ == "acl" and any(c.dep_ == "dobj" for c in verb.children):
                # the parser's "militias [who] killed 40 people": a participle with an object is active
                return _actors_of(ctx, verb.head)
    return []


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _places_in(ctx: Context, start: int, end: int, exclude: set[str]) -> list:
    return [m for m in ctx.mentions_in(start, end) if m.kind == "place" and m.id not in exclude]


def _launched_from(ctx: Context, place: EntityMention) -> bool:
    """'mortar fire from Syria', 'rockets fired from Gaza': where an attack came from, not where it struck."""
    tokens = ctx.doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return tokens is not None and tokens.root.dep_ == "pobj" and tokens.root.head.lower_ == "from"


def _best_place(places: list, anchor: int) -> str | None:
    if not places:
        return None
    best = min(places, key=lambda m: (_place_rank(m), abs(m.span.start - anchor)))
    return best.antecedent or best.id


def _place_rank(m: EntityMention) -> int:
    """How fit a place is to be an attack's location: a town first, a camp as a town (a camp for the
    displaced is where people live: "shelled the Abu Shouk camp ... on the northern edge of El Fasher")."""
    if m.cls == "Facility" and m.surface.split()[-1:] and m.surface.split()[-1].lower() in _settled_facilities():
        return _PLACE_RANK["Settlement"]
    return _PLACE_RANK.get(m.cls, 2)


@cache
def _settled_facilities() -> frozenset[str]:
    """The type words of both a settlement and a facility ("camp")."""
    types = lexicon().actors["place_types"]
    return frozenset(types["Settlement"]) & frozenset(types["Facility"])


def _context_place(ctx: Context, sentence_index: int, exclude: set[str]) -> str | None:
    """Where the story is: the latest place mentioned before this sentence (a region or town
    before a country), skipping places that only describe a person ("who had fled Khan Younis")."""
    before = ctx.sentences[sentence_index].start_char
    exclude = exclude | ctx.incidental
    recent = nearest(ctx, before=before, kind="place", classes={"Settlement", "Region", "Facility"}, exclude=exclude)
    if recent is not None:
        return recent.id
    country = nearest(ctx, before=before, kind="place", classes={"Country"}, exclude=exclude)
    return country.id if country else None


def _target_text(trig: Trigger) -> tuple[str | None, tuple[int, int] | None]:
    tok = trig.head
    target = None
    if trig.pos == "verb":
        for child in tok.children:
            if child.dep_ == "dobj":
                target = child
        if target is None:
            for child in tok.children:
                if child.dep_ == "nsubjpass":
                    target = child
    else:
        for child in tok.children:
            if target is None and child.dep_ == "prep" and child.lower_ in ("on", "against", "targeting"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.ent_type_ not in ("DATE", "TIME"):
                        target = obj
        casualty = _casualty_words()
        if target is None and tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() not in casualty:
            # "Israeli warplanes struck a school": the school ("shelling killed 35 civilians": no target)
            target = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
            landing = lexicon().triggers["landing"]
            if target is None and tok.head.lemma_.lower() in landing["verbs"]:
                # "a shell landed near a camp": the camp (not "landed in Kafr Nabl": a place is where, not what)
                target = next((o for p in tok.head.children if p.dep_ == "prep" and p.lower_ in landing["preps"]
                               for o in p.children if o.dep_ == "pobj" and o.ent_type_ not in _PLACE_TYPES), None)
    if target is None:
        return None, None
    if target.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
        target = tok.head  # "a home ... that was hit by a tank shell": the home
    elif target.pos_ == "PRON":
        return None, None  # "blew himself up", "hit it": no target named
    end = target.i + 1
    for child in target.children:
        if child.i > target.i and child.dep_ == "prep" and child.lower_ == "of":
            end = child.right_edge.i + 1
    doc = tok.doc
    # "the town of Khan Sheikhoun, the Syrian Civil Defence said": the target ends at the comma
    end = next((i for i in range(target.i + 1, end) if doc[i].text in (",", ";")), end)
    start = target.left_edge.i
    doc = tok.doc
    while start < end and (doc[start].is_quote or doc[start].is_punct):
        start += 1  # 'hit "military infrastructure"': the words, not the quotation marks
    while end > start and (doc[end - 1].is_quote or doc[end - 1].is_punct):
        end -= 1
    if start == end:
        return None, None
    return doc[start:end].text, (start, end)


def _day_of_saying(ctx: Context, found: FoundDate) -> bool:
    """'..., officials said on Wednesday', 'the army on Sunday said': the day of the report, not of the attack."""
    if found.kind != "point":
        return False
    words = ctx.doc.char_span(found.start, found.end, alignment_mode="expand")
    if words is None:
        return False
    head = words.root.head if words.root.dep_ == "pobj" else words.root
    verb = head.head if head.dep_ in ("prep", "npadvmod") else None
    speech = set(lexicon().speech["asserts"]) | set(lexicon().speech["denies"])
    statements = set(lexicon().speech["report_nouns"])
    statement = verb is not None and verb.lower_ in statements and verb.dep_ == "pobj" and verb.head.dep_ == "prep"
    if statement:
        verb = verb.head.head  # "said in a report on Friday", "In a statement on Thursday X said": the report's day
    if verb is None or verb.pos_ != "VERB" or verb.lemma_.lower() not in speech:
        return False
    if statement:
        return True
    # "On Sunday, shelling hit a school ..., the Civil Defence said": a day before the speaker is the attack's
    return not any(c.dep_ == "nsubj" and words.start < c.left_edge.i for c in verb.children)


def _date_for(dates: list[FoundDate]) -> tuple[date | None, str | None]:
    for d in dates:
        if d.kind == "point":
            return d.date, d.text
    for d in dates:
        if d.period_start is not None and d.text.lower().startswith("since") and any(ch.isdigit() for ch in d.text) \
                and not d.text.strip()[-4:].isdigit():
            return d.period_start, d.text
    return None, None


def _casualties(ctx: Context, sent: SpacySpan) -> tuple[Figure | None, Figure | None, list[FoundFigure]]:
    """Killed and injured figures of a sentence (a figure must count people or be called dead/injured)."""
    lex = lexicon()
    killed_words = set(lex.casualty["killed"])
    injured_words = set(lex.casualty["injured"])
    people = set(lex.casualty["people"])
    bodies = set(lex.casualty["bodies"])
    doc = sent.doc
    found = find_figures(ctx.article.text[sent.start_char:sent.end_char])
    killed = injured = None
    for n, f in enumerate(found):
        start, end = sent.start_char + f.start, sent.start_char + f.end
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        prev = doc[span.start - 1].lower_ if span.start > sent.start else ""
        if all(t.ent_type_ in ("DATE", "TIME") for t in span) and not (
                # "put the death toll at 43" (43 a DATE to the model): the toll's figure
                prev in ("at", "to") and any(t.lower_ in killed_words for t in doc[max(sent.start, span.start - 5):span.start])):
            continue  # "on January 1 killed 12 civilians": the 1 is a day, not a toll
        if prev == "including" or (prev == "and" and killed is not None and killed.women is not None):
            continue
        if span.end < sent.end and doc[span.end].lower_ in lex.casualty["time_units"]:
            continue  # "executed over five days": a duration
        limit = sent.end
        if n + 1 < len(found):
            nxt = doc.char_span(sent.start_char + found[n + 1].start, sent.start_char + found[n + 1].end, alignment_mode="expand")
            if nxt is not None:
                limit = nxt.start
        window = doc[span.end:min(limit, span.end + 8)]
        if len(window) >= 2 and window[0].lower_ == "of" and window[1].lower_ in ("the", "those", "them"):
            continue  # "two of the wounded": a part of another figure
        if any(t.lower_ == "among" for t in itertools.takewhile(lambda t: not t.is_punct, window)):
            continue  # "two children were among the injured": a part of a toll given elsewhere, not the toll
        lead = list(itertools.takewhile(lambda t: not t.is_punct, reversed(doc[sent.start:span.start])))
        if any(t.lower_ == "among" for t in lead):
            continue  # "Among those killed were 12 women and two children": the same, told the other way round
        near = []
        for t in doc[span.end:min(limit, span.end + 4)]:
            if t.is_punct:
                break
            near.append(t)
        counts_people = any(t.lower_ in people for t in near)
        role = _governing_role(span, killed_words, injured_words)
        governed = role is not None
        for t in window if role is None else ():
            if t.lower_ in ("and", "while", "but") or (t.text == "," and t.i > span.end):
                break  # "killing 19 people and wounding dozens": the next verb is the next figure's
            if t.lower_ in killed_words or t.lemma_.lower() in killed_words:
                role = "killed"
                break
            if t.lower_ in injured_words or t.lemma_.lower() in injured_words:
                role = "injured"
                break
        if role is None and (any(t.lower_ in bodies for t in near) or (
                span.start - 2 >= sent.start and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in bodies)):
            role, counts_people = "killed", True  # "pulled 9 bodies from the rubble", "recovered the bodies of six people"
        verb_before = toll = False
        if role is None and span.start > sent.start:
            before = doc[max(sent.start, span.start - 2):span.start]
            verb_before = doc[span.start - 1].lower_ in killed_words | injured_words  # "wounding dozens"
            prep = doc[span.start - 1]
            # "the death toll from Sunday's missile strike on Dnipro rose to 27": the toll the verb's figure is
            tolls = [c for c in prep.head.children if c.dep_ in ("nsubj", "dobj") and c.lower_ in killed_words] \
                if prep.head.pos_ == "VERB" else []
            if (prep.lower_ in ("at", "to") and (tolls or any(
                    t.lower_ in killed_words for t in doc[max(sent.start, span.start - 8):span.start]))) or (
                    prep.lower_ == "of" and span.start - 2 >= sent.start and doc[span.start - 2].lower_ == "toll"):
                # "... gave a toll of nine"
                # "put the death toll at 11", "raised the toll to 30", "bringing the toll from the strike on Kharkiv to 10"
                verb_before = True
                before = doc[max(sent.start, min([span.start - 8, *(c.i for c in tolls)])):span.start]
                toll = True
            if any(t.lower_ in killed_words for t in before) and (counts_people or verb_before):
                role = "killed"
            elif any(t.lower_ in injured_words for t in before) and (counts_people or verb_before):
                role = "injured"
        if role is None or not (governed or counts_people or verb_before or (window and window[0].lower_ in killed_words | injured_words)):
            continue
        figure = Figure(f.figure.value, f.figure.qualifier, f.figure.text)
        one = _ONE_AND_THEIR.search(ctx.article.text[max(sent.start_char, start - 40):start])
        if one is not None and one.group(1).lower() in lex.casualty["one_person"] and figure.value is not None:
            figure.value += 1  # "killing a woman and her two children": three
            start -= len(one.group(0))
        text_end = end
        if counts_people:
            for t in near:
                if t.lower_ in people:
                    text_end = t.idx + len(t.text)
                    break
        more = _AND_ONE.match(ctx.article.text[end:min(sent.end_char, end + 40)])
        if more is not None and more.group(1).lower() in people and more.group(2).lower() in lex.casualty["one_person"] \
                and figure.value is not None:
            figure.value += 1  # "killing three children and a teacher": four
            text_end = end + more.end()
        figure.text = ctx.article.text[start:text_end]
        if role == "killed" and (killed is None or toll):  # "pulled 3 more bodies ..., raising the toll to 10"
            _breakdown(ctx, sent, figure, start, found)
            killed = figure
        elif role == "injured" and injured is None:
            injured = figure
    return killed, injured, found


_PLACE_TYPES = frozenset({"GPE", "LOC", "DATE", "TIME"})
_AND_ONE = re.compile(r"\s+(\w+)\s+and\s+(?:an?|one)\s+(\w+)\b", re.IGNORECASE)
_ONE_AND_THEIR = re.compile(r"\b(?:an?|one)\s+(\w+)\s+and\s+(?:his|her|their)\s+$", re.IGNORECASE)


def _phrase_range(noun: Token) -> tuple[int, int]:
    """Token range of a noun's phrase without the clause after it: "the village of Mala Tokmachka", but "the
    station" of "the station, which served people leaving areas near Izium"."""
    end = noun.right_edge.i + 1
    for child in noun.children:
        if child.dep_ in ("relcl", "acl") and child.i > noun.i:
            end = min(end, child.left_edge.i)
    while end > noun.i + 1 and noun.doc[end - 1].is_punct:
        end -= 1
    return noun.left_edge.i, end


def _definite_object(trig: Trigger) -> bool:
    """'the building was hit by an Iskander missile': a verb trigger whose target was told before."""
    return trig.pos == "verb" and any(
        c.dep_ == "nsubjpass" and any(d.dep_ == "det" and d.lower_ in ("the", "that", "this") for d in c.children)
        for c in trig.head.children)


def _governing_role(span: SpacySpan, killed_words: set[str], injured_words: set[str]) -> str | None:
    """The casualty word the figure's phrase hangs from: 'killed 5 and injured 12', 'wounding dozens',
    '14 people died'. Stops at the first verb that is not one (None: the words around decide)."""
    tok = span.root
    for _ in range(3):
        if tok.head.i == tok.i or tok.dep_ in ("pobj", "prep", "pcomp", "npadvmod"):
            return None  # "killed in 2 strikes": the number counts something else
        tok = tok.head
        if span.start <= tok.i < span.end:
            continue
        for word in (tok.lower_, tok.lemma_.lower()):
            if word in killed_words:
                return "killed"
            if word in injured_words:
                return "injured"
        if tok.pos_ in ("VERB", "AUX"):
            return None
    return None


def _breakdown(ctx: Context, sent: SpacySpan, figure: Figure, start: int, found: list[FoundFigure]) -> None:
    """'..., including three women and two children' -> women / children of the toll."""
    lex = lexicon()
    women, children = set(lex.casualty["women"]), set(lex.casualty["children"])
    text = ctx.article.text[sent.start_char:sent.end_char]
    local = start - sent.start_char
    at = text.lower().find("including", local)
    if at < 0 or at - local > 80:
        return
    last_end = None
    for f in found:
        if f.start < at:
            continue
        following = text[f.end:f.end + 12].lower().split()
        word = following[0].strip(",.") if following else ""
        if word in women and figure.women is None:
            figure.women = f.figure.value
            last_end = f.end + text[f.end:].lower().find(word) + len(word)
        elif word in children and figure.children is None:
            figure.children = f.figure.value
            last_end = f.end + text[f.end:].lower().find(word) + len(word)
    if last_end is not None:
        figure.text = ctx.article.text[start:sent.start_char + last_end]


def _displacement(ctx: Context, sent: SpacySpan, exclude: set[str], dates: list[FoundDate],
                  figures: list[FoundFigure]) -> tuple[EventRecord | None, Figure | None]:
    lex = lexicon()
    verbs = set(lex.triggers["displacement"]["verbs"])
    people = set(lex.casualty["people"])
    doc = sent.doc
    table = lex.triggers["displacement"]
    needs: dict[str, list[str]] = table["needs"]
    for i in range(sent.start, sent.end):
        lemma = ctx.lemmas[i]
        if lemma not in verbs:
            continue
        tok = doc[i]
        if tok.pos_ != "VERB":
            continue
        if lemma in needs and not any(c.lower_ in needs[lemma] for c in tok.subtree):
            continue
        to_preps = set(table["destination_preps"].get(lemma, table["destination_preps"]["default"]))
        from_preps = set(table["origin_preps"].get(lemma, table["origin_preps"]["default"]))
        lo, hi = _subtree_range(tok)
        if tok.dep_ == "xcomp":  # "forced some 40,000 people to flee": the people are the forcing verb's object
            obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                lo = min(lo, obj.left_edge.i)
        # the counted people must be inside the flight verb's clause, not its antecedent
        for f in figures:
            fs, fe = sent.start_char + f.start, sent.start_char + f.end
            span = doc.char_span(fs, fe, alignment_mode="expand")
            if span is None or not (lo <= span.start < hi):
                continue
            if span.start > 0 and doc[span.start - 1].text in ("'s", "’s"):
                continue  # "nine in 10 of Gaza's 2.3 million people": the population, not the displaced
            def counted(t: Token) -> bool:  # "people", or a people: "100,000 ethnic Armenians"
                return t.lower_ in people or (t.ent_type_ == "NORP" and t.tag_ in ("NNPS", "NNS"))

            if not any(counted(t) for t in doc[span.end:min(sent.end, span.end + 4)]):
                continue
            figure = Figure(f.figure.value, f.figure.qualifier, ctx.article.text[fs:fe])
            for t in doc[span.end:min(sent.end, span.end + 4)]:
                if counted(t):
                    figure.text = ctx.article.text[fs:t.idx + len(t.text)]
                    break
            origin = destination = None
            to_range = None
            for prep in tok.subtree:  # "fled Idlib province towards the border with Turkey"
                if prep.dep_ == "prep" and prep.lower_ in to_preps and to_range is None:
                    places = _places_in(ctx, *_subtree_range(prep), exclude)
                    if places:
                        destination = _best_place(places, prep.idx)
                        to_range = _subtree_range(prep)
            for child in tok.children:
                if child.dep_ == "dobj" and child.i != span.root.i and not (span.start <= child.i < span.end):
                    places = [m for m in _places_in(ctx, *_subtree_range(child), exclude)
                              if to_range is None or not (to_range[0] <= ctx.doc.char_span(
                                  m.span.start, m.span.end, alignment_mode="expand").start < to_range[1])]
                    origin = origin or _best_place(places, child.idx)
                if child.dep_ == "prep" and child.lower_ in from_preps:
                    places = _places_in(ctx, *_subtree_range(child), exclude)
                    if places:
                        origin = _best_place(places, child.idx)
            if destination is None:  # "Kaya, where tens of thousands of people displaced ... have sought shelter"
                clause = tok
                while clause.dep_ not in ("relcl", "ROOT") and clause.head.i != clause.i:
                    clause = clause.head
                if clause.dep_ == "relcl" and any(c.lower_ == "where" for c in clause.children):
                    place = ctx.mention_at(clause.head)
                    if place is not None and place.kind == "place":
                        destination = place.antecedent or place.id
                        origin = origin or ""  # where they came from is not said: no guess from the sentence
            if origin is None and lemma in table["arrivals"]:
                # "2,700 people arrived there": the place of the story is where they went, not where they fled
                if destination is None:
                    others = _places_in(ctx, sent.start, sent.end, exclude)
                    destination = _best_place(others, tok.idx) if others else _context_place(
                        ctx, ctx.sent_of_token[sent.start], exclude)
            elif origin is None:
                # every place people went to ("fleeing to the city of Cucuta and across the border into Venezuela")
                # is no origin, nor is the first one only
                went = {m.antecedent or m.id for prep in tok.subtree if prep.dep_ == "prep" and prep.lower_ in to_preps
                        for m in _places_in(ctx, *_subtree_range(prep), exclude)}
                others = [m for m in _places_in(ctx, sent.start, sent.end, exclude)
                          if (m.antecedent or m.id) != destination and (m.antecedent or m.id) not in went]
                origin = _best_place(others, tok.idx) if others else _context_place(ctx, ctx.sent_of_token[sent.start], exclude)
            origin = origin or None
            if origin and destination and referent_name(ctx, origin) == referent_name(ctx, destination):
                origin = None  # "fled to El Managil" after a sentence on El Managil: where they went, not whence
            period = next((d for d in dates if d.kind == "period"), None)
            event = EventRecord(id="", cls="Displacement", span=ctx.token_span(doc[tok.i:tok.i + 1]),
                                location=origin or destination, origin=origin, destination=destination)
            if period is not None:
                event.period_start, event.period_end, event.period_text = period.period_start, period.period_end, period.text
            return event, figure
    return None, None


_NUMBER_DISPLACED = re.compile(
    r"\bnumber of (?:the )?(?:\w+ ){0,2}(?:displaced|refugees|people who (?:have |had )?fled)\b(?:\W+\w+){0,4}?\W+(?:at|to)\s+$",
    re.IGNORECASE)


def _number_displaced(ctx: Context, sent: SpacySpan, figures: list[FoundFigure]) -> Figure | None:
    """'put the number of displaced at more than 190,000': a figure of people displaced with no verb of flight."""
    text = ctx.article.text
    for f in figures:
        start = sent.start_char + f.start
        if _NUMBER_DISPLACED.search(text[max(sent.start_char, start - 80):start]):
            return Figure(f.figure.value, f.figure.qualifier, text[start:sent.start_char + f.end])
    return None


def _clause_chars(verb: Token) -> list[tuple[int, int]]:
    """Character ranges of a verb's clause, without relative clauses hanging off its nouns."""
    out = []
    stack = [verb]
    while stack:
        tok = stack.pop()
        out.append((tok.idx, tok.idx + len(tok.text)))
        stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "appos"))
    return out


def _period_in_clause(trig: Trigger, periods: list[FoundDate]) -> bool:
    """The period words belong to the trigger's own clause ("killed by shelling since January").

    Not for 'The attack on Pazigyi village ... was one of the deadliest since 2021': an attack
    named with "the" and its own place is one attack, compared with a period, not a tally over it.
    """
    verb = trig.head
    if trig.pos == "noun" and verb.dep_ in ("nsubj", "nsubjpass") \
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in verb.children) \
            and any(c.dep_ == "prep" for c in verb.children):
        lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
        return any(lo <= d.start < hi for d in periods)
    for _ in range(5):  # up to the clause the trigger sits in ("killed or injured by shelling")
        if verb.head.i == verb.i or (verb.pos_ in ("VERB", "AUX") and verb.dep_ not in (
                "pcomp", "conj", "xcomp", "acl")):
            break
        verb = verb.head
    ranges = _clause_chars(verb)
    return any(any(a <= d.start < b for a, b in ranges) for d in periods)


def _territory(ctx: Context, sent: SpacySpan, exclude: set[str], dates: list[FoundDate]) -> EventRecord | None:
    """'forces gained control over parts of X', 'the army cleared the villages': territory changing hands."""
    lex = lexicon()
    verbs = set(lex.triggers["territory"]["verbs"])
    objects = set(lex.triggers["territory"]["objects"])
    phrases = set(lex.triggers["territory"]["phrases"])
    doc = sent.doc
    lowers = ctx.lowers
    firsts = {p.split()[0] for p in phrases}
    for i in range(sent.start, sent.end):
        word = lowers[i]
        if word not in firsts and ctx.lemmas[i] not in verbs:
            continue
        tok = doc[i]
        pair = f"{word} {lowers[i + 1]}" if i + 1 < sent.end else ""
        if pair in phrases:
            objs = [doc[tok.i + 1]]
        else:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
                continue
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if not objs or not any(o.lower_ in objects or o.lemma_.lower() in objects for o in objs):
                continue
        actors: list[str] = []
        for child in tok.children:
            if child.dep_ == "nsubj":
                actors = _actors_of(ctx, child)
        if not actors and tok.dep_ in ("xcomp", "ccomp"):
            for child in tok.head.children:
                if child.dep_ == "nsubj":
                    actors = _actors_of(ctx, child)
        lo, hi = _subtree_range(tok)
        places = _places_in(ctx, lo, hi, exclude)
        location = _best_place(places, tok.idx) or _context_place(ctx, ctx.sent_of_token[sent.start], exclude)
        when, when_text = _date_for(dates)
        obj = objs[0]
        return EventRecord(id="", cls="TerritorialChange", span=ctx.token_span(sent.doc[tok.i:tok.i + 1]),
                           location=location, perpetrators=actors, date=when, date_text=when_text,
                           target_text=sent.doc[obj.left_edge.i:obj.right_edge.i + 1].text)
    return None


def _accident(ctx: Context, sent: SpacySpan) -> bool:
    """Whether something that is no weapon exploded, burned or sank in the sentence ("a fuel depot exploded")."""
    accident = lexicon().triggers["accident"]
    for tok in sent:
        if ctx.lemmas[tok.i] in accident["verbs"] and tok.pos_ == "VERB":
            if any(c.dep_ == "nsubj" and c.lower_ in accident["subjects"] for c in tok.children):
                return True
    return False


def sentence_facts(ctx: Context, index: int, exclude: set[str]) -> SentenceFacts:
    """Attack and displacement reported in sentence ``index`` with its figures."""
    sent = ctx.sentences[index]
    facts = SentenceFacts(index)
    dates = find_dates(ctx.article.text[sent.start_char:sent.end_char], published=ctx.article.published)
    dates = [FoundDate(d.start + sent.start_char, d.end + sent.start_char, d.text, d.kind, d.date, d.period_start, d.period_end) for d in dates]
    dates = [d for d in dates if d.start >= (ctx.doc._.dateline_end or 0) and not _day_of_saying(ctx, d)]
    facts.killed, facts.injured, facts.figures = _casualties(ctx, sent)
    facts.displacement, facts.displaced = _displacement(ctx, sent, exclude, dates, facts.figures)
    if facts.displacement is None:
        facts.displaced = _number_displaced(ctx, sent, facts.figures)
    facts.territory = _territory(ctx, sent, exclude, dates)
    lex = lexicon()
    triggers = [t for t in find_triggers(sent, ctx.lowers, ctx.lemmas) if not _background(t)]
    triggers = triggers or _killings(ctx, sent)
    # "dozens killed ... since the beginning of the year": a tally over a period, not one attack
    # ("over the past day", "in the past 24 hours": a day's report, not a tally over weeks)
    periods = [d for d in dates if d.kind == "period" and not (
        d.period_start and d.period_end and (d.period_end - d.period_start).days <= 1)]
    point = any(d.kind == "point" for d in dates)
    facts.tally = bool(periods) and not point
    anchored: list[Trigger] = []
    perps: list[str] = []
    dated_since = _date_for(dates)[0] is not None  # "since November 1": a start day the event can carry
    # "killed at least 500 people ... in the village of Moura in March 2022": one named calendar month and a town or
    # village is one attack dated to its month, not a tally over it (a month's toll across a country stays a tally)
    one_month = len(periods) == 1 and periods[0].text.lower().startswith("in ") and periods[0].period_start is not None \
        and periods[0].period_end is not None and (periods[0].period_end - periods[0].period_start).days <= 31
    for trig in triggers:
        aggregate = bool(periods) and not point and _period_in_clause(trig, periods)
        if aggregate and one_month and any(m.cls == "Settlement" for m in _places_in(ctx, *_subtree_range(trig.head), exclude)):
            aggregate = False
        if aggregate and not dated_since:
            continue  # "have fired missiles at ships since November": a pattern over months, not one attack
        p = _perpetrators(ctx, trig)
        lo, hi = _subtree_range(trig.head)
        places = _places_in(ctx, lo, hi, exclude)
        has_object = trig.pos == "verb" and any(c.dep_ in ("dobj", "nsubjpass", "nsubj") for c in trig.head.children)
        specific = trig.cls not in ("Attack", "GroundAssault")
        # an owner alone ("Russia's bombing") does not anchor a noun: it needs a place or target too
        acting = _perpetrators(ctx, trig, owners=False) if trig.pos == "noun" else p
        target, _ = _target_text(trig)
        tolls = (facts.killed or facts.injured) and not aggregate
        # "The attack on Pazigyi village": an attack told before, now with its place
        told = trig.pos == "noun" and bool(places) and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in trig.head.children) \
            and trig.head.lower_ not in lex.triggers["background"]["situations"]
        # "Airstrikes hit two hospitals": a weapon that hit something is an attack, its attacker unnamed
        landing = lex.triggers["landing"]
        hit = specific and trig.pos == "noun" and trig.head.dep_ == "nsubj" and any(
            c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in landing["preps"]
                                 and trig.head.head.lemma_.lower() in landing["verbs"])
            for c in trig.head.head.children)  # "a barrel bomb fell on Jisr al-Shughour"
        if acting or (p and (places or target)) or (not aggregate and (tolls or has_object or (specific and places) or hit)) \
                or (told and not aggregate):
            anchored.append(trig)
            perps.extend(p)
    # "It was the deadliest attack since a truck bomb at the same junction killed more than 500 people in October
    # 2017": a toll dated months before the story is an earlier attack's, not a figure of the one the story is on
    published = ctx.article.published
    facts.past = published is not None and any(
        (published - when).days > _PAST_DAYS for when in (d.date or d.period_end for d in dates) if when is not None)
    if not anchored:
        facts.accident = not triggers and _accident(ctx, sent)
        return facts
    anchored.sort(key=lambda t: lex.precedence(t.cls))
    main = min(anchored, key=lambda t: (lex.precedence(t.cls), t.start))
    cls = main.cls
    weapon = None
    for trig in anchored:
        if trig.cls != "Attack" and trig.cls not in ("GroundAssault",):
            weapon = weapon or ctx.doc[trig.start:trig.end].text
    # refine a generic class by weapon or attacker words ("jets hit" -> AirStrike)
    # (a trigger of several words already names its class: "rocket shells" are shelling, not rockets)
    words = [t for trig in anchored if trig.end - trig.start == 1 for t in ctx.doc[trig.start:trig.end]]
    for trig in anchored:
        if trig.pos == "verb":
            for child in trig.head.children:
                if child.dep_ in ("nsubj", "agent"):
                    words.extend(child.subtree)
        elif trig.head.dep_ in ("dobj",) and trig.head.head.lemma_.lower() not in _speaking_verbs():
            for child in trig.head.head.children:
                if child.dep_ == "nsubj":
                    words.extend(child.subtree)
    for t in words:
        refined = lex.refine(t.lower_)
        if refined and lex.precedence(refined) < lex.precedence(cls):
            cls = refined
            if weapon is None:
                weapon = t.text
    if not perps:  # "Israeli forces killed three Palestinians during a raid"
        killed_words = set(lex.casualty["killed"]) | set(lex.casualty["injured"])
        for tok in sent:
            if tok.pos_ == "VERB" and ctx.lemmas[tok.i] in killed_words:
                for child in tok.children:
                    if child.dep_ == "nsubj":
                        perps.extend(_actors_of(ctx, child))
    on_foot = lex.triggers["on_foot"]
    if cls == "AirStrike" and main.end - main.start == 1 and ctx.lowers[main.start] in on_foot["words"] and perps \
            and all(ctx.mention(p).cls in on_foot["attackers"] for p in perps) and weapon == ctx.doc[main.start].text:
        cls, weapon = "GroundAssault", None  # "fighters of the ADF killed 42 civilians in raids on three villages"
    lo = min(_subtree_range(t.head)[0] for t in anchored)
    hi = max(_subtree_range(t.head)[1] for t in anchored)
    def struck(found: list) -> list:
        return [m for m in found if m.span.start >= (ctx.doc._.dateline_end or 0) and not _launched_from(ctx, m)]

    places = struck(_places_in(ctx, lo, hi, exclude)) or struck(_places_in(ctx, sent.start, sent.end, exclude))
    facts.own_place = bool([m for m in places if not m.antecedent and m.cls != "Country"])
    # the main trigger's target, else the first other trigger's ("missiles struck an apartment building")
    target_text, target_range = next((found for found in map(_target_text, [main, *anchored]) if found[0]),
                                     (None, None))
    target_head = None
    if target_range is not None:
        target_head = next((c for c in main.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
    facts.definite = any(_definite_object(trig) for trig in anchored) or any(
        c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in main.head.children) or (
        target_head is not None and any(c.dep_ == "det" and c.lower_ == "the" for c in target_head.children)
        # "the port city of Odesa" describes a place it names: not something told before
        # ("the village", a place told before, is no description)
        and not any(m.kind == "place" and not m.antecedent for m in ctx.mentions_in(*target_range))) or (
        # "two rockets hit the station, which ...": a weapon struck a target told before (its own words only,
        # not the clause after it)
        main.pos == "noun" and main.head.dep_ == "nsubj" and any(
            c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
            and not any(m.kind == "place" for m in ctx.mentions_in(*_phrase_range(c)))
            for c in main.head.head.children)) or (
        # "the drone struck", "the strike hit the town of X": the attack or its weapon, told before
        main.pos == "verb" and any(c.dep_ == "nsubj" and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
                                   and (lex.refine(c.lower_) is not None or any(t.head.i == c.i for t in triggers))
                                   for c in main.head.children))
    inner = [m for m in places if m.id not in ctx.containers]  # "Wad Madani's Hantoub district": the district
    location = _best_place(inner or places, main.head.idx) or _context_place(ctx, index, exclude)
    when, when_text = _date_for(dates)
    targets = []
    if target_range is not None:
        targets = [m.id for m in ctx.mentions_in(*target_range) if m.cls in ("Civilians", "Facility", "Settlement")]
    facts.attack = EventRecord(id="", cls=cls, span=ctx.token_span(ctx.doc[main.start:main.end]), location=location,
                               perpetrators=list(dict.fromkeys(perps)), targets=targets, target_text=target_text,
                               weapon=weapon, date=when, date_text=when_text)
    return facts
