"""A questionnaire's results from its answers table (pure: a DataFrame in, a result object out).

The results page and the PDF report both call :func:`questionnaire_results`, so they always
show the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import stats
from ..responses.columns import LANGUAGE, SUBMITTED_AT
from .change import SatisfactionChange
from .minimum import DEFAULT_MIN_RESPONSES, apply_minimum, configured_min_responses

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
    districts: pd.DataFrame | None = None        # district, n, mean, ci_low, ci_high, differs
    district_test: stats.KruskalResult | None = None
    trend: pd.DataFrame | None = None
    wait: dict | None = None                     # n, median, mean, within_standard, standard
    comments: list[dict] = field(default_factory=list)  # the newest matching comments, newest first
    comments_matching: int = 0                   # every comment matching the search (all when none)
    fix_first: list[str] = field(default_factory=list)  # stats.fix_first: "concentrate here", by importance
    min_responses: int = DEFAULT_MIN_RESPONSES    # fewer: no figure (see results/minimum.py)
    too_few: int | None = None                   # answers to the outcome, when 0 < n < min_responses
    change: SatisfactionChange | None = None     # first to last month with enough responses


def _outcome(definition: dict) -> dict:
    return next(item for item in definition["items"] if item["role"] == "outcome")


def questionnaire_results(frame: pd.DataFrame, definition: dict, *, flagged_excluded: int = 0,
                          districts: pd.Series | None = None, timezone: str = "Asia/Tehran",
                          comment_limit: int = 100, comment_query: str = "",
                          min_responses: int | None = None) -> QuestionnaireResults:
    """Every figure of the results page, computed with :mod:`surveyor.stats`.

    ``frame`` is one row per response (see :func:`surveyor.responses.answers_frame`),
    ``districts`` the district of each row (aligned with ``frame``). ``comment_query`` keeps
    the comments containing it (see :func:`searchable`); the newest ``comment_limit`` are kept.
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
    mean = stats.mean_ci(frame, columns=code).iloc[0]
    box = stats.box_shares(frame, columns=code, scale_min=min(values), scale_max=max(values)).iloc[0]
    results.overall = {"n": int(mean["n"]), "mean": float(mean["mean"]), "ci_low": float(mean["ci_low"]),
                       "ci_high": float(mean["ci_high"]), "top_two_box": float(box["top_box"]),
                       "top_ci_low": float(box["top_ci_low"]), "top_ci_high": float(box["top_ci_high"]),
                       "scale_min": min(values), "scale_max": max(values)}
    items = definition["items"]
    recommend = next((i["code"] for i in items if i["role"] == "recommend"), None)
    if recommend in frame and frame[recommend].notna().sum() >= 2:
        results.nps = stats.net_promoter_score(frame, column=recommend)
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
            pd.DataFrame({code: frame[code], "district": districts.to_numpy()}, index=frame.index), code,
            max(minimum, MIN_GROUP))
    if SUBMITTED_AT in frame:
        results.trend = stats.monthly_trend(frame, value=code, date=SUBMITTED_AT, timezone=timezone,
                                            fill_gaps=False)
    results.wait = _wait(frame, definition)
    comment = next((i["code"] for i in items if i["role"] == "comment"), None)
    if comment in frame:
        texts = frame[comment].dropna().astype(str)
        if comment_query.strip():
            texts = texts[searchable(texts).str.contains(searchable(comment_query.strip()), regex=False)]
        results.comments_matching = len(texts)
        newest = frame.loc[texts.index].sort_values(SUBMITTED_AT, ascending=False).head(comment_limit)
        results.comments = [{"text": str(row[comment]), "submitted_at": row[SUBMITTED_AT],
                             "language": row.get(LANGUAGE)} for _, row in newest.iterrows()]
    return apply_minimum(results, frame, definition, minimum, timezone)


# Arabic letter forms a phone keyboard may type for the Persian ones, and the zero-width
# non-joiner, which people type or leave out at will («می‌شود», «میشود»).
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": None, "\u0640": None})


def searchable(text):
    """Text (a string or a Series of strings) folded for searching: case, Arabic «ي»/«ك» and
    Persian «ی»/«ک» alike, the zero-width non-joiner and the tatweel ignored."""
    if isinstance(text, pd.Series):
        return text.str.casefold().str.translate(_FOLD)
    return text.casefold().translate(_FOLD)


def _districts(frame: pd.DataFrame, code: str, minimum: int = MIN_GROUP):
    answered = frame.loc[frame[code].notna() & frame["district"].notna(), [code, "district"]]
    if answered.empty:
        return None, None
    groups = []
    for district, group in answered.groupby("district"):
        row = {"district": int(district), "n": len(group), "mean": float(group[code].mean()),
               "ci_low": None, "ci_high": None}
        if len(group) >= 2:
            ci = stats.mean_ci(group, columns=code).iloc[0]
            row.update(ci_low=float(ci["ci_low"]), ci_high=float(ci["ci_high"]))
        groups.append(row)
    table = pd.DataFrame(groups)
    testable = answered[answered["district"].isin(table.loc[table["n"] >= minimum, "district"])]
    test = None
    table["differs"] = False
    if testable["district"].nunique() >= 2 and testable[code].nunique() >= 2:
        test = stats.kruskal_wallis(testable, value=code, group="district")
        pairs = stats.pairwise_mann_whitney(testable, value=code, group="district")
        significant = pairs[pairs["p_adjusted"] < 0.05]
        marked = set(significant["group_a"]) | set(significant["group_b"])
        table["differs"] = table["district"].isin(marked)
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
