"""Store writes behind the parse: changesets applied in order by one thread of their own.

Writing a batch of articles is mostly the store's own work (Oxigraph's insert,
in Rust, without the GIL), so while it runs the build thread can parse the next
batch: on a single-process build the writes use the second core instead of
adding to the wall time. ``builder.pipeline`` hands every changeset to a
:class:`WriteBehind` and calls :meth:`WriteBehind.drain` before it reads the
store, so a read always sees every write submitted before it.

The guarantees of the synchronous writer hold: changesets are applied one at a
time in the order submitted, each in its own transaction; at most ``depth``
wait behind the one being applied, so memory stays bounded. A write that
fails is raised in the build thread (at its next submit, drain or close) as a
:class:`~ontology.errors.StoreError` naming what was being written, and nothing
submitted after it is applied: the store keeps the whole articles written before.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from ontology.errors import StoreError

_STOP = object()


class WriteBehind:
    """Apply changesets to ``store`` in a background thread, in order.

    Use it as a context manager (``with WriteBehind(store) as behind:``), call
    :meth:`submit` for each changeset and :meth:`drain` before reading the store.
    """

    def __init__(self, store: Any, *, depth: int = 1) -> None:
        self.store = store
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: StoreError | None = None
        self._thread: threading.Thread | None = None

    def submit(self, changes: Any, *, what: str = "a changeset", flush: bool = False) -> None:
        """Queue ``changes`` (then a store flush when ``flush``); blocks while ``depth`` changesets wait.

        ``what`` names the changeset in the error if its write fails (e.g. the articles it holds).
        """
        self._raise()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="newsgraph-writer", daemon=True)
            self._thread.start()
        self._queue.put((changes, what, flush))

    def drain(self) -> None:
        """Wait until everything submitted is in the store; raise the store's error if a write failed."""
        if self._thread is not None:
            self._queue.join()
        self._raise()

    def close(self, *, discard: bool = False) -> None:
        """Stop the thread after the changesets already submitted (only the running one when ``discard``)."""
        if self._thread is None:
            return
        if discard:
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
                self._queue.task_done()
        self._queue.put(_STOP)
        self._thread.join()
        self._thread = None
        if not discard:
            self._raise()

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        # on an error in the build thread, what waits is dropped: those articles were never written,
        # and the store keeps whole articles only
        self.close(discard=kind is not None)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is _STOP:
                    return
                changes, what, flush = job
                if self._error is None:  # after a failed write nothing more is applied
                    try:
                        self.store.apply(changes)
                        if flush:
                            self.store.flush()
                    except StoreError as err:  # disk full, I/O: already says what and where
                        self._error = err
                    except Exception as err:  # noqa: BLE001 - handed to the build thread by _raise
                        failed = StoreError(f"could not write {what} to the store: {err}")
                        failed.__cause__ = err
                        self._error = failed
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:  # stays set: every later submit or drain fails too
            raise self._error
