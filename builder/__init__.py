"""The write side of newsgraph: articles in, RDF named graphs out.

read -> normalise -> annotate (spaCy) -> extract -> resolve -> assemble -> store.
Each stage is a module; records between them live in :mod:`builder.records`.
"""
