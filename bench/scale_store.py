"""A large Oxigraph store for timing queries, made in a minute from one real build.

    python bench/scale_store.py /tmp/store-20k --articles 20000 [--seed 8] [--source base.trig]

spaCy would take hours for 20,000 articles, and query times depend on the graph's
shape, not on how it was made. So this builds a real graph once (``builder.pipeline.build``
over ``examples/``, the seed articles under ``/work/shared/corpus/seeds`` and a few hundred
``bench/corpus.py`` wire reports, cached next to the output) and then replicates its
article graphs until there are ``--articles`` of them:

* each copy's article, mention, event and claim IRIs (and its graph name and content
  hash) get a new hash, so no two copies share a node but the entities;
* copies come in small *groups* that report the same events: a group shares a date
  shift (every ``xsd:date`` and the ISO dates in labels move together) and a rotation
  of places and actors to other gazetteer entries of the same class (so the store
  holds hundreds of places and actors, each with its description in the entities
  graph); the copies of a group have different publishers;
* the resolution graph is rebuilt the way the resolver writes it: every event is
  merged with its counterparts in the other copies of its group (and with what the
  real build merged), the canonical being the smallest member IRI, with an ``ng:Merge``
  node per cluster.

Deterministic: the same ``--seed``, source graph and ``--articles`` give the same store.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
NG = "https://w3id.org/newsgraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
XSD = "http://www.w3.org/2001/XMLSchema#"
GROUP_SIZES = (1, 1, 1, 2, 2, 3)  # how many copies report the same events (drawn per group)
MAX_SHIFT_DAYS = 6 * 365
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def source_graph(cache_dir: Path, *, synthetic: int = 300) -> Path:
    """The real build the scale store is made from (built once, then reused from ``cache_dir``)."""
    target = cache_dir / f"scale-source-{synthetic}.trig"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    from builder.pipeline import build

    paths = [str(ROOT / "examples")]
    if SEEDS.is_dir():
        paths.append(str(SEEDS))
    if synthetic:
        import subprocess

        corpus = cache_dir / f"scale-corpus-{synthetic}"
        if not corpus.exists():
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(synthetic),
                            "--output", str(corpus)], check=True)
        paths.append(str(corpus))
    build(paths, str(target), jobs=2, progress=False)
    return target


class _Source:
    """The real graph, split into article graphs, entity descriptions and merges."""

    def __init__(self, path: Path, base: str) -> None:
        import pyoxigraph as ox

        self.base = base
        self.articles: dict[str, list] = defaultdict(list)  # hash16 -> quads of its graph
        self.entities: list = []
        self.merged_into: dict[str, str] = {}
        self.merge_rule: dict[str, tuple] = {}  # canonical event -> (rule literal, score literal)
        prefix = base + "graph/article/"
        merges: dict[str, dict[str, object]] = defaultdict(dict)
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            graph = quad.graph_name.value
            if graph.startswith(prefix):
                self.articles[graph[len(prefix):]].append(quad)
            elif graph == base + "graph/entities":
                self.entities.append(quad)
            elif graph == base + "graph/resolution":
                p = quad.predicate.value
                if p == NG + "mergedInto":
                    self.merged_into[quad.subject.value] = quad.object.value
                elif p in (NG + "mergeRule", NG + "mergeScore", NG + "canonicalEvent"):
                    merges[quad.subject.value][p] = quad.object
        for parts in merges.values():
            canonical = parts.get(NG + "canonicalEvent")
            if canonical is not None:
                self.merge_rule[canonical.value] = (parts.get(NG + "mergeRule"), parts.get(NG + "mergeScore"))
        # entities by class, for rotation; publishers, for giving a group's copies different outlets
        self.cls: dict[str, str] = {}
        for quad in self.entities:
            if quad.predicate.value == RDF_TYPE:
                self.cls[quad.subject.value] = quad.object.value
        self.publishers = sorted({q.object.value for quads in self.articles.values() for q in quads
                                  if q.predicate.value == NG + "publisher"})


def _gazetteer_pools(src: _Source) -> tuple[dict[str, list[str]], list]:
    """Entity IRIs by class (the source's first, then the curated gazetteer's) and their descriptions."""
    import pyoxigraph as ox

    from builder.gazetteer import load_gazetteer
    from ontology import iri

    gaz = load_gazetteer()
    entities_graph = ox.NamedNode(src.base + "graph/entities")
    described = set(src.cls)
    pools: dict[str, list[str]] = defaultdict(list)
    for entity, cls in sorted(src.cls.items()):
        pools[cls].append(entity)
    extra: list = []

    def describe(entry: object) -> str:
        node = str(iri.entity_iri(entry.key, base=src.base))  # type: ignore[attr-defined]
        if node in described:
            return node
        described.add(node)
        s = ox.NamedNode(node)

        def add(p: str, o: object) -> None:
            extra.append(ox.Quad(s, ox.NamedNode(p), o, entities_graph))

        add(RDF_TYPE, ox.NamedNode(NG + entry.cls))  # type: ignore[attr-defined]
        add(SKOS + "prefLabel", ox.Literal(entry.name))  # type: ignore[attr-defined]
        if entry.latitude is not None and entry.longitude is not None:  # type: ignore[attr-defined]
            add(GEO + "lat", ox.Literal(f"{entry.latitude}", datatype=ox.NamedNode(XSD + "decimal")))  # type: ignore[attr-defined]
            add(GEO + "long", ox.Literal(f"{entry.longitude}", datatype=ox.NamedNode(XSD + "decimal")))  # type: ignore[attr-defined]
        if entry.geonames_id:  # type: ignore[attr-defined]
            add(NG + "geonamesId", ox.Literal(entry.geonames_id))  # type: ignore[attr-defined]
        if entry.wikidata_id:  # type: ignore[attr-defined]
            add(NG + "wikidataId", ox.Literal(entry.wikidata_id))  # type: ignore[attr-defined]
        parent = gaz.place(entry.located_in) if entry.located_in else None  # type: ignore[attr-defined]
        if parent is not None:
            add(NG + "locatedIn", ox.NamedNode(describe(parent)))
        country = gaz.place(entry.country) if entry.country else None  # type: ignore[attr-defined]
        if country is not None and entry.kind == "actor":  # type: ignore[attr-defined]
            add(NG + "country", ox.NamedNode(describe(country)))
        return node

    for entry in sorted(list(gaz.places.values()) + list(gaz.actors.values()), key=lambda e: e.key):
        if entry.tier != "curated":
            continue
        node = describe(entry) if str(iri.entity_iri(entry.key, base=src.base)) not in src.cls else None
        if node is not None:
            pools[NG + entry.cls].append(node)
    return pools, extra


def _shift_literal(lit: object, days: int) -> object:
    import pyoxigraph as ox

    datatype = lit.datatype.value if lit.datatype is not None else ""  # type: ignore[attr-defined]
    if datatype == XSD + "date":
        try:
            moved = date.fromisoformat(lit.value) + timedelta(days=days)  # type: ignore[attr-defined]
        except ValueError:
            return lit
        return ox.Literal(moved.isoformat(), datatype=lit.datatype)  # type: ignore[attr-defined]
    if datatype in ("", XSD + "string") and lit.language is None and _ISO_DATE.search(lit.value):  # type: ignore[attr-defined]
        def move(match: re.Match[str]) -> str:
            try:
                return (date.fromisoformat(match.group(0)) + timedelta(days=days)).isoformat()
            except ValueError:
                return match.group(0)

        return ox.Literal(_ISO_DATE.sub(move, lit.value))  # type: ignore[attr-defined]
    return lit


def _new_hash(seed: int, copy: int, old: str) -> str:
    return hashlib.sha256(f"{seed}:{copy}:{old}".encode()).hexdigest()[:16]


def generate(src: _Source, *, articles: int, seed: int) -> Iterator[object]:
    """Every quad of the scale store."""
    import pyoxigraph as ox

    rng = random.Random(seed)
    pools, extra = _gazetteer_pools(src)
    yield from src.entities
    yield from extra
    index = {entity: (cls, pools[cls].index(entity)) for cls in pools for entity in pools[cls]
             if entity in src.cls}
    hashes = sorted(src.articles)
    local = re.compile(re.escape(src.base) + r"((?:graph/)?[a-z]+/)([0-9a-f]{16})(.*)$")
    resolution = ox.NamedNode(src.base + "graph/resolution")
    clusters: dict[tuple[int, str], list[str]] = defaultdict(list)

    made = 0
    group = 0
    while made < articles:
        size = rng.choice(GROUP_SIZES)
        shift = 0 if group == 0 else rng.randrange(-MAX_SHIFT_DAYS // 2, MAX_SHIFT_DAYS // 2)
        turn = 0 if group == 0 else rng.randrange(1, 10_000)
        rotate: dict[str, str] = {}
        for entity, (cls, position) in index.items():
            pool = pools[cls]
            rotate[entity] = pool[(position + turn) % len(pool)]
        for member in range(size):
            copy = group * 8 + member  # a copy id unique across groups
            renamed: dict[str, str] = {}
            for old in hashes:
                if made >= articles:
                    break
                made += 1
                new = old if copy == 0 else _new_hash(seed, copy, old)
                renamed[old] = new
                publisher = src.publishers[(member + group) % len(src.publishers)] if src.publishers else None
                for quad in src.articles[old]:
                    yield _rewrite(quad, local, renamed, rotate, shift, new if copy else None, publisher if member else None)
            # events of this copy join their group's cluster (with the real build's merges)
            for old, new in renamed.items():
                for quad in src.articles[old]:
                    if quad.predicate.value == RDF_TYPE and quad.subject.value.startswith(src.base + "event/"):
                        event = quad.subject.value
                        root = src.merged_into.get(event, event)
                        clusters[(group, root)].append(_rename_iri(event, local, renamed))
        group += 1
    for (_, root), members in clusters.items():
        members = sorted(set(members))
        if len(members) < 2:
            continue
        canonical = members[0]
        merge = ox.NamedNode(src.base + "merge/" + hashlib.sha256(" ".join(members).encode()).hexdigest()[:16])
        rule, score = src.merge_rule.get(root, (None, None))
        yield ox.Quad(merge, ox.NamedNode(RDF_TYPE), ox.NamedNode(NG + "Merge"), resolution)
        yield ox.Quad(merge, ox.NamedNode(NG + "canonicalEvent"), ox.NamedNode(canonical), resolution)
        yield ox.Quad(merge, ox.NamedNode(NG + "mergeRule"), rule or ox.Literal("same-event"), resolution)
        yield ox.Quad(merge, ox.NamedNode(NG + "mergeScore"),
                      score or ox.Literal("0.9", datatype=ox.NamedNode(XSD + "decimal")), resolution)
        for member in members:
            yield ox.Quad(merge, ox.NamedNode(NG + "mergedEvent"), ox.NamedNode(member), resolution)
            if member != canonical:
                yield ox.Quad(ox.NamedNode(member), ox.NamedNode(NG + "mergedInto"), ox.NamedNode(canonical), resolution)


def _rename_iri(value: str, local: re.Pattern[str], renamed: dict[str, str]) -> str:
    match = local.match(value)
    if match is None or match.group(2) not in renamed:
        return value
    return value[: match.start(2)] + renamed[match.group(2)] + match.group(3)


def _rewrite(quad: object, local: re.Pattern[str], renamed: dict[str, str], rotate: dict[str, str],
             shift: int, new_hash: str | None, publisher: str | None) -> object:
    import pyoxigraph as ox

    def term(node: object) -> object:
        if isinstance(node, ox.NamedNode):
            value = node.value
            if value in rotate:
                return ox.NamedNode(rotate[value])
            renamed_value = _rename_iri(value, local, renamed)
            return node if renamed_value == value else ox.NamedNode(renamed_value)
        if isinstance(node, ox.Literal):
            return _shift_literal(node, shift) if shift else node
        return node

    subject, predicate, obj = quad.subject, quad.predicate, quad.object  # type: ignore[attr-defined]
    p = predicate.value
    if p == NG + "publisher" and publisher is not None:
        obj = ox.NamedNode(publisher)
    elif p == NG + "contentHash" and new_hash is not None:
        obj = ox.Literal(hashlib.sha256(new_hash.encode()).hexdigest())
    elif p == NG + "url" and new_hash is not None:
        obj = ox.Literal(f"{obj.value}#copy-{new_hash}", datatype=obj.datatype)
    else:
        obj = term(obj)
    return ox.Quad(term(subject), predicate, obj, term(quad.graph_name))  # type: ignore[attr-defined]


def make_store(output: Path, *, articles: int = 20_000, seed: int = 8, source: Path | None = None,
               base: str | None = None) -> dict[str, object]:
    """Write the scale store to the directory ``output`` (replaced); returns what was made."""
    import pyoxigraph as ox

    from ontology import iri

    started = time.perf_counter()
    source = source or source_graph(output.parent / ".scale-cache")
    src = _Source(source, base or iri.DEFAULT_BASE)
    if output.exists():
        shutil.rmtree(output)
    store = ox.Store(str(output))
    count = 0

    def counted() -> Iterator[object]:
        nonlocal count
        for quad in generate(src, articles=articles, seed=seed):
            count += 1
            yield quad

    store.bulk_extend(counted())
    store.flush()
    store.optimize()
    del store
    return {"store": str(output), "articles": articles, "source_articles": len(src.articles),
            "quads": count, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="Oxigraph store directory to (re)write")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--source", type=Path, default=None,
                        help="a built graph (.trig) to replicate (default: built once from examples/, "
                             "the seed articles and 300 bench/corpus.py articles)")
    args = parser.parse_args(argv)
    made = make_store(args.output, articles=args.articles, seed=args.seed, source=args.source)
    print(made)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
