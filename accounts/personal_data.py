"""Everything the portal holds about a person: to give them a copy, or to erase it.

Each app that keeps personal data registers an exporter and an eraser here (in its
AppConfig.ready), so that this lower app never imports the higher ones; and, if some of
its records must keep who someone was, `blockers`: why their account cannot be erased.
"""

from dataclasses import dataclass

from django.db import transaction

from notifications.models import OutgoingEmail

from .audit import log_action


@dataclass(frozen=True)
class Provider:
    name: str
    export: callable
    erase: callable
    # user -> translated sentences saying why the account cannot be erased (empty: it can).
    blockers: callable = None


class ErasureRefused(Exception):
    """The account cannot be erased; `reasons` are translated sentences for the person."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(" ".join(str(reason) for reason in self.reasons))


_providers = {}


def register(name, *, export, erase, blockers=None):
    _providers[name] = Provider(name, export, erase, blockers)


def erasure_blockers(user):
    """Why `user`'s account cannot be erased, from every provider (empty: it can)."""
    return [
        reason
        for provider in _providers.values()
        if provider.blockers is not None
        for reason in provider.blockers(user)
    ]


def export_personal_data(user):
    """A JSON-ready dict of all that is held about `user`, and nothing about anyone else."""
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "country": user.country.code if user.country else "",
            "time_zone": user.time_zone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": [str(role) for role in user.roles],
        },
        "emails": [
            {
                "subject": email.subject,
                "language": email.language,
                "status": email.status,
                "created_at": email.created_at.isoformat(),
                "body": email.body,
            }
            for email in OutgoingEmail.objects.filter(user=user).order_by("created_at")
        ],
    }
    for provider in _providers.values():
        data[provider.name] = provider.export(user)
    return data


def erase_account(user):
    """Delete the account and everything personal about it.

    Side effects: every registered eraser runs (drafts deleted, submitted applications
    anonymised, money records kept without identity); the person's emails are
    deleted; the account is deleted, its audit entries kept without identity; one
    audit entry records the erasure under an opaque number. Raises ErasureRefused,
    before anything changes, when a provider says the account must stay. The erasers
    run from the app registered last to the first: an app built on another empties its
    rows while it can still find them (before the lower app cuts the link to the person).
    """
    reasons = erasure_blockers(user)
    if reasons:
        raise ErasureRefused(reasons)
    with transaction.atomic():
        for provider in reversed(_providers.values()):
            provider.erase(user)
        OutgoingEmail.objects.filter(user=user).delete()
        OutgoingEmail.objects.filter(recipient__iexact=user.email).delete()
        number = user.pk
        user.delete()
        log_action(actor=None, action="account.erased", data={"account": number})
