"""Report definitions in reports/: the shipped ones are complete, and a broken one is refused
with every problem named at once (file, section, text)."""

from __future__ import annotations

import shutil
from string import Formatter

import pytest
import yaml

from surveyor.reporting.checklist import SECTION_IDS as CHECKLIST_SECTIONS
from surveyor.reporting.layout.definition import (
    REPORTS_DIR,
    ReportDefinitionError,
    read_definition,
    report_definition,
)
from surveyor.reporting.questionnaire import SECTION_IDS as QUESTIONNAIRE_SECTIONS

KINDS = {"questionnaire": QUESTIONNAIRE_SECTIONS, "checklist": CHECKLIST_SECTIONS}


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_definitions_have_every_section_in_both_languages(kind):
    definition = report_definition(kind, KINDS[kind])
    assert (
        definition.sections == KINDS[kind]
    )  # every section the builder draws, in the shipped order
    assert definition.languages == ("fa", "en")
    for block, texts in definition.texts.items():
        for key, text in texts.items():
            assert text["fa"].strip() and text["en"].strip(), (block, key)
            names = [
                {n for _, n, _, _ in Formatter().parse(text[lang]) if n} for lang in ("fa", "en")
            ]
            assert names[0] == names[1], (block, key)
    assert definition.text("page", "footer", "fa", page="۲", pages="۹") == "صفحه ۲ از ۹"


def test_a_broken_definition_is_refused_with_every_problem(tmp_path):
    data = yaml.safe_load((REPORTS_DIR / "checklist.yaml").read_text(encoding="utf-8"))
    data["sections"][1]["texts"]["heading"] = {"fa": "خلاصه"}  # no English
    data["sections"][1]["texts"]["intro"][
        "en"
    ] = "Between {start} and {finish}"  # other placeholders
    data["sections"].append({"id": "gallery", "texts": {}})  # unknown section
    data["sections"].append({"id": "summary", "texts": {}})  # twice
    data["page"]["footer"]["fa"] = "صفحه {page از {pages}"  # unbalanced brace
    path = tmp_path / "checklist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReportDefinitionError) as caught:
        read_definition(path, "checklist", CHECKLIST_SECTIONS)
    message = str(caught.value)
    assert str(path) in message
    assert "'summary', text 'heading': no 'en' text" in message
    assert "'summary', text 'intro': the languages use different placeholders" in message
    assert "id 'gallery', which this report cannot draw" in message
    assert "section 'summary' appears twice" in message
    assert "'page', text 'footer' [fa]" in message
    assert len(message.splitlines()) == 5


def test_a_text_with_a_placeholder_the_report_does_not_fill_names_it(tmp_path):
    shutil.copy(REPORTS_DIR / "questionnaire.yaml", tmp_path / "questionnaire.yaml")
    definition = report_definition("questionnaire", QUESTIONNAIRE_SECTIONS, tmp_path)
    with pytest.raises(
        ValueError, match=r"\{page\}, which the report does not fill; it fills: pages"
    ):
        definition.text("page", "footer", "en", pages="3")
    with pytest.raises(ValueError, match="has no texts in 'ar'"):
        definition.text("page", "header", "ar")


def test_a_definition_is_read_again_when_its_file_changes(tmp_path):
    path = tmp_path / "questionnaire.yaml"
    shutil.copy(REPORTS_DIR / "questionnaire.yaml", path)
    first = report_definition("questionnaire", QUESTIONNAIRE_SECTIONS, tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"] = [s for s in data["sections"] if s["id"] != "appendix"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = report_definition("questionnaire", QUESTIONNAIRE_SECTIONS, tmp_path)
    assert "appendix" in first.sections and "appendix" not in second.sections
