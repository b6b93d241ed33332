"""Publish the ontology: HTML documentation (pyLODE), the JSON-LD @context, the codebook table.

Everything here is derived from ``ontology/newsgraph.ttl``: the HTML page,
the ``ontology/context.jsonld`` file (a test checks the file still matches
:func:`jsonld_context`) and the ACLED/PLOVER/CAMEO mapping table in the README
(:func:`mapping_table`).
"""

from __future__ import annotations

import json
import logging
from html import escape
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from ontology.errors import DiskFullError, ExportError, UsageError
from ontology.namespace import NG, ontology_graph

CONTEXT_JSONLD = Path(__file__).resolve().parent / "context.jsonld"

#: prefixes published in the JSON-LD context
CONTEXT_PREFIXES: dict[str, str] = {
    "ng": str(NG),
    "id": "https://w3id.org/newsgraph/id/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "xsd": str(XSD),
    "rdfs": str(RDFS),
}

#: terms from other vocabularies the graph uses, with their JSON-LD definitions
_EXTERNAL_TERMS: dict[str, Any] = {
    "label": {"@id": "rdfs:label"},
    "prefLabel": {"@id": "skos:prefLabel"},
    "altLabel": {"@id": "skos:altLabel"},
    "lat": {"@id": "geo:lat", "@type": "xsd:decimal"},
    "long": {"@id": "geo:long", "@type": "xsd:decimal"},
}


class OntologyFormat(str, Enum):
    """Serialisations ``newsgraph ontology print`` can write."""

    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"


def serialize(fmt: OntologyFormat | str = OntologyFormat.ttl) -> str:
    """The ontology as Turtle (the file itself, comments kept), JSON-LD (with the published context) or N-Triples.

    >>> serialize("nt").count(" .\\n") == len(ontology_graph())
    True
    """
    try:
        fmt = OntologyFormat(fmt)
    except ValueError as err:
        valid = ", ".join(f.value for f in OntologyFormat)
        raise UsageError(f"unknown ontology format {fmt!r}; expected one of {valid}") from err
    if fmt is OntologyFormat.ttl:
        return (Path(__file__).resolve().parent / "newsgraph.ttl").read_text(encoding="utf-8")
    if fmt is OntologyFormat.nt:
        lines = ontology_graph().serialize(format="nt").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
    context = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    return ontology_graph().serialize(format="json-ld", context=context, indent=2)


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD ``@context`` for newsgraph data, generated from the ontology.

    Classes map to their IRIs; object properties are typed ``@id``; datatype
    properties carry their range (plain strings stay untyped, as RDF 1.1 reads them).

    >>> jsonld_context()["@context"]["startOffset"]
    {'@id': 'ng:startOffset', '@type': 'xsd:integer'}
    >>> jsonld_context()["@context"]["location"]
    {'@id': 'ng:location', '@type': '@id'}
    """
    graph = ontology_graph()
    context: dict[str, Any] = {"@version": 1.1, **CONTEXT_PREFIXES}
    for term in _local_terms(graph, OWL.Class):
        context[term] = f"ng:{term}"
    for term in _local_terms(graph, OWL.ObjectProperty):
        context[term] = {"@id": f"ng:{term}", "@type": "@id"}
    for term in _local_terms(graph, OWL.DatatypeProperty):
        definition: dict[str, str] = {"@id": f"ng:{term}"}
        datatype = graph.value(NG[term], RDFS.range)
        if datatype is not None and datatype != XSD.string:
            definition["@type"] = "xsd:" + str(datatype)[len(str(XSD)):]
        context[term] = definition
    context.update(_EXTERNAL_TERMS)
    return {"@context": context}


def _local_terms(graph: Graph, kind: URIRef) -> list[str]:
    namespace = str(NG)
    return sorted(str(s)[len(namespace):] for s in graph.subjects(RDF.type, kind)
                  if isinstance(s, URIRef) and str(s).startswith(namespace))


def write_context(path: Path = CONTEXT_JSONLD) -> Path:
    """Regenerate ``ontology/context.jsonld`` after the ontology changed."""
    path.write_text(json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def mapping_table() -> str:
    """The event classes with their ACLED, PLOVER and CAMEO equivalents, as a Markdown table.

    >>> "| ng:AirStrike | Air strike |" in mapping_table()
    True
    """
    graph = ontology_graph()
    rows = ["| class | label | parent | ACLED event type | ACLED sub-event type | PLOVER | CAMEO |",
            "|---|---|---|---|---|---|---|"]
    events = {c for c in graph.transitive_subjects(RDFS.subClassOf, NG.Event) if isinstance(c, URIRef)}
    for cls in sorted(events, key=lambda c: (_depth(graph, c), str(c))):
        parent = next((p for p in graph.objects(cls, RDFS.subClassOf) if str(p).startswith(str(NG))), None)
        cells = [_short(cls), str(graph.value(cls, RDFS.label) or ""), _short(parent) if parent else "sem:Event"]
        cells += [str(graph.value(cls, prop) or "—") for prop in
                  (NG.acledEventType, NG.acledSubEventType, NG.ploverEventType, NG.cameoCode)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _depth(graph: Graph, cls: URIRef) -> int:
    return len(list(graph.transitive_objects(cls, RDFS.subClassOf)))


def _short(term: URIRef | None) -> str:
    return f"ng:{str(term)[len(str(NG)):]}" if term is not None else ""


def render_html() -> str:
    """The ontology's HTML documentation, made by pyLODE (offline: no network is used)."""
    with _root_logging_untouched():
        import pylode

        try:
            page = pylode.OntPub(ontology=str(Path(__file__).resolve().parent / "newsgraph.ttl")).make_html()
        except Exception as err:  # pyLODE raises bare Exceptions for ontologies it cannot document
            raise ExportError(f"pyLODE could not document ontology/newsgraph.ttl: {err}") from err
    return _with_codebook_section(page)


_CLASSES_SECTION = '<div class="section" id="classes">'


def _with_codebook_section(page: str) -> str:
    """Add the ACLED/PLOVER/CAMEO table (pyLODE does not show custom annotations) before the classes."""
    section = f'<div class="section" id="codebooks">\n<h2>Event codebook mappings</h2>\n{mapping_table_html()}\n</div>\n'
    if _CLASSES_SECTION in page:
        page = page.replace(_CLASSES_SECTION, section + _CLASSES_SECTION, 1)
    else:  # another pyLODE layout: still publish the table
        page = page.replace("</body>", section + "</body>", 1)
    toc_entry = '<li><h4><a href="#codebooks">Event codebook mappings</a></h4></li>\n'
    return page.replace('<ul class="first">', '<ul class="first">\n' + toc_entry, 1)


def mapping_table_html() -> str:
    """:func:`mapping_table` as an HTML table.

    >>> "<td>ng:BarrelBombing</td>" in mapping_table_html()
    True
    """
    rows = [line.strip("|").split(" | ") for line in mapping_table().splitlines()]
    head, body = rows[0], rows[2:]
    cells = ["<tr>" + "".join(f"<th>{escape(c.strip())}</th>" for c in head) + "</tr>"]
    cells += ["<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in row) + "</tr>" for row in body]
    return "<table>\n" + "\n".join(cells) + "\n</table>"


def write_html(output: str | Path) -> Path:
    """Write the HTML documentation to ``output`` (parent folders are created)."""
    path = Path(output)
    html = render_html()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as err:
        raise DiskFullError(f"cannot write the ontology documentation to {path}: {err.strerror}; "
                            "expected a writable file path") from err
    return path


@contextmanager
def _root_logging_untouched() -> Iterator[None]:
    """Run pyLODE without letting it reconfigure logging.

    pyLODE 3.3's loader calls ``logging.basicConfig(level=DEBUG)`` when imported,
    and logs at INFO while rendering; keep the root logger as it was.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    guard = logging.NullHandler()  # with a handler present, basicConfig() does nothing
    root.addHandler(guard)
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
