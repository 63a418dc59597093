"""Benchmark: mechanism design at scale.

1. The cheapest unique implementation (``cg.cheapest_implementation``) of anonymous
   participation games with N = 10^3, 10^4, 10^5 actors: random net costs, equal shares, a
   logistic critical mass at N/2. The order is the sort order (proven cost-minimal), the worst
   gains take O(N) and every uniqueness check is a complete anonymous solve; per-actor
   minimality checks run up to 200 actors.
2. The packaged model (58 actors in five roles, greedy order with swaps, every certificate).

Timing: ``benchmarks/harness.py``, one untimed warm-up and ``--repeat`` timed calls; min and
median of wall and CPU time.

Run: ``python benchmarks/mechanism.py [--sizes 1000 10000 100000] [--repeat 3]``
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


if __name__ == "__main__":
    main()
