"""A checklist's figures: scores, critical failures, item pass rates, corrective actions, the
site ranking and inspector agreement, from the inspections stored for it. The results page and
the PDF report both show these, so they always agree.

An inspection's *score* is the one stored when it was submitted (weighted, with the
checklist's critical rule; :mod:`surveyor.inspect.scoring`). Sites and districts are compared
on the mean score with a t interval over inspections; critical-failure rates and item pass
rates come from :func:`surveyor.stats.compliance_by_site` and
:func:`surveyor.stats.item_pass_rates` (Wilson intervals). Inspector agreement is Cohen's kappa
(:func:`surveyor.stats.cohen_kappa`) on the pass/fail findings of sites that two inspectors
inspected on the same day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select

from .. import stats
from ..inspect.actions import ActionCounts, count_actions
from ..models import CorrectiveAction, Inspection, InspectionItem, Instrument, ServicePoint
from ..models.inspection import OPEN_ACTION_STATUSES
from .data import Filters
from .disclosure import configured_min_inspections, withhold
from .sampling import PageDesign, page_design

OPEN_ACTIONS_SHOWN = 25
MIN_AGREEMENT_PAIRS = 10  # item findings compared before a kappa is shown


@dataclass
class ChecklistFigures:
    """What a checklist report shows. Tables (pandas) have fixed columns:

    - ``sites``: site, name_fa, name_en, district, n, mean, ci_low, ci_high, critical_failures,
      critical_rate, critical_ci_low, critical_ci_high, last_grade, last_critical (the latest
      inspection failed a critical item), rank (1 = best mean score)
    - ``districts``: district, n, mean, ci_low, ci_high, critical_failures, critical_rate,
      critical_ci_low, critical_ci_high
    - ``sections``: dimension, n, mean (mean section score over inspections)
    - ``items``: item, n, passes, pass_rate, ci_low, ci_high (worst first)
    - ``critical_items``: item, n, failures, rate
    - ``actions``: :class:`~surveyor.inspect.actions.ActionCounts` of the selected inspections'
      corrective actions; ``listed_actions``: the same for those listed one by one (everyone's,
      or a supervisor's team's)
    - ``open_actions``: due_on, site, name_fa, name_en, item, description, days_overdue (the
      listed actions open or in progress, soonest due first); ``open_action_ids``: their ids
    """

    n: int = 0
    days: list = field(default_factory=list)
    sites_count: int = 0
    districts_count: int = 0
    inspectors: int = 0
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    critical_inspections: int = 0
    critical_ci_low: float | None = None  # Wilson interval of the critical failure rate
    critical_ci_high: float | None = None
    grades: Counter = field(default_factory=Counter)
    sites: pd.DataFrame | None = None
    districts: pd.DataFrame | None = None
    sections: pd.DataFrame | None = None
    items: pd.DataFrame | None = None
    critical_items: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None
    actions: ActionCounts = field(default_factory=ActionCounts)  # of every inspection selected
    listed_actions: ActionCounts = field(default_factory=ActionCounts)  # of those listed one by one
    open_actions: pd.DataFrame | None = None
    open_action_ids: list[int] = field(default_factory=list)
    actions_listed_for_team: bool = False  # the listed actions are a supervisor's team's only
    agreement: stats.AgreementResult | None = None
    agreement_pairs: int = 0  # item findings compared
    withheld: list = field(default_factory=list)  # groups not shown to this viewer (disclosure.Withheld)
    too_few: int | None = None  # the whole selection withheld from this viewer: its number of inspections
    min_inspections: int | None = None  # the minimum applied to this viewer (None: they see every inspection)

    def withhold_all(self) -> None:
        """Keep nothing but the selection's size and the viewer's own team's actions (see
        :mod:`surveyor.results.disclosure`)."""
        kept = ChecklistFigures(too_few=self.n, min_inspections=self.min_inspections,
                                listed_actions=self.listed_actions, open_actions=self.open_actions,
                                open_action_ids=self.open_action_ids,
                                actions_listed_for_team=self.actions_listed_for_team)
        self.__dict__.update(kept.__dict__)

    @property
    def critical_rate(self) -> float | None:
        return self.critical_inspections / self.n if self.n else None


def selected_inspections(session, instrument: Instrument, filters: Filters, timezone: str) -> pd.DataFrame:
    """The submitted inspections of ``instrument`` that ``filters`` select, one row each (``id``,
    ``inspector_id``, ``submitted_at``, ``score_percent``, ``grade``, ``critical_failed``,
    ``section_scores``, ``point_id``, ``site``, ``name_fa``, ``name_en``, ``district``, ``day``):
    what the page's figures and its downloads are made of."""
    query = (
        select(
            Inspection.id,
            Inspection.inspector_id,
            Inspection.submitted_at,
            Inspection.score_percent,
            Inspection.grade,
            Inspection.critical_failed,
            Inspection.section_scores,
            ServicePoint.id.label("point_id"),
            ServicePoint.code.label("site"),
            ServicePoint.name_fa,
            ServicePoint.name_en,
            ServicePoint.district,
        )
        .join(ServicePoint, ServicePoint.id == Inspection.service_point_id)
        .where(Inspection.instrument_id == instrument.id, Inspection.status == "submitted")
    )
    if filters.district:
        query = query.where(ServicePoint.district == filters.district)
    if filters.service_point_id:
        query = query.where(ServicePoint.id == filters.service_point_id)
    if filters.inspector_id:
        query = query.where(Inspection.inspector_id == filters.inspector_id)
    frame = pd.DataFrame(session.execute(query).mappings().all())
    if frame.empty:
        return frame
    frame["day"] = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_convert(timezone).dt.date
    keep = pd.Series(True, index=frame.index)
    if filters.date_from:
        keep &= frame["day"] >= filters.date_from
    if filters.date_to:
        keep &= frame["day"] <= filters.date_to
    frame = frame[keep].reset_index(drop=True)
    frame["critical_failed"] = frame["critical_failed"].fillna(False).astype(bool)
    return frame


def _item_results(
    session, instrument: Instrument, ids: set[int], checks: list[str]
) -> pd.DataFrame:
    """One row per inspection, one column per check item: 1 pass, 0 fail, NaN not applicable."""
    query = (
        select(InspectionItem.inspection_id, InspectionItem.item_code, InspectionItem.result)
        .join(Inspection, Inspection.id == InspectionItem.inspection_id)
        .where(Inspection.instrument_id == instrument.id, InspectionItem.item_code.in_(checks))
    )
    long = pd.DataFrame(session.execute(query).all(), columns=["id", "item", "result"])
    long = long[long["id"].isin(ids)]
    long["value"] = long["result"].map({"pass": 1.0, "fail": 0.0})
    wide = long.pivot(index="id", columns="item", values="value")
    return wide.reindex(columns=checks).astype(float)


def _mean_ci(scores: pd.Series, design: dict | None = None) -> tuple[float, float, float]:
    """Mean score with its t interval (under ``design``, the keyword arguments of
    :meth:`~.sampling.PageDesign.arguments`), the interval clipped to the 0-100 scale (a few
    inspections near 100% would otherwise reach past it)."""
    scores = scores.dropna()
    if len(scores) < 2 or scores.nunique() < 2:
        mean = float(scores.mean()) if len(scores) else np.nan
        return mean, np.nan, np.nan
    row = stats.mean_ci(scores.to_frame("score"), columns="score", **(design or {})).iloc[0]
    if row["ci_low"] != row["ci_low"]:  # no degrees of freedom under the design
        return float(row["mean"]), np.nan, np.nan
    return float(row["mean"]), max(0.0, float(row["ci_low"])), min(100.0, float(row["ci_high"]))


def overall_compliance(frame: pd.DataFrame) -> tuple[float, float, float]:
    """The mean score of the inspections of ``frame`` (:func:`selected_inspections`) with its
    interval, sites as clusters and districts as strata: the headline of the page and the home."""
    return _mean_ci(frame["score_percent"], _design(frame).arguments())


def _design(frame: pd.DataFrame) -> PageDesign:
    """Inspections of one site share its state: the site is the cluster, the district the
    stratum (:mod:`.sampling`)."""
    return page_design(frame["site"], frame["district"])


def _grouped(
    frame: pd.DataFrame, wide: pd.DataFrame, key: str, critical: list[str]
) -> pd.DataFrame:
    rows = [
        (name, len(part), *_mean_ci(part["score_percent"], _design(part).arguments() if key == "district" else None),
         int(part["critical_failed"].sum()))
        for name, part in frame.groupby(key, sort=True)
    ]
    table = pd.DataFrame(rows, columns=[key, "n", "mean", "ci_low", "ci_high", "critical_failures"])
    checks = wide.assign(**{key: frame.set_index("id")[key]})
    rates = stats.compliance_by_site(checks, site=key, items=list(wide.columns), critical=critical)
    rates = rates.set_index("site")[
        ["critical_failure_rate", "critical_ci_low", "critical_ci_high"]
    ]
    rates.columns = ["critical_rate", "critical_ci_low", "critical_ci_high"]
    return table.join(rates, on=key)


def _sites(frame: pd.DataFrame, wide: pd.DataFrame, critical: list[str]) -> pd.DataFrame:
    table = _grouped(frame, wide, "site", critical)
    latest = frame.sort_values("submitted_at").groupby("site").last()
    table = table.join(
        latest[["name_fa", "name_en", "district", "grade", "critical_failed"]], on="site"
    )
    table = table.rename(columns={"grade": "last_grade", "critical_failed": "last_critical"})
    table["rank"] = table["mean"].rank(ascending=False, method="min").astype("Int64")
    return table.sort_values(["rank", "site"]).reset_index(drop=True)


def _sections(frame: pd.DataFrame, definition: dict) -> pd.DataFrame:
    scores = pd.DataFrame([s or {} for s in frame["section_scores"]], dtype=float)
    rows = [
        (d["code"], int(scores[d["code"]].notna().sum()), float(scores[d["code"]].mean()))
        for d in definition["dimensions"]
        if d["code"] in scores and scores[d["code"]].notna().any()
    ]
    return pd.DataFrame(rows, columns=["dimension", "n", "mean"])


def _counts(actions: pd.DataFrame, today: dt.date) -> ActionCounts:
    return count_actions(((status, None if pd.isna(due) else due)
                          for status, due in zip(actions["status"], actions["due_on"])), today)


def _actions(
    session, instrument: Instrument, frame: pd.DataFrame, today: dt.date, *, listed: pd.DataFrame
) -> tuple[ActionCounts, ActionCounts, pd.DataFrame, list[int]]:
    """The counts of the actions of ``frame``'s inspections and of ``listed``'s, and the open
    actions of ``listed`` one by one (soonest due, so most overdue, first) with their ids."""
    query = (
        select(
            CorrectiveAction.id.label("action_id"),
            CorrectiveAction.inspection_id.label("id"),
            CorrectiveAction.item_code.label("item"),
            CorrectiveAction.description,
            CorrectiveAction.status,
            CorrectiveAction.due_on,
        )
        .join(Inspection, Inspection.id == CorrectiveAction.inspection_id)
        .where(Inspection.instrument_id == instrument.id)
    )
    actions = pd.DataFrame(
        session.execute(query).mappings().all(),
        columns=["action_id", "id", "item", "description", "status", "due_on"],
    )
    actions = actions[actions["id"].isin(set(frame["id"]))].sort_values(["due_on", "action_id"],
                                                                        na_position="last")
    mine = actions[actions["id"].isin(set(listed["id"]))]
    open_ = mine[mine["status"].isin(OPEN_ACTION_STATUSES)].join(
        frame.set_index("id")[["site", "name_fa", "name_en"]], on="id"
    )
    open_ = open_.assign(
        days_overdue=[(today - due).days if due and due < today else 0 for due in open_["due_on"]]
    )
    ids = [int(i) for i in open_["action_id"]]
    return _counts(actions, today), _counts(mine, today), \
        open_.drop(columns=["action_id", "id", "status"]).reset_index(drop=True), ids


def _agreement(frame: pd.DataFrame, wide: pd.DataFrame) -> tuple[stats.AgreementResult | None, int, set[int]]:
    """Cohen's kappa on the pass/fail findings (not applicable left out) where two inspectors
    inspected the same site on the same day: each such site-day pairs the first inspection of
    each of its first two inspectors, item by item. Also the number of findings compared and
    the inspections they come from."""
    pairs, ids = [], set()
    for _, group in frame.sort_values("submitted_at").groupby(["site", "day"]):
        firsts = group.drop_duplicates("inspector_id")
        if len(firsts) < 2:
            continue
        ids.update(int(i) for i in firsts["id"].iloc[:2])
        a, b = wide.loc[firsts["id"].iloc[0]], wide.loc[firsts["id"].iloc[1]]
        both = a.notna() & b.notna()
        pairs.extend(zip(a[both], b[both]))
    if len(pairs) < MIN_AGREEMENT_PAIRS:
        return None, len(pairs), ids
    return stats.cohen_kappa(pd.DataFrame(pairs, columns=["a", "b"]), rater_a="a", rater_b="b"), len(pairs), ids


def checklist_figures(
    session, instrument: Instrument, filters: Filters, *, timezone: str, today: dt.date,
    action_inspectors: list[int] | None = None, min_inspections: int | None = None,
) -> ChecklistFigures:
    """Every figure of the checklist report for the inspections ``filters`` select.

    ``action_inspectors``, when given, are the inspectors whose inspections the viewer may see
    one by one (a supervisor's team): the corrective actions listed (``open_actions``,
    ``open_action_ids``, ``listed_actions``) are theirs, and every group holding fewer than
    ``min_inspections`` inspections of others (default: ``SURVEYOR_MIN_INSPECTIONS``) is withheld
    (:mod:`surveyor.results.disclosure`)."""
    definition = instrument.latest.definition
    frame = selected_inspections(session, instrument, filters, timezone)
    figures = ChecklistFigures()
    if frame.empty:
        return figures
    checks = [i["code"] for i in definition["items"] if i["role"] == "check"]
    critical = [
        i["code"] for i in definition["items"] if i["role"] == "check" and i.get("critical")
    ]
    wide = _item_results(session, instrument, set(frame["id"]), checks).reindex(frame["id"])
    figures.n, figures.days = len(frame), list(frame["day"])
    figures.sites_count, figures.districts_count = (
        frame["site"].nunique(),
        frame["district"].nunique(),
    )
    figures.inspectors = frame["inspector_id"].nunique()
    design = _design(frame)  # the site is the cluster, the district the stratum
    figures.mean, figures.ci_low, figures.ci_high = overall_compliance(frame)
    figures.critical_inspections = int(frame["critical_failed"].sum())
    if critical:  # the share of inspections with a critical failure, with its Wilson interval
        share = stats.box_shares(
            frame.assign(failed=frame["critical_failed"].astype(float)),
            columns="failed",
            scale_min=0,
            scale_max=1,
            boxes=1,
            **design.arguments(),
        ).iloc[0]
        figures.critical_ci_low, figures.critical_ci_high = float(share["top_ci_low"]), float(
            share["top_ci_high"]
        )
    figures.grades = Counter(frame["grade"].dropna())
    figures.sites = _sites(frame, wide, critical)
    figures.districts = _grouped(frame, wide, "district", critical)
    figures.sections = _sections(frame, definition)
    figures.items = stats.item_pass_rates(wide, items=checks).dropna(subset=["pass_rate"])
    failures = (wide[critical] == 0).sum()
    figures.critical_items = pd.DataFrame(
        {
            "item": critical,
            "n": wide[critical].notna().sum().to_numpy(),
            "failures": failures.to_numpy(),
        }
    )
    figures.critical_items["rate"] = figures.critical_items["failures"] / figures.critical_items[
        "n"
    ].replace(0, np.nan)
    scored = frame[frame["score_percent"].notna()]
    if scored["day"].nunique() >= 2:
        figures.trend = stats.monthly_trend(
            scored, value="score_percent", date="submitted_at", timezone=timezone, fill_gaps=False,
            **_design(scored).arguments()
        )
    listed = frame if action_inspectors is None else frame[frame["inspector_id"].isin(action_inspectors)]
    figures.actions_listed_for_team = action_inspectors is not None
    figures.actions, figures.listed_actions, figures.open_actions, figures.open_action_ids = _actions(
        session, instrument, frame, today, listed=listed
    )
    figures.agreement, figures.agreement_pairs, paired = _agreement(frame, wide)
    if action_inspectors is not None:
        minimum = configured_min_inspections() if min_inspections is None else min_inspections
        withhold(figures, frame, wide, action_inspectors, minimum, timezone, paired)
    return figures
