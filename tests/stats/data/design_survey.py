"""Write ``design_survey.csv``: clustered, stratified, weighted answers for the design tests.

Run once from the repository root (``python tests/stats/data/design_survey.py``); the CSV is
committed, and ``design_survey.R`` computes the reference values from it with R's ``survey``
package. The model, as on demo data but with stations that differ:

* 13 districts (strata), each with 3 to 6 service points (clusters, ids unique city-wide) and
  8 to 29 answers per point; a district effect ``N(0, 0.3²)`` and a point effect ``N(0, 0.45²)``;
* ``score`` (1-5): ``round(3.4 + district + point + 0.3 pilgrim - 0.2 female + N(0, 0.9²))``,
  clipped, missing with probability 0.06; ``recommend`` (0-10) follows the same latent value,
  missing with probability 0.04;
* ``visitor`` (resident / pilgrim) and ``gender`` (f / m), the raking margins; ``month`` one of
  three Jalali months, so that every point answers in several months;
* ``w``, unequal survey weights between 0.5 and 2.5, 1.5 times larger for pilgrims;
* ``lonely``: True on the rows kept for the single-cluster case, where districts 4 and 9 keep
  only their first point.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261211
LONELY_DISTRICTS = (4, 9)


def survey(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows, point = [], 100
    for district in range(1, 14):
        district_effect = rng.normal(0, 0.3)
        for first in [True] + [False] * int(rng.integers(2, 6)):
            point += 1
            point_effect = rng.normal(0, 0.45)
            for _ in range(int(rng.integers(8, 30))):
                pilgrim = rng.random() < (0.5 if district in (3, 7) else 0.3)
                female = rng.random() < 0.45
                latent = (3.4 + district_effect + point_effect + 0.3 * pilgrim - 0.2 * female
                          + rng.normal(0, 0.9))
                score = float(np.clip(np.rint(latent), 1, 5))
                recommend = float(np.clip(np.rint(2.3 * (latent - 1) + rng.normal(0, 1.3)), 0, 10))
                rows.append({
                    "district": district,
                    "point": point,
                    "score": np.nan if rng.random() < 0.06 else score,
                    "recommend": np.nan if rng.random() < 0.04 else recommend,
                    "visitor": "pilgrim" if pilgrim else "resident",
                    "gender": "f" if female else "m",
                    "month": f"1403-0{int(rng.integers(1, 4))}",
                    "w": round(float(rng.uniform(0.5, 2.5)) * (1.5 if pilgrim else 1.0), 6),
                    "lonely": first or district not in LONELY_DISTRICTS,
                })
    return pd.DataFrame(rows)


if __name__ == "__main__":
    survey().to_csv(Path(__file__).with_suffix(".csv"), index=False)
