"""Inspectors fill checklists on tablets, online or offline; supervisors assign and follow up.

Server side ready: the routes in routes.py follow /tmp/inspect-contract.md (see README).
"""
from flask import Blueprint

bp = Blueprint("inspect", __name__, url_prefix="/inspect")

from . import routes, team  # noqa: E402,F401
