"""A django-formtools storage that keeps a wizard's answers in the draft application row.

Django's sessions are signed, not encrypted, so formtools' session and cookie storages
would leave applicants' answers readable in the session table and its backups. Here
the answers live in `Application.draft` (an encrypted field), addressed by the
application in the URL: two tabs on two applications never share anything, and a
step saved in one tab reads the row under a lock held until it is written (the view
takes it on every POST), so a save in another tab waits and keeps it.
Uploads wait in private storage under the application's own folder until submission.
"""

import uuid
from pathlib import PurePath

from django.db import transaction
from formtools.wizard.storage.base import BaseStorage

from .models import Application

UPLOAD_FOLDER = "wizard"


def upload_folder(application):
    return f"{UPLOAD_FOLDER}/{application.public_id.hex}"


class ApplicationDraftStorage(BaseStorage):
    """The wizard's storage in `application.draft`. A request that changes steps (a POST)
    read the application under a row lock held until its save, so the draft it holds
    is the latest and is written back as it stands."""

    def __init__(self, application, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.application = application
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
        """Write the draft into the row, if this request changed a step."""
        if not self._changed_steps:
            return
        Application.objects.filter(pk=self.application.pk).update(draft=self.data)
        self.application.draft = self.data
        self._changed_steps = set()

    def update_response(self, response):
        # Files replaced or cleared in this request go once the row no longer names them.
        self.save()
        removed, self._removed_files = self._removed_files, []
        transaction.on_commit(lambda: [self.file_storage.delete(name) for name in removed])
        super().update_response(response)
