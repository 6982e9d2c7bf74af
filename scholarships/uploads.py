"""Uploaded documents: accepted by what they contain, not by their names, and kept private."""

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A small file can unpack into a huge picture; 40 megapixels is more than any phone.
MAX_IMAGE_PIXELS = 40_000_000

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
    place it was taken). Returns the file to store; storage names it at random.
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
        return ContentFile(content, name=get_valid_filename(upload.name))
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError("too many pixels")
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
    # The name is shown to its author only; storage gives the file a random one.
    return ContentFile(output.getvalue(), name=get_valid_filename(upload.name))
