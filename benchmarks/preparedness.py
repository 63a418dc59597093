"""Benchmark: the preparedness game (M1) with N heterogeneous actors and γ = 2.

Times ``coordgap.solve`` against one vectorized numpy pass over the same arrays (evaluating every
actor's best response x_i(R) = (s_i w_i B'(R)/c_i)^(1/(γ−1)) at one R and summing w_i x_i — one
step of a naive fixed-point iteration), measured in the same run, and against a naive solver that
root-finds F(R) = R − R0 − Σ w_i x_i(R) with O(N) work per step. The solve is timed without a
certificate, with the default concavity bound (``certify=True``) and with the grid-search
certificate (``certify="grid"``). The headline column is the default, certified solve
(``certify=True``) including building the game from its arrays (validation of every parameter
array); ``certify=False`` is the second column, and both are also timed on a game built once.

Timing (``benchmarks/harness.py``, the same for every column): one untimed warm-up call and
``--repeat`` timed calls per column, interleaved in one interpreter; min and median of wall and
CPU time; ratios are to the numpy pass, on min and on median wall time.

Run: ``python benchmarks/preparedness.py [--sizes 1000 1000000] [--repeat 5] [--no-grid]``
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np
from scipy import optimize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import cell, compare_timings, markdown_table, ratio

import coordgap as cg


def make_arrays(n: int, seed: int = 0) -> dict:
    """The parameters of the benchmark game (random per-actor arrays)."""
    rng = np.random.default_rng(seed)
    share = rng.uniform(0.1, 1.0, n)
    share *= 0.9 / share.sum()
    return dict(
        share=share,
        cost=rng.uniform(0.5, 2.0, n),
        weight=rng.uniform(0.5, 2.0, n),
        prob=0.3,
        harm=1e4,
        efficacy=0.01,
        cost_exponent=2.0,
    )


def make_game(n: int, seed: int = 0) -> cg.PreparednessGame:
    return cg.PreparednessGame(**make_arrays(n, seed))


def numpy_pass(game: cg.PreparednessGame, r: float) -> float:
    mb = game.scale * game.efficacy * np.exp(-game.efficacy * r)
    x = (game.share * game.weight * mb / game.cost) ** (1.0 / (game.cost_exponent - 1.0))
    return float(np.sum(game.weight * x))


def naive_root(game: cg.PreparednessGame) -> float:
    def f(r):
        return r - game.baseline - numpy_pass(game, r)

    hi = game.baseline + numpy_pass(game, game.baseline)
    return optimize.brentq(f, game.baseline, hi, xtol=1e-14)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per column")
    parser.add_argument("--no-grid", action="store_true", help="skip the grid certificate")
    args = parser.parse_args()
    print(
        f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"coordgap {cg.__version__}. Every column: 1 warm-up call, {args.repeat} timed calls, "
        "interleaved. Ratios to the numpy pass: min / median wall time.\n"
    )
    names = {
        "built_cert": "game + solve, certified: the default (ratio)",
        "built_plain": "game + solve, certify=False (ratio)",
        "cert": "solve only, certified (ratio)",
        "plain": "solve only, certify=False (ratio)",
        "naive": "naive root find (ratio)",
        "grid": 'solve only, certify="grid" (ratio)',
    }
    ratio_rows, time_rows = [], []
    for n in args.sizes:
        arrays = make_arrays(n)
        game = cg.PreparednessGame(**arrays)
        cases = {
            "pass": lambda game=game: numpy_pass(game, 1.0),
            "built_cert": lambda arrays=arrays: cg.solve(cg.PreparednessGame(**arrays)),
            "built_plain": lambda arrays=arrays: cg.solve(
                cg.PreparednessGame(**arrays), certify=False
            ),
            "cert": lambda game=game: cg.solve(game),
            "plain": lambda game=game: cg.solve(game, certify=False),
            "naive": lambda game=game: naive_root(game),
        }
        if not args.no_grid:
            cases["grid"] = lambda game=game: cg.solve(game, certify="grid")
        t = compare_timings(cases, repeats=args.repeat, warmup=1)
        eq, eq_c, r_naive = t["plain"].result, t["built_cert"].result, t["naive"].result
        assert abs(eq[0].robustness - r_naive) <= 1e-9 * max(1.0, r_naive)
        assert eq_c.success
        grid_regret = f"{t['grid'].result[0].max_regret:.1e}" if "grid" in t else ""
        keys = [k for k in names if k in t]
        ratio_rows.append(
            [f"{n:,}", cell(t["pass"])]
            + [ratio(t[k], t["pass"]) for k in keys]
            + [f"{eq_c[0].max_regret:.1e}", grid_regret]
        )
        time_rows.append([f"{n:,}"] + [cell(t[k]) for k in ["pass", *keys]])
    keys = [k for k in names if k != "grid" or not args.no_grid]
    print(
        markdown_table(
            ["N", "numpy pass ms: min / median (CPU min / median)"]
            + [names[k] for k in keys]
            + ["max regret bound", "max regret, grid"],
            ratio_rows,
        )
    )
    print()
    print("Times, ms: min / median wall (CPU min / median)\n")
    print(
        markdown_table(
            ["N", "numpy pass"] + [names[k].removesuffix(" (ratio)") for k in keys], time_rows
        )
    )


if __name__ == "__main__":
    main()
