"""Benchmark: all pure equilibria of anonymous participation games (M2).

1. N = 10^6 heterogeneous actors (shares, net costs drawn at random; V a critical-mass curve):
   ``coordgap.solve`` (exact enumeration of every pure equilibrium, with certificates), with and
   without building the game from its arrays, against sorting the same thresholds
   t_i = (k_i − I_i)/s_i: ``numpy.sort(kind="quicksort")`` (numpy's default; on x86_64 with
   AVX2 or AVX-512 it runs the vectorized x86-simd-sort code), ``numpy.sort(kind="stable")``
   (radix/merge sort, no SIMD) and ``numpy.argsort(kind="quicksort")`` (coordgap needs the
   order, not only the sorted values).
2. Small N against Gambit's ``enumpure`` (pygambit) on the same game written as a normal-form
   table with 2^N contingencies. pygambit is GPL and never a dependency of coordgap: this part
   runs only when ``pygambit`` can be imported (as in the scratch environment of
   ``benchmarks/peers/run.sh``). Both timed regions start from arrays: coordgap builds its game
   from (V, shares, net costs) and solves; Gambit builds its game from the N payoff tables
   (``Game.from_arrays``) and solves. Writing those 2^N x N tables from the model (done by
   coordgap's ``payoffs``) is timed once, on its own. The sides run in the order coordgap,
   Gambit, Gambit, coordgap, so that no coordgap call comes straight after Gambit's slowest call.

Timing (``benchmarks/harness.py``, the same for every side): one untimed warm-up call and
``--repeat`` timed samples per side, interleaved in one interpreter; min and median of wall and
CPU time; calls under 20 ms are looped so that a sample lasts about 20 ms (times per call).

Run: ``python benchmarks/participation.py [--large 1000000] [--gambit 8 12 16] [--repeat 5]
[--gambit-repeat 3]``
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import cell, compare_timings, fmt_ms, markdown_table, ratio

import coordgap as cg


def make_arrays(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(V, shares, net costs) of a heterogeneous game: logistic critical mass at 60% of N."""
    rng = np.random.default_rng(seed)
    m = np.arange(n + 1)
    value = 100.0 * n / (1.0 + np.exp(-(m - 0.6 * n) / (0.05 * n)))
    share = rng.uniform(0.05, 1.0, n) / n
    net_cost = rng.uniform(0.0, 2.0, n) * share * 100.0
    return value, share, net_cost


def make_game(n: int, seed: int = 0) -> cg.ParticipationGame:
    return cg.ParticipationGame.anonymous(*make_arrays(n, seed))


def large(n: int, repeat: int) -> None:
    arrays = make_arrays(n)
    game = cg.ParticipationGame.anonymous(*arrays)
    thresholds = game.thresholds
    t = compare_timings(
        {
            "game_solve": lambda: cg.solve(cg.ParticipationGame.anonymous(*arrays)),
            "sort_quick": lambda: np.sort(thresholds, kind="quicksort"),
            "solve": lambda: cg.solve(game),
            "sort_stable": lambda: np.sort(thresholds, kind="stable"),
            "argsort": lambda: np.argsort(thresholds, kind="quicksort"),
        },
        repeats=repeat,
        warmup=1,
        min_sample=0.02,
    )
    eq = t["game_solve"].result
    assert eq.complete and eq.max_regret == 0
    names = {
        "game_solve": "coordgap: build the game + solve (all equilibria + certificates)",
        "solve": "coordgap: solve only (game built once)",
        "sort_quick": 'numpy.sort(kind="quicksort"), the default (SIMD)',
        "sort_stable": 'numpy.sort(kind="stable")',
        "argsort": 'numpy.argsort(kind="quicksort")',
    }
    rows = []
    for key in ("game_solve", "solve", "sort_quick", "sort_stable", "argsort"):
        rows.append(
            [
                names[key],
                cell(t[key]),
                ratio(t["game_solve"], t[key]),
                ratio(t["solve"], t[key]),
            ]
        )
    print(
        f"N = {n:,}: {len(eq)} equilibrium count(s) {[e.count for e in eq]}, "
        f"complete={eq.complete}, max regret {eq.max_regret:.3g}\n"
    )
    print(
        markdown_table(
            [
                "method",
                "time ms: min / median (CPU min / median)",
                "coordgap build + solve ÷ this (min / median)",
                "coordgap solve ÷ this (min / median)",
            ],
            rows,
        )
    )


def gambit_arrays(game: cg.ParticipationGame) -> list[np.ndarray]:
    """The N payoff arrays of the game, each indexed (a_0, ..., a_{N-1}) (a 2^N table)."""
    n = game.n_actors
    profiles = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    payoffs = game.payoffs(profiles)  # (2^N, N)
    return [payoffs[:, i].reshape((2,) * n, order="F") for i in range(n)]


def versus_gambit(sizes, repeat: int) -> None:
    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit not importable: skipping the Gambit comparison")
        return
    rows = []
    for n in sizes:
        arrays = make_arrays(n, seed=n)
        game = cg.ParticipationGame.anonymous(*arrays)
        start = time.perf_counter()
        tables = gambit_arrays(game)
        t_tables = time.perf_counter() - start
        table_game = gbt.Game.from_arrays(*tables)
        solve_game = cg.ParticipationGame.anonymous(*arrays)
        # Order coordgap, Gambit, Gambit, coordgap (ABBA): the first call after Gambit's
        # from_arrays at N = 16 (about 40 s, then its memory freed) is about 30 ms slower, so no
        # coordgap call comes straight after it.
        t = compare_timings(
            {
                "cg": lambda arrays=arrays: cg.solve(cg.ParticipationGame.anonymous(*arrays)),
                "gambit": lambda tables=tables: gbt.nash.enumpure_solve(
                    gbt.Game.from_arrays(*tables)
                ),
                "gambit_solve": lambda g=table_game: gbt.nash.enumpure_solve(g),
                "cg_solve": lambda game=solve_game: cg.solve(game),
            },
            repeats=repeat,
            warmup=1,
            min_sample=0.02,
        )
        n_gambit = len(t["gambit"].result.equilibria)
        n_ours = t["cg"].result.n_equilibria
        assert n_gambit == n_ours, (n, n_gambit, n_ours)
        rows.append(
            [
                n,
                cell(t["cg"]),
                cell(t["gambit"]),
                ratio(t["gambit"], t["cg"]),
                cell(t["cg_solve"]),
                cell(t["gambit_solve"]),
                ratio(t["gambit_solve"], t["cg_solve"]),
                fmt_ms(t_tables),
                f"{n_ours} / {n_gambit}",
            ]
        )
    header = [
        "N",
        "coordgap: game + solve",
        "Gambit enumpure: Game.from_arrays + solve",
        "speed-up (min / median)",
        "coordgap: solve only",
        "Gambit: enumpure_solve only",
        "speed-up, solve only (min / median)",
        "writing the 2^N x N tables (ms, once)",
        "pure equilibria (coordgap / Gambit)",
    ]
    print(markdown_table(header, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--gambit", type=int, nargs="*", default=[8, 12, 16])
    parser.add_argument("--repeat", type=int, default=5, help="timed samples per side")
    parser.add_argument(
        "--gambit-repeat", type=int, default=3, help="timed samples per side against Gambit"
    )
    args = parser.parse_args()
    print(
        f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"coordgap {cg.__version__}. Every side: 1 warm-up call, {args.repeat} timed samples "
        f"({args.gambit_repeat} against Gambit), interleaved. Cells: min / median wall ms (CPU "
        "min / median ms).\n"
    )
    large(args.large, args.repeat)
    print()
    versus_gambit(args.gambit, args.gambit_repeat)


if __name__ == "__main__":
    main()
