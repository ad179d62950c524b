"""Reading the results filters from the query string (Jalali dates, district, ...)."""
from __future__ import annotations

from ..formatting import parse_jalali_date
from ..results.data import Filters

LANGUAGES = ("fa", "ar", "en")
# The query parameters that are filters: the only ones the page's download and report links
# carry on (any other, such as ``code`` or ``_method``, would reach url_for; penetration test, Low 1).
PARAMETERS = ("from", "to", "district", "point", "language", "channel", "respondent", "flagged", "inspector")


def filters_from(args) -> tuple[Filters, dict[str, str]]:
    """The filters and the problems found, keyed by field (shown next to the field)."""
    problems: dict[str, str] = {}
    dates = {}
    for key in ("from", "to"):
        text = (args.get(key) or "").strip()
        if text:
            try:
                dates[key] = parse_jalali_date(text)
            except ValueError:
                problems[key] = "date"
    district = args.get("district", type=int)
    if district is not None and not 1 <= district <= 13:
        problems["district"] = "district"
        district = None
    respondent = None
    if args.get("respondent") and ":" in args["respondent"]:
        code, value = args["respondent"].split(":", 1)
        respondent = (code, value)
    language = args.get("language") if args.get("language") in LANGUAGES else None
    inspector = args.get("inspector", type=int)
    return Filters(date_from=dates.get("from"), date_to=dates.get("to"), district=district,
                   service_point_id=args.get("point", type=int), language=language,
                   channel=args.get("channel") or None, respondent=respondent,
                   include_flagged=args.get("flagged") == "1", inspector_id=inspector), problems
