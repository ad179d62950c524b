"""Administration: service points, their survey links, QR posters and collection windows; staff
accounts, teams and the audit trail."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_trail, collection, point_instruments, routes, users  # noqa: E402,F401
