"""Drivers benchmark: Surveyor's exact Shapley (LMG) decomposition of R² against the Python
peers that compute the same decomposition, on the same generated survey data, in one run.

    python -m benchmarks.drivers              # 100,000 responses; about 2 minutes
    python -m benchmarks.drivers --full       # adds pingouin at 20 and dominance-analysis at
                                              # 15 drivers (over an hour on 2 cores)
    python -m benchmarks.drivers --full --peers pingouin   # pingouin at 20, no dom.-an. at 15
    python -m benchmarks.drivers --scaling    # engine time and memory from 16 to 26 drivers

Where OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are set (they slow a current numpy), unset both
for the run: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m benchmarks.drivers``.

Peers (optional; skipped with a message when missing or left out of ``--peers``):
``pingouin.linear_regression(..., relimp=True)`` and ``dominance-analysis``
(``Dominance(...).dominance_stats()``, column "Total Dominance"). Every peer result is
compared with Surveyor's to 1e-10. By default pingouin runs at 12 and 15 drivers and
dominance-analysis at 12; a target that needs a run left out (pingouin at 20 without
``--full``) is printed as "not run", never silently dropped.

Exact Shapley up to 24 drivers, relative weights beyond: ``key_drivers`` computes exact
Shapley values for at most ``MAX_EXACT_DRIVERS`` = 24 drivers
(``surveyor/stats/relative_importance.py``; ``exact_limit=`` changes it per call) and
ranks by Johnson's relative weights beyond (``method`` "relative_weights", ``shapley``
empty). The cost is the all-subsets R² from the correlation matrix, the same for any
number of responses, and doubles in time and memory with every driver
(``python -m benchmarks.drivers --scaling``, 2-core machine; peak memory of numpy arrays):

    drivers   subsets      exact Shapley   peak memory
    20         1,048,576    0.06 s           31 MB
    22         4,194,304    0.23 s           69 MB
    24        16,777,216    0.9 s           273 MB    <- MAX_EXACT_DRIVERS
    25        33,554,432    1.8 s           546 MB
    26        67,108,864    3.6 s           1.1 GB

Relative weights take well under a millisecond at any of these sizes. 24 keeps an exact
analysis within about a second and 300 MB, fit for a web request. A rerun with the other
core busy gave the same memory and about 1.5 times the time (1.4 s at 24 drivers, 6.0 s at
26).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import tracemalloc
import types

import numpy as np
import pandas as pd

from surveyor.stats import bootstrap_importance, key_drivers, shapley_importance
from surveyor.stats.relative_importance import relative_weights, shapley_from_subsets, subset_r2

TOLERANCE = 1e-10
TARGET_SECONDS_20 = 3.0
TARGET_RATIO = 20.0
TARGET_BOOTSTRAP_SECONDS = 30.0


def survey_data(n: int, p: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """``p`` correlated 1-5 driver ratings and a 0-10 overall satisfaction score."""
    rng = np.random.default_rng(seed)
    loading = rng.uniform(0.3, 0.8, p)
    latent = rng.normal(size=(n, 1)) * loading + rng.normal(size=(n, p)) * np.sqrt(1 - loading**2)
    ratings = np.digitize(latent, [-1.5, -0.5, 0.5, 1.5]) + 1
    effect = rng.uniform(0.0, 1.0, p)
    overall = np.clip(
        np.round(5 + 1.5 * latent @ effect / np.sqrt(effect @ effect) + rng.normal(size=n)), 0, 10
    )
    drivers = [f"d{j:02d}" for j in range(p)]
    frame = pd.DataFrame(ratings.astype(float), columns=drivers)
    frame["overall"] = overall
    return frame, drivers


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def surveyor_shapley(frame: pd.DataFrame, drivers: list[str]) -> np.ndarray:
    """The exact decomposition from the DataFrame: checks, listwise deletion, correlations."""
    return shapley_importance(frame, outcome="overall", drivers=drivers)["shapley"].to_numpy()


def surveyor_table(frame: pd.DataFrame, drivers: list[str]) -> np.ndarray:
    """The whole driver table: also relative weights, HC3 betas (statsmodels) and VIFs."""
    return key_drivers(frame, outcome="overall", drivers=drivers).table["shapley"].to_numpy()


def _best_of(runs: int, function, *args):
    return min((_timed(function, *args) for _ in range(runs)), key=lambda timed: timed[0])


def _pingouin():
    try:
        import pingouin
    except ImportError:
        print("pingouin is not installed: skipped (pip install pingouin)")
        return None

    def run(frame: pd.DataFrame, drivers: list[str]) -> np.ndarray:
        table = pingouin.linear_regression(frame[drivers], frame["overall"], relimp=True)
        return table.set_index("names").loc[drivers, "relimp"].to_numpy(dtype=float)

    return run


def _dominance_analysis():
    # dominance-analysis 1.1.9 imports bokeh 2.4.3 for plots, which fails on numpy 2 and
    # calls output_notebook() at import; the computation does not use bokeh, so stand-ins
    # for the plotting modules let it import. Its progress output is silenced.
    noop = lambda *args, **kwargs: None  # noqa: E731
    stand_ins = {
        "bokeh": {},
        "bokeh.plotting": {"figure": noop, "show": noop},
        "bokeh.io": {"output_notebook": noop},
        "bokeh.models": {"ColumnDataSource": noop, "LabelSet": noop},
        "bokeh.models.formatters": {"NumeralTickFormatter": noop},
    }
    saved = {name: sys.modules.get(name) for name in stand_ins}
    for name, attributes in stand_ins.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            from dominance_analysis import Dominance
    except ImportError:
        print("dominance-analysis is not installed: skipped (pip install dominance-analysis)")
        return None
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module

    def run(frame: pd.DataFrame, drivers: list[str]) -> np.ndarray:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            analysis = Dominance(
                data=frame[drivers + ["overall"]].copy(),
                target="overall",
                objective=1,
                top_k=len(drivers),
            )
            analysis.incremental_rsquare()
            stats = analysis.dominance_stats()
        return stats.loc[drivers, "Total Dominance"].to_numpy(dtype=float)

    return run


PEERS = {"pingouin": _pingouin, "dominance-analysis": _dominance_analysis}


def _not_run(name: str, p: int, peers: dict, chosen: list[str]) -> str:
    """Why a peer did not run at ``p`` drivers, for a target that needs it."""
    if name not in chosen:
        return f"not run (add {name} to --peers)"
    if peers[name] is None:
        return f"not run ({name} is not installed)"
    return "not run (use --full)"


def compare(responses: int, full: bool, chosen: list[str]) -> bool:
    peers = {name: load() if name in chosen else None for name, load in PEERS.items()}
    # the driver counts each peer runs by default / with --full (the others take minutes)
    plan = {
        "pingouin": {12, 15} | ({20} if full else set()),
        "dominance-analysis": {12} | ({15} if full else set()),
    }
    agree, targets = True, []
    print(
        f"\nExact Shapley (LMG) decomposition of R², {responses:,} responses, "
        "the same data for every tool"
    )
    print("shapley s = surveyor.stats.shapley_importance() from the DataFrame (best of 5)")
    print(
        "table s   = surveyor.stats.key_drivers(): plus relative weights, "
        "HC3 betas via statsmodels, VIF"
    )
    print("ratios    = peer seconds / shapley seconds (and / table seconds in brackets)")
    header = (
        f"{'drivers':>7} {'shapley s':>9} {'table s':>8} {'pingouin s':>10} {'ratio':>14} "
        f"{'dom-an. s':>10} {'ratio':>16} {'max |diff|':>10}"
    )
    print(header)
    print("-" * len(header))
    warm, warm_drivers = survey_data(1000, 4)
    surveyor_table(warm, warm_drivers)  # first-call costs (imports, caches) are not the method's
    for p in (12, 15, 20):
        frame, drivers = survey_data(responses, p, seed=p)
        shap_seconds, ours = _best_of(5, surveyor_shapley, frame, drivers)
        table_seconds, table_values = _best_of(5, surveyor_table, frame, drivers)
        diffs = [float(np.max(np.abs(table_values - ours)))]
        cells = {}
        for name, run in peers.items():
            if run is None or p not in plan[name]:
                cells[name] = ("-", "-")
                if name == "pingouin" and p in (15, 20):
                    label = f"at least {TARGET_RATIO:.0f}x pingouin at {p} drivers"
                    targets.append((label, _not_run(name, p, peers, chosen)))
                continue
            seconds, theirs = _timed(run, frame, drivers)
            diffs.append(float(np.max(np.abs(theirs - ours))))
            ratio = seconds / shap_seconds
            cells[name] = (f"{seconds:.3f}", f"{ratio:.0f}x ({seconds / table_seconds:.0f}x)")
            if name == "pingouin" and p in (15, 20):
                targets.append(
                    (f"at least {TARGET_RATIO:.0f}x pingouin at {p} drivers", ratio >= TARGET_RATIO)
                )
        diff = max(diffs)
        agree &= diff <= TOLERANCE
        print(
            f"{p:>7} {shap_seconds:9.3f} {table_seconds:8.3f} "
            f"{cells['pingouin'][0]:>10} {cells['pingouin'][1]:>14} "
            f"{cells['dominance-analysis'][0]:>10} {cells['dominance-analysis'][1]:>16} "
            f"{diff:10.1e}"
        )
        if p == 20:
            targets.append(
                (
                    f"exact Shapley at 20 drivers under {TARGET_SECONDS_20:.0f} s",
                    shap_seconds < TARGET_SECONDS_20,
                )
            )
            targets.append(
                (
                    f"whole driver table at 20 drivers under {TARGET_SECONDS_20:.0f} s",
                    table_seconds < TARGET_SECONDS_20,
                )
            )
    targets.append((f"results equal (every tool that ran) to {TOLERANCE:g}", agree))
    for label, met in targets:
        outcome = met if isinstance(met, str) else "met" if met else "MISSED"
        print(f"target: {label}: {outcome}")
    return all(met for _, met in targets if not isinstance(met, str))


def bootstrap(responses: int) -> bool:
    frame, drivers = survey_data(responses, 12, seed=12)
    seconds, table = _timed(
        lambda: bootstrap_importance(frame, outcome="overall", drivers=drivers, n_boot=500, seed=1)
    )
    met = seconds < TARGET_BOOTSTRAP_SECONDS
    print(
        f"\nbootstrap: 500 replicates, 12 drivers, {responses:,} responses: {seconds:.2f} s "
        f"(target under {TARGET_BOOTSTRAP_SECONDS:.0f} s: {'met' if met else 'MISSED'}; "
        f"{int(table['n_boot'].iloc[0])} replicates kept)"
    )
    return met


def scaling(max_drivers: int) -> None:
    print(
        "\nEngine only (all-subsets R² + Shapley weights from a correlation matrix) "
        "vs relative weights"
    )
    print(f"{'drivers':>7} {'subsets':>12} {'shapley s':>10} {'peak MB':>8} {'rel. weights s':>15}")
    rng = np.random.default_rng(0)
    for p in range(16, max_drivers + 1):
        x = rng.normal(size=(4 * p, p + 1)) @ rng.normal(size=(p + 1, p + 1))
        corr = np.corrcoef(x, rowvar=False)
        tracemalloc.start()
        seconds, _ = _timed(lambda: shapley_from_subsets(subset_r2(corr)))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rw_seconds = min(_timed(relative_weights, corr)[0] for _ in range(5))
        print(f"{p:>7} {2**p:>12,} {seconds:>10.3f} {peak:>8.0f} {rw_seconds:>15.5f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.drivers", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="also pingouin at 20 and dominance-analysis at 15 drivers",
    )
    parser.add_argument(
        "--peers",
        default=",".join(PEERS),
        help=f"comma-separated peers to run (default and choices: {','.join(PEERS)})",
    )
    parser.add_argument(
        "--scaling", action="store_true", help="only the engine scaling table (16..--max-drivers)"
    )
    parser.add_argument("--max-drivers", type=int, default=26)
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.peers.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in PEERS]
    if unknown:
        parser.error(f"--peers: unknown {', '.join(unknown)}; choose from {', '.join(PEERS)}")
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(
            f"{i['internal_api']} {i.get('architecture', '')} x{i['num_threads']}"
            for i in threadpool_info()
        )
    except ImportError:
        blas = "unknown (threadpoolctl not installed)"
    print(f"numpy {np.__version__}, pandas {pd.__version__}; BLAS: {blas}")
    if args.scaling:
        scaling(args.max_drivers)
        return 0
    ok = compare(args.responses, args.full, chosen)
    ok &= bootstrap(args.responses)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
