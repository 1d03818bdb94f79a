# expect: pgsh:MeasureInOneStrategy
# expect: pgsh:KeyExtendsParentKey
# expect: pgsh:NumberContiguous
# expect: pgsh:BroaderIsParent
# why: strategy 1.1.4 also claims measure 1.1.5.9: two parents; under 1.1.4 its key does not fit and its number 9 leaves a gap after 3. Its skos:broader names one parent only, so the other parent is not its broader.
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

INSERT { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/strategy/1.1.4> pg:hasMeasure <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.9> } }
WHERE  { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/strategy/1.1.4> a ?type } }
