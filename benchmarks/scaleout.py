"""Scale-out: one robustness study (Monte Carlo over uncertain parameters, 3 designs) run with
``executor=`` on a dask LocalCluster with 1 and 2 worker processes, and in-process.

The same code runs on a multi-machine cluster: replace the LocalCluster by
``distributed.Client("tcp://scheduler:8786")`` and pass ``client.get_executor()``. Each block of
draws carries its own child SeedSequence, so the results are identical for any number of workers
(checked below). Every run is warmed up the same way first: one block of draws on the same
executor (imports, worker start-up and first-call costs are not timed).

Run: ``python benchmarks/scaleout.py [--draws 400] [--block 20]``
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy import stats

import coordgap as cg


def study(draws: int, block: int, executor=None):
    model = cg.PolicyModel.default()
    spec = cg.load_model()
    designs = [d for d in spec.designs if d.name in ("baseline", "procurement", "combined")]
    dists = {
        "preparedness.prob": stats.uniform(0.05, 0.1),
        "actors.*.registry.join_cost": stats.lognorm(0.3),
        "actors.*.registry.response_cost_median": stats.lognorm(0.3),
    }
    return cg.monte_carlo(
        model,
        designs,
        dists,
        n=draws,
        rng=2026,
        block=block,
        scale=list(dists)[1:],
        executor=executor,
        target=("credible_coverage", 0.4),
    )


def main() -> None:
    import distributed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=400)
    parser.add_argument("--block", type=int, default=20)
    args = parser.parse_args()
    study(args.block, args.block)  # warm-up, as for the workers below
    start = time.perf_counter()
    reference = study(args.draws, args.block)
    t_local = time.perf_counter() - start
    rows = [("in process (executor=None)", t_local)]
    for workers in (1, 2):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = distributed.Client(cluster)
        try:
            study(args.block * workers, args.block, executor=client.get_executor())  # warm-up
            start = time.perf_counter()
            res = study(args.draws, args.block, executor=client.get_executor())
            elapsed = time.perf_counter() - start
        finally:
            client.close()
            cluster.close()
        same = np.array_equal(
            res.draws.select_dtypes("number").to_numpy(),
            reference.draws.select_dtypes("number").to_numpy(),
        )
        rows.append(
            (f"dask LocalCluster, {workers} worker(s){'' if same else ' (DIFFERENT)'}", elapsed)
        )
    print(f"| run ({args.draws} draws x 3 designs) | time (s) | speed-up vs 1 worker |")
    print("|---|---:|---:|")
    one = rows[1][1]
    for name, t in rows:
        print(f"| {name} | {t:.2f} | {one / t:.2f}x |")


if __name__ == "__main__":
    main()
