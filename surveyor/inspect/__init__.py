"""Inspectors fill checklists on tablets, online or offline; supervisors assign and follow up."""
from flask import Blueprint

bp = Blueprint("inspect", __name__, url_prefix="/inspect")

from . import routes, team  # noqa: E402,F401
