"""builder.read: every input case of issues 3 and 7 — formats, metadata, encodings, bad input.

Fixture articles are our own (tests/builder/fixtures/input/corpus); odd bytes
(binary, UTF-16, cp1252, BOM, control characters) are generated here.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.quarantine import Quarantine
from builder.read import iter_articles
from builder.records import ArticleInput

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "fixtures" / "input" / "corpus"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
YEMEN = CORPUS / "yemen" / "hodeidah-wrapped.txt"
KHARKIV = CORPUS / "ukraine" / "kharkiv.html"
SUDAN = CORPUS / "sudan-el-fasher.md"
MYANMAR = CORPUS / "myanmar-roundup.jsonl"

MARIB = ("MARIB, Yemen - An air strike hit a fuel station on the edge of Marib on Thursday, killing at "
         "least nine people, the interior ministry said.")
SAADA = ("SAADA, Yemen - Artillery shells fired from across the border hit a market in Saada "
         "province on Monday, wounding twelve people, medics said.")


def read(*paths: str | Path, **options: object) -> tuple[list[ArticleInput], Quarantine]:
    quarantine = Quarantine()
    articles = list(iter_articles([str(p) for p in paths], quarantine=quarantine, **options))  # type: ignore[arg-type]
    return articles, quarantine


def entries(quarantine: Quarantine) -> list[tuple[str, int | None, str, str]]:
    return [(Path(e.file).name, e.line, e.stage, e.error) for e in quarantine.entries]


# --- formats and metadata ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["004_38fe1624ddaf5842"])
def test_read_text_file_takes_metadata_from_sidecar(seed: str) -> None:
    (article,), quarantine = read(SEEDS / f"{seed}.txt")
    assert not quarantine
    assert (article.publisher, article.published, article.language) == ("Reuters", date(2019, 12, 22), "en")
    assert article.title == "Russian-Backed Forces Gain Ground in Rebel-Held Northwest Syria"
    assert article.url is None and article.fmt == "text" and article.encoding == "utf-8"
    assert article.source == str(SEEDS / f"{seed}.txt")
    assert "Maarat al-Numan" in article.text


@pytest.mark.parametrize("folder", [CORPUS])
def test_read_folder_recursively_in_sorted_order_without_sidecars(folder: Path) -> None:
    articles, quarantine = read(folder)
    names = [Path(a.source.rsplit(":", 1)[0] if a.fmt == "jsonl" else a.source).name for a in articles]
    assert names == ["gaza-names.txt", "myanmar-roundup.jsonl", "myanmar-roundup.jsonl",
                     "sudan-el-fasher.md", "syria-notes.article", "kharkiv.html", "hodeidah-wrapped.txt"]
    assert not any(a.source.endswith(".meta.json") for a in articles)
    assert [a.source for a in articles] == sorted(a.source for a in articles)
    assert {e[2] for e in entries(quarantine)} == {"language", "parse"}


@pytest.mark.parametrize("order", [(YEMEN, SUDAN, KHARKIV), (KHARKIV, YEMEN, SUDAN)])
def test_read_order_does_not_depend_on_argument_order(order: tuple[Path, ...]) -> None:
    articles, _ = read(*order)
    assert [a.source for a in articles] == sorted(str(p) for p in order)


@pytest.mark.parametrize("path", [KHARKIV])
def test_read_html_keeps_article_text_only_and_its_metadata(path: Path) -> None:
    (article,), quarantine = read(path)
    assert not quarantine
    for chrome in ("SCRIPT", "STYLE", "FOOTER", "ASIDE", "CAPTION", "NOSCRIPT", "Share on Facebook",
                   "Sport", "color: red"):
        assert chrome not in article.text
    assert article.text.startswith("Russian missile strike hits Kharkiv school\n\nKHARKIV, Ukraine")
    assert "Saltivka district of Kharkiv overnight" in article.text
    assert (article.title, article.publisher) == ("Russian missile strike hits Kharkiv school", "Dnipro Daily")
    assert article.published == date(2022, 5, 1)  # JSON-LD NewsArticle wins over <meta>
    assert (article.url, article.language, article.fmt) == ("https://example.org/kharkiv-strike", "en", "html")


@pytest.mark.parametrize("path", [SUDAN])
def test_read_markdown_drops_markup_and_reads_front_matter(path: Path) -> None:
    (article,), _ = read(path)
    assert article.text.splitlines()[0] == "Shelling of El Fasher camp kills dozens"
    assert "EL FASHER, Sudan - Artillery fire by the Rapid Support Forces hit the Abu Shouk camp" in article.text
    for markup in ("**", "](", "# ", "> ", "- Thousands", "![", "---"):
        assert markup not in article.text
    assert (article.publisher, article.published, article.fmt) == ("Khartoum Monitor", date(2024, 6, 10), "markdown")


@pytest.mark.parametrize("path", [MYANMAR])
def test_read_jsonl_quarantines_bad_lines_and_reads_the_rest(path: Path) -> None:
    articles, quarantine = read(path)
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:6"]
    first = articles[0]
    assert (first.id, first.title, first.publisher, first.url) == (
        "mm-1", "Jets bomb Sagaing village", "Mandalay Post", "https://example.org/mm-1")
    assert entries(quarantine) == [
        (path.name, 2, "parse", "JSONDecodeError"),
        (path.name, 3, "parse", "MissingField"),
        (path.name, 5, "parse", "WrongType"),
    ]
    assert all(str(path) == e.file for e in quarantine.entries)


@pytest.mark.parametrize("published", ["Monday"])
def test_read_bad_date_warns_and_leaves_date_unknown(published: str, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"text": MARIB, "published": published}) + "\n"
                    + json.dumps({"text": SAADA, "published": "2024-01-08T09:00:00Z"}) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsgraph.input"):
        (bad, good), quarantine = read(path)
    assert bad.published is None and good.published == date(2024, 1, 8)
    assert not quarantine
    assert f"{path}:1" in caplog.text and repr(published) in caplog.text


@pytest.mark.parametrize("flags", [{"publisher": "Saba", "published": date(2024, 1, 1)},
                                   {"publisher": "Saba", "published": "2024-01-01"}])
def test_read_publisher_and_published_options_override_metadata(flags: dict[str, object]) -> None:
    (article,), _ = read(YEMEN, **flags)
    assert (article.publisher, article.published) == ("Saba", date(2024, 1, 1))
    assert article.title == "Houthi Drone Strikes Hit Coalition Positions Near Hodeidah Port"


@pytest.mark.parametrize("payload", ['{"published": "not json', '["a list"]'])
def test_read_malformed_sidecar_is_reported_and_article_still_read(payload: str, tmp_path: Path) -> None:
    (tmp_path / "marib.txt").write_text(MARIB, encoding="utf-8")
    (tmp_path / "marib.meta.json").write_text(payload, encoding="utf-8")
    (article,), quarantine = read(tmp_path)
    assert article.text == MARIB and article.publisher is None
    assert [(e[0], e[2]) for e in entries(quarantine)] == [("marib.meta.json", "metadata")]


@pytest.mark.parametrize("fmt", ["text", "jsonl", "html"])
def test_read_stdin(fmt: str) -> None:
    payload = {
        "text": MARIB,
        "jsonl": json.dumps({"id": "a", "text": MARIB}) + "\n" + json.dumps({"id": "b", "text": SAADA}) + "\n",
        "html": f"<!doctype html><html><body><p>{MARIB}</p><script>x()</script></body></html>",
    }[fmt]
    articles, quarantine = read("-", stdin=io.BytesIO(payload.encode("utf-8")))
    assert not quarantine
    assert articles[0].text == MARIB and articles[0].fmt == fmt
    assert [a.source for a in articles] == (["-:1", "-:2"] if fmt == "jsonl" else ["-"])


@pytest.mark.parametrize("text", [MARIB])
def test_read_real_stdin_in_a_process(text: str) -> None:
    code = ("import sys; from builder.read import iter_articles; from builder.quarantine import Quarantine; "
            "q = Quarantine(); a = list(iter_articles(['-'], quarantine=q)); "
            "print(len(a), a[0].source, a[0].text == sys.argv[1], len(q))")
    done = subprocess.run([sys.executable, "-c", code, text], input=text.encode(), capture_output=True,
                          cwd=ROOT, timeout=120, check=True)
    assert done.stdout.decode().split() == ["1", "-", "True", "0"]


@pytest.mark.parametrize("path", [CORPUS / "syria-notes.article"])
def test_read_unknown_extension_as_text_when_it_decodes(path: Path) -> None:
    (article,), _ = read(path)
    assert article.fmt == "text" and article.text.startswith("IDLIB, Syria - Barrel bombs")


def test_read_is_lazy(tmp_path: Path) -> None:
    quarantine = Quarantine()
    articles = iter_articles([str(tmp_path / "missing.txt")], quarantine=quarantine)
    assert not quarantine  # nothing is read before the first article is asked for
    assert list(articles) == [] and entries(quarantine) == [("missing.txt", None, "read", "FileNotFoundError")]


# --- bad input: each is one line, quarantined, and the batch goes on -------------------------


@pytest.mark.parametrize(("name", "data", "stage", "error"), [
    ("empty.txt", b"", "read", "EmptyFile"),
    ("blank.txt", b"  \n\n \t\n", "read", "EmptyFile"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "decode", "BinaryFile"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "decode", "BinaryFile"),
    ("blob.bin", bytes((i * 37 + 11) % 256 for i in range(4096)), "decode", "BinaryFile"),
    ("furniture.txt", b"Banners\n\nVideos\n\nAdvertisement\n", "normalise", "EmptyArticle"),
    ("chrome.html", b"<html><body><nav>Home</nav><script>x()</script></body></html>", "normalise", "EmptyArticle"),
])
def test_read_quarantines_bad_file_and_goes_on(name: str, data: bytes, stage: str, error: str,
                                              tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "zz-marib.txt").write_text(MARIB, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsgraph.input"):
        articles, quarantine = read(tmp_path)
    assert [Path(a.source).name for a in articles] == ["zz-marib.txt"]
    assert entries(quarantine) == [(name, None, stage, error)]
    warning_lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning_lines) == 1 and str(tmp_path / name) in warning_lines[0] and "\n" not in warning_lines[0]


@pytest.mark.parametrize(("encoding", "data", "expected"), [
    ("utf-8-sig", "\ufeff" + "Houthi drones hit Ma’rib, officials said – café owners fled.", None),
    ("utf-16", "Houthi drones hit Ma’rib, officials said – café owners fled.", None),
    ("cp1252", "Houthi drones hit Ma’rib, officials said – café owners fled.", None),
    ("utf-8+cp1252", None, "Houthi drones hit Ma’rib, officials said – café owners fled."),
])
def test_read_converts_other_encodings_and_records_them(encoding: str, data: str | None, expected: str | None,
                                                       tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "marib.txt"
    if data is None:  # mixed: UTF-8 with one stray cp1252 byte (an en dash)
        raw = "Houthi drones hit Ma’rib, officials said ".encode() + b"\x96" + " café owners fled.".encode()
    else:
        raw = data.encode("utf-8") if encoding == "utf-8-sig" else data.encode(encoding)
    path.write_bytes(raw)
    with caplog.at_level(logging.INFO, logger="newsgraph.input"):
        (article,), quarantine = read(path)
    assert not quarantine
    assert article.encoding == encoding
    assert article.text == normalised(expected or (data or "").lstrip("\ufeff"))
    assert "Ma'rib" in article.text and "café" in article.text and "\ufeff" not in article.text
    assert f"read as {encoding}" in caplog.text


def normalised(text: str) -> str:
    from builder.normalise import normalise

    return normalise(text)


@pytest.mark.parametrize("chars", [2_500_000])
def test_read_huge_file_with_very_long_lines(chars: int, tmp_path: Path) -> None:
    paragraph = MARIB + " " + SAADA + "\n\n"
    one_line = (MARIB + " ") * 2000  # a single line of ~250,000 characters
    path = tmp_path / "huge.txt"
    path.write_text(one_line + "\n\n" + paragraph * (chars // len(paragraph)), encoding="utf-8")
    (article,), quarantine = read(path)
    assert not quarantine and len(article.text) > chars * 0.9
    assert article.text.startswith(MARIB + " " + MARIB)
    from builder.normalise import chunks

    pieces = list(chunks(article.text, 100_000))
    assert "".join(p for _, p in pieces) == article.text
    assert all(article.text[o:o + len(p)] == p and len(p) <= 100_000 for o, p in pieces)


@pytest.mark.parametrize("text", ["MARIB, Yemen - An air\x00 strike\x07 hit a \x1bfuel station, killing "
                                  "\ud800nine people, the ministry said."])
def test_read_control_characters_and_lone_surrogates(text: str, tmp_path: Path) -> None:
    path = tmp_path / "controls.jsonl"
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")  # \ud800 travels as a JSON escape
    (article,), quarantine = read(path)
    assert not quarantine
    assert article.text == "MARIB, Yemen - An air strike hit a fuel station, killing \ufffdnine people, the ministry said."
    article.text.encode("utf-8")  # strict: no surrogate survives


def test_read_arabic_script_kept_in_english_article() -> None:
    (article,), quarantine = read(CORPUS / "gaza-names.txt")
    assert not quarantine and article.language == "en"
    assert "Sheikh Radwan (الشيخ رضوان)" in article.text and "(خان يونس)" in article.text


@pytest.mark.parametrize(("name", "language"), [("arabic-report.txt", "ar"), ("french-report.txt", "fr")])
def test_read_skips_other_languages_unless_asked(name: str, language: str) -> None:
    articles, quarantine = read(CORPUS / name)
    assert articles == [] and entries(quarantine) == [(name, None, "language", "UnwantedLanguage")]
    assert repr(language) in quarantine.entries[0].message
    (article,), quarantine = read(CORPUS / name, languages=("en", language))
    assert not quarantine and article.language == language
    assert article.text == (CORPUS / name).read_text(encoding="utf-8").strip()


def test_read_declared_language_is_trusted(tmp_path: Path) -> None:
    path = tmp_path / "declared.jsonl"
    path.write_text(json.dumps({"text": MARIB, "language": "en-GB"}) + "\n"
                    + json.dumps({"text": SAADA, "language": "ar"}) + "\n", encoding="utf-8")
    (article,), quarantine = read(path)
    assert article.language == "en" and entries(quarantine) == [("declared.jsonl", 2, "language", "UnwantedLanguage")]


def test_read_same_article_twice_is_read_once_and_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(MARIB, encoding="utf-8")
    (tmp_path / "b.txt").write_text("  " + MARIB.replace(" on Thursday", "\non Thursday") + "\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": MARIB}) + "\n", encoding="utf-8")
    articles, quarantine = read(tmp_path)
    assert [Path(a.source).name for a in articles] == ["a.txt"]
    assert entries(quarantine) == [("b.txt", None, "dedupe", "DuplicateArticle"),
                                   ("c.jsonl", 1, "dedupe", "DuplicateArticle")]
    assert all(str(tmp_path / "a.txt") in e.message for e in quarantine.entries)


def test_read_symlink_loops_are_quarantined(tmp_path: Path) -> None:
    (tmp_path / "marib.txt").write_text(MARIB, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "saada.txt").write_text(SAADA, encoding="utf-8")
    (sub / "back-to-top").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    articles, quarantine = read(tmp_path)
    assert sorted(Path(a.source).name for a in articles) == ["marib.txt", "saada.txt"]
    assert sorted(entries(quarantine)) == [
        ("back-to-top", None, "read", "SymlinkLoop"),
        ("dangling.txt", None, "read", "FileNotFoundError"),
        ("loop-a.txt", None, "read", "SymlinkLoop"),
        ("loop-b.txt", None, "read", "SymlinkLoop"),
    ]


def test_read_unreadable_file_and_folder_are_quarantined() -> None:
    import shutil
    import tempfile

    from builder.formats.language import detect_language

    detect_language(MARIB)  # warm the caches the unprivileged child relies on
    normalised("dis-\nplacement")
    top = Path(tempfile.mkdtemp(prefix="newsgraph-perm-"))
    try:
        top.chmod(0o755)
        (top / "marib.txt").write_text(MARIB, encoding="utf-8")
        (top / "secret.txt").write_text(SAADA, encoding="utf-8")
        (top / "secret.txt").chmod(0o000)
        (top / "locked").mkdir()
        (top / "locked" / "inside.txt").write_text(SAADA, encoding="utf-8")
        (top / "locked").chmod(0o000)
        for item in (top / "marib.txt",):
            item.chmod(0o644)
        sources, found = _read_unprivileged(top)
        assert [Path(s).name for s in sources] == ["marib.txt"]
        assert sorted(found) == [("locked", None, "read", "PermissionError"),
                                 ("secret.txt", None, "read", "PermissionError")]
    finally:
        (top / "locked").chmod(0o755)
        shutil.rmtree(top)


def _read_unprivileged(folder: Path) -> tuple[list[str], list[tuple[str, int | None, str, str]]]:
    """Read ``folder`` as a user the permission bits apply to (root ignores them: fork and drop)."""
    if os.geteuid() != 0:
        articles, quarantine = read(folder)
        return [a.source for a in articles], entries(quarantine)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, read, report through the pipe, exit at once
        status = 0
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            articles, quarantine = read(folder)
            out = json.dumps([[a.source for a in articles], entries(quarantine)]).encode()
            os.write(writer, out)
        except BaseException:  # noqa: BLE001 - the child must never return into pytest
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0, "the unprivileged reader failed"
    sources, found = json.loads(payload)
    return sources, [tuple(e) for e in found]  # type: ignore[misc]


@pytest.mark.parametrize("headline", ["Sudan RSF shells El Fasher camp", "Taiz"])
def test_read_short_english_text_is_not_mistaken_for_another_language(headline: str, tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text(headline, encoding="utf-8")
    (article,), quarantine = read(tmp_path)
    assert not quarantine and article.text == headline and article.language is None


def test_read_json_file_of_one_article_or_an_array(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": MARIB, "publisher": "Saba"}, indent=2), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"text": SAADA}, {"title": "no text"}, "x"]), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"text": ', encoding="utf-8")
    articles, quarantine = read(tmp_path)
    assert [(Path(a.source).name, a.publisher) for a in articles] == [("many.json:1", None), ("one.json", "Saba")]
    assert entries(quarantine) == [("broken.json", None, "parse", "JSONDecodeError"),
                                   ("many.json", 2, "parse", "MissingField"),
                                   ("many.json", 3, "parse", "WrongType")]


@pytest.mark.parametrize("published", [datetime(2024, 1, 8, 23, 30)])
def test_read_published_option_accepts_a_datetime(published: datetime) -> None:
    (article,), _ = read(YEMEN, published=published)
    assert article.published == date(2024, 1, 8) and type(article.published) is date


def test_read_html_in_a_legacy_encoding_with_article_body_in_json_ld(tmp_path: Path) -> None:
    body = "قصفت طائرات حربية سوقا شعبيا في مدينة سراقب يوم السبت، ما أسفر عن مقتل ثمانية أشخاص على الأقل."
    page = ('<html><head><meta charset="windows-1256"><script type="application/ld+json">'
            + json.dumps({"@type": "NewsArticle", "headline": "غارات على سراقب", "articleBody": body,
                          "inLanguage": "ar"}, ensure_ascii=False)
            + "</script></head><body><nav>الرئيسية</nav></body></html>")
    (tmp_path / "saraqeb.html").write_bytes(page.encode("cp1256"))
    (article,), quarantine = read(tmp_path, languages=("en", "ar"))
    assert not quarantine
    assert (article.text, article.title, article.language, article.encoding) == (body, "غارات على سراقب", "ar", "cp1256")


@pytest.mark.parametrize(("raw", "encoding"), [
    ((MARIB + " " + SAADA).encode("utf-16-le"), "utf-16-le"),  # no byte-order mark
    (MARIB.encode() + b"\x00 " + SAADA.encode(), "utf-8"),  # one stray NUL is no reason to guess again
    ("Харків обстріляли вночі, повідомили посадовці області. Загинули двоє людей.".encode("cp1251"), "cp1251"),
])
def test_read_detects_encodings_without_a_byte_order_mark(raw: bytes, encoding: str, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_bytes(raw)
    (article,), quarantine = read(tmp_path, languages=("en", "uk"))
    assert not quarantine and article.encoding == encoding
    assert article.text.startswith(("MARIB, Yemen - An air strike", "Харків обстріляли"))


@pytest.mark.parametrize("path", [str(YEMEN), YEMEN])
def test_read_one_path_given_alone(path: str | Path) -> None:
    quarantine = Quarantine()
    (article,) = iter_articles(path, quarantine=quarantine)  # type: ignore[arg-type]
    assert article.source == str(YEMEN) and not quarantine


@pytest.mark.parametrize("published", ["22/12/2019", "last Sunday"])
def test_read_published_option_that_is_no_date_is_a_usage_error(published: str) -> None:
    from ontology.errors import UsageError

    with pytest.raises(UsageError, match=repr(published).replace("/", ".")):
        read(YEMEN, published=published)


def test_read_html_metadata_from_meta_tags_without_json_ld(tmp_path: Path) -> None:
    page = ('<html lang="ar-SY"><head><title>Page title | Site</title>'
            '<meta property="og:title" content="Barrel bombs hit Kafranbel">'
            '<meta property="og:site_name" content="Idlib Today">'
            '<meta name="pubdate" content="2019-12-20">'
            '<meta property="og:url" content="https://example.org/kafranbel"></head>'
            f"<body><main><p>{MARIB}</p></main></body></html>")
    (tmp_path / "kafranbel.htm").write_text(page, encoding="utf-8")
    (article,), _ = read(tmp_path, languages=("en", "ar"))
    assert (article.title, article.publisher, article.published, article.url, article.language) == (
        "Barrel bombs hit Kafranbel", "Idlib Today", date(2019, 12, 20), "https://example.org/kafranbel", "ar")


def test_read_utf16_json_lines_with_a_line_separator_inside_a_string(tmp_path: Path) -> None:
    lines = [json.dumps({"text": MARIB + "\u2028" + "More."}, ensure_ascii=False), json.dumps({"text": SAADA})]
    (tmp_path / "wide.jsonl").write_bytes("\n".join(lines).encode("utf-16"))
    articles, quarantine = read(tmp_path)
    assert not quarantine and [a.source.rsplit(":", 1)[1] for a in articles] == ["1", "2"]
    assert articles[0].encoding == "utf-16" and articles[0].text == MARIB + "\n\nMore."


def test_read_html_passes_over_a_teaser_article_element(tmp_path: Path) -> None:
    page = ("<html><body><div class='story'>" + "".join(f"<p>{MARIB} {SAADA}</p>" for _ in range(3))
            + "</div><div class='rail'><article><h3>Other news</h3><p>Floods in Aden.</p></article></div></body></html>")
    (tmp_path / "story.html").write_text(page, encoding="utf-8")
    (article,), _ = read(tmp_path)
    assert article.text.startswith(MARIB) and "Floods in Aden" in article.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".md", ".jsonl", ".json", ".bin"]))
def test_read_never_crashes_the_batch_on_arbitrary_bytes(data: bytes, suffix: str, tmp_path: Path) -> None:
    folder = tmp_path / f"case{abs(hash((data, suffix)))}"
    folder.mkdir()
    (folder / f"a{suffix}").write_bytes(data)
    (folder / "z-marib.txt").write_text(MARIB, encoding="utf-8")
    articles, quarantine = read(folder, languages=("en", "ar", "fr"))
    assert any(a.text == MARIB for a in articles)  # the good file is always read
    assert all(a.text.encode("utf-8") for a in articles)
    assert all(e.file.startswith(str(folder)) and "\n" not in e.message for e in quarantine.entries)


def test_read_html_drops_the_byline(tmp_path: Path) -> None:
    page = (f"<html><body><article><h1>Strike near camp</h1><p class='byline'>By staff reporter | Middle East</p>"
            f"<p>{MARIB}</p></article></body></html>")
    (tmp_path / "strike.html").write_text(page, encoding="utf-8")
    (article,), _ = read(tmp_path)
    assert "Middle East" not in article.text and MARIB in article.text
