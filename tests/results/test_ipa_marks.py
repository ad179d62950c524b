"""Defect 8 of issue 11, the importance-performance matrix: its points are marked with numbers
that do not overlap, a table names each numbered aspect in full (no «…»), and a legend says what
each colour means, on the page and in the report."""
from __future__ import annotations

import itertools

import pytest

from surveyor import charts


def _boxes(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(figure).get_renderer()
    axes = figure.axes[0]
    return [text.get_window_extent(renderer) for text in axes.texts]


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_marks_of_crowded_points_do_not_overlap(lang):
    # nine drivers as the demo's metro questionnaire gives them: close in importance and score
    importance = [0.050, 0.052, 0.049, 0.051, 0.120, 0.118, 0.030, 0.031, 0.029]
    performance = [3.40, 3.42, 3.38, 3.41, 3.90, 3.88, 3.10, 3.12, 3.11]
    quadrants = ["low priority"] * 4 + ["keep up the good work"] * 2 + ["low priority"] * 3
    figure = charts.importance_performance_chart(
        [str(i + 1) for i in range(9)], importance, performance, quadrants, 0.06, 3.4, lang,
        xlabel="x", ylabel="y", legend=[("low priority", "Low priority"), ("keep up the good work", "Keep")])
    boxes = _boxes(figure)
    assert len(boxes) == 9
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    legend = figure.axes[0].get_legend()
    assert [t.get_text().lstrip("\u200f") for t in legend.get_texts()] == ["Low priority", "Keep"]


def test_report_names_every_aspect_in_full_and_explains_the_colours(loaded, runner):
    import subprocess
    import tempfile
    from pathlib import Path

    from sqlalchemy import select

    from surveyor.models import Instrument
    from surveyor.reporting.report import build_report
    from surveyor.results.data import Filters
    from tests.reporting.pdf_reading import letters
    assert runner.invoke(args=["demo", "--responses", "600", "--instrument", "TRN-Q01", "--seed", "9"]).exit_code == 0
    metro = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    drivers = [i for i in metro.latest.definition["items"] if i["role"] == "driver"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(build_report(loaded.session, metro, Filters(), "en"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    matrix = text[text.index("The matrix places each aspect"):text.rindex("Districts compared")]
    assert "…" not in matrix
    for driver in drivers:
        assert letters(driver["labels"]["en"]) in letters(matrix)
    assert letters("Aspects (with their point's number in the chart)") in letters(matrix)
