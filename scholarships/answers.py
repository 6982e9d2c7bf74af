"""An application's answers as the applicant saw the questions, in the reader's language.

One place renders answers for the review step, the applicant's own page and the
coordinator's page: each step's form gives the labels and the choices' names.
"""

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django_countries import countries

from config.widgets import CountryChoiceField

from .enums import ApplicationStatus
from .forms import APPLICATION_STEPS

# The steps whose answers are shown (not the screening questions, nor the consent).
ANSWER_STEPS = [
    (name, form) for name, form in APPLICATION_STEPS if name not in ("eligibility", "review")
]
NOT_SHOWN = {"remove_letter", "support_letter"}


def display_value(field, value):
    """One answer as text."""
    if hasattr(value, "code"):  # a django-countries Country
        value = value.code
    if value in (None, "", [], {}):
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(field, CountryChoiceField):  # looked up, not found among some 250
        return countries.name(value) or str(value)
    choices = {str(key): label for key, label in (getattr(field, "choices", None) or [])}
    if isinstance(value, list):
        return ", ".join(str(choices.get(str(item), item)) for item in value)
    if choices:
        return str(choices.get(str(value), value))
    return str(value)


def submitted_values(application, name, form):
    if name == "motivation":
        return {f"q{key}": text for key, text in (application.motivation or {}).items()}
    return {
        field_name: getattr(application, field_name)
        for field_name in form.fields
        if hasattr(application, field_name)
    }


def answer_sections(application, *, call=None, step_data=None, hidden=frozenset()):
    """[{"name", "title", "rows": [(label, text)]}] for the steps that hold answers.

    A draft's answers come from its saved steps (`step_data`, or the row's draft); a
    submitted application's from its fields. Fields named in `hidden` are left out (a
    reviewer does not see who the applicant is).
    """
    call = call or application.call
    if step_data is None and application.status == ApplicationStatus.DRAFT:
        step_data = (application.draft or {}).get("step_data", {})
    sections = []
    for name, form_class in ANSWER_STEPS:
        if application.status != ApplicationStatus.DRAFT:
            form = form_class(call=call, prefix=name)
            values = submitted_values(application, name, form)
        elif name in step_data:
            # One form per step gives both the labels and the checked values.
            form = form_class(MultiValueDict(step_data[name]), call=call, prefix=name)
            values = form.cleaned_data if form.is_valid() else None
        else:
            form, values = form_class(call=call, prefix=name), None
        rows = (
            [
                (field.label, display_value(field, values.get(field_name)))
                for field_name, field in form.fields.items()
                if field_name not in NOT_SHOWN and field_name not in hidden
            ]
            if values is not None
            else []
        )
        if name == "documents" and "support_letter" in hidden:
            continue
        if name == "documents":
            has_letter = bool(application.support_letter) or bool(
                (application.draft or {}).get("step_files", {}).get("documents")
            )
            rows = [
                (
                    form.fields["support_letter"].label,
                    _("A file is attached.") if has_letter else "—",
                )
            ]
        sections.append({"name": name, "title": form_class.title, "rows": rows})
    return sections
