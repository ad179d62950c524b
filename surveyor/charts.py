"""Charts drawn on the server with matplotlib: SVG for pages, PNG for PDF reports.

Data in, a figure out; no Flask. matplotlib shapes and orders Persian and Arabic itself
(plain strings are passed; pre-shaped text would be garbled). Right-to-left charts run their
category axes right to left and write numbers with the language's digits.
"""
from __future__ import annotations

import io
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .formatting import RTL_LANGUAGES, format_number

matplotlib.use("Agg")
INK, MUTED, ACCENT, LINE = "#1b1f24", "#4a5561", "#0b5cad", "#d0d7de"
#: Colours of a group compared with the rest (significantly higher, lower, neither, not tested).
VERSUS_COLOURS = {"higher": "#1d6b35", "lower": "#a4141b", "same": ACCENT, "untested": "#aab4be"}
QUADRANT_COLOURS = {"concentrate here": "#a4141b", "keep up the good work": "#1d6b35",
                    "low priority": "#6e7781", "possible overkill": "#b26b00"}


@cache
def font_family() -> list[str]:
    """Noto Sans Arabic (cut from the packaged font) first, DejaVu Sans for anything else."""
    from .reporting.fonts import REGULAR, static_instance
    source = static_instance(REGULAR)
    if hasattr(source, "read"):  # no writable cache: matplotlib needs a file
        return ["DejaVu Sans"]
    font_manager.fontManager.addfont(str(source))
    return [font_manager.FontProperties(fname=str(source)).get_name(), "DejaVu Sans"]


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_facecolor("white")
    return figure


def _style(axes, lang: str) -> None:
    for spine in ("top", "right", "left"):
        axes.spines[spine].set_visible(False)
    axes.spines["bottom"].set_color(LINE)
    axes.tick_params(colors=MUTED, labelsize=9)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontfamily(font_family())


def _mirror_for_rtl(axes, lang: str) -> None:
    """In Persian and Arabic the horizontal axis runs right to left and the value axis sits right."""
    if lang in RTL_LANGUAGES:
        axes.invert_xaxis()
        axes.yaxis.tick_right()
        axes.yaxis.set_label_position("right")


def _number_formatter(lang: str, decimals: int):
    return FuncFormatter(lambda value, _pos: format_number(value, lang, decimals))


def _labels(labels: list[str], lang: str) -> list[str]:
    """Right-to-left labels start with RLM, so one that begins with a Latin word (Wi-Fi ...)
    still lays out right to left."""
    return ["\u200f" + label for label in labels] if lang in RTL_LANGUAGES else list(labels)


def bar_chart(labels: list[str], values: list[float], lang: str, *, low=None, high=None, decimals: int = 2,
              highlight: set[int] = frozenset(), xlabel: str = "", colours: list[str] | None = None,
              legend: list[tuple[str, str]] = ()) -> Figure:
    """Horizontal bars, largest first from the top, with optional interval whiskers.

    ``colours`` (one per bar) overrides ``highlight``; ``legend`` lists ``(colour, meaning)``
    pairs, drawn under the chart, so that a colour always says what it means."""
    rows = len(labels)
    figure = _figure(7.5, 0.42 * rows + 0.9 + 0.3 * len(legend))
    axes = figure.add_subplot()
    positions = list(range(rows))[::-1]
    if colours is None:
        colours = [ACCENT if i not in highlight else "#a4141b" for i in range(rows)]
    errors = None
    if low is not None and high is not None:
        errors = [[v - lo for v, lo in zip(values, low)], [hi - v for v, hi in zip(values, high)]]
    axes.barh(positions, values, color=colours, height=0.6, xerr=errors, ecolor=MUTED, capsize=3)
    axes.set_yticks(positions, _labels(labels, lang), fontfamily=font_family(), fontsize=9)
    axes.xaxis.set_major_formatter(_number_formatter(lang, decimals))
    if xlabel:
        axes.set_xlabel(xlabel, fontfamily=font_family(), color=MUTED)
    _mirror_for_rtl(axes, lang)
    _style(axes, lang)
    if legend:
        handles = [Patch(facecolor=colour, label=_labels([meaning], lang)[0]) for colour, meaning in legend]
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / rows), ncol=1,
                    frameon=False, prop=font_manager.FontProperties(family=font_family(), size=8),
                    markerfirst=lang not in RTL_LANGUAGES)
    figure.tight_layout()
    return figure


def trend_chart(months: list[str], values: list[float], low: list[float], high: list[float], lang: str,
                *, decimals: int = 2, ylabel: str = "") -> Figure:
    """A monthly series with its confidence band; time runs right to left in Persian and Arabic."""
    figure = _figure(7.5, 3.2)
    axes = figure.add_subplot()
    x = list(range(len(months)))
    axes.fill_between(x, low, high, color=ACCENT, alpha=0.15, linewidth=0)
    axes.plot(x, values, color=ACCENT, marker="o", linewidth=2)
    axes.set_xticks(x, _labels(months, lang), fontfamily=font_family(), fontsize=8, rotation=45,
                    ha="left" if lang in RTL_LANGUAGES else "right")
    axes.yaxis.set_major_formatter(_number_formatter(lang, decimals))
    if ylabel:
        axes.set_ylabel(ylabel, fontfamily=font_family(), color=MUTED)
    _mirror_for_rtl(axes, lang)
    _style(axes, lang)
    figure.tight_layout()
    return figure


def importance_performance_chart(labels: list[str], importance: list[float], performance: list[float],
                                 quadrants: list[str], x_cross: float, y_cross: float, lang: str, *,
                                 xlabel: str, ylabel: str, legend: list[tuple[str, str]] = ()) -> Figure:
    """The importance-performance matrix: each driver a point marked with its label (short: a
    number, which a table beside the chart explains), the cross-hairs dashed. Marks are placed
    around their points so that they do not overlap; ``legend`` lists ``(quadrant, meaning)``
    pairs, whose colours it explains under the chart."""
    figure = _figure(7.5, 5.2 + 0.25 * len(legend))
    axes = figure.add_subplot()
    axes.axvline(x_cross, color=MUTED, linestyle="--", linewidth=1)
    axes.axhline(y_cross, color=MUTED, linestyle="--", linewidth=1)
    for x, y, quadrant in zip(importance, performance, quadrants):
        axes.scatter([x], [y], color=QUADRANT_COLOURS.get(quadrant, ACCENT), s=40, zorder=3)
    axes.margins(0.12)
    axes.set_xlabel(xlabel, fontfamily=font_family(), color=MUTED)
    axes.set_ylabel(ylabel, fontfamily=font_family(), color=MUTED)
    axes.xaxis.set_major_formatter(_number_formatter(lang, 2))
    axes.yaxis.set_major_formatter(_number_formatter(lang, 1))
    _mirror_for_rtl(axes, lang)
    _style(axes, lang)
    if legend:
        handles = [Patch(facecolor=QUADRANT_COLOURS[quadrant], label=_labels([meaning], lang)[0])
                   for quadrant, meaning in legend]
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False,
                    prop=font_manager.FontProperties(family=font_family(), size=8),
                    markerfirst=lang not in RTL_LANGUAGES)
    figure.tight_layout()  # first, so that the marks are placed where the points end up
    placed = [tuple(axes.transData.transform((x, y))) for x, y in zip(importance, performance)]  # the dots
    for label, x, y in zip(labels, importance, performance):
        offset = _free_offset(axes.transData.transform((x, y)), placed, figure.dpi / 72)
        axes.annotate(_labels([label], lang)[0], (x, y), textcoords="offset points", xytext=offset,
                      ha="center", va="center", fontsize=9, fontweight="bold", fontfamily=font_family(), color=INK)
    return figure


# Where a point's mark may go, in points from the point: above right first, then around it.
_OFFSETS = [(8, 8), (-8, 8), (8, -9), (-8, -9), (13, 0), (-13, 0), (0, 12), (0, -13),
            (16, 14), (-16, 14), (16, -15), (-16, -15), (24, 0), (-24, 0)]
_MARK_GAP = 11  # points between the centres of two marks


def _free_offset(anchor, placed: list[tuple[float, float]], pixels_per_point: float) -> tuple[int, int]:
    """The first offset of :data:`_OFFSETS` whose mark keeps clear of the marks already
    ``placed`` (centres in display pixels, to which the chosen one is added) and of the anchor."""
    gap = _MARK_GAP * pixels_per_point
    choice = _OFFSETS[0]
    for dx, dy in _OFFSETS:
        centre = (anchor[0] + dx * pixels_per_point, anchor[1] + dy * pixels_per_point)
        if all((centre[0] - x) ** 2 + (centre[1] - y) ** 2 >= gap * gap for x, y in placed):
            choice = (dx, dy)
            break
    placed.append((anchor[0] + choice[0] * pixels_per_point, anchor[1] + choice[1] * pixels_per_point))
    return choice


def to_svg(figure: Figure) -> str:
    """The figure as an SVG document (text kept as paths, so no font is needed to view it)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def to_png(figure: Figure, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
