"""The survey design every interval and test of the results pages, reports and API assumes:
the service point is the cluster (primary sampling unit), the district the stratum.

Everyone who answers at one metro station shares that station's conditions, so answers from
one point are not independent; ignoring that makes intervals too narrow wherever points differ
(:mod:`surveyor.stats.design`). Districts with a single point in the selection are pooled into
one stratum (:func:`surveyor.stats.collapse_lonely_strata`); a lone district with one point
that cannot be pooled is centred at the overall mean (``lonely_psu="adjust"``, conservative).
A selection from a single point (a filter on one point) has nothing to vary between points:
its answers are then taken as a simple random sample of that point's users.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import stats

LONELY_PSU = "adjust"


@dataclass(frozen=True)
class PageDesign:
    """The design of one selection of rows: ``cluster`` and ``strata`` are aligned with the
    rows (None for a selection from a single point); ``points`` and ``strata_count`` count
    them, ``pooled`` the districts pooled into one stratum, ``lonely`` the strata left with a
    single point (``lonely_psu="adjust"`` applies to them)."""

    cluster: pd.Series | None
    strata: pd.Series | None
    points: int
    strata_count: int
    pooled: int
    lonely: int = 0

    @property
    def clustered(self) -> bool:
        return self.cluster is not None

    def arguments(self) -> dict:
        """The keyword arguments of :mod:`surveyor.stats` (none: independent answers)."""
        if self.cluster is None:
            return {}
        return {"cluster": self.cluster, "strata": self.strata, "lonely_psu": LONELY_PSU}


def page_design(points: pd.Series, districts: pd.Series) -> PageDesign:
    """The design of rows answered at ``points`` (service point ids) in ``districts`` (aligned
    with ``points`` by position)."""
    count = int(points.nunique())
    if count < 2:
        return PageDesign(None, None, count, 1, 0)
    districts = pd.Series(districts.to_numpy(), index=points.index)
    strata = stats.collapse_lonely_strata(points, districts)
    pooled = int(districts[strata == stats.POOLED_STRATUM].nunique())
    lonely = int((points.groupby(strata).nunique() == 1).sum())
    return PageDesign(points, strata, count, int(strata.nunique()), pooled, lonely)


def design_summary(design: PageDesign, frame: pd.DataFrame, code: str) -> dict | None:
    """What the page says about the design of the overall mean of ``code``: ``clustered``,
    ``points``, ``strata``, ``pooled``, ``lonely``, ``df``, ``deff`` and ``wider`` (the interval's width over that of
    the interval that takes answers as independent), or None without answers to compare."""
    if frame[code].notna().sum() < 2:
        return None
    naive = stats.mean_ci(frame, columns=code).iloc[0]
    row = stats.mean_ci(frame, columns=code, **design.arguments()).iloc[0]
    width, naive_width = row["ci_high"] - row["ci_low"], naive["ci_high"] - naive["ci_low"]
    wider = float(width / naive_width) if naive_width > 0 and width == width else None
    return {"clustered": design.clustered, "points": design.points, "strata": design.strata_count,
            "pooled": design.pooled, "lonely": design.lonely, "df": int(row["df"]), "deff": float(row["deff"]),
            "wider": wider, "naive_ci_low": float(naive["ci_low"]), "naive_ci_high": float(naive["ci_high"])}
