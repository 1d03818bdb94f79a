# expect: pgsh:NumberContiguous
# why: measure 2 of the 3-measure strategy 1.1.4 is removed, so measure 3 has no measure 2 before it.
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

# the measure, its targets, its assignments and its persistent identity: every triple about
# them or pointing to them
DELETE { GRAPH ?g { ?s ?p ?o } }
WHERE {
  GRAPH ?g {
    <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.4.2> (pg:hasTarget|pg:qualifiedAssignment|pg:quantity|eli:is_member_of|pg:hasTarget/pg:quantity)? ?node .
    { ?node ?p ?o . BIND (?node AS ?s) } UNION { ?s ?p ?node . BIND (?node AS ?o) }
  }
}
