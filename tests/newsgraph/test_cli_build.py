"""``newsgraph build`` as users run it: the installed console script, real files, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ontology.store import open_store

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsgraph")

ARTICLE = ("SANAA - An air strike hit a fuel station in Marib on Thursday, killing at least nine people, "
           "the interior ministry said. The Saudi-led coalition said it targeted a weapons depot.")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), "build", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def article_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "marib.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_build_writes_the_graph_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "out" / "graph.trig"
    done = run(str(article_folder(tmp_path)), "--output", str(out), "--publisher", "Yemen Wire",
               "--published", "2024-09-12")
    assert done.returncode == 0, done.stderr
    assert "built 1 of 1 articles" in done.stderr
    assert done.stdout == ""
    with open_store(str(out)) as store:
        quads = store.dataset().serialize(format="nquads")
    assert '"2024-09-12"^^<http://www.w3.org/2001/XMLSchema#date>' in quads
    assert "Yemen Wire" in quads


def test_a_second_build_skips_what_the_output_holds_and_rebuild_does_not(tmp_path: Path) -> None:
    folder, out = article_folder(tmp_path), str(tmp_path / "graph.trig")
    assert run(str(folder), "--output", out, "--publisher", "Yemen Wire", "--quiet").returncode == 0
    again = run(str(folder), "--output", out, "--publisher", "Yemen Wire")
    assert again.returncode == 0, again.stderr
    assert "built 0 of 1 articles" in again.stderr and "1 unchanged" in again.stderr
    other = run(str(folder), "--output", out, "--publisher", "Other Wire")  # other metadata: processed again
    assert "built 1 of 1 articles" in other.stderr, other.stderr
    forced = run(str(folder), "--output", out, "--publisher", "Other Wire", "--rebuild")
    assert forced.returncode == 0 and "built 1 of 1 articles" in forced.stderr, forced.stderr


def test_quarantined_input_exits_65_and_writes_the_report_beside_the_output(tmp_path: Path) -> None:
    folder = article_folder(tmp_path)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "graph.trig"
    done = run(str(folder), "--output", str(out), "--quiet")
    assert done.returncode == 65, done.stderr
    report = [json.loads(line) for line in Path(f"{out}.quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(r["file"]).name for r in report] == ["empty.txt"]
    assert {"file", "line", "stage", "error", "message"} <= set(report[0])
    with open_store(str(out)) as store:
        assert len(store.graph_names()) >= 2  # the good article's graph and the entities graph


def test_quarantine_option_chooses_the_report_path(tmp_path: Path) -> None:
    report = tmp_path / "bad.jsonl"
    done = run(str(tmp_path / "missing.txt"), "--output", str(tmp_path / "g.trig"), "--quarantine", str(report))
    assert done.returncode == 65
    assert "missing.txt" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["--published", "22/12/2019"], ["--jobs", "0"]])
def test_usage_errors_exit_2_naming_the_value(tmp_path: Path, args: list[str]) -> None:
    done = run(str(article_folder(tmp_path)), "--output", str(tmp_path / "g.trig"), *args)
    assert done.returncode == 2, done.stderr
    assert args[1] in done.stderr


def test_output_that_cannot_be_created_exits_73(tmp_path: Path) -> None:
    # sysfs refuses new directories (EPERM) even to root: a location nobody may write to
    done = run(str(article_folder(tmp_path)), "--output", "/sys/newsgraph-test-output/graph.trig")
    assert done.returncode == 73, done.stderr
    assert "/sys/newsgraph-test-output" in done.stderr


def test_store_in_use_exits_75(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with open_store(str(store_dir), mode="w"):
        done = run(str(article_folder(tmp_path)), "--output", str(store_dir))
    assert done.returncode == 75, done.stderr
    assert "in use" in done.stderr


def test_help_documents_options_exit_codes_and_an_example() -> None:
    done = run("--help")
    assert done.returncode == 0
    for words in ("--output", "--publisher", "--published", "--jobs", "--no-merge", "--base", "--quarantine",
                  "--quiet", "65", "Example: newsgraph build"):
        assert words in done.stdout, words


def test_missing_paths_is_a_usage_error() -> None:
    done = run("--output", "out/never-written.trig")
    assert done.returncode == 2
    assert "Missing argument" in done.stderr
    assert not (ROOT / "out" / "never-written.trig").exists()
