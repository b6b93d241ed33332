"""Short wire reports written for these tests (Yemen, Ukraine, Sudan, Myanmar, Syria, Gaza).

Each is a few sentences in the style of a wire dispatch; ``corpus(folder, n)`` writes
``n`` distinct ones (with ``.meta.json`` sidecars) so a build has several map chunks.
"""

from __future__ import annotations

import json
from pathlib import Path

#: (dateline, place, attacker, weapon sentence, source, publisher)
SCENES = [
    ("ADEN", "Taiz", "Houthi forces", "Shelling hit a residential district in {place} on {day}", "local medics",
     "Aden Wire"),
    ("KYIV", "Kharkiv", "Russian forces", "A Russian missile struck a warehouse in {place} on {day}",
     "regional governor Oleh Syniehubov", "Dnipro Daily"),
    ("PORT SUDAN", "Omdurman", "the Rapid Support Forces", "Artillery fire hit a market in {place} on {day}",
     "the Sudan Doctors Network", "Nile Courier"),
    ("YANGON", "Sagaing", "the military", "An air strike hit a village school in {place} on {day}",
     "residents", "Irrawaddy Post"),
    ("BEIRUT", "Idlib", "Syrian government forces", "An air strike hit a bakery in {place} on {day}",
     "the White Helmets", "Levant Monitor"),
    ("GAZA", "Khan Younis", "Israeli forces", "An Israeli air strike hit a house in {place} on {day}",
     "the civil defence agency", "Coastal News"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OTHER_OUTLETS = ["Agence Levant", "Frontline Dispatch", "Crisis Desk"]


def article(n: int) -> tuple[str, dict[str, str]]:
    """The ``n``-th test article and its metadata (distinct for every ``n``).

    Articles ``n`` and ``n + 6`` report the same attack (same place, day and date)
    through other outlets with other tolls, so a build has events to merge.
    """
    scene, retelling = n % len(SCENES), n // len(SCENES)
    dateline, place, attacker, lead, source, publisher = SCENES[scene]
    if retelling:
        publisher = OTHER_OUTLETS[(retelling - 1) % len(OTHER_OUTLETS)]
    killed = 3 + scene + retelling
    day = DAYS[scene]
    text = (f"{dateline} - {lead.format(place=place, day=day)}, killing at least {killed} people, {source} said. "
            f"{attacker[0].upper() + attacker[1:]} denied responsibility for the attack.\n\n"
            f"About {100 * (scene + 2)} families fled {place} after the attack, an aid worker said.\n")
    meta = {"publisher": publisher, "published": f"2024-0{1 + scene}-1{scene}", "language": "en",
            "title": f"Strike in {place} kills {killed}"}
    return text, meta


def corpus(folder: Path, n: int, *, start: int = 0) -> list[Path]:
    """Write articles ``start`` … ``start + n - 1`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        text, meta = article(i)
        path = folder / f"report-{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        (folder / f"report-{i:03d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        paths.append(path)
    return paths
