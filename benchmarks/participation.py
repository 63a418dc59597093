"""Benchmark: all pure equilibria of anonymous participation games (M2).

1. N = 10^6 heterogeneous actors (shares, net costs drawn at random; V a critical-mass curve):
   ``coordgap.solve`` (exact enumeration of every pure equilibrium, with certificates) against
   ``numpy.sort`` of the same thresholds t_i = (k_i − I_i)/s_i, measured in the same run.
2. Small N against Gambit's ``enumpure`` (pygambit) on the same game written as a normal-form
   table with 2^N contingencies. pygambit is GPL and never a dependency of coordgap: this part
   runs only when ``pygambit`` can be imported (e.g. in a separate virtual environment with both
   packages installed).

Run: ``python benchmarks/participation.py [--large 1000000] [--gambit 8 12 16 20] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

import coordgap as cg


def make_game(n: int, seed: int = 0) -> cg.ParticipationGame:
    """Heterogeneous anonymous game: logistic critical mass at 60% of N."""
    rng = np.random.default_rng(seed)
    m = np.arange(n + 1)
    value = 100.0 * n / (1.0 + np.exp(-(m - 0.6 * n) / (0.05 * n)))
    share = rng.uniform(0.05, 1.0, n) / n
    net_cost = rng.uniform(0.0, 2.0, n) * share * 100.0
    return cg.ParticipationGame.anonymous(value, share, net_cost)


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median time of ``repeat`` runs; fast calls are looped so each run lasts >= 20 ms."""
    start = time.perf_counter()
    out = fn()
    once = time.perf_counter() - start
    loops = max(1, int(0.02 / max(once, 1e-9)))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            out = fn()
        times.append((time.perf_counter() - start) / loops)
    return statistics.median(times), out


def large(n: int, repeat: int) -> None:
    game = make_game(n)
    thresholds = game.thresholds
    t_sort, _ = timed(lambda: np.sort(thresholds), repeat)
    t_solve, eq = timed(lambda: cg.solve(game), repeat)
    print(
        f"N = {n}: coordgap.solve {t_solve:.3f} s, numpy.sort {t_sort:.4f} s, "
        f"ratio {t_solve / t_sort:.1f}x; {len(eq)} equilibrium count(s) "
        f"{[e.count for e in eq]}, complete={eq.complete}, max_regret={eq.max_regret:.3g}"
    )


def gambit_table(game: cg.ParticipationGame):
    import pygambit as gbt

    n = game.n_actors
    profiles = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    payoffs = game.payoffs(profiles)  # (2^N, N)
    # pygambit's from_arrays: one array per player, indexed by (a_0, ..., a_{N-1}).
    arrays = [payoffs[:, i].reshape((2,) * n, order="F") for i in range(n)]
    return gbt.Game.from_arrays(*arrays)


def versus_gambit(sizes, repeat: int) -> None:
    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit not importable: skipping the Gambit comparison")
        return
    for n in sizes:
        game = make_game(n, seed=n)
        start = time.perf_counter()
        table = gambit_table(game)
        t_build = time.perf_counter() - start
        start = time.perf_counter()
        result = gbt.nash.enumpure_solve(table)
        t_gambit = time.perf_counter() - start
        t_ours, eq = timed(lambda: cg.solve(game), repeat)
        n_gambit = len(result.equilibria)
        print(
            f"N = {n}: enumpure {t_gambit:.3f} s (+ {t_build:.2f} s to build the table), "
            f"coordgap {t_ours * 1e3:.2f} ms, speed-up {t_gambit / t_ours:.0f}x; "
            f"equilibria {n_gambit} (Gambit) vs {eq.n_equilibria} (coordgap)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--gambit", type=int, nargs="*", default=[8, 12, 16])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, coordgap {cg.__version__}"
    )
    large(args.large, args.repeat)
    versus_gambit(args.gambit, args.repeat)


if __name__ == "__main__":
    main()
