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

Gambit (pygambit, GPL) is never imported by coordgap or this script's main process: pass
``--gambit-python`` with the interpreter of a separate environment where pygambit is
installed, and the script runs itself there in worker mode (``--gambit-worker``), timing
``enummixed_solve`` (float and rational) on the same games.

Usage::

    python benchmarks/normal_form.py [--games 5] [--quick] [--gambit-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np


def _timed(fn, repeats):
    """Best of ``repeats`` runs (as the Gambit worker times its side), and the last result."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


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


# -- Gambit worker (runs in the peer environment; imports nothing from coordgap) --------------
def gambit_worker(path):
    import pygambit as gbt

    games = json.loads(Path(path).read_text())
    out = []
    for entry in games:
        if "P" in entry:  # N-player game: Gambit's polynomial method
            payoffs = np.array(entry["P"])
            n_players = payoffs.shape[-1]
            best, eqs = math.inf, None
            for _ in range(entry["repeats"]):
                g = gbt.Game.from_arrays(*[payoffs[..., i] for i in range(n_players)])
                start = time.perf_counter()
                eqs = gbt.nash.enumpoly_solve(g).equilibria
                best = min(best, time.perf_counter() - start)
            points = [[[float(e[s]) for s in p.strategies] for p in g.players] for e in eqs]
            out.append({"enumpoly": {"time": best, "points": points}})
            continue
        a, b = np.array(entry["A"]), np.array(entry["B"])
        row = {}
        for rational in (False, True):
            best, eqs = math.inf, None
            for _ in range(entry["repeats"]):
                g = gbt.Game.from_arrays(a, b)
                start = time.perf_counter()
                eqs = gbt.nash.enummixed_solve(g, rational=rational).equilibria
                best = min(best, time.perf_counter() - start)
            points = [[[float(e[s]) for s in p.strategies] for p in g.players] for e in eqs]
            row["rational" if rational else "float"] = {"time": best, "points": points}
        out.append(row)
    print(json.dumps(out))


def run_gambit(python, games, repeats):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "games.json"
        path.write_text(
            json.dumps(
                [
                    {"P": g.tolist(), "repeats": repeats}
                    if isinstance(g, np.ndarray)
                    else {"A": g[0].tolist(), "B": g[1].tolist(), "repeats": repeats}
                    for g in games
                ]
            )
        )
        done = subprocess.run(
            [python, __file__, "--gambit-worker", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print("gambit worker failed:", done.stderr.strip().splitlines()[-1:], file=sys.stderr)
        return None
    return json.loads(done.stdout)


# -- two-player table -----------------------------------------------------------------------
def two_player(args):
    import nashpy

    import coordgap as cg

    rows = []
    for n in (4, 6, 8, 10):
        games = _games(n, args.games, args.seed)
        nashpy_games = 1 if (n == 10) else len(games)
        if args.quick and n == 10:
            nashpy_games = 0
        gambit = run_gambit(args.gambit_python, games, 3) if args.gambit_python else None
        agg = {
            k: []
            for k in (
                "ref",
                "t_exact",
                "t_float",
                "float_found",
                "t_se",
                "se_found",
                "se_bad",
                "t_ve",
                "ve_found",
                "ve_bad",
                "t_gf",
                "gf_found",
                "t_gr",
                "gr_found",
                "nashpy_ref",
            )
        }
        for k, (a, b) in enumerate(games):
            game = cg.NormalFormGame.from_bimatrix(a, b)
            t_exact, exact = _timed(lambda: cg.solve(game), 3)
            assert exact.complete and all(e.max_regret == 0.0 for e in exact)
            reference = [(e.strategies[0], e.strategies[1]) for e in exact]
            agg["ref"].append(len(reference))
            fgame = cg.NormalFormGame.from_bimatrix(a.astype(float), b.astype(float))
            t_float, floats = _timed(lambda: cg.solve(fgame, method="float"), 3)
            agg["t_exact"].append(t_exact)
            agg["t_float"].append(t_float)
            agg["float_found"].append(_score(reference, [e.strategies for e in floats], a, b)[0])
            if k < nashpy_games:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    reps = 1 if n >= 8 else 3
                    t_se, se = _timed(lambda: list(nashpy.Game(a, b).support_enumeration()), reps)
                    t_ve, ve = _timed(lambda: list(nashpy.Game(a, b).vertex_enumeration()), reps)
                hits, bad = _score(reference, se, a, b)
                agg["t_se"].append(t_se)
                agg["se_found"].append(hits)
                agg["se_bad"].append(bad)
                hits, bad = _score(reference, ve, a, b)
                agg["t_ve"].append(t_ve)
                agg["ve_found"].append(hits)
                agg["ve_bad"].append(bad)
                agg["nashpy_ref"].append(len(reference))
            if gambit is not None:
                for key, label in (("float", "gf"), ("rational", "gr")):
                    entry = gambit[k][key]
                    agg[f"t_{label}"].append(entry["time"])
                    agg[f"{label}_found"].append(_score(reference, entry["points"], a, b)[0])
        rows.append((n, len(games), nashpy_games, agg))
    return rows


def print_two_player(rows, gambit):
    def med(v):
        return f"{1e3 * statistics.median(v):.1f}" if v else "–"

    head = (
        "| n | games | extreme eq. (total) | coordgap exact ms | coordgap float ms "
        "(found) | nashpy support_enum ms (found, spurious) | nashpy vertex_enum ms "
        "(found, spurious) |"
    )
    if gambit:
        head += " Gambit enummixed float ms (found) | Gambit enummixed rational ms (found) |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for n, count, nashpy_games, agg in rows:
        ref = sum(agg["ref"])
        nref = sum(agg["nashpy_ref"])
        line = (
            f"| {n} | {count} | {ref} | {med(agg['t_exact'])} | {med(agg['t_float'])} "
            f"({sum(agg['float_found'])}/{ref}) | "
        )
        if nashpy_games:
            line += (
                f"{med(agg['t_se'])} ({sum(agg['se_found'])}/{nref}, "
                f"{sum(agg['se_bad'])}) | {med(agg['t_ve'])} ({sum(agg['ve_found'])}/"
                f"{nref}, {sum(agg['ve_bad'])}) |"
            )
        else:
            line += "not run | not run |"
        if gambit:
            line += (
                f" {med(agg['t_gf'])} ({sum(agg['gf_found'])}/{ref}) | "
                f"{med(agg['t_gr'])} ({sum(agg['gr_found'])}/{ref}) |"
            )
        print(line)


# -- symmetric threshold games ----------------------------------------------------------------
def threshold(args):
    from scipy import special, stats

    import coordgap as cg

    rows = []
    for n in (10, 100, 1000):
        for t in sorted({2, n // 2, n}):
            peak = stats.binom.pmf(t - 1, n - 1, (t - 1) / (n - 1))
            benefit, cost = 2.0 / peak, 1.0
            game = cg.SymmetricBinaryGame.threshold_public_good(n, t, benefit=benefit, cost=cost)
            elapsed, eqs = _timed(lambda: cg.solve(game), 3)
            mixed = [e.probability for e in eqs if e.kind == "mixed"]
            # Naive route: power-basis coefficients of the gain polynomial, numpy roots
            # (eigenvalues of the companion matrix). c_j = C(N-1, j) sum_k (-1)^(j-k) C(j, k) d_k.
            start = time.perf_counter()
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                j = np.arange(n)
                signs = (-1.0) ** (j[:, None] - j[None, :])
                change = special.comb(j[:, None], j[None, :]) * signs
                coef = special.comb(n - 1, j) * (change @ game.gain)
                try:
                    roots = np.polynomial.polynomial.polyroots(coef)
                    real = roots[np.abs(roots.imag) < 1e-7].real
                    naive = sorted(r for r in real if 0 < r < 1)
                except Exception:
                    naive = None
            naive_time = time.perf_counter() - start
            if naive is None:
                naive_ok = "failed"
            else:
                matched = sum(any(abs(r - m) < 1e-6 for r in naive) for m in mixed)
                naive_ok = f"{matched}/{len(mixed)} (+{len(naive) - matched} spurious)"
            rows.append((n, t, len(eqs), len(mixed), eqs.max_regret, elapsed, naive_ok, naive_time))
    print(
        "| N | T | symmetric eq. | mixed | max regret | coordgap ms | numpy.roots found "
        "| numpy.roots ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n, t, total, mixed, regret, elapsed, naive_ok, naive_time in rows:
        print(
            f"| {n} | {t} | {total} | {mixed} | {regret:.1e} | {1e3 * elapsed:.1f} | "
            f"{naive_ok} | {1e3 * naive_time:.1f} |"
        )


# -- N-player binary-action games --------------------------------------------------------------
def _n_player_row(args, label, n, games):
    """One table row: coordgap's complete list against Gambit's enumpoly on the same games."""
    import coordgap as cg

    gambit = run_gambit(args.gambit_python, games, 1) if args.gambit_python else None
    total, complete, times, g_times, g_found, g_bad, g_other = 0, 0, [], [], 0, 0, 0
    for k, payoffs in enumerate(games):
        game = cg.NormalFormGame(payoffs)
        elapsed, eqs = _timed(lambda: cg.solve(game), 3)
        assert all(e.max_regret <= 1e-9 for e in eqs)
        total += len(eqs)
        complete += eqs.complete
        times.append(elapsed)
        if gambit is not None:
            entry = gambit[k]["enumpoly"]
            g_times.append(entry["time"])
            ours = [np.concatenate(e.strategies) for e in eqs]
            for point in entry["points"]:
                flat = np.concatenate([np.asarray(p, float) for p in point])
                if any(np.allclose(flat, o, atol=1e-6) for o in ours):
                    g_found += 1
                elif game.max_regret([np.asarray(p, float) for p in point]) > 1e-6:
                    g_bad += 1
                else:  # a valid point we do not list (inside a continuum)
                    g_other += 1
    gambit_text = (
        f"{1e3 * statistics.median(g_times):.1f} ({g_found}/{total}, {g_bad}, {g_other})"
        if g_times
        else "not run"
    )
    print(
        f"| {n} | {label} | {len(games)} | {total} ({complete}/{len(games)}) | "
        f"{1e3 * statistics.median(times):.1f} | {gambit_text} |"
    )


def n_player(args):
    from scipy import stats

    import coordgap as cg

    print(
        "| N | payoffs | games | equilibria listed (games complete) | coordgap ms | "
        "Gambit enumpoly ms (found, spurious, other valid) |"
    )
    print("|---|---|---|---|---|---|")
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
            _n_player_row(args, kind, n, games)
    # Threshold public goods as full tables: benefit b if at least T contribute, cost 1, with
    # b = 2 / max_p Binom(T-1; N-1, p) so that symmetric mixed equilibria exist; every
    # threshold 2 <= T <= N is one game (asymmetric mixed equilibria abound).
    for n in (3, 4, 5):
        games = []
        for t in range(2, n + 1):
            peak = stats.binom.pmf(t - 1, n - 1, (t - 1) / (n - 1))
            sym = cg.SymmetricBinaryGame.threshold_public_good(n, t, benefit=2.0 / peak, cost=1.0)
            games.append(sym.to_normal_form().payoffs)
        _n_player_row(args, f"threshold public good, T = 2..{n}", n, games)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5, help="random games per size")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true", help="skip nashpy at n = 10")
    parser.add_argument("--gambit-python", help="interpreter of an environment with pygambit")
    parser.add_argument("--gambit-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gambit_worker:
        gambit_worker(args.gambit_worker)
        return
    print(f"numpy {np.__version__}; {args.games} games per size, seed {args.seed}\n")
    rows = two_player(args)
    print_two_player(rows, bool(args.gambit_python))
    print()
    n_player(args)
    print()
    threshold(args)


if __name__ == "__main__":
    main()
