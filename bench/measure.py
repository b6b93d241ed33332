"""Run a command as a child process and measure it from outside: wall time and peak memory.

Peak memory is the largest sum of resident set sizes over the whole process tree
(the command and every worker it starts), sampled with psutil every 50 ms; the
largest single process's peak from ``getrusage(RUSAGE_CHILDREN)`` is reported
beside it as a cross-check that sampling missed no spike. CPU time (user + system,
the whole tree) is measured too: on a machine shared with other work, CPU-time
ratios stay meaningful when wall-clock ratios do not.
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
    cpu_seconds: float  # user + system CPU of the whole tree (getrusage of waited-for children, or psutil samples)
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_mb(self) -> float:
        return max(self.peak_tree_rss, self.peak_process_rss) / 2**20


def _sample_tree(proc: object, cpu: dict[int, float]) -> int:
    """RSS summed over the tree now; records each process's latest user + system CPU in ``cpu``."""
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]  # type: ignore[attr-defined]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            with p.oneshot():
                total += p.memory_info().rss
                times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
        except psutil.Error:
            continue
    return total


def run_measured(command: list[str], *, timeout: float | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` (cwd = project root) and return its wall time, peak memory and output."""
    import psutil

    # the tree this bench/ sits in is measured, even if the venv's editable install points elsewhere
    # (e.g. a snapshot copied away from a working tree other people are editing)
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    full_env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": pythonpath, **(env or {})}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    handle = psutil.Process(child.pid)
    peak = 0
    sampled_cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _sample_tree(handle, sampled_cpu))
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
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu_after = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
    return Measured(command=command, seconds=seconds, peak_tree_rss=peak,
                    peak_process_rss=after if after > before else 0, cpu_seconds=max(cpu_after - cpu_before, sum(sampled_cpu.values())),
                    returncode=child.returncode,
                    stdout=stdout, stderr=stderr)
