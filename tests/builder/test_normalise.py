"""builder.normalise: the one normalised text every offset refers to, and chunks of it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.normalise import chunks, english_words, normalise
from ontology.errors import UsageError

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
REUTERS = SEEDS / "004_38fe1624ddaf5842.txt"
AL_JAZEERA = SEEDS / "000_5fc5608ff356c357.txt"


@pytest.mark.parametrize("path", [REUTERS])
def test_normalise_reuters_seed_joins_hyphenated_names(path: Path) -> None:
    text = normalise(path.read_text(encoding="utf-8"))
    assert "Maarat al-Numan" in text
    assert "al Qaeda-inspired" in text
    assert '""' not in text and '"Many villages and towns' in text
    assert text.startswith("Russian-Backed Forces Gain Ground in Rebel-Held Northwest Syria\n\nRussian-backed")
    assert "three women and two children." in text  # the stray leading space of " children." is gone
    assert all(p == p.strip() and "\n" not in p for p in text.split("\n\n"))


@pytest.mark.parametrize("path", [AL_JAZEERA])
def test_normalise_al_jazeera_seed_drops_page_furniture(path: Path) -> None:
    text = normalise(path.read_text(encoding="utf-8"))
    lines = text.split("\n")
    assert "Banners" not in lines and "Videos" not in lines
    assert text.endswith("after a brief lull.(FA)")
    # One line per paragraph, each ending a sentence: every line stays its own paragraph.
    assert len(text.split("\n\n")) == 12


@pytest.mark.parametrize(("raw", "expected"), [
    # hyphen kept: a name particle, a capitalised or unknown compound, a digit
    ("Jets hit Maarat al-\nNuman again.", "Jets hit Maarat al-Numan again."),
    ("Forces near Deir el-\nBalah advanced.", "Forces near Deir el-Balah advanced."),
    ("They fight al Qaeda-\ninspired militants.", "They fight al Qaeda-inspired militants."),
    ("A cross-\nborder assault began.", "A cross-border assault began."),
    ("The Iran-\nbacked group denied it.", "The Iran-backed group denied it."),
    ("Cases of COVID-\n19 rose.", "Cases of COVID-19 rose."),
    # hyphen dropped: a word split by the line break
    ("The displace-\nment of families went on.", "The displacement of families went on."),
    ("Eight civil-\nians were killed.", "Eight civilians were killed."),
    ("Aid groups warned of a humani-\ntarian crisis.", "Aid groups warned of a humanitarian crisis."),
    ("The shells were fir-\ned at dawn.", "The shells were fired at dawn."),
    # the document's own spelling decides: "Saraqeb" elsewhere, so "Sara-\nqeb" is one word
    ("Jets hit Sara-\nqeb. Saraqeb is east of Idlib.", "Jets hit Saraqeb. Saraqeb is east of Idlib."),
    # soft hyphen at the break
    ("The evacu\u00ad\nation began.", "The evacuation began."),
])
def test_normalise_dehyphenates_across_line_breaks(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Shells hit the market\nin Taiz on Sunday, medics\nsaid.", "Shells hit the market in Taiz on Sunday, medics said."),
    ("One killed.\nTwo hurt.", "One killed.\n\nTwo hurt."),
    ("Aid groups said:\n- Thousands fled to Tawila\n- The hospital closed", "Aid groups said:\n\n- Thousands fled to Tawila\n\n- The hospital closed"),
    ("One killed.\n\n\n\nTwo hurt.", "One killed.\n\nTwo hurt."),
    ("Troops entered the U.S.\nembassy compound.", "Troops entered the U.S. embassy compound."),
    ("The assault was led by Lt.\nGen. Ahmed Saleh.", "The assault was led by Lt. Gen. Ahmed Saleh."),
    ("Witness Abdul A.\nRahman said so.", "Witness Abdul A. Rahman said so."),
    ("Line one\r\nline two.\rNext.", "Line one line two.\n\nNext."),
    ("Page one ends here\fand page two goes on.", "Page one ends here and page two goes on."),
    ('""Many fled,\'" he said.', '"Many fled,\'" he said.'),
    ("   Stray   leading spaces.", "Stray leading spaces."),
    ("Killed:\u00a0eight\u2009people.", "Killed: eight people."),
    ("Mojibake: the camp\u00e2\u20ac\u2122s residents", "Mojibake: the camp's residents"),
    ("Cafe\u0301 shelled.", "Caf\u00e9 shelled."),
    ("Control\x00 chars\x07 gone\x1b.", "Control chars gone."),
    ("Lone \ud83d surrogate.", "Lone \ufffd surrogate."),
    ("\ufeffBOM at the start.", "BOM at the start."),
    ("Airstrike.\n\nAdvertisement\n\nRead more\n\nShare\n\nPage 2 of 3\n\nSecond.", "Airstrike.\n\nSecond."),
    ("قصف على مدينة حلب.", "قصف على مدينة حلب."),
    ("", ""),
    (" \n\t\n ", ""),
])
def test_normalise_cleans_text(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("headline", ["Shelling Resumes Around\nBakhmut as Civilians Flee"])
def test_normalise_separates_title_case_headline_from_body(headline: str) -> None:
    body = ("Russian artillery shelled the eastern edge of Bakhmut overnight,\n"
            "local officials said on Friday, as hundreds of residents tried\n"
            "to leave before the last road out was cut.")
    text = normalise(headline + "\n" + body)
    assert text.split("\n\n")[0] == "Shelling Resumes Around Bakhmut as Civilians Flee"
    assert text.split("\n\n")[1].startswith("Russian artillery shelled the eastern edge of Bakhmut overnight, local")


@pytest.mark.parametrize("word", ["displacement", "civilian", "humanitarian"])
def test_english_words_come_from_the_pinned_model(word: str) -> None:
    assert word in english_words()
    assert "numan" not in english_words()


# --- properties -------------------------------------------------------------------------------

_PIECES = st.sampled_from(["al-\n", "-\n", "\n", "\n\n", "  ", '""', ".", " Banners\n", "Share\n", "\u00ad\n",
                           "\r\n", "\f", "\x00", "\ud800", "\udc00", "\ud83d\ude00", "\u00e2\u20ac\u2122",
                           "Numan", "ment", "word", "A", "Title Case Line", "U.S.", "\u0301", "حلب"])
_TEXT = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_normalise_is_idempotent_and_never_raises(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    once.encode("utf-8")  # no lone surrogates survive
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\x00" not in once and "\n\n\n" not in once


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=64))
def test_chunks_reassemble_exactly_within_max(text: str, max_chars: int) -> None:
    pieces = list(chunks(text, max_chars))
    assert "".join(p for _, p in pieces) == text
    assert all(0 < len(p) <= max_chars for _, p in pieces)
    assert all(text[offset:offset + len(p)] == p for offset, p in pieces)


@pytest.mark.parametrize(("text", "max_chars", "expected"), [
    ("First paragraph here.\n\nSecond one.", 30, ["First paragraph here.\n\n", "Second one."]),
    ("One. Two. Three.", 11, ["One. Two. ", "Three."]),
    ("aaaa bbbb cccc", 7, ["aaaa ", "bbbb ", "cccc"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
])
def test_chunks_break_at_paragraphs_then_sentences(text: str, max_chars: int, expected: list[str]) -> None:
    assert [p for _, p in chunks(text, max_chars)] == expected


@pytest.mark.parametrize("max_chars", [0, -5])
def test_chunks_reject_non_positive_size(max_chars: int) -> None:
    with pytest.raises(UsageError, match="max_chars"):
        list(chunks("text", max_chars))


@pytest.mark.parametrize("line", ["World News | Page 3", "Reporting by Staff; Editing by Desk",
                                  "Additional reporting by Jane Doe in Beirut"])
def test_wire_credits_and_page_headers_are_furniture(line: str) -> None:
    from builder.normalise import _is_furniture

    assert _is_furniture(line)
    assert not _is_furniture("Reporting from Rafah, the correspondent said the strike hit a school.")
