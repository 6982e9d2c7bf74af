"""Who may do what: the one vocabulary of permissions for the whole portal.

Predicates are combined with `&` and `|` in each app's `rules.py`; the same
permission hides a button in a template (`{% has_perm %}`) and guards the view or
service. Staff roles are granted by an admin in the user's record.
"""

import rules


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.is_active and user.is_reviewer


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.is_active and user.is_coordinator


@rules.predicate
def is_finance(user):
    return user.is_authenticated and user.is_active and user.is_finance


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated and user.is_active


@rules.predicate
def is_self(user, other):
    return other is not None and user.pk == other.pk


is_staff_role = is_reviewer | is_coordinator | is_finance


@rules.predicate
def is_admin_site_user(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser)


# Who must give a second factor at every login (applicants may choose to).
needs_second_factor = is_staff_role | is_admin_site_user

rules.add_perm("accounts.view_own_profile", is_signed_in)
rules.add_perm("accounts.edit_profile", is_self)
rules.add_perm("accounts.read_audit_log", is_coordinator)
