"""Issue 8: the fast components give exactly what the spaCy matchers they replace gave.

``ActorSpans`` finds its phrases directly; the reference here is the token
Matcher it used before (``reference_patterns()``, ``greedy="LONGEST"`` per label),
run over our example articles, the bench corpus, the seed articles (read where
they live, never copied) and random token sequences made of the lexicon's words.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from builder.extraction.components import ACTOR_SPANS, ActorSpans, GazetteerRuler, modifier_words, reference_patterns
from builder.extraction.lexicon import lexicon
from builder.quarantine import Quarantine
from builder.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


class ReferenceActorSpans:
    """``ActorSpans`` as it was before issue 8: a spaCy Matcher over the reference patterns."""

    def __init__(self, nlp) -> None:  # noqa: ANN001 - a spaCy Language
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in reference_patterns().items():
            self.matcher.add(label, patterns, greedy="LONGEST")

    def matches(self, doc: Doc) -> set[tuple[str, int, int]]:
        return {(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)}

    def spans(self, doc: Doc, component: ActorSpans) -> list[tuple[int, int, str]]:
        """The old Matcher's phrases through the component's own labelling (unchanged by issue 8)."""
        found = [(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)]
        return [(s.start, s.end, s.label_) for s in component.labelled(doc, found)]


def _texts() -> list[str]:
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    paths = [str(ROOT / "examples")] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    texts = [a.text for a in iter_articles(paths, quarantine=Quarantine())]
    return texts + [a.text for a in corpus.generate(60, seed=3)]


@pytest.fixture(scope="module")
def docs(nlp) -> list[Doc]:  # noqa: ANN001
    return list(nlp.pipe(_texts()))


@pytest.fixture(scope="module")
def reference(nlp) -> ReferenceActorSpans:  # noqa: ANN001
    return ReferenceActorSpans(nlp)


def _actor_spans(doc: Doc) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in doc.spans[ACTOR_SPANS]]


@pytest.mark.parametrize("part", ["matches", "spans"])
def test_actor_spans_equal_the_matcher_on_real_articles(nlp, docs, reference, part: str) -> None:  # noqa: ANN001
    component = nlp.get_pipe("newsgraph_actor_spans")
    assert isinstance(component, ActorSpans)
    assert len(docs) > 60 and sum(len(d.spans[ACTOR_SPANS]) for d in docs) > 500
    for doc in docs:
        if part == "matches":
            assert set(component.matches(doc)) == reference.matches(doc), doc.text[:80]
        else:
            assert _actor_spans(doc) == reference.spans(doc, component), doc.text[:80]


def _words() -> list[str]:
    lex = lexicon()
    heads = [w for ws in lex.actors["heads"].values() for p in ws for w in p.split()]
    demonyms = sorted(lex.demonyms)[:8] + ["russian", "Iran", "Houthi"]
    return sorted(set(heads) | set(modifier_words()) | set(demonyms) | set(lex.actors["relations"]["backedBy"])
                  | {"-", "two", "3", "dozens", "the", "said", "of", "held", ",", "Government", "Rebel", "FORCES"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_words()), min_size=1, max_size=14))
def test_actor_spans_equal_the_matcher_on_any_word_sequence(nlp, reference, words: list[str]) -> None:  # noqa: ANN001
    doc = Doc(nlp.vocab, words=words)
    component = nlp.get_pipe("newsgraph_actor_spans")
    assert set(component.matches(doc)) == reference.matches(doc)
    assert _actor_spans(component(doc)) == reference.spans(doc, component)


@pytest.mark.parametrize(("words", "expected"), [
    (["Russian", "-", "backed", "Syrian", "government", "forces"], [(0, 6, "StateForce")]),
    (["two", "residents", "said"], [(0, 2, "Group")]),
    (["rebel", "-", "held", "areas"], []),
    (["armed", "rebel", "groups"], [(0, 3, "ArmedGroup")]),
])
def test_actor_spans_prefixes(nlp, words: list[str], expected: list[tuple[int, int, str]]) -> None:  # noqa: ANN001
    doc = nlp.get_pipe("newsgraph_actor_spans")(Doc(nlp.vocab, words=words))
    assert _actor_spans(doc) == expected


# -- the gazetteer ruler -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_ruler(nlp):  # noqa: ANN001, ANN201 - spaCy's EntityRuler as the gazetteer used it before issue 8
    from spacy.pipeline import EntityRuler

    from builder.nlp import gazetteer_patterns, phrase_patterns

    ruler = EntityRuler(nlp, "reference_gazetteer", phrase_matcher_attr="LOWER", overwrite_ents=False)
    ruler.add_patterns(phrase_patterns(gazetteer_patterns(), nlp))
    return ruler


def test_gazetteer_ruler_keeps_the_token_patterns_the_plan_needs(nlp) -> None:  # noqa: ANN001
    ruler = nlp.get_pipe("newsgraph_gazetteer")
    assert isinstance(ruler, GazetteerRuler)
    assert len(ruler.matcher) > 50  # acronyms and Arabic names: the windows have work to do
    assert ruler._plan is not None  # every token pattern opens with a required word: windows, not the whole doc
    assert len(ruler._plan.matchers) > 50  # and a small Matcher per opening word


def test_gazetteer_ruler_equals_entity_ruler_on_real_articles(nlp, docs, reference_ruler) -> None:  # noqa: ANN001
    ruler = nlp.get_pipe("newsgraph_gazetteer")
    found = 0
    for parsed in docs:
        doc = nlp.make_doc(parsed.text)
        assert ruler._token_matches(doc) == list(ruler.matcher(doc)), doc.text[:80]  # same list, same order
        assert ruler.match(doc) == reference_ruler.match(doc), doc.text[:80]
        ours, theirs = ruler(nlp.make_doc(parsed.text)), reference_ruler(nlp.make_doc(parsed.text))
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in ours.ents] == \
            [(e.start, e.end, e.label_, e.ent_id_) for e in theirs.ents]
        found += len(ruler._token_matches(doc))
    assert found > 100


def _ruler_words(nlp) -> list[str]:  # noqa: ANN001
    words = {"the", "of", ",", "-", "said", "UN", "un", "Al", "al"}
    for patterns in nlp.get_pipe("newsgraph_gazetteer").token_patterns.values():
        for pattern in patterns:
            for spec in pattern:
                for key, value in spec.items():
                    values = value["IN"] if isinstance(value, dict) else [value]
                    if key != "OP":
                        words.update(v for v in values if isinstance(v, str))
                        words.update(v.title() for v in values if isinstance(v, str) and key == "LOWER")
    return sorted(words)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_gazetteer_token_windows_equal_the_whole_doc_on_any_word_sequence(nlp, data) -> None:  # noqa: ANN001
    words = data.draw(st.lists(st.sampled_from(_ruler_words(nlp)), min_size=1, max_size=30))
    ruler = nlp.get_pipe("newsgraph_gazetteer")
    doc = Doc(nlp.vocab, words=words)
    assert ruler._token_matches(doc) == list(ruler.matcher(doc))


@pytest.mark.parametrize(("text", "expected"), [
    ("Shelling hit Maarat al-Numan and Jisr al-Shughur, the UN said.", ["Maarat al-Numan", "Jisr al-Shughur", "UN"]),
])
def test_gazetteer_ruler_finds_token_pattern_names(nlp, text: str, expected: list[str]) -> None:  # noqa: ANN001
    doc = nlp.get_pipe("newsgraph_gazetteer")(nlp.make_doc(text))
    assert [e.text for e in doc.ents] == expected


# -- the small components' shortcuts ------------------------------------------------------------


@pytest.mark.parametrize("chars", [0, 1, 37, 600, 10**6])
def test_text_start_and_length_equal_doc_text(docs, chars: int) -> None:  # noqa: ANN001
    from builder.extraction.components import _text_length, _text_start

    for doc in docs[:20]:
        assert _text_start(doc, chars) == doc.text[:chars]
        assert _text_length(doc) == len(doc.text)


@pytest.mark.parametrize(("words", "label"), [
    (["news", "agency", "Sana", "said"], "ORG"),
    (["agency", "Sana", "said"], "ORG"),
    (["Sana", "said"], "PERSON"),
    (["the", "daily", "Sana"], "ORG"),
])
def test_entity_repair_relabels_names_after_media_heads(nlp, words: list[str], label: str) -> None:  # noqa: ANN001
    doc = Doc(nlp.vocab, words=words)
    start = words.index("Sana")
    doc.ents = [Span(doc, start, start + 1, label="PERSON")]
    doc = nlp.get_pipe("newsgraph_entity_repair")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Sana", label)]


@cache
def _blank():  # noqa: ANN202 - a tokenizer-only pipeline
    import spacy

    return spacy.blank("en")


_ALPHABET = ["a", "A", "b", "B", "c", "-", "al"]
_spec = st.builds(
    lambda attr, word, optional: {attr: word, **({"OP": "?"} if optional else {})},
    st.sampled_from(["ORTH", "LOWER"]), st.sampled_from(_ALPHABET), st.booleans())
_pattern = st.tuples(
    st.sampled_from(["GPE", "NORP", "ORG"]), st.sampled_from(["x", "y"]),
    st.builds(lambda attr, word, rest: [{attr: word}, *rest],
              st.sampled_from(["ORTH", "LOWER"]), st.sampled_from(_ALPHABET), st.lists(_spec, max_size=3)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_pattern, min_size=1, max_size=8), st.lists(st.sampled_from(_ALPHABET + ["z"]), max_size=25))
def test_gazetteer_token_windows_equal_the_whole_doc_for_any_patterns(patterns, words: list[str]) -> None:
    """Same anchors under several keys ("U.S." is a GPE and a NORP), optional tokens, stretches that
    meet: the windows and the small Matchers give the whole-doc Matcher's list, in its order."""
    blank = _blank()
    ruler = GazetteerRuler(blank, "gazetteer", phrase_matcher_attr="LOWER", overwrite_ents=False)
    ruler.add_patterns([{"label": label, "id": ent_id, "pattern": pattern} for label, ent_id, pattern in patterns])
    assert ruler._plan is not None
    doc = Doc(blank.vocab, words=words)
    assert ruler._token_matches(doc) == list(ruler.matcher(doc))
    assert ruler.match(doc) == sorted(set(list(ruler.matcher(doc))), key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
