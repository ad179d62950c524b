"""Login, logout and password change pages."""
from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..forms.auth import ChangePasswordForm, LoginForm
from ..models import audit
from . import bp
from .accounts import attempt_login


def _address_key() -> str:
    """The rate-limit key of the request's network address: a keyed hash, so that no raw address
    is stored (in this process or in Redis), as for the survey's device keys."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), (request.remote_addr or "").encode(),
                      hashlib.sha256).hexdigest()
    return "login:" + digest[:32]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
# Failed attempts per address: the per-account lock stops guessing one account's password, this
# stops trying one password across many accounts. Only failures count, so an office behind one
# address can still log in together at the start of a shift.
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=lambda: _address_key(), methods=["POST"],
               deduct_when=lambda response: response.status_code == 400)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.config
        result = attempt_login(db.session, form.username.data, form.password.data,
                               config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCK_MINUTES"])
        db.session.commit()
        if result.user:
            session.permanent = True  # lasts SURVEYOR_SESSION_HOURS, also across closing the tablet's browser
            login_user(result.user, remember=False)
            if result.user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")))
        if result.locked_until:
            form.form_errors.append(_("Too many failed attempts. This account is locked for a while; "
                                      "try again later or ask an administrator."))
        else:
            form.form_errors.append(_("The username or password is not correct."))
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("web.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is not correct."))
        elif form.new.data == form.current.data:
            form.new.errors.append(_("Choose a password different from the current one."))
        else:
            current_user.set_password(form.new.data)
            current_user.must_change_password = False
            audit(db.session, "user.change_password", f"user:{current_user.id}", user_id=current_user.id)
            db.session.commit()
            flash(_("Your password has been changed."), "info")
            return redirect(url_for("web.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
