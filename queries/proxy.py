"""A small read-only SPARQL front for the Oxigraph server: refuse, cap, negotiate.

The Oxigraph server answers queries (union default graph, its own time limit) but
cannot cap rows or refuse ``SERVICE``, and its UI loads scripts from a CDN. This
threaded stdlib proxy sits in front of it on the public address:

- ``GET /`` — the offline query page (``queries/assets/sparql.html``);
  ``GET /queries.json`` — the named query library, for the page's picker;
- ``GET/POST /query`` (also ``/sparql``) — SPARQL 1.1 Protocol: ``?query=``, a
  form-encoded body or an ``application/sparql-query`` body. The query is checked
  (``SERVICE``, ``FROM``, ``LOAD`` → 400), forwarded, and SELECT answers are read
  as TSV from Oxigraph up to the row cap (then the connection is dropped, so
  Oxigraph stops), and re-serialised by pyoxigraph in the negotiated format (JSON,
  XML, CSV, TSV). A cut answer carries ``X-Newsgraph-Truncated: true``;
- any update (``/update``, ``update=``, ``/store`` writes) → 403.

Each request runs in its own thread: a slow query never blocks the others.
"""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ontology.errors import QueryError
from ontology.store import check_query, sparql_keywords

log = logging.getLogger("newsgraph.serve")

ASSETS = Path(__file__).resolve().parent / "assets"

#: media type → pyoxigraph QueryResultsFormat name, in the order used when the client accepts anything
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE", "application/ld+json": "JSON_LD",
               "application/rdf+xml": "RDF_XML"}
MEDIA = {"JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml",
         "CSV": "text/csv; charset=utf-8", "TSV": "text/tab-separated-values; charset=utf-8"}
FORMAT_ALIASES = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
MAX_BODY = 1 << 20
_CANCELLED = b"The SPARQL operation has been cancelled"


def negotiate(accept: str, *, table: dict[str, str], default: str) -> str:
    """Pick a format from an Accept header (by q-value, then order); ``*/*`` and browsers get the default.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", table=RESULT_TYPES, default="JSON")
    'XML'
    >>> negotiate("text/html,*/*;q=0.8", table=RESULT_TYPES, default="JSON")
    'JSON'
    """
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *options = [p.strip() for p in part.split(";")]
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media.lower() in table and quality > 0:
            choices.append((-quality, index, table[media.lower()]))
    return min(choices)[2] if choices else default


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword.

    >>> query_form("PREFIX s: <http://x/> ASK { ?s ?p ?o }")
    'ASK'
    """
    for word, _ in sparql_keywords(sparql):
        if word in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
            return word
    raise QueryError("no SELECT, ASK, CONSTRUCT or DESCRIBE in the query; expected a SPARQL 1.1 query")


class EndpointServer(ThreadingHTTPServer):
    """The proxy server: knows the Oxigraph backend URL and the limits."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, backend: str, timeout: float, max_rows: int) -> None:
        super().__init__(address, EndpointHandler)
        self.backend = backend.rstrip("/")
        self.query_timeout = timeout
        self.max_rows = max_rows


class EndpointHandler(BaseHTTPRequestHandler):
    """One HTTP request to the endpoint."""

    server: EndpointServer
    protocol_version = "HTTP/1.1"
    server_version = "newsgraph"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        log.info("%s %s", self.address_string(), format % args)

    # -- routing -----------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server naming
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain",
                   {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Accept"})

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if path in {"/", "/index.html"}:
            self._send(HTTPStatus.OK, (ASSETS / "sparql.html").read_bytes(), "text/html; charset=utf-8")
        elif path == "/queries.json":
            self._send(HTTPStatus.OK, _library_json(), "application/json")
        elif path in {"/query", "/sparql"}:
            if "update" in params:
                self._refuse_update()
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing query parameter; expected /query?query=SELECT…")
            else:
                self._answer(params["query"][0], params)
        elif path in {"/update", "/store"}:
            self._refuse_update()
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page {url.path}; expected / or /query")

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body of {length} bytes; expected at most {MAX_BODY}")
            return
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if path in {"/update", "/store"} or content_type == "application/sparql-update":
            self._refuse_update()
            return
        if path not in {"/query", "/sparql"}:
            self._error(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; expected /query")
            return
        if content_type == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body, keep_blank_values=True))
            if "update" in params:
                self._refuse_update()
                return
            if "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing query form field; expected query=SELECT…")
                return
            self._answer(params["query"][0], params)
        elif content_type == "application/sparql-query":
            self._answer(body, params)
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        f"Content-Type {content_type or '(none)'}; expected application/sparql-query "
                        "or application/x-www-form-urlencoded")

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse_update()

    def do_DELETE(self) -> None:  # noqa: N802
        self._refuse_update()

    def do_PATCH(self) -> None:  # noqa: N802
        self._refuse_update()

    # -- answers ------------------------------------------------------------------
    def _refuse_update(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")

    def _answer(self, sparql: str, params: dict[str, list[str]]) -> None:
        try:
            check_query(sparql)
            form = query_form(sparql)
        except QueryError as err:
            status = HTTPStatus.FORBIDDEN if "is an update" in str(err) else HTTPStatus.BAD_REQUEST
            self._error(status, str(err))
            return
        requested = params.get("format", [""])[0].lower()
        if form in {"SELECT", "ASK"}:
            fmt = FORMAT_ALIASES.get(requested) or negotiate(self.headers.get("Accept", ""), table=RESULT_TYPES,
                                                             default="JSON")
            if form == "ASK":
                self._forward(sparql, MEDIA[fmt].split(";")[0], cap=None, reserialise=None)
            else:
                self._forward(sparql, "text/tab-separated-values", cap=self.server.max_rows, reserialise=fmt)
        else:
            fmt = negotiate(self.headers.get("Accept", ""), table=GRAPH_TYPES, default="N_TRIPLES")
            media = next(m for m, f in GRAPH_TYPES.items() if f == fmt)
            self._forward(sparql, media, cap=self.server.max_rows if fmt == "N_TRIPLES" else None, reserialise=None)

    def _forward(self, sparql: str, accept: str, *, cap: int | None, reserialise: str | None) -> None:
        request = urllib.request.Request(
            self.server.backend + "/query", data=sparql.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query", "Accept": accept})
        try:
            response = urllib.request.urlopen(request, timeout=self.server.query_timeout)  # noqa: S310 - loopback
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:1000]
            timed_out = "timeout" in detail.lower() or "timed out" in detail.lower()
            if timed_out:
                self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                            f"query exceeded the time limit of {self.server.query_timeout:g} s")
            else:
                self._error(HTTPStatus.BAD_REQUEST if err.code < 500 else HTTPStatus.BAD_GATEWAY, detail)
            return
        except (TimeoutError, socket.timeout):
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query exceeded the time limit of {self.server.query_timeout:g} s")
            return
        except urllib.error.URLError as err:
            self._error(HTTPStatus.BAD_GATEWAY, f"the store server is not answering: {err.reason}")
            return
        deadline = time.monotonic() + self.server.query_timeout
        with response:
            try:
                body, truncated = _read_capped(response, cap, deadline=deadline)
            except (TimeoutError, socket.timeout):
                self._error(HTTPStatus.SERVICE_UNAVAILABLE,
                            f"query exceeded the time limit of {self.server.query_timeout:g} s")
                return
            content_type = response.headers.get("Content-Type", accept)
        if body.rstrip().endswith(_CANCELLED):  # Oxigraph's own time limit cut the stream after a 200 header
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"query exceeded the time limit of {self.server.query_timeout:g} s")
            return
        headers = {"X-Newsgraph-Truncated": "true"} if truncated else {}
        if reserialise is not None:
            import pyoxigraph

            try:
                solutions = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.TSV)
                body = solutions.serialize(format=getattr(pyoxigraph.QueryResultsFormat, reserialise))
            except SyntaxError as err:
                self._error(HTTPStatus.BAD_GATEWAY, f"the store server sent results that cannot be read: {err}")
                return
            content_type = MEDIA[reserialise]
        self._send(HTTPStatus.OK, body, content_type, headers)

    # -- plumbing -----------------------------------------------------------------
    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Newsgraph-Truncated")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.info("client went away before the answer was sent")


def _read_capped(response: Any, cap: int | None, *, deadline: float) -> tuple[bytes, bool]:
    """Read a line-based answer (TSV results, N-Triples) keeping the header and at most ``cap`` rows.

    Raises ``TimeoutError`` once ``deadline`` (``time.monotonic()``) has passed.
    """
    if cap is None:
        chunks = []
        while chunk := response.read(1 << 16):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise TimeoutError("deadline passed")
        return b"".join(chunks), False
    lines: list[bytes] = []
    header = response.readline() if response.headers.get_content_type() == "text/tab-separated-values" else b""
    while True:
        line = response.readline()
        if time.monotonic() > deadline:
            raise TimeoutError("deadline passed")
        if not line:
            return header + b"".join(lines), False
        if len(lines) >= cap:
            return header + b"".join(lines), True
        lines.append(line)


def _library_json() -> bytes:
    from queries.runner import library

    items = [{"name": name, "title": spec.title, "description": spec.description, "example": spec.example,
              "params": [{"name": p.name, "type": p.type, "optional": p.optional, "doc": p.doc} for p in spec.params],
              "text": spec.text}
             for name, spec in sorted(library().items())]
    return json.dumps(items, ensure_ascii=False).encode("utf-8")
