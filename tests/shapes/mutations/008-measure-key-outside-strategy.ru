# expect: pgsh:KeyExtendsParentKey
# expect: pgsh:IriEndsWithKey
# why: measure 1.1.5.8 is re-keyed 1.1.4.8 (key and notation), which does not start with its strategy's key 1.1.5 and no longer ends its IRI.
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

DELETE { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> pg:key ?old } }
INSERT { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> pg:key "1.1.4.8" } }
WHERE  { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> pg:key ?old } } ;
DELETE { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> skos:notation ?old } }
INSERT { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> skos:notation "1.1.4.8"^^pg:Numbering } }
WHERE  { GRAPH ?g { <https://w3id.org/plangraph/id/plan/2014-04-15/measure/1.1.5.8> skos:notation ?old } }
