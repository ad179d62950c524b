"""How long the ``surveyor`` command takes to start.

    python -m benchmarks.cli_startup            # 5 runs of each, the median
    python -m benchmarks.cli_startup --runs 9
    python -m benchmarks.cli_startup --no-pingouin

Each row is a fresh interpreter, timed from start to exit (wall clock) and by the CPU time it
used (user + system, from ``getrusage`` of the child: on a shared machine the wall clock also
counts the other sessions' work). The baseline, in the same run, is an interpreter that only
imports Flask's command line, the least any Flask command can cost; "the app built" is what
every command paid before the commands were made lazy (Flask's own group builds the app to list
them), and what a command that reads the database still pays.

Then ``surveyor analyze drivers`` on a generated CSV of 100,000 responses with 18 drivers,
against the analysis itself (``pd.read_csv`` and ``stats.key_drivers`` on the same file, in this
process: the baseline), whose difference is the command's start (Python, pandas, the statistics
modules), and against pingouin doing the same from the command line: a fresh interpreter
importing pandas and pingouin, reading the file and calling ``linear_regression(...,
relimp=True)`` (the same Shapley decomposition; their values are compared). pingouin is in the
``bench`` extra (``pip install -e '.[bench]'``); without it that row is skipped. The comparison
of the analyses alone, at several numbers of drivers, is ``python -m benchmarks.drivers``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_SECONDS = 1.0  # `surveyor --help`, wall clock
SURVEYOR = str(Path(sys.executable).parent / "surveyor")
CASES = {
    "baseline: import flask.cli": [sys.executable, "-c", "import flask.cli"],
    "surveyor --help": [SURVEYOR, "--help"],
    "surveyor new-secret-key": [SURVEYOR, "new-secret-key"],
    "surveyor instruments validate": [SURVEYOR, "instruments", "validate", "questionnaires"],
    "surveyor users --help (the app built)": [SURVEYOR, "users", "--help"],
    "Flask's group, listing by building the app": [
        sys.executable, "-c",
        "from flask.cli import FlaskGroup\nfrom surveyor import create_app\n"
        "FlaskGroup(create_app=create_app)(['--help'])"],
}


def _run(command: list[str], env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _drivers_file(folder: Path, n: int = 100_000, drivers: int = 18) -> tuple[Path, list[str]]:
    rng = np.random.default_rng(7)
    common = rng.normal(size=(n, 1))
    x = rng.normal(size=(n, drivers)) + common
    y = x @ rng.uniform(0.1, 1.0, drivers) + rng.normal(size=n) * 2
    names = [f"driver_{i + 1}" for i in range(drivers)]
    frame = pd.DataFrame(np.clip(np.rint(3 + x / 1.5), 1, 5), columns=names)
    frame["overall"] = np.clip(np.rint(3 + y / 6), 1, 5)
    path = folder / "drivers.csv"
    frame.to_csv(path, index=False)
    return path, names


PINGOUIN = """
import json, sys
import pandas as pd, pingouin
data = pd.read_csv(sys.argv[1])
drivers = sys.argv[2].split(",")
table = pingouin.linear_regression(data[drivers], data["overall"], relimp=True)
print(json.dumps(table.set_index("names").loc[drivers, "relimp"].tolist()))
"""


def _shapley(output: str, drivers: list[str]) -> np.ndarray:
    by_name = {row["driver"]: row["shapley"] for row in json.loads(output)["drivers"]}
    return np.array([by_name[name] for name in drivers])


def _analysis(env: dict, runs: int, with_pingouin: bool) -> None:
    """``surveyor analyze drivers`` on a generated file, against the analysis alone in this
    process (the baseline) and against pingouin's command-line equivalent (a fresh interpreter
    that imports pandas and pingouin, reads the file and asks for the same decomposition)."""
    from surveyor import stats

    with tempfile.TemporaryDirectory() as folder:
        path, names = _drivers_file(Path(folder))
        data = pd.read_csv(path)
        stats.key_drivers(data, outcome="overall", drivers=names)  # imports done, as in the command
        alone = []
        for _ in range(runs):
            start = time.process_time()
            stats.key_drivers(pd.read_csv(path), outcome="overall", drivers=names)
            alone.append(time.process_time() - start)
        inside = statistics.median(alone)
        command = [SURVEYOR, "analyze", "drivers", str(path), "--outcome", "overall",
                   "--drivers", ",".join(names), "--json"]
        timed = [_run(command, env) for _ in range(runs)]
        wall, cpu = statistics.median(t[0] for t in timed), statistics.median(t[1] for t in timed)
        ours = _shapley(subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout,
                        names)
        print(f"\n`surveyor analyze drivers`, 100,000 rows, 18 drivers (median of {runs}; cpu = user + system)")
        print(f"{'':45s} {'wall s':>7s} {'cpu s':>7s} {'cpu / analysis alone':>21s}")
        print(f"{'baseline: read_csv + key_drivers, this process':45s} {'':>7s} {inside:7.2f} {1:21.1f}")
        print(f"{'surveyor analyze drivers':45s} {wall:7.2f} {cpu:7.2f} {cpu / inside:21.1f}")
        if not with_pingouin:
            return
        try:
            import pingouin  # noqa: F401 - only whether it is installed
        except ImportError:
            print("pingouin is not installed: skipped (pip install -e '.[bench]')")
            return
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        theirs = subprocess.run([sys.executable, "-c", PINGOUIN, str(path), ",".join(names)], check=True,
                                capture_output=True, text=True, env=env).stdout
        p_wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        p_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"{'pingouin: read_csv + linear_regression(relimp)':45s} {p_wall:7.2f} {p_cpu:7.2f} "
              f"{p_cpu / inside:21.1f}   (one run)")
        diff = float(np.max(np.abs(np.array(json.loads(theirs)) - ours)))
        print(f"pingouin / surveyor: {p_cpu / cpu:.0f} times the cpu, {p_wall / wall:.0f} times the wall clock; "
              f"largest difference between their Shapley values {diff:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pingouin", action="store_true",
                        help="leave out pingouin (about 20 s of CPU at 18 drivers)")
    args = parser.parse_args()
    env = {**os.environ, "SURVEYOR_ENV": "demo"}
    results = {}
    for name, command in CASES.items():
        runs = [_run(command, env) for _ in range(args.runs)]
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    base_wall, base_cpu = results["baseline: import flask.cli"]
    print(f"{'command':45s} {'wall s':>7s} {'cpu s':>7s} {'cpu / baseline':>15s}")
    for name, (wall, cpu) in results.items():
        print(f"{name:45s} {wall:7.2f} {cpu:7.2f} {cpu / base_cpu:15.1f}")
    wall = results["surveyor --help"][0]
    print(f"\n`surveyor --help`: {wall:.2f} s wall, target under {TARGET_SECONDS:.0f} s: "
          f"{'met' if wall < TARGET_SECONDS else 'NOT met'}")
    _analysis(env, args.runs, not args.no_pingouin)


if __name__ == "__main__":
    main()
