"""Benchmark: how long ``import coordgap`` and the ``coordgap`` command take to start.

Each measurement is a fresh interpreter (``python -c ...``), interleaved with the same number of
runs of the baseline (``import numpy``, which every use of coordgap needs) so that machine load
lands on both sides alike; one untimed warm-up run of each fills the file-system cache first.
Reported: min and median wall time over ``--repeat`` runs, and the median CPU time of the child
process (user + system, from ``resource.getrusage(RUSAGE_CHILDREN)``).

Run: ``python benchmarks/import_time.py [--repeat 15] [--tree NAME=PATH ...]``. With ``--tree``,
every case runs against each source tree (``PATH/src`` first on ``sys.path``), interleaved, so
two versions of coordgap are compared under the same load.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

CASES = {
    "python (no import)": "pass",
    "import numpy": "import numpy",
    "import coordgap": "import coordgap",
    "import coordgap; cg.PreparednessGame": "import coordgap as cg; cg.PreparednessGame",
    "import coordgap; cg.compare": "import coordgap as cg; cg.compare",
    # What every ``coordgap`` command pays before it starts working:
    "coordgap command line": (
        "import sys; from coordgap.cli import main; sys.exit(main(['--version']))"
    ),
}


def _command(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _once(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU time of one run of ``command`` in a fresh process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start, _children_cpu() - cpu


def _env(tree: str | None) -> dict | None:
    if tree is None:
        return None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(tree, "src")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH")
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"installed": None}
    runs = [
        (name, tree, _command(code), _env(path))
        for name, code in CASES.items()
        for tree, path in trees.items()
    ]
    for _, _, command, env in runs:  # warm-up: file-system cache, .pyc files
        _once(command, env)
    times: dict[tuple[str, str], list[tuple[float, float]]] = {(n, t): [] for n, t, _, _ in runs}
    for _ in range(args.repeat):  # interleaved, so load changes hit every case alike
        for name, tree, command, env in runs:
            times[name, tree].append(_once(command, env))
    print(
        f"# Python {platform.python_version()}, {platform.machine()}, median of "
        f"{args.repeat} interleaved runs, one warm-up each"
    )
    print("| case | " + " | ".join(f"{t}: wall min / median, CPU median (s)" for t in trees) + " |")
    print("|---|" + "---:|" * len(trees))
    for name in CASES:
        cells = []
        for t in trees:
            wall = [w for w, _ in times[name, t]]
            cpu = [c for _, c in times[name, t]]
            cells.append(
                f"{min(wall):.3f} / {statistics.median(wall):.3f}, {statistics.median(cpu):.3f}"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
