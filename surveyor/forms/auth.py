"""Login and password forms."""
from flask_babel import lazy_gettext as _l

from ..display_names import with_numbers
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD_LENGTH = 10


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username."))],
                           render_kw={"autocomplete": "username", "autocapitalize": "none", "dir": "ltr"})
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password", "dir": "ltr"})
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"),
                            validators=[DataRequired(message=_l("Enter your current password."))],
                            render_kw={"autocomplete": "current-password", "dir": "ltr"})
    new = PasswordField(_l("New password"), validators=[
        DataRequired(message=_l("Enter a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, message=with_numbers(_l("Use at least %(n)s characters."), n=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password", "dir": "ltr"})
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(message=_l("Repeat the new password.")),
        EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password", "dir": "ltr"})
    submit = SubmitField(_l("Change password"))
