"""Graph stores: one API over RDF files, an embedded Oxigraph store and a SPARQL server.

``open_store(location, mode=...)`` picks the backend from the location:

- a file ending ``.trig``, ``.nq`` or ``.jsonld`` — one named graph per article, so
  provenance survives; ``.ttl``/``.nt`` can only hold the union of the graphs (a
  warning says so when writing). The file is read into an in-memory Oxigraph store
  and, in mode ``"w"``, written back atomically on close (temp file in the same
  directory, fsync, rename);
- a directory — an embedded persistent pyoxigraph (RocksDB) store;
- an ``http(s)://`` URL — a SPARQL 1.1 server: queries to the URL (the Protocol),
  writes as one SPARQL Update request to ``…/update`` (Oxigraph's layout).

``Store.apply(Changeset)`` replaces article graphs and upserts subjects in shared
graphs in ONE transaction. On Oxigraph (files, directories) it writes only the
difference from what is stored: additions alone as one ``load`` of N-Quads text
when new graphs come prepared as text (:class:`~ontology.rdfio.PreparedTriples`,
what a build writes), else one ``extend`` (both transactional); anything with
removals as one SPARQL Update; a server gets one SPARQL Update request. Never the
bulk loader, which is not transactional. Mode ``"w"`` takes an exclusive
``flock`` on a lock file beside the location (``.graph.trig.lock``): a second writer
fails at once with :class:`~ontology.errors.StoreLockedError` (exit 75). Readers of
a store directory take the shared lock, so they never open it under a writer.

Queries run with the default graph = union of the named graphs, a time limit and a
row cap; ``SERVICE`` and ``FROM``/``FROM NAMED`` (which would make some engines
fetch the web) are refused before anything runs.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal as TypingLiteral

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ontology.errors import (
    DiskFullError,
    InputError,
    QueryError,
    StoreError,
    StoreLockedError,
    UsageError,
)
from ontology.rdfio import (
    FILE_FORMATS,
    WRITABLE_SUFFIXES,
    file_suffix,
    holds_named_graphs,
    rdf_format,
    refuse_dangerous,
    to_oxigraph,
    PreparedTriples,
    Triple,
    parse_nquads,
    to_oxigraph_quads,
    to_rdflib,
)

log = logging.getLogger("newsgraph.store")

Mode = TypingLiteral["r", "w"]

#: the limits the CLI, ``newsgraph.query`` and the endpoint put on every user query; ``Store.query``
#: itself has none unless given (the builder's own bookkeeping queries must never be cut short)
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_ROWS = 100_000
#: how long a SPARQL server may take to answer a query without a time limit, or an update
HTTP_TIMEOUT = 600.0

PREFIXES = {
    "ng": "https://w3id.org/newsgraph/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM,
                errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENAMETOOLONG}  # full, or cannot be created there
#: RocksDB (under pyoxigraph) reports I/O failures as text, without an errno
_DISK_MESSAGES = tuple(os.strerror(n) for n in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES))


@dataclass
class Changeset:
    """What one build step changes, applied in one transaction.

    ``replace``: graphs replaced whole (an article's graph when it is added again).
    ``upsert``: in graph G, drop every triple of each subject, then add these
    (entity descriptions in the shared entities graph, merges in the resolution graph).
    """

    replace: dict[URIRef, list[Triple]] = field(default_factory=dict)
    upsert: dict[URIRef, dict[URIRef, list[Triple]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.replace) or any(self.upsert.values())


@dataclass
class QueryResult:
    """The answer to one query, as rdflib terms.

    SELECT: ``vars`` and ``rows`` (``None`` for unbound); ASK: ``boolean``;
    CONSTRUCT/DESCRIBE: ``triples``. ``truncated`` is True when the row cap cut it.
    """

    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    kind: TypingLiteral["select", "ask", "graph"] = "select"
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False

    def dicts(self) -> list[dict[str, Node | None]]:
        """Rows as ``{variable: term}`` dicts."""
        return [dict(zip(self.vars, row)) for row in self.rows]


# --------------------------------------------------------------------------- query safety

_LEXEMES = re.compile(
    r"(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>\S)",
    re.DOTALL,
)
_REFUSED_KEYWORDS = {"SERVICE", "FROM", "LOAD"}
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def sparql_keywords(sparql: str) -> Iterator[tuple[str, int]]:
    """Bare words of a SPARQL text (upper-cased) with their offsets, outside strings, IRIs and comments.

    >>> [w for w, _ in sparql_keywords('SELECT * { ?s ?p "SERVICE" } # SERVICE')]
    ['SELECT']
    """
    previous = ""
    for match in _LEXEMES.finditer(sparql):
        if match.lastgroup == "word" and previous not in {"?", "$", ":"} and not _prefixed(sparql, match):
            yield match.group().upper(), match.start()
        previous = match.group() if match.lastgroup == "other" else ""


def _prefixed(text: str, match: re.Match[str]) -> bool:
    """Whether the word is part of a prefixed name (``ng:from``, ``from:x``, ``ng:a.from``)."""
    start, end = match.start(), match.end()
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-.:"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "_-.:"):
        end += 1
    return ":" in text[start:end]


def check_query(sparql: str) -> None:
    """Refuse what could reach the network or the file system, and updates.

    A conservative scan of the query's keywords (strings, IRIs and comments are
    skipped): ``SERVICE`` (federated query), ``FROM``/``FROM NAMED`` (rdflib would
    fetch the IRI), and update operations are refused with :class:`QueryError`.

    >>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE <http://x>' }")
    >>> check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    ontology.errors.QueryError: query uses SERVICE at character 17; federated queries, FROM and LOAD are refused (no network or file access): expected a query over this graph only
    """
    words = list(sparql_keywords(sparql))
    for word, offset in words:
        if word in _REFUSED_KEYWORDS:
            raise QueryError(
                f"query uses {word} at character {offset}; federated queries, FROM and LOAD are refused "
                "(no network or file access): expected a query over this graph only"
            )
    forms = [w for w, _ in words if w in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}]
    updates = [(w, o) for w, o in words if w in _UPDATE_KEYWORDS]
    if updates and not forms:
        word, offset = updates[0]
        raise QueryError(f"{word} at character {offset} is an update; stores are queried read-only: "
                         "expected SELECT, ASK, CONSTRUCT or DESCRIBE")


def inject_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Add a ``VALUES`` block binding ``bindings`` at the start of the outer WHERE group.

    The same binding for every backend, so every store gives the same rows: a SPARQL
    server cannot take pre-bound terms, and pyoxigraph's ``substitutions`` only
    accept projected variables and its optimiser folds ``BOUND(?param)`` to false
    (both checked against 0.5.13). Each term is serialised by pyoxigraph from an
    rdflib term (IRIs validated, literals escaped), so a value can never become
    query syntax. Queries in the library use their parameters in the outer group.

    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" || true || "')})
    'SELECT ?s WHERE { VALUES (?o) { ("x\\\\" || true || \\\\"") } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name; expected letters, digits, _")
    terms = " ".join(str(to_oxigraph(bindings[name])) for name in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    position = _where_brace(sparql)
    return sparql[: position + 1] + block + sparql[position + 1:]


def _where_brace(sparql: str) -> int:
    """Offset of the ``{`` opening the outer WHERE group."""
    after_where = False
    seen_form = False
    for match in _LEXEMES.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and text.upper() in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
            seen_form = True
        elif kind == "word" and text.upper() == "WHERE":
            after_where = True
        elif kind == "other" and text == "{" and (after_where or (seen_form and not _is_construct(sparql))):
            return match.start()
    raise QueryError("cannot find the WHERE clause of the query to bind parameters in; "
                     "expected SELECT … WHERE { … }")


def _is_construct(sparql: str) -> bool:
    return any(word == "CONSTRUCT" for word, _ in sparql_keywords(sparql))


# --------------------------------------------------------------------------- locking

def lock_path(location: str) -> Path:
    """The lock file beside a store file or directory (``out/.graph.trig.lock``)."""
    path = Path(location.rstrip("/") or location)
    return path.with_name(f".{path.name}.lock")


class _FileLock:
    """An advisory ``flock`` on a lock file: exclusive for writers, shared for readers."""

    def __init__(self, location: str, *, exclusive: bool) -> None:
        self.path = lock_path(location)
        self.handle: Any = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        except OSError as err:
            if not exclusive and err.errno in {errno.EACCES, errno.EROFS, errno.EPERM}:
                return  # a reader on read-only media: nobody can be writing there either
            raise _disk_error(err, str(self.path), "create the lock file") from err
        try:
            fcntl.flock(self.handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError as err:
            self.handle.close()
            self.handle = None
            who = "being written by another process" if not exclusive else "open by another process"
            raise StoreLockedError(
                f"store {location} is in use: it is {who} (lock {self.path}); expected no other "
                "newsgraph build writing to it — wait for it to finish or use another --output"
            ) from err

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def _disk_error(err: OSError, path: str, doing: str) -> StoreError:
    """Map an OSError to DiskFullError (73) when it is about space or permissions, else StoreError (74)."""
    if err.errno in _DISK_ERRNOS or (err.errno is None and any(m in str(err) for m in _DISK_MESSAGES)):
        return DiskFullError(f"cannot {doing} {path}: {err.strerror or err}; expected a writable "
                             "location with free space")
    return StoreError(f"cannot {doing} {path}: {err}")


# --------------------------------------------------------------------------- the Store API

class Store:
    """A graph store; use :func:`open_store` to get one. Context manager: ``close()`` on exit."""

    location: str
    mode: Mode

    def apply(self, changes: Changeset) -> None:
        """Replace article graphs and upsert subjects, all in ONE transaction."""
        raise NotImplementedError

    def graph_names(self) -> set[URIRef]:
        """The named graphs in the store."""
        raise NotImplementedError

    def triples(self, graph: URIRef, subjects: Iterable[URIRef] | None = None) -> Iterator[Triple]:
        """The triples of one named graph, optionally only those of some subjects."""
        raise NotImplementedError

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query over the union of the named graphs.

        ``bindings`` are bound as RDF terms (never formatted into the text).
        ``timeout`` (seconds) raises :class:`QueryError` when exceeded; ``max_rows``
        cuts the answer and sets ``truncated``. ``None`` (the default) means no limit:
        callers serving users (the CLI, ``newsgraph.query``, the endpoint) always set both.
        """
        raise NotImplementedError

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        """Every quad (graph ``None`` for the default graph)."""
        raise NotImplementedError

    def dataset(self) -> Any:
        """An rdflib ``Dataset`` (default graph = union) copied from the store, for exports and validation."""
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        for prefix, namespace in PREFIXES.items():
            ds.bind(prefix, namespace)
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g) if g is not None else (s, p, o))
        return ds

    def flush(self) -> None:
        """Push buffered writes to disk so memory stays flat on long builds (a no-op where nothing is buffered)."""

    def close(self) -> None:
        """Release the store (files in mode ``"w"`` are written now, atomically)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location!r} mode={self.mode!r}>"


def _check_changes(changes: Changeset) -> None:
    if not isinstance(changes, Changeset):
        raise UsageError(f"Store.apply expects a Changeset, got {type(changes).__name__}")


def _update_text(changes: Changeset) -> str:
    """One SPARQL Update request for a changeset; every term serialised by pyoxigraph."""
    ops: list[str] = []

    def data_block(graph: URIRef, triples: Iterable[Triple]) -> str | None:
        if isinstance(triples, PreparedTriples) and triples.graph == graph:  # its quads, not a trip via rdflib
            lines = [f"{q.subject} {q.predicate} {q.object} ." for q in triples.quads()]
        else:
            lines = [f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples]
        return f"INSERT DATA {{ GRAPH {to_oxigraph(graph)} {{\n" + "\n".join(lines) + "\n} }" if lines else None

    for graph, triples in changes.replace.items():
        ops.append(f"DROP SILENT GRAPH {to_oxigraph(graph)}")
        block = data_block(graph, triples)
        if block:
            ops.append(block)
    for graph, by_subject in changes.upsert.items():
        if not by_subject:
            continue
        subjects = " ".join(str(to_oxigraph(s)) for s in by_subject)
        g = to_oxigraph(graph)
        ops.append(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {subjects} }} GRAPH {g} {{ ?s ?p ?o }} }}")
        block = data_block(graph, (t for triples in by_subject.values() for t in triples))
        if block:
            ops.append(block)
    return " ;\n".join(ops)


@dataclass(slots=True)
class _Target:
    """What one graph a changeset touches must hold afterwards."""

    graph: Any  # the pyoxigraph graph name
    whole: bool  # replaced whole; else only ``subjects`` are replaced in it
    subjects: list[Any]
    extra: list[Any]  # quads converted from rdflib triples
    prepared: PreparedTriples | None = None  # the rest, as N-Quads text (a replaced graph prepared for it)

    def text(self) -> str | None:
        """The new content as N-Quads text, when all of it is prepared text."""
        return self.prepared.nquads if self.prepared is not None and not self.extra else None

    def quads(self) -> list[Any]:
        return [*(self.prepared.quads() if self.prepared is not None else ()), *self.extra]

    def empty(self) -> bool:
        return not self.extra and (self.prepared is None or not len(self.prepared))


def _wanted(changes: Changeset) -> list[_Target]:
    """Per graph a changeset touches, what it must then hold.

    The same result as :func:`_update_text`'s operations in their order: a replaced
    graph holds its new triples, except those of subjects upserted in it, which hold
    the upserted ones. Every term is converted (and validated) here, once, unless
    it came prepared (:class:`~ontology.rdfio.PreparedTriples`).
    """
    out: list[_Target] = []
    for graph, triples in changes.replace.items():
        g = to_oxigraph(graph)
        upsert = changes.upsert.get(graph) or {}
        if isinstance(triples, PreparedTriples) and not upsert and triples.graph == graph:
            out.append(_Target(g, True, [], [], triples))
            continue
        kept = [t for t in triples if t[0] not in upsert] if upsert else triples
        quads = to_oxigraph_quads(kept, g)
        quads.extend(to_oxigraph_quads((t for ts in upsert.values() for t in ts), g))
        out.append(_Target(g, True, [], quads))
    for graph, by_subject in changes.upsert.items():
        if graph in changes.replace or not by_subject:
            continue
        g = to_oxigraph(graph)
        out.append(_Target(g, False, [to_oxigraph(s) for s in by_subject],
                           to_oxigraph_quads((t for ts in by_subject.values() for t in ts), g)))
    return out


def _has_blank_node(quad: Any) -> bool:
    return any(type(term).__name__ == "BlankNode" for term in (quad.subject, quad.object))


def _delta_text(drop: list[Any], remove: list[Any], add: list[Any]) -> str:
    """One SPARQL Update: drop whole graphs, delete and insert exact quads (terms serialised by pyoxigraph)."""
    ops = [f"DROP SILENT GRAPH {g}" for g in drop]
    for verb, quads in (("DELETE", remove), ("INSERT", add)):
        by_graph: dict[Any, list[str]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object} .")
        if by_graph:
            blocks = " ".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
            ops.append(f"{verb} DATA {{ {blocks} }}")
    return " ;\n".join(ops)


class _OxigraphStore(Store):
    """Shared by the file and directory backends: an Oxigraph store in memory or on disk."""

    def __init__(self, location: str, mode: Mode) -> None:
        self.location = location
        self.mode = mode
        self._ox: Any = None
        self._closed = False

    def _writable(self) -> None:
        if self.mode != "w":
            raise UsageError(f"store {self.location} was opened read-only; expected open_store(..., mode='w') to write")
        if self._closed:
            raise UsageError(f"store {self.location} is closed")

    def apply(self, changes: Changeset) -> None:
        """Write only the difference between the store and the changeset's result, in ONE transaction.

        Every term is converted (and so validated) before anything is written. What
        the changeset keeps as it is costs nothing; a changeset that only adds quads
        (a new article, an entity described for the first time) is one ``load`` of
        the new graphs' prepared N-Quads text with the other new quads appended (no
        Python object per quad; Oxigraph parses it without the GIL), or one
        ``extend`` when nothing came prepared or a new quad has a blank node, which
        loading would rename; both atomic, and on disk about half the CPU of the same
        quads as SPARQL Update text. Anything that also removes quads is one SPARQL
        Update (``DROP``/``DELETE DATA``/``INSERT DATA``), atomic as well.
        """
        _check_changes(changes)
        self._writable()
        if not changes:
            return
        import pyoxigraph

        drop, remove, add, texts = self._delta(_wanted(changes))
        if texts and (drop or remove or any(_has_blank_node(q) for q in add)):
            # removals need an update and a load would rename these blank nodes: the texts go in as quads,
            # so that one transaction still writes everything
            add = [*parse_nquads("".join(texts)), *add]
            texts = []
        try:
            if drop or remove:
                if any(_has_blank_node(q) for q in remove):  # DELETE DATA cannot name blank nodes
                    self._ox.update(_update_text(changes))
                else:
                    self._ox.update(_delta_text(drop, remove, add))
            elif texts:  # new article graphs: the batch's text (and any other new quads) in one load
                self._ox.load("".join([*texts, *(f"{q} .\n" for q in add)]), format=pyoxigraph.RdfFormat.N_QUADS,
                              lenient=True)  # every term was made by pyoxigraph already
            elif add:
                self._ox.extend(add)
        except SyntaxError as err:  # a term pyoxigraph accepted but the update grammar did not
            raise InputError(f"changeset cannot be written: {err}", path=self.location, stage="store") from err
        except OSError as err:
            raise _disk_error(err, self.location, "write to") from err
        self._dirty = True

    def _delta(self, wanted: list[_Target]) -> tuple[list[Any], list[Any], list[Any], list[str]]:
        """Graphs to drop, quads to remove, quads and N-Quads texts to add so the store holds what ``wanted`` asks for."""
        drop: list[Any] = []
        remove: list[Any] = []
        add: list[Any] = []
        texts: list[str] = []
        for target in wanted:
            if target.whole:
                exists = self._ox.contains_named_graph(target.graph)
                if exists and target.empty():  # replaced by nothing: the graph goes, as DROP GRAPH did
                    drop.append(target.graph)
                    continue
                if not exists:  # a new graph (every article of a fresh build): all of it, no set arithmetic
                    text = target.text()
                    if text is None:
                        add.extend(target.quads())
                    elif text:
                        texts.append(text)
                    continue
                current = set(self._ox.quads_for_pattern(None, None, None, target.graph))
            else:
                current = {q for s in target.subjects for q in self._ox.quads_for_pattern(s, None, None, target.graph)}
            wanted_quads = set(target.quads())
            remove.extend(current - wanted_quads)
            add.extend(wanted_quads - current)
        return drop, remove, add, texts

    def graph_names(self) -> set[URIRef]:
        return {URIRef(g.value) for g in self._ox.named_graphs() if hasattr(g, "value") and
                type(g).__name__ == "NamedNode"}

    def triples(self, graph: URIRef, subjects: Iterable[URIRef] | None = None) -> Iterator[Triple]:
        g = to_oxigraph(graph)
        if subjects is None:
            patterns: Iterable[Any] = [None]
        else:
            patterns = [to_oxigraph(s) for s in subjects]
        for subject in patterns:
            for quad in self._ox.quads_for_pattern(subject, None, None, g):
                yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))  # type: ignore[misc]

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        for quad in self._ox.quads_for_pattern(None, None, None, None):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),  # type: ignore[misc]
                   to_rdflib(quad.graph_name))

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        check_query(sparql)
        bound = inject_values(sparql, {k: v for k, v in (bindings or {}).items() if v is not None})
        cap = max_rows

        def run() -> QueryResult:
            try:
                answer = self._ox.query(bound, use_default_graph_as_union=True)
            except SyntaxError as err:
                raise QueryError(f"SPARQL syntax error: {err}; expected a SPARQL 1.1 query") from err
            except (OSError, RuntimeError) as err:
                raise QueryError(f"query failed: {err}") from err
            return _collect(answer, cap)

        return run() if timeout is None else _with_timeout(run, timeout)


def _collect(answer: Any, cap: int | None) -> QueryResult:
    """Turn a pyoxigraph answer into a QueryResult, stopping at ``cap`` rows."""
    import pyoxigraph

    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(vars=[], kind="ask", boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[tuple[Node | None, ...]] = []
        for solution in answer:
            if cap is not None and len(rows) >= cap:
                return QueryResult(vars=names, rows=rows, truncated=True)
            rows.append(tuple(map(to_rdflib, solution)))  # a solution iterates in variable order
        return QueryResult(vars=names, rows=rows)
    triples: list[Triple] = []
    for triple in answer:
        if cap is not None and len(triples) >= cap:
            return QueryResult(kind="graph", triples=triples, truncated=True)
        triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))  # type: ignore[arg-type]
    return QueryResult(kind="graph", triples=triples)


def _with_timeout(run: Any, timeout: float) -> QueryResult:
    """Run ``run()`` in a worker thread (pyoxigraph releases the GIL); give up after ``timeout`` s."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = run()
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread below
            box["error"] = err

    worker = threading.Thread(target=target, name="newsgraph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"query exceeded its time limit of {timeout:g} s; expected a query that finishes "
                         "in time (narrow it, or raise --timeout)")
    if "error" in box:
        raise box["error"]
    return box["result"]


class FileStore(_OxigraphStore):
    """An RDF file read into memory; in mode ``"w"`` written back atomically on close."""

    def __init__(self, location: str, mode: Mode) -> None:
        import pyoxigraph

        super().__init__(location, mode)
        self._format = rdf_format(location)
        self._dirty = False
        self._lock: _FileLock | None = None
        path = Path(location)
        if mode == "w":
            if file_suffix(location) not in WRITABLE_SUFFIXES:
                raise UsageError(f"{location}: cannot write a graph as {file_suffix(location)}; expected one of "
                                 f"{', '.join(WRITABLE_SUFFIXES)}")
            self._lock = _FileLock(location, exclusive=True)
            if not holds_named_graphs(location):
                log.warning("%s: a %s file holds only the union of the graphs; the article graphs "
                            "(provenance per article) are lost — use .trig or .nq to keep them",
                            location, file_suffix(location))
        self._ox = pyoxigraph.Store()
        try:
            if path.exists():
                self._load(path)
            elif mode == "r":
                raise StoreError(f"graph file {location} does not exist; expected a graph built with "
                                 "newsgraph build --output")
            else:
                self._dirty = True  # create the file even if nothing is applied
        except BaseException:
            self._release()
            raise

    def _load(self, path: Path) -> None:
        location = str(path)
        if path.is_dir():
            raise UsageError(f"{location} is a directory but has a file suffix; expected a file")
        refuse_dangerous(location)
        try:
            self._ox.load(path=location, format=self._format)
        except SyntaxError as err:
            raise InputError(f"not valid {self._format.name}: {err}", path=location, stage="store") from err
        except ValueError as err:
            raise InputError(f"cannot read as {self._format.name}: {err}", path=location, stage="store") from err
        except OSError as err:
            raise StoreError(f"cannot read graph file {location}: {err}") from err

    def close(self) -> None:
        if self._closed:
            return
        try:
            if self.mode == "w" and self._dirty:
                self._write_atomically()
        finally:
            self._closed = True
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _write_atomically(self) -> None:
        import pyoxigraph

        target = Path(self.location)
        directory = target.parent if str(target.parent) else Path(".")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        except OSError as err:
            raise _disk_error(err, str(directory), "create a file in") from err
        try:
            with os.fdopen(fd, "wb") as handle:
                if holds_named_graphs(self.location):
                    self._ox.dump(handle, self._format, prefixes=PREFIXES)
                else:
                    union = {(q.subject, q.predicate, q.object) for q in self._ox}
                    pyoxigraph.serialize((pyoxigraph.Triple(*t) for t in sorted(union, key=str)),
                                         handle, self._format, prefixes=PREFIXES)
                handle.flush()
                os.fsync(handle.fileno())
            if target.exists():
                os.chmod(tmp_name, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp_name, 0o666 & ~_umask())
            os.replace(tmp_name, target)
            _fsync_dir(directory)
        except OSError as err:
            _unlink_quietly(tmp_name)
            raise _disk_error(err, self.location, "write") from err
        except BaseException:
            _unlink_quietly(tmp_name)
            raise
        self._dirty = False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename is still atomic
    finally:
        os.close(fd)


def _unlink_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


class DirectoryStore(_OxigraphStore):
    """An embedded persistent Oxigraph store in a directory."""

    def __init__(self, location: str, mode: Mode) -> None:
        import pyoxigraph

        super().__init__(location, mode)
        self._dirty = False
        path = Path(location)
        if path.exists() and not path.is_dir():
            raise UsageError(f"{location} is a file without a known RDF suffix; expected a store directory "
                             f"or a file ending {', '.join(FILE_FORMATS)}")
        if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").exists():
            raise StoreError(f"{location} is a directory but not an Oxigraph store (no CURRENT file); "
                             "expected an empty directory or one written by newsgraph")
        if mode == "r" and not (path / "CURRENT").exists():
            raise StoreError(f"store directory {location} does not exist or is empty; expected a store "
                             "built with newsgraph build --output DIR")
        self._lock = _FileLock(location, exclusive=mode == "w")
        try:
            if mode == "w":
                path.mkdir(parents=True, exist_ok=True)
                self._ox = pyoxigraph.Store(str(path))
            else:
                self._ox = pyoxigraph.Store.read_only(str(path))
        except OSError as err:
            self._lock.release()
            if "lock" in str(err).lower():
                raise StoreLockedError(f"store {location} is in use by another process ({err}); expected "
                                       "no other writer") from err
            raise _disk_error(err, location, "open the store") from err
        except RuntimeError as err:  # RocksDB: e.g. a build killed while it created the store
            self._lock.release()
            raise StoreError(f"store directory {location} is incomplete or damaged ({err}); expected a store "
                             "built to the end — run the build again to finish it") from err


    def flush(self) -> None:
        # RocksDB keeps every write in its memtables until flushed: about 0.25 MB per 300-triple
        # article, so a 20,000-article build would hold gigabytes without this (bench/run.py memory)
        if self.mode == "w" and self._ox is not None:
            self._ox.flush()
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.mode == "w":
                self._ox.flush()
        except OSError as err:
            raise _disk_error(err, self.location, "flush") from err
        finally:
            self._ox = None
            self._lock.release()


class SparqlStore(Store):
    """A SPARQL 1.1 server: Protocol for queries, one SPARQL Update request per changeset.

    ``location`` is the query URL (``http://host:7878/query``, or the server root);
    updates go to the sibling ``/update``. Writers cannot lock a remote server:
    the server's own transactions keep each changeset atomic.
    """

    def __init__(self, location: str, mode: Mode, *, timeout: float = HTTP_TIMEOUT) -> None:
        self.location = location
        self.mode = mode
        self.timeout = timeout
        parts = urllib.parse.urlsplit(location)
        path = parts.path.rstrip("/")
        if path.endswith("/query") or path.endswith("/sparql"):
            root = path.rsplit("/", 1)[0]
            self.query_url = location
        else:
            root = path
            self.query_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, root + "/query", parts.query, ""))
        self.update_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, root + "/update", "", ""))

    def _post(self, url: str, body: str, content_type: str, accept: str, timeout: float) -> bytes:
        request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept,
                                                  "User-Agent": "newsgraph"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - user's endpoint
                return response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:500]
            if err.code in {400, 403}:
                raise QueryError(f"{url} refused the request (HTTP {err.code}): {detail}") from err
            raise StoreError(f"{url} answered HTTP {err.code}: {detail}") from err
        except TimeoutError as err:
            raise QueryError(f"{url} did not answer within {timeout:g} s; expected a faster query "
                             "or a larger --timeout") from err
        except urllib.error.URLError as err:
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {err.reason}; expected a running "
                             "SPARQL 1.1 server") from err

    def apply(self, changes: Changeset) -> None:
        _check_changes(changes)
        if self.mode != "w":
            raise UsageError(f"store {self.location} was opened read-only; expected mode='w' to write")
        if changes:
            self._post(self.update_url, _update_text(changes), "application/sparql-update", "*/*", self.timeout)

    def _select(self, sparql: str, *, timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        url = self.query_url
        separator = "&" if "?" in url else "?"
        body = self._post(url + separator + "union-default-graph", sparql, "application/sparql-query",
                          "application/sparql-results+json", self.timeout if timeout is None else timeout)
        return parse_results_json(body, max_rows=max_rows)

    def graph_names(self) -> set[URIRef]:
        result = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", max_rows=None)
        return {row[0] for row in result.rows if isinstance(row[0], URIRef)}

    def triples(self, graph: URIRef, subjects: Iterable[URIRef] | None = None) -> Iterator[Triple]:
        values = ""
        if subjects is not None:
            values = "VALUES ?s { " + " ".join(str(to_oxigraph(s)) for s in subjects) + " } "
            if values == "VALUES ?s {  } ":
                return
        sparql = f"SELECT ?s ?p ?o WHERE {{ {values}GRAPH {to_oxigraph(graph)} {{ ?s ?p ?o }} }}"
        for s, p, o in self._select(sparql, max_rows=None).rows:
            yield (s, p, o)  # type: ignore[misc]

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        result = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", max_rows=None)
        for s, p, o, g in result.rows:
            yield (s, p, o, g)  # type: ignore[misc]

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
        check_query(sparql)
        bound = {k: v for k, v in (bindings or {}).items() if v is not None}
        return self._select(inject_values(sparql, bound), timeout=timeout, max_rows=max_rows)


def parse_results_json(body: bytes, *, max_rows: int | None = None) -> QueryResult:
    """Parse SPARQL 1.1 Query Results JSON into a QueryResult of rdflib terms."""
    try:
        document = json.loads(body)
    except ValueError as err:
        raise QueryError(f"the endpoint did not answer SPARQL results JSON ({err}): {body[:200]!r}") from err
    if "boolean" in document:
        return QueryResult(kind="ask", boolean=bool(document["boolean"]))
    names = list(document.get("head", {}).get("vars", []))
    rows: list[tuple[Node | None, ...]] = []
    for binding in document.get("results", {}).get("bindings", []):
        if max_rows is not None and len(rows) >= max_rows:
            return QueryResult(vars=names, rows=rows, truncated=True)
        rows.append(tuple(_json_term(binding.get(n)) for n in names))
    return QueryResult(vars=names, rows=rows)


def _json_term(value: dict[str, str] | None) -> Node | None:
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in {"literal", "typed-literal"}:
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise QueryError(f"unknown term type {kind!r} in SPARQL results JSON; expected uri, bnode or literal")


def store_kind(location: str) -> TypingLiteral["file", "directory", "sparql"]:
    """Which backend a location names.

    >>> store_kind("out/graph.trig"), store_kind("out/store"), store_kind("http://127.0.0.1:7878/query")
    ('file', 'directory', 'sparql')
    """
    if re.match(r"^https?://", location, re.IGNORECASE):
        return "sparql"
    path = Path(location)
    if path.is_dir() or location.endswith(("/", os.sep)):
        return "directory"
    if file_suffix(location) in FILE_FORMATS:
        return "file"
    if path.exists() or file_suffix(location):
        rdf_format(location)  # raises UsageError listing the known suffixes
    return "directory"


def open_store(location: str, *, mode: Mode = "r") -> Store:
    """Open a graph file, an Oxigraph store directory or a SPARQL endpoint URL.

    Mode ``"w"`` takes an exclusive lock (:class:`StoreLockedError`, exit 75, when
    another writer holds it) and, for files, writes atomically on close. Use it as a
    context manager::

        with open_store("out/graph.trig", mode="w") as store:
            store.apply(Changeset(replace={graph: triples}))
    """
    if mode not in ("r", "w"):
        raise UsageError(f"store mode must be 'r' or 'w', got {mode!r}")
    if not isinstance(location, (str, os.PathLike)) or not str(location):
        raise UsageError(f"store location must be a file, directory or URL, got {location!r}")
    location = os.fspath(location)
    kind = store_kind(location)
    if kind == "sparql":
        return SparqlStore(location, mode)
    if kind == "file":
        return FileStore(location, mode)
    return DirectoryStore(location, mode)


# --------------------------------------------------------------------------- rdflib view

def _guarded_dataset_class() -> type:
    """An rdflib ``Dataset`` whose ``query``/``update`` refuse SERVICE, FROM and LOAD (built lazily)."""
    from rdflib import Dataset

    class GuardedDataset(Dataset):
        """rdflib Dataset (default graph = union) that never lets a query reach the network or files."""

        def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            _check_rdflib_query(query_object)
            return super().query(query_object, *args, **kwargs)

        def update(self, update_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            if not isinstance(update_object, str):
                raise QueryError("only SPARQL Update text is accepted here; expected a string")
            for word, offset in sparql_keywords(update_object):
                if word in _REFUSED_KEYWORDS:
                    raise QueryError(f"update uses {word} at character {offset}; SERVICE, FROM and LOAD are "
                                     "refused (no network or file access)")
            return super().update(update_object, *args, **kwargs)

    return GuardedDataset


def _check_rdflib_query(query_object: Any) -> None:
    """``check_query`` for text; for an rdflib prepared query, walk its algebra for SERVICE and FROM."""
    if isinstance(query_object, str):
        check_query(query_object)
        return
    from rdflib.plugins.sparql.parserutils import CompValue

    stack: list[Any] = [getattr(query_object, "algebra", query_object)]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern" or node.get("datasetClause"):
                raise QueryError(f"query uses {node.name if node.name == 'ServiceGraphPattern' else 'FROM'}; "
                                 "federated queries and FROM are refused (no network or file access)")
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())


def open_dataset(location: str) -> Any:
    """An rdflib ``Dataset`` (default graph = union of named graphs) over any store, read-only in spirit.

    A file is read into memory; a store directory is opened read-only through
    oxrdflib (queries run on Oxigraph); a URL becomes an rdflib ``SPARQLStore``.
    ``query``/``update`` refuse SERVICE, FROM and LOAD.
    """
    location = os.fspath(location)
    kind = store_kind(location)
    guarded = _guarded_dataset_class()
    if kind == "file":
        with open_store(location, mode="r") as store:
            dataset = guarded(default_union=True)
            for prefix, namespace in PREFIXES.items():
                dataset.bind(prefix, namespace)
            for s, p, o, g in store.quads():
                dataset.add((s, p, o, g) if g is not None else (s, p, o))
        return dataset
    if kind == "directory":
        import pyoxigraph
        from oxrdflib import OxigraphStore

        path = Path(location)
        if not (path / "CURRENT").exists():
            raise StoreError(f"store directory {location} does not exist or is empty; expected a store "
                             "built with newsgraph build --output DIR")
        lock = _FileLock(location, exclusive=False)
        try:
            backend = OxigraphStore(store=pyoxigraph.Store.read_only(str(path)))
        except (OSError, RuntimeError) as err:
            lock.release()
            raise StoreError(f"cannot open store directory {location}: {err}") from err
        dataset = guarded(store=backend, default_union=True)
        dataset._newsgraph_lock = lock  # held (shared) while the dataset lives: no writer can start
        return dataset
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = SparqlStore(location, "r")
    return guarded(store=SPARQLStore(query_endpoint=remote.query_url, returnFormat="json"), default_union=True)
