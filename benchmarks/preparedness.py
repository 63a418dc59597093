"""Benchmark: the preparedness game (M1) with N heterogeneous actors and γ = 2.

Times ``coordgap.solve`` against one vectorized numpy pass over the same arrays (evaluating every
actor's best response x_i(R) = (s_i w_i B'(R)/c_i)^(1/(γ−1)) at one R and summing w_i x_i — one
step of a naive fixed-point iteration), measured in the same run, and against a naive solver that
root-finds F(R) = R − R0 − Σ w_i x_i(R) with O(N) work per step. The solve is timed without a
certificate, with the default concavity bound (``certify=True``) and with the grid-search
certificate (``certify="grid"``); every column gets one untimed warm-up call and the same number
of timed repeats (median), and the last ratio adds building the game (validation of every
parameter array) to the certified solve.

Run: ``python benchmarks/preparedness.py [--sizes 1000 1000000] [--repeat 5] [--no-grid]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
from scipy import optimize

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


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls after one untimed warm-up call."""
    out = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-grid", action="store_true", help="skip the grid certificate")
    args = parser.parse_args()
    print(
        f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, coordgap {cg.__version__}"
    )
    print(
        "| N | numpy pass (ms) | naive root find (ratio) | solve, no certificate (ratio) "
        "| solve, bound certificate (ratio) | game + solve, bound (ratio) "
        "| solve, grid certificate (ratio) | max regret bound | max regret, grid |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        arrays = make_arrays(n)
        game = cg.PreparednessGame(**arrays)
        t_pass, _ = timed(lambda: numpy_pass(game, 1.0), args.repeat)
        t_naive, r_naive = timed(lambda: naive_root(game), args.repeat)
        t_solve, eq = timed(lambda: cg.solve(game, certify=False), args.repeat)
        t_cert, eq_c = timed(lambda: cg.solve(game), args.repeat)
        t_built, _ = timed(lambda: cg.solve(cg.PreparednessGame(**arrays)), args.repeat)
        assert abs(eq[0].robustness - r_naive) <= 1e-9 * max(1.0, r_naive)
        assert eq_c.success
        grid_ratio, grid_regret = "", ""
        if not args.no_grid:
            t_grid, eq_g = timed(lambda: cg.solve(game, certify="grid"), args.repeat)
            grid_ratio, grid_regret = f"{t_grid / t_pass:.0f}x", f"{eq_g[0].max_regret:.1e}"
        print(
            f"| {n:,} | {1e3 * t_pass:.2f} | {t_naive / t_pass:.1f}x | {t_solve / t_pass:.1f}x "
            f"| {t_cert / t_pass:.1f}x | {t_built / t_pass:.1f}x | {grid_ratio} "
            f"| {eq_c[0].max_regret:.1e} | {grid_regret} |"
        )


if __name__ == "__main__":
    main()
