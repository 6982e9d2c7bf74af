from .applications import Application, support_letter_path
from .calls import Call, EligibilityQuestion, MotivationQuestion
from .decisions import Decision, TravellerDetails
from .reviews import Conflict, Criterion, PanelMember, ReviewAssignment, weighted_total
from .selection import BalancePolicy, GenderTarget, RegionTarget, SelectionRun

__all__ = [
    "Application",
    "BalancePolicy",
    "GenderTarget",
    "RegionTarget",
    "SelectionRun",
    "Call",
    "Decision",
    "TravellerDetails",
    "Conflict",
    "Criterion",
    "PanelMember",
    "ReviewAssignment",
    "weighted_total",
    "EligibilityQuestion",
    "MotivationQuestion",
    "support_letter_path",
]
