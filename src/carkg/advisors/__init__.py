"""Advisors (顾问): each advisor's track record and tags, derived from the graph, and which advisor a
customer or lead should go to."""

from carkg.advisors.recommend import Candidate, Recommendation, rank, recommend
from carkg.advisors.track import TrackReport, derive

__all__ = ["Candidate", "Recommendation", "TrackReport", "derive", "rank", "recommend"]
