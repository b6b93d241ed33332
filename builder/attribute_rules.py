"""The model's ``attribute_ruler`` applied through dictionaries instead of spaCy's Matcher: the same annotations, faster.

``en_core_web_sm``'s attribute ruler holds 179 rules: its tag map (``TAG`` →
``POS`` and ``MORPH``) and exceptions keyed on a word (``LOWER``), some with a
dependency label or a second token. spaCy runs them through a token Matcher and
sets each match's attributes one token at a time, which costs 15 % of the parse
(1.40 s of 8.7 s over 300 bench articles, 71k tokens). Here the rules are
indexed by the tag or word of their first token, every token is checked only
against the rules its tag or word can match (and the few keyed on neither), and
``POS``, ``MORPH`` and ``LEMMA`` go into the Doc in one ``Doc.from_array``:
0.36 s for the same tokens, and the same annotations on every one of them
(``tests/builder/test_attribute_rules.py``).

The semantics are the ruler's: every rule is matched against the Doc as the
parser left it, then the matches are applied in rule order (a later rule wins),
each on the token its ``index`` names. A rule this module cannot read (a
condition other than equality, ``IN``, ``NOT_IN`` or ``REGEX`` on ``TAG``,
``LOWER``, ``DEP`` or ``IS_SPACE``) raises :class:`UnsupportedRule`, and
``builder.nlp`` keeps spaCy's own ruler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.tokens import Doc

from ontology.errors import NewsgraphError

#: the token attributes a condition may test, and their column in the array read from the Doc
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_READ = [TAG, LOWER, DEP, IS_SPACE]
#: the attributes written through ``Doc.from_array`` (any other goes through spaCy's own setter)
_WRITTEN = [POS, MORPH, LEMMA]


class UnsupportedRule(NewsgraphError):
    """An attribute-ruler rule this module cannot apply exactly (the model's ruler is kept instead)."""


@dataclass(frozen=True)
class Rule:
    """One Matcher pattern of the ruler: conditions per token, the token it sets, what it sets."""

    order: int  # the rule's position in the ruler: a later rule wins
    tokens: tuple[tuple[tuple[int, str, Any], ...], ...]  # per token: (column, "eq" | "in" | "not_in" | "regex", value)
    index: int  # the token of the match that gets the attributes (negative: from the end)
    written: tuple[int | None, int | None, int | None]  # POS, MORPH key, LEMMA hash (None: not set)
    other: dict[int, Any]  # any other attribute, set with spaCy's set_token_attrs


def _condition(key: str, value: Any, strings: Any, where: str) -> tuple[int, str, Any]:
    """One token condition of a rule, with its values as the hashes the Doc array holds."""
    if key not in _COLUMNS:
        raise UnsupportedRule(f"{where}: a condition on {key} (expected one of {', '.join(_COLUMNS)})")
    column = _COLUMNS[key]
    if isinstance(value, bool):
        return column, "eq", int(value)
    if isinstance(value, str):
        return column, "eq", strings.add(value)
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            return column, op.lower(), frozenset(strings.add(v) for v in arg)
        if op == "REGEX" and isinstance(arg, str):
            return column, "regex", re.compile(arg)
    raise UnsupportedRule(f"{where}: the condition {key}={value!r} (expected a string, a bool, IN, NOT_IN or REGEX)")


def compile_rules(ruler: Any) -> list[Rule]:
    """The rules of a spaCy ``AttributeRuler`` (its patterns and normalised attributes), in ruler order."""
    vocab = ruler.vocab
    strings, morphology = vocab.strings, vocab.morphology
    rules: list[Rule] = []
    for order, (entry, attrs) in enumerate(zip(ruler.patterns, ruler.attrs, strict=True)):
        written: list[int | None] = [None, None, None]
        other: dict[int, Any] = {}
        for attr, value in attrs.items():
            if attr == POS:
                written[0] = value
            elif attr == MORPH:  # the key spaCy's Token.set_morph would store for this analysis
                written[1] = morphology.add(strings[value]) if value else 0
            elif attr == LEMMA:
                written[2] = value
            else:
                other[attr] = value
        for pattern in entry["patterns"]:
            where = f"attribute_ruler rule {order} {pattern!r}"
            if not pattern or not all(isinstance(token, dict) and token for token in pattern):
                raise UnsupportedRule(f"{where}: expected a list of non-empty token conditions")
            tokens = tuple(tuple(_condition(key, value, strings, where) for key, value in token.items())
                           for token in pattern)
            rules.append(Rule(order, tokens, int(entry.get("index", 0)), (written[0], written[1], written[2]), other))
    return rules


def _holds(conditions: tuple[tuple[int, str, Any], ...], row: list[int], strings: Any) -> bool:
    for column, op, arg in conditions:
        value = row[column]
        if op == "eq":
            if value != arg:
                return False
        elif op == "in":
            if value not in arg:
                return False
        elif op == "not_in":
            if value in arg:
                return False
        elif not arg.search(strings[value]):
            return False
    return True


class IndexedAttributeRuler:
    """The ``attribute_ruler`` pipe: :func:`compile_rules`' rules, indexed by the tag or word they start with."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.by_tag: dict[int, list[Rule]] = {}
        self.by_lower: dict[int, list[Rule]] = {}
        self.unkeyed: list[Rule] = []

    def set_rules(self, rules: list[Rule]) -> None:
        """Index ``rules`` (replacing any set before) by the tag, else the word, their first token must have."""
        self.by_tag, self.by_lower, self.unkeyed = {}, {}, []
        for rule in rules:
            equal = {column: arg for column, op, arg in rule.tokens[0] if op == "eq"}
            if _COLUMNS["TAG"] in equal:
                self.by_tag.setdefault(equal[_COLUMNS["TAG"]], []).append(rule)
            elif _COLUMNS["LOWER"] in equal:
                self.by_lower.setdefault(equal[_COLUMNS["LOWER"]], []).append(rule)
            else:
                self.unkeyed.append(rule)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        strings = self.vocab.strings
        rows = doc.to_array(_READ).tolist()
        matches: list[tuple[int, int, int, Rule]] = []
        for i, row in enumerate(rows):
            for group in (self.by_tag.get(row[0]), self.by_lower.get(row[1]), self.unkeyed):
                for rule in group or ():
                    width = len(rule.tokens)
                    if i + width <= n and all(_holds(c, rows[i + k], strings) for k, c in enumerate(rule.tokens)):
                        matches.append((rule.order, i, i + width, rule))
        matches.sort(key=lambda m: m[:3])  # the ruler's order: a later rule overwrites an earlier one
        values = doc.to_array(_WRITTEN)
        others: list[tuple[int, dict[int, Any]]] = []
        for _, start, end, rule in matches:
            target = (start if rule.index >= 0 else end) + rule.index
            for column, value in enumerate(rule.written):
                if value is not None:
                    values[target, column] = value
            if rule.other:
                others.append((target, rule.other))
        doc.from_array(_WRITTEN, values)
        if others:
            from spacy.tokens._retokenize import set_token_attrs

            for target, attrs in others:
                set_token_attrs(doc[target], attrs)
        return doc


def make_indexed_attribute_ruler(nlp: Any, name: str) -> IndexedAttributeRuler:
    """Factory: an empty ruler; ``builder.nlp`` gives it the model ruler's rules (:meth:`IndexedAttributeRuler.set_rules`)."""
    return IndexedAttributeRuler(nlp.vocab)
