"""Namespaces. `PG` is closed: a typo in a term name raises instead of minting a new IRI.

Every term listed here is declared in ontology/plangraph.ttl; tests/test_ontology.py checks both ways.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

PG_IRI = "https://w3id.org/plangraph/ontology#"


class PG(DefinedNamespace):
    _NS = Namespace(PG_IRI)
    _fail = True

    # the plan and its document
    Plan: URIRef
    PlanVersion: URIRef
    SourceDocument: URIRef
    Correction: URIRef
    Amendment: URIRef
    changesPart: URIRef
    # ELI values: the kind of document (eli:type_document) and of version (eli:version)
    ActionPlan: URIRef
    AmendingAct: URIRef
    VersionAsAmended: URIRef
    # versions side by side: measures that persist, and what changed between two versions
    PersistentMeasure: URIRef
    ChangeSet: URIRef
    Change: URIRef
    fromVersion: URIRef
    toVersion: URIRef
    hasChange: URIRef
    changeKind: URIRef
    oldKey: URIRef
    newKey: URIRef
    oldMeasure: URIRef
    newMeasure: URIRef
    oldValue: URIRef
    newValue: URIRef
    oldNode: URIRef
    newNode: URIRef
    fromStrategy: URIRef
    toStrategy: URIRef
    renamedAgency: URIRef
    explainedBy: URIRef
    rivalMeasure: URIRef
    # structure
    Node: URIRef
    Part: URIRef
    Area: URIRef
    SubArea: URIRef
    Strategy: URIRef
    Measure: URIRef
    Target: URIRef
    Clause: URIRef
    hasPart: URIRef
    hasArea: URIRef
    hasSubArea: URIRef
    hasStrategy: URIRef
    hasMeasure: URIRef
    hasTarget: URIRef
    hasClause: URIRef
    number: URIRef
    key: URIRef
    Numbering: URIRef
    text: URIRef
    title: URIRef
    # provenance of nodes
    sourceLine: URIRef
    sourcePlace: URIRef
    sourceText: URIRef
    sha256: URIRef
    fileName: URIRef
    line: URIRef
    originalText: URIRef
    correctedText: URIRef
    reason: URIRef
    # underlines: what the amendment changed
    UnderlinedSpan: URIRef
    Cell: URIRef
    StrategyCell: URIRef
    MeasureCell: URIRef
    TargetCell: URIRef
    AgencyCell: URIRef
    ClauseCell: URIRef
    underlinedSpan: URIRef
    inNode: URIRef
    cell: URIRef
    spanText: URIRef
    start: URIRef
    end: URIRef
    amended: URIRef
    # assignees
    Assignee: URIRef
    Agency: URIRef
    CollectiveAgency: URIRef
    Body: URIRef
    Assignment: URIRef
    Role: URIRef
    Lead: URIRef
    Cooperating: URIRef
    qualifiedAssignment: URIRef
    agency: URIRef
    role: URIRef
    nameAsWritten: URIRef
    position: URIRef
    actingUnit: URIRef
    leadAgency: URIRef
    cooperatingAgency: URIRef
    agencyKind: URIRef
    englishNameSource: URIRef
    collectiveOf: URIRef
    host: URIRef
    convener: URIRef
    convenerRole: URIRef
    secretaryRole: URIRef
    memberRole: URIRef
    member: URIRef
    meets: URIRef
    bodyKind: URIRef
    # duties and powers that the clauses of point 陸 give to parties
    Duty: URIRef
    Modality: URIRef
    Shall: URIRef
    May: URIRef
    Assigned: URIRef
    assigns: URIRef
    addresses: URIRef
    modality: URIRef
    action: URIRef
    party: URIRef
    partyAsWritten: URIRef
    dutyText: URIRef
    actsWith: URIRef
    convenes: URIRef
    # quantities: thresholds and counts in texts, as typed values
    Quantity: URIRef
    Unit: URIRef
    Times: URIRef
    Percent: URIRef
    NewTaiwanDollar: URIRef
    Grade: URIRef
    Persons: URIRef
    Comparator: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    Exactly: URIRef
    quantity: URIRef
    value: URIRef
    unit: URIRef
    comparator: URIRef
    quantityText: URIRef
    period: URIRef
    rank: URIRef
    # instruments
    Instrument: URIRef
    instrumentKind: URIRef
    provisionOf: URIRef
    comprisesLaw: URIRef
    enacted: URIRef
    enactedSource: URIRef
    # identifiers (adms:Identifier nodes, each with its dct:source)
    IdentifierScheme: URIRef
    OID: URIRef
    AgencyCode: URIRef
    Pcode: URIRef
    LSID: URIRef
    oid: URIRef
    # mentions in texts
    mentionsAgency: URIRef
    mentionsInstrument: URIRef
    mentionsBody: URIRef
    # targets
    Frequency: URIRef
    Regular: URIRef
    PerCase: URIRef
    AsNeeded: URIRef
    frequency: URIRef
    deadline: URIRef
    # the indicator edition (2023): a target's indicator, and its value for a year
    Indicator: URIRef
    TargetValue: URIRef
    hasIndicator: URIRef
    hasTargetValue: URIRef
    year: URIRef
    valueText: URIRef
    # registry provenance
    RegistrySource: URIRef
    eventKind: URIRef
    legalBasis: URIRef
    newName: URIRef
    oldName: URIRef
    stillCorrectName: URIRef


# A DefinedNamespace looks each term up through its metaclass (about 4 µs); a build of a thousand
# versions names terms some 15 million times, so each declared term is also set as a plain class
# attribute. An undeclared name still raises.
for _name in PG.__annotations__:
    type.__setattr__(PG, _name, PG[_name])

ELI = Namespace("http://data.europa.eu/eli/ontology#")
# DCAT 3 terms rdflib's DCAT does not list (dcat:version, hasVersion, hasCurrentVersion …): a
# plain namespace, so that naming them does not warn
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")
ORG = Namespace("http://www.w3.org/ns/org#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
SDG = Namespace("http://metadata.un.org/sdg/")
ADMS = Namespace("http://www.w3.org/ns/adms#")

# Prefix → namespace IRI: the project's own vocabulary and those it uses. The SPARQL endpoint and
# `plangraph query` predeclare them (a query's own PREFIX wins); Turtle and JSON-LD are written
# with them.
PREFIXES: dict[str, str] = {
    "pg": PG_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": str(DCAT3),
    "eli": str(ELI),
    "org": str(ORG),
    "prov": "http://www.w3.org/ns/prov#",
    "adms": str(ADMS),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "freq": str(FREQ),
    "sdg": str(SDG),
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "vann": "http://purl.org/vocab/vann/",
}

# Vocabularies a query may well use without declaring them, and that are not predeclared: an
# error about an unknown prefix offers the PREFIX line of these.
KNOWN_PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "schema": "http://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "time": "http://www.w3.org/2006/time#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
