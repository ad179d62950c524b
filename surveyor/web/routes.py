"""The home page: the instrument library by domain."""
from __future__ import annotations

from flask import render_template

from ..instruments.catalog import instruments_by_domain
from . import bp


@bp.route("/")
def home():
    return render_template("web/home.html", domains=instruments_by_domain())
