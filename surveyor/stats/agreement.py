"""Agreement between inspectors (raters): Cohen's kappa for two, Fleiss' kappa and
Krippendorff's alpha for more. Data are wide: one row per inspected unit (a site visit,
an item), one column per rater, values are the ratings.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import _validation as v
from ._moments import z_quantile

KRIPPENDORFF_LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class AgreementResult:
    """Chance-corrected agreement among raters.

    ``se`` is the standard error behind the interval (``ci_method`` says which kind);
    ``p_value`` tests "no agreement beyond chance" (NaN where no test is defined).
    """

    method: str
    n_units: int
    n_raters: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_method: str
    p_value: float


def _ratings(data: pd.DataFrame, raters, minimum: int) -> pd.DataFrame:
    names = v.column_list(raters, what="raters")
    if len(names) < minimum:
        raise ValueError(
            f"this agreement measure needs at least {minimum} rater columns; got {len(names)}"
        )
    v.require_columns(data, names, what="rater column")
    return data[names]


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "text"
    return "number" if isinstance(value, (numbers.Number, np.bool_)) else type(value).__name__


def _categories(ratings: pd.DataFrame) -> list:
    """The distinct ratings given, sorted; a clear error when they cannot be ordered, which
    happens when numbers and text are mixed (``3`` and ``"good"``, or ``3`` and ``"3"``)."""
    given = ratings.to_numpy().ravel()
    values = pd.unique(given[pd.notna(given)])
    try:
        return sorted(values)
    except TypeError:
        pass
    kinds = {name: {_kind(x) for x in ratings[name].dropna()} for name in ratings.columns}
    mixed = [name for name, kind in kinds.items() if len(kind) > 1]
    if mixed:
        column = ratings[mixed[0]].dropna()
        first = column.map(lambda x: isinstance(x, str))
        examples = f"{column[~first].iloc[0]!r} and {column[first].iloc[0]!r}"
        where = f"rater column {mixed[0]!r} mixes numbers and text (e.g. {examples})"
    else:
        text = ", ".join(repr(name) for name, kind in kinds.items() if kind == {"text"})
        other = ", ".join(repr(name) for name, kind in kinds.items() if kind and kind != {"text"})
        where = f"rater column(s) {other} hold numbers but {text} hold text"
    raise ValueError(
        f"{where}, so the ratings cannot be compared; code every rating the same way, "
        "e.g. all as numbers or all as text"
    )


def _agreement_weights(k: int, weighting: str | None) -> np.ndarray:
    i, j = np.indices((k, k))
    if weighting is None:
        return (i == j).astype(float)
    distance = np.abs(i - j) / (k - 1)
    return 1 - distance if weighting == "linear" else 1 - distance**2


def cohen_kappa(
    data: pd.DataFrame,
    *,
    rater_a: str,
    rater_b: str,
    weighting: str | None = None,
    categories=None,
    ci: float = 0.95,
) -> AgreementResult:
    """Cohen's kappa (optionally weighted) for two raters.

    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o = sum w_ij p_ij`` and
    ``p_e = sum w_ij p_i. p_.j`` (Cohen 1960, doi:10.1177/001316446002000104; weighted:
    Cohen 1968, doi:10.1037/h0026256). Agreement weights are 1 on the diagonal and
    ``1 - |i-j|/(k-1)`` (linear) or ``1 - (i-j)^2/(k-1)^2`` (quadratic) off it. The
    interval uses the large-sample standard error of Fleiss, Cohen & Everitt (1969,
    doi:10.1037/h0028106); the p-value is the z test with the standard error under
    ``kappa = 0``.

    Parameters
    ----------
    weighting : {None, "linear", "quadratic"}
    categories : sequence, optional
        The ordered rating scale; by default the sorted answers given. Matters for weighted
        kappa when a scale point was never used.

    Returns
    -------
    AgreementResult

    Notes
    -----
    Units rated by only one of the two are left out. Validated against a published worked
    example (kappa = 0.4) and ``statsmodels.stats.inter_rater.cohens_kappa``.
    """
    ci = v.check_ci(ci)
    if weighting is not None:
        v.check_choice(weighting, ["linear", "quadratic"], what="weighting")
    pairs = _ratings(data, [rater_a, rater_b], 2).dropna()
    v.require_n(len(pairs), 2, "Cohen's kappa")
    scale = _categories(pairs) if categories is None else list(categories)
    outside = set(pd.unique(pairs.to_numpy().ravel())) - set(scale)
    if outside:
        raise ValueError(
            f"ratings {sorted(map(str, outside))} are not in categories; add them or recode"
        )
    if len(scale) < 2:
        raise ValueError("both raters used a single category throughout; kappa is undefined")
    position = {c: i for i, c in enumerate(scale)}
    table = np.zeros((len(scale), len(scale)))
    np.add.at(
        table, ([position[a] for a in pairs[rater_a]], [position[b] for b in pairs[rater_b]]), 1
    )
    n = len(pairs)
    p = table / n
    w = _agreement_weights(len(scale), weighting)
    row, col = p.sum(axis=1), p.sum(axis=0)
    p_o, p_e = float((w * p).sum()), float(row @ w @ col)
    if p_e >= 1:
        raise ValueError("both raters gave one and the same rating throughout; kappa is undefined")
    kappa = (p_o - p_e) / (1 - p_e)
    w_row, w_col = w @ col, row @ w  # mean weight of each row / column category
    spread = w - (w_row[:, None] + w_col[None, :]) * (1 - kappa)
    var = ((p * spread**2).sum() - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    var0 = (
        (np.outer(row, col) * (w - (w_row[:, None] + w_col[None, :])) ** 2).sum() - p_e**2
    ) / (n * (1 - p_e) ** 2)
    se = float(np.sqrt(max(var, 0.0)))
    half = z_quantile(ci) * se
    p_value = float(2 * stats.norm.sf(abs(kappa) / np.sqrt(var0))) if var0 > 0 else float("nan")
    method = "cohen" if weighting is None else f"cohen_{weighting}"
    return AgreementResult(
        method, n, 2, float(kappa), se, kappa - half, kappa + half, "asymptotic", p_value
    )


def _fleiss(counts: np.ndarray, m: int) -> tuple[float, np.ndarray]:
    per_unit = (np.sum(counts * counts, axis=1) - m) / (m * (m - 1))
    share = counts.sum(axis=0) / counts.sum()
    expected = float(share @ share)
    return float((per_unit.mean() - expected) / (1 - expected)), share


def fleiss_kappa(
    data: pd.DataFrame, *, raters, ci: float = 0.95, n_boot: int = 1000, seed: int | None = None
) -> AgreementResult:
    """Fleiss' kappa for any fixed number ``m >= 2`` of raters per unit.

    ``P_i = (sum_j n_ij^2 - m) / (m(m-1))``, ``p_j = sum_i n_ij / (N m)``,
    ``kappa = (mean P_i - sum p_j^2) / (1 - sum p_j^2)`` (Fleiss 1971,
    doi:10.1037/h0031619). The p-value uses the standard error under no agreement of
    Fleiss, Nee & Landis (1979, doi:10.1037/0033-2909.86.5.974); the interval is a
    percentile bootstrap over units (``n_boot`` resamples, reproducible with ``seed``).

    Returns
    -------
    AgreementResult

    Notes
    -----
    Units missing any rating are left out (every unit needs the same number of raters;
    use :func:`krippendorff_alpha` for incomplete designs). Validated against the worked
    example of the Wikipedia article "Fleiss' kappa" (kappa = 0.210) and
    ``statsmodels.stats.inter_rater.fleiss_kappa``.
    """
    ci = v.check_ci(ci)
    v.check_n_boot(n_boot)
    ratings = _ratings(data, raters, 2).dropna()
    v.require_n(len(ratings), 2, "Fleiss' kappa")
    m = ratings.shape[1]
    scale = _categories(ratings)
    position = {c: i for i, c in enumerate(scale)}
    codes = np.vectorize(position.__getitem__, otypes=[np.intp])(ratings.to_numpy())
    counts = np.stack([(codes == j).sum(axis=1) for j in range(len(scale))], axis=1)
    if len(scale) < 2:
        raise ValueError("all raters used a single category throughout; kappa is undefined")
    kappa, share = _fleiss(counts, m)
    n = len(ratings)
    pq = share * (1 - share)
    var0 = 2 / (n * m * (m - 1)) * (pq.sum() ** 2 - (pq * (1 - 2 * share)).sum()) / pq.sum() ** 2
    rng = np.random.default_rng(seed)
    reps = [_fleiss(counts[rng.integers(0, n, n)], m)[0] for _ in range(n_boot)]
    reps = np.array([r for r in reps if np.isfinite(r)])
    low, high = np.quantile(reps, [(1 - ci) / 2, (1 + ci) / 2])
    p_value = float(2 * stats.norm.sf(abs(kappa) / np.sqrt(var0)))
    return AgreementResult(
        "fleiss",
        n,
        m,
        kappa,
        float(reps.std(ddof=1)),
        float(low),
        float(high),
        "bootstrap",
        p_value,
    )


def _distance(values: np.ndarray, level: str, marginals: np.ndarray) -> np.ndarray:
    """Squared difference function delta^2(c, k) of Krippendorff (2011), section C."""
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.nan_to_num(((c - k) / (c + k)) ** 2)
    cumulative = np.cumsum(marginals)
    i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[hi] - np.where(lo > 0, cumulative[lo - 1], 0.0)
    return (between - (marginals[i] + marginals[j]) / 2) ** 2


def _alpha_from(coincidence: np.ndarray, values: np.ndarray, level: str) -> float:
    marginals = coincidence.sum(axis=1)
    n = marginals.sum()
    delta = _distance(values, level, marginals)
    expected = marginals @ delta @ marginals
    if expected == 0:
        return float("nan")
    return float(1 - (n - 1) * (coincidence * delta).sum() / expected)


def krippendorff_alpha(
    data: pd.DataFrame,
    *,
    raters,
    level: str = "nominal",
    ci: float = 0.95,
    n_boot: int = 1000,
    seed: int | None = None,
) -> AgreementResult:
    """Krippendorff's alpha for any number of raters, allowing missing ratings.

    ``alpha = 1 - D_o / D_e = 1 - (n - 1) sum o_ck delta²_ck / sum n_c n_k delta²_ck``
    with the coincidence matrix ``o_ck = sum_u (number of c-k pairs in unit u) / (m_u - 1)``
    over units with at least two ratings, ``n_c`` its margins and ``delta²`` the squared
    difference for the level of measurement (Krippendorff 2011, "Computing Krippendorff's
    alpha-reliability", https://repository.upenn.edu/asc_papers/43). The interval is a
    percentile bootstrap over units (not Krippendorff's own bootstrap of coincidences).

    Parameters
    ----------
    level : {"nominal", "ordinal", "interval", "ratio"}
        Ordinal, interval and ratio need numeric ratings.

    Returns
    -------
    AgreementResult
        ``p_value`` is NaN (alpha has no standard null test).

    Notes
    -----
    Validated against the worked example of Krippendorff (2011): nominal 0.743, ordinal
    0.815, interval 0.849, ratio 0.797.
    """
    ci = v.check_ci(ci)
    v.check_n_boot(n_boot)
    v.check_choice(level, KRIPPENDORFF_LEVELS, what="level")
    ratings = _ratings(data, raters, 2)
    if level != "nominal":
        ratings = v.numeric_columns(ratings, list(ratings.columns))
    pairable = ratings.notna().sum(axis=1) >= 2
    ratings = ratings[pairable]
    v.require_n(len(ratings), 1, "Krippendorff's alpha (units rated at least twice)")
    values = np.array(_categories(ratings))
    if len(values) < 2:
        raise ValueError("all ratings are the same value; alpha is undefined")
    position = {c: i for i, c in enumerate(values)}
    counts = np.zeros((len(ratings), len(values)))
    for unit, row in enumerate(ratings.itertuples(index=False)):
        for rating in row:
            if not pd.isna(rating):
                counts[unit, position[rating]] += 1
    m = counts.sum(axis=1)
    # each unit's contribution to the coincidence matrix
    units = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(len(values))) / (
        m - 1
    )[:, None, None]
    numeric = values.astype(float) if level != "nominal" else np.arange(len(values), dtype=float)
    alpha = _alpha_from(units.sum(axis=0), numeric, level)
    rng = np.random.default_rng(seed)
    flat = units.reshape(len(units), -1)
    reps = []
    for _ in range(n_boot):
        weights = np.bincount(rng.integers(0, len(units), len(units)), minlength=len(units))
        reps.append(_alpha_from((weights @ flat).reshape(len(values), len(values)), numeric, level))
    reps = np.array([r for r in reps if np.isfinite(r)])
    low, high = np.quantile(reps, [(1 - ci) / 2, (1 + ci) / 2])
    return AgreementResult(
        f"krippendorff_{level}",
        len(ratings),
        ratings.shape[1],
        alpha,
        float(reps.std(ddof=1)),
        float(low),
        float(high),
        "bootstrap",
        float("nan"),
    )
