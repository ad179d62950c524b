"""Requests whose text has no NUL character (U+0000): SQLite stores one and PostgreSQL refuses
it, so every form field and query parameter loses it on arrival and both databases keep the
same text. A NUL is never typed on purpose (it comes from a paste or a broken keyboard app) and
cannot be seen, so it is removed rather than refused: refusing would block an inspector or a
citizen over a character they cannot find. Uploaded files are left as they are."""
from __future__ import annotations

from flask import Request as FlaskRequest
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

NUL = "\x00"


def without_nul(value):
    """``value`` without NUL characters if it is text; anything else (an uploaded file) as it is."""
    return value.replace(NUL, "") if isinstance(value, str) else value


class TextWithoutNul(ImmutableMultiDict):
    """The form and query parameters of a request, names and values without NUL characters."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            pairs = ((key, value) for key, values in mapping.items()
                     for value in (values if isinstance(values, (list, tuple)) else [values]))
        else:
            pairs = mapping or ()
        super().__init__([(without_nul(key), without_nul(value)) for key, value in pairs])


class Request(FlaskRequest):
    """Flask's request, with :class:`TextWithoutNul` holding ``args`` and ``form``."""

    parameter_storage_class = TextWithoutNul
