"""Load the ``.rq`` query library, bind parameters as RDF terms, run, format.

Every query file opens with a comment block (docs/contracts.md section 4)::

    # title: Attacks in a place
    # description: What it answers …
    # param place: string — a place name or IRI
    # param from: date (optional) — first day, YYYY-MM-DD
    # example: newsgraph query attacks-in-place --graph out/graph.trig --param place=Idlib

Parameter types are ``string``, ``date``, ``integer`` and ``iri``; values are
converted to rdflib terms and bound through the store (never formatted into the
query text). Results are written as a rich table, CSV (header = the SELECT
variables in order), TSV, or SPARQL 1.1 Query Results JSON.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ontology.errors import QueryError, UsageError

log = logging.getLogger("newsgraph.queries")

LIBRARY_DIR = Path(__file__).resolve().parent
SEPARATOR = " | "  # joins the values of a multi-valued cell (docs/contracts.md section 4)

_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)?\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<type>string|date|integer|iri)\s*(?P<optional>\(optional\))?\s*(?:[—–-]+\s*(?P<doc>.*))?$"
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class OutputFormat(str, Enum):
    """How ``newsgraph query`` writes rows."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@dataclass(frozen=True)
class Param:
    """One declared query parameter."""

    name: str
    type: str
    optional: bool = False
    doc: str = ""


@dataclass(frozen=True)
class QuerySpec:
    """A query file: its text and the header describing it."""

    name: str
    text: str
    path: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    example: str = ""

    def param(self, name: str) -> Param:
        """The declared parameter ``name``; unknown names fail listing the declared ones."""
        for param in self.params:
            if param.name == name:
                return param
        valid = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r}; expected one of: {valid}")


def parse_header(text: str, *, path: str = "<query>") -> dict[str, Any]:
    """Read the leading comment block of a query file.

    >>> h = parse_header("# title: T\\n# param place: string (optional) — a name\\nSELECT * {}")
    >>> h["title"], h["params"][0]
    ('T', Param(name='place', type='string', optional=True, doc='a name'))
    """
    header: dict[str, Any] = {"title": "", "description": "", "example": "", "params": []}
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match is None:
            if last in {"title", "description", "example"} and stripped.lstrip("#").strip():
                header[last] += " " + stripped.lstrip("#").strip()
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key == "param":
            param_match = _PARAM.match(value)
            if not match.group("name") or param_match is None:
                raise QueryError(
                    f"{path}:{number}: cannot read parameter declaration {stripped!r}; expected "
                    "'# param NAME: string|date|integer|iri [(optional)] — what it is'"
                )
            header["params"].append(Param(match.group("name"), param_match.group("type"),
                                          bool(param_match.group("optional")),
                                          (param_match.group("doc") or "").strip()))
            last = None
        else:
            header[key] = value
            last = key
    return header


def spec_from_text(text: str, *, name: str, path: str) -> QuerySpec:
    """A QuerySpec from query text."""
    header = parse_header(text, path=path)
    return QuerySpec(name=name, text=text, path=path, title=header["title"],
                     description=header["description"], params=tuple(header["params"]),
                     example=header["example"])


@lru_cache(maxsize=1)
def _library(directory: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, QuerySpec]:
    specs: dict[str, QuerySpec] = {}
    for file_name, _ in stamp:
        path = Path(directory) / file_name
        specs[path.stem] = spec_from_text(path.read_text(encoding="utf-8"), name=path.stem, path=str(path))
    return specs


def library() -> dict[str, QuerySpec]:
    """Every named query shipped in ``queries/*.rq``, by name (file stem), read once."""
    files = sorted(LIBRARY_DIR.glob("*.rq"))
    stamp = tuple((p.name, p.stat().st_mtime) for p in files)
    return _library(str(LIBRARY_DIR), stamp)


def load_query(name: str, *, stdin: IO[str] | None = None) -> QuerySpec:
    """A named query, a ``.rq`` file, or ``-`` (the query text on stdin)."""
    if name == "-":
        text = (stdin or sys.stdin).read()
        return spec_from_text(text, name="-", path="<stdin>")
    if name.endswith(".rq") or "/" in name or Path(name).suffix:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as err:
            raise UsageError(f"query file {name} does not exist; expected a .rq file, a named query or -") from err
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"cannot read query file {name}: {err}") from err
        return spec_from_text(text, name=path.stem, path=str(path))
    specs = library()
    if name not in specs:
        raise UsageError(f"unknown query {name!r}; expected one of: {', '.join(sorted(specs))} "
                         "(or a .rq file, or - for stdin)")
    return specs[name]


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["place=Idlib", "from=2024-05-01"]`` → a dict; malformed pairs fail with the pair.

    >>> parse_params(["place=Ma'arat al-Numan", "q=a=b"])
    {'place': "Ma'arat al-Numan", 'q': 'a=b'}
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r} is not NAME=VALUE; expected e.g. --param place=Idlib")
        params[name.strip()] = value
    return params


def to_term(param: Param, value: Any, *, query: str = "") -> Node:
    """Convert a parameter value to the RDF term its declared type asks for.

    >>> to_term(Param("n", "integer"), "12")
    rdflib.term.Literal('12', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> to_term(Param("d", "date"), "2024-05-11").toPython()
    datetime.date(2024, 5, 11)
    """
    where = f"query {query!r} parameter {param.name!r}" if query else f"parameter {param.name!r}"
    if isinstance(value, (URIRef, BNode, Literal)):
        return value
    if param.type == "string":
        return Literal(str(value))
    if param.type == "integer":
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", str(value).strip()):
            raise UsageError(f"{where} expects an integer, got {value!r}")
        return Literal(str(int(str(value).strip())), datatype=XSD.integer)
    if param.type == "date":
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        try:
            parsed = date.fromisoformat(text)
        except ValueError as err:
            raise UsageError(f"{where} expects a date YYYY-MM-DD, got {value!r}") from err
        return Literal(parsed.isoformat(), datatype=XSD.date)
    if param.type == "iri":
        text = str(value).strip()
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$", text):
            raise UsageError(f"{where} expects an absolute IRI such as https://w3id.org/newsgraph/id/…, "
                             f"got {value!r}")
        return URIRef(text)
    raise QueryError(f"{where} has unknown type {param.type!r}; expected string, date, integer or iri")


def bind(spec: QuerySpec, params: Mapping[str, Any]) -> dict[str, Node]:
    """Check ``params`` against the header and convert them to RDF terms."""
    declared = {p.name for p in spec.params}
    for name in params:
        if name not in declared:
            spec.param(name)  # raises listing the declared parameters
    missing = [p.name for p in spec.params if not p.optional and params.get(p.name) in (None, "")]
    if missing:
        raise UsageError(f"query {spec.name!r} needs parameter(s) {', '.join(missing)}; expected "
                         + " ".join(f"--param {m}=…" for m in missing)
                         + (f" (example: {spec.example})" if spec.example else ""))
    return {p.name: to_term(p, params[p.name], query=spec.name)
            for p in spec.params if params.get(p.name) not in (None, "")}


def run_query(spec: QuerySpec, store: Any, params: Mapping[str, Any] | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> Any:
    """Bind ``params`` and run ``spec`` on an open store; returns a ``QueryResult``.

    Always limited: ``timeout`` (seconds) and ``max_rows`` default to 60 s and 100 000 rows.
    """
    from ontology.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    bindings = bind(spec, params or {})
    result = store.query(spec.text, bindings, timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
                         max_rows=DEFAULT_MAX_ROWS if max_rows is None else max_rows)
    if result.truncated:
        log.warning("query %s: the answer was cut at %d rows (raise max_rows / --max-rows)", spec.name, len(result.rows))
    result.rows = [tuple(map(sorted_cell, row)) for row in result.rows]
    return result


def sorted_cell(term: Node | None) -> Node | None:
    """Sort the values of a multi-valued cell (joined by ``" | "``): GROUP_CONCAT's order is
    unspecified and differs between stores, so sorting makes every store give the same answer.

    >>> sorted_cell(Literal("Reuters | Al Jazeera | Reuters"))
    rdflib.term.Literal('Al Jazeera | Reuters')
    """
    # the cheap tests first: this runs on every cell of every answer (700k cells for `attacks` at 20k articles)
    if not isinstance(term, Literal) or SEPARATOR not in term or term.datatype not in (None, XSD.string):
        return term
    parts = sorted(dict.fromkeys(str(term).split(SEPARATOR)))
    return Literal(SEPARATOR.join(parts), lang=term.language, datatype=term.datatype)


def run(name: str, graph: str, params: Mapping[str, Any] | None = None, *,
        timeout: float | None = None, max_rows: int | None = None) -> Any:
    """Open ``graph`` read-only, run the named query (or .rq file) with ``params``, close."""
    from ontology.store import open_store

    spec = load_query(name)
    bind(spec, params or {})  # fail on bad parameters before opening a large graph
    with open_store(graph, mode="r") as store:
        return run_query(spec, store, params, timeout=timeout, max_rows=max_rows)


# --------------------------------------------------------------------------- output

def cell(term: Node | None) -> str:
    """A term as plain text for CSV, TSV and tables: IRIs and lexical forms, empty when unbound.

    >>> cell(Literal(12)), cell(URIRef("https://x/y")), cell(None)
    ('12', 'https://x/y', '')
    """
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def json_term(term: Node) -> dict[str, str]:
    """A term in SPARQL 1.1 Query Results JSON."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def write_result(result: Any, fmt: OutputFormat | str, out: IO[str], *, title: str = "") -> None:
    """Write a QueryResult in ``fmt`` to ``out`` (data only: no banners, no counts)."""
    fmt = OutputFormat(fmt)
    if result.kind == "ask":
        if fmt is OutputFormat.json:
            out.write(json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n")
        else:
            out.write(("true" if result.boolean else "false") + "\n")
        return
    if result.kind == "graph":
        from rdflib import Graph

        graph = Graph()
        for triple in result.triples:
            graph.add(triple)
        out.write(graph.serialize(format="json-ld" if fmt is OutputFormat.json else "turtle"))
        return
    if fmt is OutputFormat.csv:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.vars)
        writer.writerows([cell(t) for t in row] for row in result.rows)
    elif fmt is OutputFormat.tsv:
        def clean(text: str) -> str:
            return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

        out.write("\t".join(result.vars) + "\n")
        for row in result.rows:
            out.write("\t".join(clean(cell(t)) for t in row) + "\n")
    elif fmt is OutputFormat.json:
        bindings = [{v: json_term(t) for v, t in zip(result.vars, row) if t is not None} for row in result.rows]
        json.dump({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, out, ensure_ascii=False)
        out.write("\n")
    else:
        _write_table(result, out, title=title)


def _write_table(result: Any, out: IO[str], *, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, show_lines=False, expand=False)
    for var in result.vars:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        table.add_row(*(_short(cell(t)) for t in row))
    width = None if getattr(out, "isatty", lambda: False)() else 200
    Console(file=out, width=width, highlight=False, soft_wrap=False).print(table)


def _short(text: str) -> str:
    """Shorten newsgraph IRIs in tables (``id:event/…``); CSV and JSON keep them whole."""
    from ontology.iri import DEFAULT_BASE

    return "id:" + text[len(DEFAULT_BASE):] if text.startswith(DEFAULT_BASE) else text


def result_text(result: Any, fmt: OutputFormat | str) -> str:
    """``write_result`` into a string."""
    buffer = io.StringIO()
    write_result(result, fmt, buffer)
    return buffer.getvalue()
