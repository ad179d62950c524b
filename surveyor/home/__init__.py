"""Each member of staff's home after login: the page of their role (``/home``), and the
overview of every instrument's results for research staff (``/home/results``)."""
from flask import Blueprint

bp = Blueprint("home", __name__)

from . import routes  # noqa: E402,F401
