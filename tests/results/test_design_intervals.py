"""Results pages use the clustered design: the service point is the cluster, the district the
stratum (issue 11, "intervals that fit how the answers were collected").

The data are the demo's metro questionnaire answered at four stations per district, whose
stations differ (a station effect added to overall satisfaction), so the design matters."""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from surveyor import stats
from surveyor.demo.cli import insert_responses
from surveyor.demo.model import draw_model, generate
from surveyor.models import DISTRICTS, Instrument, ServicePoint
from surveyor.responses.columns import SERVICE_POINT_ID
from surveyor.results.data import Filters, load_responses
from surveyor.results.questionnaire import questionnaire_results

STATIONS = 4  # per district


@pytest.fixture
def stations(loaded):
    """The metro questionnaire answered 1,500 times at 52 stations that differ."""
    session = loaded.session
    rng = np.random.default_rng(11)
    points = []
    for district in DISTRICTS:
        for k in range(STATIONS):
            point = ServicePoint(code=f"D{district:02d}-ST{k}", district=district, name_fa=f"ایستگاه {k}",
                                 name_en=f"Station {k}", name_ar=f"محطة {k}")
            session.add(point)
            points.append(point)
    session.flush()
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    definition = metro.latest.definition
    model = draw_model(definition, rng, DISTRICTS)
    rows = generate(definition, model, [(p.id, p.district) for p in points], 1500, rng, dt.date.today())
    effect = {p.id: rng.normal(0, 0.8) for p in points}  # stations differ
    for row in rows:
        score = row["answers"]["overall"] + effect[row["point_id"]]
        row["answers"]["overall"] = int(np.clip(np.rint(score), 1, 5))
    insert_responses(session, metro, rows)
    session.commit()
    return metro


def _results(session, metro, filters=Filters()):
    frame, districts, flagged = load_responses(session, metro.id, filters)
    return frame, districts, questionnaire_results(frame, metro.latest.definition, flagged_excluded=flagged,
                                                   districts=districts)


def test_overall_interval_is_the_design_based_one_and_wider(loaded, stations):
    frame, districts, results = _results(loaded.session, stations)
    design = stats.mean_ci(frame, columns="overall", cluster=frame[SERVICE_POINT_ID], strata=districts).iloc[0]
    naive = stats.mean_ci(frame, columns="overall").iloc[0]
    assert results.overall["ci_low"] == pytest.approx(design["ci_low"], abs=1e-12)
    assert results.overall["ci_high"] == pytest.approx(design["ci_high"], abs=1e-12)
    assert design["df"] == 13 * STATIONS - 13
    width, naive_width = design["ci_high"] - design["ci_low"], naive["ci_high"] - naive["ci_low"]
    assert width > 1.5 * naive_width  # stations differ: independent answers would be far too narrow
    assert results.design["wider"] == pytest.approx(width / naive_width)
    assert results.design["deff"] == pytest.approx(design["deff"]) and results.design["deff"] > 2
    assert (results.design["points"], results.design["strata"], results.design["df"]) == (52, 13, 39)
    box = stats.box_shares(frame, columns="overall", scale_min=1, scale_max=5, cluster=frame[SERVICE_POINT_ID],
                           strata=districts).iloc[0]
    assert results.overall["top_ci_low"] == pytest.approx(box["top_ci_low"], abs=1e-12)
    nps = stats.net_promoter_score(frame, column="recommend", cluster=frame[SERVICE_POINT_ID], strata=districts)
    assert (results.nps.ci_low, results.nps.ci_high) == pytest.approx((nps.ci_low, nps.ci_high), abs=1e-12)
    trend = stats.monthly_trend(frame, value="overall", date="_submitted_at", fill_gaps=False,
                                cluster=frame[SERVICE_POINT_ID], strata=districts)
    assert list(results.trend["ci_low"]) == pytest.approx(list(trend["ci_low"]), abs=1e-12, nan_ok=True)


def test_district_test_is_the_design_based_one(loaded, stations):
    frame, districts, results = _results(loaded.session, stations)
    data = frame.assign(district=districts.to_numpy())
    design = {"cluster": frame[SERVICE_POINT_ID], "strata": districts}
    test = stats.group_mean_test(data, value="overall", group="district", **design)
    assert results.district_test.p_value == pytest.approx(test.p_value, abs=1e-12)
    assert results.district_test.df_den == 52 - 13 - 12
    naive = stats.kruskal_wallis(data, value="overall", group="district")
    assert naive.p_value < results.district_test.p_value  # station effects pass for districts' without the design
    means = stats.group_means(data, value="overall", group="district", **design)
    assert list(results.districts["ci_low"]) == pytest.approx(list(means["ci_low"]), abs=1e-12)
    assert set(results.districts["points"]) == {STATIONS}


def test_one_station_per_district_pools_the_districts_and_tests_none(loaded, runner):
    """The plain demo has one metro station per district: districts are pooled into one
    stratum for the overall interval, and districts cannot be compared (district = station)."""
    assert runner.invoke(args=["demo", "--responses", "800", "--instrument", "TRN-Q01", "--seed", "4"]).exit_code == 0
    metro = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame, districts, results = _results(loaded.session, metro)
    pooled = stats.collapse_lonely_strata(frame[SERVICE_POINT_ID], districts)
    assert set(pooled) == {stats.POOLED_STRATUM}
    design = stats.mean_ci(frame, columns="overall", cluster=frame[SERVICE_POINT_ID], strata=pooled).iloc[0]
    assert results.overall["ci_low"] == pytest.approx(design["ci_low"], abs=1e-12)
    assert results.design["pooled"] == 13 and results.design["df"] == 12
    assert results.district_test is None and results.districts["ci_low"].isna().all()
    one = _results(loaded.session, metro, Filters(district=3))[2]  # one station: independent answers
    assert one.design["clustered"] is False and one.overall["ci_low"] < one.overall["mean"]


@pytest.fixture
def researcher(signed_in):
    return signed_in


def test_page_shows_the_design_and_how_much_wider(loaded, stations, researcher):
    frame, districts, results = _results(loaded.session, stations)
    body = researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "service points: 52; strata (districts): 13; degrees of freedom (points − strata): 39" in text
    assert f"{results.design['wider']:.1f} times as wide as if the answers were independent" in text
    low, high = results.overall["ci_low"], results.overall["ci_high"]
    assert f"({low:.2f} – {high:.2f})" in text
    assert "Design-based test that every district has the same mean" in text
    fa = researcher.get("/results/TRN-Q01?lang=fa").get_data(as_text=True)
    assert "محل‌های خدمت: ۵۲؛ طبقه‌ها (مناطق): ۱۳" in fa and "برابر پهن‌تر از حالتی است که پاسخ‌ها مستقل فرض شوند" in fa


def test_report_methods_name_the_design_and_the_wider_interval(loaded, stations, tmp_path):
    import subprocess

    from surveyor.reporting.report import build_report
    from tests.reporting.pdf_reading import letters
    results = _results(loaded.session, stations)[2]
    for lang, expected in (("en", f"{results.design['wider']:.1f} times wider than if the answers were independent"),
                           ("fa", "برابر پهن‌تر از حالتی است که پاسخ‌ها مستقل فرض شوند")):
        path = tmp_path / f"report-{lang}.pdf"
        path.write_bytes(build_report(loaded.session, stations, Filters(), lang))
        text = letters(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
        assert letters(expected) in text
        if lang == "en":
            assert letters("service points: 52; strata: 13; degrees of freedom, points minus strata: 39") in text
            assert letters("design-based Wald test") in text and "Kruskal" not in text
            # the district chart's colours say something, and a legend says what (defect 8): the
            # pages from the districts' heading to the comments' hold that chart and no other
            pages = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(path), "-"], capture_output=True,
                                    text=True).stdout for i in range(1, 30)]
            first = next(i for i, page in enumerate(pages) if "Districts compared" in page and "Wald" in page)
            last = next(i for i, page in enumerate(pages) if "Respondents' comments" in page)
            subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", str(first + 1), "-l", str(last + 1), str(path),
                            str(tmp_path / "districts")], check=True)
            from PIL import Image
            pixels = np.vstack([np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
                                for png in tmp_path.glob("districts*.png")])
            red, blue = (int((pixels == colour).all(axis=1).sum()) for colour in ((164, 20, 27), (11, 92, 173)))
            assert 0 < red < blue  # one district significantly lower, the others not: not all red


def test_api_indicators_cluster_by_service_point(loaded, stations, client, runner):
    """A district answered at four stations: its monthly interval is the clustered one."""
    result = runner.invoke(args=["api-tokens", "create", "dashboard"])
    token = result.output.split("API token dashboard: ")[1].split()[0]
    document = client.get("/api/v1/indicators?instrument=TRN-Q01",
                          headers={"Authorization": f"Bearer {token}"}).get_json()
    assert document["interval_design"]["cluster"] == "service_point"
    frame, districts, _results_ = _results(loaded.session, stations)
    part = frame[districts == 5].reset_index(drop=True)
    trend = stats.monthly_trend(part, value="overall", date="_submitted_at", fill_gaps=False,
                                cluster=part[SERVICE_POINT_ID], strata=pd.Series([5] * len(part)))
    naive = stats.monthly_trend(part, value="overall", date="_submitted_at", fill_gaps=False)
    cells = {cell["period"]: cell["satisfaction"] for cell in document["indicators"] if cell["district"] == 5}
    compared = 0
    for row, plain in zip(trend.itertuples(), naive.itertuples()):
        cell = cells[row.period]
        if row.ci_low == row.ci_low:
            assert cell["ci_low"] == pytest.approx(row.ci_low, abs=1e-4)
            compared += cell["ci_low"] != pytest.approx(plain.ci_low, abs=1e-4)
        else:
            assert cell["ci_low"] is None
    assert compared >= 6  # most months differ from the interval over independent answers


def test_checklist_compliance_interval_is_clustered_by_site(loaded, runner):
    from surveyor.results.checklist import checklist_figures, selected_inspections
    assert runner.invoke(args=["demo", "--responses", "0", "--inspections", "300", "--instrument", "SRV-C01",
                               "--seed", "2"]).exit_code == 0
    session = loaded.session
    checklist = session.scalar(select(Instrument).where(Instrument.code == "SRV-C01"))
    figures = checklist_figures(session, checklist, Filters(), timezone="Asia/Tehran", today=dt.date.today())
    frame = selected_inspections(session, checklist, Filters(), "Asia/Tehran")
    strata = stats.collapse_lonely_strata(frame["site"], frame["district"])
    design = stats.mean_ci(frame, columns="score_percent", cluster="site", strata=strata).iloc[0]
    naive = stats.mean_ci(frame, columns="score_percent").iloc[0]
    assert figures.ci_low == pytest.approx(max(0.0, design["ci_low"]), abs=1e-9)
    assert design["ci_high"] - design["ci_low"] > naive["ci_high"] - naive["ci_low"]  # sites differ
