"""A small hand-built article (invented, Yemen) and its resolved records, shared by the builder tests."""

from __future__ import annotations

from datetime import date

from builder.records import (
    ArticleInput,
    ClaimRecord,
    Entity,
    EntityMention,
    EventRecord,
    Extraction,
    Figure,
    Relation,
    Resolved,
    Span,
)

TEXT = ("ADEN - An air strike hit a fish market in Hodeidah on Tuesday, killing at least 12 civilians, "
        "the Houthi-run health ministry said. The Saudi-led coalition denied hitting the city.")


def span(words: str, *, nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``words`` in TEXT as a Span with its sentence."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    cut = TEXT.index(". ") + 1
    index, sentence = (0, TEXT[:cut]) if start < cut else (1, TEXT[cut + 1:])
    return Span(start, start + len(words), words, index, sentence)


def yemen_resolved(*, language: str | None = "en") -> Resolved:
    article = ArticleInput(text=TEXT, source="tests/yemen.txt", title="Strike on Hodeidah market",
                           publisher="Gulf Wire", published=date(2024, 3, 7), url="https://example.org/yemen",
                           language=language, encoding="utf-8")
    mentions = [
        EntityMention("m0", "place", "Settlement", "ADEN", span("ADEN")),
        EntityMention("m1", "place", "Settlement", "Hodeidah", span("Hodeidah")),
        EntityMention("m2", "actor", "Civilians", "civilians", span("civilians")),
        EntityMention("m3", "actor", "Government", "the Houthi-run health ministry",
                      span("the Houthi-run health ministry")),
        EntityMention("m4", "actor", "StateForce", "The Saudi-led coalition", span("The Saudi-led coalition")),
        EntityMention("m5", "place", "Settlement", "the city", span("the city"), antecedent="m1"),
        EntityMention("m6", "actor", "MediaOutlet", "", Span(0, 0, "", -1, ""), name="Gulf Wire"),
        EntityMention("m7", "actor", "ArmedGroup", "Houthi", span("Houthi")),
    ]
    events = [EventRecord("e0", "AirStrike", span("air strike"), location="m1", targets=["m2"],
                          target_text="a fish market", date=date(2024, 3, 5), date_text="on Tuesday")]
    claims = [
        ClaimRecord("c0", "e0", "m3", span("killing at least 12 civilians"),
                    killed=Figure(12, "at_least", "at least 12 civilians")),
        ClaimRecord("c1", "e0", "m4", span("denied hitting the city"), stance="denies"),
    ]
    relations = [Relation("m3", "affiliation", "m7", span("the Houthi-run health ministry"))]
    extraction = Extraction(article, mentions, events, claims, relations, publisher="m6", dateline="m0")
    entities = {
        "place:aden": Entity("place:aden", "place", "Settlement", "Aden", latitude=12.77944, longitude=45.03667,
                             geonames_id="415189", wikidata_id="Q131694", located_in="place:yemen"),
        "place:hodeidah": Entity("place:hodeidah", "place", "Settlement", "Hodeidah", latitude=14.79781,
                                 longitude=42.95452, geonames_id="79415", located_in="place:yemen"),
        "place:yemen": Entity("place:yemen", "place", "Country", "Yemen", latitude=15.5, longitude=47.5,
                              geonames_id="69543", wikidata_id="Q805"),
        "actor:civilians": Entity("actor:civilians", "actor", "Civilians", "civilians"),
        "actor:houthi health ministry": Entity("actor:houthi health ministry", "actor", "Government",
                                               "the Houthi-run health ministry"),
        "actor:saudi led coalition": Entity("actor:saudi led coalition", "actor", "StateForce",
                                            "Saudi-led coalition", wikidata_id="Q19720165"),
        "actor:gulf wire": Entity("actor:gulf wire", "actor", "MediaOutlet", "Gulf Wire"),
        "actor:houthis": Entity("actor:houthis", "actor", "ArmedGroup", "Houthis", wikidata_id="Q1069286"),
    }
    keys = {"m0": "place:aden", "m1": "place:hodeidah", "m2": "actor:civilians",
            "m3": "actor:houthi health ministry", "m4": "actor:saudi led coalition", "m5": "place:hodeidah",
            "m6": "actor:gulf wire", "m7": "actor:houthis"}
    return Resolved(extraction, keys, entities)
