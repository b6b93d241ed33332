"""Which mentions of one article stand for the same actor or place: coreference within the article.

Run after :func:`builder.extraction.entities.extract_mentions` has found the
mentions; each step sets ``antecedent`` (or a name) on mentions that name no one
by themselves, in this order:

1. generic anaphora: "the city", "the group", "the ministry" -> the nearest fitting earlier mention;
2. unnamed forces: "Russian-Backed Forces" (a headline) -> the named force of that class;
3. appositive descriptions: "the YPG, the Kurdish militia ..." -> the YPG;
4. definite nameless roles: "The source added" -> the source named before;
5. roles named later: "the regional governor said" ... "Pavlo Kyrylenko, the governor of the Donetsk
   region, said" -> Pavlo Kyrylenko;
6. generic heads: "its forces", "the military", "a monitoring group" -> their owner, the last named
   actor they can stand for, or a fitting organisation named just after.
"""

from __future__ import annotations

import re

from builder.extraction.context import Context
from builder.extraction.entities import ACTOR_CLASSES, demonym_of, gazetteer_actor, titled
from builder.extraction.lexicon import lexicon
from builder.records import EntityMention, Extraction


def link_mentions(ctx: Context) -> None:
    """Set the antecedents (and national names) of the mentions that name no one by themselves."""
    _anaphora(ctx)
    _link_unnamed_forces(ctx)
    _appositive_descriptions(ctx)
    _definite_roles(ctx)
    _roles_named_later(ctx)
    _generic_heads(ctx)


def _definite_roles(ctx: Context) -> None:
    """'The source added ...' after 'a military source said': the same nameless speaker."""
    roles = set(lexicon().actors["generic"]["nameless"])
    text = ctx.article.text
    for m in ctx.mentions:
        if m.kind != "actor" or m.antecedent or m.surface.lower() not in roles \
                or not text[max(0, m.span.start - 4):m.span.start].lower() == "the ":
            continue
        earlier = [o for o in ctx.mentions if o.kind == "actor" and o.id != m.id and o.span.end <= m.span.start
                   and 0 <= o.span.sentence_index and o.surface.lower().split()[-1:] == [m.surface.lower()]]
        if earlier:
            last = max(earlier, key=lambda o: o.span.start)
            m.antecedent = last.antecedent or last.id


def _roles_named_later(ctx: Context) -> None:
    """'a regional health official said' in the lede, 'Mulu Atsbaha, the health official, told AFP' below: a
    nameless role is the person a later sentence (up to ``[generic] named_within``) gives that role to, in an
    apposition after the name or as a title before it ('Governor Pavlo Kyrylenko')."""
    table = lexicon().actors["generic"]
    roles = set(table["named_later"])
    fillers = set(table["fillers"]) | roles
    reach = int(table["named_within"])
    text = ctx.article.text
    people = sorted((o for o in ctx.mentions if o.kind == "actor" and o.cls == "Person" and o.span.sentence_index >= 0),
                    key=lambda o: o.span.start)
    for m in ctx.mentions:
        if m.kind != "actor" or m.antecedent or m.span.sentence_index < 0 or m.cls not in ("Group", "Organization"):
            continue
        words = m.surface.lower().split()
        # its name is at most the role's plural ("official" is named "officials")
        if not words or words[-1] not in roles or not set(words) <= fillers \
                or (m.name and not m.name.lower().startswith(words[-1])):
            continue
        role = words[-1]
        after = re.compile(rf"^,\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){{0,4}}?{role}\b", re.IGNORECASE)
        before = re.compile(rf"\b(?i:{role})\s+(?:[A-Z][\w.'’-]*\s+){{0,2}}$")  # "Governor Oleh Kiper"
        for person in people:
            if not 0 < person.span.sentence_index - m.span.sentence_index <= reach:
                continue
            if after.match(text[person.span.end:person.span.end + 80]) or \
                    before.search(text[max(0, person.span.start - 60):person.span.start]):
                m.antecedent = person.antecedent or person.id
                break
        else:  # "President Bola Tinubu ..." before "the president said": the nearest one titled so earlier
            for person in reversed(people):
                if person.span.end <= m.span.start and 0 <= m.span.sentence_index - person.span.sentence_index <= reach \
                        and before.search(text[max(0, person.span.start - 60):person.span.start]):
                    m.antecedent = person.antecedent or person.id
                    break


_APPOSITION = re.compile(r"^,\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE)


def _appositive_descriptions(ctx: Context) -> None:
    """'the YPG, the Kurdish militia Ankara says is linked to the PKK': a nameless description right after a
    named actor, set off by a comma, is that actor (not when it speaks: 'shelled the RSF, the army said')."""
    doc = ctx.doc
    text = ctx.article.text
    actors = sorted((m for m in ctx.mentions if m.kind == "actor" and m.span.sentence_index >= 0),
                    key=lambda m: m.span.start)
    for before, m in zip(actors, actors[1:]):
        if m.name or m.antecedent or m.cls not in ACTOR_CLASSES or gazetteer_actor(m.surface) is not None:
            continue
        if not (before.name or gazetteer_actor(before.surface) is not None) or before.cls not in ACTOR_CLASSES:
            continue
        if not _APPOSITION.match(text[before.span.end:m.span.start]):
            continue
        tokens = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if tokens is None or tokens.root.dep_ in ("nsubj", "nsubjpass"):
            continue
        m.antecedent = before.antecedent or before.id


def is_generic(m: EntityMention) -> bool:
    """'forces', 'the military', 'an army spokesman', 'its forces': words that name no one by themselves."""
    if m.kind != "actor" or m.name or not m.surface:
        return False
    table = lexicon().actors["generic"]
    words = m.surface.lower().replace("-", " ").split()
    if not words or words[-1] not in table["heads"]:
        return False
    fillers = set(table["fillers"]) | set(table["heads"])
    return all(w in fillers for w in words) and gazetteer_actor(m.surface) is None


def _generic_heads(ctx: Context) -> None:
    """A generic actor mention refers back to the possessor ('its forces') or the nearest earlier named
    actor its head can stand for ('the military' -> the last named state force); else it is marked generic."""
    heads: dict[str, list[str]] = lexicon().actors["generic"]["heads"]
    name_words: dict[str, list[str]] = lexicon().actors["generic"]["name_words"]
    countries = None
    for m in ctx.mentions:
        if not m.antecedent and not m.name and m.kind == "actor" and m.cls in ("ArmedGroup", "StateForce"):
            member_of = _named_after_of(ctx, m)  # "resistance fighters from the Arakan Army": the AA's
            if member_of is not None:
                m.antecedent = member_of.antecedent or member_of.id
                continue
        if m.antecedent or not is_generic(m):
            continue
        owner = _possessive_owner(ctx, m)
        if owner is not None:
            m.antecedent = owner.antecedent or owner.id
            continue
        if countries is None:
            countries = _article_countries(ctx)
        if _known_in(m.surface, countries):
            # "the army" in a Sudan article: the tables name it; but "the rebels" after the article named an armed
            # group ("fighters of the Allied Democratic Forces ... The rebels attacked") are that group
            earlier = [o for o in ctx.mentions if o.kind == "actor" and o.cls == "ArmedGroup" and o.id != m.id
                       and 0 <= o.span.sentence_index and o.span.end <= m.span.start and not o.antecedent
                       and not is_generic(o)] if m.cls == "ArmedGroup" else []
            if earlier:
                m.antecedent = max(earlier, key=lambda o: o.span.start).id
            continue
        words = m.surface.lower().replace("-", " ").split()
        by_modifier = lexicon().actors["generic"]["modifier_classes"]
        classes = {c for w in words[:-1] for c in by_modifier.get(w, [])} or set(heads[words[-1]])
        candidates = [o for o in ctx.mentions if o.kind == "actor" and o.cls in classes and o.id != m.id
                      and 0 <= o.span.sentence_index and not o.antecedent and not is_generic(o)]
        wanted = {w for word in words for w in name_words.get(word, ())}
        if wanted:  # "a monitoring group" is an observatory or a watch, not the rescuers named before it
            candidates = [o for o in candidates if any(w in f"{o.surface} {o.name or ''}".lower() for w in wanted)]
        reach = 3 if wanted else 1
        # "the Russian Defense Ministry said ... the Kiev regime had fired ..., the ministry said": the nearest
        # earlier name with the same head word, whatever class the tables gave it
        same = [o for o in ctx.mentions if o.kind == "actor" and o.id != m.id and 0 <= o.span.sentence_index
                and o.span.end <= m.span.start and not is_generic(o) and o.cls != "Person"
                and words[-1] in o.surface.lower().replace("-", " ").split()]
        if same:
            nearest = max(same, key=lambda o: o.span.start)
            m.antecedent = nearest.antecedent or nearest.id
            continue
        named = [o for o in candidates if o.span.end <= m.span.start]
        ahead = [o for o in candidates if o.span.start >= m.span.end
                 and 0 < o.span.sentence_index - m.span.sentence_index <= reach and o.cls in _DESCRIBED_AHEAD]
        if named:
            m.antecedent = max(named, key=lambda o: o.span.start).id
        elif ahead:  # "..., a medical group said. The Sudan Doctors Network said ...": named in the next sentence
            m.antecedent = min(ahead, key=lambda o: o.span.start).id
        elif (national := _national_ministry(m, countries, ctx.article.text)) is not None:
            m.name = national  # "the health ministry said" in a Sudan article: Sudan's
        else:
            ctx.generic.add(m.id)


def _link_unnamed_forces(ctx: Context) -> None:
    """'Russian-Backed Forces' (a headline) with no name of its own: link it to the nearest named force of its class."""
    for m in ctx.mentions:
        if m.kind != "actor" or m.cls not in ("StateForce",) or m.name or m.antecedent or m.span.sentence_index < 0:
            continue
        if gazetteer_actor(m.surface) is not None:
            continue
        owner = _possessive_owner(ctx, m)
        if owner is not None:  # "Russia's Defense Ministry said its forces ...": the forces are Russia's
            m.antecedent = owner.antecedent or owner.id
            continue
        head = m.surface.split()[-1].lower()
        named = [o for o in ctx.mentions if o.id != m.id and o.kind == "actor" and o.cls == m.cls
                 and o.surface.split()[-1].lower() == head
                 and (o.name or gazetteer_actor(o.surface) is not None) and not o.antecedent
                 and o.surface not in lexicon().demonyms]
        if named:
            best = min(named, key=lambda o: (o.span.start > m.span.start, abs(o.span.start - m.span.start)))
            m.antecedent = best.id


_DESCRIBED_AHEAD = frozenset({"NGO", "Organization", "InternationalOrganization"})


def _national_ministry(m: EntityMention, countries: tuple[str, ...], text: str) -> str | None:
    """'the health ministry', 'the interior ministry' in an article about one country: that country's,
    named as "Sudan's health ministry" is ('Sudanese Health Ministry'). None without a country or a kind."""
    words = [w for w in m.surface.split() if w.lower() not in ("the", "a", "an")]
    before = text[max(0, m.span.start - 20):m.span.start].split()[-1:]
    if words == ["ministry"] and before and before[0].lower() in lexicon().actors["generic"]["ministry_kinds"]:
        words = [before[0], *words]  # "the interior ministry" (the model's adjective left out of the phrase)
    if len(words) < 2 or words[-1].lower() != "ministry" or not countries:
        return None
    country = _country(countries[0])
    if country is None:
        return None
    demonym = demonym_of(country)  # "Sudanese Health Ministry"; without a demonym "Mozambique Defence Ministry"
    return f"{demonym or country} {titled(' '.join(words))}"


def national_government(out: Extraction, mention_id: str) -> str | None:
    """The name of "the government" that speaks in an article about one country and names no government: that
    country's, as "the Burkinabe government" is named ("The government said" in a Burkina Faso article: 'Burkina
    Faso'). None for other words or without a country."""
    m = out.mention(mention_id)
    words = [w.lower() for w in m.surface.split()]
    before = out.article.text[max(0, m.span.start - 20):m.span.start].split()[-1:]
    if m.kind != "actor" or m.cls != "Government" or words[-1:] != ["government"] \
            or (words[:-1] != ["the"] and not (words == ["government"] and before and before[0].lower() == "the")):
        return None
    countries = _article_countries(out)
    return _country(countries[0]) if countries else None


def _country(key: str) -> str | None:
    """The name of a country place key."""
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return None
    country = load_gazetteer().place(key)
    return country.name if country is not None else None


def _article_countries(ctx: Context | Extraction) -> tuple[str, ...]:
    """The article's countries as the resolution room counts them (place keys, most mentioned first)."""
    try:
        from builder.resolve import article_countries
    except ImportError:
        return ()
    return article_countries(Extraction(article=ctx.article, mentions=ctx.mentions))


def _known_in(surface: str, countries: tuple[str, ...]) -> bool:
    """The tables name this generic phrase in the article's countries ("the army" in Sudan)."""
    if not countries:
        return False
    from builder.gazetteer import load_gazetteer

    return load_gazetteer().lookup_actor(surface, context=countries, fuzzy=False) is not None


def _possessive_owner(ctx: Context, m: EntityMention) -> EntityMention | None:
    """For 'its forces' / 'their fighters': the latest actor named before it in the same sentence."""
    tokens = ctx.doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if tokens is None or not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tokens.root.children):
        return None
    owners = [o for o in ctx.mentions if o.kind == "actor" and o.id != m.id and o.span.sentence_index == m.span.sentence_index
              and o.span.end <= m.span.start and o.cls in ("Government", "StateForce", "ArmedGroup", "Organization")
              and not is_generic(o)]
    return max(owners, key=lambda o: o.span.start) if owners else None


def _named_after_of(ctx: Context, m: EntityMention) -> EntityMention | None:
    """'terrorists of Jabhat al-Nusra', 'fighters from the Arakan Army': the named group the generic noun belongs to."""
    tokens = ctx.doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if tokens is None:
        return None
    for prep in tokens.root.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                # "militants of the Hayat Tahrir al-Sham terrorist group": the name may modify the noun after "of"
                for word in (obj, *(c for c in obj.children if c.dep_ in ("compound", "amod", "nmod"))):
                    other = ctx.mention_at(word)
                    if other is not None and other.kind == "actor" and other.id != m.id and not is_generic(other) \
                            and other.cls in ("Government", "StateForce", "ArmedGroup"):
                        return other
    return None


def _anaphora(ctx: Context) -> None:
    """'the city', 'the region', 'the group': mentions linked to the nearest earlier fitting mention."""
    doc = ctx.doc
    table: dict[str, list] = lexicon().actors["anaphora"]
    lowers = ctx.lowers
    for i in range(len(lowers) - 1):
        if lowers[i] != "the":
            continue
        pair = f"{lowers[i]} {lowers[i + 1]}"
        if pair not in table or i in ctx.by_token or (i + 1) in ctx.by_token:
            continue
        if i + 2 < len(doc) and (doc[i + 2].pos_ in ("NOUN", "PROPN") or doc[i + 2].lower_ == "of"):
            continue  # "the city council", "the region of X"
        kind, cls, *classes = table[pair]
        # "the coalition" -> the latest named mention with that word ("Saudi-led coalition"), else the latest
        # of its class (of the classes the table lists: "the group" may be a rescue group)
        word = doc[i + 1].lower_
        # ... or described with it: "Togoga, a village west of Mekele" is "the village"
        described = re.compile(rf"^,\s+an?\s+{re.escape(word)}\b")
        # ... or introduced as one: "the village of Wad El Noura in El Managil locality" is "the village"
        introduced = re.compile(rf"\b{re.escape(word)}\s+of\s+(?:the\s+)?$", re.IGNORECASE)
        text = ctx.article.text
        named = [m for m in ctx.mentions if m.kind == kind and m.span.end <= doc[i].idx and m.span.sentence_index >= 0
                 and (word in m.surface.lower().split() or described.match(text[m.span.end:m.span.end + 40])
                      or introduced.search(text[max(0, m.span.start - 30):m.span.start]))
                 and not is_generic(m)]
        antecedent = max(named, key=lambda m: m.span.start) if named else nearest(
            ctx, before=doc[i].idx, kind=kind, classes=set(classes[0]) if classes else _compatible(cls))
        if antecedent is not None and antecedent.antecedent:
            antecedent = ctx.mention(antecedent.antecedent)
        ctx.add(kind, cls, doc[i:i + 2], antecedent=antecedent.id if antecedent else None)


def _compatible(cls: str) -> set[str]:
    if cls == "Settlement":
        return {"Settlement"}
    if cls == "Region":
        return {"Region", "Settlement"}
    if cls == "Country":
        return {"Country"}
    if cls in ("StateForce",):
        return {"StateForce"}
    if cls == "Government":
        return {"Government", "StateForce"}
    if cls == "ArmedGroup":
        return {"ArmedGroup"}
    return {cls, "Organization", "NGO", "InternationalOrganization"}


def nearest(ctx: Context, *, before: int, kind: str, classes: set[str], exclude: set[str] | None = None) -> EntityMention | None:
    """The closest mention ending before char ``before`` of the kind and classes wanted."""
    best = None
    for m in ctx.mentions:
        if m.kind != kind or m.cls not in classes or m.span.sentence_index < 0 or m.span.end > before:
            continue
        if exclude and m.id in exclude:
            continue
        if best is None or m.span.start > best.span.start:
            best = m
    if best is not None and best.antecedent:
        return ctx.mention(best.antecedent)
    return best
