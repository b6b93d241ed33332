"""Which words make an event, and which do not (background, tallies, retellings)."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str, *, published: date = date(2024, 2, 4), publisher: str | None = "Test Wire") -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher=publisher, published=published))


def kinds(x: Extraction) -> list[str]:
    return [e.cls for e in x.events]


@pytest.mark.parametrize(("text", "cls"), [
    ("Government helicopters dropped barrel bombs on Kafr Nabl on Sunday, killing three people.", "BarrelBombing"),
    ("Russian jets hit a convoy near Saraqeb on Sunday.", "AirStrike"),
    ("A drone strike hit a fishing port in Hodeidah on Sunday, killing six fishermen.", "DroneStrike"),
    ("A ballistic missile slammed into an apartment block in Kharkiv on Sunday, killing five people.", "MissileStrike"),
    ("Artillery shelling by the Rapid Support Forces killed 9 civilians in El Fasher on Sunday.", "Shelling"),
    ("Gunmen attacked a village in Plateau state on Sunday, killing 12 people.", "Attack"),
])
def test_event_class_from_trigger_and_weapon(nlp, text: str, cls: str) -> None:
    assert kinds(run(nlp, text)) == [cls]


@pytest.mark.parametrize("text", [
    "Russia and the Syrian army deny allegations of indiscriminate bombing of civilian areas.",
    "Civilians have been fleeing bombardment for a fourth consecutive day.",
    "Kharkiv has been hit repeatedly since the full-scale invasion.",
    "The army relied on air power to strike areas it could not reach by road.",
    "Western sources said the bombardment was a prelude to a ground offensive.",
    '"The violence in north-west Syria is indiscriminate," a UN spokesman said.',
    "The ministry has said that Russian aircraft do not carry out strikes on civilian targets in Idlib.",
    "The fighting in Idlib has displaced hundreds of thousands of people.",
])
def test_background_words_make_no_attack(nlp, text: str) -> None:
    assert [k for k in kinds(run(nlp, text)) if k not in ("TerritorialChange", "Displacement")] == []


def test_people_who_fled_long_ago_are_not_a_displacement(nlp) -> None:
    x = run(nlp, "The Idlib region is home to hundreds of thousands of people who fled other parts of Syria.")
    assert "Displacement" not in kinds(x)


def test_vague_displacement_keeps_its_words(nlp) -> None:
    x = run(nlp, "Tens of thousands of civilians have fled Idlib province towards the border with Turkey.")
    [flight] = [e for e in x.events if e.cls == "Displacement"]
    [claim] = [c for c in x.claims if c.event == flight.id]
    assert (claim.displaced.value, claim.displaced.qualifier) == (10000, "at_least")
    assert claim.displaced.text == "Tens of thousands of civilians"
    assert x.mention(flight.destination).surface == "Turkey"


def test_partitive_is_not_a_toll(nlp) -> None:
    x = run(nlp, "Missiles hit Odesa on Sunday, wounding 12 people. Two of the wounded were in critical condition.")
    injured = [c.injured.value for c in x.claims if c.injured]
    assert injured == [12]


def test_a_toll_in_the_next_sentence_is_a_claim_on_the_attack(nlp) -> None:
    x = run(nlp, "Russian jets hit a convoy of civilian cars fleeing Saraqeb. "
                 "Rescuers said at least eight people were killed, including three women and two children.")
    [attack] = x.events
    [toll] = [c.killed for c in x.claims if c.event == attack.id and c.killed]
    assert (toll.value, toll.qualifier, toll.women, toll.children) == (8, "at_least", 3, 2)
    assert toll.text == "at least eight people were killed, including three women and two children"


def test_a_definite_retelling_adds_a_claim_not_an_event(nlp) -> None:
    x = run(nlp, "Air strikes hit a market in Maarat al-Numan on Sunday, killing at least eight people, "
                 "rescuers said. The Syrian Observatory for Human Rights said the raid killed 11 people.")
    assert kinds(x) == ["AirStrike"]
    tolls = sorted((c.killed.value, c.killed.qualifier) for c in x.claims if c.killed)
    assert tolls == [(8, "at_least"), (11, "exact")]  # both tolls stay, side by side


def test_dateline_is_not_the_event_place(nlp) -> None:
    x = run(nlp, "BEIRUT (Reuters) - Israeli drones struck a car in Nabatieh on Sunday, killing two men.")
    [attack] = x.events
    assert x.mention(attack.location).surface == "Nabatieh"
    assert x.mention(x.dateline).surface == "BEIRUT"


@pytest.mark.parametrize(("text", "perpetrators"), [
    ("Israeli forces killed three Palestinians during a raid on Jenin refugee camp on Tuesday.", ["Israeli forces"]),
    ("Clashes between the army and RSF fighters in Omdurman killed 20 civilians on Monday.", ["army", "RSF fighters"]),
    ("A car bomb exploded at a checkpoint in Mogadishu on Saturday, killing 12 people. "
     "Al-Shabaab claimed responsibility for the attack.", ["Al-Shabaab"]),
])
def test_perpetrators_from_killers_parties_and_claims_of_responsibility(nlp, text: str, perpetrators: list[str]) -> None:
    x = run(nlp, text)
    [attack] = [e for e in x.events if e.cls not in ("Displacement", "TerritorialChange")]
    assert [x.mention(p).surface for p in attack.perpetrators] == perpetrators


def test_who_killed_in_an_attack_carried_it_out(nlp) -> None:
    text = ("CAIRO, June 3 (Reuters) - Sudan's paramilitary Rapid Support Forces and allied Arab militias killed at least "
            "40 people in an attack on the village of Misterei in West Darfur on Sunday, local activists said.")
    x = run(nlp, text, published=date(2023, 6, 5), publisher=None)
    attack = next(e for e in x.events if e.cls == "Attack")
    assert [x.mention(p).name or x.mention(p).surface for p in attack.perpetrators] == ["Rapid Support Forces"]


@pytest.mark.parametrize(("text", "target"), [
    # the main trigger is the noun "missiles"; the verb beside it names the target
    ("Russian cruise missiles struck a five-storey apartment building in Mykolaiv on Thursday, killing seven people.",
     "a five-storey apartment building"),
    # a relative pronoun stands for the noun it follows
    ("Six people were killed in a house in Deir el-Balah that was hit by a tank shell on Monday.", "a house"),
    ("Rescuers searched a building in Kharkiv that was hit by a Russian missile on Monday.", "a building"),
    # quotation marks around the target are not part of it
    ("The ministry said its missiles had hit \"military infrastructure\" in Mykolaiv on Thursday.",
     "military infrastructure"),
])
def test_target_text(nlp, text: str, target: str) -> None:
    x = run(nlp, text, published=date(2022, 9, 16), publisher=None)
    assert [e.target_text for e in x.events if e.cls != "Displacement"] == [target]


@pytest.mark.parametrize(("text", "attacker"), [
    ("Hezbollah said it fired a barrage of rockets at the Israeli town of Kiryat Shmona on Wednesday, wounding two "
     "people.", "Hezbollah"),
    ("The Houthis said they launched drones at a ship in the Red Sea on Monday, wounding two sailors.", "Houthis"),
])
def test_a_pronoun_that_attacks_is_whoever_said_so(nlp, text: str, attacker: str) -> None:
    x = run(nlp, text, published=date(2024, 3, 27), publisher=None)
    [attack] = x.events
    assert [x.mention(p).name or x.mention(p).surface for p in attack.perpetrators] == [attacker]


def test_an_attack_claimed_by_a_group_was_carried_out_by_it(nlp) -> None:
    # the lede's "suspected jihadists" name no one; the claim two sentences on names the attacker
    text = ("Suspected jihadists killed at least 30 soldiers in an ambush near Djibo in northern Burkina Faso on "
            "Thursday, security sources said. The soldiers were escorting a supply convoy. The attack was claimed by "
            "the Group for the Support of Islam and Muslims (JNIM), according to the SITE Intelligence Group.")
    x = run(nlp, text, published=date(2024, 5, 17), publisher=None)
    [attack] = x.events
    assert [x.mention(p).surface for p in attack.perpetrators] == ["Group for the Support of Islam and Muslims"]


def test_an_attack_on_the_port_city_of_a_named_place_is_a_new_attack(nlp) -> None:
    # "the port city of Odesa" is definite but names its place: it retells nothing told before
    text = ("Russian shelling of the town of Nikopol killed one man on Wednesday, the regional governor said. "
            "Ukraine's military said Russian drones also attacked the port city of Odesa overnight, damaging grain "
            "warehouses but causing no casualties.")
    x = run(nlp, text, published=date(2022, 9, 15), publisher=None)
    assert [(e.cls, x.mention(e.location).surface) for e in x.events] == [("Shelling", "Nikopol"),
                                                                          ("DroneStrike", "Odesa")]


def test_the_strike_told_again_names_its_town_and_day(nlp) -> None:
    text = ("A drone strike on a busy market in Ethiopia's Amhara region has killed at least 26 people, witnesses told "
            "the BBC.\n\nThe strike hit the town of Finote Selam in West Gojjam zone on Sunday afternoon, when the "
            "market was crowded with shoppers, a resident said.\n\nA doctor at the town's hospital said 55 wounded "
            "people had been brought in.")
    x = run(nlp, text, published=date(2023, 8, 15), publisher=None)
    [strike] = x.events
    assert (strike.cls, x.mention(strike.location).surface, strike.date) == ("DroneStrike", "Finote Selam",
                                                                          date(2023, 8, 13))
    assert {(c.killed and c.killed.value, c.injured and c.injured.value) for c in x.claims
            if c.killed or c.injured} == {(None, 55), (26, None)}


def test_who_said_so_in_the_deadliest_attack_did_not_attack(nlp) -> None:
    text = ("U.S. air strikes on a fuel port in Yemen killed 38 people, the Houthi-run health ministry said on Friday, "
            "in the deadliest attack since Washington began its campaign in March.")
    x = run(nlp, text, published=date(2025, 4, 18), publisher=None)
    [attack] = x.events
    assert [x.mention(p).surface for p in attack.perpetrators] == ["U.S. air strikes"]


@pytest.mark.parametrize(("text", "target"), [
    ("Israeli warplanes pounded a school in Nuseirat on Saturday, killing 16 people.", "a school"),
    ("Russian missiles destroyed a power station in Kharkiv on Monday, killing two workers.", "a power station"),
    ("Houthi drones targeted a tanker in the Red Sea on Monday, wounding two sailors.", "a tanker"),
    # the verb of the attacker's noun kills: its object are the victims, no target
    ("Shelling killed at least 35 civilians in El Fasher on Tuesday, a medical group said.", None),
])
def test_the_object_of_the_attackers_verb_is_the_target(nlp, text: str, target: str | None) -> None:
    x = run(nlp, text, published=date(2025, 5, 14), publisher=None)
    [attack] = x.events
    assert attack.target_text == target


def test_the_attack_on_a_named_village_gives_the_lede_its_village(nlp) -> None:
    # compared with a period ("the deadliest since 2021"), not a tally over it
    text = ("Junta jets bombed a village in the Sagaing region on Monday, killing at least 12 people, residents said.\n\n"
            "The attack on Kyauk Pyin village in Kanbalu township was the deadliest in the area since the coup in "
            "2021, the National Unity Government said.")
    x = run(nlp, text, published=date(2025, 9, 24), publisher=None)
    [attack] = x.events
    assert x.mention(attack.location).surface == "Kyauk Pyin village"


@pytest.mark.parametrize(("text", "day"), [
    # "said on Wednesday" dates the report, not the strike
    ("A Russian missile strike on a restaurant in Kramatorsk killed at least 11 people, Ukrainian officials said on "
     "Wednesday.", None),
    ("Shelling killed four people in Taiz on Saturday, officials said on Sunday.", date(2023, 6, 24)),
    ("A Russian missile strike on a restaurant in Kramatorsk killed at least 11 people, Ukrainian officials said on "
     "Wednesday.\n\nThe Iskander missile hit the restaurant on Tuesday evening, when it was packed with diners, the "
     "regional governor said.", date(2023, 6, 27)),
    # a day written before the speaker is the attack's
    ("On Sunday, shelling hit a school in Sarmin, killing three children, the Syria Civil Defence said.",
     date(2023, 6, 25)),
    ("The army on Sunday said shelling hit a school in Sarmin, killing three children.", None),
])
def test_the_day_of_saying_is_not_the_day_of_the_attack(nlp, text: str, day: date | None) -> None:
    x = run(nlp, text, published=date(2023, 6, 28), publisher=None)
    [attack] = x.events
    assert attack.date == day


def test_a_target_ends_at_the_comma_and_a_groups_fighters_are_the_group(nlp) -> None:
    from builder.resolve import resolve

    text = ("At least 12 people were killed in Russian air strikes on the town of Khan Sheikhoun, the Syrian Civil "
            "Defence said.\n\nHayat Tahrir al-Sham fighters launched a counter-attack on government positions near "
            "Maarat al-Numan on Monday, the Syrian Observatory said.")
    x = run(nlp, text, published=date(2019, 12, 27), publisher=None)
    first, second = x.events
    assert first.target_text == "the town of Khan Sheikhoun"
    assert [resolve(x).mention_keys[p] for p in second.perpetrators] == ["actor:hayat-tahrir-al-sham"]


def test_a_pronoun_is_no_target(nlp) -> None:
    text = ("An Islamic State suicide bomber blew himself up at a Shiite mosque in Kunduz on Friday, killing more than "
            "50 worshippers, Taliban officials said.")
    x = run(nlp, text, published=date(2021, 10, 9), publisher=None)
    [attack] = x.events
    assert attack.target_text != "himself"


@pytest.mark.parametrize(("words", "killed", "text"), [
    ("three children and a teacher", 4, "three children and a teacher"),
    ("two women and a child", 3, "two women and a child"),
    ("three children and their teacher", 3, "three children"),  # "their teacher" may be one of several: not counted
])
def test_a_person_counted_after_the_figure_adds_one(nlp, words: str, killed: int, text: str) -> None:
    x = run(nlp, f"Shelling hit a school in the town of Sarmin on Sunday, killing {words}, rescuers said.")
    assert [(c.killed.value, c.killed.text) for c in x.claims] == [(killed, text)]


def test_a_shell_fired_by_someone_that_landed_near_something(nlp) -> None:
    x = run(nlp, "A shell fired by government forces landed near a school in Ariha, killing a man and his two sons, "
                 "the White Helmets said.")
    [shelling] = x.events
    assert shelling.cls == "Shelling" and shelling.target_text == "a school"
    assert [x.mention(p).surface for p in shelling.perpetrators] == ["government forces"]
    [claim] = x.claims
    assert (claim.killed.value, claim.killed.text) == (3, "a man and his two sons")


@pytest.mark.parametrize(("text", "cls", "target"), [
    ("Militants fired rocket shells on residential neighbourhoods of Aleppo on Saturday, killing three civilians.",
     "Shelling", "residential neighbourhoods of Aleppo"),
    ("A cruise missile slammed into an apartment block in Dnipro on Saturday, killing 12 people.",
     "MissileStrike", "an apartment block"),
])
def test_the_words_of_a_trigger_name_its_class_and_what_it_landed_on(nlp, text: str, cls: str, target: str) -> None:
    [attack] = run(nlp, text).events
    assert (attack.cls, attack.target_text) == (cls, target)


def test_a_weapon_that_hit_something_is_that_kind_of_attack(nlp) -> None:
    [strike] = run(nlp, "Airstrikes hit two hospitals in Darat Izza on Monday, the UN said.").events
    assert (strike.cls, strike.target_text, strike.weapon) == ("AirStrike", "two hospitals", "Airstrikes")


def test_a_call_to_stop_attacks_is_no_attack(nlp) -> None:
    x = run(nlp, "Seven children were among 21 civilians killed in Idlib over the weekend, UNICEF said on Monday, "
                 "calling on all parties to stop attacks on homes, schools and hospitals. On Sunday, shelling hit a "
                 "school in Sarmin, killing three children and a teacher, the Syria Civil Defence said.")
    [shelling] = x.events
    assert shelling.target_text == "a school"
    assert [c.killed.value for c in x.claims if c.killed] == [4]


def test_a_days_report_of_shelling_is_an_attack_not_a_tally(nlp) -> None:
    # TASS: "over the past day" is a period, but one day's shelling of one city is an attack to code
    x = run(nlp, "Militants of the Hayat Tahrir al-Sham terrorist group shelled residential areas of Aleppo 18 times "
                 "over the past day, killing four civilians, Rear Admiral Oleg Zhuravlev said on Wednesday.")
    [shelling] = x.events
    assert [x.mention(p).surface for p in shelling.perpetrators] == ["Hayat Tahrir al-Sham"]
    assert [c.killed.value for c in x.claims] == [4]
