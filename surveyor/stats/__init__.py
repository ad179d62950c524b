"""Statistics engine: pure functions on pandas DataFrames, one module per family.

Every function takes a DataFrame plus column names (and optionally a weights column) and
returns a DataFrame with fixed, documented columns or a small frozen result object; each
reports the ``n`` it used. Missing answers are deleted listwise unless a function says
otherwise, and so are responses whose weight is missing or zero; codes such as "don't know"
must first be turned into missing values with :func:`treat_as_missing` (numeric functions
refuse text and say so). Weights are survey weights, e.g. from :func:`rake`, and intervals
under weights use Kish's effective sample size or the linearisation variance as each
function documents. No Flask, no database.

Answers collected at service points are clustered. Means, shares, NPS, monthly series, group
comparisons and period changes therefore take the survey design as keyword arguments,
``weights=, cluster=, strata=, calibration=, lonely_psu=`` (:mod:`.design`): the service point
is the cluster, the district the stratum, and the raking margins the calibration. Their
intervals then use the linearisation variance with clusters - strata degrees of freedom, as
R's ``survey`` package, and report the design effect ``deff``.

Families: :mod:`.descriptive`, :mod:`.domains`, :mod:`.nps`, :mod:`.reliability`,
:mod:`.drivers` (with :mod:`.relative_importance` and :mod:`.regression`),
:mod:`.importance_performance`, :mod:`.comparisons`, :mod:`.trends`, :mod:`.weighting`,
:mod:`.checklists`, :mod:`.agreement`, :mod:`.data_quality`; the survey design in
:mod:`.design`.
"""

from ._moments import kish_effective_n
from ._validation import treat_as_missing
from .agreement import AgreementResult, cohen_kappa, fleiss_kappa, krippendorff_alpha
from .checklists import compliance_by_site, item_pass_rates
from .comparisons import (
    ChangeResult,
    ChiSquareResult,
    KruskalResult,
    chi_square,
    kruskal_wallis,
    pairwise_mann_whitney,
    period_change,
)
from .data_quality import QualityReport, flag_quality
from .descriptive import box_shares, distribution, mean_ci
from .design import LONELY_PSU, POOLED_STRATUM, collapse_lonely_strata
from .domains import GroupTestResult, group_mean_test, group_means, group_versus_rest, pairwise_mean_differences
from .drivers import KeyDrivers, bootstrap_importance, key_drivers, shapley_importance
from .bounds import clip_to_scale
from .importance_performance import fix_first, importance_performance
from .nps import NPSResult, net_promoter_score
from .regression import ordinal_drivers, standardized_coefficients, variance_inflation
from .relative_importance import MAX_EXACT_DRIVERS, relative_weights, shapley_r2, subset_r2
from .reliability import AlphaResult, cronbach_alpha, item_analysis
from .trends import jalali_months, monthly_trend
from .weighting import WeightingResult, post_stratify, rake

__all__ = [
    "LONELY_PSU",
    "POOLED_STRATUM",
    "MAX_EXACT_DRIVERS",
    "AgreementResult",
    "AlphaResult",
    "ChangeResult",
    "ChiSquareResult",
    "GroupTestResult",
    "KeyDrivers",
    "KruskalResult",
    "NPSResult",
    "QualityReport",
    "WeightingResult",
    "bootstrap_importance",
    "box_shares",
    "chi_square",
    "cohen_kappa",
    "collapse_lonely_strata",
    "compliance_by_site",
    "cronbach_alpha",
    "distribution",
    "flag_quality",
    "fleiss_kappa",
    "group_mean_test",
    "group_means",
    "group_versus_rest",
    "importance_performance",
    "fix_first",
    "clip_to_scale",
    "item_analysis",
    "item_pass_rates",
    "jalali_months",
    "key_drivers",
    "kish_effective_n",
    "krippendorff_alpha",
    "kruskal_wallis",
    "mean_ci",
    "monthly_trend",
    "net_promoter_score",
    "ordinal_drivers",
    "pairwise_mann_whitney",
    "pairwise_mean_differences",
    "period_change",
    "post_stratify",
    "rake",
    "relative_weights",
    "shapley_importance",
    "shapley_r2",
    "standardized_coefficients",
    "subset_r2",
    "treat_as_missing",
    "variance_inflation",
]
