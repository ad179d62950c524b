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
:mod:`.checklists`, :mod:`.agreement`, :mod:`.data_quality`, :mod:`.early_warning`; the survey design in
:mod:`.design`.

The package imports nothing until a name is used (PEP 562 ``__getattr__``): the command line
and the web app import ``surveyor.stats`` everywhere, and SciPy and statsmodels alone take about
a second to load, which ``surveyor --help`` and the pages that draw no figure should not wait for.
"""
from __future__ import annotations

from ..lazy import lazy_names

_MODULES = {
    "kish_effective_n": "._moments",
    "treat_as_missing": "._validation",
    "AgreementResult": ".agreement",
    "cohen_kappa": ".agreement",
    "fleiss_kappa": ".agreement",
    "krippendorff_alpha": ".agreement",
    "compliance_by_site": ".checklists",
    "item_pass_rates": ".checklists",
    "ChangeResult": ".comparisons",
    "ChiSquareResult": ".comparisons",
    "KruskalResult": ".comparisons",
    "chi_square": ".comparisons",
    "kruskal_wallis": ".comparisons",
    "pairwise_mann_whitney": ".comparisons",
    "period_change": ".comparisons",
    "QualityReport": ".data_quality",
    "flag_quality": ".data_quality",
    "box_shares": ".descriptive",
    "DropWatch": ".early_warning",
    "Silence": ".early_warning",
    "cusum_arl": ".early_warning",
    "cusum_drop": ".early_warning",
    "cusum_threshold": ".early_warning",
    "flagged_bursts": ".early_warning",
    "silence": ".early_warning",
    "silence_threshold_days": ".early_warning",
    "distribution": ".descriptive",
    "mean_ci": ".descriptive",
    "LONELY_PSU": ".design",
    "POOLED_STRATUM": ".design",
    "collapse_lonely_strata": ".design",
    "GroupTestResult": ".domains",
    "group_mean_test": ".domains",
    "group_means": ".domains",
    "pairwise_mean_differences": ".domains",
    "group_versus_rest": ".domains",
    "KeyDrivers": ".drivers",
    "bootstrap_importance": ".drivers",
    "key_drivers": ".drivers",
    "shapley_importance": ".drivers",
    "importance_performance": ".importance_performance",
    "fix_first": ".importance_performance",
    "FIX_FIRST_COUNT": ".importance_performance",
    "clip_to_scale": ".bounds",
    "NPSResult": ".nps",
    "net_promoter_score": ".nps",
    "ordinal_drivers": ".regression",
    "standardized_coefficients": ".regression",
    "variance_inflation": ".regression",
    "MAX_EXACT_DRIVERS": ".relative_importance",
    "relative_weights": ".relative_importance",
    "shapley_r2": ".relative_importance",
    "subset_r2": ".relative_importance",
    "AlphaResult": ".reliability",
    "cronbach_alpha": ".reliability",
    "item_analysis": ".reliability",
    "jalali_months": ".trends",
    "monthly_trend": ".trends",
    "WeightingResult": ".weighting",
    "post_stratify": ".weighting",
    "rake": ".weighting",
}

__all__ = sorted(_MODULES)

__getattr__, __dir__ = lazy_names(__name__, _MODULES, globals())
