"""Questionnaire reports from demo data, read back as a reader would: the words by pdftotext
(NFKC, in reading order), table rows by pdftotext -layout, the first pages rendered by pdftoppm."""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
import pytest
from PIL import Image
from sqlalchemy import select

from pdf_reading import normalise
from report_reading import fixed_text, in_order, ink_box, key, render_first_pages, table_rows
from surveyor.formatting import format_number, format_percent, jalali_date
from surveyor.i18n import localized
from surveyor.models import Instrument
from surveyor.reporting.report import build_report
from surveyor.results.data import Filters, load_responses
from surveyor.results.questionnaire import questionnaire_results

PRIMARY = (0x0F, 0x4C, 0x5C)


@pytest.fixture
def metro(loaded, runner):
    result = runner.invoke(
        args=["demo", "--responses", "1500", "--instrument", "TRN-Q01", "--seed", "11"]
    )
    assert result.exit_code == 0, result.output
    return loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))


def figures(session, instrument, filters=Filters()):
    frame, districts, flagged = load_responses(session, instrument.id, filters)
    return questionnaire_results(
        frame, instrument.latest.definition, flagged_excluded=flagged, districts=districts
    )


def page_of(pdf_tools, pdf, heading: str) -> int:
    """The first page with a line that reads ``heading``."""
    for page in range(1, pdf_tools.page_count(pdf) + 1):
        if any(key(line) == key(heading) for line in pdf_tools.text(pdf, page).splitlines()):
            return page
    raise AssertionError(f"{heading!r} is on no page")


def test_persian_report_from_the_command(metro, runner, db, pdf_tools, tmp_path):
    out = tmp_path / "metro-fa.pdf"
    result = runner.invoke(args=["report", "trn-q01", "--lang", "fa", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    session = db.session
    results = figures(session, metro)
    definition = metro.latest.definition
    labels = {item["code"]: localized(item["labels"], "fa") for item in definition["items"]}
    pages = pdf_tools.page_count(pdf)
    assert pages >= 8

    cover = pdf_tools.text(pdf, 1)
    assert in_order(
        cover,
        localized(definition["title"], "fa"),
        "TRN-Q01",
        fixed_text("questionnaire", "cover", "sample", "fa", n=format_number(results.n, "fa")),
    )
    assert format_number(results.n, "fa") in normalise(cover) and "٬" in format_number(
        results.n, "fa"
    )

    summary = pdf_tools.text(pdf, 2)
    assert not re.search(r"[0-9]", summary), "a Persian page shows ASCII digits"
    mean = format_number(results.overall["mean"], "fa", 2)
    assert in_order(
        summary,
        fixed_text("questionnaire", "summary", "heading", "fa"),
        mean,
        format_percent(100 * results.overall["top_two_box"], "fa"),
        fixed_text("questionnaire", "summary", "fix_heading", "fa"),
        *(labels[code] for code in results.fix_first),
    )  # the three to fix, in order
    assert in_order(
        summary,
        fixed_text(
            "questionnaire", "page", "footer", "fa", page="۲", pages=format_number(pages, "fa")
        ),
    )

    # A paragraph with numbers and a quoted title reads in order once NFKC-normalised.
    answered = load_responses(session, metro.id, Filters())[0]["_submitted_at"]
    intro = fixed_text(
        "questionnaire",
        "summary",
        "intro",
        "fa",
        n=format_number(results.n, "fa"),
        start=jalali_date(answered.min(), "fa", style="long"),
        end=jalali_date(answered.max(), "fa", style="long"),
        title=localized(definition["title"], "fa"),
    )
    assert key(intro) in key(summary)

    # Tables run right to left: pdftotext -layout gives the cells left to right, so a row
    # reversed is the row in reading order.
    districts_page = page_of(
        pdf_tools, pdf, fixed_text("questionnaire", "districts", "heading", "fa")
    )
    one = results.districts.set_index("district").loc[1]
    rows = [
        row[::-1]
        for row in table_rows(pdf_tools, pdf, districts_page)
        + table_rows(pdf_tools, pdf, districts_page + 1)
    ]
    expected = ["منطقه ۱", format_number(one["n"], "fa"), format_number(one["mean"], "fa", 2)]
    assert any(row[:3] == expected for row in rows), rows

    images = render_first_pages(pdf_tools, pdf, "questionnaire-fa", pages=3)
    with Image.open(images[0]) as cover_image:
        assert cover_image.convert("RGB").getpixel((20, 20)) == PRIMARY
    heading = ink_box(images[1], 24, 34)  # «خلاصه برای مدیران», right-aligned at the right margin
    assert heading and heading[2] > 827 - 80 and heading[0] > 827 / 2


def test_english_report_is_left_to_right(metro, db, pdf_tools):
    pdf = build_report(db.session, metro, Filters(), "en", today=dt.date(2025, 3, 1))
    results = figures(db.session, metro)
    labels = {item["code"]: item["labels"]["en"] for item in metro.latest.definition["items"]}
    text = pdf_tools.text(pdf)
    assert not re.search(
        "[\u0600-\u06ff]", pdf_tools.text(pdf, 2)
    ), "Persian digits or words on an English page"
    assert in_order(
        text,
        "Metro passenger satisfaction",
        "Questionnaire TRN-Q01",
        f"Responses analysed: {results.n:,}",
        "Prepared on 11 Esfand 1403",
        "Executive summary",
        f"{results.overall['mean']:.2f}",
        "What to fix first",
        *(labels[code] for code in results.fix_first),
        "Page 2 of",
    )
    assert in_order(
        text,
        "What drives overall satisfaction?",
        labels[results.drivers.iloc[0]["driver"]],
        "Importance-performance matrix",
        "Concentrate here",
        "Districts compared",
        "Respondents' comments",
        "Appendix: the questionnaire's wording",
        "recommend",
    )
    districts_page = page_of(pdf_tools, pdf, "Districts compared")
    one = results.districts.set_index("district").loc[1]
    rows = table_rows(pdf_tools, pdf, districts_page) + table_rows(
        pdf_tools, pdf, districts_page + 1
    )
    assert any(
        row[:3] == ["District 1", f"{int(one['n'])}", f"{one['mean']:.2f}"] for row in rows
    ), rows
    images = render_first_pages(pdf_tools, pdf, "questionnaire-en", pages=3)
    heading = ink_box(images[1], 24, 34)  # «Executive summary» at the left margin
    assert heading and heading[0] < 80 and heading[2] < 827 / 2


def test_report_command_with_a_jalali_period_and_a_district(metro, runner, db, pdf_tools, tmp_path):
    today = jdatetime.date.today()
    start = jdatetime.date(today.year - 1, today.month, 1)
    end = jdatetime.date.fromgregorian(date=dt.date.today() - dt.timedelta(days=30))
    out = tmp_path / "district.pdf"
    result = runner.invoke(
        args=[
            "report",
            "TRN-Q01",
            "--from",
            start.strftime("%Y/%m/%d"),
            "--to",
            end.strftime("%Y/%m/%d"),
            "--district",
            "3",
            "--lang",
            "en",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    filters = Filters(date_from=start.togregorian(), date_to=end.togregorian(), district=3)
    results = figures(db.session, metro, filters)
    cover = pdf_tools.text(out.read_bytes(), 1)
    assert in_order(
        cover,
        f"Period: {jalali_date(start.togregorian(), 'en', style='long')} to "
        f"{jalali_date(end.togregorian(), 'en', style='long')}",
        f"Responses analysed: {results.n:,}",
        "Filters",
        "Only District 3",
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "XYZ-Q99", "-o", "x.pdf"], "no instrument 'XYZ-Q99'"),
        (["report", "TRN-Q01", "--from", "1403/13/01", "-o", "x.pdf"], "not a valid Jalali date"),
        (
            ["report", "TRN-Q01", "--from", "1403/09/01", "--to", "1403/07/01", "-o", "x.pdf"],
            "--from is after --to",
        ),
    ],
)
def test_report_command_explains_what_is_wrong(loaded, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output
