"""Reusable reads: whose meetings, which people a group means, who is busy when."""

import zoneinfo

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.rules import is_coordinator
from scholarships.queries import accepted_award

from .enums import GroupKind, MeetingStatus, Rsvp
from .models import Invitation, MeetingHours, PrepMeeting
from .slots import DEFAULT_EARLIEST, DEFAULT_LATEST, Participant, local_times, rank_slots
from .travel import travel_dates_for


def meetings_visible_to(user):
    """Every meeting for coordinators; none for anyone else."""
    if is_coordinator(user):
        return PrepMeeting.objects.select_related("conference")
    return PrepMeeting.objects.none()


def invitations_of(user):
    """A person's own invitations that were sent to them, with their meetings."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user, sent_sequence__isnull=False).select_related(
        "meeting", "meeting__conference"
    )


def members_of_group(group):
    """The active accounts a group of participants means today."""
    users = get_user_model().objects.filter(is_active=True)
    # Awardees are those who accepted their award: an award not yet released, or not yet
    # answered, must not show through a meeting invitation.
    accepted = accepted_award("applications__") & Q(applications__call=group.call_id)
    if group.kind == GroupKind.CALL_AWARDEES:
        return users.filter(accepted).distinct()
    if group.kind == GroupKind.REGION_AWARDEES:
        return users.filter(accepted, applications__region=group.region).distinct()
    if group.kind == GroupKind.REVIEWERS:
        return users.filter(is_reviewer=True)
    if group.kind == GroupKind.STAFF:
        return users.filter(Q(is_coordinator=True) | Q(is_finance=True))
    return users.none()


def participant_ids_for(meeting):
    """Everyone the meeting invites: its invitations and the members of its groups."""
    ids = set(meeting.invitations.values_list("user_id", flat=True))
    for group in meeting.groups.all():
        ids.update(members_of_group(group).values_list("pk", flat=True))
    return ids


def hours_for(user_ids):
    """{user id: (earliest, latest)}, the default hours for those who set none."""
    hours = dict.fromkeys(user_ids, (DEFAULT_EARLIEST, DEFAULT_LATEST))
    for user_id, earliest, latest in MeetingHours.objects.filter(user__in=user_ids).values_list(
        "user_id", "earliest", "latest"
    ):
        hours[user_id] = (earliest, latest)
    return hours


def busy_intervals(user_ids, *, first, last, exclude=None):
    """(start, end) of the other scheduled meetings these people have not declined."""
    meetings = PrepMeeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        starts_at__lt=last,
        # One filter() call: the same invitation is theirs and not declined.
        invitations__user__in=user_ids,
        invitations__rsvp__in=[Rsvp.NONE, Rsvp.YES, Rsvp.MAYBE],
    ).distinct()
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude.pk)
    return [
        (meeting.starts_at, meeting.ends_at)
        for meeting in meetings.only("starts_at", "duration_minutes")
        if meeting.ends_at > first
    ]


def seats_taken(meeting):
    return meeting.invitations.filter(rsvp=Rsvp.YES, waitlisted=False).count()


def slot_candidates(meeting, *, first, last, step=30, allow_weekends=False, limit=5):
    """The best start times for `meeting` between `first` and `last`, with each
    participant's local time at each, and (in person) whose travel does not cover it.

    Returns (candidates, rows, travel_gaps): rows are (user, [LocalTime per
    candidate]), the LocalTimes shared by everyone of the same time zone and hours (their
    key is that group, not the user); travel_gaps maps a candidate's start to the users
    whose known travel dates miss it, or is None when no travel dates are known.
    """
    user_ids = participant_ids_for(meeting)
    users = list(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .only("display_name", "time_zone")
        .order_by("display_name", "pk")
    )
    hours = hours_for(user_ids)
    participants = [
        Participant(user.pk, user.time_zone or "UTC", *hours[user.pk]) for user in users
    ]
    busy = busy_intervals(user_ids, first=first, last=last, exclude=meeting)
    candidates = rank_slots(
        participants,
        first=first,
        last=last,
        duration=meeting.duration,
        step=step,
        busy=busy,
        allow_weekends=allow_weekends,
        limit=limit,
        spread=True,
    )
    # Everyone with the same time zone and hours sees a candidate alike: one view for
    # each such group, keyed by (zone, earliest, latest).
    group_of_person = [(person.zone, person.earliest, person.latest) for person in participants]
    groups = [Participant(group, *group) for group in dict.fromkeys(group_of_person)]
    views = [
        {
            view.key: view
            for view in local_times(groups, candidate.start, meeting.duration, allow_weekends)
        }
        for candidate in candidates
    ]
    views_of_group = {group.key: [by_group[group.key] for by_group in views] for group in groups}
    rows = [
        (user, views_of_group[group]) for user, group in zip(users, group_of_person, strict=True)
    ]
    travel_gaps = None
    if not meeting.is_online:
        dates = travel_dates_for(meeting.conference, user_ids)
        if dates is not None:
            travel_gaps = {}
            venue = zoneinfo.ZoneInfo(meeting.conference.time_zone)
            for candidate in candidates:
                day = candidate.start.astimezone(venue).date()
                travel_gaps[candidate.start] = [
                    user
                    for user in users
                    if user.pk not in dates or not dates[user.pk][0] <= day <= dates[user.pk][1]
                ]
    return candidates, rows, travel_gaps
