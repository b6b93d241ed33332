"""Validate a newsgraph dataset: SHACL shapes (pySHACL) and, optionally, OWL consistency (HermiT).

The shapes run over the *union* of all named graphs, because one node's facts
are spread over graphs on purpose (an entity's type and preferred label live
in the entities graph, its mentions in article graphs). The ontology is mixed
in as pySHACL's ``ont_graph`` so ``sh:class ng:Event`` accepts an
``ng:AirStrike``; no RDFS/OWL-RL expansion is run (it would multiply the data
and the time, and the reasoner checks the rest).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ontology.namespace import NG, ontology_graph, shapes_graph

_MAX_LITERAL = 80  # longer values (article texts, sentences) are cut in reports
_PREFIXES = {
    str(NG): "ng:",
    "https://w3id.org/newsgraph/id/": "id:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


@dataclass(frozen=True)
class ValidationResult:
    """One problem: the node it is about, the property (if any), and what was expected."""

    focus: Node | None
    path: Node | None
    message: str
    severity: str = "Violation"  # Violation | Warning | Info
    value: Node | None = None
    shape: Node | None = None
    source: str = "shacl"  # shacl | reasoner

    def line(self) -> str:
        """The result as one readable line.

        >>> ValidationResult(URIRef("https://w3id.org/newsgraph/id/claim/a-1-0"), NG.stance,
        ...                  "stance must be one of ...", value=Literal("maybe")).line()
        'Violation  id:claim/a-1-0  ng:stance = "maybe": stance must be one of ...'
        """
        where = short(self.focus) if self.focus is not None else "(graph)"
        prop = f"  {short(self.path)}" if self.path is not None else ""
        value = f" = {short(self.value)}" if self.value is not None and self.value != self.focus else ""
        return f"{self.severity:<9}  {where}{prop}{value}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` is False when there is any violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    triples: int
    shacl_seconds: float
    reasoner_seconds: float | None = None
    checks: tuple[str, ...] = field(default=("shacl",))

    @property
    def violations(self) -> list[ValidationResult]:
        """The results that break conformance."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        """The results reported but not failing (warnings and infos)."""
        return [r for r in self.results if r.severity != "Violation"]

    def summary(self) -> str:
        """One line: the verdict, the counts and what was checked."""
        verdict = "valid" if self.conforms else "INVALID"
        timing = f"SHACL {self.shacl_seconds:.1f} s"
        if self.reasoner_seconds is not None:
            timing += f", reasoner {self.reasoner_seconds:.1f} s"
        return (f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
                f"in {self.triples} triples ({' + '.join(self.checks)}; {timing})")

    def text(self, *, limit: int = 100) -> str:
        """A readable report: the summary, then one line per result (at most ``limit``)."""
        ordered = sorted(self.results, key=lambda r: (r.severity != "Violation", r.line()))
        lines = [self.summary(), *(r.line() for r in ordered[:limit])]
        if len(ordered) > limit:
            lines.append(f"... and {len(ordered) - limit} more")
        return "\n".join(lines)


def short(term: Node | None) -> str:
    """A compact, readable form of an RDF term for reports.

    >>> short(NG.Claim)
    'ng:Claim'
    >>> short(Literal(5))
    '5'
    >>> short(Literal("Idlib", lang="en"))
    '"Idlib"@en'
    >>> short(Literal("x" * 100))[-3:]
    'x…"'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for namespace, prefix in _PREFIXES.items():
            if text.startswith(namespace):
                return prefix + text[len(namespace):]
        return f"<{text}>"
    if isinstance(term, Literal):
        if term.datatype is not None and _is_number(term):
            return str(term)
        text = str(term) if len(term) <= _MAX_LITERAL else str(term)[:_MAX_LITERAL] + "…"
        return f'"{text}"' + (f"@{term.language}" if term.language else
                              f"^^{short(term.datatype)}" if term.datatype is not None else "")
    return term.n3()


def _is_number(term: Literal) -> bool:
    return str(term.datatype).rsplit("#", 1)[-1] in {"integer", "decimal", "double", "float", "int", "long"}


def validate(dataset: Graph, *, reason: bool = False) -> ValidationReport:
    """Check ``dataset`` (an rdflib Dataset or Graph) against the SHACL shapes.

    With ``reason=True`` also check that it is consistent with the ontology
    (HermiT, Java 17); an inconsistency becomes a violation naming the node.
    """
    import pyshacl

    from ontology.reasoning import union_of

    union = union_of(dataset)
    triples = len(union)
    checks = ["shacl"]
    reasoner_results: list[ValidationResult] = []
    reasoner_seconds = None
    if reason:  # first: SHACL below mixes the ontology into the union
        checks.append("owl consistency")
        started = time.perf_counter()
        reasoner_results = consistency_results(union)
        reasoner_seconds = time.perf_counter() - started
    started = time.perf_counter()
    conforms, report_graph, _ = pyshacl.validate(
        union, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        allow_warnings=True, allow_infos=True, advanced=False, abort_on_first=False,
        inplace=union is not dataset,  # mix the ontology into our own copy, never into the caller's graph
    )
    shacl_seconds = time.perf_counter() - started
    results = [*_results(report_graph), *reasoner_results]
    violations = any(r.severity == "Violation" for r in results)
    return ValidationReport(
        conforms=bool(conforms) and not violations, results=tuple(results), triples=triples,
        shacl_seconds=shacl_seconds, reasoner_seconds=reasoner_seconds, checks=tuple(checks),
    )


def consistency_results(union: Graph) -> list[ValidationResult]:
    """Run HermiT on ``union``; an inconsistency becomes one result per offending node."""
    from ontology.errors import ValidationError
    from ontology.reasoning import explain_inconsistency, reason

    try:
        reason(union)
    except ValidationError as err:
        culprits = explain_inconsistency(union)
        if not culprits:
            return [ValidationResult(None, None, str(err), source="reasoner")]
        return [ValidationResult(node, None, why, source="reasoner")
                for node, why in culprits]
    return []


def _results(report: Graph) -> list[ValidationResult]:
    """Turn pySHACL's results graph into :class:`ValidationResult` records."""
    out = []
    nested = set(report.objects(None, SH.detail))  # sh:node details repeat their parent result
    for result in report.subjects(SH.resultSeverity, None):
        if result in nested:
            continue
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        out.append(ValidationResult(
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            message="; ".join(messages) or "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=report.value(result, SH.value),
            shape=report.value(result, SH.sourceShape),
        ))
    return out
