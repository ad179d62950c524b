"""Administration: service points, their survey links, QR posters and collection windows."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import routes  # noqa: E402,F401
