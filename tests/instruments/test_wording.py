"""House wording across the instrument files: one spelling for each term, salutations that match
their translation, and one form of address per language within an instrument."""
from __future__ import annotations

import re

import pytest

from surveyor.config import PROJECT_ROOT
from surveyor.instruments import load_all

# Spelling to avoid -> the one the instruments use (as in TRN-C01 and SRV-C01).
PERSIAN_SPELLINGS = {
    "پله برقی": "پله‌برقی",
    "درب‌دار": "دردار",
    "سانتی‌گراد": "سلسیوس",
    "سانتیگراد": "سلسیوس",
}
ARABIC_WORDING = {"الأماكن الزيارية": "أماكن الزيارة"}


@pytest.fixture(scope="module")
def definitions():
    return {entry.definition["code"]: entry.definition for entry in load_all(PROJECT_ROOT)}


def texts(node, lang, path=""):
    """(path, text) of every text in ``lang`` in a definition."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield path, value
            else:
                yield from texts(value, lang, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, lang, f"{path}[{index}]")


@pytest.mark.parametrize("lang, wording", [("fa", PERSIAN_SPELLINGS), ("ar", ARABIC_WORDING)])
def test_each_term_has_one_spelling(definitions, lang, wording):
    found = [f"{code} {path}: {avoid} -> {use}" for code, definition in definitions.items()
             for path, text in texts(definition, lang) for avoid, use in wording.items() if avoid in text]
    assert found == []


def test_degrees_celsius_are_written_alike(definitions):
    units = {item["unit"]["fa"] for definition in definitions.values() for item in definition["items"]
             if item.get("unit", {}).get("en") == "°C"}
    assert units == {"درجه سلسیوس"}


@pytest.mark.parametrize("english, persian", [("Dear passenger", "مسافر گرامی"), ("Dear pilgrim", "زائر گرامی"),
                                               ("Dear applicant", "متقاضی گرامی")])
def test_the_persian_salutation_addresses_whom_the_translation_does(definitions, english, persian):
    addressed = {code: d["introduction"]["fa"].split("،")[0] for code, d in definitions.items()
                 if d["introduction"]["en"].startswith(english)}
    assert addressed and set(addressed.values()) == {persian}, addressed


# Singular second-person forms; SRV-Q07 addresses the bereaved family in the plural throughout,
# as its introduction and thank-you do («نتقدّم إليكم», «نشكركم»).
ARABIC_SINGULAR = re.compile(r"(رضاك|لديك|اسمك|تفهمها|فاكتبها|جئتَ?|تأتِ|اترك|تتحدث|أنتَ?)(?=[\s؟،.)]|$)")


def test_the_cemetery_questionnaire_speaks_arabic_in_the_plural(definitions):
    singular = [(path, text) for path, text in texts(definitions["SRV-Q07"], "ar")
                if path != "dont_know" and ARABIC_SINGULAR.search(text)]
    assert singular == []
    assert ARABIC_SINGULAR.search("إذا كان لديك اقتراح") and not ARABIC_SINGULAR.search("إذا كان لديكم اقتراح")
