import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .enums import SupportKind

# Each character of these scripts counts as a word, as a reader of them counts.
_IDEOGRAPHIC = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uac00-\ud7af"  # Hangul syllables
)
_WORD = re.compile(rf"[{_IDEOGRAPHIC}]|[^\s{_IDEOGRAPHIC}\u3000-\u303f\uff00-\uffef]+")
_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")


def count_words(text):
    """Words as the applicant sees them: space-separated words, and each Chinese,
    Japanese or Korean character. Punctuation alone is not a word."""
    return sum(1 for token in _WORD.findall(text or "") if not _PUNCTUATION_ONLY.match(token))


class MaxWordsValidator:
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        words = count_words(value)
        if words > self.limit:
            raise ValidationError(
                ngettext_lazy(
                    "Please shorten this answer to %(limit)d word or fewer (it has %(words)d).",
                    "Please shorten this answer to %(limit)d words or fewer (it has %(words)d).",
                    "limit",
                ),
                code="too_many_words",
                params={"limit": self.limit, "words": words},
            )

    def __eq__(self, other):
        return isinstance(other, MaxWordsValidator) and other.limit == self.limit


def validate_support_kinds(value):
    if not isinstance(value, list) or not set(value) <= set(SupportKind.values):
        raise ValidationError(_("Choose kinds of support from the list."), code="invalid_support")
