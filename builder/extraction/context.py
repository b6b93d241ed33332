"""Shared state while one article is extracted: offsets, sentences, mentions."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Protocol

from spacy.tokens import Doc, Span as SpacySpan, Token

from builder.records import ArticleInput, EntityKind, EntityMention, Span


@dataclass
class Context:
    """One article being extracted: the parsed doc and the mentions found so far."""

    doc: Doc
    article: ArticleInput
    mentions: list[EntityMention] = field(default_factory=list)
    by_token: dict[int, str] = field(default_factory=dict)  # token index -> mention id
    sentences: list[SpacySpan] = field(default_factory=list)
    sent_of_token: list[int] = field(default_factory=list)
    sent_bounds: list[tuple[int, int]] = field(default_factory=list)  # character offsets of each sentence
    sent_starts: list[int] = field(default_factory=list)
    lowers: list[str] = field(default_factory=list)  # token.lower_, read once
    lemmas: list[str] = field(default_factory=list)  # token.lemma_ lower-cased, read once
    incidental: set[str] = field(default_factory=set)  # place mention ids that only describe a person or own an organisation
    containers: set[str] = field(default_factory=set)  # place mention ids a typed place is said to lie in
    generic: set[str] = field(default_factory=set)  # actor mention ids naming no one, with no antecedent

    def __post_init__(self) -> None:
        from spacy.attrs import LEMMA, LOWER, SENT_START

        arrays = self.doc.to_array([SENT_START, LOWER, LEMMA]).tolist() if len(self.doc) else []
        # no sentence starts with a comma or semicolon: the parser can split "... killed 25 people on Saturday"
        # from ", the Sudan Doctors Network said", which would leave the toll without its source
        starts = [i for i, row in enumerate(arrays)
                  if i == 0 or (row[0] == 1 and self.doc[i].text not in (",", ";"))]
        bounds = list(zip(starts, [*starts[1:], len(self.doc)]))
        self.sentences = [self.doc[a:b] for a, b in bounds if b > a]
        self.sent_of_token = [0] * len(self.doc)
        for i, sent in enumerate(self.sentences):
            for t in range(sent.start, sent.end):
                self.sent_of_token[t] = i
        self.sent_bounds = [(s.start_char, s.end_char) for s in self.sentences]
        self.sent_starts = [b[0] for b in self.sent_bounds]
        strings = self.doc.vocab.strings
        self.lowers = [strings[row[1]] for row in arrays]
        self.lemmas = [strings[row[2]].lower() for row in arrays]

    def sentence_text(self, index: int) -> str:
        start, end = self.sent_bounds[index]
        return self.article.text[start:end]

    def span(self, start_char: int, end_char: int) -> Span:
        """Evidence for the characters [start_char, end_char) of the article."""
        index = max(0, bisect_right(self.sent_starts, start_char) - 1)
        sentence = self.sentence_text(index) if self.sentences else ""
        return Span(start_char, end_char, self.article.text[start_char:end_char], index, sentence)

    def token_span(self, tokens: SpacySpan) -> Span:
        return self.span(tokens.start_char, tokens.end_char)

    def sentence_span(self, index: int) -> Span:
        start, end = self.sent_bounds[index]
        text = self.article.text[start:end]
        return Span(start, end, text, index, text)

    def add(self, kind: EntityKind, cls: str, tokens: SpacySpan, *, name: str | None = None,
            role: str | None = None, antecedent: str | None = None, nested: bool = False) -> EntityMention:
        """Add a mention for ``tokens`` (unless one already covers them) and return it.

        A ``nested`` mention ("Russian" inside "Russian-backed Syrian forces") does not
        claim its tokens, so the enclosing phrase can still be a mention of its own.
        Whitespace and punctuation at either end are trimmed ("National\n\n" -> "National").
        """
        start, end = tokens.start, tokens.end
        while end > start + 1 and (self.doc[end - 1].is_space or self.doc[end - 1].text in ",;:"):
            end -= 1
        while start < end - 1 and (self.doc[start].is_space or self.doc[start].text in ",;:"):
            start += 1
        tokens = self.doc[start:end]
        for t in range(tokens.start, tokens.end):
            if t in self.by_token and not nested:
                return self.mention(self.by_token[t])
        mention = EntityMention(f"m{len(self.mentions)}", kind, cls, tokens.text, self.token_span(tokens),
                                name=name, role=role, antecedent=antecedent)
        self.mentions.append(mention)
        if not nested:
            for t in range(tokens.start, tokens.end):
                self.by_token[t] = mention.id
        return mention

    def synthetic(self, kind: EntityKind, cls: str, name: str) -> EntityMention:
        """A mention for something the text never names (the publisher from metadata)."""
        mention = EntityMention(f"m{len(self.mentions)}", kind, cls, "", Span(0, 0, "", -1, ""), name=name)
        self.mentions.append(mention)
        return mention

    def mention(self, mention_id: str) -> EntityMention:
        return self.mentions[int(mention_id[1:])]

    def mention_at(self, token: Token) -> EntityMention | None:
        mid = self.by_token.get(token.i)
        return self.mention(mid) if mid is not None else None

    def mentions_in(self, start: int, end: int) -> list[EntityMention]:
        """Mentions whose tokens lie in the token range [start, end), in text order."""
        seen: list[str] = []
        for t in range(start, end):
            mid = self.by_token.get(t)
            if mid is not None and mid not in seen:
                seen.append(mid)
        return [self.mention(m) for m in seen]

    def sentence_mentions(self, index: int) -> list[EntityMention]:
        sent = self.sentences[index]
        return self.mentions_in(sent.start, sent.end)


class HasMentions(Protocol):
    """What holds an article's mentions by id: a :class:`Context` while extracting, an ``Extraction`` after."""

    def mention(self, mention_id: str) -> EntityMention: ...


def referent(mentions: HasMentions, mention_id: str) -> EntityMention:
    """The mention, or the one it refers back to ("the town" -> "Saraqeb")."""
    m = mentions.mention(mention_id)
    return mentions.mention(m.antecedent) if m.antecedent else m


def referent_name(mentions: HasMentions, mention_id: str) -> str:
    """The lower-cased name of what a mention stands for, to tell two mentions' places or sources apart."""
    m = referent(mentions, mention_id)
    return (m.name or m.surface).lower()
