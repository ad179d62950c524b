"""The formatting layer: digits, numbers and Jalali dates."""
import datetime as dt

import pytest

from surveyor import formatting as f


def test_digits_per_language():
    assert f.localize_digits("TRN-Q01 v12", "fa") == "TRN-Q۰۱ v۱۲"
    assert f.localize_digits(1403, "ar") == "١٤٠٣"
    assert f.localize_digits(1403, "en") == "1403"
    assert f.ascii_digits("۱۴۰۳/٠٨/15") == "1403/08/15"


def test_numbers_use_persian_separators():
    assert f.format_number(12345.678, "fa", 1) == "۱۲٬۳۴۵٫۷"
    assert f.format_number(12345.678, "en", 2) == "12,345.68"
    assert f.format_number(-3, "fa") == "\u200e\u2212۳"
    assert f.jalali_month_label(1403, 8, "fa") == "آبان ۱۴۰۳"
    assert f.format_percent(85, "fa") == "۸۵٪" and f.format_percent(85.25, "en", 1) == "85.2%"


# Reference dates from the official Iranian calendar: Nowruz 1403 fell on 20 March 2024,
# and 15 Aban 1403 is 5 November 2024.
@pytest.mark.parametrize("gregorian, jalali", [
    (dt.date(2024, 3, 20), "1403/01/01"),
    (dt.date(2024, 11, 5), "1403/08/15"),
    (dt.date(2025, 3, 20), "1403/12/30"),
])
def test_jalali_dates(gregorian, jalali):
    assert f.jalali_date(gregorian, "en") == jalali
    assert f.jalali_date(gregorian, "fa") == f.localize_digits(jalali, "fa")
    assert f.parse_jalali_date(f.localize_digits(jalali, "fa")) == gregorian


def test_long_jalali_date_and_time_zone():
    # 21:00 UTC on 4 Nov 2024 is 00:30 on 5 Nov in Tehran (UTC+3:30), i.e. 15 Aban.
    moment = dt.datetime(2024, 11, 4, 21, 0, tzinfo=dt.timezone.utc)
    assert f.jalali_date(moment, "fa", style="long") == "۱۵ آبان ۱۴۰۳"
    assert f.jalali_datetime(moment, "en") == "1403/08/15 00:30"
    assert f.jalali_date(moment, "en", style="month") == "Aban 1403"


def test_invalid_jalali_dates_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="YYYY/MM/DD"):
        f.parse_jalali_date("1403-13")
    with pytest.raises(ValueError, match="not a valid Jalali date"):
        f.parse_jalali_date("1403/12/31")  # 1403 is a leap year with 30 days in Esfand; 31 never exists


def test_direction():
    assert f.text_direction("fa") == f.text_direction("ar") == "rtl"
    assert f.text_direction("en") == "ltr"


def test_today_is_the_display_time_zone_s_day():
    """UTC+14 and UTC-12 are 26 hours apart: their dates always differ, by one or two days."""
    from surveyor.formatting import local_today
    ahead, behind = local_today("Pacific/Kiritimati"), local_today("Etc/GMT+12")
    assert 1 <= (ahead - behind).days <= 2
