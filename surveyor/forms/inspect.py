"""Supervisors' assignment form."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..display_names import code, date_hint
from ..formatting import localize_digits, parse_jalali_date
from ..i18n import localized
from ..models import DISTRICTS


class AssignForm(FlaskForm):
    checklist = SelectField(_l("Checklist"), coerce=int)
    inspector = SelectField(_l("Inspector"), coerce=int)
    district = SelectField(_l("Every site in district"), coerce=lambda v: int(v) if v else None,
                           validators=[Optional()])
    points = StringField(_l("Or these sites (codes separated by commas)"),
                         render_kw={"dir": "ltr"})
    due = StringField(_l("First due date (Jalali)"), validators=[DataRequired(message=_l("Enter a date."))],
                      render_kw={"dir": "ltr"})
    weeks = IntegerField(_l("Repeat weekly for (weeks)"), default=1,
                         validators=[NumberRange(min=1, max=52, message=_l("From 1 to 52 weeks."))])
    submit = SubmitField(_l("Assign"))

    def __init__(self, *args, inspectors=(), checklists=(), lang="fa", **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist.choices = [SelectChoice(c.id, localized(c.latest.definition['title'], lang)) for c in checklists]
        # A username (Latin, code-like) is kept out of translation; a display name is shown as it is.
        self.inspector.choices = [SelectChoice(u.id, u.display_name or u.username,
                                               render_kw=None if u.display_name else {"translate": "no", "dir": "ltr"})
                                  for u in inspectors]
        self.lang = lang
        self.district.choices = [SelectChoice("", "—")] + [SelectChoice(d, localize_digits(d, lang)) for d in DISTRICTS]
        self._point_ids: list[int] = []

    def validate_due(self, field):
        try:
            parse_jalali_date(field.data)
        except ValueError:
            raise ValidationError(_("Enter a Jalali date such as %(example)s.", example=date_hint(self.lang))) from None

    def validate_points(self, field):
        from sqlalchemy import select

        from ..extensions import db
        from ..models import ServicePoint
        codes = [c.strip() for c in (field.data or "").split(",") if c.strip()]
        found = dict(db.session.execute(select(ServicePoint.code, ServicePoint.id).where(ServicePoint.code.in_(codes))).all())
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(Markup(escape(_("Unknown site code(s): %(codes)s"))) % {"codes": Markup(", ").join(map(code, missing))})
        self._point_ids = list(found.values())
        if not codes and not self.district.data:
            raise ValidationError(_l("Choose a district or list the sites."))

    def point_ids(self) -> list[int]:
        return self._point_ids

    def first_due(self) -> dt.date:
        return parse_jalali_date(self.due.data)
