"""Inspection photos: checked by content, re-encoded without metadata, stored by hash on disk."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: what many phone cameras write
MAX_SIDE = 2048
THUMB_SIDE = 320
JPEG_QUALITY = 85
Image.MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs


class PhotoError(ValueError):
    """A file that is not an acceptable photo; the message is for the inspector."""


@dataclass(frozen=True)
class StoredPhoto:
    relative_path: str
    sha256: str
    width: int
    height: int
    size_bytes: int


def store_photo(data: bytes, folder: Path, max_bytes: int) -> StoredPhoto:
    """Check, re-encode (EXIF and every other metadata dropped, orientation applied) and store a
    photo and its thumbnail under ``folder``; the name is the hash of the stored image."""
    if len(data) > max_bytes:
        raise PhotoError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoError("not_a_photo")
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise PhotoError("not_a_photo") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    encoded = io.BytesIO()
    image.save(encoded, "JPEG", quality=JPEG_QUALITY, optimize=True)  # a fresh file: no EXIF, no GPS
    payload = encoded.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    relative = Path(digest[:2]) / f"{digest}.jpg"
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        _write_atomically(target, payload)
    ensure_thumbnail(folder, str(relative), image)
    return StoredPhoto(str(relative), digest, image.width, image.height, len(payload))


def _write_atomically(target: Path, payload: bytes) -> None:
    """Write ``payload`` to ``target`` durably: on disk before the inspection that names it is
    committed, never half a file under its final name, and safe when two requests store the same
    photo at once (each writes its own temporary file; the second rename replaces the first file
    with the same bytes)."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def thumbnail_path(relative_path: str) -> str:
    return relative_path.replace(".jpg", ".thumb.jpg")


def ensure_thumbnail(folder: Path, relative_path: str, image: Image.Image | None = None) -> bool:
    """Make the thumbnail of a stored photo if it is missing (a crash between the two files, or a
    thumbnail removed from disk), from ``image`` or else from the stored photo. Returns whether the
    thumbnail exists afterwards (False when the photo itself is missing)."""
    thumb_file = folder / thumbnail_path(relative_path)
    if thumb_file.exists():
        return True
    if image is None:
        try:
            with Image.open(folder / relative_path) as stored:
                image = stored.convert("RGB")
        except (UnidentifiedImageError, OSError):  # the photo itself is gone or unreadable
            return False
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    encoded = io.BytesIO()
    thumb.save(encoded, "JPEG", quality=80)
    _write_atomically(thumb_file, encoded.getvalue())
    return True
