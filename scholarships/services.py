"""Every write to calls: one function per change of state."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from .enums import CALL_TRANSITIONS
from .models import Call

logger = logging.getLogger(__name__)


class ScholarshipError(Exception):
    """A change that the rules of the portal refuse; the message is shown to the user."""


def change_call_status(call, *, to, by):
    """Move a call to status `to` if CALL_TRANSITIONS allows it from its current status.

    Side effects: the call row is locked and saved with its new status; a log line
    names who made the change. Raises
    ScholarshipError (translated) when the change is not allowed.
    """
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if to not in CALL_TRANSITIONS[locked.status]:
            raise ScholarshipError(
                _("A call cannot go from “%(current)s” to “%(target)s”.")
                % {"current": locked.get_status_display(), "target": to.label}
            )
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
    logger.info("Call %s moved to %s by user %s", call.pk, to, by.pk)
    call.status = locked.status
    return call
