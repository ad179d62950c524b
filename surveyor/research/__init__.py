"""Results pages for research staff: questionnaires and checklists, filtered, with charts."""
from flask import Blueprint

bp = Blueprint("research", __name__, url_prefix="/results")

from . import routes  # noqa: E402,F401
