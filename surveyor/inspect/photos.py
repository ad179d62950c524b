"""Inspection photos: checked by content, re-encoded without metadata, stored by hash on disk.

Decoding costs memory and time by pixels, not by bytes (a 285 KB PNG of 9999 × 9999 pixels
decodes to 300 MB), so the pixel count is read from the file's header and checked against a
budget (``SURVEYOR_MAX_PHOTO_PIXELS``, 25 million by default) before anything is decoded, and
Pillow's decompression-bomb warning counts as a refusal. A large JPEG is decoded at the smallest
scale (1/2, 1/4, 1/8) that still covers the stored size (JPEG draft mode).
"""
from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: what many phone cameras write
MAX_SIDE = 2048
THUMB_SIDE = 320
JPEG_QUALITY = 85
MAX_PIXELS = 25_000_000  # the default pixel budget of one photo (SURVEYOR_MAX_PHOTO_PIXELS)
Image.MAX_IMAGE_PIXELS = 50_000_000  # Pillow's own bomb check, a backstop behind the budget


class PhotoError(ValueError):
    """A file that is not an acceptable photo; the message is for the inspector."""


@dataclass(frozen=True)
class PhotoRules:
    """What a photo may cost: its bytes as sent, and its pixels (``width × height``) once decoded."""

    max_bytes: int = 12 * 1024 * 1024
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo checked and re-encoded in memory (the photo and its thumbnail as JPEG bytes), not yet
    on disk: every photo of an inspection is checked before any is written."""

    payload: bytes
    thumbnail: bytes
    sha256: str
    width: int
    height: int


@dataclass(frozen=True)
class StoredPhoto:
    relative_path: str
    sha256: str
    width: int
    height: int
    size_bytes: int


def check_photo(data: bytes, rules: PhotoRules = PhotoRules()) -> CheckedPhoto:
    """Check and re-encode a photo (EXIF and every other metadata dropped, orientation applied),
    writing nothing; PhotoError with a message code if it is not acceptable."""
    if len(data) > rules.max_bytes:
        raise PhotoError("too_large")
    image = _decode(data, rules.max_pixels)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    payload = _jpeg(image, JPEG_QUALITY, optimize=True)  # a fresh file: no EXIF, no GPS
    return CheckedPhoto(payload, _thumbnail(image), hashlib.sha256(payload).hexdigest(), image.width, image.height)


def save_photo(photo: CheckedPhoto, folder: Path) -> StoredPhoto:
    """Write a checked photo and its thumbnail under ``folder``, named by the photo's hash."""
    relative = Path(photo.sha256[:2]) / f"{photo.sha256}.jpg"
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        _write_atomically(target, photo.payload)
    thumb_file = folder / thumbnail_path(str(relative))
    if not thumb_file.exists():
        _write_atomically(thumb_file, photo.thumbnail)
    return StoredPhoto(str(relative), photo.sha256, photo.width, photo.height, len(photo.payload))


def store_photo(data: bytes, folder: Path, max_bytes: int, max_pixels: int = MAX_PIXELS) -> StoredPhoto:
    """Check, re-encode and store a photo and its thumbnail under ``folder`` (see :func:`check_photo`)."""
    return save_photo(check_photo(data, PhotoRules(max_bytes, max_pixels)), folder)


def _jpeg(image: Image.Image, quality: int, optimize: bool = False) -> bytes:
    encoded = io.BytesIO()
    image.save(encoded, "JPEG", quality=quality, optimize=optimize)
    return encoded.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return _jpeg(thumb, 80)


def _decode(data: bytes, max_pixels: int) -> Image.Image:
    """The photo's pixels, upright, in RGB; PhotoError before decoding for more than ``max_pixels``."""
    # catch_warnings changes the process's filters, not the thread's; a race between threads can
    # only leave bomb warnings an error for longer, and the budget is checked first anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.format not in ACCEPTED_FORMATS:
                    raise PhotoError("not_a_photo")
                width, height = image.size
                if width * height > max_pixels:
                    raise PhotoError("too_many_pixels")
                if image.format in ("JPEG", "MPO"):
                    image.draft("RGB", _stored_size(width, height))
                image.load()
                return ImageOps.exif_transpose(image).convert("RGB")
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError("too_many_pixels") from None
        except (UnidentifiedImageError, OSError):
            raise PhotoError("not_a_photo") from None
        except (ValueError, SyntaxError, EOFError):
            # Pillow's refusals of a damaged file or of one carrying too much besides its pixels
            # (a PNG text or ICC profile chunk over its 1 MB limit: "Decompressed Data Too Large").
            raise PhotoError("unreadable_photo") from None


def _stored_size(width: int, height: int) -> tuple[int, int]:
    """The size of a ``width`` × ``height`` photo once fitted into MAX_SIDE: JPEG draft mode
    decodes at the smallest scale that still covers it."""
    ratio = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio))


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


def ensure_thumbnail(folder: Path, relative_path: str) -> bool:
    """Make the thumbnail of a stored photo if it is missing (a crash between the two files, or a
    thumbnail removed from disk) from the stored photo. Returns whether the thumbnail exists
    afterwards (False when the photo itself is missing)."""
    thumb_file = folder / thumbnail_path(relative_path)
    if thumb_file.exists():
        return True
    try:
        with Image.open(folder / relative_path) as stored:
            image = stored.convert("RGB")
    except (UnidentifiedImageError, OSError):  # the photo itself is gone or unreadable
        return False
    _write_atomically(thumb_file, _thumbnail(image))
    return True
