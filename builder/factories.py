"""The ONE place newsgraph's spaCy components are registered.

Importing this module registers the factories (cheap: no model, no data is
loaded until a component is created). The classes live in
``builder/extraction/components.py``; the word lists in ``builder/data``.

| factory | requires | assigns |
|---|---|---|
| ``newsgraph_paragraphs`` (before the parser) | ``token.text`` | ``token.is_sent_start`` |
| ``newsgraph_gazetteer`` (before the ner) | ``token.orth``, ``token.lower`` | ``doc.ents`` (spaCy's EntityRuler, faster token patterns) |
| ``newsgraph_dateline`` | ``doc.ents`` | ``doc._.dateline``, ``doc._.dateline_agency``, ``doc._.dateline_end``, ``doc.ents`` |
| ``newsgraph_entity_repair`` | ``doc.ents``, ``token.lower`` | ``doc.ents`` |
| ``newsgraph_actor_spans`` | ``token.lower`` | ``doc.spans["ng_actors"]`` |
| ``newsgraph_attribute_ruler`` (as ``attribute_ruler``) | ``token.tag``, ``token.lower``, ``token.dep`` | ``token.pos``, ``token.morph``, ``token.lemma`` (the model ruler's rules, ``builder/attribute_rules.py``) |

The gazetteer's EntityRuler patterns (resolution room) go into
``newsgraph_gazetteer``, spaCy's ``EntityRuler`` with a faster token-pattern
search and the same entities (see ``builder/nlp.py``).
"""

from __future__ import annotations

from spacy.language import Language

from builder import attribute_rules
from builder.extraction import components

Language.factory(
    "newsgraph_paragraphs",
    assigns=["token.is_sent_start"],
    func=components.make_paragraph_breaks,
)
Language.factory(
    "newsgraph_gazetteer",
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False},
    func=components.make_gazetteer_ruler,
)
Language.factory(
    "newsgraph_dateline",
    requires=["doc.ents"],
    assigns=["doc._.dateline", "doc._.dateline_agency", "doc.ents"],
    func=components.make_dateline,
)
Language.factory(
    "newsgraph_entity_repair",
    requires=["doc.ents"],
    assigns=["doc.ents"],
    func=components.make_entity_repair,
)
Language.factory(
    "newsgraph_actor_spans",
    requires=["token.lower"],
    assigns=["doc.spans"],
    func=components.make_actor_spans,
)

Language.factory(
    "newsgraph_attribute_ruler",
    requires=["token.tag", "token.dep"],
    assigns=["token.pos", "token.morph", "token.lemma"],
    func=attribute_rules.make_indexed_attribute_ruler,
)

register_extensions = components.register_extensions
