# expect: pgsh:ChangeNodesMatchKind
# why: a change set (version 2014-04-15 against itself) is added; its strategy-text change names measures (pg:oldMeasure, pg:newMeasure) instead of strategies.
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

# a strategy-text change about measure 1.1.5.5
INSERT DATA {
  GRAPH <https://w3id.org/plangraph/id/graph/changes/2014-04-15/2014-04-15> {
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15> a pg:ChangeSet .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15> pg:fromVersion <https://w3id.org/plangraph/id/plan/2014-04-15> .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15> pg:toVersion <https://w3id.org/plangraph/id/plan/2014-04-15> .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15> pg:hasChange <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> a pg:Change .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:number "1"^^xsd:integer .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:changeKind "strategy-text" .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:oldKey "1.1.5.5" .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:oldMeasure <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.5> .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:newKey "1.1.5.5" .
    <https://w3id.org/plangraph/id/changes/2014-04-15/2014-04-15/1> pg:newMeasure <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.5> .
  }
}
