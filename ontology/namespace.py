"""The newsgraph vocabulary as a closed rdflib namespace.

``ontology/newsgraph.ttl`` is the source of truth; this module mirrors it term
for term (a test checks that both declare the same names). ``_fail = True``
makes a typo such as ``NG.Atack`` raise ``AttributeError`` instead of minting a
new IRI.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class NG(DefinedNamespace):
    """newsgraph ontology terms (``https://w3id.org/newsgraph/ontology#``)."""

    _NS = Namespace("https://w3id.org/newsgraph/ontology#")
    _fail = True

    # Classes
    Actor: URIRef  # Anyone who acts, suffers or speaks: forces, groups, governments, organisations, people.
    AirStrike: URIRef  # An attack from aircraft: jets, helicopters, bombs dropped from the air.
    ArmedGroup: URIRef  # A non-state armed group: rebels, militias, insurgents (ACLED: Rebel groups, Political militias).
    Article: URIRef  # A news article: the document every extracted fact is traced back to.
    Attack: URIRef  # A use of force against people or property.
    BarrelBombing: URIRef  # Barrel bombs dropped from helicopters or aircraft.
    Bombing: URIRef  # A bomb, IED, car bomb or suicide attack on the ground.
    Civilians: URIRef  # Unarmed non-combatants (ACLED: Civilians).
    Claim: URIRef  # What one source said about one event: its figures, its stance (asserts or denies) and the words it was said in.
    Country: URIRef  # A sovereign state as a territory.
    Displacement: URIRef  # People fleeing or displaced from a place, over a period. ACLED, PLOVER and CAMEO code the violence that causes it, not displacement itself.
    DroneStrike: URIRef  # An attack by an armed or explosive-laden unmanned aircraft.
    Event: URIRef  # Something that happened at a place and time, as reported.
    Facility: URIRef  # A building or site: market, hospital, school, camp, observation post.
    Government: URIRef  # A state's government or ministry as a political actor.
    GroundAssault: URIRef  # An assault, offensive or armed clash by ground forces.
    Group: URIRef  # An unnamed group that speaks or acts together: residents, witnesses, activists, rescuers.
    InternationalOrganization: URIRef  # An intergovernmental body such as the United Nations and its agencies.
    MediaOutlet: URIRef  # A news agency, broadcaster or newspaper, state-run or independent.
    Mention: URIRef  # A span of an article's text (character offsets and sentence) that expresses an entity, event or claim; the evidence of a fact.
    Merge: URIRef  # The decision that two event reports describe one real-world event, with the rule and score that made it.
    MissileStrike: URIRef  # A missile or rocket attack.
    NGO: URIRef  # A non-governmental organisation: relief, medical, monitoring or rescue group.
    Organization: URIRef  # A named organisation that is not a state force or armed group.
    Person: URIRef  # A named individual.
    Place: URIRef  # A location: country, region, settlement or facility.
    Region: URIRef  # A province, governorate, district or other administrative or informal region.
    ReportingSource: URIRef  # An actor that made at least one claim; inferred by the reasoner from ng:reportedBy.
    Settlement: URIRef  # A city, town or village.
    Shelling: URIRef  # Artillery, mortar or tank fire.
    StateForce: URIRef  # Military or security forces of a state (ACLED: State forces).
    TerritorialChange: URIRef  # An actor gaining or losing control of territory.

    # Object properties
    about: URIRef  # The event the claim is about.
    affiliation: URIRef  # The organisation or place a person speaks for or comes from ('a local activist in southern Idlib').
    alliedWith: URIRef  # The two actors fight on the same side.
    article: URIRef  # The article a mention occurs in.
    backedBy: URIRef  # The actor is supported by that actor ('Russian-backed').
    canonicalEvent: URIRef  # The event the merge joined the reports into.
    country: URIRef  # The country a state actor belongs to: Russia the actor and Russia the place are related, not the same.
    dateline: URIRef  # The place the article was filed from ('DAMASCUS -'); not an event location.
    destination: URIRef  # Where displaced people fled to.
    evidence: URIRef  # A mention in an article that expresses this fact (NewsReader gaf:denotedBy).
    locatedIn: URIRef  # The place lies within that place (town in region in country).
    location: URIRef  # Where the event happened.
    mergedEvent: URIRef  # An event report this merge joined.
    mentionedIn: URIRef  # An article with evidence of this entity or event report: the chain ng:evidence/ng:article, written at build time in the article's graph so that queries need not visit every mention.
    mergedInto: URIRef  # This event report describes the same real-world event as the canonical one.
    mergePending: URIRef  # Said of the resolution graph while it holds reports a stopped build wrote but did not merge.
    origin: URIRef  # Where displaced people fled from.
    perpetrator: URIRef  # The actor that carried out the attack or gained the territory.
    publishedIn: URIRef  # The article that carried the claim.
    publisher: URIRef  # The outlet that published the article.
    reportedBy: URIRef  # The source that made the claim.
    target: URIRef  # Who or what was attacked: civilians, a facility, a settlement.

    # Datatype properties
    anchorOf: URIRef  # The exact words of the mention.
    buildKey: URIRef  # SHA-256 over the article as read (text and metadata), the base IRI and the newsgraph build that processed it; a later build skips the article while the key is unchanged.
    childrenKilled: URIRef  # Of those killed, how many were children ('and two children').
    contentHash: URIRef  # SHA-256 of the article's normalised text; identifies the article and detects duplicates.
    date: URIRef  # The day the event happened, resolved against the publication date.
    datePublished: URIRef  # The article's publication date.
    dateText: URIRef  # The words that date the event ('on Sunday', 'since November 1').
    displaced: URIRef  # Number of people who fled or were displaced, as the source gave it.
    displacedQualifier: URIRef  # exact, at_least, about, more_than or up_to.
    displacedText: URIRef  # The words giving the number displaced ('more than half a million people').
    encoding: URIRef  # The character encoding the input was decoded from.
    endOffset: URIRef  # Character offset just after the mention ends.
    geonamesId: URIRef  # The place's GeoNames identifier.
    injured: URIRef  # Number of people injured, as the source gave it.
    injuredQualifier: URIRef  # exact, at_least, about, more_than or up_to.
    injuredText: URIRef  # The words giving the number injured ('scores injured').
    killed: URIRef  # Number of people killed, as the source gave it.
    killedQualifier: URIRef  # exact, at_least, about, more_than or up_to.
    killedText: URIRef  # The words giving the toll ('at least eight people, including three women and two children').
    language: URIRef  # BCP 47 language tag of the article's text.
    mergeRule: URIRef  # The name of the rule that decided the merge.
    mergeScore: URIRef  # How similar the merged reports were, from 0 to 1.
    nameKey: URIRef  # The transliteration-aware key the entity was resolved on; its IRI is minted from it.
    periodEnd: URIRef  # Last day of the period a displacement figure covers.
    periodStart: URIRef  # First day of the period a displacement figure covers.
    periodText: URIRef  # The words giving the period ('over the past two days', 'since April').
    quote: URIRef  # The source's own words, where the article quotes them.
    role: URIRef  # How the text describes a person or group ('a local activist', 'spokesperson').
    sentence: URIRef  # The sentence the mention occurs in.
    sentenceIndex: URIRef  # Position of the sentence in the article, from 0.
    sourceFile: URIRef  # The input file (and line, for JSON Lines) the article was read from.
    stance: URIRef  # Whether the source asserts or denies the event, or the outlet could not confirm it: asserts, denies, unconfirmed.
    startOffset: URIRef  # Character offset where the mention starts in the article's normalised text.
    targetText: URIRef  # The words naming the target ('a convoy of civilian cars').
    text: URIRef  # The article's normalised text, the one evidence offsets refer to.
    title: URIRef  # The article's headline.
    url: URIRef  # Where the article was published.
    weapon: URIRef  # The weapon or means named ('barrel bombs', 'jets', 'artillery').
    wikidataId: URIRef  # The Wikidata Q-identifier of the entity.
    womenKilled: URIRef  # Of those killed, how many were women ('including three women').

    # Annotation properties
    acledEventType: URIRef  # The ACLED codebook event type an event class corresponds to.
    acledSubEventType: URIRef  # The ACLED codebook sub-event type an event class corresponds to.
    cameoCode: URIRef  # The CAMEO event code an event class corresponds to.
    ploverEventType: URIRef  # The PLOVER/POLECAT event type (and mode) an event class corresponds to, following the OEDA CAMEO-to-PLOVER conversion table (PLOVER draft 0.8, 2021).


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """``ontology/newsgraph.ttl`` parsed once (treat it as read-only; copy before changing it)."""
    from ontology.errors import ValidationError

    path = Path(__file__).resolve().parent / "newsgraph.ttl"
    try:
        return Graph().parse(path, format="turtle")
    except Exception as err:  # rdflib raises parser-specific exceptions
        raise ValidationError(f"{path}: the ontology is not valid Turtle: {err}") from err


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """``ontology/shapes.ttl`` (the SHACL shapes) parsed once; read-only."""
    from ontology.errors import ValidationError

    path = Path(__file__).resolve().parent / "shapes.ttl"
    try:
        return Graph().parse(path, format="turtle")
    except Exception as err:  # rdflib raises parser-specific exceptions
        raise ValidationError(f"{path}: the SHACL shapes are not valid Turtle: {err}") from err
