"""Issue 8: the indexed attribute ruler gives every token exactly what the model's attribute_ruler gave.

The reference is spaCy's own ``AttributeRuler`` (a token Matcher), run with the
real model over our example articles, the bench corpus and the seed articles
(read where they live, never copied), and with rules written here for what the
model's rules use: rule order, several tokens, a negative index, IN, NOT_IN,
REGEX and IS_SPACE conditions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from builder.attribute_rules import IndexedAttributeRuler, UnsupportedRule, compile_rules
from builder.nlp import MODEL, index_attribute_ruler, load_nlp
from builder.quarantine import Quarantine
from builder.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
#: words the model's multi-token and word-keyed rules are about, in sentences of our own
EXCEPTIONS = ("They ain't gonna wait, and we wanna leave. I'm sure you'd've gone.\n\n  It's theirs, not ours; "
              "she doesn't, he won't, y'all can't. Let's go 'cause it's late.")


def _texts() -> list[str]:
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    paths = [str(ROOT / "examples")] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    texts = [a.text for a in iter_articles(paths, quarantine=Quarantine())]
    return [*texts, *(a.text for a in corpus.generate(150, seed=5)), EXCEPTIONS]


def _annotations(nlp: spacy.Language, texts: list[str]) -> list[list[tuple[str, ...]]]:
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc] for doc in nlp.pipe(texts)]


def test_the_indexed_ruler_gives_the_models_annotations_on_real_articles() -> None:
    model = spacy.load(MODEL)
    indexed = spacy.load(MODEL)
    assert index_attribute_ruler(indexed)
    assert isinstance(indexed.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert indexed.pipe_names == model.pipe_names
    texts = _texts()
    expected, got = _annotations(model, texts), _annotations(indexed, texts)
    assert sum(map(len, expected)) > 35_000  # the corpus is big enough to meet the tag map and the exceptions
    for text, want, have in zip(texts, expected, got, strict=True):
        assert have == want, (text[:80], next((w, h) for w, h in zip(want, have, strict=True) if w != h))


def test_the_build_runs_the_indexed_ruler() -> None:
    assert isinstance(load_nlp().get_pipe("attribute_ruler"), IndexedAttributeRuler)


RULES = [
    # rule order: the later rule wins on the token both match
    ([[{"LOWER": "strike"}]], {"LEMMA": "first", "POS": "NOUN"}, 0),
    ([[{"LOWER": {"IN": ["strike", "strikes"]}}]], {"LEMMA": "second"}, 0),
    # two tokens, the second one set (a negative index counts from the end)
    ([[{"LOWER": "air"}, {"LOWER": {"REGEX": "^strikes?$"}}]], {"POS": "PROPN", "MORPH": "Number=Plur"}, -1),
    ([[{"LOWER": "drone"}, {"LOWER": "strike"}]], {"LEMMA": "drone"}, 0),
    ([[{"LOWER": {"NOT_IN": ["the", "a", "strike"]}, "IS_SPACE": False}]], {"MORPH": "Foreign=Yes"}, 0),
    ([[{"IS_SPACE": True}]], {"POS": "SPACE", "MORPH": "_"}, 0),
]


@pytest.mark.parametrize("text", ["the air strike and a drone strike", "Air strikes\n\nstrike strike", "", "strike"])
def test_the_indexed_ruler_applies_rules_as_spacy_does(text: str) -> None:
    def pipeline(indexed: bool) -> spacy.Language:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        for patterns, attrs, index in RULES:
            ruler.add(patterns, attrs, index=index)
        if indexed:
            assert index_attribute_ruler(nlp)
        return nlp

    def annotations(nlp: spacy.Language) -> list[tuple[str, ...]]:
        return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in nlp(text)]

    assert annotations(pipeline(indexed=True)) == annotations(pipeline(indexed=False))
    if "air strike" in text:  # the rules did something: the test compares more than untouched tokens
        assert ("strike", "PROPN", "Number=Plur", "second") in annotations(pipeline(indexed=True))


def test_a_rule_it_cannot_apply_keeps_spacys_ruler() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "strike"}]], {"LEMMA": "strike"})
    ruler.add([[{"ORTH": "Strike", "LENGTH": 6}]], {"LEMMA": "strike"})
    with pytest.raises(UnsupportedRule, match=r"rule 1 .*a condition on ORTH \(expected one of TAG, LOWER, DEP, IS_SPACE\)"):
        compile_rules(ruler)
    assert not index_attribute_ruler(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)
    assert nlp("Strike")[0].lemma_ == "strike"
