"""``NAME.meta.json`` sidecars: the metadata of the text file ``NAME.txt`` beside them.

A sidecar holds a JSON object with any of ``title``, ``publisher``, ``published``,
``url``, ``language`` (null for unknown). Sidecars are metadata, never articles.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from builder.formats import META_FIELDS, BadInput

SUFFIX = ".meta.json"


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` names a metadata sidecar.

    >>> is_sidecar(Path("seeds/004_38fe.meta.json")), is_sidecar(Path("a.json"))
    (True, False)
    """
    return path.name.lower().endswith(SUFFIX)


def sidecar_for(path: Path) -> Path | None:
    """The sidecar of ``path`` if one exists: ``NAME.meta.json`` or ``NAME.EXT.meta.json``."""
    for candidate in (path.with_name(path.stem + SUFFIX), path.with_name(path.name + SUFFIX)):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict[str, str]:
    """The sidecar's fields as strings (nulls and unknown keys left out).

    Raises :class:`InputError` (stage ``"metadata"``) when it is not a JSON object.
    """
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8-sig"))
    except OSError as err:
        raise BadInput(f"cannot read the metadata sidecar: {err.strerror}", path=str(path),
                       stage="metadata", error=type(err).__name__) from err
    except (UnicodeDecodeError, ValueError) as err:
        raise BadInput(f"received malformed JSON ({err}); expected a JSON object with "
                       f"{', '.join(META_FIELDS)}", path=str(path), stage="metadata",
                       error="JSONDecodeError") from err
    if not isinstance(data, dict):
        raise BadInput(f"received a JSON {type(data).__name__}; expected a JSON object with "
                       f"{', '.join(META_FIELDS)}", path=str(path), stage="metadata", error="WrongType")
    return fields_of(data, source=str(path))


def fields_of(data: dict[str, object], *, source: str, line: int | None = None,
              names: tuple[str, ...] = META_FIELDS) -> dict[str, str]:
    """The named string fields of a JSON object; a wrong type is an InputError naming the field.

    >>> fields_of({"title": "Strike", "url": None, "x": 1}, source="a.jsonl")
    {'title': 'Strike'}
    """
    out: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
            value = str(value)
        if not isinstance(value, str):
            raise BadInput(f"field {name!r} is a JSON {type(value).__name__} ({value!r:.60}); "
                           "expected a string or null", path=source, line=line, stage="metadata",
                           error="WrongType")
        value = clean_field(value)
        if value:
            out[name] = value
    return out


def clean_field(value: str) -> str:
    r"""A metadata value as one clean line: lone surrogates become U+FFFD, control characters go,
    runs of white space become one space (no RDF store accepts a lone surrogate or a NUL).

    >>> clean_field("Idlib \udfff strike\r\n\x00 toll\t")
    'Idlib \ufffd strike toll'
    """
    value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    value = "".join(ch for ch in value if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(value.split())
