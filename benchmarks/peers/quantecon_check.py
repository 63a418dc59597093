"""Cross-check: coordgap against quantecon on the 2-player games of benchmarks/normal_form.py.

Same random integer games (payoffs in [-10, 10], seed 2024, n = 4, 6, 8, 10). The reference is
coordgap's exact vertex enumeration (``cg.solve``: every extreme equilibrium, exact regret 0).
quantecon's ``support_enumeration`` (nondegenerate games only: it looks at square supports),
``vertex_enumeration`` (float tableaux) and ``lemke_howson`` (one equilibrium per call, started
from each of the n + n labels) are scored by how many reference equilibria they return (within
1e-6) and by spurious points (regret > 1e-6).

Timing (``benchmarks/harness.py``, the same for every side): one untimed warm-up call and
``--repeat`` timed calls per side, interleaved in one interpreter; min and median of wall and CPU
time; every timed call builds its game object (coordgap's ``NormalFormGame``, quantecon's
``NormalFormGame`` of two ``Player``) from the same integer arrays. quantecon compiles with
numba: its functions are also compiled on a separate 4 x 4 game before any timing, so compile
time is not counted (the warm-up call would absorb it anyway).

Run in an environment with both packages: ``python benchmarks/peers/quantecon_check.py``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import cell, compare_timings, markdown_table, median_of
from normal_form import _games, _score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per side")
    args = parser.parse_args()

    import quantecon.game_theory as gt

    import coordgap as cg

    def qe_game(a, b):
        # quantecon's Player i payoff array is indexed (own action, opponent action).
        return gt.NormalFormGame((gt.Player(a.astype(float)), gt.Player(b.T.astype(float))))

    def lemke_all(g, n):
        found = []
        for label in range(2 * n):
            x, y = gt.lemke_howson(g, init_pivot=label)
            if not any(np.allclose(x, fx) and np.allclose(y, fy) for fx, fy in found):
                found.append((x, y))
        return found

    warm = qe_game(*_games(4, 1, 0)[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gt.support_enumeration(warm), gt.vertex_enumeration(warm), lemke_all(warm, 4)

    header = [
        "n",
        "games",
        "extreme eq. (total)",
        "coordgap exact",
        "coordgap float (found)",
        "quantecon support_enumeration (found, spurious)",
        "quantecon vertex_enumeration (found, spurious)",
        "quantecon lemke_howson, all 2n starts (distinct found, spurious)",
        "building the game alone: coordgap",
        "building the game alone: quantecon",
    ]
    rows = []
    for n in (4, 6, 8, 10):
        games = _games(n, args.games, args.seed)
        ref_total, hits_fl = 0, 0
        per = {k: [] for k in ("exact", "float", "se", "ve", "lh", "b_cg", "b_qe")}
        hits = dict.fromkeys(("se", "ve", "lh"), 0)
        bad = dict.fromkeys(("se", "ve", "lh"), 0)
        for a, b in games:
            cases = {
                "exact": lambda a=a, b=b: cg.solve(cg.NormalFormGame.from_bimatrix(a, b)),
                "se": lambda a=a, b=b: gt.support_enumeration(qe_game(a, b)),
                "float": lambda a=a, b=b: cg.solve(
                    cg.NormalFormGame.from_bimatrix(a, b), method="float"
                ),
                "ve": lambda a=a, b=b: gt.vertex_enumeration(qe_game(a, b)),
                "lh": lambda a=a, b=b, n=n: lemke_all(qe_game(a, b), n),
                "b_cg": lambda a=a, b=b: cg.NormalFormGame.from_bimatrix(a, b),
                "b_qe": lambda a=a, b=b: qe_game(a, b),
            }
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = compare_timings(cases, repeats=args.repeat, warmup=1)
            exact = t["exact"].result
            assert exact.complete and all(e.max_regret == 0.0 for e in exact)
            reference = [(e.strategies[0], e.strategies[1]) for e in exact]
            ref_total += len(reference)
            floats = [(e.strategies[0], e.strategies[1]) for e in t["float"].result]
            hits_fl += _score(reference, floats, a, b)[0]
            for key in ("se", "ve", "lh"):
                points = [(np.asarray(x), np.asarray(y)) for x, y in t[key].result]
                h, s = _score(reference, points, a, b)
                hits[key] += h
                bad[key] += s
            for key in per:
                per[key].append(t[key])
        agg = {key: median_of(v) for key, v in per.items()}
        rows.append(
            [
                n,
                len(games),
                ref_total,
                cell(agg["exact"]),
                f"{cell(agg['float'])} ({hits_fl}/{ref_total})",
            ]
            + [
                f"{cell(agg[key])} ({hits[key]}/{ref_total}, {bad[key]})"
                for key in ("se", "ve", "lh")
            ]
            + [cell(agg["b_cg"]), cell(agg["b_qe"])]
        )
    print(
        f"{args.games} games per size, seed {args.seed}; every side: 1 warm-up call, "
        f"{args.repeat} timed calls, interleaved. Cells: min / median wall ms (CPU min / median "
        "ms), median over the games; game construction included.\n"
    )
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
