"""Staff login: accounts, password policy, throttled logins, revocable sessions, role checks."""
from flask import Blueprint

bp = Blueprint("auth", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from ..extensions import db, login_manager
    from . import routes  # noqa: F401  (attaches the views to bp)
    from .sessions import StaffSessionInterface, session_user

    app.session_interface = StaffSessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    # Flask-Login's "basic" protection only marked a session not fresh when the address or browser
    # changed (nothing here asks for a fresh login), and that write re-issued the cookie from
    # whatever request came next. Sessions are ended by their version and lifetime instead.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return session_user(db.session, user_id)

    @app.before_request
    def require_own_password():
        """A one-time password is only good for choosing one's own."""
        from flask import redirect, request, url_for
        from flask_login import current_user

        allowed = {"auth.change_password", "auth.logout", "static"}
        if current_user.is_authenticated and current_user.must_change_password \
                and request.endpoint not in allowed:
            return redirect(url_for("auth.change_password"))
        return None

    app.register_blueprint(bp)
