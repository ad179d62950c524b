"""The Flask extensions, created once here and bound to the app in :func:`surveyor.create_app`."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared on the routes that need them (the survey submission); the key is chosen
# there too, so that no raw IP address is ever used as a stored key.
limiter = Limiter(key_func=lambda: "global", default_limits=[], headers_enabled=False)
