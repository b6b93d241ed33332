"""The Dask scale-out writes the graph a single-process build writes, triple for triple."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontology.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _sorted_nquads(path: Path) -> list[str]:
    return sorted(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.fixture(scope="module")
def single_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """examples/ built the ordinary way: one process, N-Quads file."""
    from builder.pipeline import build

    single = tmp_path_factory.mktemp("single") / "single.nq"
    return build([str(EXAMPLES)], str(single), jobs=1, progress=False), single


@pytest.mark.slow
def test_dask_local_cluster_build_equals_single_process_build(tmp_path: Path, single_build) -> None:
    import distributed  # noqa: F401 - a required dependency: missing, this test fails (never skips)

    from builder.pipeline import build

    one, single = single_build
    sharded = tmp_path / "dask.nq"
    two = build([str(EXAMPLES)], str(sharded), jobs=2, progress=False, scheduler="local")

    expected = _sorted_nquads(single)
    got = _sorted_nquads(sharded)
    assert one.articles_built >= 8, one.summary()
    assert two.articles_built == one.articles_built
    article_graphs = {line.rsplit(" ", 2)[-2] for line in expected if "/graph/article/" in line}
    assert len(article_graphs) == one.articles_built
    assert got == expected


def _oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the Oxigraph server binary (pip package oxigraph, pinned) is required and missing")
    return found


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real read-write ``oxigraph serve`` on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([_oxigraph_binary(), "serve", "--location", str(tmp_path / "server"),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _quads(nquads: bytes) -> list[str]:
    import pyoxigraph

    return sorted(str(q) for q in pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))


@pytest.mark.slow
def test_dask_build_into_a_sparql_server_equals_single_process_build(oxigraph_server: str, single_build) -> None:
    """The scale-out path end to end: Dask map step, load and resolution into an Oxigraph server over SPARQL."""
    from builder.pipeline import build

    one, single = single_build
    two = build([str(EXAMPLES)], f"{oxigraph_server}/query", jobs=2, progress=False, scheduler="local")

    request = urllib.request.Request(f"{oxigraph_server}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own loopback server
        served = _quads(response.read())
    assert two.articles_built == one.articles_built >= 8
    assert served == _quads(single.read_bytes())


@pytest.mark.parametrize("address", ["", "not an address"])
def test_dask_map_rejects_a_scheduler_that_is_not_an_address(address: str) -> None:
    from builder.distributed import dask_map

    with pytest.raises(UsageError, match="scheduler"):
        list(dask_map([], scheduler=address))


@pytest.mark.parametrize("size", [0, -3])
def test_dask_map_rejects_an_empty_shard_size(size: int) -> None:
    from builder.distributed import dask_map

    with pytest.raises(UsageError, match="shard size"):
        list(dask_map([], scheduler="local", shard_size=size))
