import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from i18nfield.forms import I18nModelForm

from .enums import SupportKind
from .models import Call


class CallForm(I18nModelForm):
    """A call, with its opening and closing entered in the conference's time zone."""

    support_offered = forms.MultipleChoiceField(
        label=_("Kinds of support offered"),
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "conference",
            "slug",
            "title",
            "summary",
            "description",
            "eligibility",
            "opens_at",
            "closes_at",
            "number_of_awards",
            "reviewers_per_application",
            "support_offered",
        ]
        help_texts = {
            "opens_at": _("In the conference's time zone."),
            "closes_at": _("In the conference's time zone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Show the stored UTC moments as wall-clock times in the conference's zone.
            zone = self.instance.time_zone
            for name in ("opens_at", "closes_at"):
                moment = getattr(self.instance, name)
                self.initial[name] = timezone.make_naive(moment, zone)

    def clean(self):
        cleaned = super().clean()
        conference = cleaned.get("conference")
        if conference is None:
            return cleaned
        zone = zoneinfo.ZoneInfo(conference.time_zone)
        for name in ("opens_at", "closes_at"):
            moment = cleaned.get(name)
            if moment is not None:
                # Django read the input in the active time zone; read it again as a
                # wall-clock time at the venue.
                wall_clock = timezone.make_naive(moment, timezone.get_current_timezone())
                cleaned[name] = timezone.make_aware(wall_clock, zone)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("A call must close after it opens."))
        return cleaned
