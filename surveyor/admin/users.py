"""Admin pages for staff accounts and supervisors' teams. Routes parse, call the account and team
functions of :mod:`surveyor.auth` (which audit every change with who made it), and render.

A one-time password is shown once, in the answer to the POST that made it: it is not stored in the
session, a flash message, the audit log or any log, and the page is not cached."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..auth.accounts import AccountError, create_user, one_time_hours, reset_password, set_active, set_role
from ..auth.permissions import roles_required
from ..auth.teams import add_to_team, remove_from_team, teams
from ..display_names import MarkedMessage, as_html
from ..extensions import db
from ..forms.users import ROLE_NAMES, ConfirmForm, NewUserForm, RoleForm, TeamMemberForm
from ..models import User
from . import bp

ADMIN = ("admin",)


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _users_page(form: NewUserForm, status: int = 200):
    users = list(db.session.scalars(select(User).order_by(User.username)))
    by_id = {user.id: user for user in users}
    return render_template("admin/users.html", users=users, by_id=by_id, form=form,
                           role_names=ROLE_NAMES), status


def _one_time_password_page(user: User, password: str, created: bool):
    # Not cached: every staff page is "private, no-store" (surveyor.security_headers).
    return render_template("admin/one_time_password.html", user=user, password=password, created=created,
                           hours=one_time_hours(), role_names=ROLE_NAMES)


@bp.route("/users")
@roles_required(*ADMIN)
def users():
    return _users_page(NewUserForm())


@bp.route("/users/new", methods=["POST"])
@roles_required(*ADMIN)
def create_user_view():
    form = NewUserForm()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    try:
        user, password = create_user(db.session, form.username.data, form.role.data, by_id=current_user.id)
    except AccountError as exc:
        db.session.rollback()
        form.username.errors.append(exc.html())
        return _users_page(form, 400)
    db.session.commit()
    return _one_time_password_page(user, password, created=True)


@bp.route("/users/<int:user_id>")
@roles_required(*ADMIN)
def user(user_id: int):
    person = _user_or_404(user_id)
    team = teams(db.session, person)[person] if person.role == "supervisor" else []
    candidates = list(db.session.scalars(select(User).where(
        User.role == "inspector", User.supervisor_id.is_(None)).order_by(User.username))) \
        if person.role == "supervisor" else []
    member_form = TeamMemberForm()
    member_form.inspector.choices = [SelectChoice(c.id, c.username, render_kw={"translate": "no", "dir": "ltr"})
                                     for c in candidates]
    leader = db.session.get(User, person.supervisor_id) if person.supervisor_id else None
    return render_template("admin/user.html", person=person, team=team, leader=leader,
                           role_form=RoleForm(role=person.role), member_form=member_form,
                           confirm=ConfirmForm(), role_names=ROLE_NAMES)


def _carry_out(user_id: int, change, done: str):
    """Run ``change`` on a valid POST; its AccountError becomes a translated message on the user's page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change()
    except AccountError as exc:
        db.session.rollback()
        flash(exc.html(), "error")
    else:
        db.session.commit()
        flash(done, "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required(*ADMIN)
def change_role(user_id: int):
    person = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    return _carry_out(user_id, lambda: set_role(db.session, person, form.role.data, by_id=current_user.id),
                      _("The role has been changed."))


@bp.route("/users/<int:user_id>/<any(deactivate, activate):change>", methods=["POST"])
@roles_required(*ADMIN)
def set_access(user_id: int, change: str):
    person = _user_or_404(user_id)
    active = change == "activate"
    done = _("The account can log in again.") if active else \
        _("The account is deactivated, and every session of it has ended.")
    return _carry_out(user_id, lambda: set_active(db.session, person, active, by_id=current_user.id), done)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles_required(*ADMIN)
def reset_password_view(user_id: int):
    person = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = reset_password(db.session, person, by_id=current_user.id)
    db.session.commit()
    return _one_time_password_page(person, password, created=False)


@bp.route("/users/<int:user_id>/team", methods=["POST"])
@roles_required(*ADMIN)
def team_add(user_id: int):
    leader = _user_or_404(user_id)
    form = TeamMemberForm()
    if not form.validate_on_submit():
        abort(400)
    inspector = db.session.get(User, form.inspector.data)
    if inspector is None:
        flash(_("Choose an inspector from the list."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    return _carry_out(user_id, lambda: add_to_team(db.session, leader, [inspector], by_id=current_user.id),
                      as_html(MarkedMessage(_("%(name)s has joined the team."), name=inspector.username)))


@bp.route("/users/<int:user_id>/team/<int:inspector_id>/remove", methods=["POST"])
@roles_required(*ADMIN)
def team_remove(user_id: int, inspector_id: int):
    leader = _user_or_404(user_id)
    inspector = _user_or_404(inspector_id)
    return _carry_out(user_id, lambda: remove_from_team(db.session, leader, [inspector], by_id=current_user.id),
                      as_html(MarkedMessage(_("%(name)s has left the team."), name=inspector.username)))
