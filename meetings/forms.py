import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from i18nfield.forms import I18nModelForm

from conferences.enums import Region
from scholarships.models import Call

from .enums import ANSWERS, GroupKind, MeetingFormat
from .models import PrepMeeting
from .services import EDITABLE_FIELDS


class WallClockField(forms.DateTimeField):
    """A date and time as typed, in no time zone yet: the form places it in the meeting's
    zone, where a time the clocks skip or show twice is refused in words."""

    def to_python(self, value):
        with timezone.override(UTC):
            moment = super().to_python(value)
        return None if moment is None else timezone.make_naive(moment, UTC)


def in_zone(wall_clock, zone):
    """The moment `wall_clock` means in `zone`, or a ValidationError when the clocks skip
    it (spring) or show it twice (autumn)."""
    first, second = wall_clock.replace(tzinfo=zone), wall_clock.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
        raise forms.ValidationError(
            _("The clocks skip this time in that time zone. Choose another."), code="gap"
        )
    if first.utcoffset() != second.utcoffset():
        raise forms.ValidationError(
            _("This time happens twice in that time zone (the clocks go back). Choose another."),
            code="twice",
        )
    return first


class MeetingForm(I18nModelForm):
    """A meeting and whom it invites. The start is entered in the organiser's zone.

    The view hands `meeting_fields()` and `participants()` to the services; this form
    only reads and checks the input.
    """

    interpretation_languages = forms.MultipleChoiceField(
        label=_("Languages with interpretation"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    call = forms.ModelChoiceField(
        label=_("Call whose awardees are invited"),
        queryset=Call.objects.none(),
        required=False,
    )
    all_awardees = forms.BooleanField(label=_("Every awardee of that call"), required=False)
    regions = forms.MultipleChoiceField(
        label=_("Or the awardees of these regions only"),
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reviewers = forms.BooleanField(label=_("The reviewers"), required=False)
    staff = forms.BooleanField(label=_("Staff (coordinators and finance)"), required=False)
    emails = forms.CharField(
        label=_("Other people, by email address"),
        help_text=_("One address per line; each must have an account."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = PrepMeeting
        fields = [
            "conference",
            "title",
            "agenda",
            "format",
            "online_link",
            "room",
            "address",
            "time_zone",
            "starts_at",
            "duration_minutes",
            "interpretation_languages",
            "capacity",
        ]
        help_texts = {"starts_at": _("In the organiser's time zone, below.")}
        field_classes = {"starts_at": WallClockField}
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.select_related("conference")
        self.fields["time_zone"].required = False
        self.fields["time_zone"].help_text = _(
            "An IANA name such as Africa/Nairobi. Empty: the conference's."
        )
        if self.instance.pk:
            # A meeting's conference does not change; its start shows at the organiser's.
            del self.fields["conference"]
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            self.initial["starts_at"] = timezone.make_naive(self.instance.starts_at, zone)

    def clean(self):
        cleaned = super().clean()
        conference = cleaned.get("conference") or getattr(self.instance, "conference", None)
        zone_name = cleaned.get("time_zone") or (conference.time_zone if conference else "UTC")
        cleaned["time_zone"] = zone_name
        moment = cleaned.get("starts_at")
        if moment is not None:
            try:
                cleaned["starts_at"] = in_zone(moment, zoneinfo.ZoneInfo(zone_name))
            except forms.ValidationError as error:
                self.add_error("starts_at", error)
        if cleaned.get("format") == MeetingFormat.ONLINE and not cleaned.get("online_link"):
            self.add_error("online_link", _("An online meeting needs a link to join."))
        if cleaned.get("format") == MeetingFormat.IN_PERSON and not (
            cleaned.get("room") or cleaned.get("address")
        ):
            self.add_error("room", _("A meeting in person needs a room or an address."))
        if (cleaned.get("all_awardees") or cleaned.get("regions")) and not cleaned.get("call"):
            self.add_error("call", _("Choose the call whose awardees are invited."))
        return cleaned

    def clean_emails(self):
        addresses = {line.strip().lower() for line in self.cleaned_data["emails"].split()}
        addresses.discard("")
        people = list(get_user_model().objects.filter(email__in=addresses, is_active=True))
        unknown = addresses - {person.email for person in people}
        if unknown:
            raise forms.ValidationError(
                _("No account has these addresses: %(addresses)s"),
                params={"addresses": ", ".join(sorted(unknown))},
            )
        return people

    def meeting_fields(self):
        return {
            name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data
        }

    def participants(self):
        """(groups, people) for the services."""
        data = self.cleaned_data
        groups = []
        if data.get("call"):
            if data.get("all_awardees"):
                groups.append((GroupKind.CALL_AWARDEES, data["call"], ""))
            groups += [
                (GroupKind.REGION_AWARDEES, data["call"], region) for region in data["regions"]
            ]
        if data.get("reviewers"):
            groups.append((GroupKind.REVIEWERS, None, ""))
        if data.get("staff"):
            groups.append((GroupKind.STAFF, None, ""))
        return groups, data.get("emails") or []


class SlotSearchForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    step = forms.TypedChoiceField(
        label=_("Start times every"),
        choices=[(15, _("15 minutes")), (30, _("30 minutes"))],
        coerce=int,
        initial=30,
    )
    allow_weekends = forms.BooleanField(label=_("Weekends are fine"), required=False)

    MAX_DAYS = 31

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("The last day comes after the first."))
            elif (last - first).days > self.MAX_DAYS:
                self.add_error("last_day", _("Search at most 31 days at a time."))
        return cleaned

    def window(self, zone_name):
        """The search's first and last moments, from midnight to midnight in the zone."""
        zone = zoneinfo.ZoneInfo(zone_name)
        first = datetime.combine(self.cleaned_data["first_day"], time(0), zone)
        last = datetime.combine(self.cleaned_data["last_day"] + timedelta(days=1), time(0), zone)
        return max(first, timezone.now()), last


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        choices=[(answer.value, answer.label) for answer in ANSWERS],
        widget=forms.RadioSelect,
    )


class MeetingHoursForm(forms.Form):
    earliest = forms.TimeField(
        label=_("Earliest start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    latest = forms.TimeField(
        label=_("Latest end"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        if earliest and latest and latest <= earliest:
            self.add_error("latest", _("The latest end must come after the earliest start."))
        return cleaned
