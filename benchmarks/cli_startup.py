"""How long the ``surveyor`` command takes to start.

    python -m benchmarks.cli_startup            # 5 runs of each, the median
    python -m benchmarks.cli_startup --runs 9

Each row is a fresh interpreter, timed from start to exit (wall clock) and by the CPU time it
used (user + system, from ``getrusage`` of the child: on a shared machine the wall clock also
counts the other sessions' work). The baseline, in the same run, is an interpreter that only
imports Flask's command line, the least any Flask command can cost; "the app built" is what
every command paid before the commands were made lazy (Flask's own group builds the app to list
them), and what a command that reads the database still pays.

Then ``surveyor analyze drivers`` on a generated CSV of 100,000 responses with 18 drivers,
against the analysis itself (``stats.key_drivers`` on the same file, in this process): the
difference is the command's start (Python, pandas, SciPy and statsmodels) and reading the file.
The comparison with pingouin on the same analysis is ``python -m benchmarks.drivers``.
"""
from __future__ import annotations

import argparse
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


def _analysis(env: dict) -> None:
    from surveyor import stats

    with tempfile.TemporaryDirectory() as folder:
        path, names = _drivers_file(Path(folder))
        data = pd.read_csv(path)
        stats.key_drivers(data, outcome="overall", drivers=names)  # imports done, as in the command
        start = time.process_time()
        stats.key_drivers(pd.read_csv(path), outcome="overall", drivers=names)
        inside = time.process_time() - start
        wall, cpu = _run([SURVEYOR, "analyze", "drivers", str(path), "--outcome", "overall",
                          "--drivers", ",".join(names)], env)
    print(f"\n`surveyor analyze drivers`, 100,000 rows, 18 drivers: {wall:.2f} s wall, {cpu:.2f} s cpu; "
          f"the reading and analysis alone {inside:.2f} s cpu ({cpu / inside:.1f} times)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
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
    _analysis(env)


if __name__ == "__main__":
    main()
