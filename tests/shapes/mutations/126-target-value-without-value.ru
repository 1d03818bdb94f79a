# expect: pgsh:TargetValueText
# why: a target value with its year but without the value itself.
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

INSERT { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.5.8.1> pg:hasTargetValue <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.5.8.1/value/2023> . <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.5.8.1/value/2023> a pg:TargetValue ; pg:year "2023"^^xsd:gYear . } }
WHERE { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/target/1.1.5.8.1> a pg:Target } }
