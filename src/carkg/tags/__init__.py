"""Tags on entities and relationships: the library (definitions), assignment with history, expiry, health.

Other parts of carkg (rules, keyword tagger, event intake, API) put tags on through `assign` only.
"""

from carkg.tags.assign import assign, unassign
from carkg.tags.assignment import Assignment, AssignResult, Removal
from carkg.tags.definition import TagDefinition
from carkg.tags.errors import TagInputError
from carkg.tags.expire import expire
from carkg.tags.library import copy_template, define, load_library
from carkg.tags.live import LIVE
from carkg.tags.targets import TAGGABLE_LABELS, TAGGABLE_RELATIONSHIPS, NodeTarget, RelationshipTarget

__all__ = [
    "LIVE", "TAGGABLE_LABELS", "TAGGABLE_RELATIONSHIPS", "AssignResult", "Assignment", "NodeTarget",
    "RelationshipTarget", "Removal", "TagDefinition", "TagInputError", "assign", "copy_template", "define",
    "expire", "load_library", "unassign",
]
