"""A worker process of ``newsgraph build --jobs 2`` killed mid-build (as the OOM killer would):
the build goes on, redoes the dead worker's articles, and ends with the same graph as a clean build."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from ontology.store import open_store
from tests.robustness.articles import corpus

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")


def nquads(location: Path) -> list[str]:
    with open_store(str(location)) as store:
        text = store.dataset().serialize(format="nquads")
    return sorted(line for line in text.splitlines() if line.strip())


def test_a_killed_worker_loses_no_article(tmp_path: Path) -> None:
    corpus(tmp_path / "in", 16)
    output = tmp_path / "graph.nq"
    build = subprocess.Popen([str(CLI), "build", str(tmp_path / "in"), "--output", str(output), "--jobs", "2",
                              "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    try:
        parent = psutil.Process(build.pid)
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and build.poll() is None:
            # pool workers are forked by the forkserver, itself a child of the build
            workers = [p for child in parent.children() for p in child.children()]
            if workers:
                killed = workers[0].pid
                workers[0].send_signal(signal.SIGKILL)
            time.sleep(0.05)
    finally:
        _, stderr = build.communicate(timeout=600)
    assert killed is not None, "no worker process was seen"
    assert build.returncode == 0, stderr
    assert "Traceback" not in stderr
    clean = tmp_path / "clean.nq"
    done = subprocess.run([str(CLI), "build", str(tmp_path / "in"), "--output", str(clean), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert nquads(output) == nquads(clean)
