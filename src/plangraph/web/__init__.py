"""The HTTP side: SPARQL endpoint, query console, linked-data pages, dumps."""
