"""Benchmark: logit QRE and collective-risk gradients against peers.

Runs coordgap in this interpreter and, if ``--peer-python`` points to an interpreter of a
separate environment with ``pygambit`` and ``egttools`` installed (they are GPL and never a
dependency of coordgap), the same problems there, via a subprocess that exchanges JSON.

Usage::

    python benchmarks/qre_dynamics.py [--peer-python /path/to/other/env/bin/python] [--repeat 5]

Prints a Markdown table (the one in benchmarks/README.md, section "QRE, dynamics and classic
models").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import warnings

import numpy as np

import coordgap as cg

PEER_SCRIPT = r"""
import json, sys, time
import numpy as np
spec = json.load(sys.stdin)
out = {"qre": [], "crd": []}
try:
    import pygambit as gbt
    for case in spec["qre"]:
        a, b = np.array(case["A"], float), np.array(case["B"], float)
        times, strat = [], None
        for _ in range(spec["repeat"]):
            g = gbt.Game.from_arrays(a, b)
            t0 = time.perf_counter()
            res = gbt.qre.logit_solve_lambda(g, lam=[case["lam"]])
            times.append(time.perf_counter() - t0)
            prof = res[0].profile
            strat = [[float(prof[s]) for s in pl.strategies] for pl in g.players]
        out["qre"].append({"time": float(np.median(times)), "strategies": strat})
except Exception as exc:  # report, do not fail
    out["qre_error"] = repr(exc)
try:
    import egttools as egt
    for case in spec["crd"]:
        game = egt.games.OneShotCRD(case["b"], case["c"], case["r"], case["N"], case["M"])
        times = []
        for _ in range(spec["repeat"]):
            t0 = time.perf_counter()
            pc = egt.analytical.PairwiseComparison(case["Z"], game)
            grad = [float(pc.calculate_gradient_of_selection(case["beta"],
                    np.array([case["Z"] - k, k]))[1]) for k in range(case["Z"] + 1)]
            times.append(time.perf_counter() - t0)
        xs = np.linspace(0, 1, 101)
        t0 = time.perf_counter()
        inf = [float(egt.analytical.replicator_equation_n_player(np.array([1 - x, x]),
               game.payoffs(), case["N"])[1]) for x in xs]
        t_inf = time.perf_counter() - t0
        out["crd"].append({"time": float(np.median(times)), "gradient": grad,
                           "infinite": inf, "time_infinite": t_inf})
except Exception as exc:
    out["crd_error"] = repr(exc)
json.dump(out, sys.stdout)
"""


def median_time(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), result


def qre_cases(rng):
    cases = []
    for n in (2, 3, 5):
        for lam in (1.0, 5.0, 20.0):
            a = rng.integers(-10, 11, (n, n))
            b = rng.integers(-10, 11, (n, n))
            cases.append({"A": a.tolist(), "B": b.tolist(), "lam": lam, "n": n})
    return cases


def crd_cases():
    return [
        {"N": 6, "M": 3, "r": r, "c": 0.1, "b": 1.0, "Z": z, "beta": 2.0}
        for r in (0.2, 0.5, 0.9)
        for z in (50, 500)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    qcases, ccases = qre_cases(rng), crd_cases()

    peer = {}
    if args.peer_python:
        spec = {"qre": qcases, "crd": ccases, "repeat": args.repeat}
        proc = subprocess.run(
            [args.peer_python, "-c", PEER_SCRIPT],
            input=json.dumps(spec),
            capture_output=True,
            text=True,
            check=False,
        )
        peer = json.loads(proc.stdout) if proc.returncode == 0 else {"error": proc.stderr}
        for key in ("error", "qre_error", "crd_error"):
            if key in peer:
                print(f"peer {key}: {peer[key]}", file=sys.stderr)

    print(
        "| game | λ | coordgap all-QRE: n, time | coordgap principal branch: time, status "
        "| pygambit logit_solve_lambda: time | max abs diff (branch vs gambit) |"
    )
    print("|---|---|---|---|---|---|")
    for i, case in enumerate(qcases):
        game = cg.NormalFormGame.from_bimatrix(np.array(case["A"]), np.array(case["B"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case["n"] == 2:
                t_all, res_all = median_time(lambda: cg.qre(game, case["lam"]), args.repeat)
                all_cell = f"{len(res_all)}, {t_all * 1e3:.2f} ms"
            else:
                all_cell = "n/a (not 2x2)"
            t_br, res_br = median_time(
                lambda: cg.qre(game, case["lam"], method="branch"), args.repeat
            )
        status = "ok" if res_br.success else f"status {res_br.status}"
        gam = peer.get("qre", [])
        if i < len(gam) and res_br.success:
            theirs = np.concatenate([np.array(s) for s in gam[i]["strategies"]])
            ours = np.concatenate(res_br[0].strategies)
            diff = f"{np.max(np.abs(theirs - ours)):.1e}"
            gtime = f"{gam[i]['time'] * 1e3:.2f} ms"
        else:
            diff, gtime = "—", "not run" if not gam else gam[i]["time"] * 1e3
        print(
            f"| {case['n']}x{case['n']} random | {case['lam']:g} | {all_cell} | "
            f"{t_br * 1e3:.2f} ms, {status} | {gtime} | {diff} |"
        )

    print()
    print(
        "| CRD N=6, M=3, c=0.1 | Z | coordgap gradient_finite (all k, 'Z-1'): time "
        "| egttools PairwiseComparison (all k): time | max abs diff | "
        "infinite-pop. gradient max abs diff (101 x) |"
    )
    print("|---|---|---|---|---|---|")
    for i, case in enumerate(ccases):
        crd = cg.classics.CollectiveRiskDilemma(
            case["N"], case["M"], case["r"], case["c"], case["b"]
        )
        ks = np.arange(case["Z"] + 1)
        t_ours, grad = median_time(
            lambda: crd.gradient_finite(ks, case["Z"], case["beta"], "Z-1"), args.repeat
        )
        eg = peer.get("crd", [])
        if i < len(eg):
            diff = f"{np.max(np.abs(np.array(eg[i]['gradient']) - grad)):.1e}"
            inf = crd.gradient(np.linspace(0, 1, 101))
            diff_inf = f"{np.max(np.abs(np.array(eg[i]['infinite']) - inf)):.1e}"
            etime = f"{eg[i]['time'] * 1e3:.2f} ms"
        else:
            diff = diff_inf = "—"
            etime = "not run"
        print(
            f"| r={case['r']} | {case['Z']} | {t_ours * 1e3:.3f} ms | {etime} | {diff} | "
            f"{diff_inf} |"
        )


if __name__ == "__main__":
    main()
