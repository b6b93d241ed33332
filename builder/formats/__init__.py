"""Input formats: each turns decoded file content into article text plus metadata.

``text``, ``html`` and ``markdown`` take one document's text and return a
:class:`Document`; ``jsonl`` streams records line by line; ``sidecar`` reads the
``NAME.meta.json`` beside a file; ``decode`` turns bytes into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology.errors import InputError

META_FIELDS = ("title", "publisher", "published", "url", "language")


@dataclass(slots=True)
class Document:
    """One article's raw text (not yet normalised) and the metadata found with it."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)  # keys from META_FIELDS (+ "id")


class BadInput(InputError):
    """An input that cannot become an article; ``error`` names the problem for the quarantine report."""

    def __init__(self, message: str, *, error: str, path: str | None = None, line: int | None = None,
                 stage: str = "read") -> None:
        super().__init__(message, path=path, line=line, stage=stage)
        self.error = error
