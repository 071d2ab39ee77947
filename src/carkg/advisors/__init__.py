"""Advisor tags (顾问标签): each advisor's track record and profile, derived from the graph."""

from carkg.advisors.track import TrackReport, derive

__all__ = ["TrackReport", "derive"]
