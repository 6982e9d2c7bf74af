from .applications import Application, support_letter_path
from .calls import Call, EligibilityQuestion, MotivationQuestion
from .reviews import Conflict, Criterion, PanelMember, ReviewAssignment, weighted_total

__all__ = [
    "Application",
    "Call",
    "Conflict",
    "Criterion",
    "PanelMember",
    "ReviewAssignment",
    "weighted_total",
    "EligibilityQuestion",
    "MotivationQuestion",
    "support_letter_path",
]
