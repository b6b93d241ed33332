"""A disk that fills up mid-build: exit 73, a clear message, and what was built before is intact.

The disk is filled by the file-size limit (``RLIMIT_FSIZE``, which any user can set on
a child process; writes past it fail with EFBIG, as they would with ENOSPC on a full
disk), applied to ``newsgraph build`` as a user runs it.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ontology.store import open_store
from tests.robustness.articles import corpus

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")


def build(inputs: list[Path], output: Path, *, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def fill_disk_at_limit() -> None:  # runs in the child before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run([str(CLI), "build", *map(str, inputs), "--output", str(output), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          preexec_fn=fill_disk_at_limit if limit is not None else None)


def nquads(location: Path) -> list[str]:
    with open_store(str(location)) as store:
        text = store.dataset().serialize(format="nquads")
    return sorted(line for line in text.splitlines() if line.strip())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("reports")
    first, more = folder / "first", folder / "more"
    corpus(first, 2)
    corpus(more, 10, start=2)
    return first, more


def test_a_graph_file_that_cannot_be_written_exits_73_and_keeps_the_old_file(
        reports: tuple[Path, Path], tmp_path: Path) -> None:
    first, more = reports
    output = tmp_path / "graph.trig"
    assert build([first], output).returncode == 0
    before = output.read_bytes()
    done = build([first, more], output, limit=len(before) + 2048)
    assert done.returncode == 73, done.stderr
    assert str(output) in done.stderr and "expected a writable location with free space" in done.stderr
    assert "Traceback" not in done.stderr
    assert output.read_bytes() == before  # the previous graph, whole
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".graph.trig.lock")) == ["graph.trig"]


def test_a_store_directory_on_a_full_disk_exits_73_and_keeps_whole_articles(
        reports: tuple[Path, Path], tmp_path: Path) -> None:
    first, more = reports
    store = tmp_path / "store"
    assert build([first], store).returncode == 0
    before = nquads(store)
    done = build([first, more], store, limit=400_000)  # opens, then fails as the write-ahead log grows
    assert done.returncode == 73, done.stderr
    assert str(store) in done.stderr and "Traceback" not in done.stderr
    after = nquads(store)
    article_lines = [line for line in before if "/graph/article/" in line.rsplit(" ", 2)[-2]]
    assert set(article_lines) <= set(after)  # what was built before is still there
    assert build([first, more], store).returncode == 0  # with room again, the rerun finishes the job
    clean = tmp_path / "clean.nq"
    assert build([first, more], clean).returncode == 0
    assert nquads(store) == nquads(clean)
