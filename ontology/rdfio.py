"""RDF terms and files between rdflib and pyoxigraph, read safely.

rdflib is the term model the rest of newsgraph speaks; pyoxigraph is the engine
that stores and queries. This module converts terms both ways (plain strings are
``xsd:string`` in RDF 1.1 but have no datatype in rdflib, so they map to rdflib
literals without one), knows the file formats by suffix, and reads untrusted RDF
files without letting them reach the network or expand XML entities.

>>> to_rdflib(to_oxigraph(Literal("Idlib", lang="en"))) == Literal("Idlib", lang="en")
True
>>> to_rdflib(to_oxigraph(Literal("x"))) == Literal("x")
True
>>> rdf_format("out/graph.trig").name
'TriG'
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ontology.errors import InputError, UsageError

if TYPE_CHECKING:
    import pyoxigraph

Triple = tuple[Node, Node, Node]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: suffix → (pyoxigraph format name, holds named graphs)
FILE_FORMATS: dict[str, tuple[str, bool]] = {
    ".trig": ("TRIG", True),
    ".nq": ("N_QUADS", True),
    ".jsonld": ("JSON_LD", True),
    ".ttl": ("TURTLE", False),
    ".nt": ("N_TRIPLES", False),
    ".rdf": ("RDF_XML", False),
    ".owl": ("RDF_XML", False),
    ".xml": ("RDF_XML", False),
}
#: formats a graph can be written to (RDF/XML is read-only: ontologies, not graphs)
WRITABLE_SUFFIXES = (".trig", ".nq", ".jsonld", ".ttl", ".nt")

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SCAN_CHUNK = 1 << 20


def file_suffix(location: str) -> str:
    """The lower-case suffix newsgraph picks a format by.

    >>> file_suffix("out/Graph.TRIG")
    '.trig'
    """
    return Path(location).suffix.lower()


def rdf_format(location: str) -> pyoxigraph.RdfFormat:
    """The pyoxigraph format of a file, from its suffix; unknown suffixes fail listing the known ones."""
    import pyoxigraph

    suffix = file_suffix(location)
    if suffix not in FILE_FORMATS:
        raise UsageError(
            f"{location}: unknown RDF file suffix {suffix or '(none)'!r}; expected one of "
            f"{', '.join(FILE_FORMATS)}, a store directory or an http(s):// SPARQL endpoint"
        )
    return getattr(pyoxigraph.RdfFormat, FILE_FORMATS[suffix][0])


def holds_named_graphs(location: str) -> bool:
    """Whether the file format keeps named graphs (TriG, N-Quads, JSON-LD) or only their union."""
    return FILE_FORMATS.get(file_suffix(location), ("", False))[1]


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to pyoxigraph; invalid IRIs fail with what was received."""
    import pyoxigraph

    try:
        if isinstance(term, URIRef):
            return pyoxigraph.NamedNode(str(term))
        if isinstance(term, BNode):
            return pyoxigraph.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return pyoxigraph.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) != XSD_STRING:
                return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
            return pyoxigraph.Literal(str(term))
    except ValueError as err:
        raise InputError(f"not a valid RDF term: {term!r} ({err}); expected an absolute IRI, "
                         "a blank node or a literal", stage="store") from err
    raise InputError(f"not an RDF term: {term!r} ({type(term).__name__}); expected URIRef, BNode or Literal",
                     stage="store")


def to_oxigraph_quads(triples: Iterable[tuple[Node, Node, Node]], graph: Any) -> list[pyoxigraph.Quad]:
    """rdflib triples as pyoxigraph quads in ``graph`` (a pyoxigraph term); a bad term fails as in :func:`to_oxigraph`.

    The one conversion a store write needs, with the common terms (IRIs, plain and
    language-tagged literals) converted inline: validated by pyoxigraph all the same.

    >>> [str(q) for q in to_oxigraph_quads([(URIRef("http://a/s"), URIRef("http://a/p"), Literal("x"))], None)]
    ['<http://a/s> <http://a/p> "x"']
    """
    import pyoxigraph

    quad, named, literal = pyoxigraph.Quad, pyoxigraph.NamedNode, pyoxigraph.Literal
    # an article's IRIs repeat as the same objects (a mention is the subject of seven triples; ~40 predicate
    # and class constants; the article is the object of every mention): each is converted once per call
    # (pyoxigraph validates every IRI it makes)
    seen: dict[Node, Any] = {}
    out: list[pyoxigraph.Quad] = []
    for s, p, o in triples:
        try:
            subject = seen.get(s)
            if subject is None:
                subject = seen[s] = named(s) if type(s) is URIRef else to_oxigraph(s)
            predicate = seen.get(p)
            if predicate is None:
                predicate = seen[p] = named(p) if type(p) is URIRef else to_oxigraph(p)
            kind = type(o)
            if kind is URIRef:  # a class, the article, a place: as often an object as a subject
                obj = seen.get(o)
                if obj is None:
                    obj = seen[o] = named(o)
            elif kind is Literal:
                language, datatype = o.language, o.datatype
                if language:
                    obj = literal(o, language=language)
                else:  # an xsd:string datatype gives the plain literal, as RDF 1.1 says
                    obj = literal(o) if datatype is None else literal(o, datatype=named(datatype))
            else:
                obj = to_oxigraph(o)
            out.append(quad(subject, predicate, obj, graph))
        except (ValueError, TypeError) as err:
            for term in (s, p, o):
                to_oxigraph(term)  # raises InputError naming the bad term
            raise InputError(f"not a valid RDF triple: ({s!r}, {p!r}, {o!r}) ({err}); expected an IRI or blank "
                             "node as subject and an IRI as predicate", stage="store") from err
    return out


class PreparedTriples:
    """One graph's triples as N-Quads text, every term converted (and so validated) by pyoxigraph once.

    What the map step hands the writer: a process pool pickles one string per
    article instead of some 1,200 rdflib terms, which the parent spent 1 to 1.7 ms
    an article rebuilding (and validating again) before converting them once more;
    an Oxigraph store loads the text of a whole batch in one transaction, without
    a Python object per quad (``Store.apply``). Triples with blank nodes are kept
    as quads instead (``nquads`` is None): loading text renames blank nodes.

    It iterates as the rdflib triples, read back from the text when asked for (a
    SPARQL server's update, an article added again).

    >>> t = PreparedTriples([(URIRef("http://a/s"), URIRef("http://a/p"), Literal("x", lang="en"))], URIRef("http://a/g"))
    >>> t.nquads
    '<http://a/s> <http://a/p> "x"@en <http://a/g> .\\n'
    >>> list(t) == [(URIRef("http://a/s"), URIRef("http://a/p"), Literal("x", lang="en"))]
    True
    """

    __slots__ = ("graph", "nquads", "count", "_quads")

    def __init__(self, triples: Iterable[Triple], graph: URIRef) -> None:
        triples = triples if isinstance(triples, list) else list(triples)
        self.graph = graph
        self.count = len(triples)
        if any(type(s) is BNode or type(o) is BNode for s, _, o in triples):
            self._quads: list[pyoxigraph.Quad] | None = to_oxigraph_quads(triples, to_oxigraph(graph))
            self.nquads: str | None = None
        else:
            self._quads = None
            self.nquads = _nquads(triples, str(to_oxigraph(graph)))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Triple]:
        for quad in self.quads():
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))  # type: ignore[misc]

    def quads(self) -> list[pyoxigraph.Quad]:
        """The pyoxigraph quads in ``graph`` (read back from the text: for the rare writes that compare them)."""
        return self._quads if self._quads is not None else parse_nquads(self.nquads or "")


def parse_nquads(text: str) -> list[pyoxigraph.Quad]:
    """N-Quads that pyoxigraph wrote (every term valid already) back into quads."""
    import pyoxigraph

    return list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_QUADS, lenient=True))


def _nquads(triples: list[Triple], graph: str) -> str:
    """N-Quads lines in ``graph`` (given in N-Triples form); each distinct term converted by pyoxigraph once."""
    seen: dict[Node, str] = {}
    lines: list[str] = []
    for s, p, o in triples:
        subject, predicate, obj = seen.get(s), seen.get(p), seen.get(o)
        if subject is None:
            subject = seen[s] = str(to_oxigraph(s))
        if predicate is None:
            predicate = seen[p] = str(to_oxigraph(p))
        if obj is None:
            obj = seen[o] = str(to_oxigraph(o))
        if predicate[0] != "<" or subject[0] == '"':
            raise InputError(f"not a valid RDF triple: {(s, p, o)!r}; expected an IRI or blank node as subject and "
                             "an IRI as predicate", stage="store")
        lines.append(f"{subject} {predicate} {obj} {graph} .\n")
    return "".join(lines)


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to rdflib (``None`` for the default graph or an unbound value)."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return _iri(term.value)
    if kind == "Literal":
        language = term.language
        if language:
            return _literal(term.value, None, language)
        datatype = term.datatype.value
        return _literal(term.value, None if datatype == XSD_STRING else datatype, None)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "DefaultGraph":
        return None
    raise InputError(f"unsupported RDF term from the store: {term!r}; expected an IRI, "
                     "blank node or literal", stage="store")


@lru_cache(maxsize=1 << 16)
def _iri(value: str) -> URIRef:
    """rdflib checks every IRI it makes; the places, sources and classes of an answer repeat: cache them."""
    return URIRef(value)


@lru_cache(maxsize=1 << 16)
def _literal(value: str, datatype: str | None, language: str | None) -> Literal:
    """rdflib literals are costly to build (they parse their value) and repeat a lot: cache them."""
    if language:
        return Literal(value, lang=language)
    if datatype is None or datatype == XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def refuse_dangerous(path: str) -> None:
    """Refuse RDF/XML or OWL files that declare a DOCTYPE or entities (billion laughs), and
    JSON-LD files whose ``@context`` points at a remote document (no network at run time)."""
    suffix = file_suffix(path)
    if FILE_FORMATS.get(suffix, ("",))[0] == "RDF_XML":
        with open(path, "rb") as handle:
            tail = b""
            while chunk := handle.read(_SCAN_CHUNK):
                match = _DOCTYPE.search(tail + chunk)
                if match:
                    raise InputError(
                        f"XML declares <!{match.group(1).decode()}>; DOCTYPE and entity declarations are "
                        "refused (entity expansion attacks); expected plain RDF/XML", path=path)
                tail = chunk[-16:]
    elif suffix == ".jsonld":
        try:
            with open(path, "rb") as handle:
                document = json.load(handle)
        except (ValueError, UnicodeDecodeError) as err:
            raise InputError(f"not valid JSON ({err}); expected a JSON-LD document", path=path) from err
        remote = _remote_contexts(document)
        if remote:
            raise InputError(
                f"JSON-LD @context refers to remote document {remote[0]!r}; remote contexts are never "
                "fetched: expected an inline @context", path=path)


def _remote_contexts(node: Any) -> list[str]:
    """Every string (IRI) value of an ``@context`` key, anywhere in the JSON document."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    contexts = value if isinstance(value, list) else [value]
                    found.extend(c for c in contexts if isinstance(c, str))
                    stack.extend(c for c in contexts if not isinstance(c, str))
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
