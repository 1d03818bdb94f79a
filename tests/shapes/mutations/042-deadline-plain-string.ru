# expect: pgsh:DeadlineIsDate
# why: the deadline of target 1.1.6.2.1 (101年底前 → 2012-12-31) becomes a plain string.
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

DELETE { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.6.2.1> pg:deadline ?old } }
INSERT { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.6.2.1> pg:deadline "2012-12-31" } }
WHERE  { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.6.2.1> pg:deadline ?old } }
