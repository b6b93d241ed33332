"""HTML pages: the article's text only, and its title, publisher, date, URL and language.

Scripts, styles, navigation, footers, share bars and the like are dropped (the
lists are in ``builder/data/html.toml``). Metadata comes from JSON-LD
``NewsArticle`` first, then ``<meta>`` tags, then ``<title>``/``<html lang>``.

>>> doc = read_html('<html lang="en-GB"><title>T</title><body><nav>Home</nav>'
...                 '<p>Shelling hit <b>Kharkiv</b>.</p><script>x()</script></body></html>')
>>> doc.text, doc.meta
('Shelling hit Kharkiv.', {'title': 'T', 'language': 'en'})
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from builder.formats import Document

_BREAK, _LINE = "\x01", "\x02"
_STRAY = re.compile(r"[\x00-\x08]")
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"[ \x02]*\x01[\x01\x02 ]*")
_LINES = re.compile(r" ?\x02 ?")
_MIN_SHARE = 0.15  # an article element must hold this share of the page's text


@dataclass(frozen=True, slots=True)
class _HtmlRules:
    drop_tags: frozenset[str]
    page_only_tags: frozenset[str]
    drop_roles: frozenset[str]
    drop_class: re.Pattern[str]
    block_tags: frozenset[str]
    article_selectors: tuple[str, ...]
    article_types: frozenset[str]
    meta: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _rules() -> _HtmlRules:
    data = tomllib.loads((resources.files("builder") / "data" / "html.toml").read_text(encoding="utf-8"))
    return _HtmlRules(
        drop_tags=frozenset(data["drop_tags"]),
        page_only_tags=frozenset(data["page_only_tags"]),
        drop_roles=frozenset(data["drop_roles"]),
        drop_class=re.compile("|".join(re.escape(w) for w in data["drop_class_words"]), re.I),
        block_tags=frozenset(data["block_tags"]),
        article_selectors=tuple(data["article_selectors"]),
        article_types=frozenset(data["article_types"]),
        meta={k: tuple(v) for k, v in data["meta"].items()},
    )


def read_html(text: str) -> Document:
    """Extract the article text and metadata from an HTML page."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    meta = _metadata(tree)
    root = _article_root(tree)
    body = _render(root, inside_article=root is not None and root.tag != "body") if root else ""
    if not body.strip():
        body = meta.pop("_body", "")
    meta.pop("_body", None)
    return Document(body, meta)


def _article_root(tree: Any) -> Any:
    """The element holding the article: the longest match of the most specific selector.

    A match holding only a sliver of the page's text (a teaser ``<article>`` in a
    sidebar) is passed over for the next selector.
    """
    page = tree.body or tree.root
    page_length = len(page.text(strip=True) or "") if page is not None else 0
    for selector in _rules().article_selectors:
        candidates = tree.css(selector)
        if not candidates:
            continue
        best = max(candidates, key=lambda node: len(node.text(strip=True) or ""))
        if len(best.text(strip=True) or "") >= _MIN_SHARE * page_length or best.tag == "body":
            return best
    return page


def _dropped(node: Any, inside_article: bool) -> bool:
    rules = _rules()
    tag = node.tag
    if tag in rules.drop_tags or (tag in rules.page_only_tags and not inside_article):
        return True
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if (attrs.get("role") or "").lower() in rules.drop_roles:
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(names.strip()) and rules.drop_class.search(names) is not None


def _render(root: Any, *, inside_article: bool) -> str:
    """The visible text under ``root``: blocks become paragraphs, ``<br>`` a line break.

    Iterative (an explicit stack), so deeply nested pages cannot exhaust recursion.
    """
    block_tags = _rules().block_tags
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            parts.append(_BREAK)
            continue
        if node.is_text_node:
            parts.append(_STRAY.sub("", node.text(deep=False) or ""))
            continue
        if node.is_comment_node or node is not root and _dropped(node, inside_article):
            continue
        if node.tag == "br":
            parts.append(_LINE)
            continue
        if node.tag in block_tags:
            parts.append(_BREAK)
            stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    text = _WHITESPACE.sub(" ", "".join(parts))
    text = _PARAGRAPHS.sub("\n\n", text)
    return _LINES.sub("\n", text).strip()


def _metadata(tree: Any) -> dict[str, str]:
    rules = _rules()
    meta: dict[str, str] = {}
    for item in _json_ld_articles(tree, rules.article_types):
        for key, value in _from_json_ld(item).items():
            meta.setdefault(key, value)
    tags: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
                or attrs.get("http-equiv") or "").strip().lower()
        content = (attrs.get("content") or "").strip()
        if name and content:
            tags.setdefault(name, content)
    for field_name, names in rules.meta.items():
        if field_name not in meta:
            for name in names:
                if name in tags:
                    meta[field_name] = tags[name]
                    break
    if "title" not in meta:
        title = tree.css_first("title")
        if title is not None and (title.text(strip=True) or "").strip():
            meta["title"] = " ".join(title.text().split())
    if "url" not in meta:
        canonical = tree.css_first('link[rel="canonical"]')
        if canonical is not None and (canonical.attributes.get("href") or "").strip():
            meta["url"] = (canonical.attributes.get("href") or "").strip()
    if "language" not in meta:
        html = tree.css_first("html")
        if html is not None and (html.attributes.get("lang") or "").strip():
            meta["language"] = html.attributes.get("lang") or ""
    if "published" not in meta:
        time = tree.css_first("time[datetime]")
        if time is not None:
            meta["published"] = (time.attributes.get("datetime") or "").strip()
    if "language" in meta:
        meta["language"] = re.split(r"[-_]", meta["language"].strip())[0].lower()
    return {k: v for k, v in meta.items() if v}


def _json_ld_articles(tree: Any, types: frozenset[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True) or "", strict=False)
        except ValueError:
            continue
        pending = [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = set(kind) if isinstance(kind, list) else {kind}
                if kinds & types:
                    found.append(item)
                if isinstance(item.get("@graph"), list):
                    pending.extend(item["@graph"])
    # Articles before plain web pages.
    return sorted(found, key=lambda i: "WebPage" in str(i.get("@type")))


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value:
        return _name(value[0])
    if isinstance(value, dict):
        return _name(value.get("name") or value.get("@id") or value.get("url"))
    return None


def _from_json_ld(item: dict[str, Any]) -> dict[str, str]:
    fields = {
        "title": _name(item.get("headline") or item.get("name")),
        "publisher": _name(item.get("publisher")),
        "published": _name(item.get("datePublished") or item.get("dateCreated")),
        "url": _name(item.get("url") or item.get("mainEntityOfPage")),
        "language": _name(item.get("inLanguage")),
        "_body": _name(item.get("articleBody")),
    }
    return {k: v for k, v in fields.items() if v}
