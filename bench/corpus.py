"""Deterministic synthetic corpus of wire-style conflict reports, any size.

Every article is built from the templates and the small gazetteer sample in
``bench/data/corpus.toml`` (Syria, Yemen, Ukraine, Sudan, Myanmar, Gaza): a
dateline, a lede with an attack or a displacement, tolls with qualifiers,
named sources, denials, displacement figures and context. Article ``i`` depends
only on ``(seed, i)`` and the articles before it, so a 2,000-article corpus is
the prefix of the 20,000-article one and runs compare like with like.

The real seed articles under ``/work/shared/corpus/seeds`` can be mixed in at run
time with ``--seeds``; they are read there, never copied into the repository.

    python bench/corpus.py 2000 --output /tmp/corpus-2k            # .txt + .meta.json sidecars
    python bench/corpus.py 2000 --output /tmp/c.jsonl --format jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "corpus.toml"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
FIRST_DAY = date(2019, 1, 1)


@dataclass(frozen=True, slots=True)
class Article:
    """One generated article and its sidecar metadata."""

    id: str
    text: str
    title: str
    publisher: str
    published: date
    war: str

    def meta(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published.isoformat(),
            "language": "en",
            "url": f"https://example.org/bench/{self.id}",
        }

    @property
    def words(self) -> int:
        return len(self.text.split())


@lru_cache(maxsize=1)
def _tables() -> dict:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _Filler(dict):
    """Slot values for one article; list-valued slots are drawn afresh for every use."""

    def __init__(self, rng: random.Random, war: dict, common: dict, outlet: str) -> None:
        super().__init__()
        self.rng = rng
        self.war = war
        self.common = common
        self.outlet = outlet
        self.place = rng.choice(war["places"])
        self.place2 = rng.choice([p for p in war["places"] if p != self.place])
        self.region = rng.choice(war["regions"])

    def _pick(self, key: str) -> str:
        table = self.war.get(key) or self.common[key]
        return self.rng.choice(table)

    def __missing__(self, slot: str) -> str:  # noqa: C901 - one branch per slot name, a lookup table
        rng = self.rng
        cap = slot.endswith("_cap")
        name = slot[: -len("_cap")] if cap else slot
        if name == "place":
            value = self.place
        elif name == "place2":
            value = self.place2
        elif name == "region":
            value = self.region
        elif name == "dest":
            value = self._pick("destinations")
        elif name in ("perp", "weapon", "enemy", "backer", "denier", "agency"):
            value = self._pick({"perp": "perpetrators", "weapon": "weapons", "enemy": "enemies",
                                "backer": "backers", "denier": "deniers", "agency": "agencies"}[name])
        elif name in ("source", "source2"):
            value = self._pick("sources")
        elif name == "say":
            value = rng.choice(self.common["source_verbs"]).format(outlet=self.outlet)
        elif name == "deny":
            value = rng.choice(self.common["denial_verbs"])
        elif name == "when":
            value = rng.choice(self.common["relative_days"])
        elif name == "month":
            value = rng.choice(self.war["months"])
        elif name in ("n", "n2"):
            value = rng.choice(self.common["small_numbers"])
        elif name == "qual":
            value = rng.choice(self.common["qualifiers"])
        elif name == "victims":
            value = rng.choice(self.common["victims"])
        elif name == "injured":
            value = rng.choice(self.common["injured_words"])
        elif name == "target":
            value = rng.choice(self.common["targets"])
        elif name == "facility":
            value = rng.choice(self.common["facility_targets"])
        elif name == "displaced":
            if rng.random() < 0.5:  # the stock phrases wires repeat ("tens of thousands of")
                value = rng.choice(self.common["displaced_amounts"])
            else:  # a counted figure, as agencies give them
                value = f"{rng.choice(self.common['displaced_qualifiers'])} {rng.randint(2, 400) * 250:,}"
        elif name == "outlet":
            value = self.outlet
        else:
            raise KeyError(f"corpus template slot {{{slot}}} is not defined in {DATA}")
        return _cap(value) if cap else value


def _sentence(template: str, filler: _Filler) -> str:
    text = template.format_map(filler)
    text = " ".join(text.split())  # an empty qualifier leaves a double space
    return _cap(text.replace(" ,", ",").replace(",,", ","))


def _article(rng: random.Random, index: int, seed: int) -> Article:
    tables = _tables()
    common = tables["common"]
    by_kind: dict[str, list[str]] = {t["kind"]: t["text"] for t in tables["templates"]}
    war = rng.choice(tables["wars"])
    outlet = rng.choice(war["outlets"])
    filler = _Filler(rng, war, common, outlet)
    lede_kind = "lede_strike" if rng.random() < 0.7 else "lede_displacement"
    paragraphs = [_sentence(rng.choice(by_kind[lede_kind]), filler)]
    body_kinds = ["detail"] * 4 + ["denial"] * 2 + ["displacement"] * 3 + ["context"] * 3
    for kind in rng.sample(body_kinds, k=rng.randint(7, 11)):
        paragraphs.append(_sentence(rng.choice(by_kind[kind]), filler))
    paragraphs.append(_sentence(rng.choice(common["closings"]), filler))
    dateline = rng.choice(war["datelines"])
    paragraphs[0] = f"{dateline} ({outlet}) - {paragraphs[0]}"
    published = FIRST_DAY + timedelta(days=rng.randrange(0, 6 * 365))
    title = f"{_cap(filler.region)}: {filler.place} hit as fighting spreads" if lede_kind == "lede_strike" \
        else f"Thousands flee {filler.place} as fighting grows in {filler.region}"
    return Article(
        id=f"bench-{seed}-{index:07d}",
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        publisher=outlet,
        published=published,
        war=war["name"],
    )


def _seed_articles(folder: Path) -> Iterator[Article]:
    """The real seed articles, read where they are (never copied)."""
    for path in sorted(folder.glob("*.txt")):
        sidecar = path.with_suffix(".meta.json")
        meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        published = date.fromisoformat(meta["published"]) if meta.get("published") else FIRST_DAY
        yield Article(
            id=f"seed-{path.stem}",
            text=path.read_text(encoding="utf-8"),
            title=meta.get("title") or path.stem,
            publisher=meta.get("publisher") or "unknown",
            published=published,
            war="seed",
        )


def generate(count: int, *, seed: int = 0, seeds: Path | None = None) -> Iterator[Article]:
    """Yield ``count`` distinct articles, deterministic in ``seed``.

    With ``seeds`` (a folder of ``.txt`` + ``.meta.json``), its articles come first,
    each once (the builder de-duplicates by content, so repeating them would measure nothing).

    >>> a = [x.text for x in generate(3, seed=7)]
    >>> a == [x.text for x in generate(3, seed=7)] and len(set(a)) == 3
    True
    >>> [x.text for x in generate(2, seed=7)] == a[:2]
    True
    """
    if count < 0:
        raise ValueError(f"corpus size must be >= 0, got {count}")
    seen: set[bytes] = set()
    produced = 0
    if seeds is not None:
        for article in _seed_articles(seeds):
            if produced == count:
                return
            seen.add(hashlib.sha256(article.text.encode()).digest())
            produced += 1
            yield article
    index = 0
    while produced < count:
        rng = random.Random(f"{seed}:{index}")
        article = _article(rng, index, seed)
        index += 1
        digest = hashlib.sha256(article.text.encode()).digest()
        if digest in seen:
            continue
        seen.add(digest)
        produced += 1
        yield article


def write(articles: Iterator[Article], output: Path, *, fmt: str = "txt") -> tuple[int, int]:
    """Write articles as ``.txt`` + ``.meta.json`` files (1,000 per sub-folder) or one JSON Lines file.

    Returns (articles, words).
    """
    n = words = 0
    if fmt == "jsonl":
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") as fh:
            for a in articles:
                fh.write(json.dumps({"id": a.id, "text": a.text, **a.meta()}, ensure_ascii=False) + "\n")
                n += 1
                words += a.words
        return n, words
    if fmt != "txt":
        raise ValueError(f"corpus format must be 'txt' or 'jsonl', got {fmt!r}")
    for a in articles:
        folder = output / f"{n // 1000:03d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
        (folder / f"{a.id}.meta.json").write_text(json.dumps(a.meta(), indent=1), encoding="utf-8")
        n += 1
        words += a.words
    return n, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--output", "-o", type=Path, required=True, help="folder (txt) or file (jsonl)")
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=Path, default=None,
                        help=f"mix in the real seed articles from this folder (e.g. {SEEDS})")
    args = parser.parse_args(argv)
    n, words = write(generate(args.count, seed=args.seed, seeds=args.seeds), args.output, fmt=args.format)
    print(f"wrote {n} articles, {words} words to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
