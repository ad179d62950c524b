"""Reference datasets for the statistics tests (see data/README.md for their sources)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mtcars() -> pd.DataFrame:
    """R's ``datasets::mtcars`` (Henderson & Velleman 1981), 32 cars."""
    return pd.read_csv(DATA / "mtcars.csv")


@pytest.fixture(scope="session")
def attitude() -> pd.DataFrame:
    """R's ``datasets::attitude`` (Chatterjee & Price 1977), 30 departments."""
    return pd.read_csv(DATA / "attitude.csv")


@pytest.fixture(scope="session")
def housing() -> pd.DataFrame:
    """``MASS::housing`` (Madsen 1976), 72 cells with frequencies."""
    return pd.read_csv(DATA / "housing.csv")


@pytest.fixture(scope="session")
def design_survey() -> pd.DataFrame:
    """Clustered, stratified, weighted answers (``data/design_survey.py``), 1,199 rows."""
    return pd.read_csv(DATA / "design_survey.csv")
