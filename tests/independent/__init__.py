"""Renderings of the seed made apart from tests/render/ and the readers: written from the document
and from how the plan's forms look where people meet them (docs: /work/shared/DOMAIN.md "forms people
meet"), to catch the assumptions that the project's own writers and readers share."""
