"""Initial bulk load: validated rows → neo4j-admin import files → the server's store, for an empty graph."""

from carkg.ingest.bulk.load import BulkLoadRefused, BulkReport, build_graph, bulk_load

__all__ = ["BulkLoadRefused", "BulkReport", "build_graph", "bulk_load"]
