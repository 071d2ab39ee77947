"""Segments (圈选): audiences of resolved customers defined by nested conditions, compiled to one Cypher query.

See docs/SEGMENTS.md. Entry points: `count`, `members`, `member_ids`, `explain` (engine), `save`,
`materialise`, `diff`, `export` (store), built-in quadrants and personas (builtins).
"""

from carkg.segments.engine import Request, count, explain, member_ids, members, prepare
from carkg.segments.errors import SegmentError
from carkg.segments.model import Condition, dump, parse

__all__ = ["Condition", "Request", "SegmentError", "count", "dump", "explain", "member_ids", "members", "parse",
           "prepare"]
