"""Which language an article is in: lingua, restricted to a small set, low-accuracy mode.

The detector is built lazily, once per set of languages (it is the slow part).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

# Enough text to tell languages apart; detection time stays flat for huge articles.
_SAMPLE_CHARS = 500
# Below this many letters a text is "short": its language is named only at this confidence.
_SHORT_LETTERS = 200
_SHORT_CONFIDENCE = 0.99


@lru_cache(maxsize=1)
def _base_languages() -> tuple[str, ...]:
    text = (resources.files("builder") / "data" / "languages.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=8)
def _detector(extra: frozenset[str]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = {getattr(Language, name) for name in _base_languages()}
    for code in extra:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            languages.add(Language.from_iso_code_639_1(iso))
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str, *, also: Iterable[str] = ()) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or None when unsure.

    Short texts (a headline, a line full of place names) are named only when the
    detector is near certain, so an English one-liner is not mistaken for Swahili.

    ``also`` adds ISO 639-1 codes to the languages the detector chooses among.

    >>> detect_language("Shelling hit the port city of Hodeidah on Tuesday, residents said.")
    'en'
    """
    sample = text[:_SAMPLE_CHARS]
    letters = sum(map(str.isalpha, sample))
    if not letters:
        return None
    detector = _detector(frozenset(c.lower() for c in also))
    if letters < _SHORT_LETTERS:
        # Headlines and one-liners full of names fool the detector: decide only when it is sure.
        ranked = detector.compute_language_confidence_values(sample)
        if not ranked or ranked[0].value < _SHORT_CONFIDENCE:
            return None
        return ranked[0].language.iso_code_639_1.name.lower()
    found = detector.detect_language_of(sample)
    return None if found is None else found.iso_code_639_1.name.lower()


def language_code(value: str) -> str:
    """The primary subtag of a language tag, lower case.

    >>> language_code("en-GB"), language_code("AR_sy"), language_code(" fr ")
    ('en', 'ar', 'fr')
    """
    return value.strip().replace("_", "-").split("-")[0].lower()
