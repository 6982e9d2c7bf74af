from .applications import Application, support_letter_path
from .calls import Call, EligibilityQuestion, MotivationQuestion

__all__ = [
    "Application",
    "Call",
    "EligibilityQuestion",
    "MotivationQuestion",
    "support_letter_path",
]
