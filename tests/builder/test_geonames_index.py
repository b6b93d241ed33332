"""The GeoNames tables and their on-disk cache: the same tables whether built or read, never a stale file."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from builder.geonames_index import GeoNamesTables, build_tables, default_cache_dir, inputs_digest, load_tables
from builder.names import name_key


@pytest.fixture(scope="module")
def built() -> GeoNamesTables:
    return build_tables()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory, built: GeoNamesTables) -> Path:
    directory = tmp_path_factory.mktemp("geonames-cache")
    load_tables(directory)
    return directory


def _file(directory: Path) -> Path:
    (path,) = directory.glob("geonames-*.pickle")
    return path


def test_the_tables_read_back_are_the_tables_built(built: GeoNamesTables, cache: Path) -> None:
    read = load_tables(cache)
    assert read.by_key == built.by_key
    assert read.by_country == built.by_country
    assert read.cities == built.cities
    assert read.countries == built.countries
    for iso in ("SY", "UA", "SD", "XX"):
        assert read.alternates(iso) == built.alternates(iso)


def test_alternate_names_find_a_city_in_its_country(built: GeoNamesTables) -> None:
    damascus = built.by_key[name_key("Damascus")]
    gid = next(ident for kind, ident in damascus if kind == "city")
    assert gid in built.alternates("SY")[name_key("Dimashq")]
    assert built.alternates("SY").get(name_key("DAM")) is None  # airport codes are no names


def test_a_second_process_reads_the_file(cache: Path) -> None:
    path = _file(cache)
    original = path.read_bytes()
    stored = pickle.loads(original)
    gid = next(iter(stored["cities"]))
    stored["cities"][gid] = {**stored["cities"][gid], "name": "Read From The File"}
    path.write_bytes(pickle.dumps(stored))
    try:
        assert load_tables(cache).cities[gid]["name"] == "Read From The File"
    finally:
        path.write_bytes(original)


def test_a_file_for_other_inputs_is_never_read(tmp_path: Path, cache: Path, built: GeoNamesTables) -> None:
    path = tmp_path / _file(cache).name
    stored = pickle.loads(_file(cache).read_bytes())
    stored["digest"] = "0" * 64
    stored["cities"] = {}
    path.write_bytes(pickle.dumps(stored))
    assert load_tables(tmp_path).cities == built.cities
    assert pickle.loads(path.read_bytes())["digest"] == inputs_digest()  # and it was rewritten


def test_files_for_older_inputs_are_removed(tmp_path: Path, cache: Path) -> None:
    stale = tmp_path / "geonames-000000000000000000000000.pickle"
    stale.write_bytes(b"tables of an older version")
    load_tables(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [_file(cache).name]


def test_a_damaged_file_is_rebuilt(tmp_path: Path, cache: Path, built: GeoNamesTables) -> None:
    (tmp_path / _file(cache).name).write_bytes(b"not a pickle")
    assert load_tables(tmp_path).by_key == built.by_key


def test_a_cache_that_cannot_be_written_costs_only_the_rebuild(tmp_path: Path, built: GeoNamesTables) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    assert load_tables(blocked).by_country == built.by_country
    assert not list(tmp_path.glob("**/geonames-*"))


def test_the_cache_directory_can_be_chosen_or_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", "")
    assert default_cache_dir() is None
    monkeypatch.delenv("NEWSGRAPH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "newsgraph"


def test_the_digest_is_stable() -> None:
    assert inputs_digest() == inputs_digest()
    assert len(inputs_digest()) == 64


def test_the_file_is_the_same_bytes_whatever_the_string_hashing(tmp_path: Path, cache: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": "12345", "NEWSGRAPH_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "from builder.geonames_index import load_tables; load_tables()"],
                   env=env, check=True, cwd=Path(__file__).resolve().parents[2])
    assert _file(tmp_path).read_bytes() == _file(cache).read_bytes()
