"""Run a command as a child process and measure it from outside: wall time and peak memory.

Peak memory is the largest sum of resident set sizes over the whole process tree
(the command and every worker it starts), sampled with psutil every 50 ms; the
largest single process's peak from ``getrusage(RUSAGE_CHILDREN)`` is reported
beside it as a cross-check that sampling missed no spike.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass(frozen=True, slots=True)
class Measured:
    """What one child run cost."""

    command: list[str]
    seconds: float
    peak_tree_rss: int  # bytes, summed over the process tree
    peak_process_rss: int  # bytes, the largest single descendant (getrusage; only grows within a harness run)
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_mb(self) -> float:
        return max(self.peak_tree_rss, self.peak_process_rss) / 2**20


def _tree_rss(proc: object) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]  # type: ignore[attr-defined]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(command: list[str], *, timeout: float | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` (cwd = project root) and return its wall time, peak memory and output."""
    import psutil

    full_env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    handle = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(handle))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
    finally:
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return Measured(command=command, seconds=seconds, peak_tree_rss=peak,
                    peak_process_rss=after if after > before else 0, returncode=child.returncode,
                    stdout=stdout, stderr=stderr)
