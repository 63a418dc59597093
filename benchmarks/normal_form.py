"""Benchmark: equilibria of normal-form games, coordgap against nashpy and Gambit.

Two-player games: random integer payoffs in [-10, 10] (often degenerate: ties are common),
n x n with n = 4, 6, 8, 10. For every game coordgap's exact vertex enumeration gives the
reference list of extreme equilibria (each certified with exact regret 0); every other
method is scored by how many of those it finds ("found/ref") and by spurious points
(regret > 1e-6).

N-player games with two actions each (N = 3, 4, 5): random games and threshold public goods
written as full tables, every equilibrium by coordgap against Gambit's ``enumpoly_solve``.

Symmetric threshold public goods with N = 10, 100, 1000 players (gain b if at least T
contribute, contributing costs c): coordgap's Bernstein subdivision against the naive
route, numpy.roots on the power-basis gain polynomial (companion matrix).

Timing (``benchmarks/harness.py``, the same for every side): one untimed warm-up call and
``--repeat`` timed calls per side, interleaved (coordgap, peer, coordgap, peer, ...) in one
interpreter; min and median of wall and CPU time. Every timed call starts from the payoff
arrays: building the game object (coordgap's, nashpy's, Gambit's) is inside the timed region,
and is also timed alone. A table cell reads ``min / median wall ms (CPU min / median ms)``,
the median over the games of each game's statistics.

The peers are optional: nashpy and pygambit (GPL) are imported only if installed, as in the
scratch environment of ``benchmarks/peers/run.sh``; they are never a dependency of coordgap.
Without them their columns read "not run".

Usage::

    python benchmarks/normal_form.py [--games 5] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import cell, compare_timings, markdown_table, median_of, optional_import


def _games(n, count, seed):
    rng = np.random.default_rng([seed, n])
    return [
        (rng.integers(-10, 11, size=(n, n)), rng.integers(-10, 11, size=(n, n)))
        for _ in range(count)
    ]


def _regret(a, b, x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    return max(float((a @ y).max() - x @ a @ y), float((x @ b).max() - x @ b @ y))


def _score(reference, found, a, b):
    """(#reference equilibria found, #spurious points) of a list of (x, y) pairs."""
    hits = sum(
        any(np.allclose(x, fx, atol=1e-6) and np.allclose(y, fy, atol=1e-6) for fx, fy in found)
        for x, y in reference
    )
    spurious = sum(_regret(a, b, fx, fy) > 1e-6 for fx, fy in found)
    return hits, spurious


def _gambit_points(result):
    """Equilibria of a pygambit solve as lists of per-player float strategy lists."""
    g, res = result
    return [[[float(e[s]) for s in p.strategies] for p in g.players] for e in res.equilibria]


# -- two-player table -----------------------------------------------------------------------
def two_player(args, nashpy, gbt):
    import coordgap as cg

    header = [
        "n",
        "games",
        "extreme eq. (total)",
        "coordgap exact (found)",
        "coordgap float (found)",
        "nashpy support_enumeration (found, spurious)",
        "nashpy vertex_enumeration (found, spurious)",
        "Gambit enummixed float (found)",
        "Gambit enummixed rational (found)",
        "building the game alone: coordgap",
        "building the game alone: Gambit",
    ]
    rows = []
    for n in (4, 6, 8, 10):
        games = _games(n, args.games, args.seed)
        nashpy_games = 0 if nashpy is None else (1 if n == 10 else len(games))
        if args.quick and n == 10:
            nashpy_games = 0
        per = {k: [] for k in ("exact", "float", "se", "ve", "gf", "gr", "b_cg", "b_gb")}
        ref_total = nashpy_ref = 0
        hits = dict.fromkeys(("float", "se", "ve", "gf", "gr"), 0)
        bad = dict.fromkeys(("se", "ve"), 0)
        for k, (a, b) in enumerate(games):
            cases = {
                "exact": lambda a=a, b=b: cg.solve(cg.NormalFormGame.from_bimatrix(a, b)),
                "float": lambda a=a, b=b: cg.solve(
                    cg.NormalFormGame.from_bimatrix(a, b), method="float"
                ),
            }
            if gbt is not None:

                def gambit(a=a, b=b, rational=False):
                    g = gbt.Game.from_arrays(a, b)
                    return g, gbt.nash.enummixed_solve(g, rational=rational)

                cases["gf"] = gambit
                cases["gr"] = lambda gambit=gambit: gambit(rational=True)
            if k < nashpy_games:
                cases["se"] = lambda a=a, b=b: list(nashpy.Game(a, b).support_enumeration())
                cases["ve"] = lambda a=a, b=b: list(nashpy.Game(a, b).vertex_enumeration())
            cases["b_cg"] = lambda a=a, b=b: cg.NormalFormGame.from_bimatrix(a, b)
            if gbt is not None:
                cases["b_gb"] = lambda a=a, b=b: gbt.Game.from_arrays(a, b)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = compare_timings(cases, repeats=args.repeat, warmup=1)
            exact = t["exact"].result
            assert exact.complete and all(e.max_regret == 0.0 for e in exact)
            reference = [(e.strategies[0], e.strategies[1]) for e in exact]
            ref_total += len(reference)
            hits["float"] += _score(reference, [e.strategies for e in t["float"].result], a, b)[0]
            for key in ("gf", "gr"):
                if key in t:
                    hits[key] += _score(reference, _gambit_points(t[key].result), a, b)[0]
            if "se" in t:
                nashpy_ref += len(reference)
                for key in ("se", "ve"):
                    h, s = _score(reference, t[key].result, a, b)
                    hits[key] += h
                    bad[key] += s
            for key in per:
                per[key].append(t.get(key))
        agg = {key: median_of(v) for key, v in per.items()}

        def found(key, total):
            return f"({hits[key]}/{total})" if agg[key] is not None else ""

        def nash(key):
            if agg[key] is None:
                return "not run"
            return f"{cell(agg[key])} ({hits[key]}/{nashpy_ref}, {bad[key]})"

        rows.append(
            [
                n,
                len(games),
                ref_total,
                f"{cell(agg['exact'])} ({ref_total}/{ref_total})",
                f"{cell(agg['float'])} {found('float', ref_total)}",
                nash("se"),
                nash("ve"),
                f"{cell(agg['gf'])} {found('gf', ref_total)}".strip(),
                f"{cell(agg['gr'])} {found('gr', ref_total)}".strip(),
                cell(agg["b_cg"]),
                cell(agg["b_gb"]),
            ]
        )
    print(markdown_table(header, rows))


# -- symmetric threshold games ----------------------------------------------------------------
def threshold(args):
    from scipy import special, stats

    import coordgap as cg

    def naive_roots(gain, n):
        # Power-basis coefficients of the gain polynomial, numpy roots (eigenvalues of the
        # companion matrix). c_j = C(N-1, j) sum_k (-1)^(j-k) C(j, k) d_k.
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            j = np.arange(n)
            signs = (-1.0) ** (j[:, None] - j[None, :])
            change = special.comb(j[:, None], j[None, :]) * signs
            coef = special.comb(n - 1, j) * (change @ gain)
            try:
                roots = np.polynomial.polynomial.polyroots(coef)
            except Exception:
                return None
            real = roots[np.abs(roots.imag) < 1e-7].real
            return sorted(r for r in real if 0 < r < 1)

    rows = []
    for n in (10, 100, 1000):
        for t in sorted({2, n // 2, n}):
            peak = stats.binom.pmf(t - 1, n - 1, (t - 1) / (n - 1))
            benefit, cost = 2.0 / peak, 1.0
            gain = cg.SymmetricBinaryGame.threshold_public_good(
                n, t, benefit=benefit, cost=cost
            ).gain
            timing = compare_timings(
                {
                    "cg": lambda n=n, t=t, benefit=benefit: cg.solve(
                        cg.SymmetricBinaryGame.threshold_public_good(
                            n, t, benefit=benefit, cost=cost
                        )
                    ),
                    "naive": lambda gain=gain, n=n: naive_roots(gain, n),
                },
                repeats=args.repeat,
                warmup=1,
            )
            eqs, naive = timing["cg"].result, timing["naive"].result
            mixed = [e.probability for e in eqs if e.kind == "mixed"]
            if naive is None:
                naive_ok = "failed"
            else:
                matched = sum(any(abs(r - m) < 1e-6 for r in naive) for m in mixed)
                naive_ok = f"{matched}/{len(mixed)} (+{len(naive) - matched} spurious)"
            rows.append(
                [
                    n,
                    t,
                    len(eqs),
                    len(mixed),
                    f"{eqs.max_regret:.1e}",
                    cell(timing["cg"]),
                    naive_ok,
                    cell(timing["naive"]),
                ]
            )
    header = [
        "N",
        "T",
        "symmetric eq.",
        "mixed",
        "max regret",
        "coordgap (game + solve)",
        "numpy.roots found",
        "numpy.roots",
    ]
    print(markdown_table(header, rows))


# -- N-player binary-action games --------------------------------------------------------------
def _n_player_row(args, gbt, label, n, games):
    """One table row: coordgap's complete list against Gambit's enumpoly on the same games."""
    import coordgap as cg

    total, complete, g_found, g_bad, g_other = 0, 0, 0, 0, 0
    per = {"cg": [], "cgc": [], "gb": [], "b_cg": [], "b_gb": []}
    for payoffs in games:
        arrays = [payoffs[..., i] for i in range(n)]
        cases = {
            "cg": lambda payoffs=payoffs: cg.solve(cg.NormalFormGame(payoffs)),
            # the compiled branch and bound (the ``fast`` extra), loaded in the warm-up
            "cgc": lambda payoffs=payoffs: cg.solve(cg.NormalFormGame(payoffs), engine="numba"),
        }
        if gbt is not None:

            def gambit(arrays=arrays):
                g = gbt.Game.from_arrays(*arrays)
                return g, gbt.nash.enumpoly_solve(g)

            cases["gb"] = gambit
        cases["b_cg"] = lambda payoffs=payoffs: cg.NormalFormGame(payoffs)
        if gbt is not None:
            cases["b_gb"] = lambda arrays=arrays: gbt.Game.from_arrays(*arrays)
        t = compare_timings(cases, repeats=args.repeat, warmup=1)
        eqs = t["cg"].result
        game = t["b_cg"].result
        assert all(e.max_regret <= 1e-9 for e in eqs)
        fast = t["cgc"].result  # the same list from the compiled engine
        assert len(fast) == len(eqs) and fast.complete == eqs.complete
        total += len(eqs)
        complete += eqs.complete
        if "gb" in t:
            ours = [np.concatenate(e.strategies) for e in eqs]
            for point in _gambit_points(t["gb"].result):
                flat = np.concatenate([np.asarray(p, float) for p in point])
                if any(np.allclose(flat, o, atol=1e-6) for o in ours):
                    g_found += 1
                elif game.max_regret([np.asarray(p, float) for p in point]) > 1e-6:
                    g_bad += 1
                else:  # a valid point we do not list (inside a continuum)
                    g_other += 1
        for key in per:
            per[key].append(t.get(key))
    agg = {key: median_of(v) for key, v in per.items()}
    gambit_text = (
        f"{cell(agg['gb'])} ({g_found}/{total}, {g_bad}, {g_other})"
        if agg["gb"] is not None
        else "not run"
    )
    return [
        n,
        label,
        len(games),
        f"{total} ({complete}/{len(games)})",
        cell(agg["cg"]),
        cell(agg["cgc"]),
        gambit_text,
        cell(agg["b_cg"]),
        cell(agg["b_gb"]),
    ]


def n_player(args, gbt):
    from scipy import stats

    import coordgap as cg

    rows = []
    for kind in ("integers [-10, 10]", "normal(0, 1)"):
        for n in (3, 4, 5):
            rng = np.random.default_rng([args.seed, n, len(kind)])
            shape = (2,) * n + (n,)
            games = [
                rng.integers(-10, 11, size=shape)
                if kind.startswith("int")
                else rng.normal(size=shape)
                for _ in range(args.games)
            ]
            rows.append(_n_player_row(args, gbt, kind, n, games))
    # Threshold public goods as full tables: benefit b if at least T contribute, cost 1, with
    # b = 2 / max_p Binom(T-1; N-1, p) so that symmetric mixed equilibria exist; every
    # threshold 2 <= T <= N is one game (asymmetric mixed equilibria abound).
    for n in (3, 4, 5):
        games = []
        for t in range(2, n + 1):
            peak = stats.binom.pmf(t - 1, n - 1, (t - 1) / (n - 1))
            sym = cg.SymmetricBinaryGame.threshold_public_good(n, t, benefit=2.0 / peak, cost=1.0)
            games.append(sym.to_normal_form().payoffs)
        rows.append(_n_player_row(args, gbt, f"threshold public good, T = 2..{n}", n, games))
    header = [
        "N",
        "payoffs",
        "games",
        "equilibria listed (games complete)",
        "coordgap",
        "coordgap, compiled engine",
        "Gambit enumpoly (found, spurious, other valid)",
        "building the game alone: coordgap",
        "building the game alone: Gambit",
    ]
    print(markdown_table(header, rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5, help="random games per size")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per side")
    parser.add_argument("--quick", action="store_true", help="skip nashpy at n = 10")
    args = parser.parse_args()
    nashpy, gbt = optional_import("nashpy"), optional_import("pygambit")
    start = time.perf_counter()
    print(
        f"numpy {np.__version__}; {args.games} games per size, seed {args.seed}; every side: "
        f"1 warm-up call, {args.repeat} timed calls, interleaved. Cells: min / median wall ms "
        "(CPU min / median ms), median over the games; game construction included.\n"
    )
    two_player(args, nashpy, gbt)
    print()
    n_player(args, gbt)
    print()
    threshold(args)
    print(f"\n({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
