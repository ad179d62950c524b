"""Role checks for routes: every staff page names the roles that may use it."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Allow only logged-in staff with one of ``roles``; others get 403, visitors the login page."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        guarded.allowed_roles = roles  # read by the role-by-route tests
        return guarded
    return decorate
