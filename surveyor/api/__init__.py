"""The read-only JSON API for the city's dashboards, under ``/api/v1``.

Clients send ``Authorization: Bearer <token>`` with a token made by ``surveyor api-tokens
create NAME``; no cookies and no forms, so the blueprint is exempt from CSRF. The API is
described in ``openapi.json`` beside this file, served at ``/api/v1/openapi.json``.
"""
from flask import Blueprint

from ..extensions import csrf

# cli_group=None puts ``api-tokens`` at the top level: ``surveyor api-tokens create NAME``.
bp = Blueprint("api", __name__, url_prefix="/api/v1", cli_group=None)
csrf.exempt(bp)

from . import cli, routes  # noqa: E402,F401  (they attach their commands and routes to bp)
