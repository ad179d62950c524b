"""Persian text in ReportLab: conversion to display order, line breaking, and the PDF read back.

Expected display forms are written out by hand from the Unicode presentation-form charts
(e.g. «سلام» is SEEN initial U+FEB3, LAM-ALEF final U+FEFC, MEEM isolated U+FEE1), and the
ordering is checked against python-bidi's own ``get_display``.
"""
from __future__ import annotations

import io

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from pdf_reading import letters, normalise
from surveyor.reporting import fonts
from surveyor.reporting._bidi import visual_order
from surveyor.reporting.persian_text import (
    draw_centred_line,
    draw_paragraph,
    latin,
    layout_paragraph,
    paragraph,
    paragraph_style,
    prepare,
    shape,
    text_width,
    visual_line,
    wrap,
)

SENTENCE = ("شهروندان گرامی، لطفاً پیش از ترک ایستگاه به پرسش‌های کوتاه این نظرسنجی پاسخ دهید "
            "تا کیفیت خدمات شهری بهتر شود")
# About 120 words: Persian with numbers, a Latin run, ZWNJ and vowel marks.
LONG_TEXT = " ".join([SENTENCE, "در سال 1403 بیش از 250 ایستگاه بررسی شد و میانگین رضایت 4.2 بود.",
                      "نسخهٔ جدید سامانه Surveyor در منطقهٔ 12 آزمایش می‌شود."] * 4)


def fa(text: str) -> str:
    return visual_line(prepare(text, "fa"), "fa")


@pytest.fixture(scope="module", autouse=True)
def registered_fonts():
    fonts.register_fonts()


def test_persian_word_is_joined_and_reversed():
    assert fa("سلام") == "\ufee1\ufefc\ufeb3"


@pytest.mark.parametrize("text", [SENTENCE.replace("،", ""), "بوستان ملت ورودی شمالی",
                                  "استطلاع رضا المواطنين عن خدمات المترو"])
def test_right_to_left_text_reads_back_in_logical_order(text):
    assert normalise(fa(text)[::-1]) == normalise(text)


def test_zwnj_keeps_letters_apart_and_is_removed():
    line = fa("می‌خواهم")
    assert "\u200c" not in line
    # FARSI YEH stays final (U+FBFD) and KHAH starts a new joined group (initial, U+FEA7);
    # ALEF after WAW, which never joins forwards, is isolated (U+FE8D).
    assert line == "\ufee2\ufeeb\ufe8d\ufeee\ufea7\ufbfd\ufee3"


def test_numbers_keep_their_order_and_use_persian_digits():
    line = fa("نسخه 2.5 از سال 1403")
    assert "۲.۵" in line and "۱۴۰۳" in line
    assert line.index("۱۴۰۳") < line.index("۲.۵")  # later in reading order: further left


def test_latin_runs_keep_their_order():
    line = fa("با Surveyor نسخه beta کار کنید")
    assert "beta" in line and "Surveyor" in line
    assert line.index("beta") < line.index("Surveyor")
    assert line.endswith(shape("با")[::-1])


def test_latin_marked_runs_keep_order_and_digits():
    assert prepare("کد " + latin("AB-12") + " و 12", "fa") == "کد \u2066AB-12\u2069 و ۱۲"
    line = fa("تلفن " + latin("+98 21 1234") + " است")
    assert "+98 21 1234" in line
    assert "\u2066" not in line and "\u2069" not in line


@pytest.mark.parametrize("text, opening, closing", [
    ("(آزمایشی)", "(", ")"),
    ("[آزمایشی]", "[", "]"),
    ("«مترو»", "«", "»"),
])
def test_brackets_are_mirrored_in_right_to_left_text(text, opening, closing):
    # In display order the leftmost bracket closes the phrase: it must be drawn as «(».
    line = fa(text)
    assert line[0] == opening and line[-1] == closing


def test_brackets_around_latin_and_numbers_inside_persian():
    line = fa("نسخه (beta) و ایستگاه (خط 2) جدید")
    assert "(beta)" in line
    assert "(\ufeec\ufea7 ۲)" not in line and "(۲ \ufec2\ufea7)" in line


def test_english_paragraph_with_a_persian_name():
    line = visual_line(prepare("Welcome to Shohada (شهدا) station", "en"), "en")
    assert line.startswith("Welcome to Shohada (")
    assert line.endswith(") station")
    assert normalise(line[line.index("(") + 1:line.index(")")][::-1]) == "شهدا"


_MIXED = st.text(alphabet=list("سلامپچژکگیآ بج abcXY 0123۱۲۳٫٬.,-+%()[]«»<>")
                 + ["\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e", "\u0660"],
                 min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_MIXED, st.sampled_from("RL"))
def test_display_order_equals_python_bidi(text, base):
    # python-bidi does not mirror; with mirroring off the orders must be identical.
    assert visual_order(text, base, mirror=False) == get_display(text, base_dir=base)


def test_long_paragraph_wraps_in_logical_order():
    text = prepare(LONG_TEXT, "fa")
    width = 70 * mm
    lines = wrap(text, fonts.REGULAR, 11, width)
    assert len(lines) > 8
    assert " ".join(lines) == text
    assert lines[0].startswith("شهروندان گرامی")
    for line in lines:
        drawn = stringWidth(visual_line(line, "fa"), fonts.REGULAR, 11)
        assert drawn <= width
        assert drawn == pytest.approx(text_width(line, fonts.REGULAR, 11))
    # Lines are filled: the next word would not have fitted.
    for line, following in zip(lines, lines[1:]):
        longer = line + " " + following.split(" ")[0]
        assert text_width(longer, fonts.REGULAR, 11) > width


def test_wrap_keeps_line_ends_and_cuts_words_wider_than_the_line():
    url = "https://s.example.ir/s/" + "A" * 60
    lines = wrap(prepare("اول\nنشانی " + latin(url), "fa"), fonts.REGULAR, 10, 40 * mm)
    assert lines[0] == "اول"
    assert "".join(lines[2:]).replace("\u2066", "").replace("\u2069", "") == url
    assert all(text_width(line, fonts.REGULAR, 10) <= 40 * mm for line in lines)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="width"):
        wrap("سلام", fonts.REGULAR, 10, 0)
    with pytest.raises(ValueError, match="align"):
        draw_paragraph(Canvas(io.BytesIO()), "سلام", x=0, top=100, width=100,
                       font=fonts.REGULAR, size=10, lang="fa", align="right")


def test_font_has_every_joined_form():
    letters = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيپچژکگیۀ"
    samples = [ctx for ch in letters for ctx in (ch, "ب" + ch, ch + "ب", "ب" + ch + "ب", "ل" + ch)]
    text = fa(" ".join(samples) + " ۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩ ٫٬ ABC xyz ()[]«»%+=")
    for font in (fonts.REGULAR, fonts.BOLD):
        assert fonts.missing_glyphs(text, font) == ""


def test_names_print_as_letters_not_as_word_signs():
    assert "\ufdf2" not in fa("عبدالله") and "\ufdfc" not in fa("۱۰۰ ریال")
    assert fa("لا") == "\ufefb"  # LAM-ALEF is a required ligature


def test_canvas_text_reads_back_in_logical_order(pdf_tools):
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A5)
    width = A5[0] - 30 * mm
    draw_centred_line(canvas, "گزارش آزمایشی منطقه 5", x=A5[0] / 2, y=A5[1] - 20 * mm,
                      font=fonts.BOLD, size=14, lang="fa")
    used = draw_paragraph(canvas, LONG_TEXT, x=15 * mm, top=A5[1] - 30 * mm, width=width,
                          font=fonts.REGULAR, size=10, lang="fa")
    block = layout_paragraph(LONG_TEXT, font=fonts.REGULAR, size=10, width=width, lang="fa")
    assert used == pytest.approx(block.height) and len(block.lines) > 10
    canvas.showPage()
    canvas.save()
    pdf = out.getvalue()
    pdf_tools.render(pdf, "canvas")
    expected = "گزارش آزمایشی منطقه ۵ " + prepare(LONG_TEXT, "fa")
    assert letters(pdf_tools.text(pdf)) == letters(expected)


def test_platypus_paragraphs_split_across_pages(pdf_tools):
    style = paragraph_style("body", size=11)
    english = paragraph_style("body-en", size=10, lang="en")
    title = paragraph_style("title", size=16, bold=True)
    story = [paragraph("گزارش آزمایشی", title, "fa", "center"),
             paragraph(" ".join([LONG_TEXT] * 6), style, "fa"),
             paragraph("Report for Shohada station, district 12.", english, "en")]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A5, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    pdf = out.getvalue()
    assert pdf_tools.page_count(pdf) >= 3
    pdf_tools.render(pdf, "platypus")
    assert letters(pdf_tools.text(pdf)) == letters(
        "گزارش آزمایشی " + prepare(" ".join([LONG_TEXT] * 6), "fa")
        + " Report for Shohada station, district 12.")


def test_paragraph_follows_the_frame_width():
    style = paragraph_style("body", size=11)
    flowable = paragraph(LONG_TEXT, style, "fa")
    _, narrow = flowable.wrap(60 * mm, 1000 * mm)
    _, wide = flowable.wrap(120 * mm, 1000 * mm)
    assert narrow > wide * 1.5
    first, rest = flowable.split(120 * mm, style.leading * 3)
    assert first.wrap(120 * mm, 1000 * mm)[1] == pytest.approx(style.leading * 3)
    assert first.text.replace("\n", " ") + " " + rest.text == prepare(LONG_TEXT, "fa")
