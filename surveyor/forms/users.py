"""Forms of the users and teams pages: a new account, a role, and the buttons that only need CSRF."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from ..models import ROLES

ROLE_NAMES = {
    "admin": _l("Administrator"),
    "researcher": _l("Researcher"),
    "supervisor": _l("Supervisor"),
    "inspector": _l("Inspector"),
}


def role_choices() -> list[tuple[str, str]]:
    return [(role, ROLE_NAMES[role]) for role in ROLES]


class NewUserForm(FlaskForm):
    # The length and the characters are checked by create_user, the one place that holds the rule.
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter a username."))],
                           render_kw={"dir": "ltr", "autocomplete": "off", "autocapitalize": "none"})
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=False)
    submit = SubmitField(_l("Create the user"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change the role"))


class TeamMemberForm(FlaskForm):
    inspector = SelectField(_l("Inspector"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Add to the team"))


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
