"""Benchmark: mechanism design at scale.

1. The cheapest unique implementation (``cg.cheapest_implementation``) of anonymous
   participation games with N = 10^3, 10^4, 10^5 actors: random net costs, equal shares, a
   logistic critical mass at N/2. The order is the sort order (proven cost-minimal), the worst
   gains take O(N) and every uniqueness check is a complete anonymous solve; per-actor
   minimality checks run up to 200 actors.
2. The packaged model (58 actors in five roles, greedy order with swaps, every certificate).
3. With ``--sensitivity N``: Sobol' indices (``cg.sensitivity``) of the seven packaged designs
   over three uncertain parameters (the incident probability, a common factor on joining
   costs, a common factor on response costs), N base samples (8N draws, each evaluating every
   design), on a process pool of ``--workers`` workers; timed once.

Timing: ``benchmarks/harness.py``, one untimed warm-up and ``--repeat`` timed calls; min and
median of wall and CPU time.

Run: ``python benchmarks/mechanism.py [--sizes 1000 10000 100000] [--repeat 3]
[--sensitivity 1024 --workers 2]``
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import cell, compare_timings, markdown_table

import coordgap as cg


def anonymous_game(n: int, seed: int = 0) -> cg.ParticipationGame:
    rng = np.random.default_rng(seed)
    return cg.ParticipationGame(
        share=np.full(n, 0.9 / n),
        cost=rng.uniform(0.0, 2.0 / n, n),
        capacity=np.ones(n),
        prob=0.5,
        harm=1000.0,
        efficacy=0.1 / n,
        critical_mass="logistic",
        threshold=n / 2,
        steepness=1.0 / n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sensitivity", type=int, default=0, help="Sobol' base samples (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        game = anonymous_game(n)
        t = compare_timings({"cheapest": lambda g=game: cg.cheapest_implementation(g)}, args.repeat)
        imp = t["cheapest"].result
        rows.append(
            [
                f"anonymous, N = {n:,}",
                cell(t["cheapest"]),
                f"{imp.total:.4g} vs uniform {imp.uniform_total:.4g}",
                f"{imp.order_method}, unique: {imp.unique and imp.uniform_unique}",
            ]
        )
    model = cg.load_model().policy_model()
    t = compare_timings({"cheapest": lambda: cg.cheapest_implementation(model)}, args.repeat)
    imp = t["cheapest"].result
    rows.append(
        [
            "packaged model, 58 actors",
            cell(t["cheapest"]),
            f"{imp.total:.4g} vs uniform {imp.uniform_total:.4g} (bound {imp.lower_bound:.4g})",
            f"{imp.order_method}, unique: {imp.unique and imp.uniform_unique}",
        ]
    )
    print(
        f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}; "
        f"coordgap {cg.__version__}; ms, min / median wall (CPU min / median)\n"
    )
    print(
        markdown_table(
            ["case", "cheapest_implementation", "discriminatory total", "order, certificate"],
            rows,
        )
    )
    if args.sensitivity:
        _sensitivity(args.sensitivity, args.workers)


def _sensitivity(n: int, workers: int) -> None:
    import concurrent.futures as cf
    import time
    import warnings

    from scipy import stats

    spec = cg.load_model()
    distributions = {
        "preparedness.prob": stats.uniform(0.05, 0.1),
        "actors.*.registry.join_cost": stats.lognorm(0.5),
        "actors.*.registry.response_cost_median": stats.lognorm(0.3),
    }
    scale = ["actors.*.registry.join_cost", "actors.*.registry.response_cost_median"]
    with warnings.catch_warnings(), cf.ProcessPoolExecutor(workers) as pool:
        warnings.simplefilter("ignore")
        wall, cpu = time.perf_counter(), time.process_time()
        res = cg.sensitivity(
            spec.policy_model(),
            spec.designs,
            distributions,
            n=n,
            scale=scale,
            rng=1,
            executor=pool,
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    draws = len(res.samples)
    print(
        f"\nsensitivity: {draws:,} draws x {len(spec.designs)} designs "
        f"({draws * len(spec.designs):,} design evaluations) on {workers} workers: "
        f"{wall:.1f} s wall ({cpu:.1f} s CPU in the parent)"
    )


if __name__ == "__main__":
    main()
