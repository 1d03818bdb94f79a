"""Tree + registry → RDF, one named graph per version, one for the registry.

IRIs come from the document's own numbering plus the version date (docs/model.md); no blank nodes,
so the same input always gives the same triples.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from ..documents.duties import Party, duties_of
from ..documents.markup import Marked
from ..documents.quantities import quantities_of
from ..documents.source import Metadata, SourceFile
from ..documents.tree import Mention, Node, PlanDocument, Target
from ..vocab import ADMS, DCAT3, ELI, FREQ, ORG, PG
from .ntriples import Lit, Triples, plain, typed
from .registry import Entity, EntityData, Registry

DEFAULT_BASE = "https://w3id.org/plangraph/id/"
ZH = "zh-Hant"
PLAN_TITLE = "國家廉政建設行動方案"
# EU Publications Office authority tables (Named Authority Lists), referenced by IRI and declared
# with our own labels in ontology/plangraph.ttl: the text's language and the jurisdiction
LANGUAGE_ZHO = URIRef("http://publications.europa.eu/resource/authority/language/ZHO")
COUNTRY_TWN = URIRef("http://publications.europa.eu/resource/authority/country/TWN")
EXPRESSION = "zho"    # a version's Chinese text: plan/{date}/zho (ELI's ISO 639-2 language segment)
IANA = Namespace("https://www.iana.org/assignments/media-types/")
# media types of a source document, by its file's suffix (a fixed table: the system's mime.types
# differs between machines, and the build must not)
SOURCE_MEDIA_TYPES = {
    ".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
}
# the forms the site serves a version's page in: /id/plan/{date}[suffix]
PAGE_FORMS = (("html", "", "text/html"), ("turtle", ".ttl", "text/turtle"),
              ("jsonld", ".jsonld", "application/ld+json"),
              ("ntriples", ".nt", "application/n-triples"))
_UNITS = {"Times": PG.Times, "Percent": PG.Percent, "NewTaiwanDollar": PG.NewTaiwanDollar,
          "Grade": PG.Grade, "Persons": PG.Persons}
_COMPARATORS = {"AtLeast": PG.AtLeast, "AtMost": PG.AtMost, "Exactly": PG.Exactly}
_MODALITIES = {"Shall": PG.Shall, "May": PG.May, "Assigned": PG.Assigned}
_JOINT = {"actsWith": PG.actsWith, "convenes": PG.convenes}
_ENTITY_CLASS = {"agency": PG.Agency, "collective": PG.CollectiveAgency, "body": PG.Body,
                 "instrument": PG.Instrument}
_ENTITY_PATH = {"agency": "agency", "collective": "agency", "body": "body",
                "instrument": "instrument"}
_LOCAL_FREQUENCIES = {"Regular": PG.Regular, "PerCase": PG.PerCase, "AsNeeded": PG.AsNeeded}
_MENTION = {"agency": PG.mentionsAgency, "instrument": PG.mentionsInstrument,
            "body": PG.mentionsBody}


def frequency_iri(name: str) -> URIRef:
    return _LOCAL_FREQUENCIES.get(name) or FREQ[name]


class Iris:
    """Every IRI the build mints."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = Namespace(base)

    def plan(self) -> URIRef:
        return self.base["plan"]

    def version(self, date: str) -> URIRef:
        return self.base[f"plan/{date}"]

    def in_version(self, date: str, path: str) -> URIRef:
        return self.base[f"plan/{date}/{path}"]

    def expression(self, date: str) -> URIRef:
        return self.base[f"plan/{date}/{EXPRESSION}"]

    def version_graph(self, date: str) -> URIRef:
        return self.base[f"graph/plan/{date}"]

    def registry_graph(self) -> URIRef:
        return self.base["graph/registry"]

    def ontology_graph(self) -> URIRef:
        return self.base["graph/ontology"]

    def entity(self, e: Entity) -> URIRef:
        return self.base[f"{_ENTITY_PATH[e.kind]}/{e.id}"]

    def source(self, source_id: str) -> URIRef:
        return self.base[f"source/{source_id}"]


def zh(text: str) -> Lit:
    return Lit(text, ZH)


class VersionGraph:
    """The triples of one version of the plan."""

    def __init__(self, doc: PlanDocument, source: SourceFile, registry: Registry, iris: Iris,
                 persistent: dict[str, str] | None = None):
        self.doc, self.source, self.registry, self.iris = doc, source, registry, iris
        # measure key → the id of the measure across versions (default: its key)
        self.persistent = persistent or {}
        self.date = source.version
        self.g = Triples()
        self.version = iris.version(self.date)
        self.source_iri = iris.in_version(self.date, "source")
        self.underlines = 0
        self.corrections = {c.line: iris.in_version(self.date, f"correction/{c.number}")
                            for c in doc.corrections}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Lit) -> None:
        self.g.add((s, p, o))

    def build(self) -> Triples:
        self.plan_and_version()
        for part in self.doc.parts:
            part_iri = self.node(part, f"part/{part.number}", PG.Part, str(part.number),
                                 self.version, PG.hasPart, title=True)
            self.add(self.amendment, PG.changesPart, part_iri)
            for s in part.strategies:     # the flat layout: strategies under the part
                self.strategy(s, part_iri)
            for area in part.areas:
                area_iri = self.node(area, f"area/{area.key}", PG.Area, area.key, part_iri,
                                     PG.hasArea, title=True)
                parents = [(area_iri, None)]
                if area.subareas:
                    parents = [(self.node(sub, f"subarea/{sub.key}", PG.SubArea, sub.key,
                                          area_iri, PG.hasSubArea, title=True), sub)
                               for sub in area.subareas]
                for parent_iri, sub in parents:
                    strategies = sub.strategies if sub is not None else area.strategies
                    for s in strategies:
                        self.strategy(s, parent_iri)
            for clause in part.clauses:
                c_iri = self.node(clause, f"clause/{clause.key}", PG.Clause, clause.key,
                                  part_iri, PG.hasClause, cell=PG.ClauseCell)
                self.duties(c_iri, clause.text.text, clause.lines)
        return self.g

    def plan_and_version(self) -> None:
        """The version as ELI reads it: a legal resource (the plan as amended on its date), a
        member of the plan, realised by one expression in Chinese (zh-Hant) that carries the
        title and is embodied in the source document and the site's page forms."""
        meta, plan, v = self.source.meta, self.iris.plan(), self.version
        # the plan itself is described once, in graph/plan (plan_graph); here only this version
        self.add(plan, ELI.has_member, v)

        self.add(v, RDF.type, PG.PlanVersion)
        self.add(v, RDF.type, ELI.LegalResource)
        self.add(v, RDF.type, SKOS.ConceptScheme)
        self.add(v, ELI.is_member_of, plan)
        self.add(v, ELI.version, PG.VersionAsAmended)
        self.add(v, ELI.version_date, typed(self.date, XSD.date))
        self.add(v, ELI.type_document, PG.ActionPlan)
        self.add(v, ELI.jurisdiction, COUNTRY_TWN)
        self.add(v, RDFS.label, zh(f"{PLAN_TITLE}（{self.date} 版）"))
        self.add(v, RDFS.label,
                 plain(f"National Integrity Building Action Plan, version of {self.date}", "en"))
        self.add(v, SKOS.prefLabel, zh(f"{PLAN_TITLE}（{self.date} 版）"))
        self.add(v, SKOS.prefLabel,
                 plain(f"National Integrity Building Action Plan, version of {self.date}", "en"))
        if meta and meta.issuer and meta.issuer.agency:
            issuer = self.registry.get(meta.issuer.agency)
            self.add(v, ELI.passed_by, self.iris.entity(issuer))
        if meta and meta.version_date and meta.version_date.source:
            self.add(v, DCTERMS.source, self.iris.source(meta.version_date.source))
        self.add(v, PROV.wasDerivedFrom, self.source_iri)
        self.expression(meta)

        # the amendment that made this version: what it changed is its underlined text; its
        # title is the amending act's (修正…第肆點、第陸點), not the plan's
        self.amendment = self.iris.in_version(self.date, "amendment")
        self.add(self.amendment, RDF.type, PG.Amendment)
        self.add(self.amendment, RDF.type, ELI.LegalResource)
        self.add(self.amendment, ELI.amends, plan)
        self.add(self.amendment, ELI.type_document, PG.AmendingAct)
        self.add(self.amendment, ELI.jurisdiction, COUNTRY_TWN)
        self.add(self.amendment, PROV.generated, v)
        self.add(self.amendment, ELI.date_document, typed(self.date, XSD.date))
        if meta and meta.title:
            self.add(self.amendment, DCTERMS.title, zh(meta.title.value))

        src = self.source_iri
        self.add(src, RDF.type, PG.SourceDocument)
        self.add(src, RDF.type, ELI.Format)
        self.add(src, ELI.embodies, self.expr)
        self.add(self.expr, ELI.is_embodied_by, src)
        media = SOURCE_MEDIA_TYPES.get(self.source.path.suffix.lower(), "application/octet-stream")
        self.add(src, ELI["format"], IANA[media])
        self.add(src, PG.fileName, plain(self.source.path.name))
        self.add(src, PG.sha256, plain(self.source.sha256))
        if self.doc.heading.text.text:
            self.add(src, DCTERMS.title, zh(self.doc.heading.text.text))
        for c in self.doc.corrections:
            ci = self.corrections[c.line]
            self.add(ci, RDF.type, PG.Correction)
            self.add(ci, PG.line, typed(c.line, XSD.integer))
            self.add(ci, PG.originalText, plain(c.original))
            self.add(ci, PG.correctedText, plain(c.corrected))
            self.add(ci, PG.reason, plain(c.reason, "en"))
            self.add(ci, PROV.wasDerivedFrom, src)

    def expression(self, meta: Metadata | None) -> None:
        """plan/{date}/zho: the version's text in Chinese, with the plan's title (the version's
        metadata [plan] value), and the forms the site serves it in."""
        self.expr = e = self.iris.expression(self.date)
        self.add(self.version, ELI.is_realized_by, e)
        self.add(e, RDF.type, ELI.LegalExpression)
        self.add(e, ELI.realizes, self.version)
        self.add(e, ELI.language, LANGUAGE_ZHO)
        self.add(e, DCTERMS.language, LANGUAGE_ZHO)
        # the plan's title from the version's metadata; a version without metadata is still a
        # version of this plan, whose name the labels above use too
        title = meta.plan.value if meta and meta.plan else PLAN_TITLE
        self.add(e, ELI.title, zh(title))
        self.add(e, RDFS.label, zh(f"{title}（{self.date} 版，中文本）"))
        self.add(e, RDFS.label, plain(f"The Chinese text of the version of {self.date}", "en"))
        for name, suffix, media in PAGE_FORMS:
            f = URIRef(f"{e}/{name}")
            self.add(f, RDF.type, ELI.Format)
            self.add(f, ELI.embodies, e)
            self.add(e, ELI.is_embodied_by, f)
            self.add(f, ELI["format"], IANA[media])
            self.add(f, ELI.is_exemplified_by, URIRef(f"{self.version}{suffix}"))

    def node(self, node: Node, path: str, cls: URIRef, key: str, parent: URIRef,
             link: URIRef, *, title: bool = False, cell: URIRef | None = None) -> URIRef:
        iri = self.iris.in_version(self.date, path)
        self.add(iri, RDF.type, cls)
        self.add(iri, SKOS.inScheme, self.version)
        self.add(parent, link, iri)
        self.hierarchy(iri, parent)
        self.add(iri, PG.number, typed(node.number, XSD.integer))
        self.add(iri, PG.key, plain(key))
        self.add(iri, SKOS.notation, typed(key, PG.Numbering))
        self.add(iri, PG.title if title else PG.text, zh(node.text.text))
        for prop in (RDFS.label, SKOS.prefLabel):
            self.add(iri, prop, zh(self.label_zh(cls, key, node.text.text)))
            self.add(iri, prop, plain(f"{self.label_en(cls)} {key}", "en"))
        self.provenance(iri, node)
        self.mentions(iri, node.mentions)
        self.quantities(iri, node.text.text, node.lines)
        if cell is not None:
            self.underlined(iri, cell, node.text, node.lines)
        return iri

    def hierarchy(self, iri: URIRef, parent: URIRef) -> None:
        """The standard forms of the document's hierarchy, stated (no reasoner needed): a SKOS
        concept with skos:broader its parent (a part, directly under the version, is a top
        concept of the version's scheme), and an ELI subdivision of its parent. A strategy may
        hang straight under a part (versions without areas): the same two statements."""
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, RDF.type, ELI.LegalResourceSubdivision)
        if parent == self.version:
            self.add(iri, SKOS.topConceptOf, parent)
            self.add(parent, SKOS.hasTopConcept, iri)
        else:
            self.add(iri, SKOS.broader, parent)
            self.add(parent, SKOS.narrower, iri)
        self.add(parent, ELI.has_part, iri)
        self.add(iri, ELI.is_part_of, parent)

    def quantities(self, iri: URIRef, text: str, lines: list[int]) -> None:
        """Each threshold or count in the text as a typed value (documents/quantities.py)."""
        for n, q in enumerate(quantities_of(text), start=1):
            qi = URIRef(f"{iri}/quantity/{n}")
            self.add(iri, PG.quantity, qi)
            self.add(qi, RDF.type, PG.Quantity)
            self.add(qi, PG.value, typed(q.value, XSD.integer))
            self.add(qi, PG.unit, _UNITS[q.unit])
            self.add(qi, PG.comparator, _COMPARATORS[q.comparator])
            self.add(qi, PG.quantityText, zh(q.text))
            if q.period is not None:
                self.add(qi, PG.period, frequency_iri(q.period))
            if q.rank is not None:
                self.add(qi, PG.rank, zh(q.rank))
            for line in sorted(set(lines)):
                self.add(qi, PG.sourceLine, typed(line, XSD.integer))

    def duties(self, clause: URIRef, text: str, lines: list[int]) -> None:
        """Who a clause of point 陸 gives a duty or power to (documents/duties.py): pg:assigns
        a pg:Duty per party that is to act, and pg:addresses each party it names as one; the
        names a text merely contains stay pg:mentions*."""
        for n, d in enumerate(duties_of(text, self.registry), start=1):
            di = URIRef(f"{clause}/duty/{n}")
            self.add(clause, PG.assigns, di)
            self.add(di, RDF.type, PG.Duty)
            self.add(di, PG.modality, _MODALITIES[d.modality])
            self.add(di, PG.action, zh(d.action))
            self.add(di, PG.dutyText, zh(text[d.start:d.end]))
            self.party(clause, di, PG.party, d.party)
            for relation, other in d.joint:
                self.party(clause, di, _JOINT[relation], other)
            for line in sorted(set(lines)):
                self.add(di, PG.sourceLine, typed(line, XSD.integer))
            self.add(di, PROV.wasDerivedFrom, self.source_iri)

    def party(self, clause: URIRef, duty: URIRef, prop: URIRef, p: Party) -> None:
        party = self.iris.entity(self.registry.get(p.entity))
        self.add(duty, prop, party)
        self.add(clause, PG.addresses, party)
        if prop == PG.party:
            self.add(duty, PG.partyAsWritten, zh(p.name))
        if p.resolution is not None:    # a contextual name (院): why it names this party
            self.add(duty, PG.reason, plain(p.resolution.reason, "en"))
            self.add(duty, DCTERMS.source, self.iris.source(p.resolution.source))

    @staticmethod
    def label_zh(cls: URIRef, key: str, text: str) -> str:
        name = {PG.Part: "第{}點", PG.Area: "領域 {}", PG.SubArea: "子領域 {}",
                PG.Strategy: "具體策略 {}", PG.Measure: "執行措施 {}", PG.Target: "績效目標 {}",
                PG.Clause: "分工及績效考核 {}"}[cls].format(key)
        return f"{name}：{text}" if cls in (PG.Part, PG.Area, PG.SubArea) else name

    @staticmethod
    def label_en(cls: URIRef) -> str:
        return {PG.Part: "Point", PG.Area: "Area", PG.SubArea: "Sub-area", PG.Strategy: "Strategy",
                PG.Measure: "Measure", PG.Target: "Target", PG.Clause: "Clause"}[cls]

    def provenance(self, iri: URIRef, node: Node) -> None:
        """The lines a node was read from (text forms), or its places (forms without lines:
        table, row, cell …), and the exact source text there."""
        lines = sorted(set(node.lines))
        for n in lines:
            self.add(iri, PG.sourceLine, typed(n, XSD.integer))
            if n in self.corrections:
                self.add(iri, PROV.wasDerivedFrom, self.corrections[n])
        if not lines:
            for place in dict.fromkeys(node.places):
                self.add(iri, PG.sourcePlace, plain(str(place)))
        self.add(iri, PG.sourceText, plain(self.doc.source_of(node)))
        self.add(iri, PROV.wasDerivedFrom, self.source_iri)

    def mentions(self, iri: URIRef, mentions: list[Mention]) -> None:
        for m in mentions:
            self.add(iri, _MENTION[m.kind], self.iris.entity(self.registry.get(m.entity)))

    def underlined(self, iri: URIRef, cell: URIRef, text: Marked, lines: list[int]) -> None:
        for start, end in text.spans():
            self.underlines += 1
            u = self.iris.in_version(self.date, f"underline/{self.underlines}")
            self.add(u, RDF.type, PG.UnderlinedSpan)
            self.add(u, PG.inNode, iri)
            self.add(u, PG.cell, cell)
            self.add(u, PG.spanText, zh(text.text[start:end]))
            self.add(u, PG.start, typed(start, XSD.integer))
            self.add(u, PG.end, typed(end, XSD.integer))
            self.add(u, PROV.wasGeneratedBy, self.amendment)
            for n in lines:
                self.add(u, PG.sourceLine, typed(n, XSD.integer))
            self.add(iri, PG.underlinedSpan, u)

    def strategy(self, s, parent: URIRef) -> None:
        s_iri = self.node(s, f"strategy/{s.key}", PG.Strategy, s.key, parent, PG.hasStrategy,
                          cell=PG.StrategyCell)
        for m in s.measures:
            m_iri = self.node(m, f"measure/{m.key}", PG.Measure, m.key, s_iri, PG.hasMeasure,
                              cell=PG.MeasureCell)
            self.add(m_iri, PG.amended, typed(m.amended, XSD.boolean))
            # the measure across versions: each version's measure is a member of it (ELI's
            # pattern for the dated versions of one subdivision)
            lasting = self.iris.base[f"measure/{self.persistent.get(m.key, m.key)}"]
            self.add(m_iri, ELI.is_member_of, lasting)
            self.add(lasting, ELI.has_member, m_iri)
            self.add(lasting, RDF.type, PG.PersistentMeasure)
            self.add(lasting, RDF.type, ELI.LegalResourceSubdivision)
            lasting_id = self.persistent.get(m.key, m.key)
            self.add(lasting, RDFS.label, zh(f"執行措施 {lasting_id}（跨版本）"))
            self.add(lasting, RDFS.label, plain(f"Measure {lasting_id} (across versions)", "en"))
            for t in m.targets:
                self.target(t, m.key, m_iri)
            for a in m.assignments:
                a_iri = self.iris.in_version(self.date, f"measure/{m.key}/assignment/{a.position}")
                agency = self.iris.entity(self.registry.get(a.entity))
                self.add(m_iri, PG.qualifiedAssignment, a_iri)
                self.add(a_iri, RDF.type, PG.Assignment)
                self.add(a_iri, PG.agency, agency)
                self.add(a_iri, PG.role, PG.Cooperating if a.cooperating else PG.Lead)
                self.add(a_iri, PG.nameAsWritten, zh(a.name))
                self.add(a_iri, PG.position, typed(a.position, XSD.integer))
                if a.acting_unit is not None:
                    unit = self.iris.entity(self.registry.get(a.acting_unit))
                    self.add(a_iri, PG.actingUnit, unit)
                    self.add(m_iri, PG.mentionsBody, unit)
                self.add(m_iri, PG.cooperatingAgency if a.cooperating else PG.leadAgency, agency)
            self.underlined(m_iri, PG.AgencyCell, m.agency_cell, m.agency_lines)

    def target(self, t: Target, key: str, measure: URIRef) -> None:
        iri = self.node(t, f"target/{key}.{t.number}", PG.Target, f"{key}.{t.number}", measure,
                        PG.hasTarget, cell=PG.TargetCell)
        for f in t.frequencies:
            self.add(iri, PG.frequency, frequency_iri(f))
        if t.deadline is not None:
            self.add(iri, PG.deadline, typed(t.deadline, XSD.date))
        # the indicator edition: the target's indicator, and its value for each year
        if t.indicator is not None:
            ind = self.iris.in_version(self.date, f"indicator/{key}.{t.number}")
            self.add(iri, PG.hasIndicator, ind)
            self.add(ind, RDF.type, PG.Indicator)
            self.add(ind, SKOS.prefLabel, zh(t.indicator.text))
            self.add(ind, PROV.wasDerivedFrom, self.source_iri)
        for v in t.values:
            vi = self.iris.in_version(self.date, f"target/{key}.{t.number}/value/{v.year}")
            self.add(iri, PG.hasTargetValue, vi)
            self.add(vi, RDF.type, PG.TargetValue)
            self.add(vi, PG.year, typed(str(v.year), XSD.gYear))
            self.add(vi, PG.valueText, zh(v.text.text))
            self.add(vi, PROV.wasDerivedFrom, self.source_iri)


def plan_graph(sources: list[SourceFile], iris: Iris) -> Triples:
    """The plan (the work all versions realise): described once, from the versions' metadata.

    Kept out of the version graphs: the same triples in several named graphs would be counted
    once per version by every join over the union default graph."""
    g = Triples()
    plan = iris.plan()
    g.add((plan, RDF.type, PG.Plan))
    g.add((plan, RDF.type, ELI.LegalResource))
    g.add((plan, ELI.type_document, PG.ActionPlan))
    g.add((plan, ELI.jurisdiction, COUNTRY_TWN))
    for source in sources:
        meta = source.meta
        if meta and meta.plan:
            # its title is on each version's expression (eli:title's domain): a label here
            g.add((plan, RDFS.label, zh(meta.plan.value)))
            if meta.plan.en:
                g.add((plan, RDFS.label, plain(meta.plan.en, "en")))
            if meta.plan.issued:
                g.add((plan, ELI.date_document, typed(meta.plan.issued.isoformat(), XSD.date)))
        if meta and meta.official_record:
            rec = meta.official_record
            ident = iris.base["plan/id/lsid"]
            g.add((plan, ADMS.identifier, ident))
            g.add((ident, RDF.type, ADMS.Identifier))
            g.add((ident, SKOS.notation, plain(rec.lsid)))
            g.add((ident, DCTERMS.type, PG.LSID))
            g.add((ident, DCTERMS.source, iris.source(rec.source)))
            g.add((plan, ELI.id_local, plain(rec.lsid)))
            if rec.url:
                g.add((plan, RDFS.seeAlso, URIRef(rec.url)))
    # its versions as a DCAT 3 version chain: every version, each one's predecessor, and the
    # current one (the latest version date), where questions about the plan as it stands start
    versions = [iris.version(date) for date in sorted({s.version for s in sources})]
    for v in versions:
        g.add((plan, DCAT3.hasVersion, v))
    for older, newer in zip(versions, versions[1:], strict=False):
        g.add((newer, DCAT3.previousVersion, older))
    if versions:
        g.add((plan, DCAT3.hasCurrentVersion, versions[-1]))
    return g


def version_graph(doc: PlanDocument, source: SourceFile, registry: Registry, iris: Iris,
                  persistent: dict[str, str] | None = None) -> Triples:
    return VersionGraph(doc, source, registry, iris, persistent).build()


def registry_graph(registry: Registry, iris: Iris) -> Triples:
    g = Triples()
    for sid, s in sorted(registry.sources.items()):
        si = iris.source(sid)
        g.add((si, RDF.type, PG.RegistrySource))
        g.add((si, DCTERMS.title, plain(s.title)))
        if s.url:
            g.add((si, RDFS.seeAlso, URIRef(s.url)))
    for e in registry.entities.values():
        if e.kind != "phrase":
            _entity(g, e, registry, iris)
    return g


def _entity(g: Triples, e: Entity, registry: Registry, iris: Iris) -> None:
    iri, d = iris.entity(e), e.data
    g.add((iri, RDF.type, _ENTITY_CLASS[e.kind]))
    if e.kind in ("agency", "body"):
        g.add((iri, RDF.type, ORG.Organization))
    g.add((iri, SKOS.prefLabel, zh(e.name)))
    g.add((iri, RDFS.label, zh(e.name)))
    for alias in e.aliases:
        g.add((iri, SKOS.altLabel, zh(alias)))
    english = d.name_en or d.description_en
    if english:
        g.add((iri, RDFS.label, plain(english, "en")))
        src = d.name_en_source or d.description_en_source
        if src:
            g.add((iri, PG.englishNameSource, iris.source(src)))
    kind_prop = {"agency": PG.agencyKind, "collective": PG.agencyKind, "body": PG.bodyKind,
                 "instrument": PG.instrumentKind}[e.kind]
    if d.kind:
        g.add((iri, kind_prop, plain(d.kind)))
    if d.parent:
        parent = iris.entity(registry.get(d.parent))
        g.add((iri, PG.collectiveOf if e.kind == "collective" else ORG.subOrganizationOf, parent))
    for key, scheme, src_key in (("oid", PG.OID, "oid_source"),
                                 ("agency_code", PG.AgencyCode, "oid_source"),
                                 ("pcode", PG.Pcode, "pcode_source"),
                                 ("lsid", PG.LSID, "lsid_source")):
        value, src_value = getattr(d, key), getattr(d, src_key)
        if value:
            ident = URIRef(f"{iri}/id/{key.replace('_', '-')}")
            g.add((iri, ADMS.identifier, ident))
            g.add((ident, RDF.type, ADMS.Identifier))
            g.add((ident, SKOS.notation, plain(value)))
            g.add((ident, DCTERMS.type, scheme))
            if src_value:
                g.add((ident, DCTERMS.source, iris.source(src_value)))
            if key == "oid":
                # the OID as an IRI (RFC 3061) to link to; it names the agency for a period
                # (a reorganised agency may get a new one), so no owl:sameAs
                g.add((iri, PG.oid, URIRef(f"urn:oid:{value}")))
                if d.oid_note:
                    g.add((ident, RDFS.comment, plain(d.oid_note, "en")))
            if key == "pcode":
                g.add((iri, ELI.id_local, plain(value)))
                g.add((iri, RDFS.seeAlso,
                       URIRef(f"https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode={value}")))
    if d.enacted:
        g.add((iri, PG.enacted, typed(d.enacted, XSD.date)))
        if d.enacted_source:
            g.add((iri, PG.enactedSource, iris.source(d.enacted_source)))
    if d.host:
        g.add((iri, PG.host, iris.entity(registry.get(d.host))))
    if d.convener:
        if d.convener in registry.entities:
            g.add((iri, PG.convener, iris.entity(registry.get(d.convener))))
        else:
            g.add((iri, PG.convenerRole, zh(d.convener)))
    if d.secretary:
        g.add((iri, PG.secretaryRole, zh(d.secretary)))
    for m in d.members + d.member_bodies:
        g.add((iri, PG.member, iris.entity(registry.get(m))))
    for role in d.member_roles:
        g.add((iri, PG.memberRole, zh(role)))
    if d.meets:
        g.add((iri, PG.meets, frequency_iri(_MEETS[d.meets])))
    if e.kind == "body" and d.source:
        g.add((iri, DCTERMS.source, iris.source(d.source)))
        for n in d.lines:
            g.add((iri, PG.sourceLine, typed(n, XSD.integer)))
    for ev in e.events():
        date = ev.date.isoformat()
        ei = URIRef(f"{iri}/event/{date}")
        g.add((ei, RDF.type, ORG.ChangeEvent))
        g.add((ei, DCTERMS.date, typed(date, XSD.date)))
        g.add((ei, PG.eventKind, plain(ev.kind)))
        if ev.kind == "established":     # the agency is what the event resulted in
            g.add((ei, ORG.resultingOrganization, iri))
            if ev.predecessor:
                g.add((ei, ORG.originalOrganization, iris.entity(registry.get(ev.predecessor))))
        else:
            g.add((ei, ORG.originalOrganization, iri))
        if ev.successor:
            g.add((ei, ORG.resultingOrganization, iris.entity(registry.get(ev.successor))))
        if ev.old_name:
            g.add((ei, PG.oldName, zh(ev.old_name)))
        if ev.new_name:
            g.add((ei, PG.newName, zh(ev.new_name)))
        for name in ev.still_correct:     # spellings of the old text that the rename leaves right
            g.add((ei, PG.stillCorrectName, zh(name)))
        if ev.basis:
            g.add((ei, PG.legalBasis, zh(ev.basis)))
        g.add((ei, DCTERMS.source, iris.source(ev.source)))
    for law_id, prop in ((d.part_of_law, PG.provisionOf), (d.comprises_law, PG.comprisesLaw)):
        if law_id:
            _law_link(g, iri, prop, iris.entity(registry.get(law_id)), d, iris)
    if e.kind == "instrument" and d.kind == "bill":
        g.add((iri, RDFS.comment, plain("A bill to be drafted when the plan named it.", "en")))
    if d.is_plan:
        g.add((iri, OWL.sameAs, iris.plan()))
    if d.sdg_target:
        _sdg_link(g, iris.plan() if d.is_plan else iri, d, iris)


def _law_link(g: Triples, subject: URIRef, prop: URIRef, law: URIRef, d: EntityData,
              iris: Iris) -> None:
    """A provision in a law (pg:provisionOf, an eli:is_part_of) or a body of law comprising one
    (pg:comprisesLaw): a judgement read from the text, so the link is described by a reified
    statement with its reason, its source and the lines it was read from."""
    g.add((subject, prop, law))
    link = URIRef(f"{subject}/link/law")
    g.add((link, RDF.type, RDF.Statement))
    g.add((link, RDF.subject, subject))
    g.add((link, RDF.predicate, prop))
    g.add((link, RDF.object, law))
    if d.law_link_source:
        g.add((link, DCTERMS.source, iris.source(d.law_link_source)))
    for n in d.law_link_lines:
        g.add((link, PG.sourceLine, typed(n, XSD.integer)))
    if d.law_link_reason:
        g.add((link, PG.reason, plain(d.law_link_reason, "en")))


def _sdg_link(g: Triples, subject: URIRef, d: EntityData, iris: Iris) -> None:
    """`subject dct:subject <UN SDG target>`, with its sources on a reified statement.

    dct:subject, not skos:relatedMatch: a SKOS mapping relates two concepts (skos:semanticRelation
    has the domain skos:Concept), so it would make the plan, an eli:LegalResource, a concept. The
    plan is *about* the target's topic, and SDG targets are concepts of the UN's SKOS scheme: the
    dct:subject pattern. The reason (and so the sources) is the plan's basis, the UN Convention
    against Corruption, and what target 16.5 is: substantially reduce corruption and bribery.
    """
    target = URIRef(d.sdg_target or "")
    g.add((subject, DCTERMS.subject, target))
    link = URIRef(f"{subject}/link/sdg-{target.rsplit('/', 1)[-1]}")
    g.add((link, RDF.type, RDF.Statement))
    g.add((link, RDF.subject, subject))
    g.add((link, RDF.predicate, DCTERMS.subject))
    g.add((link, RDF.object, target))
    for source in (d.sdg_target_source, d.sdg_basis_source):
        if source:
            g.add((link, DCTERMS.source, iris.source(source)))
    if d.sdg_note:
        g.add((link, RDFS.comment, plain(d.sdg_note, "en")))


_MEETS = {"quarterly": "QUARTERLY", "half-yearly": "ANNUAL_2", "yearly": "ANNUAL",
          "monthly": "MONTHLY", "bimonthly": "BIMONTHLY", "regular": "Regular"}

