from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from config.fields import EncryptedJSONField, EncryptedTextField


def encrypted_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
    ]


class Command(BaseCommand):
    help = (
        "Encrypt every encrypted field again with the newest key of FIELD_ENCRYPTION_KEYS. "
        "Put the new key first, run this, then remove the old key."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            names = encrypted_fields(model)
            if not names:
                continue
            count = 0
            with transaction.atomic():
                # Reading decrypts with any configured key; writing encrypts with the newest.
                for row in model.objects.select_for_update().values("pk", *names).iterator():
                    pk = row.pop("pk")
                    model.objects.filter(pk=pk).update(**row)
                    count += 1
            self.stdout.write(f"{model._meta.label}: {count} row(s) rotated.")
