import rules

from accounts.rules import is_coordinator, is_reviewer

from .enums import CallStatus


@rules.predicate
def is_published(user, call):
    return call is not None and call.status == CallStatus.PUBLISHED


rules.add_perm("scholarships.see_call", is_published | is_coordinator)
rules.add_perm("scholarships.manage_calls", is_coordinator)
rules.add_perm("scholarships.review", is_reviewer)
