"""The stated model behind ``surveyor demo``'s synthetic responses (pure; no database).

For respondent *i* at a service point in district *d*, interviewed on day *t*:

* a halo ``g_i ~ N(0, 0.6²)`` shared by all of the respondent's ratings;
* driver *j*: ``x_ij = round(m_j + u_d + g_i + e_ij)`` clipped to the 5-point scale, with
  ``m_j`` the driver's mean (spread between 2.9 and 4.1), ``u_d ~ N(0, 0.35²)`` a fixed
  district effect and ``e_ij ~ N(0, 0.9²)``;
* overall satisfaction: ``y_i = round(3.5 + u_d/2 + Σ_j w_j (x_ij - m_j) + v_i)``, clipped to
  its scale, ``v_i ~ N(0, 0.55²)``. The true importances ``w_j`` fall geometrically
  (ratio 0.72) and sum to 0.95, so the first driver moves satisfaction most;
* recommend (0-10): ``round(2.3 (y_i - 1) + N(0, 1.3²))``, clipped;
* waiting time: log-normal around 0.9 × the standard time, longer in districts with ``u_d < 0``;
* missing answers with probability 0.05 per driver, "don't know" with 0.04 where offered;
* 3% low-effort respondents: finished in under 20 seconds, every driver given one value,
  flagged ``speeder`` and ``straight_liner``;
* dates uniform over the 365 days before today; language fa 85%, ar 10% (where offered), en 5%.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

HALO_SD, DISTRICT_SD, DRIVER_NOISE_SD, OUTCOME_NOISE_SD = 0.6, 0.35, 0.9, 0.55
WEIGHT_RATIO, WEIGHT_SUM = 0.72, 0.95
MISSING_RATE, DONT_KNOW_RATE, LOW_EFFORT_RATE = 0.05, 0.04, 0.03
COMMENTS = {
    "fa": ["لطفاً پاکیزگی را بیشتر کنید.", "کارکنان بسیار مؤدب بودند.", "زمان انتظار خیلی طولانی بود.",
           "تابلوهای راهنما کافی نیست.", "از خدمات راضی هستم، ممنون."],
    "ar": ["يرجى الاهتمام بالنظافة أكثر.", "كان الموظفون مهذبين جدًا.", "كان وقت الانتظار طويلًا."],
    "en": ["Please keep it cleaner.", "Staff were very polite.", "The wait was too long."],
}


@dataclass(frozen=True)
class DemoModel:
    """The fixed parameters drawn for one questionnaire: driver means, true weights, district effects."""

    driver_codes: tuple[str, ...]
    driver_means: np.ndarray
    weights: np.ndarray
    district_effects: dict[int, float]

    def weak_and_important(self) -> list[str]:
        """The drivers made important and weak: true weight above the average driver's and mean
        below the average driver's, most important first. "What to fix first" should find them
        (the estimated importance can move a driver near the average weight across the line)."""
        order = np.argsort(-self.weights, kind="stable")
        return [self.driver_codes[j] for j in order
                if self.weights[j] > self.weights.mean() and self.driver_means[j] < self.driver_means.mean()]


def true_weights(n_drivers: int) -> np.ndarray:
    raw = WEIGHT_RATIO ** np.arange(n_drivers)
    return WEIGHT_SUM * raw / raw.sum()


def draw_model(definition: dict, rng: np.random.Generator, districts) -> DemoModel:
    drivers = tuple(item["code"] for item in definition["items"] if item["role"] == "driver")
    means = rng.permutation(np.linspace(2.9, 4.1, len(drivers)))
    effects = {d: float(e) for d, e in zip(districts, rng.normal(0, DISTRICT_SD, len(districts)))}
    return DemoModel(drivers, means, true_weights(len(drivers)), effects)


def _scale_bounds(item: dict) -> tuple[int, int]:
    values = [option["value"] for option in item["options"]]
    return min(values), max(values)


def generate(definition: dict, model: DemoModel, points: list[tuple[int, int]], n: int,
             rng: np.random.Generator, today: dt.date) -> list[dict]:
    """``n`` responses as dicts: ``point_id, submitted_at, duration, language, flags, answers``.

    ``points`` are ``(service_point_id, district)`` pairs. Answers map item codes to values,
    ``None`` for missing and ``"dont_know"`` for don't know.
    """
    items = {item["code"]: item for item in definition["items"]}
    outcome = next(item for item in definition["items"] if item["role"] == "outcome")
    low, high = _scale_bounds(outcome)
    languages = ["fa", "en"] + (["ar"] if "ar" in definition["languages"] else [])
    language_p = np.array([0.85, 0.05] + ([0.10] if len(languages) == 3 else []))
    language_p /= language_p.sum()
    standard = definition.get("service_standard", {}).get("minutes")

    chosen = rng.integers(0, len(points), n)
    district = np.array([points[k][1] for k in chosen])
    u = np.array([model.district_effects[d] for d in district])
    halo = rng.normal(0, HALO_SD, n)
    k = len(model.driver_codes)
    latent = model.driver_means + u[:, None] + halo[:, None] + rng.normal(0, DRIVER_NOISE_SD, (n, k))
    x = np.clip(np.rint(latent), 1, 5)
    y_latent = 3.5 + u / 2 + (x - model.driver_means) @ model.weights + rng.normal(0, OUTCOME_NOISE_SD, n)
    y = np.clip(np.rint(low + (y_latent - 1) * (high - low) / 4), low, high)
    recommend = np.clip(np.rint(2.3 * (y_latent - 1) + rng.normal(0, 1.3, n)), 0, 10)
    low_effort = rng.random(n) < LOW_EFFORT_RATE
    x[low_effort] = rng.integers(1, 6, low_effort.sum())[:, None]
    duration = np.where(low_effort, rng.integers(6, 20, n), np.clip(rng.normal(75, 22, n), 25, 600)).astype(int)
    days_ago = rng.integers(1, 366, n)  # yesterday back to a year ago: never in the future
    seconds = rng.integers(7 * 3600, 20 * 3600, n)  # UTC daytime in Iran
    lang = rng.choice(languages, n, p=language_p)

    rows = []
    for i in range(n):
        answers: dict[str, object] = {outcome["code"]: int(y[i])}
        for j, code in enumerate(model.driver_codes):
            roll = rng.random()
            if roll < MISSING_RATE:
                answers[code] = None
            elif items[code].get("dont_know") and roll < MISSING_RATE + DONT_KNOW_RATE:
                answers[code] = "dont_know"
            else:
                answers[code] = int(x[i, j])
        for code, item in items.items():
            role = item["role"]
            if role == "recommend":
                answers[code] = int(recommend[i])
            elif role == "wait_time" and standard:
                wait = rng.lognormal(np.log(0.9 * standard) - 0.4 * u[i], 0.5)
                answers[code] = int(min(max(round(wait), item.get("min", 0)), item.get("max", 600)))
            elif role == "respondent" and item["type"] == "choice" and rng.random() < 0.9:
                options = [option["value"] for option in item["options"]]
                answers[code] = options[int(rng.integers(0, len(options)))]
            elif role == "comment" and rng.random() < 0.1:
                bank = COMMENTS[lang[i]]
                answers[code] = bank[int(rng.integers(0, len(bank)))]
        submitted = dt.datetime.combine(today - dt.timedelta(days=int(days_ago[i])), dt.time(),
                                        tzinfo=dt.timezone.utc) + dt.timedelta(seconds=int(seconds[i]))
        rows.append({"point_id": points[chosen[i]][0], "submitted_at": submitted, "duration": int(duration[i]),
                     "language": str(lang[i]),
                     "flags": ["speeder", "straight_liner"] if low_effort[i] else [], "answers": answers})
    return rows
