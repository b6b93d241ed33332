"""Read articles from files, folders and stdin, in any supported format, losing nothing.

``iter_articles`` yields one normalised :class:`~builder.records.ArticleInput`
per article, lazily and in a deterministic order (stdin first, then every file
sorted by path; JSON Lines streamed line by line). Whatever cannot be read —
empty or binary files, malformed JSON Lines, unreadable files, symlink loops,
articles in a language not asked for, the same article twice — is logged as one
line naming the file (and line) and recorded in the :class:`Quarantine`; the
rest of the batch goes on.

Formats by extension: ``.txt`` (also PDF-extracted text), ``.html``/``.htm``,
``.md``/``.markdown``, ``.jsonl``/``.ndjson``, ``.json`` (one article object, or an
array of them: ``source`` is then ``path:N`` for the N-th); any other file is read as text
(or HTML, if it looks like HTML) when it decodes. In folders, hidden files and
README/LICENSE files are not articles. A text file's metadata comes
from its ``NAME.meta.json`` sidecar; the ``publisher``/``published`` options
override every file's metadata.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from builder.formats import BadInput, Document
from builder.formats.decode import decode_bytes
from builder.formats.html import read_html
from builder.formats.jsonl import iter_json, iter_jsonl
from builder.formats.language import detect_language, language_code
from builder.formats.markdown import read_markdown
from builder.formats.sidecar import is_sidecar, read_sidecar, sidecar_for
from builder.formats.text import read_text
from builder.normalise import normalise
from builder.quarantine import Quarantine
from builder.records import ArticleInput
logger = logging.getLogger("newsgraph.input")

STDIN = "-"

FORMATS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}
_READERS: dict[str, Callable[[str], Document]] = {
    "text": read_text, "html": read_html, "markdown": read_markdown,
}
_LOOKS_HTML = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>])", re.I)
_LOOKS_JSONL = re.compile(r"\A\s*\{")
# Files a folder of articles often holds that are not articles (skipped in folders only).
_NOT_ARTICLES = frozenset({"readme", "license", "licence", "changelog", "contributing", "notice"})


def iter_articles(paths: Iterable[str | os.PathLike[str]], *, publisher: str | None = None,
                  published: date | str | None = None, quarantine: Quarantine,
                  languages: Iterable[str] = ("en",),
                  stdin: BinaryIO | None = None) -> Iterator[ArticleInput]:
    """Yield every article under ``paths`` (files, folders read recursively, ``"-"`` for stdin).

    ``publisher``/``published`` override the metadata of every article read;
    ``languages`` (ISO 639-1 codes) are the languages kept, others are
    quarantined with stage ``"language"``; ``stdin`` replaces ``sys.stdin`` for ``"-"``.
    Articles with the same normalised text are yielded once (stage ``"dedupe"``).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path, not an iterable of its characters
    wanted = tuple(sorted({language_code(code) for code in languages}))
    fixed_date = _fixed_date(published)
    overrides = {"publisher": publisher} if publisher else {}
    seen: dict[str, str] = {}
    for item in _inputs(paths, quarantine):
        for found in _documents(item, quarantine, stdin):
            article = _article(found, overrides, fixed_date, wanted, quarantine)
            if article is None:
                continue
            first = seen.setdefault(article.content_hash, article.source)
            if first != article.source:
                quarantine.add(found.path, found.line, "dedupe", "DuplicateArticle",
                               f"same text as {first}; kept that one, skipped this one")
                continue
            yield article


@dataclass(slots=True)
class _Found:
    """One raw article as found: where it came from, its document, encoding and format."""

    source: str  # "path", "path:line" or "-"
    path: str
    line: int | None
    document: Document
    encoding: str
    fmt: str


def _inputs(paths: Iterable[str | os.PathLike[str]], quarantine: Quarantine) -> list[str | Path]:
    """Stdin first (if asked for), then every article file, sorted by path and without repeats."""
    files: set[Path] = set()
    use_stdin = False
    for raw in paths:
        name = os.fspath(raw)
        if name == STDIN:
            use_stdin = True
            continue
        path = Path(name)
        try:
            mode = path.stat().st_mode
        except OSError as err:
            _quarantine_os_error(quarantine, path, err)
            continue
        if stat.S_ISDIR(mode):
            files.update(_walk(path, quarantine))
        elif stat.S_ISREG(mode):
            if not is_sidecar(path):
                files.add(path)
        else:
            quarantine.add(str(path), None, "read", "NotAFile",
                           "received a special file (device, FIFO or socket); expected a regular file or folder")
    ordered: list[str | Path] = [STDIN] if use_stdin else []
    ordered.extend(sorted(files, key=lambda p: str(p)))
    return ordered


def _walk(root: Path, quarantine: Quarantine) -> list[Path]:
    """Every article file under ``root``, following symlinks but never round a loop.

    Hidden files and folders (names starting with ".") are skipped.
    """
    found: list[Path] = []
    visited = {root.resolve()}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as err:
            _quarantine_os_error(quarantine, folder, err)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode
            except OSError as err:
                _quarantine_os_error(quarantine, path, err)
                continue
            if stat.S_ISDIR(mode):
                real = path.resolve()
                if real in visited:
                    quarantine.add(str(path), None, "read", "SymlinkLoop",
                                   f"the folder leads back to {real}, already read; expected a folder "
                                   "outside the tree being read")
                    continue
                visited.add(real)
                pending.append(path)
            elif stat.S_ISREG(mode):
                if not is_sidecar(path) and path.stem.lower() not in _NOT_ARTICLES:
                    found.append(path)
            else:
                quarantine.add(str(path), None, "read", "NotAFile",
                               "received a special file (device, FIFO or socket); expected a regular file")
    return found


def _quarantine_os_error(quarantine: Quarantine, path: Path, err: OSError) -> None:
    if err.errno == errno.ELOOP:
        name, message = "SymlinkLoop", "the symbolic link points round in a loop; expected a file or folder"
    elif err.errno in (errno.EACCES, errno.EPERM):
        name, message = "PermissionError", "permission denied; expected a file or folder this user can read"
    elif err.errno == errno.ENOENT:
        name = "FileNotFoundError"
        message = ("the symbolic link points to nothing; expected an existing file" if path.is_symlink()
                   else "no such file or folder; expected an existing path")
    else:
        name, message = type(err).__name__, f"{err.strerror or err}; expected a readable file or folder"
    quarantine.add(str(path), None, "read", name, message)


def _documents(item: str | Path, quarantine: Quarantine, stdin: BinaryIO | None) -> Iterator[_Found]:
    """The raw articles in one input: one for a document file, one per good line of JSON Lines."""
    try:
        if item == STDIN:
            yield from _stdin_documents(stdin if stdin is not None else sys.stdin.buffer, quarantine)
            return
        item = Path(item)
        fmt = FORMATS.get(item.suffix.lower())
        if fmt == "jsonl":
            with item.open("rb") as stream:
                yield from _jsonl_documents(stream, str(item), quarantine)
            return
        text, encoding = decode_bytes(item.read_bytes(), source=str(item))
        if fmt == "json":
            yield from _json_documents(text, str(item), encoding, quarantine)
            return
        fmt = fmt or _sniff(text)
        document = _READERS[fmt](text)
        sidecar = sidecar_for(item)
        if sidecar is not None:
            try:
                document.meta.update(read_sidecar(sidecar))
            except BadInput as err:
                quarantine.add(err.path or str(sidecar), err.line, err.stage, err.error, err.reason)
        yield _Found(str(item), str(item), None, document, encoding, fmt)
    except BadInput as err:
        quarantine.add(err.path or str(item), err.line, err.stage, err.error, err.reason)
    except OSError as err:
        _quarantine_os_error(quarantine, Path(str(item)), err)


def _stdin_documents(stream: BinaryIO, quarantine: Quarantine) -> Iterator[_Found]:
    first = stream.readline()
    if _LOOKS_JSONL.match(first.decode("utf-8", "replace")):
        yield from _jsonl_documents(chain([first], stream), STDIN, quarantine)
        return
    text, encoding = decode_bytes(first + stream.read(), source=STDIN)
    fmt = _sniff(text)
    yield _Found(STDIN, STDIN, None, _READERS[fmt](text), encoding, fmt)


def _jsonl_documents(lines: Iterable[bytes], source: str, quarantine: Quarantine) -> Iterator[_Found]:
    for item in iter_jsonl(lines, source=source):
        if isinstance(item, BadInput):
            quarantine.add(source, item.line, item.stage, item.error, item.reason)
            continue
        yield _Found(f"{source}:{item.line}", source, item.line, Document(item.text, item.meta),
                     item.encoding, "jsonl")


def _json_documents(text: str, source: str, encoding: str, quarantine: Quarantine) -> Iterator[_Found]:
    for item in iter_json(text, source=source, encoding=encoding):
        if isinstance(item, BadInput):
            quarantine.add(source, item.line, item.stage, item.error, item.reason)
        elif item.line:
            yield _Found(f"{source}:{item.line}", source, item.line, Document(item.text, item.meta),
                         encoding, "jsonl")
        else:
            yield _Found(source, source, None, Document(item.text, item.meta), encoding, "jsonl")


def _sniff(text: str) -> str:
    """The format of a document of unknown type: HTML if it looks like a page, else text."""
    return "html" if _LOOKS_HTML.match(text[:4096]) else "text"


def _article(found: _Found, overrides: dict[str, str], fixed_date: date | None,
             wanted: tuple[str, ...], quarantine: Quarantine) -> ArticleInput | None:
    meta = {**found.document.meta, **overrides}
    text = normalise(found.document.text)
    if not text:
        quarantine.add(found.path, found.line, "normalise", "EmptyArticle",
                       f"no article text left after removing markup and page furniture ({found.fmt}); "
                       "expected article text")
        return None
    if found.encoding not in ("utf-8", "ascii"):
        logger.info("%s: read as %s and converted to UTF-8", found.source, found.encoding)
    declared = language_code(meta["language"]) if meta.get("language") else None
    language = declared or detect_language(text, also=wanted)
    if language is not None and language not in wanted:
        how = "declared" if declared else "detected"
        quarantine.add(found.path, found.line, "language", "UnwantedLanguage",
                       f"the article is in {language!r} ({how}); expected one of {', '.join(wanted)} "
                       "(add it with the languages option to read it)")
        return None
    published = fixed_date
    if published is None and meta.get("published"):
        published = _parse_date(meta["published"], source=found.source)
    return ArticleInput(
        text=text, source=found.source, id=meta.get("id"), title=meta.get("title"),
        publisher=meta.get("publisher"), published=published, url=meta.get("url"),
        language=language, encoding=found.encoding, fmt=found.fmt)


def _fixed_date(published: date | str | None) -> date | None:
    """The ``published`` option as a date; a string that is no date is a usage error."""
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, str):
        parsed = _to_date(published)
        if parsed is None:
            from ontology.errors import UsageError

            raise UsageError(f"--published: received {published!r}; expected a date as YYYY-MM-DD")
        return parsed
    return published


def _to_date(value: str) -> date | None:
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _parse_date(value: str, *, source: str) -> date | None:
    """``YYYY-MM-DD`` or an ISO 8601 date-time as a date; anything else logs a warning, gives None.

    >>> _parse_date("2019-12-22", source="a.txt"), _parse_date("2019-12-22T08:30:00Z", source="a.txt")
    (datetime.date(2019, 12, 22), datetime.date(2019, 12, 22))
    """
    parsed = _to_date(value)
    if parsed is None:
        logger.warning("%s: published date %r is not YYYY-MM-DD or an ISO 8601 date-time; "
                       "left unknown", source, value)
    return parsed


__all__ = ["FORMATS", "STDIN", "iter_articles"]
