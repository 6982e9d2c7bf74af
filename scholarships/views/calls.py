from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conferences.times import utc_offset_label

from ..enums import CALL_STATUS_ACTIONS, CALL_TRANSITIONS, CallStatus, SupportKind
from ..queries import calls_visible_to, open_calls, upcoming_calls, visible_call
from ..services import ScholarshipError, change_call_status


@login_not_required
def call_list(request):
    now = timezone.now()
    return render(
        request,
        "scholarships/call_list.html",
        {"open_calls": list(open_calls(now)), "upcoming_calls": list(upcoming_calls(now))},
    )


@login_not_required
def call_detail(request, slug):
    call = visible_call(request.user, slug)
    if call is None:
        raise Http404("No such call open to this person.")
    now = timezone.now()
    closes_in_call_zone = call.closes_at.astimezone(call.time_zone)
    context = {
        "call": call,
        "conference": call.conference,
        "is_open": call.is_open(now),
        "has_opened": call.has_opened(now),
        "has_closed": call.has_closed(now),
        "call_time_zone": call.conference.time_zone,
        "closes_in_call_zone": closes_in_call_zone,
        "call_offset": utc_offset_label(closes_in_call_zone),
        "opens_in_call_zone": call.opens_at.astimezone(call.time_zone),
        "support_labels": [SupportKind(kind).label for kind in call.support_offered],
    }
    if request.time_zone_known:
        closes_for_visitor = timezone.localtime(call.closes_at)
        context.update(
            closes_for_visitor=closes_for_visitor,
            visitor_time_zone=timezone.get_current_timezone_name(),
            visitor_offset=utc_offset_label(closes_for_visitor),
        )
    return render(request, "scholarships/call_detail.html", context)


@permission_required("scholarships.manage_calls", raise_exception=True)
def call_manage_list(request):
    rows = [
        {
            "call": call,
            "actions": [
                (target.value, CALL_STATUS_ACTIONS[target])
                for target in CallStatus
                if target in CALL_TRANSITIONS[call.status]
            ],
        }
        for call in calls_visible_to(request.user).order_by("-opens_at", "pk")
    ]
    return render(request, "scholarships/call_manage_list.html", {"rows": rows})


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_change_status(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    try:
        target = CallStatus(request.POST.get("status", ""))
    except ValueError:
        messages.error(request, _("Choose a status from the list."))
        return redirect("scholarships:call-manage-list")
    try:
        change_call_status(call, to=target, by=request.user)
    except ScholarshipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(call)s” is now %(status)s.")
            % {"call": call, "status": call.get_status_display()},
        )
    return redirect("scholarships:call-manage-list")
