"""Admin forms: service points, their CSV import, and opening or closing collection."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..display_names import date_hint, with_numbers
from ..formatting import ascii_digits, localize_digits, parse_jalali_date
from ..i18n import current_language
from ..models import DISTRICTS


def _at_most(n: int):
    """WTForms' own message would show the number in Latin digits (and no Arabic at all)."""
    return with_numbers(_l("At most %(n)s characters."), n=n)


class ServicePointForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Enter a code.")),
                                               Length(max=32, message=_at_most(32))],
                       render_kw={"dir": "ltr"})
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(message=_l("Enter the Persian name.")),
                                                              Length(max=200, message=_at_most(200))])
    name_ar = StringField(_l("Name in Arabic"), validators=[Optional(), Length(max=200, message=_at_most(200))])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200, message=_at_most(200))],
                          render_kw={"dir": "ltr"})
    district = SelectField(_l("District"), coerce=int)
    latitude = StringField(_l("Latitude"), validators=[Optional()], render_kw={"dir": "ltr", "inputmode": "decimal"})
    longitude = StringField(_l("Longitude"), validators=[Optional()], render_kw={"dir": "ltr", "inputmode": "decimal"})
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, lang: str = "fa", **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [SelectChoice(d, localize_digits(d, lang)) for d in DISTRICTS]

    @staticmethod
    def _coordinate(field, low, high):
        if not field.data:
            return None
        try:
            value = float(ascii_digits(field.data).replace("٫", "."))
        except ValueError:
            raise ValidationError(_l("Enter a decimal number such as 36.2878.")) from None
        if not low <= value <= high:
            raise ValidationError(_l("This coordinate is out of range."))
        return value

    def _both_or_neither(self):
        if bool(self.latitude.data) != bool(self.longitude.data):
            raise ValidationError(_l("Give both latitude and longitude, or neither."))

    # An empty field skips its own checks (Optional), so each coordinate checks the pair.
    def validate_latitude(self, field):
        self._coordinate(field, -90, 90)
        self._both_or_neither()

    def validate_longitude(self, field):
        self._coordinate(field, -180, 180)
        self._both_or_neither()

    def values(self) -> dict:
        return {"code": self.code.data.strip(), "name_fa": self.name_fa.data.strip(),
                "name_ar": (self.name_ar.data or "").strip() or None,
                "name_en": (self.name_en.data or "").strip() or None, "district": self.district.data,
                "latitude": self._coordinate(self.latitude, -90, 90),
                "longitude": self._coordinate(self.longitude, -180, 180)}


def chosen_instruments(posted: list[str], instruments) -> tuple[set[int], list[str]]:
    """The ids of the instruments ticked on the point form, and the posted values that name none
    of ``instruments``. Values are matched as the page wrote them (the ids' digits), never parsed:
    ``"²".isdigit()`` is true but ``int("²")`` fails, and ``int`` refuses 5,000 digits."""
    by_value = {str(instrument.id): instrument.id for instrument in instruments}
    return {by_value[value] for value in posted if value in by_value}, [v for v in posted if v not in by_value]


class ImportPointsForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file.")),
                                                  FileAllowed(["csv"], message=_l("Choose a .csv file."))])
    submit = SubmitField(_l("Import"))


def _jalali(field):
    if field.data:
        try:
            parse_jalali_date(field.data)
        except ValueError:
            raise ValidationError(_("Enter a Jalali date such as %(example)s.", example=date_hint(current_language()))) from None


class CollectionForm(FlaskForm):
    state = RadioField(_l("Collection"), choices=[SelectChoice("open", _l("Open")), SelectChoice("closed", _l("Closed"))],
                       default="open", validators=[DataRequired()])
    opens_on = StringField(_l("From (Jalali, optional)"), validators=[Optional()],
                           render_kw={"dir": "ltr"})
    closes_on = StringField(_l("Until (Jalali, optional)"), validators=[Optional()],
                            render_kw={"dir": "ltr"})
    submit = SubmitField(_l("Save"))

    def validate_opens_on(self, field):
        _jalali(field)

    def validate_closes_on(self, field):
        _jalali(field)
        if self.opens_on.data and field.data and not self.opens_on.errors:
            if parse_jalali_date(self.opens_on.data) > parse_jalali_date(field.data):
                raise ValidationError(_l("The end date is before the start date."))

    def dates(self):
        return (parse_jalali_date(self.opens_on.data) if self.opens_on.data else None,
                parse_jalali_date(self.closes_on.data) if self.closes_on.data else None)
