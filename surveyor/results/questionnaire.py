"""A questionnaire's results from its answers table (pure: a DataFrame in, a result object out).

The results page and the PDF report both call :func:`questionnaire_results`, so they always
show the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import stats
from ..responses.columns import LANGUAGE, SERVICE_POINT_ID, SUBMITTED_AT
from .change import SatisfactionChange
from .minimum import DEFAULT_MIN_RESPONSES, apply_minimum, configured_min_responses
from .sampling import PageDesign, design_summary, page_design

MIN_GROUP = 5          # districts with fewer answers are never tested, whatever SURVEYOR_MIN_RESPONSES says
MIN_FOR_DRIVERS = 30   # complete answers needed before drivers are estimated


@dataclass
class QuestionnaireResults:
    n: int
    flagged_excluded: int
    overall: dict | None = None                 # n, mean, ci_low, ci_high, top_two_box, top_ci_low, top_ci_high
    nps: stats.NPSResult | None = None
    drivers: pd.DataFrame | None = None          # key_drivers table + label + mean performance, by rank
    drivers_r2: float | None = None
    drivers_n: int = 0
    drivers_left_out: list[str] = field(default_factory=list)  # same answer in every complete response
    ipa: pd.DataFrame | None = None
    reliability: stats.AlphaResult | None = None
    districts: pd.DataFrame | None = None        # district, n, points, mean, ci_low, ci_high, differs, versus_rest
    district_test: stats.GroupTestResult | None = None
    design: dict | None = None                   # the sampling design of the intervals (see .sampling)
    trend: pd.DataFrame | None = None
    wait: dict | None = None                     # n, median, mean, within_standard, standard
    comments: list[dict] = field(default_factory=list)  # one page of matching comments, newest first
    comments_matching: int = 0                   # every comment matching the search (all when none)
    comment_page: int = 1                        # the page shown, of comment_pages
    comment_pages: int = 1
    fix_first: list[str] = field(default_factory=list)  # stats.fix_first: "concentrate here", by importance
    min_responses: int = DEFAULT_MIN_RESPONSES    # fewer: no figure (see results/minimum.py)
    too_few: int | None = None                   # answers to the outcome, when 0 < n < min_responses
    change: SatisfactionChange | None = None     # first to last month with enough responses


def _outcome(definition: dict) -> dict:
    return next(item for item in definition["items"] if item["role"] == "outcome")


def questionnaire_results(frame: pd.DataFrame, definition: dict, *, flagged_excluded: int = 0,
                          districts: pd.Series | None = None, timezone: str = "Asia/Tehran",
                          comment_limit: int = 100, comment_query: str = "",
                          comment_page: int = 1, min_responses: int | None = None) -> QuestionnaireResults:
    """Every figure of the results page, computed with :mod:`surveyor.stats`.

    ``frame`` is one row per response (see :func:`surveyor.responses.answers_frame`),
    ``districts`` the district of each row (aligned with ``frame``). ``comment_query`` keeps
    the comments containing it (see :func:`searchable`); they are paged, newest first,
    ``comment_limit`` to a page, and page ``comment_page`` is kept (the last when it is past it).
    Figures of fewer than ``min_responses`` (default ``SURVEYOR_MIN_RESPONSES``) are withdrawn
    and intervals kept inside the scale (:func:`surveyor.results.minimum.apply_minimum`).
    """
    minimum = min_responses or configured_min_responses()
    results = QuestionnaireResults(n=len(frame), flagged_excluded=flagged_excluded)
    outcome = _outcome(definition)
    code = outcome["code"]
    if frame.empty or code not in frame or frame[code].notna().sum() < 2:
        return apply_minimum(results, frame, definition, minimum, timezone)
    values = [option["value"] for option in outcome["options"]]
    design = _design(frame, districts)
    mean = stats.mean_ci(frame, columns=code, **design.arguments()).iloc[0]
    box = stats.box_shares(frame, columns=code, scale_min=min(values), scale_max=max(values),
                           **design.arguments()).iloc[0]
    results.design = design_summary(design, frame, code)
    results.overall = {"n": int(mean["n"]), "mean": float(mean["mean"]), "ci_low": float(mean["ci_low"]),
                       "ci_high": float(mean["ci_high"]), "top_two_box": float(box["top_box"]),
                       "top_ci_low": float(box["top_ci_low"]), "top_ci_high": float(box["top_ci_high"]),
                       "scale_min": min(values), "scale_max": max(values)}
    items = definition["items"]
    recommend = next((i["code"] for i in items if i["role"] == "recommend"), None)
    if recommend in frame and frame[recommend].notna().sum() >= 2:
        results.nps = stats.net_promoter_score(frame, column=recommend, **design.arguments())
    drivers = [i["code"] for i in items if i["role"] == "driver" and i["code"] in frame]
    complete = frame[[code, *drivers]].dropna()
    # A driver everyone in the selection rated alike explains nothing and makes the model
    # singular (a small filter can do that): it is left out, and the page says so.
    results.drivers_left_out = [d for d in drivers if complete[d].nunique() < 2] if len(complete) else []
    drivers = [d for d in drivers if d not in results.drivers_left_out]
    key = None
    if len(drivers) >= 2 and len(complete) >= MIN_FOR_DRIVERS and complete[code].nunique() >= 2:
        try:
            key = stats.key_drivers(frame, outcome=code, drivers=drivers)
        except ValueError:  # e.g. a driver that equals another in this selection: no unique model
            key = None
    if key is not None:
        table = key.table.copy()
        table["performance"] = [float(frame[d].mean()) for d in table["driver"]]
        results.drivers, results.drivers_r2, results.drivers_n = table.sort_values("rank"), key.r2, key.n
        driver_values = [o["value"] for o in next(i for i in items if i["role"] == "driver")["options"]]
        results.ipa = stats.importance_performance(frame, outcome=code, drivers=drivers, key=key,
                                                   scale_min=min(driver_values), scale_max=max(driver_values))
        results.fix_first = stats.fix_first(results.ipa)
        try:
            results.reliability = stats.cronbach_alpha(frame, items=drivers)
        except ValueError:  # the drivers' sum is the same in every response: alpha is undefined
            results.reliability = None
    if districts is not None:
        results.districts, results.district_test = _districts(
            pd.DataFrame({code: frame[code], "district": districts.to_numpy()}, index=frame.index), code, design,
            max(minimum, MIN_GROUP))
    if SUBMITTED_AT in frame:
        results.trend = stats.monthly_trend(frame, value=code, date=SUBMITTED_AT, timezone=timezone,
                                            fill_gaps=False, **design.arguments())
    results.wait = _wait(frame, definition)
    comment = next((i["code"] for i in items if i["role"] == "comment"), None)
    if comment in frame:
        _comments(results, frame, districts, comment, code, comment_query, comment_page, comment_limit)
    return apply_minimum(results, frame, definition, minimum, timezone, design=design.arguments())


def _comments(results, frame, districts, comment: str, score: str, query: str, page: int, per_page: int):
    """One page of the comments matching ``query``, newest first, each with its date, language,
    service point, district and overall score (the outcome)."""
    texts = frame[comment].dropna().astype(str)
    texts = texts[texts.str.strip() != ""]
    if query.strip():
        texts = texts[searchable(texts).str.contains(searchable(query.strip()), regex=False)]
    results.comments_matching = len(texts)
    results.comment_pages = max(1, -(-len(texts) // per_page))
    results.comment_page = min(max(1, page), results.comment_pages)
    newest = frame.loc[texts.index].sort_values(SUBMITTED_AT, ascending=False, kind="stable")
    shown = newest.iloc[(results.comment_page - 1) * per_page:results.comment_page * per_page]
    district = districts if districts is not None else pd.Series(index=frame.index, dtype="float")
    results.comments = [{"text": str(row[comment]), "submitted_at": row[SUBMITTED_AT], "language": row.get(LANGUAGE),
                         "point_id": _whole(row.get(SERVICE_POINT_ID)), "district": _whole(district.get(index)),
                         "score": _whole(row.get(score))} for index, row in shown.iterrows()]


def _whole(value):
    """A number read from a frame as an int, None when missing."""
    return None if value is None or pd.isna(value) else int(value)


# Arabic letter forms a phone keyboard may type for the Persian ones, and the zero-width
# non-joiner, which people type or leave out at will («می‌شود», «میشود»).
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": None, "\u0640": None})


def searchable(text):
    """Text (a string or a Series of strings) folded for searching: case, Arabic «ي»/«ك» and
    Persian «ی»/«ک» alike, the zero-width non-joiner and the tatweel ignored."""
    if isinstance(text, pd.Series):
        return text.str.casefold().str.translate(_FOLD)
    return text.casefold().translate(_FOLD)


def fix_first(ipa: pd.DataFrame, scale_max: float, count: int = 3) -> list[str]:
    """The drivers to improve first: those in the "concentrate here" quadrant (important, scored
    below the average driver), most important first; then, to make up ``count``, the others by
    importance times the room they leave on the scale, ``importance * (scale_max - mean)``, so a
    driver that hardly matters is not chosen for a low score alone."""
    weak = ipa[ipa["quadrant"] == "concentrate here"].sort_values("importance", ascending=False)
    rest = ipa.assign(priority=ipa["importance"] * (scale_max - ipa["performance"]))
    rest = rest.sort_values("priority", ascending=False)
    return list(dict.fromkeys([*weak["driver"], *rest["driver"]]))[:count]


def _design(frame: pd.DataFrame, districts: pd.Series | None) -> PageDesign:
    """Service point as cluster, district as stratum (see :mod:`.sampling`)."""
    points = frame[SERVICE_POINT_ID] if SERVICE_POINT_ID in frame else pd.Series(range(len(frame)))
    return page_design(points, districts if districts is not None else pd.Series([None] * len(frame)))


def _districts(frame: pd.DataFrame, code: str, design: PageDesign, minimum: int = MIN_GROUP):
    """Each district's mean under the design, the test that they are equal (Wald, design-based)
    and which differ from another (pairwise, Holm) or from the rest of the city."""
    answered = frame[code].notna() & frame["district"].notna()
    if not answered.any():
        return None, None
    means = stats.group_means(frame, value=code, group="district", **design.arguments())
    table = pd.DataFrame({"district": means["group"].astype(int), "n": means["n"],
                          "points": means["n_clusters"], "mean": means["mean"],
                          "ci_low": means["ci_low"], "ci_high": means["ci_high"]})
    if not design.clustered:
        table["points"] = 1
    # a district's mean has variance only from two or more points (or, without a design, answers)
    testable = [int(d) for d, n, se in zip(means["group"], means["n"], means["se"])
                if n >= minimum and se == se and se > 0]
    table["differs"], table["versus_rest"] = False, None
    test = None
    if len(testable) >= 2:
        try:
            test = stats.group_mean_test(frame, value=code, group="district", groups=testable,
                                         **design.arguments())
            pairs = stats.pairwise_mean_differences(frame, value=code, group="district", groups=testable,
                                                    **design.arguments())
            rest = stats.group_versus_rest(frame, value=code, group="district", groups=testable,
                                           **design.arguments())
        except ValueError:  # too few points beyond the strata for a test
            return table, None
        significant = pairs[pairs["p_adjusted"] < 0.05]
        table["differs"] = table["district"].isin(set(significant["group_a"]) | set(significant["group_b"]))
        direction = {int(row.group): ("higher" if row.difference > 0 else "lower")
                     for row in rest.itertuples() if row.p_adjusted < 0.05}
        table["versus_rest"] = [direction.get(int(d)) for d in table["district"]]
    return table, test


def _wait(frame: pd.DataFrame, definition: dict) -> dict | None:
    item = next((i for i in definition["items"] if i["role"] == "wait_time"), None)
    standard = definition.get("service_standard", {}).get("minutes")
    if item is None or item["code"] not in frame or standard is None:
        return None
    minutes = frame[item["code"]].dropna().astype(float)
    if minutes.empty:
        return {"n": 0, "standard": standard}
    return {"n": int(len(minutes)), "median": float(minutes.median()), "mean": float(minutes.mean()),
            "within_standard": float((minutes <= standard).mean()), "standard": standard}
