"""Staff login: accounts, password checks with temporary locks, and role checks for routes."""
from flask import Blueprint

bp = Blueprint("auth", __name__)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from ..extensions import db, login_manager
    from ..models import User
    from . import routes  # noqa: F401  (attaches the views to bp)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

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
