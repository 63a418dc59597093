"""Benchmark: design sweeps and Monte Carlo robustness (M4).

1. Design points per second of a closed-form sweep: the preparedness gap over a grid of
   (benefit diffuseness, incident probability, efficacy) with the default model's 58 actors.
2. Speed-up of a Monte Carlo robustness study with 2 worker processes over 1.
3. Design evaluation: ``cg.compare`` of the default model's designs, and one
   ``DesignMetrics.evaluate`` per design (median of 5 after a warm-up).

Run: ``python benchmarks/designs.py [--draws 200] [--evaluation-only]``
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import platform
import statistics
import time

import numpy as np
from scipy import stats

import coordgap as cg
from coordgap.analysis.metrics import PreparednessMetrics
from coordgap.analysis.montecarlo import DesignMetrics


def closed_form_rate(points_per_axis: int) -> tuple[int, float]:
    metrics = PreparednessMetrics(cg.load_model().preparedness_game())
    grid = {
        "share_scale": np.linspace(0.1, 1.5, points_per_axis),
        "prob": np.linspace(0.01, 1.0, points_per_axis),
        "efficacy": np.linspace(0.01, 0.2, points_per_axis),
    }
    start = time.perf_counter()
    res = cg.sweep(metrics, grid)
    elapsed = time.perf_counter() - start
    assert res.method == "vectorized"
    return len(res.frame), elapsed


def monte_carlo(draws: int, workers: int) -> float:
    model = cg.PolicyModel.default()
    designs = [
        cg.Design("baseline"),
        cg.Design("procurement", [cg.ProcurementPreference(margin=0.1, volume=10.0, win_prob=0.5)]),
        cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
    ]
    dists = {
        "preparedness.prob": stats.uniform(0.05, 0.1),
        "actors.*.registry.join_cost": stats.lognorm(0.3),
    }
    start = time.perf_counter()
    if workers == 1:
        cg.monte_carlo(model, designs, dists, n=draws, rng=1, block=10, scale=list(dists)[1:])
    else:
        with cf.ProcessPoolExecutor(workers) as pool:
            cg.monte_carlo(
                model,
                designs,
                dists,
                n=draws,
                rng=1,
                block=10,
                executor=pool,
                scale=list(dists)[1:],
            )
    return time.perf_counter() - start


def _median_time(run, repeats: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def design_evaluation(repeats: int = 5) -> tuple[float, dict[str, float]]:
    """Median seconds of ``cg.compare(model, spec.designs)`` and of one evaluation per design."""
    spec = cg.load_model()
    model = spec.policy_model()
    designs = list(spec.designs)
    whole = _median_time(lambda: cg.compare(model, designs), repeats)
    each = {}
    for design in designs:
        metrics = DesignMetrics(model, design)
        each[design.name] = _median_time(lambda m=metrics: m.evaluate({}), repeats)
    return whole, each


def print_design_evaluation() -> None:
    whole, each = design_evaluation()
    print("| design evaluation | median time (ms) |")
    print("|---|---:|")
    print(f"| compare, {len(each)} designs | {1e3 * whole:.0f} |")
    for name, t in each.items():
        print(f"| evaluate {name} | {1e3 * t:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument(
        "--evaluation-only", action="store_true", help="time design evaluation only"
    )
    args = parser.parse_args()
    print(f"# {platform.machine()}, Python {platform.python_version()}, coordgap {cg.__version__}")
    if args.evaluation_only:
        print_design_evaluation()
        return
    print("| closed-form sweep points | time (s) | design points per second |")
    print("|---:|---:|---:|")
    for k in (20, 50, 100):
        n, t = closed_form_rate(k)
        print(f"| {n:,} | {t:.3f} | {n / t:,.0f} |")
    t1 = monte_carlo(args.draws, 1)
    t2 = monte_carlo(args.draws, 2)
    print()
    print("| Monte Carlo draws × designs | 1 worker (s) | 2 workers (s) | speed-up |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.draws} × 3 | {t1:.2f} | {t2:.2f} | {t1 / t2:.2f}x |")
    print()
    print_design_evaluation()


if __name__ == "__main__":
    main()
