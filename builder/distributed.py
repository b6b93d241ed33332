"""Scale-out: the build's map step on a Dask cluster (``newsgraph build --scheduler ADDRESS``).

Beyond one machine newsgraph does not schedule work itself; it hands the NLP map
step to ``dask.distributed``. The articles are cut into shards; each shard goes to
a worker, which runs exactly the single-machine map step
(``builder.workers.process_articles``: annotate, extract, resolve, assemble) and
sends back the shard's article graphs. Every IRI in them is minted from content
hashes and resolved keys (``ontology/iri.py``), so shards need no coordination
and any worker may take any shard. This process stays the single writer: it
applies the shards' graphs, in input order, to the target store — a file, an
Oxigraph directory, or a SPARQL 1.1 server such as ``oxigraph serve`` — and then
runs the resolution step (entity descriptions, event merges) there. The graph is
therefore the one a single-process build writes, triple for triple.

``scheduler`` is ``"local"`` (a ``LocalCluster`` on this machine: ``jobs`` worker
processes, one thread each) or the address of a running scheduler
(``tcp://10.0.0.5:8786``); its workers need newsgraph and the pinned model installed.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from builder.records import ArticleInput
from ontology.errors import UsageError
from ontology.iri import DEFAULT_BASE

if TYPE_CHECKING:
    from builder.workers import Outcome

SHARD = 32  # articles per Dask task: large enough to amortise scheduling (~1 ms/task) against ~1 s of parsing
LOCAL = "local"


def process_shard(articles: list[ArticleInput], base: str = DEFAULT_BASE) -> list[Outcome]:
    """The Dask task: one shard through the single-machine map step, in order."""
    from builder.workers import process_articles

    return process_articles(articles, base=base)


def dask_map(articles: Iterable[ArticleInput], *, scheduler: str, jobs: int = 2, base: str = DEFAULT_BASE,
             shard_size: int = SHARD) -> Iterator[Outcome]:
    """Run the map step on a Dask cluster, yielding outcomes in input order.

    At most two shards per worker thread are in flight, so the client's memory
    stays flat however large the corpus is.
    """
    if shard_size < 1:
        raise UsageError(f"shard size must be at least 1 article, got {shard_size}")
    with _client(scheduler, jobs=jobs) as client:
        from builder.workers import batches, warm_up

        client.run(warm_up)  # every worker loads the model now, in parallel, not on its first shard
        slots = max(1, sum(client.nthreads().values())) * 2
        pending: deque[Any] = deque()
        for shard in batches(articles, shard_size):
            pending.append(client.submit(process_shard, shard, base, pure=False))
            while len(pending) >= slots:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


@contextmanager
def _client(scheduler: str, *, jobs: int) -> Iterator[Any]:
    """A Dask client on a fresh local cluster (``"local"``) or on the scheduler at ``scheduler``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise UsageError(f"--scheduler needs the 'distributed' package (pinned in pyproject.toml), got {err}") from err
    if scheduler == LOCAL:
        if jobs < 1:
            raise UsageError(f"--jobs must be at least 1 with --scheduler local, got {jobs}")
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1", silence_logs=logging.ERROR)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    if not scheduler or "://" not in scheduler and ":" not in scheduler:
        raise UsageError(f"--scheduler expects 'local' or a scheduler address like tcp://HOST:8786, got {scheduler!r}")
    try:
        client = Client(scheduler, timeout="30s")
    except OSError as err:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler!r}: {err}; expected a running "
                         "'dask scheduler' with workers that have newsgraph installed") from err
    with client:
        yield client
