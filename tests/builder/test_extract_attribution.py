"""Who said it: sources, stance and the publisher, on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from builder.extract import extract
from builder.records import ArticleInput, Extraction


def run(nlp, text: str, publisher: str | None = "Test Wire") -> Extraction:
    return extract(nlp(text), ArticleInput(text=text, source="test", publisher=publisher, published=date(2024, 2, 4)))


def sources(x: Extraction, stance: str = "asserts") -> list[str]:
    return [x.mention(c.source).surface or x.mention(c.source).name for c in x.claims if c.stance == stance]


@pytest.mark.parametrize(("text", "source"), [
    ("Houthi shelling killed four people in Taiz on Sunday, a local official said.", "official"),
    ("Houthi shelling killed four people in Taiz on Sunday, according to Human Rights Watch.", "Human Rights Watch"),
    ("Houthi shelling killed four people in Taiz on Sunday, said Ahmed Saleh, a doctor at the hospital.", "Ahmed Saleh"),
    ("According to reports by the Yemen Data Project, Houthi forces shelled a market in Taiz on Sunday, killing "
     "four people.", "Yemen Data Project"),
])
def test_attribution_forms(nlp, text: str, source: str) -> None:
    assert source in sources(run(nlp, text))


def test_he_said_continues_the_previous_speaker(nlp) -> None:
    x = run(nlp, "Ahmed Saleh, a doctor, described the scene at the hospital. "
                 "\"Rockets hit the market in Taiz on Sunday and killed six people,\" he said.")
    assert sources(x) == ["Ahmed Saleh"]


def test_could_not_confirm_is_unconfirmed_by_the_outlet(nlp) -> None:
    x = run(nlp, "Drones struck a fuel depot in Kherson on Monday, killing two workers, officials said. "
                 "Reuters could not independently confirm the report.", publisher=None)
    assert sources(x, "unconfirmed") == ["Reuters"]
    assert x.mention(x.publisher).surface == "Reuters"  # inferred from the text


def test_each_denier_denies(nlp) -> None:
    x = run(nlp, "Russian jets hit a hospital in Idlib on Sunday, killing five people, rescuers said. "
                 "Russia and the Syrian army deny targeting civilians.")
    assert sorted(sources(x, "denies")) == ["Russia", "Syrian army"]


def test_speaker_after_a_quote(nlp) -> None:
    x = run(nlp, "An air strike hit a school in Gaza City on Sunday, killing nine people, medics said.\n\n"
                 "\"The planes bombed the school at dawn. Nobody had warned us,\" Samir Hassan, a teacher, told reporters.")
    quoted = [c for c in x.claims if c.quote]
    assert quoted and x.mention(quoted[0].source).surface == "Samir Hassan"


def test_person_role_and_affiliation(nlp) -> None:
    x = run(nlp, "Barrel bombs hit Kafr Nabl on Sunday, killing three people, "
                 "Hadi Saleh, a local activist in southern Idlib, told Reuters.")
    person = next(m for m in x.mentions if m.cls == "Person")
    assert person.role == "a local activist in southern Idlib"
    assert any(r.predicate == "affiliation" and r.subject == person.id for r in x.relations)


def test_two_sources_give_two_claims_with_the_same_figures(nlp) -> None:
    x = run(nlp, "On Saturday, Russian jets hit a busy marketplace in Saraqeb city, leaving at least eight dead, "
                 "two residents and one rescuer said.")
    claims = [c for c in x.claims if c.killed]
    assert sorted(x.mention(c.source).name for c in claims) == ["rescuers", "residents"]
    assert {(c.killed.value, c.killed.qualifier) for c in claims} == {(8, "at_least")}


def test_sources_named_after_the_last_comma_are_the_speakers(nlp) -> None:
    # the small model makes "paramilitary" the subject of "said" here; wire copy names its sources at the end
    x = run(nlp, "Sudan's RSF kills dozens in attack on village near El Geneina, activists say\n\n"
                 "CAIRO, June 3 (Reuters) - Sudan's paramilitary Rapid Support Forces and allied Arab militias killed "
                 "at least 40 people in an attack on the village of Misterei in West Darfur on Sunday, local activists "
                 "and a monitoring group said.\n\n", publisher="Reuters")
    toll = [c for c in x.claims if c.killed]
    assert sorted(x.mention(c.source).surface for c in toll) == ["activists", "monitoring group"]


def test_a_subject_before_the_comma_still_speaks_when_the_verb_goes_on(nlp) -> None:
    x = run(nlp, "The UN agency for Palestinian refugees, UNRWA, said on Tuesday that nearly 150,000 people had been "
                 "displaced from eastern Khan Younis to Rafah in the past 48 hours.")
    assert sources(x) == ["UN agency for Palestinian refugees"]


def test_a_war_monitor_is_the_monitor_the_article_names(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Clashes between the Syrian Democratic Forces and Arab tribal fighters in Deir ez-Zor province have "
                 "killed at least 25 people, including nine civilians, a war monitor said on Tuesday.\n\n"
                 "The Syrian Observatory for Human Rights said the fighting erupted on Monday in the town of Dhiban.")
    [toll] = [c for c in x.claims if c.killed]
    assert resolve(x).mention_keys[toll.source] == "actor:sohr"


def test_capitals_that_deny_speak_for_their_states(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "Russian jets struck the town of Sarmin on Sunday, killing five people, rescuers said. "
                 "Moscow and Damascus deny accusations of indiscriminate bombing of civilian areas.")
    keys = resolve(x).mention_keys
    assert sorted(keys[c.source] for c in x.claims if c.stance == "denies") == [
        "actor:russia", "actor:syrian-government-forces"]
    assert not [m for m in x.mentions if m.kind == "place" and m.surface in ("Moscow", "Damascus")]


def test_the_publisher_named_in_the_text_is_an_outlet(nlp) -> None:
    # the model reads "SANA" in "SANA's reporter" as a person
    x = run(nlp, "Army units took the village of Jarjanaz in the southern countryside of Idleb on Monday.\n\n"
                 "SANA's reporter said that the army units destroyed several tunnels of the terrorists.",
            publisher="SANA")
    assert x.mention(x.publisher).surface == "SANA"
    assert x.mention(x.publisher).cls == "MediaOutlet"


def test_a_worker_with_an_organisation_speaks_for_it(nlp) -> None:
    x = run(nlp, "Air strikes on the town of Talmenes killed at least seven civilians, including two women, a rescue "
                 "worker with the White Helmets told Reuters.", publisher="Reuters")
    assert [x.mention(c.source).surface for c in x.claims if c.killed] == ["White Helmets"]


def test_lebanons_state_run_news_agency_is_the_nna(nlp) -> None:
    from builder.resolve import resolve

    x = run(nlp, "An Israeli drone strike on a car in the southern Lebanese town of Bint Jbeil killed two people on "
                 "Tuesday, Lebanon's state-run National News Agency (NNA) reported.")
    [toll] = [c for c in x.claims if c.killed]
    assert resolve(x).mention_keys[toll.source] == "actor:lebanon-nna"


def test_a_source_the_parser_split_off_at_a_comma_keeps_its_toll(nlp) -> None:
    # the model ends a sentence after "on Saturday" and starts one at ", the Sudan Doctors Network said"
    x = run(nlp, "The RSF's drone attack on the Zamzam displacement camp killed at least 25 people on Saturday, the "
                 "Sudan Doctors Network said, accusing the paramilitary of targeting civilians.")
    assert [x.mention(c.source).surface for c in x.claims if c.killed] == ["Sudan Doctors Network"]


def test_whoever_is_blamed_for_the_attack_is_its_perpetrator_not_the_accuser(nlp) -> None:
    x = run(nlp, "A car bomb exploded in a market in al-Bab on Saturday, killing at least 19 people, a war monitor "
                 "said. The Turkish Defence Ministry blamed the attack on the YPG, the Kurdish militia Ankara says "
                 "is linked to the outlawed PKK.")
    [bombing] = [e for e in x.events if e.cls == "Bombing"]
    assert [x.mention(p).surface for p in bombing.perpetrators] == ["YPG"]
    [militia] = [m for m in x.mentions if m.surface == "Kurdish militia"]
    assert x.mention(militia.antecedent).surface == "YPG"


def test_who_condemns_an_attack_did_not_carry_it_out(nlp) -> None:
    [strike] = run(nlp, "Turkey condemned the air strike on a camp near Atmeh that killed eight people on Thursday.").events
    assert strike.perpetrators == []


def test_weapons_can_be_blamed_though_they_never_speak(nlp) -> None:
    x = run(nlp, "The first barrel bomb fell on Jisr al-Shughour on Friday. The Syrian Network for Human Rights said "
                 "seven people were killed in the attack, which it blamed on regime helicopters. The town has been "
                 "bombed since the regime and its Russian allies launched their offensive in late April.")
    [bombing] = x.events
    assert [x.mention(p).surface for p in bombing.perpetrators] == ["regime helicopters"]
