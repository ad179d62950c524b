"""The survey design behind a frame of answers (clusters, strata, weights, calibration) and the
linearisation (Taylor) variance of means under it.

QR answers are clustered: everyone who answers at one metro station shares that station's
conditions, so the service point is the primary sampling unit (PSU, the cluster), the district
a stratum, and survey weights (from :func:`surveyor.stats.rake`) are optional. Ignoring the
clusters makes intervals too narrow wherever stations differ. The estimators follow Lumley,
T. (2010), *Complex Surveys: A Guide to Analysis Using R*, Wiley, ch. 2-3 and appendix C, and
reproduce R's ``survey`` package (``svydesign(ids=~point, strata=~district, weights=~w,
nest=TRUE)``) to rounding:

- a (domain) mean ``m = sum_d w y / sum_d w`` has the influence values
  ``z_i = w_i (y_i - m) / sum_d w`` on the rows of the domain d (0 elsewhere);
- its variance is ``sum_h n_h / (n_h - 1) sum_c (z_hc - mean_h z)^2`` over the strata h, with
  ``z_hc`` the total of z in PSU c and ``n_h`` the PSUs of stratum h (with-replacement
  approximation of the first stage; Wolter, K. M. (2007), *Introduction to Variance
  Estimation*, 2nd ed., Springer, ch. 6);
- degrees of freedom: PSUs minus strata among the rows used (R's ``degf``).

Domains (a district, a month, the responses that answered a question) are estimated as
subsets of the whole design: rows outside the domain stay in it with nothing to contribute, so
a service point without answers in the domain still counts among its district's points
(R's ``subset()`` and ``na.rm=TRUE``). The module is internal; the public functions
(:func:`surveyor.stats.mean_ci`, :func:`surveyor.stats.domain_means`, ...) take the design as
the keyword arguments ``weights, cluster, strata, calibration, lonely_psu``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from . import _validation as v

#: What to do with a stratum that has a single PSU (R's ``options(survey.lonely.psu=)``):
#: ``"adjust"`` (the default) centres its PSU total at the overall mean, zero, instead of at
#: its own mean, a conservative contribution; ``"average"`` gives such strata the average
#: variance of the others; ``"remove"`` lets them contribute nothing; ``"fail"`` refuses.
LONELY_PSU = ("adjust", "average", "remove", "fail")

#: Backfitting sweeps over the raking margins, as R's ``survey:::svyrecvar``.
CALIBRATION_SWEEPS = 10


@dataclass(frozen=True)
class SurveyDesign:
    """Every row of one frame placed in the design.

    ``weights`` are scaled so that the largest is 1 (the estimators do not depend on the
    scale, and 1e200 would overflow when squared); 0 marks a row without a usable weight.
    ``psu`` numbers the PSUs (nested in strata), ``psu_stratum`` gives the stratum of each,
    ``n_psu`` the PSUs of each stratum. ``margins`` hold the category of every row on each
    raking margin, ``margin_sizes`` the rows per category.
    """

    weights: np.ndarray
    psu: np.ndarray
    psu_stratum: np.ndarray
    n_psu: np.ndarray
    margins: tuple[np.ndarray, ...]
    margin_sizes: tuple[np.ndarray, ...]
    lonely_psu: str
    stratum_names: tuple = ()

    @property
    def stratum(self) -> np.ndarray:
        return self.psu_stratum[self.psu]


def is_design(cluster, strata, calibration) -> bool:
    """True when any part of a design beyond weights is given."""
    return cluster is not None or strata is not None or calibration is not None


def row_labels(data: pd.DataFrame, spec, what: str) -> pd.Series:
    """A column name, a Series aligned on ``data``'s index or one value per row, as a Series."""
    if isinstance(spec, str):
        v.require_columns(data, [spec], what=f"{what} column")
        return data[spec]
    if isinstance(spec, pd.Series):
        absent = ~data.index.isin(spec.index)
        if absent.any():
            raise ValueError(
                f"the {what} Series has no value for {int(absent.sum())} rows of the data "
                f"(for example index {data.index[absent][0]!r}); give it the data's index"
            )
        if spec.index.has_duplicates:
            raise ValueError(f"the {what} Series repeats index labels; give it the data's index")
        return spec.reindex(data.index)
    values = np.asarray(spec, dtype=object)
    if values.ndim != 1 or len(values) != len(data):
        raise ValueError(
            f"{what} must be a column name, a Series with the data's index or one value per "
            f"row ({len(data)}); got {type(spec).__name__} of shape {values.shape}"
        )
    return pd.Series(values, index=data.index)


def _codes(labels: pd.Series, own_code_when_missing: bool) -> np.ndarray:
    """Integer codes; a missing label becomes a code of its own per row, or one shared code."""
    codes, uniques = pd.factorize(labels, sort=True)
    missing = codes < 0
    if missing.any():
        extra = np.arange(missing.sum()) if own_code_when_missing else 0
        codes[missing] = len(uniques) + extra
    return codes.astype(np.int64)


def _weights(data: pd.DataFrame, weights: str | None, calibrated: bool) -> np.ndarray:
    if weights is None:
        return np.ones(len(data))
    w = v.weight_values(data, weights).to_numpy(dtype="float64")
    usable = np.isfinite(w) & (w > 0)
    if calibrated and not usable.all():
        raise ValueError(
            f"{int((~usable).sum())} rows have a zero or missing weight in {weights!r}; raked "
            "weights are positive for every row: rake the rows you analyse"
        )
    w = np.where(usable, w, 0.0)
    top = w.max(initial=0.0)
    return w / top if top > 0 else w


def _margins(data: pd.DataFrame, calibration) -> tuple[tuple, tuple]:
    if calibration is None:
        return (), ()
    names = v.column_list(calibration, what="calibration")
    v.require_columns(data, names, what="calibration column")
    codes, sizes = [], []
    for name in names:
        if data[name].isna().any():
            raise ValueError(
                f"{int(data[name].isna().sum())} rows have no value for the raking margin "
                f"{name!r}; raked weights give every row a category"
            )
        code = _codes(data[name], own_code_when_missing=False)
        codes.append(code)
        sizes.append(np.bincount(code).astype("float64"))
    return tuple(codes), tuple(sizes)


def survey_design(
    data: pd.DataFrame,
    *,
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
) -> SurveyDesign:
    """Place every row of ``data`` in the design.

    ``cluster`` and ``strata`` are column names, Series aligned on the data's index or one
    value per row. Without ``cluster`` every row is its own PSU; a row whose cluster is missing
    is a PSU of its own, and rows whose stratum is missing form one stratum together. PSUs are
    nested in strata (R's ``nest=TRUE``). ``calibration`` names the margins the weights were
    raked to (:attr:`surveyor.stats.WeightingResult.margins`).
    """
    v.require_frame(data)
    v.check_choice(lonely_psu, LONELY_PSU, what="lonely_psu")
    margins, sizes = _margins(data, calibration)
    w = _weights(data, weights, calibrated=bool(margins))
    stratum = (np.zeros(len(data), dtype=np.int64) if strata is None
               else _codes(row_labels(data, strata, "strata"), own_code_when_missing=False))
    unit = (np.arange(len(data), dtype=np.int64) if cluster is None
            else _codes(row_labels(data, cluster, "cluster"), own_code_when_missing=True))
    # sorted: PSUs numbered stratum by stratum, so that a stratum's PSUs are one slice
    psu = pd.factorize(stratum * (int(unit.max(initial=0)) + 1) + unit, sort=True)[0]
    psu_stratum = np.zeros(int(psu.max(initial=-1)) + 1, dtype=np.int64)
    psu_stratum[psu] = stratum
    n_psu = np.bincount(psu_stratum, minlength=int(stratum.max(initial=-1)) + 1)
    names = ("all",) if strata is None else _stratum_names(row_labels(data, strata, "strata"))
    return SurveyDesign(w, psu, psu_stratum, n_psu, margins, sizes, lonely_psu, names)


def _stratum_names(labels: pd.Series) -> tuple:
    """The label of each stratum code (as :func:`_codes` numbers them), for messages."""
    uniques = pd.factorize(labels, sort=True)[1]
    return (*uniques.tolist(), "(none)")


@dataclass(frozen=True)
class DomainEstimates:
    """(Weighted) means of D domains with their linearisation variances.

    ``cov`` is the joint covariance of the D means (for contrasts and Wald tests), ``var`` the
    variance of each mean on its own (the two differ only under ``lonely_psu="average"``,
    which averages over the strata a domain occupies). ``df`` is each domain's PSUs minus
    strata, ``df_joint`` the same over the rows of all domains; ``clusters`` and ``strata``
    (boolean, domains x PSUs and domains x strata) say which hold each domain's answers.
    ``sd`` is the weighted standard deviation ``sqrt(n/(n-1) sum w (y-m)^2 / sum w)`` (R's
    ``svyvar``).
    """

    mean: np.ndarray
    cov: np.ndarray
    var: np.ndarray
    n: np.ndarray
    sd: np.ndarray
    df: np.ndarray
    clusters: np.ndarray
    strata: np.ndarray
    df_joint: int

    @property
    def n_clusters(self) -> np.ndarray:
        return self.clusters.sum(axis=1)

    @property
    def n_strata(self) -> np.ndarray:
        return self.strata.sum(axis=1)

    def df_of(self, domains) -> int:
        """Clusters - strata among the answers of several domains together."""
        return int(self.clusters[domains].any(axis=0).sum()
                   - self.strata[domains].any(axis=0).sum())

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(self.var)

    @property
    def deff(self) -> np.ndarray:
        """Design effect ``var / (sd^2 / n)``: the variance against that of a simple random
        sample of the same size (R's ``svymean(..., deff="replace")``); NaN without spread."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.sd > 0, self.var / (self.sd**2 / self.n), np.nan)


def domain_estimates(design: SurveyDesign, y: np.ndarray, group: np.ndarray,
                     domains: int) -> DomainEstimates:
    """Means of ``y`` in each domain ``0..domains-1`` of ``group`` (-1: in none), with the
    linearisation variance. Rows with a missing ``y`` or no weight are out of every domain."""
    w = design.weights
    y = np.asarray(y, dtype="float64")
    used = (group >= 0) & np.isfinite(y) & (w > 0)
    g, wy = group[used], w[used]
    n = np.bincount(g, minlength=domains)
    total = np.bincount(g, weights=wy, minlength=domains)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(g, weights=wy * y[used], minlength=domains) / total
        resid = y[used] - mean[g]
        z = wy * resid / total[g]
        ss = np.bincount(g, weights=wy * resid * resid, minlength=domains) / total
        sd = np.sqrt(np.where(n > 1, ss * n / (n - 1), np.nan))
    totals = _psu_totals(design, z, used, g, domains)
    contributions = _stratum_contributions(design, totals)
    strata_used = _units_per_domain(design.stratum[used], g, domains, design.n_psu.size)
    clusters_used = _units_per_domain(design.psu[used], g, domains, design.psu_stratum.size)
    present = strata_used.any(axis=0)
    _check_lonely(design, present)
    var = np.array([_combine(contributions[:, d, d], design, strata_used[d])
                    for d in range(domains)])
    df = clusters_used.sum(axis=1) - strata_used.sum(axis=1)
    df_joint = int(clusters_used.any(axis=0).sum() - present.sum())
    return DomainEstimates(mean, _combine(contributions, design, present), var, n, sd, df,
                           clusters_used, strata_used, df_joint)


def _psu_totals(design: SurveyDesign, z: np.ndarray, used: np.ndarray, g: np.ndarray,
                domains: int):
    """Total of each domain's influence values in each PSU, shape (PSUs, domains): a sparse
    matrix (a PSU holds few domains, and without clusters there is a PSU per row), dense on
    raked weights."""
    psus = design.psu_stratum.size
    totals = sparse.csr_matrix((z, (design.psu[used], g)), shape=(psus, domains))
    if not design.margins:
        return totals
    per_category, corrections = _calibration_terms(design, z, used, g, domains)
    return totals.toarray() - per_category @ corrections


def _calibration_terms(design: SurveyDesign, z: np.ndarray, used: np.ndarray, g: np.ndarray,
                       domains: int) -> tuple[np.ndarray, np.ndarray]:
    """On raked weights the influence values are the residuals of ``z`` on the raking
    margins, ``z_i - w_i sum_m A_m[c_m(i)]``: :data:`CALIBRATION_SWEEPS` backfitting sweeps
    that subtract, margin by margin, ``w_i`` times the mean of ``z / w`` in the row's
    category, as R's ``survey:::svyrecvar`` does for a design from ``rake()`` (Lumley 2010,
    section 7.3). Raking is calibration with the raking distance, whose estimators have the
    variance of these residuals (Deville, J.-C. & Särndal, C.-E. (1992). Calibration
    estimators in survey sampling. *JASA* 87(418), 376-382, doi:10.1080/01621459.1992.10475217;
    Särndal, Swensson & Wretman (1992), *Model Assisted Survey Sampling*, Springer, 6.6).

    The sweeps are linear, so they run on the category coefficients ``A`` instead of the
    rows: a category's mean of ``z / w`` is ``(b_m - sum_k N_mk A_k) / n_m``, with ``b_m``
    the category sums of ``z / w`` and ``N_mk`` the counts of rows in each pair of categories.
    Returns each PSU's weight total in every category (PSUs x categories) and ``A``
    (categories x domains); the residuals' PSU totals are the plain totals minus their
    product.
    """
    w, psu, psus = design.weights, design.psu, design.psu_stratum.size
    sizes = [s.size for s in design.margin_sizes]
    ratio = z / w[used]
    sums = [np.bincount(codes[used] * domains + g, weights=ratio, minlength=k * domains)
            .reshape(k, domains) for codes, k in zip(design.margins, sizes)]
    cross = [[np.bincount(a * l + b, minlength=k * l).reshape(k, l).astype("float64")
              for b, l in zip(design.margins, sizes)] for a, k in zip(design.margins, sizes)]
    coefficients = [np.zeros((k, domains)) for k in sizes]
    for _ in range(CALIBRATION_SWEEPS):
        for m, count in enumerate(design.margin_sizes):
            rest = sums[m] - sum(cross[m][k] @ coefficients[k] for k in range(len(sizes)))
            coefficients[m] = coefficients[m] + rest / count[:, None]
    per_category = np.hstack([np.bincount(psu * k + codes, weights=w, minlength=psus * k)
                              .reshape(psus, k) for codes, k in zip(design.margins, sizes)])
    return per_category, np.vstack(coefficients)


_BLOCK = 1 << 16  # PSUs made dense at a time when a stratum's totals are summed


def _stratum_contributions(design: SurveyDesign, totals) -> np.ndarray:
    """``n_h/(n_h-1) sum_c (z_hc - centre_h)(z_hc - centre_h)'`` for each stratum h, shape
    (strata, D, D). The centre is the stratum's mean PSU total, or 0 for a stratum with one
    PSU under ``"adjust"`` (which then keeps its whole total); a lone PSU centred at its own
    mean contributes nothing (``"remove"``). PSUs are numbered stratum by stratum, so each
    stratum's totals are one slice of rows."""
    n_psu = design.n_psu
    bounds = np.concatenate([[0], np.cumsum(n_psu)])
    out = np.zeros((n_psu.size, totals.shape[1], totals.shape[1]))
    for h, (low, high) in enumerate(zip(bounds[:-1], bounds[1:])):
        if high == low:
            continue
        centre = np.asarray(totals[low:high].sum(axis=0)).ravel() / (high - low)
        if design.lonely_psu == "adjust" and high - low == 1:
            centre[:] = 0.0
        for start in range(low, high, _BLOCK):
            block = totals[start:min(start + _BLOCK, high)]
            block = (block.toarray() if sparse.issparse(block) else block) - centre
            out[h] += block.T @ block
        if high - low > 1:
            out[h] *= (high - low) / (high - low - 1)
    return out


def _combine(contributions: np.ndarray, design: SurveyDesign, present: np.ndarray):
    """Sum the contributions of the strata the estimate occupies; under ``"average"`` the
    strata with one PSU are left out and the sum scaled by ``present / kept`` (R's
    ``survey:::onestage``)."""
    kept = present.copy()
    if design.lonely_psu == "average":
        kept &= design.n_psu > 1
    total = contributions[kept].sum(axis=0)
    if design.lonely_psu == "average":
        total = total * (present.sum() / kept.sum()) if kept.any() else total * np.nan
    return total


def _units_per_domain(units: np.ndarray, g: np.ndarray, domains: int, size: int) -> np.ndarray:
    """Boolean (domains, size): which units (PSUs or strata) hold rows of each domain."""
    seen = np.zeros((domains, size), dtype=bool)
    seen[g, units] = True
    return seen


def _check_lonely(design: SurveyDesign, present: np.ndarray) -> None:
    lonely = present & (design.n_psu == 1)
    if design.lonely_psu == "fail" and lonely.any():
        names = [str(design.stratum_names[h]) for h in np.flatnonzero(lonely)]
        raise ValueError(
            f"strata {', '.join(names)} have a single cluster, so their variance cannot be "
            'estimated; merge them with a neighbour or choose lonely_psu="adjust"'
        )


#: The stratum label given to strata pooled by :func:`collapse_lonely_strata`.
POOLED_STRATUM = "pooled"


def collapse_lonely_strata(cluster: pd.Series, strata: pd.Series) -> pd.Series:
    """Strata in which two or more single-cluster strata are pooled into one.

    A stratum with a single cluster (a district with one metro station) has no
    within-stratum variance; when every stratum is so, PSUs minus strata leaves no degree of
    freedom and no interval. The standard remedy is to collapse such strata (Wolter, K. M.
    (2007), *Introduction to Variance Estimation*, 2nd ed., Springer, section 2.5; Rust, K. &
    Kalton, G. (1987). Strategies for collapsing strata for variance estimation. *J. Official
    Statistics* 3(1), 69-81): the lonely strata become one stratum, :data:`POOLED_STRATUM`,
    whose clusters vary between them, a conservative estimate (it adds the differences
    between those strata to the variance). A single lonely stratum is left as it is (the
    estimators then apply ``lonely_psu``). ``cluster`` and ``strata`` are aligned Series; a
    missing cluster counts as a cluster of its own, a missing stratum as one stratum.

    Returns the stratum of each row as text (so that the pooled label sorts among them), for
    the ``strata=`` argument.
    """
    codes, uniques = pd.factorize(strata)  # -1: no stratum
    names = np.array([str(u) for u in uniques] + ["(none)"], dtype=object)
    units = pd.factorize(cluster)[0]
    own = units < 0  # a row without a cluster is a cluster of its own
    pairs = pd.DataFrame({"s": codes[~own], "c": units[~own]}).drop_duplicates()
    clusters = np.bincount(pairs["s"].to_numpy() % names.size, minlength=names.size)
    clusters += np.bincount(codes[own] % names.size, minlength=names.size)
    lonely = clusters == 1
    if lonely.sum() >= 2:
        names[lonely] = POOLED_STRATUM
    return pd.Series(names[codes], index=strata.index, dtype=object)
