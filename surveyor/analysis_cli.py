"""``surveyor analyze drivers | reliability | nps``: the statistics engine on an exported CSV.

Each command prints a readable table, or with ``--json`` one JSON object whose keys other
tools rely on:

- ``drivers``: ``n``, ``r2``, ``method`` and ``drivers``, a list (most important first) of
  objects with ``driver``, ``shapley`` (raw share of R²; null beyond the exact limit),
  ``relative_weight`` (raw), ``beta`` (standardized) and ``rank``;
- ``reliability``: ``n``, ``alpha``, ``ci_low``, ``ci_high``;
- ``nps``: ``n``, ``nps``, ``ci_low``, ``ci_high``.

The JSON is strict: an undefined figure is ``null``, never ``NaN`` or ``Infinity``. Missing
cells are missing answers (deleted listwise); a statistics error exits with status 1 and its
message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
import pandas as pd

from . import stats


def _read_csv(path: str) -> pd.DataFrame:
    try:
        return pd.read_csv(Path(path), encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise click.ClickException(f"cannot read {path} as a UTF-8 CSV file: {exc}") from exc


def _names(option: str) -> list[str]:
    names = [name.strip() for name in option.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("give comma-separated column names, e.g. A,B,C")
    return names


def _number(value):
    """JSON-safe number: NaN becomes null, numpy scalars become Python numbers."""
    if value is None:
        return None
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and math.isnan(value) else value


def _emit(payload: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        try:  # strict JSON: an infinity is an error, not an invalid document
            text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        except ValueError as exc:
            raise click.ClickException(f"a result is not a finite number ({exc})") from exc
        click.echo(text)
    else:
        click.echo("\n".join(lines))


def _run(compute):
    try:
        return compute()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _fmt(value, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@click.group(help="Statistics on an exported CSV file (one row per response).")
def analyze():
    pass


@analyze.command("drivers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--outcome", required=True, help="Outcome column, e.g. overall satisfaction.")
@click.option("--drivers", "driver_list", required=True, help="Comma-separated driver columns.")
@click.option("--weights", default=None, help="Column of survey weights.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def drivers_command(file, outcome, driver_list, weights, as_json):
    """Key drivers of the outcome in FILE: Shapley shares of R², relative weights, betas."""
    data = _read_csv(file)
    result = _run(
        lambda: stats.key_drivers(
            data, outcome=outcome, drivers=_names(driver_list), weights=weights
        )
    )
    table = result.table.sort_values(["rank", "driver"], kind="stable")
    rows = [
        {
            "driver": str(row.driver),
            "shapley": _number(row.shapley),
            "relative_weight": _number(row.relative_weight),
            "beta": _number(row.beta),
            "rank": int(row.rank),
        }
        for row in table.itertuples(index=False)
    ]
    payload = {
        "n": _number(result.n),
        "r2": _number(result.r2),
        "method": result.method,
        "drivers": rows,
    }
    width = max(len("driver"), *(len(r["driver"]) for r in rows))
    method = (
        "exact Shapley (LMG)"
        if result.method == "shapley"
        else "relative weights (too many drivers for exact Shapley)"
    )
    lines = [
        f"n = {result.n}   R² = {result.r2:.4f}   ranked by {method}",
        f"{'driver':<{width}}  {'shapley':>8}  {'rel.weight':>10}  {'beta':>8}  {'rank':>4}",
    ]
    lines += [
        f"{r['driver']:<{width}}  {_fmt(r['shapley']):>8}  {_fmt(r['relative_weight']):>10}  "
        f"{_fmt(r['beta']):>8}  {r['rank']:>4}"
        for r in rows
    ]
    _emit(payload, as_json, lines)


@analyze.command("reliability")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--items", required=True, help="Comma-separated item columns of one scale.")
@click.option("--weights", default=None, help="Column of survey weights.")
@click.option("--ci", default=0.95, show_default=True, type=float, help="Confidence level.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def reliability_command(file, items, weights, ci, as_json):
    """Cronbach's alpha of the items in FILE with Feldt's confidence interval."""
    data = _read_csv(file)
    result = _run(
        lambda: stats.cronbach_alpha(data, items=_names(items), weights=weights, ci=ci)
    )
    payload = {
        "n": _number(result.n),
        "alpha": _number(result.alpha),
        "ci_low": _number(result.ci_low),
        "ci_high": _number(result.ci_high),
    }
    effective = f" (effective {result.n_eff:.1f})" if weights else ""
    lines = [
        f"n = {result.n}{effective}   items = {result.k}",
        f"Cronbach's alpha = {result.alpha:.4f}   "
        f"{ci:.0%} CI [{result.ci_low:.4f}, {result.ci_high:.4f}]",
    ]
    _emit(payload, as_json, lines)


@analyze.command("nps")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--item", required=True, help="The 0-10 recommendation question column.")
@click.option("--ci", default=0.95, show_default=True, type=float, help="Confidence level.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def nps_command(file, item, ci, as_json):
    """Net Promoter Score of the 0-10 item in FILE with a confidence interval."""
    data = _read_csv(file)
    result = _run(lambda: stats.net_promoter_score(data, column=item, ci=ci))
    payload = {
        "n": _number(result.n),
        "nps": _number(result.nps),
        "ci_low": _number(result.ci_low),
        "ci_high": _number(result.ci_high),
    }
    lines = [
        f"n = {result.n}   promoters {result.promoters:.1%}   passives {result.passives:.1%}   "
        f"detractors {result.detractors:.1%}",
        f"NPS = {result.nps:.1f}   {ci:.0%} CI [{result.ci_low:.1f}, {result.ci_high:.1f}]",
    ]
    _emit(payload, as_json, lines)


from .responses.summary import summary  # noqa: E402  (the one analysis that reads the database)

analyze.add_command(summary)
