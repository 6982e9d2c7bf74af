"""The coordinators' pages: meetings, whom they invite, when, who came; CSV export."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import log_action
from accounts.reauth import recent_authentication_required
from scholarships.views.ranking import spreadsheet_safe

from ..enums import Rsvp
from ..forms import MeetingForm, SlotSearchForm
from ..queries import meetings_visible_to, seats_taken, slot_candidates
from ..services import (
    MeetingError,
    add_participants,
    cancel_meeting,
    change_meeting,
    create_meeting,
    mark_attendance,
    send_invitations,
)
from ..slot_table import local_time_rows

MANAGE = "meetings.manage_meetings"


def managed_meeting(request, public_id):
    return get_object_or_404(meetings_visible_to(request.user), public_id=public_id)


@permission_required(MANAGE, raise_exception=True)
def meeting_manage_list(request):
    meetings = meetings_visible_to(request.user).annotate(
        invited=Count("invitations", filter=Q(invitations__sent_sequence__isnull=False)),
        coming=Count(
            "invitations", filter=Q(invitations__rsvp=Rsvp.YES, invitations__waitlisted=False)
        ),
    )
    return render(request, "meetings/meeting_manage_list.html", {"meetings": meetings})


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        groups, people = form.participants()
        meeting = create_meeting(
            conference=form.cleaned_data["conference"],
            by=request.user,
            groups=groups,
            people=people,
            **form.meeting_fields(),
        )
        messages.success(
            request, _("The meeting is saved. Find a time, then send the invitations.")
        )
        return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)
    return render(request, "meetings/meeting_form.html", {"form": form})


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, public_id):
    meeting = managed_meeting(request, public_id)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        groups, people = form.participants()
        try:
            # The change and the people added are saved together, or neither is.
            with transaction.atomic():
                change_meeting(meeting, by=request.user, **form.meeting_fields())
                add_participants(meeting, groups=groups, people=people)
        except MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The meeting is saved. Those invited get the changes."))
        return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)
    if request.method == "POST":
        # Validation wrote the rejected input onto the instance; show the stored one.
        meeting.refresh_from_db()
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@permission_required(MANAGE, raise_exception=True)
def meeting_manage_detail(request, public_id):
    meeting = managed_meeting(request, public_id)
    invitations = meeting.invitations.select_related("user").order_by("user__display_name", "pk")
    return render(
        request,
        "meetings/meeting_manage_detail.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "groups": meeting.groups.select_related("call"),
            "seats_taken": seats_taken(meeting),
            "unsent": sum(1 for i in invitations if i.sent_sequence != meeting.sequence),
        },
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def meeting_send(request, public_id):
    meeting = managed_meeting(request, public_id)
    try:
        count = send_invitations(meeting, by=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", count)
            % {"count": count},
        )
    return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, public_id):
    meeting = managed_meeting(request, public_id)
    if request.method == "POST":
        try:
            cancel_meeting(meeting, by=request.user)
        except MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The meeting is cancelled; those invited are told."))
        return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting})


@require_POST
@permission_required(MANAGE, raise_exception=True)
def meeting_attendance(request, public_id):
    meeting = managed_meeting(request, public_id)
    chosen = [pk for pk in request.POST.getlist("present") if pk.isdigit()]
    # Only this meeting's invitations count: another meeting's ids are ignored.
    present = meeting.invitations.filter(pk__in=chosen).values_list("pk", flat=True)
    mark_attendance(meeting, present=present, by=request.user)
    messages.success(request, _("Attendance is saved."))
    return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)


@permission_required(MANAGE, raise_exception=True)
@recent_authentication_required
def meeting_export(request, public_id):
    """Invitations, answers and attendance as CSV (cells made inert for spreadsheets)."""
    meeting = managed_meeting(request, public_id)
    log_action(actor=request.user, action="meeting.exported", obj=meeting)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["name", "email", "language", "time_zone", "answer", "waiting", "invited_at", "attended"]
    )
    for invitation in meeting.invitations.select_related("user").order_by("user__display_name"):
        user = invitation.user
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    user.display_name,
                    user.email,
                    user.preferred_language,
                    user.time_zone,
                    invitation.rsvp,
                    "yes" if invitation.waitlisted else "",
                    invitation.invited_at.isoformat() if invitation.invited_at else "",
                    {True: "yes", False: "no", None: ""}[invitation.attended],
                )
            ]
        )
    return response


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_slots(request, public_id):
    """Rank start times for everyone the meeting invites; a POST takes one of them."""
    meeting = managed_meeting(request, public_id)
    if request.method == "POST":
        start = parse_datetime(request.POST.get("start", ""))
        if start is None or timezone.is_naive(start) or start <= timezone.now():
            messages.error(request, _("Choose one of the times offered."))
        else:
            try:
                change_meeting(meeting, by=request.user, starts_at=start)
            except MeetingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The meeting's time is changed."))
        return redirect("meetings:meeting-manage-detail", public_id=meeting.public_id)
    today = timezone.localdate()
    form = SlotSearchForm(
        request.GET or None,
        initial={"first_day": today + timedelta(days=1), "last_day": today + timedelta(days=14)},
    )
    context = {"meeting": meeting, "form": form}
    if form.is_valid():
        first, last = form.window(meeting.time_zone)
        candidates, rows, travel_gaps = slot_candidates(
            meeting,
            first=first,
            last=last,
            step=form.cleaned_data["step"],
            allow_weekends=form.cleaned_data["allow_weekends"],
        )
        context.update(
            candidates=candidates,
            rows=local_time_rows(rows),
            travel_gaps=[travel_gaps.get(c.start, []) for c in candidates] if travel_gaps else None,
            travel_known=travel_gaps is not None,
            total=len(rows),
        )
    return render(request, "meetings/meeting_slots.html", context)
