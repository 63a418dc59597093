"""Benchmark: the preparedness game (M1) with N heterogeneous actors and γ = 2.

Times ``coordgap.solve`` against one vectorized numpy pass over the same arrays (evaluating every
actor's best response x_i(R) = (s_i w_i B'(R)/c_i)^(1/(γ−1)) at one R and summing w_i x_i — one
step of a naive fixed-point iteration), measured in the same run, and against a naive solver that
root-finds F(R) = R − R0 − Σ w_i x_i(R) with O(N) work per step.

Run: ``python benchmarks/preparedness.py [--sizes 1000 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
from scipy import optimize

import coordgap as cg


def make_game(n: int, seed: int = 0) -> cg.PreparednessGame:
    rng = np.random.default_rng(seed)
    share = rng.uniform(0.1, 1.0, n)
    share *= 0.9 / share.sum()
    return cg.PreparednessGame(share=share, cost=rng.uniform(0.5, 2.0, n),
                               weight=rng.uniform(0.5, 2.0, n), prob=0.3, harm=1e4,
                               efficacy=0.01, cost_exponent=2.0)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
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
    args = parser.parse_args()
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, coordgap {cg.__version__}")
    print("| N | numpy pass (ms) | naive root find (ratio) | solve, no certificate (ratio) "
          "| solve with certificate (ratio) | max regret |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        game = make_game(n)
        t_pass, _ = timed(lambda: numpy_pass(game, 1.0), args.repeat)
        t_naive, r_naive = timed(lambda: naive_root(game), args.repeat)
        t_solve, eq = timed(lambda: cg.solve(game, certify=False), args.repeat)
        t_cert, eq_c = timed(lambda: cg.solve(game), max(1, args.repeat // 2))
        assert abs(eq[0].robustness - r_naive) <= 1e-9 * max(1.0, r_naive)
        print(f"| {n:,} | {1e3 * t_pass:.2f} | {t_naive / t_pass:.1f}x | {t_solve / t_pass:.1f}x "
              f"| {t_cert / t_pass:.0f}x | {eq_c[0].max_regret:.1e} |")


if __name__ == "__main__":
    main()
