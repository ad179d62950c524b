"""Headline figures of a questionnaire from the database (``surveyor analyze summary CODE``)."""
from __future__ import annotations

import json
import math

import click
from flask.cli import with_appcontext

from .. import stats


def _clean(value):
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and math.isnan(value) else value


def headline_figures(frame, definition: dict) -> dict:
    """Overall satisfaction (mean and top-two-box with intervals), NPS, the reliability of the
    driver scale and the three strongest drivers, on unflagged responses. Pure: data in, dict out."""
    items = definition["items"]
    outcome = next(i for i in items if i["role"] == "outcome")
    drivers = [i["code"] for i in items if i["role"] == "driver" and i["code"] in frame]
    recommend = next((i["code"] for i in items if i["role"] == "recommend"), None)
    values = [option["value"] for option in outcome["options"]]
    figures = {"code": definition["code"], "responses": int(len(frame))}
    if frame.empty or outcome["code"] not in frame:
        return figures
    mean = stats.mean_ci(frame, columns=outcome["code"]).iloc[0]
    box = stats.box_shares(frame, columns=outcome["code"], scale_min=min(values), scale_max=max(values),
                           boxes=2).iloc[0]
    figures["overall"] = {"n": int(mean["n"]), "mean": _clean(mean["mean"]), "ci_low": _clean(mean["ci_low"]),
                          "ci_high": _clean(mean["ci_high"]), "top_two_box": _clean(box["top_box"]),
                          "top_two_box_ci": [_clean(box["top_ci_low"]), _clean(box["top_ci_high"])]}
    if recommend and recommend in frame and frame[recommend].notna().any():
        nps = stats.net_promoter_score(frame, column=recommend)
        figures["nps"] = {"n": nps.n, "nps": _clean(nps.nps), "ci_low": _clean(nps.ci_low),
                          "ci_high": _clean(nps.ci_high)}
    if len(drivers) >= 2:
        try:
            alpha = stats.cronbach_alpha(frame, items=drivers)
            figures["reliability"] = {"n": alpha.n, "alpha": _clean(alpha.alpha), "ci_low": _clean(alpha.ci_low),
                                      "ci_high": _clean(alpha.ci_high)}
        except ValueError as exc:  # e.g. the drivers' sum is the same in every response
            figures["reliability"] = {"n": None, "alpha": None, "ci_low": None, "ci_high": None,
                                      "not_computed": str(exc)}
        result = stats.key_drivers(frame, outcome=outcome["code"], drivers=drivers)
        table = result.table.sort_values("rank")
        figures["drivers"] = {"n": result.n, "r2": _clean(result.r2), "method": result.method,
                              "top": [{"driver": row.driver, "rank": int(row.rank),
                                       "shapley": _clean(row.shapley)} for row in table.head(3).itertuples()]}
    return figures


@click.command("summary")
@click.argument("code")
@click.option("--include-flagged", is_flag=True, help="Keep responses flagged for data quality.")
@with_appcontext
def summary(code, include_flagged):
    """Headline figures of a questionnaire from the database, as JSON."""
    # Imported here: ``surveyor analyze`` on a CSV file (the same group) needs no database.
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Instrument
    from .dataset import answers_frame

    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper()))
    if instrument is None or instrument.kind != "questionnaire":
        raise click.ClickException(f"no questionnaire {code}; see `surveyor instruments list`")
    frame = answers_frame(db.session, instrument.id, include_flagged=include_flagged)
    try:
        figures = headline_figures(frame, instrument.latest.definition)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
