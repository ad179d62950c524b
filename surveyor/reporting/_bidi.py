"""Visual order of one line of text: bidi levels from python-bidi, reordering and mirroring here.

python-bidi 0.6 resolves embedding levels with the Rust ``unicode-bidi`` crate (UAX #9 with
isolates and bracket pairs), but its ``get_display`` skips rule L4, mirroring: «(آزمایشی)»
would print with both brackets facing the wrong way. So the resolved levels are read from it
(its ``debug=True`` answer, one level per UTF-8 byte) and rules L1 (trailing whitespace),
L2 (reversal) and L4 (mirroring) are applied here. A test checks that the order built here
equals ``get_display``'s on random mixed text, so a change in python-bidi shows up at once.
"""
from __future__ import annotations

import re
import unicodedata

from bidi import get_display
from bidi.mirror import MIRRORED

_LEVEL = re.compile(r"Level\(\s*(\d+)")
# Reset to the paragraph level at the end of a line (rule L1).
_TRAILING_CLASSES = frozenset({"WS", "FSI", "LRI", "RLI", "PDI", "BN"})


def _levels(text: str, base: str) -> list[int]:
    """Resolved embedding level of each character of ``text`` (one paragraph)."""
    debug = get_display(text, base_dir=base, debug=True)
    start = debug.rfind("levels: [")
    end = debug.find("]", start)
    byte_levels = [int(n) for n in _LEVEL.findall(debug[start:end])] if start >= 0 else []
    if len(byte_levels) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi answered debug=True in a form this module does not "
                           "read; it was written for python-bidi 0.6")
    levels, offset = [], 0
    for ch in text:
        levels.append(byte_levels[offset])
        offset += len(ch.encode("utf-8"))
    return levels


def visual_order(text: str, base: str, mirror: bool = True) -> str:
    """``text`` (one line, logical order) in left-to-right display order.

    ``base`` is the paragraph direction, ``"R"`` or ``"L"``. Characters at right-to-left
    levels are replaced by their mirror images (brackets, guillemets, ``<``) when ``mirror``.
    """
    if base not in ("R", "L"):
        raise ValueError(f"base direction must be 'R' or 'L', got {base!r}")
    if not text:
        return ""
    if "\n" in text or "\r" in text or "\u2029" in text:
        raise ValueError("visual_order() takes one line; split paragraphs first")
    levels = _levels(text, base)
    base_level = 1 if base == "R" else 0
    at_line_end = True
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind == "S":
            levels[i] = base_level
            at_line_end = True
        elif kind in _TRAILING_CLASSES and at_line_end:
            levels[i] = base_level
        else:
            at_line_end = False
    cells = list(zip(levels, text))
    odd = [level for level in levels if level % 2]
    if odd:
        for level in range(max(levels), min(odd) - 1, -1):
            i = 0
            while i < len(cells):
                if cells[i][0] < level:
                    i += 1
                    continue
                j = i
                while j < len(cells) and cells[j][0] >= level:
                    j += 1
                cells[i:j] = cells[i:j][::-1]
                i = j
    if mirror:
        return "".join(MIRRORED.get(ch, ch) if level % 2 else ch for level, ch in cells)
    return "".join(ch for _, ch in cells)
