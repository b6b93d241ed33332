"""The extraction room's word lists, loaded once from ``builder/data``.

Everything domain-specific (trigger words, speech verbs, actor head nouns,
demonyms, organisation kinds, place type nouns) lives in data files; this
module only reads them.

>>> lexicon().demonyms["Russian"]
'Russia'
>>> "said" in lexicon().speech["asserts"] or "say" in lexicon().speech["asserts"]
True
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ontology.errors import InputError


def _text(name: str) -> str:
    return resources.files("builder").joinpath("data", name).read_text(encoding="utf-8")


def read_toml(name: str) -> dict[str, Any]:
    """A TOML data file as a dict; a broken file raises ``InputError`` naming it."""
    try:
        return tomllib.loads(_text(name))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"expected valid TOML, got {err}", path=f"builder/data/{name}", stage="extract") from err


def read_csv(name: str) -> list[dict[str, str]]:
    """A CSV data file (``#`` comment lines skipped) as rows."""
    lines = [ln for ln in _text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All extraction word lists."""

    triggers: dict[str, Any]
    actors: dict[str, Any]
    orgs: dict[str, Any]
    speech: dict[str, Any]
    casualty: dict[str, Any]
    demonyms: dict[str, str]

    def attack_words(self, pos: str) -> dict[str, str]:
        """Trigger words (lower case, space-separated tokens) -> class, for ``pos`` noun|verb."""
        return _attack_words(pos)

    def _build_attack_words(self, pos: str) -> dict[str, str]:
        table: dict[str, str] = {}
        for entry in self.triggers["attack"]:
            if entry["pos"] == pos:
                for word in entry["words"]:
                    table.setdefault(word.lower(), entry["cls"])
        return table

    def precedence(self, cls: str) -> int:
        order: list[str] = self.triggers["precedence"]["order"]
        return order.index(cls) if cls in order else len(order)

    def refine(self, word: str) -> str | None:
        """The attack class a weapon or attacker word implies ("jets" -> AirStrike)."""
        w = word.lower()
        for cls, words in self.triggers["refine"].items():
            if w in words:
                return cls
        return None


@cache
def _attack_words(pos: str) -> dict[str, str]:
    return lexicon()._build_attack_words(pos)


@cache
def lexicon() -> Lexicon:
    """The word lists, loaded once per process."""
    demonyms = {r["demonym"]: r["country"] for r in read_csv("demonyms.csv")}
    return Lexicon(
        triggers=read_toml("event_triggers.toml"),
        actors=read_toml("actor_heads.toml"),
        orgs=read_toml("organisation_kinds.toml"),
        speech=read_toml("speech_verbs.toml"),
        casualty=read_toml("casualty_words.toml"),
        demonyms=demonyms,
    )
