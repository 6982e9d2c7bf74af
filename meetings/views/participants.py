"""A participant's meetings, in their own time zone: list, details, answer, calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..enums import Rsvp
from ..forms import AnswerForm, MeetingHoursForm
from ..ics import calendar_attachment
from ..models import MeetingHours
from ..queries import invitations_of
from ..services import (
    MeetingError,
    answer_invitation,
    invitation_from_token,
    set_meeting_hours,
)
from ..slots import DEFAULT_EARLIEST, DEFAULT_LATEST


def answer_message(invitation):
    if invitation.waitlisted:
        return _(
            "Every seat is taken: you are on the waiting list, and we will write if one frees up."
        )
    if invitation.rsvp == Rsvp.YES:
        return _("Thank you: your seat is kept.")
    if invitation.rsvp == Rsvp.MAYBE:
        return _("Thank you: we noted “maybe”.")
    return _("Thank you: we noted that you cannot come.")


def my_meetings(request):
    invitations = list(invitations_of(request.user).order_by("meeting__starts_at"))
    now = timezone.now()
    return render(
        request,
        "meetings/my_meetings.html",
        {
            "upcoming": [i for i in invitations if i.meeting.ends_at > now],
            "past": [i for i in invitations if i.meeting.ends_at <= now],
            "hours": MeetingHours.objects.filter(user=request.user).first(),
            "default_hours": (DEFAULT_EARLIEST, DEFAULT_LATEST),
            "time_zone": request.user.time_zone,
        },
    )


def meeting_detail(request, public_id):
    invitation = get_object_or_404(invitations_of(request.user), meeting__public_id=public_id)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "form": AnswerForm(
                initial={"answer": invitation.rsvp if invitation.rsvp != Rsvp.NONE else None}
            ),
            "can_answer": not invitation.meeting.is_cancelled
            and invitation.meeting.starts_at > timezone.now(),
            "time_zone": request.user.time_zone,
        },
    )


@require_POST
def meeting_answer(request, public_id):
    invitation = get_object_or_404(invitations_of(request.user), meeting__public_id=public_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, maybe or no."))
        return redirect(invitation.meeting)
    try:
        invitation = answer_invitation(
            invitation, answer=form.cleaned_data["answer"], by=request.user
        )
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, answer_message(invitation))
    return redirect(invitation.meeting)


@never_cache
def meeting_calendar(request, public_id):
    """The meeting's calendar file, for the participant's own calendar."""
    invitation = get_object_or_404(invitations_of(request.user), meeting__public_id=public_id)
    filename, content, mimetype = calendar_attachment(
        invitation.meeting, language=request.user.preferred_language, attendee=request.user
    )
    response = HttpResponse(content.encode("utf-8"), content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def rsvp_link(request, token):
    """Answer from the email, signed in or not: the signed link is the key.

    A GET only shows the question (mail scanners open links); the answer is a POST.
    A changed or expired link changes nothing and says so.
    """
    try:
        invitation = invitation_from_token(token)
    except MeetingError as error:
        return render(request, "meetings/rsvp_link.html", {"problem": str(error)}, status=400)
    person = invitation.user
    # The page speaks the invited person's language and time, signed in or not.
    with translation.override(person.preferred_language), timezone.override(person.time_zone):
        context = {
            "meeting": invitation.meeting,
            "invitation": invitation,
            "time_zone": person.time_zone,
        }
        form = AnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = answer_invitation(
                    invitation, answer=form.cleaned_data["answer"], by=person
                )
            except MeetingError as error:
                context["problem"] = str(error)
                return render(request, "meetings/rsvp_link.html", context, status=400)
            context["done"] = answer_message(invitation)
        else:
            context["form"] = form
        return render(request, "meetings/rsvp_link.html", context)


@require_http_methods(["GET", "POST"])
def meeting_hours(request):
    hours = MeetingHours.objects.filter(user=request.user).first()
    initial = {
        "earliest": hours.earliest if hours else DEFAULT_EARLIEST,
        "latest": hours.latest if hours else DEFAULT_LATEST,
    }
    form = MeetingHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_meeting_hours(request.user, **form.cleaned_data)
        except MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your hours for meetings are saved."))
            return redirect("meetings:my-meetings")
    return render(
        request,
        "meetings/meeting_hours.html",
        {"form": form, "time_zone": request.user.time_zone},
    )
