"""The quarantine report: every input that was skipped or needs a look, and why.

One bad file never stops a batch. Each problem is logged as one line naming the
file (and line), and recorded here; ``write`` saves the report as JSON Lines with
the keys ``file``, ``line``, ``stage``, ``error`` and ``message``.

>>> q = Quarantine()
>>> bool(q)
False
>>> q.add("in/a.txt", None, "read", "EmptyFile", "the file is empty; expected article text")
>>> len(q), q.entries[0].stage
(1, 'read')
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ontology.errors import DiskFullError

logger = logging.getLogger("newsgraph.input")


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """One quarantined input: where it is, at which stage it failed, and why."""

    file: str
    line: int | None
    stage: str  # read | decode | parse | metadata | normalise | language | dedupe | annotate | extract …
    error: str  # a short name of the problem: EmptyFile, BinaryFile, JSONDecodeError …
    message: str  # one line saying what was received and what was expected

    def where(self) -> str:
        """``file`` or ``file:line``."""
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where()}: {self.stage}: {self.error}: {self.message}"


class Quarantine:
    """Collects quarantined inputs of one run; logs each as a one-line warning."""

    def __init__(self) -> None:
        self._entries: list[QuarantineEntry] = []

    def add(self, path: str | os.PathLike[str], line: int | None, stage: str, error: str,
            message: str) -> None:
        """Record one problem and log it as one warning line naming the file (and line)."""
        one_line = " ".join(str(message).split())
        entry = QuarantineEntry(os.fspath(path), line, stage, error, one_line)
        self._entries.append(entry)
        logger.warning("%s", entry)

    @property
    def entries(self) -> list[QuarantineEntry]:
        """The recorded entries, in the order they were added."""
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __iter__(self) -> Iterator[QuarantineEntry]:
        return iter(list(self._entries))

    def to_jsonl(self) -> str:
        """The report as JSON Lines text (one entry a line; empty string when clean)."""
        return "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in self._entries)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the report as JSON Lines, atomically (a temporary file renamed into place)."""
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as err:
            raise DiskFullError(
                f"cannot create the quarantine report {target}: {err.strerror}; "
                "expected a writable directory") from err
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(self.to_jsonl())
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as err:
            Path(tmp).unlink(missing_ok=True)
            raise DiskFullError(
                f"cannot write the quarantine report {target}: {err.strerror}; "
                "expected a writable disk with free space") from err
