"""QR codes and posters, read back as a person (and a phone) would: pages rendered at 100 dpi
by pdftoppm, the codes decoded by zbarimg, the words extracted by pdftotext."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from pdf_reading import letters
from surveyor.reporting.posters import Poster, posters_pdf, qr_png, qr_svg

HEADING = {"fa": "شهرداری مشهد مقدس", "ar": "بلدية مشهد المقدسة", "en": "Mashhad Municipality"}
CALL = {"fa": "با اسکن این کد، در یک دقیقه نظر خود را بگویید",
        "ar": "امسح هذا الرمز وشاركنا رأيك في دقيقة واحدة",
        "en": "Scan this code and tell us what you think in one minute"}
METRO = {"fa": "نظرسنجی رضایت شهروندان از خدمات مترو",
         "ar": "استطلاع رضا المواطنين عن خدمات المترو",
         "en": "Citizen satisfaction with metro services"}


def make_poster(**overrides) -> Poster:
    fields = dict(heading=HEADING, instrument_title=METRO,
                  point_name={"fa": "ایستگاه مترو میدان شهدا", "ar": "محطة مترو ميدان الشهداء",
                              "en": "Shohada Square metro station"},
                  languages=("fa", "ar", "en"), district=5,
                  url="https://s.mashhad.ir/s/Ab3dEf9hJk2L", call_to_action=CALL)
    fields.update(overrides)
    return Poster(**fields)


def code_box(png) -> tuple[int, int, int, int]:
    """Pixel box of the pure black on a page: only the QR code is printed in pure black."""
    with Image.open(png) as image:
        mask = image.convert("L").point(lambda value: 255 if value < 16 else 0)
        return mask.getbbox()


def test_qr_png_decodes_to_the_link(pdf_tools):
    url = "https://s.mashhad.ir/s/Ab3dEf9hJk2L"
    png = qr_png(url, box_size=4)
    assert png.startswith(b"\x89PNG")
    path = pdf_tools.tmp_path / "code.png"
    path.write_bytes(png)
    assert pdf_tools.decode_qr(path) == [url]


def test_qr_svg_is_a_standalone_svg():
    svg = qr_svg("https://s.mashhad.ir/s/Ab3dEf9hJk2L")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")
    paths = root.findall(".//{http://www.w3.org/2000/svg}path")
    assert paths and len(paths[-1].get("d")) > 100


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_poster_page_decodes_and_reads_in_persian_arabic_and_english(size, pdf_tools):
    poster = make_poster()
    pdf = posters_pdf([poster], size)
    assert pdf_tools.page_count(pdf) == 1
    [page] = pdf_tools.render(pdf, size)
    assert pdf_tools.decode_qr(page) == [poster.url]
    left, top, right, bottom = code_box(page)
    code_mm = (right - left) / 100 * 25.4
    assert code_mm >= {"A4": 65, "A5": 45}[size]  # black modules only, without the quiet zone
    assert bottom - top == pytest.approx(right - left, abs=2)
    page_width = {"A4": A4, "A5": A5}[size][0] / 72 * 100
    assert (left + right) / 2 == pytest.approx(page_width / 2, abs=2)
    text = letters(pdf_tools.text(pdf))
    for expected in [HEADING["fa"], METRO["fa"], "ایستگاه مترو میدان شهدا", CALL["fa"],
                     METRO["ar"], "محطة مترو ميدان الشهداء", METRO["en"],
                     poster.url, "منطقه ۵"]:
        assert letters(expected) in text


def test_district_pdf_has_one_page_per_poster_in_order(pdf_tools):
    posters = [
        make_poster(url="https://s.mashhad.ir/s/Ab3dEf9hJk2L"),
        make_poster(url="https://s.mashhad.ir/s/Zz9yXw8vUt7S", languages=("fa",),
                    point_name={"fa": "بوستان ملت، ورودی شمالی"}),
        make_poster(url="https://s.mashhad.ir/s/Qq1wEe2rTt3Y", languages=("fa", "en"),
                    point_name={"fa": "پایانه مسافربری امام رضا (ع)",
                                "en": "Imam Reza bus terminal"}),
    ]
    pdf = posters_pdf(posters, "A5")
    pages = pdf_tools.render(pdf, "district")
    assert [pdf_tools.decode_qr(page) for page in pages] == [[p.url] for p in posters]
    fa_only, fa_en = letters(pdf_tools.text(pdf, 2)), letters(pdf_tools.text(pdf, 3))
    assert letters("بوستان ملت، ورودی شمالی") in fa_only
    assert letters(METRO["ar"]) not in fa_only and "Citizen" not in fa_only
    assert letters("Imam Reza bus terminal") in fa_en and letters(METRO["ar"]) not in fa_en


def test_long_names_wrap_inside_the_margins_of_an_a5_page(pdf_tools):
    poster = make_poster(
        instrument_title={"fa": "پرسش‌نامه سنجش کیفیت خدمات پارک‌ها، بوستان‌ها و فضای سبز شهری "
                                "برای خانواده‌ها، سالمندان و گردشگران در فصل تابستان ۱۴۰۳",
                          "ar": METRO["ar"] + " والحدائق العامة والمساحات الخضراء في المدينة",
                          "en": "Quality of parks, gardens and green spaces for families, "
                                "older people and visitors, summer 1403"},
        point_name={"fa": "بوستان ملت، ورودی شمالی روبه‌روی ایستگاه اتوبوس (خط ۷۲)",
                    "en": "Mellat Park, north entrance opposite the bus stop (line 72)"})
    pdf = posters_pdf([poster], "A5")
    [page] = pdf_tools.render(pdf, "long")
    assert pdf_tools.decode_qr(page) == [poster.url]
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"',
                       pdf_tools.text(pdf, None, "-bbox"))
    assert len(boxes) > 40
    margin = 12 * mm - 1  # the A5 margin, less a point for glyph side bearings
    for box in boxes:
        x0, y0, x1, y1 = map(float, box)
        assert margin <= x0 and x1 <= A5[0] - margin and margin <= y0 and y1 <= A5[1] - margin


def test_text_too_long_for_the_page_is_refused():
    poster = make_poster(instrument_title={"fa": " ".join(["پرسش‌نامه سنجش کیفیت خدمات"] * 80)})
    with pytest.raises(ValueError, match="too long"):
        posters_pdf([poster], "A5")


def test_characters_the_font_lacks_are_refused_by_name():
    posters = [make_poster(), make_poster(point_name={"fa": "ایستگاه 🚇 شهدا"})]
    with pytest.raises(ValueError, match="poster 2 .*point_name \\[fa\\].*🚇"):
        posters_pdf(posters, "A4")


def test_poster_checks_every_field_at_once():
    with pytest.raises(ValueError) as error:
        make_poster(languages=("en", "ar"), instrument_title={"en": "Metro"}, district=-1,
                    url="https://s.mashhad.ir/s/a b")
    message = str(error.value)
    for part in ("languages must include 'fa'", "instrument_title has no Persian",
                 "district", "url"):
        assert part in message


def test_poster_fields_cannot_be_changed():
    poster = make_poster()
    with pytest.raises(TypeError):
        poster.instrument_title["fa"] = "دیگر"


def test_unknown_page_size_and_empty_list_are_refused():
    with pytest.raises(ValueError, match="A4, A5"):
        posters_pdf([make_poster()], "Letter")
    with pytest.raises(ValueError, match="no posters"):
        posters_pdf([], "A4")
