"""Monthly series of a score by Jalali (Solar Hijri) calendar month, with intervals."""

from __future__ import annotations

import re

import jdatetime
import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n, t_interval, weighted_mean_se
from .design import domain_estimates, is_design, survey_design
from .nps import check_nps_scores, nps_from_scores, nps_indicator

JALALI_MONTHS = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
TREND_COLUMNS = [
    "period",
    "year",
    "month",
    "month_name",
    "n",
    "n_eff",
    "estimate",
    "ci_low",
    "ci_high",
    "se",
    "df",
    "deff",
]


# a time followed by a UTC offset: "10:30Z", "10:30:00+03:30", "10:30:00.5 +0430", "10:30-05"
_OFFSET = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$")


def _has_offset(value: object) -> bool:
    if isinstance(value, str):
        return _OFFSET.search(value.strip()) is not None
    return getattr(value, "tzinfo", None) is not None


def _parse_dates(dates: pd.Series, timezone: str) -> pd.Series:
    """Timestamps as datetimes. ISO strings (or datetime objects) whose UTC offsets differ,
    such as "...Z" and "...+03:30", or Tehran's "+04:30" summer time before 2022 and "+03:30",
    are read as UTC instants: pandas refuses several offsets in one column, or keeps only
    values with the first one's (the others become NaT)."""
    try:
        parsed = pd.to_datetime(dates, errors="coerce")
    except ValueError:  # "Mixed timezones detected"
        parsed = None
    if parsed is not None and not (dates.notna() & parsed.isna()).any():
        return parsed  # the common case, without looking at every value
    given = dates.dropna()
    aware = given.map(_has_offset).astype(bool)
    if len(given) and aware.all():
        return pd.to_datetime(dates, errors="coerce", utc=True)
    if aware.any():
        raise ValueError(
            f"{int(aware.sum())} timestamps carry a UTC offset (for example "
            f"{given[aware].iloc[0]!r}) and {int((~aware).sum())} do not (for example "
            f"{given[~aware].iloc[0]!r}); give every timestamp its offset, or none (then "
            f"all are read as {timezone} time)"
        )
    return parsed if parsed is not None else pd.to_datetime(dates, errors="coerce")


def _date_series(dates) -> pd.Series:
    """A Series of dates from a Series, list, tuple, array or Index; a DataFrame is refused
    with advice (which of its columns holds the dates cannot be guessed)."""
    if isinstance(dates, pd.DataFrame):
        raise ValueError(
            "dates must be one column of dates, not a DataFrame; pass the column, e.g. "
            "data['submitted_at']"
        )
    if isinstance(dates, pd.Series):
        return dates
    if isinstance(dates, (str, bytes)) or not np.iterable(dates):
        raise ValueError(
            f"dates must be a column, list or array of dates; got {type(dates).__name__}"
        )
    values = np.asarray(dates, dtype=object)
    if values.ndim != 1:
        raise ValueError(f"dates must be one-dimensional; got shape {values.shape}")
    return pd.Series(values)


def jalali_months(dates, timezone: str = "Asia/Tehran") -> pd.DataFrame:
    """Jalali year and month of each timestamp (``jdatetime`` conversion).

    Timestamps with a time zone are first converted to ``timezone`` (a response at 22:00 UTC
    on the last day of a month belongs to the next month in Tehran); naive timestamps are
    taken as local time. ISO strings may carry different UTC offsets ("Z", "+03:30",
    "+04:30"); every one is then converted, and a column mixing timestamps with and without
    an offset is refused (the naive ones would be ambiguous). Missing dates give missing
    months.

    Parameters
    ----------
    dates : Series, list, tuple, array or Index
        One date per response; the result has the Series' index (positions otherwise).
    """
    dates = _date_series(dates)
    parsed = _parse_dates(dates, timezone)
    bad = dates.notna() & parsed.isna()
    if bad.any():
        example = dates[bad].iloc[0]
        raise ValueError(
            f"{int(bad.sum())} dates could not be read (for example {example!r}); "
            "use ISO dates such as 2024-03-20 or 2024-03-20T10:30:00+03:30"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(timezone).dt.tz_localize(None)
    # Convert each distinct day once (a year of answers has at most 366), then index back:
    # a million answers take milliseconds, not seconds.
    codes, days = pd.factorize(parsed.dt.normalize())
    converted = [jdatetime.date.fromgregorian(date=day.date()) for day in days]
    year = np.array([d.year for d in converted] + [np.nan])[codes]  # code -1 (missing) takes the NaN
    month = np.array([d.month for d in converted] + [np.nan])[codes]
    if not (codes < 0).any():
        year, month = year.astype(np.int64), month.astype(np.int64)
    return pd.DataFrame({"year": year, "month": month}, index=dates.index)


def _month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months, (year, month) = [], first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _estimate(statistic: str, y: np.ndarray, w: np.ndarray, ci: float) -> tuple:
    """``estimate, ci_low, ci_high, se, df, deff`` of one month without a design."""
    if statistic == "nps":
        result = nps_from_scores(y, w, ci)
        return result.nps, result.ci_low, result.ci_high, result.se, result.df, result.deff
    mean, sd, se = weighted_mean_se(y, w)
    deff = se * se * len(y) / (sd * sd) if sd > 0 else np.nan
    return (mean, *t_interval(mean, se, len(y) - 1, ci), se, len(y) - 1, deff)


def monthly_trend(
    data: pd.DataFrame,
    *,
    value: str,
    date: str,
    statistic: str = "mean",
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
    ci: float = 0.95,
    timezone: str = "Asia/Tehran",
    fill_gaps: bool = True,
) -> pd.DataFrame:
    """Monthly series of a score by Jalali month.

    Each month's estimate is either the (weighted) mean with a t interval (as in
    :func:`mean_ci`) or the Net Promoter Score (as in :func:`net_promoter_score`); months are
    Jalali calendar months of the response date. Under a design (``cluster``, ``strata`` or
    ``calibration``) each month is a domain of the whole design, as in :func:`group_means`,
    and the interval is the design-based t interval on the month's clusters - strata.

    Parameters
    ----------
    value : str
        The score column (a rating, or the 0-10 recommendation question for NPS).
    date : str
        Column of response timestamps (datetime values or ISO strings).
    statistic : {"mean", "nps"}
    weights, cluster, strata, calibration, lonely_psu
        The survey design, as in :func:`mean_ci`.
    timezone : str
        Time zone in which months are counted for time-zone-aware timestamps.
    fill_gaps : bool
        Include months without responses between the first and last month (``n`` 0 and NaN
        estimates), so the series has no silent holes.

    Returns
    -------
    pandas.DataFrame
        ``period`` ("1403-01"), ``year, month, month_name, n, n_eff, estimate, ci_low,
        ci_high, se, df, deff``, in calendar order. A month with a single response (or, under
        a design, from a single cluster) has no interval.

    Notes
    -----
    Validated against known Nowruz dates (1 Farvardin 1403 = 20 March 2024, 1 Farvardin
    1404 = 21 March 2025), hand-computed monthly means, and under a design R's ``survey``
    4.1.1 to 1e-10 (``svyby(~y, ~month, des, svymean, na.rm=TRUE)``).
    """
    ci = v.check_ci(ci)
    v.check_choice(statistic, ["mean", "nps"], what="statistic")
    v.require_columns(data, [date])
    if is_design(cluster, strata, calibration):
        design = survey_design(data, weights=weights, cluster=cluster, strata=strata,
                               calibration=calibration, lonely_psu=lonely_psu)
        return _design_trend(data, value, date, statistic, design, ci, timezone, fill_gaps)
    values, w = v.complete_cases(data, [value], weights=weights)
    v.require_n(len(values), 1, f"a monthly series of {value!r}")
    months = jalali_months(data.loc[values.index, date], timezone)
    dated = months["year"].notna()
    if not dated.any():
        raise ValueError(f"no response with a score in {value!r} has a date in {date!r}")
    frame = pd.DataFrame(
        {
            "year": months["year"][dated].astype(int),
            "month": months["month"][dated].astype(int),
            "y": values[value][dated],
            "w": w[dated.to_numpy()],
        }
    )
    if statistic == "nps":
        check_nps_scores(value, frame["y"].to_numpy())
    groups = {key: part for key, part in frame.groupby(["year", "month"], sort=True)}
    rows = {}
    for key, part in groups.items():
        y, wt = part["y"].to_numpy(), part["w"].to_numpy()
        rows[key] = (len(y), kish_effective_n(wt), *_estimate(statistic, y, wt, ci))
    return _series(rows, fill_gaps)


def _series(rows: dict, fill_gaps: bool) -> pd.DataFrame:
    """The trend table from ``{(year, month): (n, n_eff, estimate, ci_low, ci_high, se, df,
    deff)}``, with empty months between the first and last when ``fill_gaps``."""
    keys = _month_range(min(rows), max(rows)) if fill_gaps else sorted(rows)
    empty = (0, 0.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan)
    table = [(f"{year:04d}-{month:02d}", year, month, JALALI_MONTHS[month - 1],
              *rows.get((year, month), empty)) for year, month in keys]
    return pd.DataFrame(table, columns=TREND_COLUMNS)


def _month_index(dates: pd.Series, used: np.ndarray, timezone: str) -> np.ndarray:
    """``12 * year + month - 1`` of every used row with a date, -1 for the others (only the
    used rows' dates are read, so an unreadable date elsewhere does not matter)."""
    months = jalali_months(dates[used], timezone)
    dated = months["year"].notna().to_numpy()
    index = np.full(len(dates), -1, dtype=np.int64)
    index[np.flatnonzero(used)[dated]] = (months["year"].to_numpy()[dated] * 12
                                          + months["month"].to_numpy()[dated] - 1)
    return index


def _design_trend(data, value, date, statistic, design, ci, timezone, fill_gaps):
    y = v.numeric_columns(data, [value])[value].to_numpy()
    if statistic == "nps":
        check_nps_scores(value, y)
        y = nps_indicator(y)
    used = np.isfinite(y) & (design.weights > 0)
    if not used.any():
        v.require_n(int(np.isfinite(y).sum()), 1, f"a monthly series of {value!r}")
        raise ValueError(
            f"every response with an answer to {value!r} has a zero or missing weight, so "
            "nothing is left to analyse; check the weights"
        )
    index = _month_index(data[date], used, timezone)
    dated = index >= 0
    if not dated.any():
        raise ValueError(f"no response with a score in {value!r} has a date in {date!r}")
    keys, codes = np.unique(index[dated], return_inverse=True)
    group = np.full(len(data), -1, dtype=np.int64)
    group[dated] = codes
    estimates = domain_estimates(design, y, group, keys.size)
    w = design.weights
    total = np.bincount(codes, weights=w[dated], minlength=keys.size)
    squares = np.bincount(codes, weights=w[dated] ** 2, minlength=keys.size)
    rows = {}
    for k, key in enumerate(keys):
        mean, se, df = estimates.mean[k], float(estimates.se[k]), int(estimates.df[k])
        low, high = t_interval(mean, se, df, ci)
        if statistic == "nps":
            low, high = float(np.clip(low, -100, 100)), float(np.clip(high, -100, 100))
        rows[(int(key) // 12, int(key) % 12 + 1)] = (
            int(estimates.n[k]), total[k] ** 2 / squares[k], mean, low, high,
            se if estimates.n[k] > 1 else np.nan, df, estimates.deff[k])
    return _series(rows, fill_gaps)
