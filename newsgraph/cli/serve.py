"""``newsgraph serve`` (owned by the queries room)."""

from __future__ import annotations

from typing import Annotated, Any

import typer


def serve(
    graph: Annotated[str, typer.Option("--graph", "-g", help="Graph file (.trig/.nq/.ttl/.jsonld) or Oxigraph store directory.")] = "out/graph.trig",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0 picks a free one).")] = 7878,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but loopback exposes the graph to the network.")] = "127.0.0.1",
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Time limit per query, in seconds.")] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Most rows one answer returns (cut answers carry X-Newsgraph-Truncated: true).")] = 10_000,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint with an offline query page.

    GET or POST SPARQL queries to /query (results as JSON, XML, CSV or TSV by the
    Accept header); updates are refused (403), SERVICE/FROM/LOAD are refused (400).
    Stop with Ctrl-C.

    Example: newsgraph serve --graph out/graph.trig --port 7878
    """
    from newsgraph.cli.common import console
    from queries.serve import serve as run_server

    if host not in {"127.0.0.1", "localhost", "::1"}:
        console().print(f"warning: listening on {host} makes the graph readable from other machines", markup=False)

    def announce(endpoint: Any) -> None:
        page = endpoint.url.rsplit("/query", 1)[0] + "/"
        console().print(f"SPARQL endpoint: {endpoint.url}   query page: {page}   (Ctrl-C to stop)", markup=False)

    run_server(graph, host=host, port=port, timeout=timeout, max_rows=max_rows, announce=announce)
