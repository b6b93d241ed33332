"""Who said it: the sources of each sentence, their stance, quotes, and the publisher.

"X said", "X told Al Jazeera", "said X", "according to (reports by) X", "X
documented" give sources (the subject of a speech verb, coordinated subjects
each). "X could not confirm" is an *unconfirmed* stance; "X deny" a *denial*.
"he said" / "it said" / "they said" continue the previous source. A sentence
with no source is asserted by the publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from builder.extraction.context import Context
from builder.extraction.lexicon import lexicon
from builder.records import EntityMention, Stance

_OBJECT_PRONOUNS = frozenset({"him", "her", "them"})
_PRONOUNS = {"he", "she", "they", "it", "we"}
_QUOTE = re.compile(r"[\"“”]+([^\"“”]{8,})[\"“”]+")


@dataclass
class Attribution:
    """The sources a sentence's facts come from."""

    sources: list[str] = field(default_factory=list)  # mention ids
    stance: Stance = "asserts"
    quote: str | None = None
    denied_by: list[str] = field(default_factory=list)
    blamed: list[str] = field(default_factory=list)  # actors the sentence's source blames for the attack
    unconfirmed_by: list[str] = field(default_factory=list)


def _conjuncts(token: Token) -> list[Token]:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(_conjuncts(child))
    return out


def _source_mentions(ctx: Context, token: Token, *, speaking: bool = True) -> list[EntityMention]:
    """The actor mentions a subject / object noun stands for (conjuncts each); with ``speaking`` only those that
    can speak (not civilians, not weapons: 'regime helicopters' are blamed, but never say anything)."""
    lex = lexicon()
    found: list[EntityMention] = []
    for tok in _conjuncts(token):
        if tok.lower_ in lex.speech["report_nouns"]:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            found.extend(_source_mentions(ctx, obj, speaking=speaking))
            if found:
                continue
        mention = ctx.mention_at(tok)
        # "A spokesman for the coalition, Colonel X," / "X's spokesman": the named person, else whom they speak for
        for child in tok.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON" and ctx.mention_at(child) is not None:
                mention = ctx.mention_at(child)
                break
        else:
            if mention is not None and mention.cls == "Group" and _speaks_for(ctx, tok) is not None:
                mention = _speaks_for(ctx, tok)
        if tok.lower_ in lex.actors["generic"]["speaks_on"] and (
                mention is None or mention.kind != "actor" or (mention.cls == "Group" and not mention.antecedent)):
            # "..., a Taliban government spokesman has said." "Zabihullah Mujahid said ...": the spokesman
            mention = _named_next(ctx, tok) or mention
        if mention is None or mention.kind != "actor":
            # the noun's own modifiers ("a Syrian Civil Defence spokesperson", "a Taliban government spokesman"), or
            # whom it speaks for ("a member of the People's Defence Force", "a spokesman for the coalition")
            candidates = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
            candidates += [g for c in candidates if c.dep_ == "compound" for g in c.children if g.dep_ == "compound"]
            for prep in tok.children:
                if _for_whom(tok, prep):
                    candidates.extend(o for o in prep.children if o.dep_ == "pobj")
            for child in candidates:
                m = ctx.mention_at(child)
                if m is not None and m.kind == "actor":
                    mention = m
                    break
        if mention is not None and mention.kind == "actor" and (_can_speak(mention) or not speaking):
            if mention.antecedent:
                mention = ctx.mention(mention.antecedent)
                if mention.cls == "Group" and mention.span.sentence_index >= 0:
                    # "The source added ...", after "a source at Aleppo Police Command said": the police command
                    words = ctx.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
                    mention = (_speaks_for(ctx, words.root) if words is not None else None) or mention
            if mention.id not in [m.id for m in found]:
                found.append(mention)
    return found


def _named_next(ctx: Context, role: Token) -> EntityMention | None:
    """The person who opens the next sentence speaking, with no role of their own: the nameless spokesman of this
    one ("..., a Taliban government spokesman has said." "Zabihullah Mujahid said the strikes hit ...")."""
    index = ctx.sent_of_token[role.i] + 1
    if index >= len(ctx.sentences):
        return None
    first = ctx.doc.char_span(ctx.sentences[index].start_char, ctx.sentences[index].end_char, alignment_mode="expand")
    if first is None:
        return None
    person = ctx.mention_at(first[0])
    if person is None or person.kind != "actor" or person.cls != "Person":
        return None
    words = ctx.doc.char_span(person.span.start, person.span.end, alignment_mode="expand")
    root = words.root if words is not None else None
    if root is None or root.dep_ != "nsubj" or ctx.lemmas[root.head.i] not in lexicon().speech["asserts"] \
            or any(c.dep_ == "appos" for c in root.children):
        return None
    return ctx.mention(person.antecedent) if person.antecedent else person


def _speaker_before(ctx: Context, verb: Token) -> list[str]:
    """'..., a member of the PDF told The Irrawaddy' when the parse gives the verb no usable subject:
    the noun phrase between the last comma and the verb."""
    doc = verb.doc
    start = verb.i
    sent_start = ctx.sentences[ctx.sent_of_token[verb.i]].start
    while start > sent_start and doc[start - 1].text not in (",", "\"", "”", ";"):
        start -= 1
    if start == verb.i:
        # "..., the head of the regional administration, Ivan Petrenko, said": the named person before the comma
        before = verb.i - 1
        while before > sent_start and doc[before].is_punct:
            before -= 1
        m = ctx.mention_at(doc[before])
        if m is not None and m.kind == "actor" and m.cls == "Person" and doc[before].dep_ in ("appos", "nsubj"):
            return [m.id]
        return []
    if verb.i - start > 12:
        return []
    heads = [t for t in doc[start:verb.i] if not (start <= t.head.i < verb.i) or t.head.i == t.i]
    ids: list[str] = []
    for head in heads:
        ids.extend(m.id for m in _source_mentions(ctx, head) if m.id not in ids)
    return ids


def _clause_start(ctx: Context, verb: Token) -> int | None:
    """Where the words before a speech verb begin after the last comma or quote (None: the sentence's start)."""
    doc = verb.doc
    sent_start = ctx.sentences[ctx.sent_of_token[verb.i]].start
    i = verb.i
    while i > sent_start and doc[i - 1].text not in (",", "\"", "”", ";"):
        i -= 1
    return i if i > sent_start and i < verb.i else None


def _ends_sentence(ctx: Context, verb: Token) -> bool:
    """The speech verb closes its sentence: only punctuation or a short time or place phrase follows
    ('..., rescuers said.', '..., witnesses said on Sunday.')."""
    end = ctx.sentences[ctx.sent_of_token[verb.i]].end
    tail = [t for t in verb.doc[verb.i + 1:end] if not (t.is_punct or t.is_space)]
    return len(tail) <= 4 and not any(t.pos_ in ("VERB", "AUX") or t.lower_ in ("that", "if", "whether") for t in tail)


# the prepositions after a role that name whom it speaks for: 'a spokesman for', 'a member of', 'a worker
# with'; after a nameless role only, 'a source at Aleppo Police Command', 'an official in the ministry'
# ('medics at the European Hospital' are medics)
_FOR_WHOM = frozenset({"of", "for", "with"})
_NAMELESS_AT = frozenset({"at", "in"})


def _for_whom(role: Token, prep: Token) -> bool:
    if prep.dep_ != "prep":
        return False
    if prep.lower_ in _FOR_WHOM:
        return True
    nameless = lexicon().actors["generic"]["nameless"]  # source, official, spokesman ... (actor_heads.toml)
    return prep.lower_ in _NAMELESS_AT and (role.lower_ in nameless or role.lemma_.lower() in nameless)


def _speaks_for(ctx: Context, tok: Token) -> EntityMention | None:
    """'a spokesman for the coalition', 'a member of the PDF', 'a rescue worker with the White Helmets',
    'a source at Aleppo Police Command' -> the organisation."""
    for prep in tok.children:
        if _for_whom(tok, prep):
            for obj in prep.children:
                m = ctx.mention_at(obj) if obj.dep_ == "pobj" else None
                if m is not None and m.kind == "actor":
                    return ctx.mention(m.antecedent) if m.antecedent else m
    return None


def _can_speak(mention: EntityMention) -> bool:
    """Civilians as such and weapons ("jets") are not sources."""
    if mention.cls == "Civilians":
        return False
    words = mention.surface.split()
    return not (words and lexicon().refine(words[-1]) is not None)


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and (any(c.dep_ == "neg" for c in head.children) or head.lemma_ in ("unable", "fail"))


def _told(ctx: Context, verb: Token, speech: set[str]) -> bool:
    """Whether a verb is speech, or what a speech verb reports: the conjunct of such a verb shares its speaker
    ("X said its forces had struck ... and denied ..."), the conjunct of any other verb has none of its own
    ("members were hiding there, and accused ...")."""
    return ctx.lemmas[verb.i] in speech or (verb.dep_ == "ccomp" and ctx.lemmas[verb.head.i] in speech)


def attribute_sentences(ctx: Context) -> list[Attribution]:
    """One Attribution per sentence, in order."""
    lex = lexicon()
    asserts = set(lex.speech["asserts"])
    unconfirmed = set(lex.speech["unconfirmed"])
    denies = set(lex.speech["denies"])
    blames = set(lex.speech["blames"])
    with_object: dict[str, list[str]] = lex.speech["asserts_with_object"]
    speech = asserts | denies | set(with_object)
    out: list[Attribution] = []
    previous: list[str] = []
    for index, sent in enumerate(ctx.sentences):
        att = Attribution()
        for i in range(sent.start, sent.end):
            lemma = ctx.lemmas[i]
            if lemma not in speech and lemma not in blames and lemma not in ("according", "claim") \
                    and ctx.lowers[i] != "according":
                continue  # no word of speech, blame or sourcing: nothing below applies
            tok = ctx.doc[i]
            if tok.pos_ not in ("VERB", "AUX") and lemma not in ("according",):
                continue
            if lemma == "according" or (tok.lower_ == "according"):
                for prep in tok.children:
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and obj.lower_ in _OBJECT_PRONOUNS:
                            att.sources.extend(previous)  # "According to him, ...": the speaker just quoted
                        elif obj.dep_ == "pobj":
                            att.sources.extend(m.id for m in _source_mentions(ctx, obj))
                continue
            if lemma in blames:
                # "blamed the YPG for the attack", and "blamed the attack on the YPG"
                objs: list[Token] = []
                for c in tok.children:
                    if c.dep_ == "dobj":
                        on = [o for p in c.children if p.dep_ == "prep" and p.lower_ == "on"
                              for o in p.children if o.dep_ == "pobj"]
                        objs.extend(on or [c])
                    elif c.dep_ == "prep" and c.lower_ == "on":
                        objs.extend(o for o in c.children if o.dep_ == "pobj")
                for obj in objs:
                    att.blamed.extend(m.id for m in _source_mentions(ctx, obj, speaking=False)
                                      if m.cls in ("StateForce", "ArmedGroup", "Government"))
                if lemma != "hold" and tok.pos_ == "VERB":
                    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
                    if not subjects and tok.dep_ == "conj" and _told(ctx, tok.head, speech | blames):
                        # "X said ... and accused Y": X; not "members were hiding there, and accused": the parse's
                        # conjunct of a verb that is no one's speech has no speaker of its own
                        subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]
                    for subj in subjects:
                        att.sources.extend(m.id for m in _source_mentions(ctx, subj))
                continue
            if lemma == "claim" and any(c.dep_ == "nsubjpass" and c.lower_ in lex.speech["claimed_events"]
                                        for c in tok.children):
                # "The attack was claimed by JNIM": the claimant is the attacker, by its own word
                for agent in (c for c in tok.children if c.dep_ == "agent"):
                    for obj in (o for o in agent.children if o.dep_ == "pobj"):
                        found = [m.id for m in _source_mentions(ctx, obj)]
                        att.blamed.extend(found)
                        att.sources.extend(found)
                continue
            if lemma == "claim" and any(c.dep_ == "dobj" and c.lower_ in lex.speech["responsibility"] for c in tok.children):
                for subj in (c for c in tok.children if c.dep_ == "nsubj"):
                    found = [m.id for m in _source_mentions(ctx, subj)]
                    att.blamed.extend(found)
                    att.sources.extend(found)
                continue
            if lemma not in speech:
                continue
            if lemma in with_object and not any(c.dep_ == "dobj" and c.lemma_.lower() in with_object[lemma]
                                                 for c in tok.children):
                continue  # "gave aid": no report
            if lemma in with_object and _negated(tok):
                continue  # "The government has not given a toll": no report either
            if tok.dep_ == "relcl":
                continue  # "activists who posted videos": not the sentence's attribution
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if lemma == "tell" and any(c.i < tok.i for c in subjects):
                subjects = [c for c in subjects if c.i < tok.i]  # "X told Al Jazeera": the outlet is spoken to
            if not subjects and (tok.dep_ == "xcomp" or (tok.dep_ == "conj" and _told(ctx, tok.head, speech | blames))):
                head = tok.head
                if lemma in denies and head.dep_ == "ccomp" and head.head.lemma_.lower() in asserts:
                    head = head.head  # "X said its forces had struck ... and denied ...": X denies
                subjects = [c for c in head.children if c.dep_ == "nsubj"]
            ids: list[str] = []
            if lemma in asserts and subjects and _ends_sentence(ctx, tok):
                # "<long report>, local activists and a monitoring group said.": wire copy names its sources
                # after the last comma; the small model often makes a word of the report the verb's subject
                boundary = _clause_start(ctx, tok)
                if boundary is not None and all(s.i < boundary for s in subjects):
                    ids = _speaker_before(ctx, tok)
            for subj in subjects if not ids else ():
                if subj.lower_ in _PRONOUNS:
                    ids.extend(previous)
                else:
                    ids.extend(m.id for m in _source_mentions(ctx, subj))
            if not ids and lemma in asserts:
                ids = _speaker_before(ctx, tok)
            if lemma in denies:
                att.denied_by.extend(ids)
            elif lemma in unconfirmed and _negated(tok):
                att.unconfirmed_by.extend(ids)
            else:
                att.sources.extend(ids)
        att.sources = list(dict.fromkeys(att.sources))
        quote = _QUOTE.search(ctx.sentence_text(index)) if att.sources else None
        if quote:
            att.quote = quote.group(1).strip(" ,.")
        if att.sources or att.denied_by:
            # "X rejected the report ... It has previously said that ...": a denier is who "it" is next
            previous = att.sources or att.denied_by
        out.append(att)
    _quoted_ahead(ctx, out)
    return out


_OPENING = ("\"", "“", "'", "‘")


def _quoted_ahead(ctx: Context, out: list[Attribution]) -> None:
    """'"We were asleep ... hit. My brother is gone," X told Al Jazeera.': the speaker comes after the quote."""
    for i, att in enumerate(out):
        if att.sources:
            continue
        text = ctx.sentence_text(i).lstrip(" >*_\n")
        if not text.startswith(_OPENING):
            continue
        for j in range(i + 1, min(i + 3, len(out))):
            if out[j].sources:
                att.sources = list(out[j].sources)
                att.quote = text.strip().strip("".join(_OPENING) + "”’ ,.")
                break
            if "\n\n" in ctx.sentence_text(j - 1):
                break


def infer_publisher(ctx: Context) -> EntityMention | None:
    """The outlet the text names as itself: "told Al Jazeera", "Reuters could not confirm", "(AP)"."""
    doc = ctx.doc
    agency = doc._.dateline_agency
    if agency is not None:
        return ctx.add("actor", "MediaOutlet", agency)
    for tok in doc:
        if tok.lemma_ == "tell":
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "iobj"):
                    m = ctx.mention_at(child)
                    if m is not None and m.cls == "MediaOutlet":
                        return m
        if tok.lemma_ in lexicon().speech["unconfirmed"] and _negated(tok):
            for child in tok.children:
                if child.dep_ == "nsubj":
                    m = ctx.mention_at(child)
                    if m is not None and m.cls == "MediaOutlet":
                        return m
    return None


def publisher_mention(ctx: Context) -> EntityMention | None:
    """The publisher: named in metadata (its first mention in the text, if any), else inferred, else synthesised."""
    name = ctx.article.publisher
    if name:
        for m in ctx.mentions:
            if m.kind == "actor" and m.surface.lower() == name.lower():
                if m.cls in ("Person", "Group", "Organization"):
                    m.cls = "MediaOutlet"  # "Idleb, SANA-": the model's person is the outlet the metadata names
                return m
        found = re.search(re.escape(name), ctx.article.text)
        if found:
            tokens = ctx.doc.char_span(found.start(), found.end())
            if tokens is not None:
                taken = [ctx.mention(mid) for mid in dict.fromkeys(
                    ctx.by_token[t] for t in range(tokens.start, tokens.end) if t in ctx.by_token)]
                if not taken:
                    return ctx.add("actor", "MediaOutlet", tokens)
                if len(taken) == 1 and taken[0].kind == "place" and taken[0].surface.lower() == name.lower():
                    # "told Addis Standard": the model's place is the outlet the metadata names
                    taken[0].kind, taken[0].cls = "actor", "MediaOutlet"
                    return taken[0]
                if tokens.start not in ctx.by_token and all(m.kind == "actor" for m in taken):
                    # "ADEN (Gulf Monitor) -": the model's "Monitor" is the outlet the metadata names, by that name
                    outlet = taken[0]
                    outlet.cls, outlet.name, outlet.antecedent = "MediaOutlet", name, None
                    ctx.generic.discard(outlet.id)  # a named outlet, not a nameless "monitor"
                    return outlet
        return ctx.synthetic("actor", "MediaOutlet", name)
    return infer_publisher(ctx)
