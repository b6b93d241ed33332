"""Shared state while one article is extracted: offsets, sentences, mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def __post_init__(self) -> None:
        self.sentences = list(self.doc.sents)
        self.sent_of_token = [0] * len(self.doc)
        for i, sent in enumerate(self.sentences):
            for t in range(sent.start, sent.end):
                self.sent_of_token[t] = i

    def span(self, start_char: int, end_char: int) -> Span:
        """Evidence for the characters [start_char, end_char) of the article."""
        tok = self.doc.char_span(start_char, end_char, alignment_mode="expand")
        index = self.sent_of_token[tok.start] if tok is not None and len(tok) else 0
        sent = self.sentences[index] if self.sentences else None
        return Span(start_char, end_char, self.article.text[start_char:end_char], index,
                    sent.text if sent is not None else "")

    def token_span(self, tokens: SpacySpan) -> Span:
        return self.span(tokens.start_char, tokens.end_char)

    def sentence_span(self, index: int) -> Span:
        sent = self.sentences[index]
        return Span(sent.start_char, sent.end_char, sent.text, index, sent.text)

    def add(self, kind: EntityKind, cls: str, tokens: SpacySpan, *, name: str | None = None,
            role: str | None = None, antecedent: str | None = None, nested: bool = False) -> EntityMention:
        """Add a mention for ``tokens`` (unless one already covers them) and return it.

        A ``nested`` mention ("Russian" inside "Russian-backed Syrian forces") does not
        claim its tokens, so the enclosing phrase can still be a mention of its own.
        """
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
