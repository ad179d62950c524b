"""The citizen survey: a QR link opens the questionnaire; answers are stored once, durably."""
from flask import Blueprint

bp = Blueprint("survey", __name__)

from . import preview, routes  # noqa: E402,F401
