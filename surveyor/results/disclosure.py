"""What a viewer who may not see every inspection is shown of a checklist (k-anonymity).

A supervisor sees their team's inspections one by one and everyone else's only as figures.
A figure over a group (the whole selection, a site, a district, a month, a section, an item,
the inspector agreement) that holds some inspections of other teams is shown only when it holds
at least ``minimum`` of them (``SURVEYOR_MIN_INSPECTIONS``, 5 by default); otherwise the
group is withheld and only its number of inspections is given ("too few inspections to show
(n = 2)"). Inspections of the viewer's own team never count against the minimum: the viewer
may read them anyway, and a group mixing 20 of them with 1 of another team would give that
one away by subtraction.

A site's latest grade is a single inspection's: it is withheld unless that inspection is the
team's. The rule holds figure by figure; two overlapping selections compared by hand (a month
with and without its last day) can still differ by one inspection, which is why the minimum
counts inspections, not inspectors, and why the README says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import stats

DEFAULT_MIN_INSPECTIONS = 5


@dataclass(frozen=True)
class Withheld:
    """A group left out: ``kind`` (``site``, ``district``, ``month``, ``section``, ``item``,
    ``agreement``), its ``key`` (site code, district, ``(year, month)``, code) and its ``n``."""

    kind: str
    key: object
    n: int


def configured_min_inspections() -> int:
    """``SURVEYOR_MIN_INSPECTIONS`` of the current app, or the default outside one."""
    from flask import current_app, has_app_context
    return int(current_app.config.get("MIN_INSPECTIONS", DEFAULT_MIN_INSPECTIONS)) if has_app_context() \
        else DEFAULT_MIN_INSPECTIONS


def may_show(hidden: int, minimum: int) -> bool:
    """Whether a group holding ``hidden`` inspections that the viewer may not see is shown."""
    return hidden == 0 or hidden >= minimum


def _keep(table: pd.DataFrame, hidden: pd.Series, key: str, minimum: int, kind: str,
          withheld: list[Withheld]) -> pd.DataFrame:
    """``table`` (one row per ``key``) without the groups ``hidden`` (per ``key``) forbids."""
    counts = hidden.reindex(table[key]).fillna(0).astype(int).to_numpy()
    shown = [may_show(count, minimum) for count in counts]
    withheld.extend(Withheld(kind, row[key], int(row["n"])) for row, ok in
                    zip(table.to_dict("records"), shown) if not ok)
    return table[shown].reset_index(drop=True)


def _sites(sites: pd.DataFrame, frame: pd.DataFrame, hidden: pd.Series, minimum: int,
           withheld: list[Withheld]) -> pd.DataFrame:
    sites = _keep(sites, hidden.groupby(frame["site"]).sum(), "site", minimum, "site", withheld)
    latest_hidden = frame.assign(hidden=hidden).sort_values("submitted_at").groupby("site")["hidden"].last()
    secret = latest_hidden.reindex(sites["site"]).fillna(False).astype(bool).to_numpy()
    sites.loc[secret, "last_grade"] = None
    sites.loc[secret, "last_critical"] = False
    sites["rank"] = sites["mean"].rank(ascending=False, method="min").astype("Int64")
    return sites.sort_values(["rank", "site"]).reset_index(drop=True)


def _per_item(table: pd.DataFrame, wide: pd.DataFrame, hidden: pd.Series, minimum: int, kind: str,
              withheld: list[Withheld], key: str = "item") -> pd.DataFrame:
    applicable_hidden = wide[hidden.to_numpy()].notna().sum()
    return _keep(table, applicable_hidden, key, minimum, kind, withheld)


def _trend(trend: pd.DataFrame, frame: pd.DataFrame, hidden: pd.Series, minimum: int, timezone: str,
           withheld: list[Withheld]) -> pd.DataFrame:
    secret = frame[hidden.to_numpy() & frame["score_percent"].notna().to_numpy()]
    months = pd.Series(dtype=int)
    if len(secret):
        counted = stats.monthly_trend(secret, value="score_percent", date="submitted_at", timezone=timezone,
                                      fill_gaps=False)
        months = pd.Series(counted["n"].to_numpy(), index=list(zip(counted["year"], counted["month"])))
    table = trend.assign(key=list(zip(trend["year"], trend["month"])))
    return _keep(table, months, "key", minimum, "month", withheld).drop(columns="key")


def withhold(figures, frame: pd.DataFrame, wide: pd.DataFrame, visible: list[int], minimum: int,
             timezone: str, agreement_ids: set[int]) -> None:
    """Remove from ``figures`` (a :class:`~surveyor.results.checklist.ChecklistFigures` of the
    inspections ``frame``, item findings ``wide``) every group that the viewer, who may see the
    inspections of ``visible`` inspectors one by one, may not be shown; list them in
    ``figures.withheld``. When the whole selection is such a group, nothing but its size is left."""
    hidden = ~frame["inspector_id"].isin(visible)
    figures.min_inspections = minimum
    if not may_show(int(hidden.sum()), minimum):
        figures.withhold_all()
        return
    withheld: list[Withheld] = []
    figures.sites = _sites(figures.sites, frame, hidden, minimum, withheld)
    figures.districts = _keep(figures.districts, hidden.groupby(frame["district"]).sum(), "district", minimum,
                              "district", withheld)
    if figures.trend is not None:
        figures.trend = _trend(figures.trend, frame, hidden, minimum, timezone, withheld)
    scores = pd.DataFrame([s or {} for s in frame["section_scores"]], dtype=float)
    figures.sections = _keep(figures.sections, scores[hidden.to_numpy()].notna().sum(), "dimension", minimum,
                             "section", withheld)
    figures.items = _per_item(figures.items, wide, hidden, minimum, "item", withheld)
    figures.critical_items = _per_item(figures.critical_items, wide, hidden, minimum, "item", withheld)
    secret_pairs = int(hidden[frame["id"].isin(agreement_ids).to_numpy()].sum())
    if figures.agreement is not None and not may_show(secret_pairs, minimum):
        withheld.append(Withheld("agreement", "kappa", len(agreement_ids)))
        figures.agreement = None
    figures.withheld = withheld
