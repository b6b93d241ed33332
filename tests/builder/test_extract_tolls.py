"""Toll phrasings and which figure is killed and which injured, in either order and verb form."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str) -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher="Test Wire", published=date(2024, 3, 6)))


def tolls(x: Extraction) -> list[tuple[str, int | None, int | None]]:
    return [(x.mention(c.source).surface or x.mention(c.source).name, c.killed and c.killed.value,
             c.injured and c.injured.value) for c in x.claims if c.killed or c.injured]


@pytest.mark.parametrize(("follow_up", "source", "killed"), [
    ("Officials put the death toll at 31.", "Officials", 31),
    ("The death toll rose to 40, officials said.", "officials", 40),
    ("Rescuers later pulled 9 bodies from the rubble, medics said.", "medics", 9),
    ("14 people died, medics said.", "medics", 14),
    ("Five people were confirmed dead, medics said.", "medics", 5),
    ("Seven people were killed, medics said.", "medics", 7),
    ("Rescuers recovered the bodies of six people from the rubble, medics said.", "medics", 6),
])
def test_toll_phrasings_are_killed_figures_of_the_sentence_source(nlp, follow_up: str, source: str, killed: int) -> None:
    x = run(nlp, f"A missile hit an apartment block in Dnipro on Monday. {follow_up}")
    assert len(x.events) == 1
    assert tolls(x) == [(source, killed, None)]


def test_raising_the_toll(nlp) -> None:
    x = run(nlp, "A drone hit a market in Kassala on Sunday, raising the toll to 12.")
    assert tolls(x) == [("Test Wire", 12, None)]


@pytest.mark.parametrize(("text", "killed", "injured"), [
    ("An air strike hit a market in Idlib on Sunday, killing at least 19 people and wounding dozens.",
     (19, "at_least"), (24, "at_least")),
    ("An air strike hit a market in Idlib on Sunday, wounding 12 people and killing 5.", (5, "exact"), (12, "exact")),
    ("Russian shells killed 5 and injured 12 in Kherson on Sunday.", (5, "exact"), (12, "exact")),
    ("Russian shells injured 12 people and killed 5 in Kherson on Sunday.", (5, "exact"), (12, "exact")),
    ("A drone strike on Sunday killed 5 people and wounded 12 others in Kherson.", (5, "exact"), (12, "exact")),
    ("Five people were killed and 12 wounded when shells hit Kherson on Sunday.", (5, "exact"), (12, "exact")),
])
def test_killed_and_injured_keep_their_own_figures(nlp, text: str, killed: tuple, injured: tuple) -> None:
    [claim] = [c for c in run(nlp, text).claims if c.killed or c.injured]
    assert (claim.killed.value, claim.killed.qualifier) == killed
    assert (claim.injured.value, claim.injured.qualifier) == injured


def test_martyred_is_killed_and_the_named_ministry_says_so(nlp) -> None:
    x = run(nlp, "Two Turkish soldiers were martyred and five others wounded in an attack by regime forces in Idlib, "
                 "the Turkish National Defense Ministry said on Thursday.")
    assert tolls(x) == [("Turkish National Defense Ministry", 2, 5)]
    assert x.mention(x.claims[0].source).cls == "Government"


def test_the_day_of_a_date_is_no_toll(nlp) -> None:
    x = run(nlp, "An air strike on a school in Idlib city on January 1 killed 12 civilians, including five children, "
                 "Human Rights Watch said today.")
    assert tolls(x) == [("Human Rights Watch", 12, None)]


def test_a_number_of_strikes_is_no_toll(nlp) -> None:
    [claim] = [c for c in run(nlp, "Shelling killed 4 people in 2 strikes on Kherson on Sunday.").claims if c.killed]
    assert claim.killed.value == 4 and claim.injured is None


def test_people_among_the_injured_are_no_count_of_the_injured(nlp) -> None:
    x = run(nlp, "A missile hit an apartment block in Dnipro on Monday, killing five people and wounding 19, officials "
                 "said. Rescuers said two children were among the injured.")
    assert tolls(x) == [("officials", 5, 19)]


@pytest.mark.parametrize(("text", "cls", "killed", "day"), [
    ("Shelling killed nearly two dozen civilians in Omdurman on Friday, the health ministry said.",
     "Shelling", (24, "about"), date(2024, 3, 1)),
    # "from Sunday's strike" is Sunday's strike, not a period from Sunday; the toll the verb raises is the figure
    ("The death toll from Sunday's missile strike on Dnipro rose to 27, officials said on Tuesday.",
     "MissileStrike", (27, "exact"), date(2024, 3, 3)),
    ("Rescuers pulled three more bodies from the rubble on Monday, bringing the toll from the strike on Kharkiv to 10.",
     "AirStrike", (10, "exact"), date(2024, 3, 4)),
    ("Twin car bombs killed 18 people and wounded more than 60 in Azaz on Saturday, local officials said.",
     "Bombing", (18, "exact"), date(2024, 3, 2)),
    ("A helicopter dropped two bombs on the monastery in Ywar Thit village on Sunday, killing 18 people.",
     "AirStrike", (18, "exact"), date(2024, 3, 3)),
])
def test_more_toll_phrasings(nlp, text: str, cls: str, killed: tuple[int, str], day: date) -> None:
    x = run(nlp, text)
    [attack] = x.events
    assert (attack.cls, attack.date) == (cls, day)
    assert {(c.killed.value, c.killed.qualifier) for c in x.claims if c.killed} == {killed}
