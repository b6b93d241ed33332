"""builder.quarantine: the report of what was skipped, written atomically as JSON Lines."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from builder.quarantine import Quarantine
from ontology.errors import DiskFullError

KEYS = ["file", "line", "stage", "error", "message"]


def test_quarantine_collects_entries_and_logs_one_line_each(caplog: pytest.LogCaptureFixture) -> None:
    quarantine = Quarantine()
    assert not quarantine and len(quarantine) == 0
    with caplog.at_level(logging.WARNING, logger="newsgraph.input"):
        quarantine.add("in/taiz.txt", None, "read", "EmptyFile", "the file is empty;\nexpected article text")
        quarantine.add(Path("in/wire.jsonl"), 7, "parse", "JSONDecodeError", "received malformed JSON")
    assert quarantine and len(quarantine) == 2
    assert [(e.file, e.line, e.stage) for e in quarantine.entries] == [("in/taiz.txt", None, "read"),
                                                                      ("in/wire.jsonl", 7, "parse")]
    assert [r.getMessage() for r in caplog.records] == [
        "in/taiz.txt: read: EmptyFile: the file is empty; expected article text",
        "in/wire.jsonl:7: parse: JSONDecodeError: received malformed JSON",
    ]


@pytest.mark.parametrize("name", ["quarantine.jsonl", "deep/er/quarantine.jsonl"])
def test_quarantine_writes_json_lines_with_the_report_keys(name: str, tmp_path: Path) -> None:
    quarantine = Quarantine()
    quarantine.add("in/مأرب.txt", None, "language", "UnwantedLanguage", "the article is in 'ar'")
    quarantine.add("in/wire.jsonl", 3, "parse", "MissingField", 'received no "text" field')
    target = tmp_path / name
    quarantine.write(target)
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in rows] == [KEYS, KEYS]
    assert rows[0] == {"file": "in/مأرب.txt", "line": None, "stage": "language", "error": "UnwantedLanguage",
                       "message": "the article is in 'ar'"}
    assert rows[1]["line"] == 3
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left behind


def test_quarantine_write_replaces_the_old_report(tmp_path: Path) -> None:
    target = tmp_path / "quarantine.jsonl"
    target.write_text("old\n", encoding="utf-8")
    Quarantine().write(target)
    assert target.read_text(encoding="utf-8") == ""


def test_quarantine_write_to_unwritable_place_is_disk_full_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    quarantine = Quarantine()
    quarantine.add("x.txt", None, "read", "EmptyFile", "empty")
    with pytest.raises(DiskFullError, match=str(blocker / "quarantine.jsonl")) as raised:
        quarantine.write(blocker / "quarantine.jsonl")
    assert raised.value.exit_code == 73 and isinstance(raised.value.__cause__, OSError)
    assert os.listdir(tmp_path) == ["a-file"]
