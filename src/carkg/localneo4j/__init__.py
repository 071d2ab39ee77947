"""The project's own Neo4j 5 + GDS + APOC + Browser, assembled from Maven Central."""

from carkg.localneo4j.install import Distribution, install
from carkg.localneo4j.server import LocalServer, ServerError, ServerStatus

__all__ = ["Distribution", "LocalServer", "ServerError", "ServerStatus", "install"]
