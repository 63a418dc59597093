"""Cross-check: coordgap against quantecon on the 2-player games of benchmarks/normal_form.py.

Same random integer games (payoffs in [-10, 10], seed 2024, n = 4, 6, 8, 10). The reference is
coordgap's exact vertex enumeration (``cg.solve``: every extreme equilibrium, exact regret 0).
quantecon's ``support_enumeration`` (nondegenerate games only: it looks at square supports),
``vertex_enumeration`` (float tableaux) and ``lemke_howson`` (one equilibrium per call, started
from each of the n + n labels) are scored by how many reference equilibria they return (within
1e-6) and by spurious points (regret > 1e-6). quantecon compiles with numba: every function is
called once before it is timed, so compile time is not counted.

Run in an environment with both packages: ``python benchmarks/peers/quantecon_check.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from normal_form import _games, _score, _timed

import coordgap as cg


def main() -> None:
    import quantecon.game_theory as gt

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

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

    print(
        "| n | games | extreme eq. (total) | coordgap exact ms | coordgap float ms (found) | "
        "quantecon support_enumeration "
        "ms (found, spurious) | quantecon vertex_enumeration ms (found, spurious) | quantecon "
        "lemke_howson, all 2n starts, ms (distinct found, spurious) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in (4, 6, 8, 10):
        games = _games(n, args.games, args.seed)
        ref_total, t_cg, t_fl, hits_fl = 0, [], [], 0
        cols = {k: ([], [], []) for k in ("se", "ve", "lh")}
        for a, b in games:
            game = cg.NormalFormGame.from_bimatrix(a, b)
            t, exact = _timed(lambda: cg.solve(game), args.repeat)
            reference = [(e.strategies[0], e.strategies[1]) for e in exact]
            ref_total += len(reference)
            t_cg.append(t)
            t, floats = _timed(lambda: cg.solve(game, method="float"), args.repeat)
            t_fl.append(t)
            hits_fl += _score(
                reference, [(e.strategies[0], e.strategies[1]) for e in floats], a, b
            )[0]
            g = qe_game(a, b)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                runs = {
                    "se": lambda: gt.support_enumeration(g),
                    "ve": lambda: gt.vertex_enumeration(g),
                    "lh": lambda: lemke_all(g, n),
                }
                for key, fn in runs.items():
                    t, points = _timed(fn, args.repeat)
                    hits, bad = _score(
                        reference, [(np.asarray(x), np.asarray(y)) for x, y in points], a, b
                    )
                    cols[key][0].append(t)
                    cols[key][1].append(hits)
                    cols[key][2].append(bad)
        cells = " | ".join(
            f"{1e3 * statistics.median(ts):.2f} ({sum(h)}/{ref_total}, {sum(s)})"
            for ts, h, s in cols.values()
        )
        print(
            f"| {n} | {len(games)} | {ref_total} | {1e3 * statistics.median(t_cg):.2f} | "
            f"{1e3 * statistics.median(t_fl):.2f} ({hits_fl}/{ref_total}) | {cells} |"
        )


if __name__ == "__main__":
    main()
