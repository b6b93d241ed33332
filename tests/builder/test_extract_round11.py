"""Patterns an eleventh blind round revealed (bench/eval h48-h53: Sudan, Myanmar, Ethiopia, Lebanon, Mali, Iraq):
armed actors killing people with no attack word, days of reports, durations that are no tolls, who "it" is after a
denial, verbs with no speaker of their own, datelines in title case, outlets the model takes for places, "the
village" of a village introduced by its type, helicopters that fire on a place, and acronyms of other languages."""

from __future__ import annotations

from builder.names import name_key
from builder.resolve import defined_acronyms
from tests.builder.sentence_helpers import attacks, name, run, tolls


def test_an_armed_actor_killing_people_is_an_attack_dated_to_its_month(nlp) -> None:
    x = run(nlp, "Ugandan troops killed at least 40 people during an operation in the village of Sofara in "
                 "November 2022, a UN report said on Monday.")
    (attack,) = attacks(x)
    assert (attack.cls, name(x, attack.location), attack.date) == ("Attack", "Sofara", None)
    assert attack.perpetrators
    assert list(tolls(x)) == [40]


def test_a_killing_by_no_armed_actor_is_no_attack(nlp) -> None:
    x = run(nlp, "Floods killed 30 people in the town of Derna on Sunday, officials said.")
    assert attacks(x) == []


def test_the_day_of_a_statement_is_not_the_day_of_the_attack(nlp) -> None:
    x = run(nlp, "In a statement on Thursday, the committee said gunmen stormed the village of Kiwanja and killed "
                 "9 people.")
    (attack,) = attacks(x)
    assert (name(x, attack.location), attack.date) == ("Kiwanja", None)
    x = run(nlp, "Rebels attacked the village of Kiwanja, killing 9 people, the army said in a report on Thursday.")
    (attack,) = attacks(x)
    assert attack.date is None


def test_a_number_of_days_is_no_toll(nlp) -> None:
    x = run(nlp, "Gunmen attacked the town of Tessit on Monday, killing 20 people, the army said.\n\nMost of the "
                 "victims were executed over three days after the gunmen arrived, witnesses said.")
    assert list(tolls(x)) == [20]


def test_it_after_a_denial_is_the_denier(nlp) -> None:
    x = run(nlp, "Ugandan troops attacked the village of Sofara on Monday, killing 60 civilians, a rights group "
                 "said.\n\nUganda's defence ministry rejected the report. It has said that 40 militants died in the "
                 "operation.")
    found = tolls(x)
    assert found[60] == "rights group"
    assert "Ministry" in found[40]


def test_a_verb_joined_to_no_speech_has_no_speaker(nlp) -> None:
    x = run(nlp, "Army jets bombed the village of Daw Ngay on Friday, killing 6 people.\n\nThe junta said troops "
                 "were sent to the village because members of the Karenni Army were hiding there, and accused the "
                 "group of using villagers as shields.")
    assert "Karenni Army" not in {name(x, c.source) for c in x.claims}


def test_a_dateline_in_title_case_is_no_source_and_no_place_of_the_attack(nlp) -> None:
    x = run(nlp, "Mekelle – A drone strike hit a market in the town of Adi Daero on Sunday, killing 11 people, "
                 "witnesses said.")
    (attack,) = attacks(x)
    assert name(x, attack.location) == "Adi Daero"
    assert x.dateline is not None and name(x, x.dateline) == "Mekelle"
    assert "Mekelle" not in {name(x, c.source) for c in x.claims}


def test_an_outlet_the_model_takes_for_a_place_is_the_publisher(nlp) -> None:
    text = ("A drone strike hit a bus station in the town of Finote Selam on Sunday, killing 26 people, a health "
            "official told Addis Standard.")
    x = run(nlp, text, publisher="Addis Standard")
    publisher = x.mention(x.publisher)
    assert (publisher.kind, publisher.cls, publisher.surface) == ("actor", "MediaOutlet", "Addis Standard")
    assert "Addis Standard" not in {m.surface for m in x.mentions if m.kind == "place"}


def test_the_village_is_the_village_introduced_as_one(nlp) -> None:
    x = run(nlp, "Militiamen stormed the village of Abu Shajara in Kutum locality on Tuesday, killing 14 people.\n\n"
                 "Residents said the militiamen shelled the village before they entered it.")
    (attack,) = attacks(x)
    assert name(x, attack.location) == "Abu Shajara"
    villages = [m for m in x.mentions if m.surface == "the village"]
    assert villages and {name(x, m.id) for m in villages} == {"Abu Shajara"}


def test_helicopters_firing_on_a_village_are_an_air_strike(nlp) -> None:
    x = run(nlp, "Army helicopters fired on a wedding party in the village of Tar on Friday, killing 14 people, "
                 "residents said.")
    (attack,) = attacks(x)
    assert (attack.cls, name(x, attack.location)) == ("AirStrike", "Tar")
    assert list(tolls(x)) == [14]


def test_an_acronym_of_another_language_names_the_english_name_before_it() -> None:
    found = defined_acronyms("Ankara said it was the work of the Kurdistan Workers' Party (PKK).")
    assert found[name_key("PKK")] == "Kurdistan Workers' Party"


def test_the_place_people_fled_to_is_not_where_they_fled_from(nlp) -> None:
    x = run(nlp, "Militiamen stormed the town of Kutum on Tuesday, killing 14 people.\n\nAbout 1,300 villagers have "
                 "fled to Kutum since Tuesday, the IOM said.")
    (flight,) = [e for e in x.events if e.cls == "Displacement"]
    assert (flight.origin, name(x, flight.destination)) == (None, "Kutum")
