"""Every kind of bad input in one batch, through ``newsgraph build`` as a user runs it.

The readers room tests each case against the reader (tests/builder/test_read.py);
this proves the whole way: the installed console script, real files, exit code 65,
one stderr line per problem naming the file (and line), the quarantine report
beside the output, every readable article in the graph, a graph whose IRIs all
parse in rdflib and Oxigraph, and the same sorted N-Quads when built again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, Dataset, Literal, URIRef

from ontology.namespace import NG
from tests.robustness.articles import article

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")

FRENCH = ("PARIS - Une frappe aérienne a touché un marché à Idleb lundi, tuant au moins douze personnes, "
          "selon les secouristes. Les habitants ont fui vers la frontière turque pendant la nuit.")
ARABIC = ("BEIRUT - An air strike hit the town of Kafranbel (كفرنبل) in Idlib province on Sunday, killing "
          "at least six civilians, the White Helmets said. Residents of Hass (حاس) fled north.")
HTML = """<!doctype html><html><head><title>Shelling in Sagaing</title>
<style>body { color: red }</style><script>document.write("alert('injected')")</script></head>
<body><nav>Home | World | Asia</nav><article><h1>Shelling in Sagaing</h1>
<p>YANGON - Artillery fire hit a monastery in Sagaing on Tuesday, killing at least seven people, residents said.</p>
<script>alert('injected')</script><p>About 300 families fled the town, an aid worker said.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""
LONG_SENTENCE = "Residents said the shelling of the eastern districts of Kharkiv went on through the night. "

#: quarantined inputs: (file name, line, stage, error)
EXPECTED_QUARANTINE = [
    ("blank.txt", None, "read", "EmptyFile"),
    ("empty.txt", None, "read", "EmptyFile"),
    ("french.txt", None, "language", "UnwantedLanguage"),
    ("furniture.html", None, "normalise", "EmptyArticle"),
    ("image.png", None, "decode", "BinaryFile"),
    ("wire.jsonl", 2, "parse", "JSONDecodeError"),
    ("wire.jsonl", 3, "parse", "MissingField"),
    ("wire.jsonl", 5, "parse", "WrongType"),
]
BUILT = 9  # taiz, cp1252, utf-16, html, long line, arabic, control characters, two JSON lines


def write_batch(folder: Path) -> None:
    """Good articles in odd shapes and encodings, and one of each kind of bad input."""
    folder.mkdir()
    taiz, _ = article(0)
    (folder / "taiz.txt").write_text(taiz, encoding="utf-8")
    (folder / "taiz.meta.json").write_text(json.dumps({  # metadata that would make illegal IRIs if pasted in
        "publisher": 'Al <Masira> "Live" {TV} | ^`\\ 24/7', "published": "2024-01-10",
        "url": "https://example.org/news/strike in taiz?a=<b>&c=\"d\"", "title": "Taiz\ttoll\r\nrises"}),
        encoding="utf-8")
    kharkiv, _ = article(1)
    (folder / "kharkiv-cp1252.txt").write_bytes(kharkiv.replace("said.", "said – “we heard the café shake”.")
                                                .encode("cp1252"))
    omdurman, _ = article(2)
    (folder / "omdurman-utf16.txt").write_text(omdurman, encoding="utf-16")
    (folder / "sagaing.html").write_text(HTML, encoding="utf-8")
    (folder / "long-line.txt").write_text("KHARKIV - " + LONG_SENTENCE * 600, encoding="utf-8")  # one 55 kB line
    (folder / "arabic.txt").write_text(ARABIC, encoding="utf-8")
    gaza, _ = article(5)
    (folder / "control.txt").write_bytes(gaza.replace("said.", "said.\x00\x07\x1b[31m\u200b\ufeff", 1).encode("utf-8")
                                         + b"\x00\x00")
    lines = [
        json.dumps({"id": "a b <c> #1", "text": article(4)[0].replace("bakery", "bakery \ud800"),
                    "title": "Idlib \udfff strike", "publisher": "Levant\u0000 Monitor"}),
        '{"id": "broken", "text": "An air strike hit',
        json.dumps({"id": "no-text", "title": "Headline only"}),
        json.dumps({"id": "ok", "text": article(3)[0], "publisher": "Irrawaddy Post", "url": "not a url at all"}),
        json.dumps(["an", "array"]),
    ]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\t\n  \n")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "french.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "furniture.html").write_text("<html><body><nav>Home</nav><p>Advertisement</p>"
                                           "<script>x()</script></body></html>", encoding="utf-8")
    (folder / "zz-taiz-again.txt").write_text(taiz, encoding="utf-8")  # the same text twice: skipped, reported


def build(folder: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), "build", str(folder), "--output", str(output)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("batch")
    folder = root / "in"
    write_batch(folder)
    first, second = root / "first" / "graph.nq", root / "second" / "graph.nq"
    return {"folder": folder, "first": first, "second": second,
            "runs": [build(folder, first), build(folder, second)]}


def test_a_bad_batch_exits_65_and_builds_everything_readable(batch: dict[str, object]) -> None:
    for done in batch["runs"]:  # type: ignore[union-attr]
        assert done.returncode == 65, done.stderr
        assert f"built {BUILT} of {BUILT + 1} articles" in done.stderr, done.stderr
        assert "1 duplicates skipped, 8 quarantined" in done.stderr
        assert "Traceback" not in done.stderr


def test_each_problem_is_one_stderr_line_naming_file_and_line(batch: dict[str, object]) -> None:
    stderr = batch["runs"][0].stderr  # type: ignore[index]
    folder = batch["folder"]
    for name, line, _, error in EXPECTED_QUARANTINE + [("zz-taiz-again.txt", None, "dedupe", "DuplicateArticle")]:
        where = f"{folder / name}:{line}" if line else str(folder / name)
        hits = [text for text in stderr.splitlines() if where in text and (error in text or "same text" in text
                                                                            or "duplicate" in text.lower())]
        assert len(hits) >= 1, (where, error, stderr)


def test_the_quarantine_report_lists_every_problem_beside_the_output(batch: dict[str, object]) -> None:
    report = Path(f"{batch['first']}.quarantine.jsonl")
    entries = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    for entry in entries:
        assert set(entry) == {"file", "line", "stage", "error", "message"}
        assert entry["message"] and "\n" not in entry["message"]
    found = sorted((Path(e["file"]).name, e["line"], e["stage"], e["error"]) for e in entries if e["stage"] != "dedupe")
    assert found == EXPECTED_QUARANTINE
    assert [(Path(e["file"]).name, e["error"]) for e in entries if e["stage"] == "dedupe"] == [
        ("zz-taiz-again.txt", "DuplicateArticle")]


def test_the_graph_holds_the_readable_articles_cleanly(batch: dict[str, object]) -> None:
    text = Path(batch["first"]).read_text(encoding="utf-8")  # type: ignore[arg-type]
    dataset = Dataset(default_union=True)
    dataset.parse(data=text, format="nquads")
    articles = set(dataset.subjects(RDF.type, NG.Article))
    assert len(articles) == BUILT
    encodings = {str(o) for o in dataset.objects(None, NG.encoding)}
    assert {"cp1252", "utf-16"} <= {e.lower().replace("_", "-") for e in encodings}, encodings
    for s, p, o, _ in dataset.quads():
        for term in (s, p, o):
            if isinstance(term, URIRef):
                assert all(c not in str(term) for c in ' <>"{}|^`\\\t\n'), term
        if isinstance(o, Literal):
            value = str(o)
            assert "alert(" not in value and "color: red" not in value and "Subscribe" not in value, o
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in value), o
            assert not any(ord(c) < 32 and c not in "\n\t" for c in value), o
    assert "كفرنبل" in text  # Arabic is kept as written
    oxigraph = list(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(oxigraph) == sum(1 for _ in dataset.quads())


def test_building_the_same_input_twice_gives_identical_sorted_nquads(batch: dict[str, object]) -> None:
    first, second = (sorted(Path(batch[k]).read_text(encoding="utf-8").splitlines()) for k in ("first", "second"))
    assert first == second
    reports = [Path(f"{batch[k]}.quarantine.jsonl").read_text(encoding="utf-8") for k in ("first", "second")]
    assert reports[0].replace(str(batch["first"]), "") == reports[1].replace(str(batch["second"]), "")


@pytest.mark.parametrize("base", ["https://example.org/my graph/", "not-an-iri/", "https://example.org/id"])
def test_a_base_that_would_mint_illegal_iris_is_a_usage_error(base: str, tmp_path: Path) -> None:
    (tmp_path / "taiz.txt").write_text(article(0)[0], encoding="utf-8")
    done = subprocess.run([str(CLI), "build", str(tmp_path / "taiz.txt"), "--output", str(tmp_path / "g.nq"),
                           "--base", base], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2, done.stderr
    assert repr(base) in done.stderr and "absolute IRI ending in / or #" in done.stderr
    assert not (tmp_path / "g.nq").exists()


def test_a_clean_build_empties_an_earlier_report_beside_the_output(tmp_path: Path) -> None:
    output = tmp_path / "graph.nq"
    stale = Path(f"{output}.quarantine.jsonl")
    stale.write_text('{"file": "gone.txt", "line": null, "stage": "read", "error": "EmptyFile", "message": "x"}\n',
                     encoding="utf-8")
    (tmp_path / "taiz.txt").write_text(article(0)[0], encoding="utf-8")
    done = build(tmp_path / "taiz.txt", output)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    assert stale.read_text(encoding="utf-8") == ""
