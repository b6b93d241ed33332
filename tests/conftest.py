"""Fixtures shared by every test package."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def nlp():
    """The real annotation pipeline (model + domain components), loaded once per session."""
    from builder.nlp import load_nlp

    return load_nlp()


class Listener:
    """A loopback TCP listener counting every connection it receives: proof that nothing was fetched."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback listener on a free port; tests assert ``listener.connections == 0``."""
    server = Listener()
    yield server
    server.close()


_HOLD_LOCK = """
import sys
from ontology.store import open_store
with open_store(sys.argv[1], mode="w"):
    print("locked", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def hold_writer_lock() -> Callable[[str], subprocess.Popen]:
    """Start another process that opens a store for writing and holds it until it reads a line.

    It prints "locked" once it holds the lock; send it a line (``communicate("done\\n")``) to release.
    """

    def start(location: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", textwrap.dedent(_HOLD_LOCK), location],
                                cwd=Path(__file__).resolve().parents[1], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)

    return start
