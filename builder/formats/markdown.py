"""Markdown: the text without markup, and metadata from a ``---`` front-matter block.

>>> doc = read_markdown("---\\ntitle: Shelling in Kharkiv\\npublished: 2022-03-01\\n---\\n"
...                     "# Shelling\\n\\nShells hit **Kharkiv** [city](http://x), officials said.")
>>> doc.text
'Shelling\\n\\nShells hit Kharkiv city, officials said.'
>>> doc.meta
{'title': 'Shelling in Kharkiv', 'published': '2022-03-01'}
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from builder.formats import META_FIELDS, Document

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_BLOCK_ENDS = {"paragraph_close", "heading_close", "blockquote_close", "list_item_close",
               "tr_close", "bullet_list_close", "ordered_list_close"}
_TAGS = re.compile(r"<[^>]*>")
# Front-matter keys other tools use for our fields.
_ALIASES = {"date": "published", "source": "publisher", "lang": "language", "headline": "title"}


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def read_markdown(text: str) -> Document:
    """Extract the plain text and front-matter metadata of a Markdown article."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        meta = _front_matter(match.group(1))
        text = text[match.end():]
    parts: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.strip("\n"))
            parts.append("\n\n")
        elif token.type == "html_block":
            parts.append(_TAGS.sub(" ", token.content).strip())
            parts.append("\n\n")
        elif token.type in _BLOCK_ENDS:
            parts.append("\n\n")
        elif token.type in ("th_close", "td_close"):
            parts.append(" ")
    body = re.sub(r"\n{3,}", "\n\n", "".join(parts))
    return Document(body.strip(), meta)


def _inline_text(children: list[Any]) -> str:
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def _front_matter(block: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in block.splitlines():
        match = _KEY_VALUE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip().strip("\"'")
        key = _ALIASES.get(key, key)
        if (key in META_FIELDS or key == "id") and value and value.lower() not in ("null", "~"):
            meta[key] = value
    return meta
