# expect: pgsh:CurrentVersionIsLatest
# why: a later expression of the plan (2016-08-24: it eli:is_member_of the plan, with its eli:version_date) is added while the plan's current version stays 2014-04-15.
PREFIX pg:   <https://w3id.org/plangraph/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org:  <http://www.w3.org/ns/org#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX eli:  <http://data.europa.eu/eli/ontology#>
PREFIX freq: <http://publications.europa.eu/resource/authority/frequency/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>

INSERT DATA {
  GRAPH <https://w3id.org/plangraph/id/graph/plan> {
    <https://w3id.org/plangraph/id/plan/2016-08-24> eli:is_member_of <https://w3id.org/plangraph/id/plan> .
    <https://w3id.org/plangraph/id/plan/2016-08-24> eli:version_date "2016-08-24"^^xsd:date .
  }
}
