"""carkg: a Neo4j knowledge graph for automotive CRM."""

__version__ = "0.1.0"
