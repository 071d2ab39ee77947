"""Lead scoring learned from the leads that converted before: features read from the graph at each lead's
decision point (its follow-up and the person behind it after One ID), gradient-boosted trees, scores 1–99
with a grade and the factors that moved them, stored on the Lead."""

from carkg.leads.model import LeadModel, LeadsError, train
from carkg.leads.score import score_open_leads

__all__ = ["LeadModel", "LeadsError", "score_open_leads", "train"]
