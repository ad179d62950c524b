"""`surveyor demo`: realistic synthetic data from the stated model."""
from __future__ import annotations

import datetime as dt

import numpy as np
from scipy import stats
from sqlalchemy import func, select

from surveyor.demo.model import LOW_EFFORT_RATE, true_weights
from surveyor.models import Instrument, Response, ServicePoint
from surveyor.responses import answers_frame


def test_demo_fills_13_districts_and_a_year_of_responses_from_the_model(loaded, runner):
    result = runner.invoke(args=["demo", "--responses", "3000", "--instrument", "TRN-Q01", "--seed", "7"])
    assert result.exit_code == 0, result.output
    session = loaded.session
    assert session.scalar(select(func.count(func.distinct(ServicePoint.district)))) == 13
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame = answers_frame(session, metro.id)
    assert len(frame) == 3000

    now = dt.datetime.now(dt.timezone.utc)
    ages = (now - frame["_submitted_at"]).dt.days
    assert ages.min() >= 0 and ages.max() <= 366 and ages.quantile(0.9) > 300

    flagged = frame["_is_flagged"].mean()
    assert abs(flagged - LOW_EFFORT_RATE) < 0.015
    assert session.scalar(select(Response.quality_flags).where(Response.is_flagged.is_(True)).limit(1)) == [
        "speeder", "straight_liner"]

    drivers = [i["code"] for i in metro.latest.definition["items"] if i["role"] == "driver"]
    assert frame[drivers].isna().mean().between(0.04, 0.15).all()   # missing and "don't know"

    # Drivers built to matter more correlate more with overall satisfaction (unflagged respondents).
    clean = frame[~frame["_is_flagged"]]
    correlations = [clean[["overall", code]].dropna().corr().iloc[0, 1] for code in drivers]
    rho, _ = stats.spearmanr(true_weights(len(drivers)), correlations)
    assert rho > 0.8

    # Districts differ in overall satisfaction.
    district = clean["_service_point_id"].map(dict(session.execute(select(ServicePoint.id, ServicePoint.district)).all()))
    groups = [g["overall"].to_numpy() for _, g in clean.groupby(district)]
    assert stats.kruskal(*groups).pvalue < 1e-3

    languages = frame["_language"].value_counts(normalize=True)
    assert set(languages.index) == {"fa", "ar", "en"} and languages["fa"] > 0.75
    assert np.isfinite(frame["wait_minutes"].dropna()).all()


def test_demo_needs_loaded_questionnaires(db, runner):
    result = runner.invoke(args=["demo", "--responses", "5"])
    assert result.exit_code != 0 and "instruments sync" in result.output
