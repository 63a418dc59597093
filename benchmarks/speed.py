"""Benchmark: where users wait — one design evaluation, a robustness study, ``coordgap compare``
and ``coordgap figures`` — for one or several source trees, interleaved.

Every measurement runs in a fresh interpreter with ``PATH/src`` first on ``sys.path`` (or the
installed coordgap). Rounds alternate the trees (tree A, tree B, tree A, ...), so machine load
lands on every tree alike; each in-process case gets one untimed warm-up call and the same
number of timed repeats in every tree. Reported: min and median of wall time and of CPU time
(``time.process_time``); commands report wall time of the whole process, start-up included.

Run: ``python benchmarks/speed.py [--tree NAME=PATH ...] [--rounds 3] [--repeat 10]
[--draws 100] [--workers 1] [--figures]``. With ``--workers`` above 1 the robustness study
runs on a process pool started before the timed call (its workers start during the warm-up;
anything they load on first use, such as compiled code, is inside the timed call), and only
its wall time is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

# Runs inside the measured interpreter: the in-process cases, printed as JSON.
_INNER = r"""
import json, statistics, sys, time, warnings
import coordgap as cg
from coordgap.analysis.compare import evaluate_design
repeat, draws, workers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
spec = cg.load_model()
model = spec.policy_model()
out = {}

def timed(name, run, repeat):
    run()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    out[name] = {"wall": wall, "cpu": cpu}

for design in spec.designs:
    timed(f"evaluate {design.name}", lambda d=design: evaluate_design(model, d), repeat)
timed("compare, 7 designs (library)", lambda: cg.compare(model, spec.designs), repeat)
if draws:
    from concurrent.futures import ProcessPoolExecutor
    from coordgap.spec.figures import robustness_inputs
    kw = robustness_inputs(spec.figures["robustness"])
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    label = f", {workers} workers" if pool else ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timed(
            f"robustness, {draws} draws x 7 designs{label}",
            lambda: cg.monte_carlo(model, spec.designs, n=draws, rng=1, executor=pool, **kw),
            1,
        )
    if pool is not None:  # CPU time of the workers is not the parent's: wall time only
        out[f"robustness, {draws} draws x 7 designs{label}"]["cpu"] = []
        pool.shutdown()
print(json.dumps(out))
"""


def _env(tree: str | None) -> dict:
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    if tree is not None:
        env["PYTHONPATH"] = os.path.join(tree, "src")
    return env


def _inner(tree, repeat, draws, workers=1) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _INNER, str(repeat), str(draws), str(workers)],
        check=True,
        capture_output=True,
        text=True,
        env=_env(tree),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(tree, argv) -> tuple[float, float]:
    """Wall and CPU time (user + system, worker processes included) of one command."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "coordgap", *argv],
        check=True,
        stdout=subprocess.DEVNULL,
        env=_env(tree),
        cwd=tree,  # the tree's own model files (``coordgap figures`` reads ./models)
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--repeat", type=int, default=10, help="repeats per round (default 10)")
    parser.add_argument("--draws", type=int, default=100, help="robustness draws (0: skip)")
    parser.add_argument("--figures", action="store_true", help="also time `coordgap figures`")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes of the robustness study"
    )
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"installed": None}
    results: dict[tuple[str, str], dict[str, list[float]]] = {}

    def add(case, tree, wall, cpu=None):
        entry = results.setdefault((case, tree), {"wall": [], "cpu": []})
        entry["wall"].extend(wall)
        entry["cpu"].extend(cpu or [])

    for path in trees.values():  # warm-up: file-system cache, .pyc files
        _command(path, ["compare"])  # (both times discarded)
    for round_ in range(args.rounds):
        for name, path in trees.items():
            draws = args.draws if round_ == 0 else 0  # one robustness study per tree
            workers = args.workers if draws else 1
            for case, times in _inner(path, args.repeat, draws, workers).items():
                add(case, name, times["wall"], times["cpu"])
            wall, cpu = _command(path, ["compare"])
            add("`coordgap compare` (whole process)", name, [wall], [cpu])
            if args.figures and round_ == 0:
                out = os.path.join(tempfile.gettempdir(), f"speed-figures-{name}")
                wall, cpu = _command(path, ["figures", "--out", out])
                add("`coordgap figures` (whole process)", name, [wall], [cpu])
    cases = list(dict.fromkeys(case for case, _ in results))
    print(
        f"# Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"{args.rounds} interleaved rounds of {args.repeat} repeats, one warm-up each"
    )
    header = " | ".join(f"{t}: wall min / median, CPU median" for t in trees)
    print(f"| case | {header} |")
    print("|---|" + "---:|" * len(trees))
    for case in cases:
        cells = []
        for tree in trees:
            entry = results.get((case, tree))
            if entry is None:
                cells.append("—")
                continue
            unit, factor = ("s", 1.0) if min(entry["wall"]) > 0.5 else ("ms", 1e3)
            wall = f"{min(entry['wall']) * factor:.3g} / {statistics.median(entry['wall']) * factor:.3g} {unit}"
            cpu = f", {statistics.median(entry['cpu']) * factor:.3g} {unit}" if entry["cpu"] else ""
            cells.append(wall + cpu)
        print(f"| {case} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
