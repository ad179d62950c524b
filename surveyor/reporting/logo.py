"""The office's logo on a PDF page (posters and report covers): a PNG or SVG file drawn inside
a square, on a white rounded tile so that it reads on the coloured band whatever its colours."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import white


@lru_cache(maxsize=4)
def _svg_drawing(path: str, _mtime: float):
    from svglib.svglib import svg2rlg  # only an SVG logo needs it

    drawing = svg2rlg(path)
    if drawing is None:
        raise ValueError(f"{path}: the SVG logo could not be read")
    return drawing


def draw_logo(canvas, logo: Path | str | None, x: float, y: float, size: float, tile: bool = True) -> None:
    """``logo`` fitted into the ``size``-point square at ``x``, ``y`` (lower left), keeping its
    proportions and centred; nothing when there is no logo."""
    if not logo:
        return
    path = Path(logo)
    canvas.saveState()
    if tile:
        canvas.setFillColor(white)
        canvas.roundRect(x, y, size, size, size * 0.18, stroke=0, fill=1)
        inset = size * 0.1
        x, y, size = x + inset, y + inset, size - 2 * inset
    if path.suffix.lower() == ".svg":
        from reportlab.graphics import renderPDF

        drawing = _svg_drawing(str(path), path.stat().st_mtime)
        scale = min(size / max(drawing.width, 1e-6), size / max(drawing.height, 1e-6))
        canvas.translate(x + (size - drawing.width * scale) / 2, y + (size - drawing.height * scale) / 2)
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
    else:
        canvas.drawImage(str(path), x, y, size, size, preserveAspectRatio=True, anchor="c", mask="auto")
    canvas.restoreState()
