import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from i18nfield.forms import I18nModelForm

from config.widgets import (
    CountryChoiceField,
    QuickCheckboxSelectMultiple,
    QuickRadioSelect,
)

from .enums import Gender, Recommendation, SpokenLanguage, SupportKind, YesNoUnsure
from .models import Call
from .uploads import validate_document
from .validators import MaxWordsValidator


class CallForm(I18nModelForm):
    """A call, with its opening and closing entered in the conference's time zone."""

    support_offered = forms.MultipleChoiceField(
        label=_("Kinds of support offered"),
        choices=SupportKind.choices,
        widget=QuickCheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "conference",
            "slug",
            "title",
            "public_name",
            "summary",
            "description",
            "eligibility",
            "opens_at",
            "closes_at",
            "number_of_awards",
            "reviewers_per_application",
            "support_offered",
            "retention_days",
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


# The application wizard's steps, in order. Each form takes the call.


def step_data(form):
    """What the wizard stores of a step: the posted values of this form's fields only."""
    return {
        form.add_prefix(name): form.data.getlist(form.add_prefix(name))
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField) and form.add_prefix(name) in form.data
    }


class CallStepForm(forms.Form):
    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityForm(CallStepForm):
    title = _("Can you apply?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(self.call.eligibility_questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=str(question.text), choices=YES_NO, widget=QuickRadioSelect
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.failed_questions():
            raise forms.ValidationError(
                _("From your answers, this call is not open to you."), code="ineligible"
            )
        return cleaned

    def failed_questions(self):
        """The questions whose answer makes the person ineligible (after validation)."""
        return [
            question
            for question in self.questions
            if (self.cleaned_data.get(f"q{question.pk}") == "yes") != question.required_answer
        ]


class AboutForm(CallStepForm):
    title = _("About you")

    country_of_residence = CountryField().formfield(
        label=_("Country where you live"),
        choices_form_class=CountryChoiceField,
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        widget=QuickRadioSelect,
        help_text=_("Used only to keep the delegation balanced."),
    )
    gender_self_description = forms.CharField(
        label=_("Your gender in your own words (optional)"), max_length=100, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SpokenLanguage.choices,
        widget=QuickCheckboxSelectMultiple,
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        help_text=_("For example a wheelchair, sign language or a dietary need."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganisationForm(CallStepForm):
    title = _("Your organisation and experience")

    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_is_sex_worker_led = forms.ChoiceField(
        label=_("Is the organisation led by its own community members?"),
        choices=YesNoUnsure.choices,
        widget=QuickRadioSelect,
    )
    role = forms.CharField(label=_("Your role in the organisation"), max_length=200)
    first_time_attendee = forms.TypedChoiceField(
        label=_("Would this be your first time at this kind of event?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=QuickRadioSelect,
    )
    previous_scholarships = forms.CharField(
        label=_("Scholarships you had before (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MotivationForm(CallStepForm):
    title = _("Your motivation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in self.call.motivation_questions.all():
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=str(question.text),
                help_text=_("At most %(limit)d words.") % {"limit": question.word_limit}
                + (f" {question.help_text}" if question.help_text else ""),
                required=question.required,
                max_length=question.word_limit * 20,
                validators=[MaxWordsValidator(question.word_limit)],
                widget=forms.Textarea(attrs={"rows": 6, "data-word-limit": question.word_limit}),
            )

    def answers(self):
        return {name.removeprefix("q"): value for name, value in self.cleaned_data.items()}


class TravelForm(CallStepForm):
    title = _("Travel")

    departure_city = forms.CharField(label=_("City you would travel from"), max_length=100)
    departure_country = CountryField().formfield(
        label=_("Country you would travel from"),
        choices_form_class=CountryChoiceField,
    )
    visa_needed = forms.ChoiceField(
        label=_("Would you need a visa?"), choices=YesNoUnsure.choices, widget=QuickRadioSelect
    )
    support_requested = forms.MultipleChoiceField(
        label=_("What do you need the scholarship to cover?"),
        widget=QuickCheckboxSelectMultiple,
    )
    other_funding = forms.CharField(
        label=_("Other funding you have or asked for (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_requested"].choices = [
            (kind.value, kind.label)
            for kind in SupportKind
            if kind.value in self.call.support_offered
        ]


class DocumentsForm(CallStepForm):
    title = _("Support letter")

    support_letter = forms.FileField(
        label=_("A letter of support from your organisation (optional)"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_letter = forms.BooleanField(label=_("Remove the letter I uploaded"), required=False)

    def clean_support_letter(self):
        upload = self.cleaned_data.get("support_letter")
        if not upload:
            return upload
        return validate_document(upload)


class ReviewForm(CallStepForm):
    title = _("Check and send")

    consent = forms.BooleanField(
        label=_("I have read how my data is used and kept, and I agree."),
        error_messages={"required": _("Please agree to how your data is used before you send.")},
    )


APPLICATION_STEPS = [
    ("eligibility", EligibilityForm),
    ("about", AboutForm),
    ("organisation", OrganisationForm),
    ("motivation", MotivationForm),
    ("travel", TravelForm),
    ("documents", DocumentsForm),
    ("review", ReviewForm),
]


class ReviewForm(forms.Form):
    """A reviewer's scores, one radio group per criterion of the call's rubric."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Other reviewers read it once they have submitted their own review."),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        required=False,
        widget=QuickRadioSelect,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion.name),
                help_text=str(criterion.guidance) if criterion.guidance else "",
                choices=[(n, str(n)) for n in range(1, criterion.scale + 1)],
                coerce=int,
                required=False,
                widget=QuickRadioSelect,
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["recommendation", "comment"])

    def scores(self):
        return {
            str(c.pk): self.cleaned_data[f"c{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"c{c.pk}") not in (None, "")
        }


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates only."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def after_today(value):
    if value <= timezone.localdate():
        raise forms.ValidationError(_("Choose a date after today."), code="not_future")
    return value


class AwardChoiceForm(forms.Form):
    """One proposed person on the confirmation page: a full or partial award, or the
    waitlist."""

    application = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("full", _("Full award")),
            ("partial", _("Partial award")),
            ("waitlist", _("Waitlist instead")),
        ],
    )
    covers = forms.MultipleChoiceField(
        label=_("A partial award pays for"),
        choices=SupportKind.choices,
        required=False,
        widget=QuickCheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "partial" and not cleaned.get("covers"):
            self.add_error("covers", _("Choose what a partial award pays for."))
        return cleaned


AwardChoiceFormSet = forms.formset_factory(AwardChoiceForm, extra=0)


class ConfirmDecisionsForm(forms.Form):
    reply_by = forms.DateField(
        label=_("Awardees reply by"), widget=DateInput, validators=[after_today]
    )
    waitlist_size = forms.IntegerField(
        label=_("People on the waitlist"), min_value=0, max_value=500, initial=20
    )


class OfferPlaceForm(forms.Form):
    application = forms.UUIDField(widget=forms.HiddenInput)
    reply_by = forms.DateField(label=_("Reply by"), widget=DateInput, validators=[after_today])


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    understood = forms.BooleanField(
        label=_("I understand that my place will go to someone else."), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == "decline" and not cleaned.get("understood"):
            self.add_error(
                "understood", _("Tick the box to confirm that you decline the scholarship.")
            )
        return cleaned


class TravellerForm(forms.Form):
    """What a visa letter and a ticket need: asked only after an award is accepted."""

    legal_name = forms.CharField(label=_("Your name exactly as in your passport"), max_length=200)
    nationality = CountryField().formfield(
        label=_("Nationality (as in your passport)"),
        choices_form_class=CountryChoiceField,
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    passport_number = forms.RegexField(
        label=_("Passport number"),
        regex=r"^[A-Za-z0-9]{5,20}$",
        error_messages={"invalid": _("Letters and digits only, as printed in the passport.")},
    )
    passport_expires_on = forms.DateField(label=_("Passport valid until"), widget=DateInput)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate() or born.year < 1900:
            raise forms.ValidationError(_("Check the date of birth."), code="invalid_birth")
        return born

    def clean_passport_expires_on(self):
        expires = self.cleaned_data["passport_expires_on"]
        if expires <= self.conference.end_date:
            raise forms.ValidationError(
                _(
                    "The passport must still be valid after the conference: most countries "
                    "ask for six months. Please renew it and write to the coordinator."
                ),
                code="passport_expires",
            )
        return expires

    def clean_passport_number(self):
        return self.cleaned_data["passport_number"].upper()
