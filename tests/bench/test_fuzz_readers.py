"""The fuzz harness imports its targets without atheris, and each target runs one input."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "bench" / "fuzz_readers.py"


@pytest.mark.parametrize("data", [b'\x00{"text": "Shells hit Taiz on Monday, medics said."}\n\xff'])
def test_fuzz_harness_runs_every_target(data: bytes) -> None:
    spec = importlib.util.spec_from_file_location("fuzz_readers", HARNESS)
    assert spec is not None and spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    targets = harness.load_targets()
    assert list(targets) == list(harness.TARGET_NAMES)
    for name in targets:
        harness.one_input(targets, name)(data)
