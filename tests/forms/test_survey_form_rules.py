"""The submission hot path reads answers with parse_answers, the error page with the WTForms form:
both must accept and refuse the same posts, for the same questions, with the same messages."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from surveyor import create_app
from surveyor.forms.survey import (
    DONT_KNOW_VALUE, HONEYPOT, NOT_AN_OPTION, NOT_IN_RANGE, REQUIRED, TOO_LONG, UnfitAnswers, answer_rules, build_survey_form,
    parse_answers)
from surveyor.config import PROJECT_ROOT
from surveyor.i18n import localized
from surveyor.instruments import load_all
from surveyor.responses import DONT_KNOW
from surveyor.responses.store import check_answers

QUESTIONNAIRES = [entry.definition for entry in load_all(PROJECT_ROOT) if entry.definition["kind"] == "questionnaire"]
METRO = next(d for d in QUESTIONNAIRES if d["code"] == "TRN-Q01")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module")
def request_context(tmp_path_factory):
    """A request context for the translated messages (no database is touched)."""
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    with app.test_request_context():
        yield


def both_ways(definition: dict, lang: str, pairs: list[tuple[str, str]]):
    """What each side makes of one post: (answers or None, {item code: message})."""
    posted, rules = MultiDict(pairs), answer_rules(definition)
    with force_locale(lang):
        form = build_survey_form(definition, lang, localized(definition.get("dont_know"), lang))(posted)
        form_ok = form.validate()
        form_view = (parse_answers(rules, form.data) if form_ok else None,
                     {code: errors[0] for code, errors in form.errors.items() if errors})
        by_code = {rule.code: rule for rule in rules}
        try:
            fast_view = (parse_answers(rules, posted.to_dict()), {})
        except UnfitAnswers as unfit:
            fast_view = (None, {code: by_code[code].message(reason) for code, reason in unfit.problems.items()})
    return form_view, fast_view


def _valid_answer(item: dict):
    if item["type"] in ("rating", "choice"):
        return st.sampled_from([str(option["value"]) for option in item["options"]]
                               + ([DONT_KNOW_VALUE] if item.get("dont_know") else []))
    if item["type"] == "number":
        numbers = st.integers(min_value=int(item.get("min", 0)), max_value=int(item.get("max", 100000)))
        return st.one_of(numbers.map(str), numbers.map(lambda n: str(n).translate(PERSIAN_DIGITS)),
                         numbers.map(lambda n: f" {str(n).translate(ARABIC_DIGITS)} "))
    return st.text(max_size=50)


def _raw_answer(item: dict, junk_in_20: int):
    """What a person would send, or (junk_in_20 times in 20) what a robot or a bad keyboard sends."""
    junk = st.one_of(
        st.sampled_from(["", "None", " ", "dk", "0", "-1", "+3", "1.5", "²", "٣", "۱۲", " 7 ", "abc", "<b>x</b>"]),
        st.text(max_size=30))
    if item["type"] == "number":
        low, high = int(item.get("min", 0)), int(item.get("max", 100000))
        junk = st.one_of(junk, st.sampled_from([low - 1, high + 1]).map(str))
    return st.integers(0, 19).flatmap(lambda n: junk if n < junk_in_20 else _valid_answer(item))


@st.composite
def posts(draw, definition: dict):
    """A post: a few items left out (optional ones more often), some sent twice (the first value
    counts), now and then wrong answers, maybe the honeypot."""
    junk_in_20 = draw(st.sampled_from([0, 0, 1, 4]))
    pairs = []
    for item in definition["items"]:
        times = draw(st.sampled_from([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0] + ([] if item.get("required") else [0, 0, 0])))
        pairs.extend((item["code"], draw(_raw_answer(item, junk_in_20))) for _ in range(times))
    if draw(st.booleans()):
        pairs.append((HONEYPOT, draw(st.sampled_from(["", "http://spam.example"]))))
    return pairs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), lang=st.sampled_from(["fa", "ar", "en"]))
def test_the_fast_reader_and_the_form_agree_on_any_post(request_context, data, lang):
    definition = data.draw(st.sampled_from(QUESTIONNAIRES))
    form_view, fast_view = both_ways(definition, lang, data.draw(posts(definition)))
    assert fast_view == form_view
    answers = fast_view[0]
    if answers is not None:
        check_answers(definition, answers)  # whatever the page accepts can be stored


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pages_answered_as_a_person_would_are_accepted(request_context, data):
    """Every required item answered from its options (or a number in range), others maybe not."""
    definition = data.draw(st.sampled_from(QUESTIONNAIRES))
    pairs = []
    for item in definition["items"]:
        if not item.get("required") and data.draw(st.booleans()):
            continue
        if item["type"] in ("rating", "choice"):
            pairs.append((item["code"], str(data.draw(st.sampled_from(item["options"]))["value"])))
        elif item["type"] == "number":
            low, high = int(item.get("min", 0)), int(item.get("max", 100000))
            pairs.append((item["code"], str(data.draw(st.integers(low, high))).translate(PERSIAN_DIGITS)))
        elif item["type"] == "text":
            pairs.append((item["code"], data.draw(st.text(min_size=1, max_size=50).filter(str.strip))))
    form_view, fast_view = both_ways(definition, "fa", pairs)
    assert fast_view == form_view and fast_view[0] is not None


@pytest.mark.parametrize("code, raw, expected", [
    ("overall", "4", 4),
    ("overall", "9", NOT_AN_OPTION),
    ("overall", "", REQUIRED),
    ("overall", "None", REQUIRED),
    ("punctuality", "dk", DONT_KNOW),
    ("punctuality", "", None),
    ("wait_minutes", "۱۲", 12),
    ("wait_minutes", "١٢", 12),
    ("wait_minutes", " 12 ", 12),
    ("wait_minutes", "²", NOT_IN_RANGE),      # a digit to str.isdigit, not a number to int()
    ("wait_minutes", "-1", NOT_IN_RANGE),
    ("wait_minutes", "dk", NOT_IN_RANGE),     # "don't know" is for ratings and choices
    ("rider_type", "foreign_visitor", "foreign_visitor"),
    ("rider_type", "tourist", NOT_AN_OPTION),
    ("comment", "  شلوغ است  ", "شلوغ است"),
    ("comment", "   ", None),
    ("comment", "خ" * 1000, "خ" * 1000),
    ("comment", "خ" * 1001, TOO_LONG),        # the page's maxlength, for a post that ignored it
])
def test_one_answer(code, raw, expected):
    rule = next(rule for rule in answer_rules(METRO) if rule.code == code)
    if expected in (REQUIRED, NOT_AN_OPTION, NOT_IN_RANGE, TOO_LONG):
        with pytest.raises(UnfitAnswers) as unfit:
            parse_answers([rule], {code: raw})
        assert unfit.value.problems == {code: expected}
    else:
        answers = parse_answers([rule], {code: raw})
        assert answers == ({} if expected is None else {code: expected})


def test_the_messages_are_the_page_s_language(request_context):
    (_, form_errors), (_, fast_errors) = both_ways(METRO, "fa", [("headway", "9"), ("wait_minutes", "دیر"),
                                                                  ("comment", "x" * 1001)])
    assert fast_errors == form_errors == {
        "overall": "لطفاً به این پرسش پاسخ دهید.",
        "headway": "لطفاً یکی از گزینه‌ها را انتخاب کنید.",
        "wait_minutes": "عددی صحیح از ۰ تا ۱۲۰ وارد کنید.",
        "comment": "لطفاً پاسخ خود را به حداکثر ۱۰۰۰ نویسه کوتاه کنید.",
    }


def test_rules_are_built_once_per_definition():
    assert answer_rules(METRO) is answer_rules(METRO)
    assert [rule.code for rule in answer_rules(METRO)] == [item["code"] for item in METRO["items"]
                                                          if item["type"] in ("rating", "choice", "number", "text")]
