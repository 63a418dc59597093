"""Benchmark: the Scenario Response Registry (M6) — checks and tabletop exercises at scale.

1. ``registry.check()`` on synthetic registries (``coordgap.registry.synthetic``) with
   n_filings = 10 × n_scenarios, doubling up to and past 10^4 filings against 10^3 scenarios
   (goal: under 5 s there). Building the registry (validating every record and cross reference)
   is timed separately.
2. ``registry.tabletop(scenario, n_runs)`` for doubling n_runs up to and past 10^4 (goal: 10^4
   runs under 5 s), on the sample registry's ``agent_self_replication`` scenario and on the
   synthetic scenario with the most plans.

Run: ``python benchmarks/registry.py [--repeat 3] [--quick]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

import coordgap as cg
from coordgap.registry import synthetic


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def bench_check(sizes, repeat):
    print(
        "\n| scenarios | filings | build registry (s) | check (s) | check ratio to previous | "
        "findings |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    previous = None
    for n_scenarios in sizes:
        n_filings = 10 * n_scenarios
        start = time.perf_counter()
        reg = synthetic(n_scenarios, n_filings, rng=0)
        build = time.perf_counter() - start
        seconds, report = timed(reg.check, repeat)
        ratio = "" if previous is None else f"{seconds / previous:.2f}x"
        previous = seconds
        print(
            f"| {n_scenarios:,} | {n_filings:,} | {build:.2f} | {seconds:.2f} | {ratio} | "
            f"{len(report.findings):,} |"
        )


def bench_tabletop(registry, scenario_id, runs, repeat, label):
    n_plans = len(registry.tabletop(scenario_id, 1, rng=0).filings)
    print(
        f"\n{label}: scenario {scenario_id!r}, {n_plans} plans, "
        f"{len(registry.scenario(scenario_id).functions)} required functions"
    )
    print("\n| runs | tabletop (s) | ratio to previous | µs per run | p_coordinated |")
    print("|---:|---:|---:|---:|---:|")
    previous = None
    for n in runs:
        seconds, ex = timed(lambda n=n: registry.tabletop(scenario_id, n, rng=1), repeat)
        ratio = "" if previous is None else f"{seconds / previous:.2f}x"
        previous = seconds
        print(
            f"| {n:,} | {seconds:.3f} | {ratio} | {1e6 * seconds / n:.1f} | "
            f"{ex.p_coordinated:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    args = parser.parse_args()
    print(
        f"coordgap {cg.__version__}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, {platform.machine()}"
    )
    sizes = [125, 250, 500] if args.quick else [250, 500, 1000, 2000, 4000]
    runs = [2500, 5000, 10_000] if args.quick else [2500, 5000, 10_000, 20_000, 40_000, 80_000]
    bench_check(sizes, args.repeat)
    bench_tabletop(
        cg.load_registry(), "agent_self_replication", runs, args.repeat, "Sample registry"
    )
    big = synthetic(1000, 10_000, rng=0)
    counts = {}
    for f in big.filings:
        for sid in big.addressed(f):
            counts[sid] = counts.get(sid, 0) + 1
    busiest = max(counts, key=counts.get)
    bench_tabletop(
        big, busiest, runs, args.repeat, "Synthetic registry (10^3 scenarios, 10^4 filings)"
    )


if __name__ == "__main__":
    main()
