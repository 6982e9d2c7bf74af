"""A django-formtools storage that keeps a wizard's answers in the draft application row.

Django's sessions are signed, not encrypted, so formtools' session and cookie storages
would leave applicants' answers readable in the session table and its backups. Here
the answers live in `Application.draft` (an encrypted field), addressed by the
application in the URL: two tabs on two applications never share anything, and a
step saved in one tab reads the row under a lock held until it is written, so a save in
another tab waits and keeps it (the view takes the lock; `save` merges under a lock of
its own when it was not taken).
Uploads wait in private storage under the application's own folder until submission.
"""

import uuid
from pathlib import PurePath

from django.db import transaction
from formtools.wizard.storage.base import BaseStorage

from .enums import ApplicationStatus
from .models import Application

UPLOAD_FOLDER = "wizard"


def upload_folder(application):
    return f"{UPLOAD_FOLDER}/{application.public_id.hex}"


class ApplicationDraftStorage(BaseStorage):
    """`locked`: the application was read under a row lock that lasts until the save, so
    its draft is the latest and is written back as it stands; otherwise the save locks
    the row and merges this request's steps into what it holds by then."""

    def __init__(self, application, prefix, request=None, file_storage=None, *, locked=False):
        super().__init__(prefix, request, file_storage)
        self.application = application
        self.locked = locked
        self.data = application.draft or {}
        if not self.data:
            self.init_data()
        self._changed_steps = set()
        self._removed_files = []

    def set_step_data(self, step, cleaned_data):
        super().set_step_data(step, cleaned_data)
        self._changed_steps.add(step)

    def set_step_files(self, step, files):
        step_files = self.data[self.step_files_key].setdefault(step, {})
        for field, upload in (files or {}).items():
            if field in step_files:
                self._removed_files.append(step_files[field]["tmp_name"])
            suffix = PurePath(upload.name or "").suffix.lower()
            stored = self.file_storage.save(
                f"{upload_folder(self.application)}/{uuid.uuid4().hex}{suffix}", upload
            )
            step_files[field] = {
                "tmp_name": stored,
                "name": upload.name,
                "content_type": getattr(upload, "content_type", None),
                "size": upload.size,
                "charset": None,
            }
        self._changed_steps.add(step)

    def remove_step_file(self, step, field):
        removed = self.data[self.step_files_key].get(step, {}).pop(field, None)
        if removed:
            self._removed_files.append(removed["tmp_name"])
            self._changed_steps.add(step)

    def reset(self):
        """Forget the draft after submission: its uploads go, its row is left as it is."""
        super().reset()
        self._removed_files.extend(self._tmp_files)
        self._tmp_files = []
        self._changed_steps = set()

    def completed_steps(self):
        return set(self.data[self.step_data_key])

    def save(self):
        """Write the steps this request changed into the row, keeping other tabs' steps."""
        if not self._changed_steps:
            return
        if self.locked:
            Application.objects.filter(pk=self.application.pk).update(draft=self.data)
            self.application.draft = self.data
            self._changed_steps = set()
            return
        with transaction.atomic():
            row = (
                Application.objects.select_for_update()
                .only("draft", "status")
                .get(pk=self.application.pk)
            )
            if row.status != ApplicationStatus.DRAFT:
                return
            stored = row.draft or {}
            if not stored:
                stored = dict(self.data)
            for key in (self.step_data_key, self.step_files_key):
                section = stored.setdefault(key, {})
                for step in self._changed_steps:
                    if step in self.data[key]:
                        section[step] = self.data[key][step]
                    else:
                        section.pop(step, None)
            stored[self.step_key] = self.data[self.step_key]
            Application.objects.filter(pk=row.pk).update(draft=stored)
            self.application.draft = stored
        self._changed_steps = set()

    def update_response(self, response):
        # Files replaced or cleared in this request go once the row no longer names them.
        self.save()
        removed, self._removed_files = self._removed_files, []
        transaction.on_commit(lambda: [self.file_storage.delete(name) for name in removed])
        super().update_response(response)
