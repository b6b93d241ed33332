"""One error hierarchy for newsgraph.

Every error says what was received and what was expected, and names the file
(and line) where there is one. Each class carries the process exit code the CLI
uses for it, following BSD ``sysexits.h`` where one fits.
"""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""

    exit_code: int = 1


class InputError(NewsgraphError):
    """An input file or record cannot be read (exit 65, ``EX_DATAERR``)."""

    exit_code = 65

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 stage: str = "read") -> None:
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.stage = stage
        self.reason = message


class UsageError(NewsgraphError):
    """The command line or API call is wrong (exit 2)."""

    exit_code = 2


class StoreError(NewsgraphError):
    """A graph store cannot be opened, read or written (exit 74, ``EX_IOERR``)."""

    exit_code = 74


class StoreLockedError(StoreError):
    """Another process is writing to the store (exit 75, ``EX_TEMPFAIL``)."""

    exit_code = 75


class DiskFullError(StoreError):
    """The output cannot be created or written: disk full or read-only (exit 73, ``EX_CANTCREAT``)."""

    exit_code = 73


class QueryError(NewsgraphError):
    """A SPARQL query is unknown, malformed, refused or over its limits (exit 1)."""

    exit_code = 1


class ValidationError(NewsgraphError):
    """A graph breaks the SHACL shapes or the ontology is inconsistent (exit 1)."""

    exit_code = 1


class ExportError(NewsgraphError):
    """A projection or export format cannot be produced (exit 1)."""

    exit_code = 1
