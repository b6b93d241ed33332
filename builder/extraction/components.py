"""spaCy pipeline components of the extraction room (registered in ``builder/factories.py``).

- ``DatelineDetector``: finds the dateline ("DAMASCUS -", "KYIV, Ukraine (AP) —"),
  stores it on ``doc._.dateline`` and repairs the entities the small model
  smears across it ("DAMASCUS - Tens of thousands" as ORG).
- ``EntityRepair``: drops entities that are amounts or trigger words ("Barrel"
  as ORG), trims leading determiners, relabels names after media heads
  ("news agency Sana" is an ORG, not a PERSON).
- ``ActorSpans``: actor noun phrases by head noun ("Russian-backed Syrian
  forces", "government forces", "Russian jets", "two residents") into
  ``doc.spans["ng_actors"]``, label = ontology class guess.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import EntityRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from builder.extraction.lexicon import lexicon
from builder.numbers import vague_amounts

_DATELINE = re.compile(
    r"^[ \t*_>]*(?P<place>[A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]+)*)"
    r"(?P<rest>,[ \t]*[^()\n—–]{1,40}?)?"
    r"[ \t*_]*(?:\((?P<agency>[A-Za-z][\w .&-]*)\))?[ \t*_]*(?:[-–—]+|:)[ \t]",
    re.MULTILINE,
)
# "Idleb, SANA- Army units ...": a place in title case, then the agency in capitals and a dash
_DATELINE_AGENCY_AFTER = re.compile(
    r"^[ \t*_>]*(?P<place>[A-Z][a-z'’\-]+(?:[ \t]+[A-Z][a-z'’\-]+)*),[ \t]*(?P<agency>[A-Z]{2,8})(?P<rest>)"
    r"[ \t]*[-–—]+[ \t]",
    re.MULTILINE,
)
# "IDLIB, Syria" on a line of its own (Anadolu): the place in capitals, a country, nothing else
_DATELINE_LINE = re.compile(
    r"^[ \t*_>]*(?P<place>[A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]+)*)(?P<rest>,[ \t]*[A-Z][A-Za-z .'’-]{1,30})"
    r"(?P<agency>)[ \t]*$",
    re.MULTILINE,
)
# "Addis Abeba – A drone strike ...": a place in title case, then a dash between spaces (the model must see a name in it)
_DATELINE_TITLE = re.compile(
    r"^[ \t*_>]*(?P<place>[A-Z][a-z'’\-]+(?:[ \t]+[A-Z][a-z'’\-]+){0,2})(?P<rest>)(?P<agency>)[ \t]+[–—][ \t]",
    re.MULTILINE,
)
_DATELINE_WINDOW = 600  # the dateline opens the first or second paragraph (after a headline)

ACTOR_SPANS = "ng_actors"


class ParagraphBreaks:
    """A blank line ends a sentence, and so does a dateline: headlines, bylines and
    "SANAA, Yemen (AP) —" are not glued to the lead sentence's parse."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) > 1:
            for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():  # whitespace tokens (not the last)
                if doc[i].text.count("\n") >= 2:
                    doc[i + 1].is_sent_start = True
        match = _pick_dateline(_text_start(doc, _DATELINE_WINDOW))
        if match is not None:
            after = doc.char_span(match.end(), _text_length(doc), alignment_mode="expand")
            if after is not None and len(after) and after.start > 0:
                doc[after.start].is_sent_start = True
        return doc


def _text_start(doc: Doc, chars: int) -> str:
    """``doc.text[:chars]`` without joining the whole text (``Doc.text`` is rebuilt token by token on each call)."""
    parts: list[str] = []
    size = 0
    for tok in doc:
        if size >= chars:
            break
        parts.append(tok.text_with_ws)
        size += len(parts[-1])
    return "".join(parts)[:chars]


def _text_length(doc: Doc) -> int:
    """``len(doc.text)``: where the last token and its whitespace end."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _pick_dateline(text: str) -> re.Match[str] | None:
    """The dateline: a line-initial capitalised place before a dash, preferring one with an agency or a comma."""
    window = text[:_DATELINE_WINDOW]
    matches = sorted((m for pattern in (_DATELINE, _DATELINE_AGENCY_AFTER, _DATELINE_LINE)
                      for m in pattern.finditer(window) if len(m.group("place")) >= 3), key=lambda m: m.start())
    if not matches:
        return _DATELINE_TITLE.search(window)
    strong = [m for m in matches if m.group("agency") or m.group("rest")]
    return strong[0] if strong else matches[0]


class DatelineDetector:
    """Find the dateline near the start of the text and keep it out of the events."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.dateline = None
        doc._.dateline_agency = None
        doc._.dateline_end = 0
        match = _pick_dateline(_text_start(doc, _DATELINE_WINDOW))
        if not match:
            return doc
        place = doc.char_span(match.start("place"), match.end("place"), label="GPE", alignment_mode="contract")
        if place is None or len(match.group("place")) < 3:
            return doc
        if match.re is _DATELINE_TITLE and not any(t.ent_type_ in ("GPE", "LOC", "PERSON", "ORG", "FAC") for t in place):
            return doc  # "Update – ...": title-case words the model sees no name in
        doc._.dateline = place
        if match.group("agency"):
            doc._.dateline_agency = doc.char_span(match.start("agency"), match.end("agency"), label="ORG")
        end = match.end()
        doc._.dateline_end = end
        # "GOMA, Democratic Republic of Congo (AFP) -": the country after the town is a place of the story too
        rest = (match.start("rest"), match.end("rest")) if match.group("rest") else (end, end)
        kept = [e for e in doc.ents if e.start_char >= end or e.end_char <= match.start()
                or (e.label_ == "GPE" and rest[0] <= e.start_char and e.end_char <= rest[1])]
        doc.ents = filter_spans([place, *kept])
        return doc


#: punctuation a name the model tagged cannot end with
_DANGLING = frozenset(("(", "[", "{", "-", "\u2013", "\u2014", ",", ":", ";", "/"))


class EntityRepair:
    """Correct the small model's domain mistakes with the extraction word lists."""

    def __init__(self) -> None:
        lex = lexicon()
        words: set[str] = set()
        for table in (lex.attack_words("noun"), lex.attack_words("verb")):
            for phrase in table:
                words.update(phrase.split())
        self.trigger_words = words
        self.vague = tuple(sorted(vague_amounts()))  # str.startswith takes them all at once
        self.media_heads = {tuple(h.split()) for h in lex.orgs["media_heads"]}
        self.media_head_sizes = sorted({len(h) for h in self.media_heads})
        self.place_types = {w for ws in lex.actors["place_types"].values() for w in ws}
        self.settlement_types = frozenset(lex.actors["place_types"]["Settlement"])
        self.region_types = frozenset(("department", "province", "governorate", "district", "oblast", "prefecture",
                                       "territory"))
        self.facility_types = frozenset(w for w in lex.actors["place_types"]["Facility"] if " " not in w) - {"camp"}
        self.demonyms = frozenset(lex.demonyms)
        self.speaking = frozenset(lex.speech["asserts"])
        self.locative = frozenset(lex.actors["locative"]["preps"])
        self.place_preps = self.locative | frozenset(lex.actors["locative"]["motion"])
        self.target_preps = self.place_preps | frozenset(lex.actors["locative"]["targets"])
        self.settlement_plurals = frozenset(w for w, cls in lex.actors["typed_places"]["plurals"].items()
                                            if cls == "Settlement")
        self.titles = frozenset(lex.actors["titles"]["words"])
        self.org_heads = frozenset(lex.actors["named_organisations"]["heads"])
        self.org_name_ends = self.org_heads | frozenset(lex.actors["named_organisations"]["name_ends"])
        self.national = tuple(lex.actors["named_organisations"]["national"])
        self.group_heads = frozenset(lex.actors["named_organisations"]["group_heads"])
        from builder.dates import date_words

        self.festivals = frozenset(date_words()["festivals"])
        # verbs whose "for" names where people went: "left Barsalogho for Kaya"
        self.left_for = frozenset(verb for verb, preps in lex.triggers["displacement"]["destination_preps"].items()
                                  if "for" in preps)

    def _after_media_head(self, doc: Doc, ent: Span) -> bool:
        if not self.media_head_sizes:
            return False
        before = tuple(t.lower_ for t in doc[max(0, ent.start - self.media_head_sizes[-1]):ent.start])
        return any(len(before) >= n and before[len(before) - n:] in self.media_heads for n in self.media_head_sizes)

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        for ent in doc.ents:
            lower = ent.text.lower()
            if ent.label_ in ("ORG", "PERSON", "GPE", "NORP", "FAC", "LOC"):
                if lower.startswith(self.vague):
                    continue
                if len(ent) == 1 and lower in self.trigger_words:
                    continue
            if ent.label_ in ("ORG", "FAC", "GPE", "LOC", "PERSON", "NORP", "EVENT") and lower in self.festivals:
                ents.append(Span(doc, ent.start, ent.end, label="DATE"))  # "Palm Sunday", "Maulud": a day
                continue
            end = ent.end
            while end - 1 > ent.start and (doc[end - 1].text in _DANGLING or (
                    doc[end - 1].pos_ in ("ADP", "CCONJ") and doc[end - 1].lower_ != "of")):
                # "the Homeland (" + "VDP": the bracket opens the acronym; "Barsalogho in" + "Burkina Faso"
                end -= 1
            if end < ent.end:
                ent = Span(doc, ent.start, end, label=ent.label_)
            left_for = self._left_for(doc, ent)
            if left_for:
                ents.extend(left_for)
                continue
            if ent.label_ in ("ORG", "FAC", "GPE", "LOC", "PERSON") and ent[0].lower_ in ("the", "a", "an") and len(ent) > 1:
                ent = Span(doc, ent.start + 1, ent.end, label=ent.label_)
            if ent.label_ in ("PERSON", "ORG") and len(ent) > 2 and ent[0].lower_.rstrip(".") in self.titles:
                # "Rear Admiral Oleg Zhuravlev" (PERSON, or ORG to the model): the titles are a role, not a name
                start = ent.start
                while start < ent.end - 1 and doc[start].lower_.rstrip(".") in self.titles:
                    start += 1
                rest = doc[start:ent.end]
                if ent.label_ == "PERSON" or (start > ent.start and all(t.pos_ == "PROPN" for t in rest)
                                              and not any(t.lower_ in self.org_heads for t in rest)):
                    ent = Span(doc, start, ent.end, label="PERSON")
            if ent.label_ in ("PERSON", "GPE", "NORP") and self._after_media_head(doc, ent):
                ent = Span(doc, ent.start, ent.end, label="ORG")
            if ent.label_ == "FAC" and ent[-1].lower_ not in self.place_types:
                ent = Span(doc, ent.start, ent.end, label="GPE")
            relabelled = self._by_context(doc, ent)
            if relabelled is not None:
                ents.append(relabelled)
                if relabelled.label_ == "GPE":
                    ents.extend(self._listed_untagged(doc, relabelled))
        ents.extend(self._titled_names(doc))
        doc.ents = filter_spans(ents)
        return doc

    def _titled_names(self, doc: Doc) -> list[Span]:
        """"Kharkiv Mayor Ihor Terekhov said" with the name untagged, or only its last word tagged (an
        organisation, to the model): two or three capitalised words after a title are a person."""
        out = []
        for tok in doc:
            if tok.lower_.rstrip(".") not in self.titles or not tok.text[:1].isupper():
                continue
            start = end = tok.i + 1
            while end < len(doc) and end - start < 4 and doc[end].ent_type_ in ("", "PERSON", "ORG") \
                    and not doc[end].ent_id_ and doc[end].pos_ == "PROPN" and doc[end].is_alpha \
                    and doc[end].is_title and doc[end].lower_ not in self.titles:
                end += 1
            if not 2 <= end - start <= 3 or (end < len(doc) and doc[end].pos_ == "PROPN"):
                continue
            if doc[start].ent_iob_ == "I" or (end < len(doc) and doc[end].ent_iob_ == "I") \
                    or all(t.ent_type_ == "PERSON" for t in doc[start:end]):
                continue  # a name the model tagged running past these words, or already a person
            out.append(Span(doc, start, end, label="PERSON"))
        return out

    def _placed_in(self, doc: Doc, ent: Span) -> bool:
        """A name after a preposition of place and before "in <place>" is a place: "on Barsalogho in Burkina
        Faso". Not a known actor's name, not an acronym ("MSF in Sudan"), not a name ending in an organisation's
        word."""
        if len(ent) > 2 or ent.start == 0 or ent.end + 1 >= len(doc) or ent.ent_id_ or ent.text.isupper():
            return False
        after = doc[ent.end + 1]
        return doc[ent.start - 1].lower_ in self.target_preps and doc[ent.end].lower_ == "in" \
            and after.ent_type_ in ("GPE", "LOC") and after.ent_iob_ == "B" \
            and not any(t.lower_ in self.org_name_ends for t in ent)

    def _left_for(self, doc: Doc, ent: Span) -> list[Span]:
        """"have since left Barsalogho for Kaya" (one ORG to the model): the place left and the place gone to;
        "left Djibo" (a person) "for Ouahigouya": the place left."""
        if ent.label_ not in ("ORG", "PERSON", "GPE", "LOC") or ent.start == 0 \
                or doc[ent.start - 1].lemma_ not in self.left_for:
            return []
        cut = next((t.i for t in ent[1:-1] if t.lower_ == "for"), None)
        if cut is None:  # "left Djibo" (a person to the model) "for Ouahigouya" (a place to it)
            after = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
            placed = after is not None and doc[ent.end].lower_ == "for" and after.ent_type_ in ("GPE", "LOC")
            return [Span(doc, ent.start, ent.end, label="GPE")] if placed and ent.label_ != "GPE" else []
        parts = (doc[ent.start:cut], doc[cut + 1:ent.end])
        if not all(t.text[:1].isupper() for part in parts for t in part):
            return []
        return [Span(doc, part.start, part.end, label="GPE") for part in parts]

    @staticmethod
    def _geonames_town(name: str) -> bool:
        from builder.gazetteer import load_gazetteer

        entry = load_gazetteer().lookup_place(name, fuzzy=False)
        return entry is not None and entry.cls == "Settlement"

    @staticmethod
    def _listed_untagged(doc: Doc, place: Span) -> list[Span]:
        """Names coordinated with a place that the model left untagged, when GeoNames knows them as a town
        ("mosques in Bahawalpur and Muridke": Muridke)."""
        out = []
        for tok in place.root.children:
            if tok.dep_ == "conj" and tok.ent_iob_ == "O" and tok.pos_ == "PROPN" and tok.text[:1].isupper() \
                    and tok.i + 1 < len(doc) and not doc[tok.i + 1].text[:1].isupper():
                if EntityRepair._geonames_town(tok.text):
                    out.append(Span(doc, tok.i, tok.i + 1, label="GPE"))
        return out

    def _by_context(self, doc: Doc, ent: Span) -> Span | None:
        """The label the words around a name give it (None: it only describes what follows)."""
        if ent.label_ in ("GPE", "NORP", "PERSON", "ORG"):
            ent = self._organisation_name(doc, ent)
        if ent.label_ in ("WORK_OF_ART", "PRODUCT", "EVENT", "LAW") and 1 < len(ent) <= 3 \
                and all(t.pos_ == "PROPN" and t.is_title for t in ent) and ent.root.dep_ == "nsubj" \
                and ent.root.head.lemma_.lower() in self.speaking:
            return Span(doc, ent.start, ent.end, label="PERSON")  # "Johannes Bruwer ... wrote" (WORK_OF_ART)
        if ent.label_ in ("ORG", "PERSON") and self._placed_in(doc, ent):
            return Span(doc, ent.start, ent.end, label="GPE")  # "an attack on Barsalogho in Burkina Faso" (ORG)
        if ent.label_ in ("PRODUCT", "WORK_OF_ART", "ORG", "PERSON", "NORP", "FAC") and any(
                c.dep_ == "appos" and c.lower_ in self.settlement_types and c.i >= ent.end for c in ent.root.children):
            return Span(doc, ent.start, ent.end, label="GPE")  # "Togoga, a village west of Mekele" (PRODUCT)
        if ent.label_ in ("GPE", "ORG", "PERSON") and any(
                c.dep_ == "appos" and c.lower_ in self.facility_types and c.i >= ent.end for c in ent.root.children):
            return Span(doc, ent.start, ent.end, label="FAC")  # "Okhmatdyt, Ukraine's largest children's hospital"
        if ent.label_ in ("PERSON", "ORG") and any(
                c.dep_ == "conj" and c.lower_ in self.settlement_plurals for c in ent.root.children):
            return Span(doc, ent.start, ent.end, label="GPE")  # "attacked Mayikengo and neighbouring villages"
        if ent.label_ == "PERSON" and not any(t.lower_.rstrip(".") in self.titles for t in doc[max(0, ent.start - 2):ent.start]) \
                and self._listed_with_places(doc, ent):
            return Span(doc, ent.start, ent.end, label="GPE")  # "hit Dnipro, Kryvyi Rih, Sloviansk and Kramatorsk"
        if ent.label_ in ("GPE", "PERSON", "LOC") and not ent.ent_id_.startswith("place:") and ent.end < len(doc) \
                and doc[ent.end].lower_ in self.group_heads and ent.text not in self.demonyms:
            return Span(doc, ent.start, ent.end, label="ORG")  # "the Gran Grif gang": the gang's name, not a town
        if ent.label_ == "PERSON" and ent.start > 0 and doc[ent.start - 1].lower_ in self.place_preps \
                and ent.root.dep_ == "pobj" and self._geonames_town(ent.text):
            return Span(doc, ent.start, ent.end, label="GPE")  # "40 kilometres from Kaya" (a person to the model)
        if ent.label_ == "NORP" and ent.start > 0 and doc[ent.start - 1].lower_ in self.locative \
                and ent.root.dep_ == "pobj" and ent.text not in self.demonyms and not ent.text.endswith("s"):
            return Span(doc, ent.start, ent.end, label="GPE")  # "in Dahyan" (NORP to the model): a place
        if ent.label_ in ("NORP", "PERSON", "ORG") and ent.end + 1 < len(doc) and doc[ent.end].is_lower \
                and doc[ent.end].lower_ in self.region_types and ent.text not in self.demonyms:
            return Span(doc, ent.start, ent.end, label="GPE")  # "Norte de Santander department" (ORG to the model)
        if ent.label_ in ("NORP", "PERSON", "ORG") and ent.end + 1 < len(doc) \
                and doc[ent.end].lower_ in self.settlement_types:
            if doc[ent.end + 1].lower_ == "of":
                return None  # "the Druze town of Majdal Shams": a word describing the place named after it
            return Span(doc, ent.start, ent.end + 1, label="GPE")  # "the Mung Lai Hkyet camp" (ORG to the model)
        return ent

    @staticmethod
    def _listed_with_places(doc: Doc, ent: Span) -> bool:
        """Whether a name is coordinated with at least two place names ("Dnipro, Kryvyi Rih, Sloviansk and ...")."""
        root = ent.root
        head = root
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        items = [head, *(t for t in head.subtree if t.dep_ == "conj" and t.i != root.i)]
        places = sum(1 for t in items if t.i != root.i and t.ent_type_ in ("GPE", "LOC") and not ent.start <= t.i < ent.end)
        return root.dep_ == "conj" and places >= 2 or (places >= 2 and any(t.i == root.i for t in items))

    def _organisation_name(self, doc: Doc, ent: Span) -> Span:
        if ent.label_ == "ORG" and ent.start > 0 and ent.text.lower().startswith(self.national) \
                and doc[ent.start - 1].text in self.demonyms:
            for token in doc[ent.start - 1:ent.end]:
                token.ent_id_ = ""  # not the table's "Red Cross" (the ICRC)
            return Span(doc, ent.start - 1, ent.end, label="ORG")  # "Lebanese" + "Red Cross": Lebanon's society
        return self._named_with_end(doc, ent)

    def _named_with_end(self, doc: Doc, ent: Span) -> Span:
        """'Kachin' (GPE) + 'Independence Organization' (untagged) -> one ORG; "Tigray People's Liberation
        Front" (PERSON) -> ORG: capitalised words ending in an organisation's last word ([named_organisations])."""
        end = ent.end
        while end < len(doc) and end - ent.end < 4 and doc[end].ent_iob_ == "O" and doc[end].pos_ == "PROPN" \
                and doc[end].text[:1].isupper():
            end += 1
        while end > ent.end and doc[end - 1].lower_ not in self.org_name_ends:
            end -= 1
        if end > ent.end or (ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].lower_ in self.org_name_ends):
            return Span(doc, ent.start, end, label="ORG")
        if ent.label_ == "ORG" and ent[-1].lower_ == "of" and ent.end < len(doc) and doc[ent.end].ent_type_ == "GPE":
            place = next(e for e in doc.ents if e.start == ent.end) if doc[ent.end].ent_iob_ == "B" else None
            if place is not None:  # "Security Service of" (ORG) + "Ukraine" (GPE): one organisation
                return Span(doc, ent.start, place.end, label="ORG")
        return ent


class ActorSpans:
    """Actor noun phrases recognised by their head noun, with a class guess as label.

    A phrase is a head from ``actor_heads.toml`` (``[heads]``, one label per class)
    after one of these prefixes (as spaCy token patterns, which the component
    used until issue 8; ``reference_patterns`` still builds them):

    - ``dem? mod*``: an optional demonym (as written) and any modifier words
      ("Russian jets", "Syrian government forces", "rebel fighters");
    - ``ALPHA - backed dem? mod*``: "Russian-backed Syrian forces";
    - ``LIKE_NUM`` for a ``Group`` head ("two residents").

    Every phrase matching one of them is a candidate; per label the longest win
    and the others that overlap them go (the Matcher's ``greedy="LONGEST"``),
    then the checks below and ``filter_spans`` across labels. The candidates are
    found directly, from the heads leftwards, instead of by a Matcher trying its
    ~280 patterns with optional leading tokens at every token (11 % of a build).
    """

    def __init__(self) -> None:
        lex = lexicon()
        heads: dict[str, list[str]] = lex.actors["heads"]
        mods = lex.actors["modifiers"]
        self.demonyms = set(lex.demonyms)
        self.state_mods = set(mods["StateForce"])
        self.armed_mods = set(mods["ArmedGroup"])
        # head phrases as LOWER ids, found by their last word
        self._by_last: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        for cls, words in heads.items():
            for phrase in words:
                ids = tuple(get_string_id(w) for w in phrase.split())
                self._by_last.setdefault(ids[-1], []).append((cls, ids))
        self._modifiers = frozenset(get_string_id(w) for w in modifier_words())
        self._demonyms = frozenset(get_string_id(d) for d in self.demonyms)
        self._backed = frozenset(get_string_id(w) for w in lex.actors["relations"]["backedBy"])
        self._dash = get_string_id("-")

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[ACTOR_SPANS] = self.labelled(doc, self.matches(doc))
        return doc

    def labelled(self, doc: Doc, matches: Iterable[tuple[str, int, int]]) -> list[Span]:
        """The actor spans of ``(label, start, end)`` phrase matches: the relabelling checks, then overlaps resolved."""
        spans = []
        for label, start, end in matches:
            if end < len(doc) and doc[end].text == "-":  # "rebel-held": a modifier, not an actor
                continue
            words = {t.lower_ for t in doc[start:end - 1]}
            if label == "MediaOutlet" and doc[start].text not in self.demonyms:
                continue
            if label in ("StateForce", "ArmedGroup", "Group") and words & self.armed_mods:
                label = "ArmedGroup"
            elif label in ("ArmedGroup", "Government") and words & self.state_mods and not words & self.armed_mods:
                label = "StateForce" if label == "ArmedGroup" else label
            spans.append(Span(doc, start, end, label=label))
        return filter_spans(spans)

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """``(label, start, end)`` of the phrases kept per label, longest first (before the checks)."""
        if not len(doc):
            return []
        lower, orth = doc.to_array([LOWER, ORTH]).T.tolist()
        candidates: dict[str, set[tuple[int, int]]] = {}
        for i, word in enumerate(lower):
            heads = self._by_last.get(word)
            if heads is None:
                continue
            end = i + 1
            for label, ids in heads:
                head = end - len(ids)
                if head < 0 or (len(ids) > 1 and tuple(lower[head:end]) != ids):
                    continue
                bucket = candidates.setdefault(label, set())
                bucket.update((start, end) for start in self._starts(doc, lower, orth, head, label == "Group"))
        out: list[tuple[str, int, int]] = []
        for label, pairs in candidates.items():
            taken = bytearray(len(doc))
            for start, end in sorted(pairs, key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
                if taken.find(1, start, end) == -1:
                    out.append((label, start, end))
                    taken[start:end] = b"\x01" * (end - start)
        return out

    def _starts(self, doc: Doc, lower: list[int], orth: list[int], head: int, numbered: bool) -> set[int]:
        """Every token a prefix of the head at ``head`` can start at (``head`` itself included)."""
        run = [head]  # mod*
        while run[-1] > 0 and lower[run[-1] - 1] in self._modifiers:
            run.append(run[-1] - 1)
        plain = set(run)  # dem? mod*
        plain.update(s - 1 for s in run if s > 0 and orth[s - 1] in self._demonyms)
        starts = set(plain)  # ALPHA - backed dem? mod*
        starts.update(s - 3 for s in plain if s >= 3 and lower[s - 1] in self._backed
                      and orth[s - 2] == self._dash and doc[s - 3].is_alpha)
        if numbered and head > 0 and doc[head - 1].like_num:  # LIKE_NUM
            starts.add(head - 1)
        return starts


def modifier_words() -> list[str]:
    """The words allowed between a demonym and an actor head (every ``[modifiers]`` list), sorted."""
    mods = lexicon().actors["modifiers"]
    return sorted({w for ws in mods.values() for w in ws})


def reference_patterns() -> dict[str, list[list[dict]]]:
    """The actor phrases as spaCy Matcher patterns per label (``greedy="LONGEST"``): the definition
    ``ActorSpans`` implements, kept for the equivalence tests."""
    lex = lexicon()
    backed = lex.actors["relations"]["backedBy"]
    mod = {"LOWER": {"IN": modifier_words()}, "OP": "*"}
    dem = {"TEXT": {"IN": sorted(lex.demonyms)}, "OP": "?"}
    out: dict[str, list[list[dict]]] = {}
    for cls, words in lex.actors["heads"].items():
        for phrase in words:
            head = [{"LOWER": w} for w in phrase.split()]
            prefixes = [[dem, mod], [{"IS_ALPHA": True}, {"ORTH": "-"}, {"LOWER": {"IN": backed}}, dem, mod]]
            if cls == "Group":
                prefixes.append([{"LIKE_NUM": True}])
            out.setdefault(cls, []).extend(p + head for p in prefixes)
    return out


class GazetteerRuler(EntityRuler):
    """spaCy's EntityRuler with its token Matcher run only where, and with the patterns, that can match.

    The Matcher tries every pattern at every token (240 gazetteer token patterns:
    acronyms by ``ORTH``, Arabic names with optional articles): 98 % of the ruler's
    time. When every token pattern opens with a required ``ORTH``/``LOWER`` word and
    has no ``*``/``+``, a match can only start at a token equal to such a word and
    ends within the longest pattern's length. So the Matcher runs over those
    stretches alone, each stretch ending after the matches started in it are
    complete; on a stretch with one such word, a Matcher holding only the patterns
    opening with it (in the same order, under the same keys) does: the patterns left
    out fail on their first token there and leave no trace. The result is the same
    list in the same order as the Matcher on the whole doc. Everything else is
    ``EntityRuler.match``: the same list, set and sort, so ties are broken alike.
    """

    def __init__(self, nlp: Language, name: str, **config: Any) -> None:
        self._entries: list[tuple[str, list[dict[str, Any]]]] | None = []
        self._plan: _AnchorPlan | None = None
        super().__init__(nlp, name, **config)

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        super().add_patterns(patterns)
        if self._entries is not None:  # the Matcher's patterns in its order, under its keys
            for entry in patterns:
                if isinstance(entry["pattern"], list):
                    key = self._create_label(entry["label"], entry["id"]) if "id" in entry else entry["label"]
                    self._entries.append((key, entry["pattern"]))
        self._plan = _AnchorPlan.of(self._entries, self.nlp.vocab) if self._entries else None

    def remove(self, ent_id: str) -> None:
        super().remove(ent_id)
        self._entries, self._plan = None, None  # the whole-doc Matcher from now on

    def clear(self) -> None:
        super().clear()
        self._entries, self._plan = [], None

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")
            matches = self._token_matches(doc) + list(self.phrase_matcher(doc))
        final_matches = set([(m_id, start, end) for m_id, start, end in matches if start != end])  # noqa: C403 - as EntityRuler.match: the same set, the same ties
        return sorted(final_matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if len(self.matcher) == 0:
            return []
        if self._plan is None:
            return list(self.matcher(doc))
        out: list[tuple[int, int, int]] = []
        for begin, end, anchors in self._plan.windows(doc):
            matcher = self._plan.matchers.get(anchors, self.matcher) if len(anchors) == 1 else self.matcher
            out.extend((m_id, begin + start, begin + stop) for m_id, start, stop in matcher(doc[begin:end]))
        return out


Anchor = tuple[int, int]  # (ORTH or LOWER, the word's id)


class _AnchorPlan:
    """Where token patterns that open with a required word can match: stretches of a doc, and a
    Matcher per opening word with only its patterns."""

    def __init__(self, widths: dict[Anchor, int], matchers: dict[frozenset[Anchor], Matcher]) -> None:
        self.orth = {word: n for (attr, word), n in widths.items() if attr == ORTH}  # word -> longest pattern
        self.lower = {word: n for (attr, word), n in widths.items() if attr == LOWER}
        self.matchers = matchers
        self._orth_ids = np.fromiter(self.orth, dtype=np.uint64, count=len(self.orth))
        self._lower_ids = np.fromiter(self.lower, dtype=np.uint64, count=len(self.lower))

    @classmethod
    def of(cls, entries: list[tuple[str, list[dict[str, Any]]]], vocab: Vocab) -> _AnchorPlan | None:
        """The plan for these ``(key, token pattern)`` (in Matcher order), or None when one may start at
        any token or grow without bound."""
        widths: dict[Anchor, int] = {}
        opening: dict[Anchor, list[int]] = {}
        for index, (_key, pattern) in enumerate(entries):
            if not pattern or any(key.upper() == "OP" and op != "?" for spec in pattern for key, op in spec.items()):
                return None  # "*", "+", "!" or "{n,m}": the stretch after a start is not bounded (or not checked)
            first = {key.upper(): value for key, value in pattern[0].items()}
            if len(first) != 1 or not {"ORTH", "TEXT", "LOWER"} >= set(first):
                return None  # an optional or non-literal first token: a match may start anywhere
            (attr, value), = first.items()
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words = list(value["IN"])
            else:
                return None
            for word in words:
                anchor = (LOWER if attr == "LOWER" else ORTH, get_string_id(word))
                widths[anchor] = max(widths.get(anchor, 0), len(pattern))
                opening.setdefault(anchor, []).append(index)
        matchers: dict[frozenset[Anchor], Matcher] = {}
        for anchor, indices in opening.items():
            matcher = Matcher(vocab)
            for index in sorted(set(indices)):
                matcher.add(entries[index][0], [entries[index][1]])
            matchers[frozenset([anchor])] = matcher
        return cls(widths, matchers)

    def windows(self, doc: Doc) -> list[tuple[int, int, frozenset[Anchor]]]:
        """Disjoint, ordered ``(start, end, opening words)`` stretches holding every match of the patterns:
        from each token a pattern opens with, one token more than the longest pattern opening there."""
        if not len(doc):
            return []
        tokens = doc.to_array([ORTH, LOWER])
        starts = np.flatnonzero(np.isin(tokens[:, 0], self._orth_ids) | np.isin(tokens[:, 1], self._lower_ids))
        out: list[tuple[int, int, set[Anchor]]] = []
        for start, (orth, lower) in zip(starts.tolist(), tokens[starts].tolist(), strict=True):
            anchors = {a for a in ((ORTH, orth), (LOWER, lower)) if a[1] in (self.orth if a[0] == ORTH else self.lower)}
            end = min(len(doc), start + max(self.orth.get(orth, 0), self.lower.get(lower, 0)) + 1)
            if out and start < out[-1][1]:
                out[-1] = (out[-1][0], max(end, out[-1][1]), out[-1][2] | anchors)
            else:
                out.append((start, end, anchors))
        return [(start, end, frozenset(anchors)) for start, end, anchors in out]


def register_extensions() -> None:
    """Declare the Doc extensions the components set (idempotent)."""
    for name in ("dateline", "dateline_agency", "dateline_end"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def make_dateline(nlp: Language, name: str) -> DatelineDetector:
    register_extensions()
    return DatelineDetector()


def make_paragraph_breaks(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks()


def make_entity_repair(nlp: Language, name: str) -> EntityRepair:
    return EntityRepair()


def make_actor_spans(nlp: Language, name: str) -> ActorSpans:
    return ActorSpans()


def make_gazetteer_ruler(nlp: Language, name: str, phrase_matcher_attr: str | None,
                         overwrite_ents: bool) -> GazetteerRuler:
    return GazetteerRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=overwrite_ents)
