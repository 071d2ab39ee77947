"""Source loaders: export files in, validated rows out, batched MERGE into the graph."""

from carkg.ingest.mapping import SourceMapping, load_mappings
from carkg.ingest.pipeline import Loader, LoadReport, SourceReport

__all__ = ["LoadReport", "Loader", "SourceMapping", "SourceReport", "load_mappings"]
