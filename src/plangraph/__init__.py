"""plangraph: Taiwan's National Integrity Building Action Plan as a knowledge graph."""

__version__ = "0.1.0"
