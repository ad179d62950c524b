"""Problems found in an instrument file, each naming the file, the place in it and the fix."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where (``path`` such as ``items[3] (headway).labels.ar``),
    what is wrong and how to fix it."""

    file: str
    path: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        text = f"{where}: {self.message}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


class InstrumentError(ValueError):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
