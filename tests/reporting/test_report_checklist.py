"""Checklist reports from generated inspections (surveyor/demo/inspections.py through `surveyor demo
--inspections`), read back with pdftotext and rendered with pdftoppm; and reports with no data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from report_reading import fixed_text, in_order, ink_box, key, render_first_pages, table_rows
from surveyor.formatting import format_number, format_percent
from surveyor.models import CorrectiveAction, Inspection, Instrument
from surveyor.results.checklist import ChecklistFigures
from surveyor.reporting.report import build_report
from surveyor.reporting.checklist import ChecklistData, checklist_report
from surveyor.reporting.layout.writer import ReportScope
from surveyor.reporting.questionnaire import QuestionnaireData, questionnaire_report
from surveyor.results.data import Filters
from surveyor.results.questionnaire import QuestionnaireResults


@pytest.fixture
def stations(loaded, runner):
    result = runner.invoke(
        args=[
            "demo",
            "--responses",
            "0",
            "--instrument",
            "TRN-C01",
            "--inspections",
            "160",
            "--seed",
            "5",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "TRN-C01: 160 inspections at 13 sites" in result.output
    return loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-C01"))


def stored(session, checklist):
    """Mean score and critical failures as stored with the inspections (computed independently)."""
    rows = session.execute(
        select(Inspection.score_percent, Inspection.critical_failed).where(
            Inspection.instrument_id == checklist.id
        )
    ).all()
    mean = sum(score for score, _ in rows) / len(rows)
    critical = sum(bool(failed) for _, failed in rows)
    open_ = session.scalar(
        select(func.count()).select_from(CorrectiveAction).where(CorrectiveAction.status == "open")
    )
    return mean, int(critical), open_


def test_persian_checklist_report(stations, runner, db, pdf_tools, tmp_path):
    out = tmp_path / "stations-fa.pdf"
    result = runner.invoke(args=["report", "TRN-C01", "-o", str(out)])  # Persian by default
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    mean, critical, open_ = stored(db.session, stations)
    pages = pdf_tools.page_count(pdf)
    assert in_order(
        pdf_tools.text(pdf, 1),
        "کیفیت ایستگاه قطار شهری",
        "TRN-C01",
        fixed_text("checklist", "cover", "sample", "fa", n=format_number(160, "fa")),
    )
    summary = pdf_tools.text(pdf, 2)
    assert not re.search(r"[0-9]", summary), "a Persian page shows ASCII digits"
    assert in_order(
        summary,
        fixed_text("checklist", "summary", "heading", "fa"),
        format_percent(mean, "fa", 1),
        format_percent(100 * critical / 160, "fa"),
        format_number(open_, "fa"),
        fixed_text("checklist", "summary", "fix_heading", "fa"),
        fixed_text("checklist", "page", "footer", "fa", page="۲", pages=format_number(pages, "fa")),
    )
    text = pdf_tools.text(pdf)
    assert in_order(
        text,
        fixed_text("checklist", "methodology", "heading", "fa"),
        stations.latest.definition["scoring"]["rule_text"]["fa"],
        fixed_text("checklist", "critical", "heading", "fa"),
        fixed_text("checklist", "actions", "heading", "fa"),
        fixed_text("checklist", "ranking", "heading", "fa"),
        fixed_text("checklist", "appendix", "heading", "fa"),
    )
    # The ranking's first row, read right to left: rank 1, then the best site's name.
    ranking = next(
        p
        for p in range(1, pages + 1)
        if key(fixed_text("checklist", "ranking", "explain", "fa")) in key(pdf_tools.text(pdf, p))
    )
    rows = [row[::-1] for row in table_rows(pdf_tools, pdf, ranking)]
    assert any(row[0] == "۱" and row[1].startswith("ایستگاه قطار شهری منطقه") for row in rows), rows
    images = render_first_pages(pdf_tools, pdf, "checklist-fa", pages=3)
    heading = ink_box(images[1], 24, 34)
    assert heading and heading[2] > 827 - 80 and heading[0] > 827 / 2


def test_english_checklist_report(stations, db, pdf_tools):
    pdf = build_report(db.session, stations, Filters(), "en")
    mean, critical, open_ = stored(db.session, stations)
    text = pdf_tools.text(pdf)
    assert in_order(
        text,
        "Metro station quality",
        "Checklist TRN-C01",
        "Inspections analysed: 160",
        "Executive summary",
        f"{mean:.1f}%",
        f"{100 * critical / 160:.0f}%",
        f"{open_}",
        "The three items failed most often",
        "Page 2 of",
        "Critical items",
        "Items passed least often",
        "Corrective actions",
        "Sites ranked",
        "Appendix: the checklist's wording",
        "entrances_open",
    )
    render_first_pages(pdf_tools, pdf, "checklist-en", pages=3)


def test_a_checklist_report_for_a_period_without_inspections(stations, db, pdf_tools):
    filters = Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 2, 1))
    pdf = build_report(db.session, stations, filters, "fa")
    assert in_order(
        pdf_tools.text(pdf),
        fixed_text("checklist", "cover", "sample", "fa", n="۰"),
        fixed_text("checklist", "common", "no_data", "fa"),
    )


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_questionnaire_report_without_answers(instrument_files, pdf_tools, lang):
    definition = next(f.definition for f in instrument_files if f.definition["code"] == "CIV-Q01")
    scope = ReportScope(
        code="CIV-Q01",
        title=definition["title"],
        version=1,
        filters=Filters(district=4),
        start=None,
        end=None,
        generated_on=dt.date(2025, 3, 1),
    )
    pdf = questionnaire_report(
        QuestionnaireData(QuestionnaireResults(n=0, flagged_excluded=0), definition, scope), lang
    )
    text = pdf_tools.text(pdf)
    assert in_order(
        text,
        fixed_text(
            "questionnaire",
            "cover",
            "filter_district",
            lang,
            value="منطقه ۴" if lang == "fa" else "District 4",
        ),
        fixed_text("questionnaire", "common", "no_data", lang),
    )
    checklist = next(f.definition for f in instrument_files if f.definition["code"] == "SRV-C01")
    empty = checklist_report(ChecklistData(ChecklistFigures(), checklist, scope), lang)
    assert in_order(pdf_tools.text(empty), fixed_text("checklist", "common", "no_data", lang))
