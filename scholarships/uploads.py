"""Uploaded documents: accepted by what they contain, not by their names, and kept private."""

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Signature at the start of the file → (kind, extensions allowed for it).
SIGNATURES = [
    (b"%PDF-", "pdf", {".pdf"}),
    (b"\xff\xd8\xff", "jpeg", {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "png", {".png"}),
]


def detect_kind(head):
    for signature, kind, _extensions in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def validate_document(upload):
    """Accept a PDF, JPEG or PNG up to 5 MB whose content matches its name.

    Images are re-encoded without their metadata (a photo's EXIF can hold the
    place it was taken). Returns the file to store, under a random name.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_kind(head)
    extension = PurePath(upload.name or "").suffix.lower()
    allowed = {ext for _sig, k, exts in SIGNATURES if k == kind for ext in exts}
    if kind is None or extension not in allowed:
        raise ValidationError(
            _("Please upload a PDF, JPEG or PNG file."), code="invalid_document_type"
        )
    if kind == "pdf":
        content = upload.read()
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(
                _("This PDF file seems damaged. Please save it again and upload it."),
                code="damaged_pdf",
            )
        return ContentFile(content, name=f"{uuid.uuid4().hex}.pdf")
    try:
        with Image.open(upload) as image:
            image.load()
            output = io.BytesIO()
            # Saving anew writes the pixels only: no EXIF, no text chunks.
            if kind == "jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(output, format="JPEG", quality=90)
            else:
                image.save(output, format="PNG")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise ValidationError(
            _("This image seems damaged. Please save it again and upload it."),
            code="damaged_image",
        ) from error
    suffix = "jpg" if kind == "jpeg" else "png"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{suffix}")
