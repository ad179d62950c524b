"""The labels of the export's own columns and codes, in each language the exports are written in.

Item wording and option labels come from the instrument definitions; these are the rest: the
response and inspection columns that every export has, and codes such as pass / fail / na.
They are dataset metadata written into files in the language asked for (whatever the
interface language), so they are kept here with the instrument-like ``{lang: text}`` labels
rather than in the interface's message catalogs.
"""
from __future__ import annotations

# column -> (storage, measure, labels); storage is numeric, string or datetime (see codebook.py)
RESPONSE_COLUMNS = {
    "response_id": ("numeric", "nominal", {
        "fa": "شناسه پاسخ", "en": "Response ID", "ar": "معرّف الإجابة"}),
    "instrument_version": ("numeric", "nominal", {
        "fa": "نسخه پرسشنامه", "en": "Questionnaire version", "ar": "إصدار الاستبيان"}),
    "service_point": ("string", "nominal", {
        "fa": "کد محل خدمت", "en": "Service point code", "ar": "رمز موقع الخدمة"}),
    "district": ("numeric", "nominal", {
        "fa": "منطقه شهرداری", "en": "Municipal district", "ar": "المنطقة البلدية"}),
    "language": ("string", "nominal", {
        "fa": "زبان پاسخ‌دهنده", "en": "Language answered in", "ar": "لغة الإجابة"}),
    "channel": ("string", "nominal", {
        "fa": "روش پاسخ‌گویی", "en": "Channel", "ar": "قناة الإجابة"}),
    "submitted_utc": ("datetime", "scale", {
        "fa": "زمان ثبت (UTC)", "en": "Submitted at (UTC)", "ar": "وقت الإرسال (UTC)"}),
    "submitted_jalali": ("string", "nominal", {
        "fa": "زمان ثبت (تاریخ شمسی، وقت محلی)", "en": "Submitted at (Jalali date, local time)",
        "ar": "وقت الإرسال (التاريخ الهجري الشمسي، بالتوقيت المحلي)"}),
    "duration_seconds": ("numeric", "scale", {
        "fa": "مدت پاسخ‌گویی (ثانیه)", "en": "Time taken (seconds)", "ar": "مدة الإجابة (بالثواني)"}),
    "flags": ("string", "nominal", {
        "fa": "نشانه‌های کیفیت داده", "en": "Data-quality flags", "ar": "مؤشرات جودة البيانات"}),
    "dont_know_items": ("string", "nominal", {
        "fa": "پرسش‌های پاسخ‌داده با «نمی‌دانم»", "en": "Items answered “don't know”",
        "ar": "الأسئلة التي أُجيب عنها بـ«لا أعرف»"}),
}

INSPECTION_COLUMNS = {
    "inspection_id": ("numeric", "nominal", {
        "fa": "شناسه بازرسی", "en": "Inspection ID", "ar": "معرّف التفتيش"}),
    "checklist_version": ("numeric", "nominal", {
        "fa": "نسخه چک‌لیست", "en": "Checklist version", "ar": "إصدار قائمة التحقق"}),
    "service_point": RESPONSE_COLUMNS["service_point"],
    "district": RESPONSE_COLUMNS["district"],
    "inspector_id": ("numeric", "nominal", {
        "fa": "شناسه بازرس", "en": "Inspector ID", "ar": "معرّف المفتش"}),
    "started_utc": ("datetime", "scale", {
        "fa": "زمان شروع (UTC)", "en": "Started at (UTC)", "ar": "وقت البدء (UTC)"}),
    "submitted_utc": RESPONSE_COLUMNS["submitted_utc"],
    "submitted_jalali": RESPONSE_COLUMNS["submitted_jalali"],
    "latitude": ("numeric", "scale", {"fa": "عرض جغرافیایی", "en": "Latitude", "ar": "خط العرض"}),
    "longitude": ("numeric", "scale", {"fa": "طول جغرافیایی", "en": "Longitude", "ar": "خط الطول"}),
    "accuracy_m": ("numeric", "scale", {
        "fa": "دقت موقعیت (متر)", "en": "Location accuracy (metres)", "ar": "دقة الموقع (بالأمتار)"}),
    "score_percent": ("numeric", "scale", {
        "fa": "امتیاز کل (درصد)", "en": "Overall score (%)", "ar": "الدرجة الكلية (%)"}),
    "grade": ("string", "ordinal", {"fa": "درجه", "en": "Grade", "ar": "التقدير"}),
    "critical_failed": ("numeric", "nominal", {
        "fa": "مردودی مورد بحرانی", "en": "A critical item failed", "ar": "رسوب بند حرج"}),
    "failed_items": ("string", "nominal", {
        "fa": "موارد مردود", "en": "Failed items", "ar": "البنود الراسبة"}),
    "critical_failed_items": ("string", "nominal", {
        "fa": "موارد بحرانی مردود", "en": "Critical items failed", "ar": "البنود الحرجة الراسبة"}),
}

CODES = {
    "language": {"fa": {"fa": "فارسی", "en": "Persian", "ar": "الفارسية"},
                 "en": {"fa": "انگلیسی", "en": "English", "ar": "الإنجليزية"},
                 "ar": {"fa": "عربی", "en": "Arabic", "ar": "العربية"}},
    "channel": {"qr": {"fa": "کد QR", "en": "QR code", "ar": "رمز QR"},
                "link": {"fa": "پیوند", "en": "Link", "ar": "رابط"},
                "kiosk": {"fa": "کیوسک", "en": "Kiosk", "ar": "كشك"},
                "interview": {"fa": "مصاحبه", "en": "Interview", "ar": "مقابلة"},
                "demo": {"fa": "داده نمایشی", "en": "Demo data", "ar": "بيانات تجريبية"}},
    "critical_failed": {0: {"fa": "خیر", "en": "No", "ar": "لا"},
                        1: {"fa": "بله", "en": "Yes", "ar": "نعم"}},
    "pass_fail": {"pass": {"fa": "قبول", "en": "Pass", "ar": "ناجح"},
                  "fail": {"fa": "مردود", "en": "Fail", "ar": "راسب"}},
}

TEXTS = {
    "not_applicable": {"fa": "مورد ندارد", "en": "Not applicable", "ar": "لا ينطبق"},
    "dont_know": {"fa": "خالی = «نمی‌دانم» (در dont_know_items آمده است)",
                  "en": "empty = “don't know” (listed in dont_know_items)",
                  "ar": "فارغ = «لا أعرف» (مذكور في dont_know_items)"},
    "section_score": {"fa": "درصد انطباق", "en": "compliance (%)", "ar": "نسبة الامتثال (%)"},
    "renamed": {"fa": "نام متغیر در SPSS", "en": "SPSS variable name", "ar": "اسم المتغير في SPSS"},
}
