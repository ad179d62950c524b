"""Input checks shared by every statistics function: columns, missing answers and weights.

Every public function in :mod:`surveyor.stats` goes through these helpers, so that the same
mistake gets the same message everywhere and missing answers are always handled one way:
*listwise deletion* (a response missing any of the analysed columns, or its weight, is left
out, and the result reports the ``n`` that remained).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

_PREVIEW = 12  # how many available column names an error message lists


def require_frame(data: object) -> pd.DataFrame:
    """Return ``data`` if it is a DataFrame, else say how to get one."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(
            f"data must be a pandas DataFrame, got {type(data).__name__}; "
            "read a CSV export with pandas.read_csv(path) first"
        )
    return data


def column_list(columns: str | Iterable[str], *, what: str) -> list[str]:
    """Normalise one column name or several into a list without repeats."""
    names = [columns] if isinstance(columns, str) else list(columns)
    if not names:
        raise ValueError(f"{what} is empty; name at least one column")
    repeated = sorted({str(name) for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(
            f"{what} names {', '.join(repeated)} more than once; name each column once"
        )
    return names


def require_columns(data: pd.DataFrame, columns: Sequence[str], *, what: str = "column") -> None:
    """Fail with the list of available columns if any of ``columns`` is absent."""
    require_frame(data)
    absent = [str(name) for name in columns if name not in data.columns]
    if absent:
        shown = ", ".join(map(str, list(data.columns)[:_PREVIEW]))
        more = " ..." if len(data.columns) > _PREVIEW else ""
        raise ValueError(
            f"{what} {', '.join(repr(a) for a in absent)} not found in the data; "
            f"the columns are: {shown}{more}"
        )


def numeric_columns(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``columns`` as floats; text such as "don't know" is refused with advice."""
    converted = {}
    for name in columns:
        series = data[name]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            numbers = series.astype("float64")
        else:
            numbers = _parse_numbers(name, series)
        if np.isinf(numbers.to_numpy()).any():
            raise ValueError(
                f"column {name!r} holds infinite values; replace them or leave them empty"
            )
        converted[name] = numbers
    return pd.DataFrame(converted, index=data.index)


def _parse_numbers(name: str, series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("float64")
    numbers = pd.to_numeric(series, errors="coerce")
    text = series.notna() & numbers.isna()
    if text.any():
        examples = ", ".join(repr(str(v)) for v in pd.unique(series[text])[:3])
        raise ValueError(
            f"column {name!r} holds answers that are not numbers ({examples}); "
            'turn codes such as "don\'t know" into missing values with '
            "surveyor.stats.treat_as_missing(data, answers=[...]) or recode them"
        )
    return numbers.astype("float64")


def weight_values(data: pd.DataFrame, weights: str) -> pd.Series:
    """Return the weight column as floats after checking it can be a weight."""
    require_columns(data, [weights], what="weights column")
    values = numeric_columns(data, [weights])[weights]
    if (values < 0).any():
        raise ValueError(
            f"weights column {weights!r} has {(values < 0).sum()} negative values; "
            "weights must be zero or positive"
        )
    return values


def complete_cases(
    data: pd.DataFrame, columns: Sequence[str], *, weights: str | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Listwise deletion over ``columns`` (and the weight) for numeric analyses.

    Returns the remaining rows as floats and their weights (ones when ``weights`` is None),
    scaled so that the largest is 1: every estimator here is unchanged by the scale of the
    weights, and weights such as 1e200 would overflow when squared. Rows whose weight is
    missing or zero are left out as well; when that leaves out every answered row, the
    message says so (not that the answers are missing).
    """
    names = column_list(columns, what="columns")
    require_columns(data, names)
    if weights is not None and weights in names:
        raise ValueError(
            f"{weights!r} is both analysed and used as the weights column; choose one role"
        )
    values = numeric_columns(data, names)
    keep = values.notna().all(axis=1)
    if weights is None:
        return values[keep], np.ones(int(keep.sum()))
    w = weight_values(data, weights)
    weighted = keep & w.notna() & (w > 0)
    if keep.any() and not weighted.any():
        raise ValueError(
            f"all {int(keep.sum())} responses with an answer have a zero or missing weight in "
            f"{weights!r}, so nothing is left to analyse; check the weights"
        )
    w = w[weighted].to_numpy(dtype="float64")
    return values[weighted], w / w.max(initial=1.0) if w.size else w


def require_n(n: int, minimum: int, what: str) -> None:
    """Fail when fewer than ``minimum`` complete responses remain."""
    if n < minimum:
        raise ValueError(
            f"{what} needs at least {minimum} complete responses, but only {n} remain after "
            "leaving out missing answers; collect more responses or analyse fewer columns"
        )


def require_variation(values: pd.DataFrame, what: str = "this analysis") -> None:
    """Fail when a column has the same value for every remaining response (or when fewer than
    two responses remain, which is said as such: no answer at all is not "the same answer")."""
    require_n(len(values), 2, what)
    spread = np.ptp(values.to_numpy(), axis=0)
    constant = [str(name) for name, width in zip(values.columns, spread) if width == 0]
    if constant:
        raise ValueError(
            f"{', '.join(repr(c) for c in constant)} gave the same answer in every complete "
            "response, so it cannot vary with anything; leave it out of the analysis"
        )


def check_ci(ci: float) -> float:
    """Check a confidence level such as 0.95."""
    if not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"ci is a confidence level between 0 and 1 such as 0.95; got {ci!r}")
    return float(ci)


def check_n_boot(n_boot: int) -> int:
    """Check a number of bootstrap replicates."""
    if not isinstance(n_boot, int) or n_boot < 10:
        raise ValueError(
            f"n_boot is the number of bootstrap replicates, at least 10; got {n_boot!r}"
        )
    return n_boot


def check_choice(value: str, choices: Iterable[str], *, what: str) -> str:
    """Check that ``value`` is one of ``choices``."""
    options = list(choices)
    if value not in options:
        raise ValueError(f"{what} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def treat_as_missing(
    data: pd.DataFrame, answers: Iterable[object], columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """Return a copy of ``data`` with the given answers turned into missing values.

    Use it for codes such as ``"don't know"``, ``"DK"``, ``99`` or ``"N/A"`` before an analysis:
    the statistics functions exclude missing values (listwise) and refuse text in numeric
    columns. Text answers match without regard to case or surrounding spaces.

    Parameters
    ----------
    data : pandas.DataFrame
    answers : iterable
        The answers that mean "no usable answer".
    columns : iterable of str, optional
        Where to look; every column when omitted.
    """
    require_frame(data)
    targets = list(answers)
    names = list(data.columns) if columns is None else column_list(columns, what="columns")
    require_columns(data, names)
    folded = {str(a).strip().casefold() for a in targets if isinstance(a, str)}
    exact = [a for a in targets if not isinstance(a, str)]
    result = data.copy()
    for name in names:
        series = result[name]
        hit = _matches(series, exact, folded)
        if hit.any():
            result[name] = series.astype("object").mask(hit, np.nan)
            numbers = pd.to_numeric(result[name], errors="coerce")
            if (numbers.notna() | result[name].isna()).all():
                result[name] = numbers
    return result


def _matches(series: pd.Series, exact: list, folded: set[str]) -> np.ndarray:
    """Boolean array: the answers equal to one of ``exact`` or, for text, to one of ``folded``
    after folding. Built as numpy booleans: pandas combines the masks of an empty string,
    category or date column with a warning or a TypeError."""
    hit = np.zeros(len(series), dtype=bool)
    if exact:
        hit |= series.isin(exact).to_numpy(dtype=bool)
    if folded:
        hit |= np.fromiter(
            (isinstance(a, str) and a.strip().casefold() in folded for a in series),
            dtype=bool,
            count=len(series),
        )
    return hit
