"""Early warning: the detectors that ``surveyor alerts scan`` runs over the responses of every
(service point, questionnaire), the alerts they store (:class:`surveyor.models.Alert`) and the
alerts page (``/alerts``)."""
from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alerts")

from . import routes  # noqa: E402,F401
