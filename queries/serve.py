"""``newsgraph serve``: a read-only SPARQL 1.1 endpoint over any graph.

The Oxigraph server (``oxigraph serve-read-only`` from the pinned ``oxigraph``
package, union default graph, its own time limit) listens on a private loopback
port; :mod:`queries.proxy` listens on the public address and refuses updates,
``SERVICE``/``FROM``/``LOAD``, caps rows, enforces the time limit and serves the
offline query page. A graph file is first loaded (one transaction, not the bulk
loader) into a temporary store directory, removed on exit; a store directory is
served in place under the shared (reader) lock, so no build can write to it
meanwhile.
"""

from __future__ import annotations

import logging
import math
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology.errors import StoreError, UsageError

log = logging.getLogger("newsgraph.serve")

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable installed beside this Python (or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError("the oxigraph server is not installed; expected the `oxigraph` command "
                         "(pip install oxigraph==0.5.13)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def load_into_directory(graph: str, directory: Path) -> None:
    """Load a graph file into a new Oxigraph store directory in one transaction (safe reading rules apply)."""
    import pyoxigraph

    from ontology.rdfio import rdf_format, refuse_dangerous

    refuse_dangerous(graph)
    store = pyoxigraph.Store(str(directory))
    try:
        store.load(path=graph, format=rdf_format(graph))
        store.flush()
    except SyntaxError as err:
        from ontology.errors import InputError

        raise InputError(f"not valid RDF: {err}", path=graph, stage="serve") from err
    except OSError as err:
        raise StoreError(f"cannot load {graph} into a temporary store: {err}") from err
    finally:
        del store  # closes RocksDB so the server can open the directory


@dataclass
class Endpoint:
    """A running endpoint: ``url`` is the public SPARQL query URL. Stop with ``close()``."""

    url: str
    backend: str
    process: subprocess.Popen[bytes]
    server: Any
    thread: threading.Thread | None = None
    tmpdir: str | None = None
    lock: Any = None
    closed: bool = field(default=False)

    def close(self) -> None:
        """Stop the proxy and the Oxigraph server; remove the temporary store."""
        if self.closed:
            return
        self.closed = True
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_endpoint(graph: str, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                   timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                   background: bool = True) -> Endpoint:
    """Start the Oxigraph server and the proxy for ``graph``; ``port=0`` picks a free port.

    With ``background=True`` the proxy runs in a daemon thread (for tests and the
    Python API); otherwise call ``endpoint.server.serve_forever()`` yourself.
    """
    from ontology.store import _FileLock, store_kind
    from queries.proxy import EndpointServer

    if timeout <= 0 or max_rows <= 0:
        raise UsageError(f"--timeout and --max-rows must be positive, got {timeout} and {max_rows}")
    kind = store_kind(graph)
    if kind == "sparql":
        raise UsageError(f"{graph} is already a SPARQL endpoint; expected a graph file or store directory to serve")
    tmpdir: str | None = None
    lock = None
    if kind == "file":
        if not Path(graph).is_file():
            raise StoreError(f"graph file {graph} does not exist; expected a graph built with newsgraph build")
        tmpdir = tempfile.mkdtemp(prefix="newsgraph-serve-")
        location = str(Path(tmpdir) / "store")
        try:
            load_into_directory(graph, Path(location))
        except BaseException:
            shutil.rmtree(tmpdir, ignore_errors=True)
            raise
    else:
        location = graph
        if not (Path(location) / "CURRENT").exists():
            raise StoreError(f"store directory {graph} does not exist or is empty; expected a store built "
                             "with newsgraph build --output DIR")
        lock = _FileLock(location, exclusive=False)
    backend_port = free_port()
    command = [oxigraph_binary(), "serve-read-only", "--location", location,
               "--bind", f"127.0.0.1:{backend_port}", "--union-default-graph",
               "--timeout-s", str(max(1, math.ceil(timeout)))]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)

    def abandon() -> None:
        if process.poll() is None:
            process.kill()
            process.wait()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
        if lock is not None:
            lock.release()

    try:
        _wait_listening(process, backend_port)
        try:
            server = EndpointServer((host, port), backend=f"http://127.0.0.1:{backend_port}",
                                    timeout=timeout, max_rows=max_rows)
        except OSError as err:
            raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}; expected a free port "
                             "(--port) on an address of this machine (--host)") from err
    except BaseException:
        abandon()
        raise
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    endpoint = Endpoint(url=f"http://{shown}:{bound_port}/query", backend=f"http://127.0.0.1:{backend_port}",
                        process=process, server=server, tmpdir=tmpdir, lock=lock)
    if background:
        endpoint.thread = threading.Thread(target=server.serve_forever, name="newsgraph-endpoint", daemon=True)
        endpoint.thread.start()
    return endpoint


def _wait_listening(process: subprocess.Popen[bytes], port: int, *, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            raise StoreError(f"the oxigraph server stopped at start (exit {process.returncode}): {stderr.strip()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise StoreError(f"the oxigraph server did not listen on 127.0.0.1:{port} within {within:g} s")


def serve(graph: str, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout: float = DEFAULT_TIMEOUT,
          max_rows: int = DEFAULT_MAX_ROWS, announce: Any = None) -> None:
    """Serve ``graph`` until interrupted (Ctrl-C or SIGTERM)."""
    import signal

    endpoint = start_endpoint(graph, host=host, port=port, timeout=timeout, max_rows=max_rows, background=False)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if announce is not None:
            announce(endpoint)
        endpoint.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        endpoint.close()
