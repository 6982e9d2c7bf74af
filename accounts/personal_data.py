"""Everything the portal holds about a person: to give them a copy, or to erase it.

Each app that keeps personal data registers an exporter and an eraser here (in its
AppConfig.ready), so that this lower app never imports the higher ones.
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


_providers = {}


def register(name, *, export, erase):
    _providers[name] = Provider(name, export, erase)


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
    audit entry records the erasure under an opaque number.
    """
    with transaction.atomic():
        for provider in _providers.values():
            provider.erase(user)
        OutgoingEmail.objects.filter(user=user).delete()
        OutgoingEmail.objects.filter(recipient__iexact=user.email).delete()
        number = user.pk
        user.delete()
        log_action(actor=None, action="account.erased", data={"account": number})
