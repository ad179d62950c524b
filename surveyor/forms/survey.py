"""The citizen survey form: what each answer may be, and the WTForms form that shows the questions.

One :class:`AnswerRule` per item says what a posted answer may be and which value it stands for.
A submission is read with :func:`parse_answers` straight from the posted data (the hot path, no
form object); the WTForms form built from the same rules renders the page and, when an answer
does not fit, its error next to the question. Both ask the same rule, so they cannot disagree.

Persian and Arabic-Indic digits typed on a phone keyboard are accepted in number answers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _
from wtforms import Form, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..formatting import ascii_digits, localize_digits
from ..i18n import current_language, localized
from ..responses import DONT_KNOW
from ..responses.store import TEXT_MAX_LENGTH

DONT_KNOW_VALUE = "dk"
HONEYPOT = "website"  # invisible to people; filled in by form-filling robots
EMPTY = (None, "", "None")  # not answered ("None" is how an unset field's data reads as text)
NO_ANSWER = object()  # AnswerRule.parse: the question was left unanswered (and may be)

# Why an answer does not fit (UnfitAnswer.reason); AnswerRule.message words it for the person.
REQUIRED, NOT_AN_OPTION, NOT_IN_RANGE, TOO_LONG = "required", "not_an_option", "not_in_range", "too_long"
ANSWERED_KINDS = ("rating", "choice", "number", "text")


class UnfitAnswer(ValueError):
    """A posted answer that does not fit its item; ``reason`` is REQUIRED, NOT_AN_OPTION,
    NOT_IN_RANGE or TOO_LONG."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class UnfitAnswers(ValueError):
    """Some answers of a posted page do not fit; ``problems`` maps item codes to reasons."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(", ".join(f"{code}: {reason}" for code, reason in problems.items()))


@dataclass(frozen=True)
class AnswerRule:
    """What a posted answer to one questionnaire item may be, and the value it is stored as."""

    code: str
    kind: str            # rating, choice, number or text
    required: bool
    choices: dict = field(default_factory=dict)  # posted text -> value (ratings and choices)
    low: int = 0         # numbers: the accepted range
    high: int = 100000
    max_length: int = TEXT_MAX_LENGTH  # texts: characters at most

    @classmethod
    def of(cls, item: dict) -> AnswerRule:
        choices = {str(option["value"]): option["value"] for option in item.get("options", ())}
        if item.get("dont_know") and item["type"] in ("rating", "choice"):
            choices[DONT_KNOW_VALUE] = DONT_KNOW
        return cls(item["code"], item["type"], bool(item.get("required")), choices,
                   int(item.get("min", 0)), int(item.get("max", 100000)),
                   int(item.get("max_length", TEXT_MAX_LENGTH)))

    def parse(self, raw: str | None):
        """The value a posted answer stands for, NO_ANSWER if it was left empty (and may be);
        UnfitAnswer when it does not fit."""
        if raw in EMPTY or (self.kind == "text" and not raw.strip()):
            if self.required:
                raise UnfitAnswer(REQUIRED)
            return NO_ANSWER
        if self.kind == "text":
            if len(raw.strip()) > self.max_length:  # the page says so too; a script may not listen
                raise UnfitAnswer(TOO_LONG)
            return raw.strip()
        if self.kind == "number":
            text = ascii_digits(raw).strip()
            # isdecimal, not isdigit: "²" is a digit that int() refuses. Leading zeros go first, and
            # a number with more digits than the largest allowed is out of range without int(),
            # which refuses strings of over 4,300 digits (a 500 before).
            digits = text.lstrip("0") or "0"
            if not text.isdecimal() or len(digits) > len(str(self.high)) or not self.low <= int(digits) <= self.high:
                raise UnfitAnswer(NOT_IN_RANGE)
            return int(digits)
        try:
            return self.choices[raw]
        except KeyError:
            raise UnfitAnswer(NOT_AN_OPTION) from None

    def message(self, reason: str) -> str:
        """The reason an answer does not fit, in the current language, to show beside the question."""
        if reason == REQUIRED:
            return _("Please answer this question.")
        if reason == NOT_AN_OPTION:
            return _("Please choose one of the options.")
        lang = current_language()
        if reason == TOO_LONG:
            return _("Please shorten your answer to %(n)s characters at most.", n=localize_digits(self.max_length, lang))
        return _("Enter a whole number from %(low)s to %(high)s.",
                 low=localize_digits(self.low, lang), high=localize_digits(self.high, lang))


_RULES: dict[int, tuple[dict, tuple[AnswerRule, ...]]] = {}


def answer_rules(definition: dict) -> tuple[AnswerRule, ...]:
    """The rules of a version's answered items, in the file's order; built once per definition.

    Keyed by the definition object (kept alive by the entry, so its id cannot be reused):
    :func:`surveyor.instruments.versions.version_definition` hands out one object per version
    for the life of the process, and a fresh one after its cache is cleared."""
    entry = _RULES.get(id(definition))
    if entry is None or entry[0] is not definition:
        if len(_RULES) > 1024:
            _RULES.clear()
        entry = _RULES[id(definition)] = (
            definition, tuple(AnswerRule.of(item) for item in definition["items"] if item["type"] in ANSWERED_KINDS))
    return entry[1]


def parse_answers(rules, posted) -> dict:
    """The answers of a posted page (item code -> value for :func:`surveyor.responses.record_response`).

    ``posted`` is anything with ``get(code)`` giving the first posted value: the request's form,
    or a WTForms form's ``data``. UnfitAnswers names every item whose answer does not fit."""
    answers, problems = {}, {}
    for rule in rules:
        try:
            value = rule.parse(posted.get(rule.code))
        except UnfitAnswer as error:
            problems[rule.code] = error.reason
            continue
        if value is not NO_ANSWER:
            answers[rule.code] = value
    if problems:
        raise UnfitAnswers(problems)
    return answers


class _Follows:
    """WTForms validator: the field's answer fits its item's rule (the rule's message if not)."""

    def __init__(self, rule: AnswerRule):
        self.rule = rule

    def __call__(self, form, field):
        try:
            self.rule.parse(field.data)
        except UnfitAnswer as error:
            raise ValidationError(self.rule.message(error.reason)) from None


def _options(item: dict, lang: str) -> list[SelectChoice]:
    return [SelectChoice(str(option["value"]), localized(option["labels"], lang)) for option in item["options"]]


def build_survey_form(definition: dict, lang: str, dont_know_label: str):
    """A Form class with one field per item, named by item code, in the file's order."""
    items = {item["code"]: item for item in definition["items"]}
    fields = {}
    for rule in answer_rules(definition):
        item = items[rule.code]
        label, checks = localized(item["labels"], lang), [_Follows(rule)]
        if rule.kind in ("rating", "choice"):
            choices = _options(item, lang)
            if item.get("dont_know"):
                choices.append(SelectChoice(DONT_KNOW_VALUE, dont_know_label))
            fields[rule.code] = RadioField(label, choices=choices, validate_choice=False, validators=checks)
        elif rule.kind == "number":
            fields[rule.code] = StringField(label, validators=checks,
                                            render_kw={"inputmode": "numeric", "autocomplete": "off"})
        else:
            fields[rule.code] = TextAreaField(label, validators=checks,
                                              render_kw={"maxlength": rule.max_length, "rows": 3})
    fields[HONEYPOT] = StringField("", render_kw={"tabindex": "-1", "autocomplete": "off"})
    return type("SurveyForm", (Form,), fields)


@lru_cache(maxsize=256)
def survey_form_class(version_id: int, lang: str):
    """The form class of a version in a language, built once per process (versions never change)."""
    from ..instruments.versions import version_definition

    definition = version_definition(version_id)[1]
    return build_survey_form(definition, lang, localized(definition.get("dont_know"), lang))

