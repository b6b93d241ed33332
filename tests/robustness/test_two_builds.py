"""Two ``newsgraph build`` processes into one store: one proceeds, the other fails at once (exit 75)."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ontology.store import lock_path, open_store
from tests.robustness.articles import corpus

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")


def held(lock: Path) -> bool:
    """Whether another process holds the store's lock (we cannot even share it)."""
    if not lock.exists():
        return False
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@pytest.mark.parametrize("name", ["store", "graph.trig"])
def test_the_second_build_fails_at_once_and_the_first_finishes(name: str, tmp_path: Path) -> None:
    corpus(tmp_path / "in", 4)
    output = tmp_path / name
    first = subprocess.Popen([str(CLI), "build", str(tmp_path / "in"), "--output", str(output), "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not held(lock_path(str(output))):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first build never took the store's lock"
            time.sleep(0.02)
        second = subprocess.run([str(CLI), "build", str(tmp_path / "in"), "--output", str(output), "--quiet"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert first.poll() is None  # the second gave up while the first was still building
    finally:
        _, stderr = first.communicate(timeout=300)
    assert second.returncode == 75, second.stderr
    assert "is in use" in second.stderr and str(output) in second.stderr
    assert first.returncode == 0, stderr
    with open_store(str(output)) as store:
        assert sum("/graph/article/" in g for g in store.graph_names()) == 4
