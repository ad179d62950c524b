"""The citizen survey form, built with WTForms from an instrument version's definition.

Persian and Arabic-Indic digits typed on a phone keyboard are accepted in number answers.
"""
from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _
from wtforms import Form, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from ..formatting import ascii_digits, localize_digits
from ..i18n import current_language, localized

DONT_KNOW_VALUE = "dk"
HONEYPOT = "website"  # invisible to people; filled in by form-filling robots


class _Required:
    def __call__(self, form, field):
        if field.data in (None, "", "None"):
            raise StopValidation(_("Please answer this question."))


def _optional(form, field):
    if field.data in (None, "", "None"):
        field.errors = []
        raise StopValidation()


class _NumberInRange:
    def __init__(self, low, high):
        self.low, self.high = low, high

    def __call__(self, form, field):
        text = ascii_digits(field.data or "").strip()
        if not text.isdigit() or not (self.low <= int(text) <= self.high):
            lang = current_language()
            raise ValidationError(_("Enter a whole number from %(low)s to %(high)s.",
                                    low=localize_digits(self.low, lang), high=localize_digits(self.high, lang)))


class _OneOf:
    def __init__(self, values):
        self.values = set(values)

    def __call__(self, form, field):
        if field.data not in self.values:
            raise ValidationError(_("Please choose one of the options."))


def _options(item: dict, lang: str) -> list[SelectChoice]:
    return [SelectChoice(str(option["value"]), localized(option["labels"], lang)) for option in item["options"]]


def build_survey_form(definition: dict, lang: str, dont_know_label: str):
    """A Form class with one field per item, named by item code, in the file's order."""
    fields = {}
    for item in definition["items"]:
        label = localized(item["labels"], lang)
        checks = [_Required() if item.get("required") else _optional]
        if item["type"] in ("rating", "choice"):
            choices = _options(item, lang)
            if item.get("dont_know"):
                choices.append(SelectChoice(DONT_KNOW_VALUE, dont_know_label))
            fields[item["code"]] = RadioField(label, choices=choices, validate_choice=False,
                                              validators=[*checks, _OneOf(choice.value for choice in choices)])
        elif item["type"] == "number":
            low, high = int(item.get("min", 0)), int(item.get("max", 100000))
            fields[item["code"]] = StringField(label, validators=[*checks, _NumberInRange(low, high)],
                                               render_kw={"inputmode": "numeric", "autocomplete": "off"})
        elif item["type"] == "text":
            fields[item["code"]] = TextAreaField(label, validators=checks,
                                                 render_kw={"maxlength": item.get("max_length", 1000), "rows": 3})
    fields[HONEYPOT] = StringField("", render_kw={"tabindex": "-1", "autocomplete": "off"})
    return type("SurveyForm", (Form,), fields)


@lru_cache(maxsize=256)
def survey_form_class(version_id: int, lang: str):
    """The form class of a version in a language, built once per process (versions never change)."""
    from ..instruments.versions import version_definition

    definition = version_definition(version_id)[1]
    return build_survey_form(definition, lang, localized(definition.get("dont_know"), lang))


def answers_from(form, definition: dict) -> dict:
    """The validated form's answers as values for :func:`surveyor.responses.record_response`."""
    from ..responses import DONT_KNOW

    answers = {}
    for item in definition["items"]:
        raw = form[item["code"]].data
        if raw in (None, "", "None"):
            continue
        if raw == DONT_KNOW_VALUE and item.get("dont_know"):
            answers[item["code"]] = DONT_KNOW
        elif item["type"] in ("rating", "choice"):
            by_text = {str(option["value"]): option["value"] for option in item["options"]}
            answers[item["code"]] = by_text[raw]
        elif item["type"] == "number":
            answers[item["code"]] = int(ascii_digits(raw).strip())
        else:
            answers[item["code"]] = raw.strip()
    return answers
