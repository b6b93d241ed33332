"""Plain text, including text extracted from PDFs (normalisation does the unwrapping)."""

from __future__ import annotations

from builder.formats import Document


def read_text(text: str) -> Document:
    """A plain-text article: the text itself, no metadata.

    >>> read_text("ADEN - Shelling hit the port.").text
    'ADEN - Shelling hit the port.'
    """
    return Document(text)
