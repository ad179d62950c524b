"""Login, logout and password change pages."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..formatting import format_number
from ..forms.auth import ChangePasswordForm, LoginForm
from ..i18n import current_language
from . import accounts, bp, sessions
from .accounts import AccountError, attempt_login
from .tablet_owner import forget_owner, remember_owner
from .throttle import DEVICE_COOKIE, DEVICE_DAYS, LoginThrottle, device_cookie_value, keyed_hash, login_client


def _address_key() -> str:
    """The rate-limit key of the request's network address: a keyed hash, so that no raw address
    is stored (in this process or in Redis), as for the survey's device keys."""
    return "login:" + keyed_hash(current_app.config["SECRET_KEY"], "login-address", request.remote_addr or "")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.home")


def _throttle() -> LoginThrottle:
    config = current_app.config
    return LoginThrottle(limiter.limiter, config["SECRET_KEY"], config["LOGIN_ACCOUNT_LIMIT"],
                         config["LOGIN_ACCOUNT_CEILING"])


def _failure_message(failure: str, throttle: LoginThrottle) -> str:
    if failure == "throttled":
        return _("Too many failed attempts for this username from this device or network. Wait %(minutes)s "
                 "minutes and try again, or ask an administrator.",
                 minutes=format_number(throttle.wait_minutes, current_language()))
    if failure == "one_time_password_expired":
        return _("This one-time password has expired. Ask an administrator for a new one.")
    return _("The username or password is not correct.")


def _remember_device(response, client, user) -> None:
    """Tell this browser's next logins to this account apart from a stranger's (see throttle.py);
    sent to the login page only."""
    secret = current_app.config["SECRET_KEY"]
    value = device_cookie_value(secret, client, user.id, secrets.token_urlsafe(12))
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, path=url_for("auth.login"),
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")


@bp.route("/login", methods=["GET", "POST"])
# Failed attempts per address: the per-account throttle stops guessing one account's password, this
# stops trying one password across many accounts. Only failures count, so an office behind one
# address can still log in together at the start of a shift.
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=lambda: _address_key(), methods=["POST"],
               deduct_when=lambda response: response.status_code == 400)
def login():
    sessions.forget_ended_login()
    form = LoginForm()
    if form.validate_on_submit():
        throttle = _throttle()
        client = login_client(current_app.config["SECRET_KEY"], request.remote_addr,
                              request.cookies.get(DEVICE_COOKIE))
        result = attempt_login(db.session, form.username.data, form.password.data, client, throttle)
        db.session.commit()
        if result.user:
            sessions.begin(result.user)
            target = url_for("auth.change_password") if result.user.must_change_password \
                else _safe_next(request.args.get("next"))
            response = redirect(target)
            _remember_device(response, client, result.user)
            remember_owner(response, result.user.id)
            return response
        form.form_errors.append(_failure_message(result.failure, throttle))
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/login.html", form=form), status


# The inspector app counts what its outbox still holds for the inspector logging out (a number
# the server cannot know); more than this is not a count a tablet could hold.
WAITING_MAX = 10_000


def _waiting_on_tablet() -> int:
    text = request.form.get("waiting", "")
    return int(text) if text.isdecimal() and int(text) <= WAITING_MAX else 0


@bp.route("/logout", methods=["POST"])
def logout():
    waiting = _waiting_on_tablet()
    sessions.log_out()  # every session of the account, on every device
    flash(_("You have logged out."), "info")
    if waiting:
        flash(ngettext("%(count)s inspection is still waiting on this tablet. It is kept for you and sent when "
                       "you next log in here.",
                       "%(count)s inspections are still waiting on this tablet. They are kept for you and sent "
                       "when you next log in here.",
                       waiting, count=format_number(waiting, current_language())), "waiting")
    response = redirect(url_for("web.home"))
    # On a shared tablet: the browser's HTTP cache (and its back-button copies) of this inspector's
    # pages go; the service worker drops its own copies when the owner cookie goes. Not "storage":
    # that would also delete every inspector's unsent outbox on this tablet.
    response.headers["Clear-Site-Data"] = '"cache"'
    forget_owner(response)
    return response


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
            user = current_user._get_current_object()
            try:
                accounts.change_password(db.session, user, form.new.data)
            except AccountError as exc:
                form.new.errors.append(exc.html())
            else:
                sessions.renew(user)
                db.session.commit()
                flash(_("Your password has been changed."), "info")
                return redirect(url_for("home.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
