"""Transliteration-aware name keys: one key for the many spellings of one name.

News outlets transliterate Arabic, Cyrillic and Burmese names each their own way:
Al Jazeera writes "Maaret al-Numaan", Reuters "Maarat al-Numan", GeoNames
"Ma'arrat an Nu'man". Two keys make such spellings meet:

- :func:`name_key` — a readable normal form: ASCII, lower case, no apostrophes
  or ʿayn/hamza marks, no Arabic article (al-/el-/an-/ash- …), doubled letters
  collapsed. Exact matches on it are safe.
- :func:`skeleton` — a coarser consonant skeleton (vowels dropped, q→k, w→v …)
  that also joins vowel variants (Saraqeb/Saraqib, Idlib/Idleb) and typos that
  only swap a vowel (Reuters' "Adlib"). It is only trusted when it points to one
  entity of the right kind in the right country (see ``builder/gazetteer.py``).

>>> name_key("Maaret al-Numaan") == name_key("Maarat al-Numan") == name_key("Ma'arrat al-Nu'man")
False
>>> skeleton("Maaret al-Numaan") == skeleton("Maarat al-Numan") == skeleton("Ma'arrat al-Nu'man")
True
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Marks that transliterations use for ʿayn and hamza, and apostrophes of every kind.
_MARKS = re.compile("['`\u2018\u2019\u02bb\u02bc\u02bd\u02be\u02bf\u00b4\u2032]")
_POSSESSIVE = re.compile(r"(?<=[a-z])['\u2019]s\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
# The Arabic definite article and its sun-letter assimilations, as transliterated.
ARTICLES = frozenset({"al", "el", "il", "ul", "an", "en", "ad", "ed", "ar", "er", "as", "es",
                      "ash", "esh", "at", "et", "az", "ez", "ath", "adh", "dh"})
_TA_MARBUTA = re.compile(r"([aeiou])h$")
_LEADING = frozenset({"the"})
# Consonant skeleton: spelling pairs that transliterations use interchangeably.
_SKELETON_SUBS = (
    ("ou", "u"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"), ("j", "y"), ("dh", "z"),
    ("gh", "g"), ("kh", "k"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("c", "k"),
)


def _ascii_lower(text: str) -> str:
    """The text in lower-case ASCII, possessives and apostrophes removed."""
    if text.isascii():  # anyascii and NFC leave ASCII as it is: skip them for most names
        ascii_text = text.lower()
    else:
        from anyascii import anyascii

        ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
    if "'" in ascii_text or "`" in ascii_text:  # the only marks left in ASCII text
        ascii_text = _MARKS.sub("", _POSSESSIVE.sub("", ascii_text))
    return ascii_text


def _ascii_words(text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", _ascii_lower(text)).split()


def _drop_articles(words: list[str]) -> list[str]:
    while words and words[0] in _LEADING and len(words) > 1:
        words = words[1:]
    # An article counts only in front of another word ("al Numan"), never alone or last.
    return [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))] or words


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The readable transliteration-aware key of a name.

    ASCII (anyascii), lower case, apostrophes and ʿ/ʾ removed, punctuation to
    single spaces, a leading "the" and Arabic articles (al-/el-/an-/ash- …)
    dropped, doubled letters collapsed ("Maarrat" → "marat"). Vowel variants
    are left to :func:`skeleton`.

    >>> name_key("Maʿarrat al-Nuʿmān")
    'marat numan'
    >>> name_key("Maarat al-Numan") == name_key("MAARAT AL NUMAN") == name_key("Maarrat an-Numan")
    True
    >>> name_key("Jisr ash-Shughour") == name_key("Jisr al-Shughur")
    False
    >>> name_key("Hay'at Tahrir al-Sham")
    'hayat tahrir sham'
    >>> name_key("the United Nations")
    'united nations'
    >>> name_key("Syria's")
    'syria'
    >>> name_key("Харків")
    'kharkiv'
    >>> name_key("")
    ''
    """
    return key_of(text)


def key_of(text: str) -> str:
    """:func:`name_key` without its cache: for keying many names once (GeoNames' alternate names),
    which would only push the names articles repeat out of the cache."""
    # doubled letters never span a word break, so they are collapsed in the whole text at once
    words = _DOUBLED.sub(r"\1", _NON_ALNUM.sub(" ", _ascii_lower(text))).split()
    # articles dropped to a fixed point ("al the x" -> "the x" -> "x"), so that name_key(name_key(x)) == name_key(x)
    while len(words) > 1 and (words[0] in _LEADING or not ARTICLES.isdisjoint(words[:-1])):
        again = _drop_articles(words)
        if again == words:
            break
        words = again
    return " ".join(words)


_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=1 << 16)
def skeleton(text: str) -> str:
    """The consonant skeleton of a name: coarse, for variant and typo matching.

    Vowels (and a non-initial y) are dropped after the :func:`name_key`
    normalisation, interchangeable spellings unified (q/k, ou/u, sh/ch, kh/k …),
    doubled consonants collapsed and word breaks removed.

    >>> skeleton("Saraqeb") == skeleton("Saraqib") == skeleton("Sarakeb")
    True
    >>> skeleton("Idlib") == skeleton("Idleb") == skeleton("Adlib")
    True
    >>> skeleton("Saraqeb") == skeleton("Sarmin")
    False
    >>> skeleton("Khan Sheikhoun") == skeleton("Khan Shaykhun")
    True
    >>> skeleton("Qardahah") == skeleton("Qardaha") and skeleton("Hasakeh") == skeleton("Hasaka")
    True
    >>> skeleton("Kafranbel") == skeleton("Kafr Nabl")
    True
    >>> skeleton("Jisr ash-Shughour") == skeleton("Jisr al-Shughur")
    True
    """
    # a final -ah/-eh (ta marbuta) is written with or without the h: Fiddah/Fidda, Hasakeh/Hasaka
    key = "".join(_TA_MARBUTA.sub(r"\1", w) for w in name_key(text).split())
    for old, new in _SKELETON_SUBS:
        key = key.replace(old, new)
    if not key:
        return ""
    head, tail = key[0], key[1:]
    tail = re.sub(r"[aeiouy]", "", tail)
    head = "" if head in _VOWELS else head
    return _DOUBLED.sub(r"\1", head + tail)


def skeleton_key(text: str) -> str:
    """The :func:`skeleton` marked with a leading ``_`` when the name begins with a vowel: the key variant
    and typo matching index names by, so "Nairab" never meets "Ain al-Arab" (both n-r-b).

    >>> skeleton_key("Idlib") == skeleton_key("Edlib"), skeleton_key("Nairab") == skeleton_key("Ain al-Arab")
    (True, False)
    """
    return ("_" if name_key(text)[:1] in _VOWELS else "") + skeleton(text)


def consonants(key: str) -> int:
    """How many consonants a :func:`skeleton_key` holds (its vowel mark is not one)."""
    return len(key) - key.startswith("_")


_LOOSE_SUBS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("ph", "f"))


@functools.lru_cache(maxsize=1 << 16)
def loose_key(text: str) -> str:
    """A readable key that also joins the commonest transliteration swaps of unlisted places.

    Between :func:`name_key` (exact) and :func:`skeleton` (vowels dropped): a final
    -ah/-eh becomes -a, ou/oo → u, ee → i, q → k, ph → f. Used to key places
    the gazetteer does not know, so two outlets' spellings meet across articles.

    >>> loose_key("Qabr Fiddah") == loose_key("Kabr Fidda") == loose_key("Qabr Fidda")
    True
    >>> loose_key("Tell Nouman") == loose_key("Tal Numan")
    False
    >>> loose_key("Deir Sunbul")
    'deir sunbul'
    """
    out = []
    for word in name_key(text).split():
        word = _TA_MARBUTA.sub(r"\1", word)
        for old, new in _LOOSE_SUBS:
            word = word.replace(old, new)
        out.append(_DOUBLED.sub(r"\1", word))
    return " ".join(out)


_ACRONYM_STOP = frozenset({"of", "for", "and", "the", "de", "des", "du", "la", "le", "et", "in", "on", "to"})


def acronym(text: str) -> str:
    """The acronym a long name is abbreviated to: initials of its content words, upper case.

    Function words are skipped; hyphenated words give one initial per part.

    >>> acronym("Union of Medical Care and Relief Organisations")
    'UMCRO'
    >>> acronym("Syrian Observatory for Human Rights")
    'SOHR'
    >>> acronym("Rapid Support Forces")
    'RSF'
    >>> acronym("Médecins Sans Frontières")
    'MSF'
    >>> acronym("UOSSM")
    'UOSSM'
    """
    words = _ascii_words(text)
    if len(words) == 1 and text.strip().isupper():
        return text.strip()
    return "".join(w[0] for w in words if w not in _ACRONYM_STOP).upper()


def is_acronym_of(short: str, long: str) -> bool:
    """True if ``short`` (an all-capitals token) abbreviates ``long``.

    Accepts the plain initials and initials that keep function words or take a
    word's first two letters ("UOSSM" is the French "Union des Organisations de
    Secours et Soins Médicaux", so the English long form only shares a prefix;
    such pairs belong in the actor table, not here).

    >>> is_acronym_of("SOHR", "Syrian Observatory for Human Rights")
    True
    >>> is_acronym_of("RSF", "Rapid Support Forces")
    True
    >>> is_acronym_of("HTS", "Hay'at Tahrir al-Sham")
    True
    >>> is_acronym_of("UN", "Russian jets")
    False
    """
    s = re.sub(r"[^A-Za-z]", "", short).upper()
    if len(s) < 2:
        return False
    words = _ascii_words(long)
    content = [w for w in words if w not in _ACRONYM_STOP]
    candidates = {
        "".join(w[0] for w in content).upper(),
        "".join(w[0] for w in words).upper(),
        "".join(w[0] for w in words if w not in ARTICLES).upper(),
        "".join(w[0] for w in content if w not in ARTICLES).upper(),
    }
    return s in candidates
