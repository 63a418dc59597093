"""Benchmark: logit QRE and collective-risk gradients against peers.

Logit QRE: coordgap's principal branch (and, on 2x2 games, its complete all-QRE path) against
pygambit's ``qre.logit_solve_lambda`` on the same random games. Collective-risk dilemma (CRD):
coordgap's finite-population gradient of selection against egttools' ``PairwiseComparison``,
and the infinite-population gradient against ``replicator_equation_n_player``.

Timing (``benchmarks/harness.py``, the same for every side): one untimed warm-up call and
``--repeat`` timed calls per side, interleaved (coordgap, peer, coordgap, peer, ...) in one
interpreter; min and median of wall and CPU time.

- QRE: "game + solve" builds the game object from the payoff arrays inside the timed region on
  both sides (``cg.NormalFormGame.from_bimatrix``, ``pygambit.Game.from_arrays``); "solve only"
  reuses a game built once.
- CRD, cold: coordgap's (N, Z) caches (the hypergeometric group laws) are cleared before every
  call, outside the timed region, and the ``CollectiveRiskDilemma`` is built inside it; egttools
  builds its ``OneShotCRD`` and ``PairwiseComparison`` inside it.
- CRD, warm: both objects built once outside the timed region; coordgap's cache warm.

The peers (pygambit and egttools, both GPL) are imported only if installed, as in the scratch
environment of ``benchmarks/peers/run.sh``; they are never a dependency of coordgap. Without
them their columns read "not run".

Usage::

    python benchmarks/qre_dynamics.py [--repeat 5]

Prints Markdown tables (the ones in benchmarks/README.md, section "QRE, dynamics and classic
models").
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import cell, compare_timings, markdown_table, optional_import

import coordgap as cg


def crd_cache_clearers():
    """``cache_clear`` of every functools cache that a CRD gradient can hit.

    The (N, Z) group laws are cached in the dynamics solver; the classic's own module is
    scanned too, so that a cache moved there is still cleared.
    """
    import coordgap.classics.collective_risk as crd_module
    import coordgap.solvers.dynamics as dynamics_module

    clearers = []
    for module in (crd_module, dynamics_module):
        for obj in vars(module).values():
            clear = getattr(obj, "cache_clear", None)
            if callable(clear) and not isinstance(obj, type):
                clearers.append(clear)
    if not clearers:
        raise RuntimeError("no cache found for the CRD gradient: the cold timing would be warm")
    return clearers


def qre_cases(rng):
    cases = []
    for n in (2, 3, 5):
        for lam in (1.0, 5.0, 20.0):
            a = rng.integers(-10, 11, (n, n))
            b = rng.integers(-10, 11, (n, n))
            cases.append({"A": a, "B": b, "lam": lam, "n": n})
    return cases


def crd_cases():
    return [
        {"N": 6, "M": 3, "r": r, "c": 0.1, "b": 1.0, "Z": z, "beta": 2.0}
        for r in (0.2, 0.5, 0.9)
        for z in (50, 500)
    ]


def qre_table(args, gbt):
    header = [
        "game",
        "λ",
        "coordgap all-QRE, game + solve: n",
        "coordgap all-QRE, game + solve",
        "coordgap principal branch, game + solve (status)",
        "pygambit logit_solve_lambda, game + solve",
        "coordgap principal branch, solve only",
        "pygambit, solve only",
        "max abs diff (branch vs Gambit)",
    ]
    rows = []
    for case in qre_cases(np.random.default_rng(20240601)):
        a, b, lam, n = case["A"], case["B"], case["lam"], case["n"]
        game = cg.NormalFormGame.from_bimatrix(a, b)
        cases = {
            "branch": lambda a=a, b=b, lam=lam: cg.qre(
                cg.NormalFormGame.from_bimatrix(a, b), lam, method="branch"
            ),
        }
        if gbt is not None:

            def gambit(a=a, b=b, lam=lam, g=None):
                g = gbt.Game.from_arrays(a, b) if g is None else g
                return g, gbt.qre.logit_solve_lambda(g, lam=[lam])

            g_built = gbt.Game.from_arrays(a, b)
            cases["gambit"] = gambit
        if n == 2:
            cases["all"] = lambda a=a, b=b, lam=lam: cg.qre(
                cg.NormalFormGame.from_bimatrix(a, b), lam
            )
        cases["branch_only"] = lambda game=game, lam=lam: cg.qre(game, lam, method="branch")
        if gbt is not None:
            cases["gambit_only"] = lambda gambit=gambit, g_built=g_built: gambit(g=g_built)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = compare_timings(cases, repeats=args.repeat, warmup=1)
        res_br = t["branch"].result
        status = "ok" if res_br.success else f"status {res_br.status}"
        diff = "—"
        if "gambit" in t and res_br.success:
            g, res = t["gambit"].result
            prof = res[0].profile
            theirs = np.array([float(prof[s]) for pl in g.players for s in pl.strategies])
            ours = np.concatenate(res_br[0].strategies)
            diff = f"{np.max(np.abs(theirs - ours)):.1e}"
        rows.append(
            [
                f"{n}x{n} random",
                f"{lam:g}",
                len(t["all"].result) if "all" in t else "n/a (not 2x2)",
                cell(t.get("all")) if "all" in t else "—",
                f"{cell(t['branch'])} ({status})",
                cell(t.get("gambit")),
                cell(t["branch_only"]),
                cell(t.get("gambit_only")),
                diff,
            ]
        )
    print(markdown_table(header, rows))


def _egt_gradient(pc, z, beta):
    return np.array(
        [
            float(pc.calculate_gradient_of_selection(beta, np.array([z - k, k]))[1])
            for k in range(z + 1)
        ]
    )


def crd_table(args, egt):
    clearers = crd_cache_clearers()

    def clear_all():
        for clear in clearers:
            clear()

    header = [
        "CRD N=6, M=3, c=0.1",
        "Z",
        "cold: coordgap (cache cleared, object built)",
        "cold: egttools (objects built)",
        "warm: coordgap (object built once, cache warm)",
        "warm: egttools (PairwiseComparison built once)",
        "max abs diff",
        "infinite-pop. gradient max abs diff (101 x)",
    ]
    rows = []
    for case in crd_cases():
        nn, m, r, c, b, z, beta = (case[k] for k in ("N", "M", "r", "c", "b", "Z", "beta"))
        ks = np.arange(z + 1)
        crd = cg.classics.CollectiveRiskDilemma(nn, m, r, c, b)
        cold = {
            "cg": lambda: cg.classics.CollectiveRiskDilemma(nn, m, r, c, b).gradient_finite(
                ks, z, beta, "Z-1"
            )
        }
        warm = {"cg": lambda crd=crd: crd.gradient_finite(ks, z, beta, "Z-1")}
        if egt is not None:

            def egt_cold():
                # Keep the game referenced: PairwiseComparison holds it by reference.
                egt_game = egt.games.OneShotCRD(b, c, r, nn, m)
                pc = egt.analytical.PairwiseComparison(z, egt_game)
                return _egt_gradient(pc, z, beta)

            cold["egt"] = egt_cold
            egt_game = egt.games.OneShotCRD(b, c, r, nn, m)
            pc = egt.analytical.PairwiseComparison(z, egt_game)
            warm["egt"] = lambda pc=pc: _egt_gradient(pc, z, beta)
        t_cold = compare_timings(cold, repeats=args.repeat, warmup=1, setup_each={"cg": clear_all})
        t_warm = compare_timings(warm, repeats=args.repeat, warmup=1)
        grad = t_warm["cg"].result
        assert np.array_equal(grad, t_cold["cg"].result, equal_nan=True)
        diff = diff_inf = "—"
        if egt is not None:
            diff = f"{np.max(np.abs(t_warm['egt'].result - grad)):.1e}"
            xs = np.linspace(0, 1, 101)
            inf = [
                float(
                    egt.analytical.replicator_equation_n_player(
                        np.array([1 - x, x]), egt_game.payoffs(), nn
                    )[1]
                )
                for x in xs
            ]
            diff_inf = f"{np.max(np.abs(np.array(inf) - crd.gradient(xs))):.1e}"
        rows.append(
            [
                f"r={r}",
                z,
                cell(t_cold["cg"]),
                cell(t_cold.get("egt")),
                cell(t_warm["cg"]),
                cell(t_warm.get("egt")),
                diff,
                diff_inf,
            ]
        )
    print(markdown_table(header, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per side")
    args = parser.parse_args()
    gbt, egt = optional_import("pygambit"), optional_import("egttools")
    print(
        f"Every side: 1 warm-up call, {args.repeat} timed calls, interleaved. Cells: min / "
        "median wall ms (CPU min / median ms).\n"
    )
    qre_table(args, gbt)
    print()
    crd_table(args, egt)


if __name__ == "__main__":
    main()
