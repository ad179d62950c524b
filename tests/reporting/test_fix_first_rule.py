"""Issue 11, defect 2: "what to fix first" follows the importance-performance matrix.

Before, the list took the "concentrate here" drivers and then made up three with the others by
importance times room left on the scale, so in the TRN-Q01 report the best-rated aspect came
first while the matrix put it under "keep up the good work". Now one rule
(:func:`surveyor.stats.fix_first`) serves the page, the report's summary, its driver chart and
its matrix: the "concentrate here" drivers, most important first, at most three, none when the
quadrant is empty. Checked on demo data whose weak and important drivers are set by design.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from report_reading import fixed_text, in_order, key
from surveyor import stats
from surveyor.demo.cli import insert_responses
from surveyor.demo.model import DemoModel, generate, true_weights
from surveyor.demo.points import ensure_demo_points, points_for
from surveyor.models import DISTRICTS, Instrument

# TRN-Q01's eleven drivers, in item order: the demo model makes the first the most important
# (true weights fall by 0.72 each). By design, the 1st and 3rd (headway, crowding) are important
# and weak; the 2nd and 4th (punctuality, ventilation) are important and well rated; the last
# (platform safety) is the worst rated but hardly matters.
MEANS = [2.9, 4.1, 3.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 2.9]
WEAK_AND_IMPORTANT = ["headway", "crowding"]


def test_the_rule_never_lists_a_driver_rated_above_the_average():
    matrix = pd.DataFrame({
        "driver": ["headway", "crowding", "signage", "security", "courtesy"],
        "importance": [0.30, 0.25, 0.20, 0.02, 0.23],
        "performance": [3.0, 3.2, 3.9, 2.9, 4.3],
        "quadrant": ["concentrate here", "concentrate here", "low priority", "low priority",
                     "keep up the good work"],
    })
    # the old rule added signage (importance x room = 0.22) to make up three
    assert stats.fix_first(matrix) == ["headway", "crowding"]
    kept = matrix.assign(quadrant=["keep up the good work"] * 2 + ["low priority"] * 2 + ["keep up the good work"])
    assert stats.fix_first(kept) == []
    many = matrix.assign(quadrant="concentrate here")
    assert stats.fix_first(many) == ["headway", "crowding", "courtesy"]


@pytest.fixture
def designed(loaded):
    """1500 TRN-Q01 responses from the demo model with the driver means above."""
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    definition = metro.latest.definition
    rng = np.random.default_rng(2026)
    points = ensure_demo_points(session, rng)
    codes = tuple(item["code"] for item in definition["items"] if item["role"] == "driver")
    model = DemoModel(codes, np.array(MEANS), true_weights(len(codes)),
                      {d: float(e) for d, e in zip(DISTRICTS, rng.normal(0, 0.35, len(DISTRICTS)))})
    assert model.weak_and_important() == WEAK_AND_IMPORTANT
    rows = generate(definition, model, points_for("TRN-Q01", points), 1500, rng, dt.date.today())
    insert_responses(session, metro, rows)
    session.commit()
    return metro


def _labels(metro, lang):
    return {item["code"]: item["labels"][lang] for item in metro.latest.definition["items"]}


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_page_and_report_name_the_weak_important_drivers_by_design(designed, researcher, pdf_tools, lang):
    labels = _labels(designed, lang)
    page = researcher.get(f"/results/TRN-Q01?lang={lang}").get_data(as_text=True)
    rule = page[page.index('class="fix-first-rule"'):]
    rule = rule[:rule.index("</p>")]
    assert in_order(rule, *(labels[code] for code in WEAK_AND_IMPORTANT)), rule
    for code in ("punctuality", "ventilation", "platform_safety"):
        assert labels[code] not in rule
    rows = page[page.index("<tbody>", page.index("What drives") if lang == "en" else 0):]
    assert rows.count('class="fix-first"') >= 2

    pdf = researcher.get(f"/results/TRN-Q01/report.pdf?report_lang={lang}").data
    text = pdf_tools.text(pdf)
    summary = pdf_tools.text(pdf, 2)
    heading = fixed_text("questionnaire", "summary", "fix_heading", lang)
    assert in_order(summary, heading, *(labels[code] for code in WEAK_AND_IMPORTANT))
    listed = key(summary)
    listed = listed[listed.index(key(heading)):listed.find(key(fixed_text("questionnaire", "summary", "findings_heading", lang)))]
    for code in ("punctuality", "ventilation", "platform_safety"):
        assert key(labels[code]) not in listed
    # the matrix's "concentrate here" row names the same drivers, and the method section the rule
    assert in_order(text, fixed_text("questionnaire", "ipa", "area_concentrate", lang),
                    *(labels[code] for code in WEAK_AND_IMPORTANT))
    assert in_order(text, fixed_text("questionnaire", "methodology", "method_fix_first", lang, count="3")[:40])


def test_fix_first_used_before_the_matrix_leaves_the_matrix_callable():
    # surveyor.stats loads lazily; loading .importance_performance for fix_first once bound the
    # module itself to stats.importance_performance, and the results page failed with
    # "'module' object is not callable"
    import subprocess
    import sys
    code = ("from surveyor import stats; stats.fix_first; stats.FIX_FIRST_COUNT; "
            "assert callable(stats.importance_performance), stats.importance_performance")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
