"""Bytes to text: byte-order marks, UTF-8, mixed UTF-8/cp1252, detected legacy encodings.

A file that decodes is never rejected for its encoding; the encoding used is
reported so it can be recorded on the article. Binary data and empty files
raise :class:`~ontology.errors.InputError` with stage ``"decode"`` / ``"read"``.

>>> decode_bytes("Idlib".encode("utf-16"), source="a.txt")
('Idlib', 'utf-16')
>>> decode_bytes(b"caf\\xe9 in Aden", source="a.txt")
('café in Aden', 'cp1252')
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from builder.formats import BadInput

# (byte-order mark, codec, the name recorded); longest marks first (UTF-32-LE starts like UTF-16-LE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Leading bytes of common binary formats, to say what was received.
_MAGIC = (
    (b"%PDF-", "a PDF document (extract its text first, e.g. with pdftotext)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Legacy encodings news text comes in, tried before charset-normalizer's full list.
_LEGACY = ("cp1252", "cp1250", "cp1256", "cp1251", "cp1253", "cp1254", "cp1255", "koi8_r", "koi8_u",
           "iso8859_6", "gb18030", "big5", "shift_jis", "euc_kr", "latin_1")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_CONTROL_RATIO = 0.02
_SAMPLE = 1 << 16


def sniff_binary(data: bytes) -> str | None:
    """What binary format ``data`` starts with, or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as cp1252 (or Latin-1)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    byte = err.object[err.start:err.start + 1]
    try:
        return byte.decode("cp1252"), err.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), err.start + 1


@lru_cache(maxsize=1)
def _fallback_handler() -> str:
    """Register the mixed-encoding error handler once, on first use; return its name."""
    codecs.register_error("newsgraph-cp1252", _cp1252_fallback)
    return "newsgraph-cp1252"


def _mostly_control(text: str) -> bool:
    sample = text[:_SAMPLE]
    return bool(sample) and len(_CONTROL.findall(sample)) > _BINARY_CONTROL_RATIO * len(sample)


def decode_bytes(data: bytes, *, source: str) -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, encoding)``.

    Order: a byte-order mark; strict UTF-8; UTF-8 with stray cp1252 bytes (mixed
    files, recorded as ``"utf-8+cp1252"``); the encoding charset-normalizer detects.
    """
    if not data.strip():
        raise BadInput("the file is empty; expected article text", path=source, stage="read",
                       error="EmptyFile")
    what = sniff_binary(data)
    if what:
        raise BadInput(f"received {what}; expected text, HTML, Markdown or JSON Lines",
                       path=source, stage="decode", error="BinaryFile")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as err:
                raise BadInput(f"the file starts with a {name} byte-order mark but byte {err.start} "
                                 f"is not {name}; expected consistent {name}",
                                 path=source, stage="decode", error="DecodeError") from err
            return _checked(text, name, source)
    if not _looks_wide(data[:_SAMPLE]):
        try:
            return _checked(data.decode("utf-8"), "utf-8", source)
        except UnicodeDecodeError:
            pass
        declared = _declared_charset(data)
        if declared:
            try:
                return _checked(data.decode(declared), declared, source)
            except (UnicodeDecodeError, LookupError):
                pass
        if _mostly_utf8(data):
            return _checked(data.decode("utf-8", _fallback_handler()), "utf-8+cp1252", source)
    from charset_normalizer import from_bytes

    sample = data[: 4 * _SAMPLE]
    best = from_bytes(sample, cp_isolation=list(_LEGACY)).best() or from_bytes(sample).best()
    if best is None:
        raise BadInput("received binary data that decodes in no known text encoding; "
                       "expected text", path=source, stage="decode", error="BinaryFile")
    encoding = best.encoding
    try:
        text = data.decode(encoding)
        # Western single-byte code pages that agree on this text: name the common one.
        if encoding != "cp1252" and _decodes_same(data, text, "cp1252"):
            encoding = "cp1252"
    except (UnicodeDecodeError, LookupError) as err:
        raise BadInput(f"the text looks like {encoding} but does not decode as such ({err}); "
                       "expected one consistent encoding", path=source, stage="decode",
                       error="DecodeError") from err
    return _checked(text, encoding.replace("_", "-"), source)


def _looks_wide(sample: bytes) -> bool:
    """Whether ``sample`` looks like UTF-16/32 without a byte-order mark (NULs on every other byte)."""
    if b"\x00" not in sample:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)) > 0.3


def _decodes_same(data: bytes, text: str, encoding: str) -> bool:
    try:
        return data.decode(encoding) == text
    except UnicodeDecodeError:
        return False


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 at heart with a few stray bytes (well-formed sequences outnumber them)."""
    sample = data[: 4 * _SAMPLE]
    sequences = _UTF8_SEQUENCE.findall(sample)
    stray = sum(1 for b in sample if b >= 0x80) - sum(len(s) for s in sequences)
    return len(sequences) >= stray


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, as a Python codec name, or None."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _checked(text: str, encoding: str, source: str) -> tuple[str, str]:
    if _mostly_control(text):
        raise BadInput(f"received binary data (control characters decoded as {encoding}); "
                       "expected text", path=source, stage="decode", error="BinaryFile")
    if not text.strip():
        raise BadInput("the file holds only whitespace; expected article text", path=source,
                       stage="read", error="EmptyFile")
    return text, encoding


def decode_line(raw: bytes) -> tuple[str, str]:
    """Decode one line of a UTF-8 stream; stray cp1252 bytes are read as cp1252.

    >>> decode_line(b'{"text": "caf\\xe9"}')
    ('{"text": "café"}', 'utf-8+cp1252')
    """
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("utf-8", _fallback_handler()), "utf-8+cp1252"
