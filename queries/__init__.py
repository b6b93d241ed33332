"""The read side of newsgraph: named SPARQL queries, projections, exports and serving."""
