"""JSON Lines: one article a line, ``{"id", "text", "title", "publisher", "published", "url", "language"}``.

Streamed line by line, so a file of any size reads in constant memory. A bad
line is yielded as a :class:`BadInput` naming the line; the lines after it
are still read. Blank lines are skipped.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from builder.formats import META_FIELDS, BadInput
from builder.formats.decode import decode_line
from builder.formats.sidecar import fields_of
from ontology.errors import InputError

logger = logging.getLogger("newsgraph.input")

_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(slots=True)
class Record:
    """One JSON Lines article: its line number, raw text and metadata."""

    line: int  # the line number in JSON Lines; the item number in a .json array; 0 for a lone object
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"


def iter_jsonl(lines: Iterable[bytes], *, source: str) -> Iterator[Record | BadInput]:
    """Yield a :class:`Record` per good line and a :class:`BadInput` per bad one."""
    it = iter(lines)
    first = next(it, b"")
    if first.startswith(_UTF16_32_BOMS):
        # Wide encodings do not split on b"\n" safely: decode whole, then split.
        text, encoding = _decode_wide(first + b"".join(it), source)
        numbered: Iterator[tuple[int, str, str]] = (
            (n, line, encoding) for n, line in enumerate(text.split("\n"), 1))  # not splitlines: U+2028 may sit in a string
    else:
        numbered = _decoded(chain([first], it), source)
    for number, line, encoding in numbered:
        if not line.strip():
            continue
        yield _record(line, number, encoding, source)


def _decode_wide(data: bytes, source: str) -> tuple[str, str]:
    from builder.formats.decode import decode_bytes

    return decode_bytes(data, source=source)


def _decoded(lines: Iterable[bytes], source: str) -> Iterator[tuple[int, str, str]]:
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        text, encoding = decode_line(raw)
        yield number, text, encoding


def _record(line: str, number: int, encoding: str, source: str) -> Record | BadInput:
    try:
        data = json.loads(line)
    except ValueError as err:
        why = f"{err.msg} at column {err.colno}" if isinstance(err, json.JSONDecodeError) else str(err)
        return BadInput(f"received malformed JSON ({why}); expected one JSON object a line",
                        path=source, line=number, stage="parse", error="JSONDecodeError")
    return record_from(data, number, encoding, source)


def record_from(data: object, number: int | None, encoding: str, source: str) -> Record | BadInput:
    """A :class:`Record` from one parsed JSON value, or a :class:`BadInput` saying what is wrong."""
    if not isinstance(data, dict):
        return BadInput(f"received a JSON {type(data).__name__}; expected a JSON object with "
                        '"text"', path=source, line=number, stage="parse", error="WrongType")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        got = "no \"text\" field" if "text" not in data else f"\"text\" = {text!r:.60}"
        return BadInput(f"received {got}; expected \"text\": the article as a non-empty string",
                        path=source, line=number, stage="parse", error="MissingField")
    meta: dict[str, str] = {}
    for name in ("id", *META_FIELDS):
        try:
            meta.update(fields_of(data, source=source, line=number, names=(name,)))
        except InputError as err:
            logger.warning("%s (field ignored)", err)
    return Record(number or 0, text, meta, encoding)


def iter_json(text: str, *, source: str, encoding: str) -> Iterator[Record | BadInput]:
    """Articles in a ``.json`` file: one object, or an array of objects (numbered from 1)."""
    try:
        data = json.loads(text)
    except ValueError as err:
        why = f"{err.msg} at line {err.lineno} column {err.colno}" if isinstance(err, json.JSONDecodeError) else str(err)
        yield BadInput(f"received malformed JSON ({why}); expected an article object or an array of them",
                       path=source, stage="parse", error="JSONDecodeError")
        return
    if isinstance(data, list):
        for number, item in enumerate(data, 1):
            yield record_from(item, number, encoding, source)
    else:
        yield record_from(data, None, encoding, source)
