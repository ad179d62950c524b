"""The ``surveyor`` command: Flask's CLI group (run, shell, db ...) plus Surveyor's commands.

The app registers its commands on ``app.cli``; ``instruments`` is also attached here, so that
``surveyor instruments validate`` works without a configured app or database.
"""
from __future__ import annotations

from flask.cli import FlaskGroup

from . import create_app
from .instruments.cli import instruments

main = FlaskGroup(create_app=create_app, help="Surveyor: survey and service-quality measurement.")
main.add_command(instruments)
