"""Benchmark: how long ``import coordgap`` and the ``coordgap`` command take to start.

Each measurement is a fresh interpreter (``python -c ...``), interleaved with the same number of
runs of the baseline (``import numpy``, which every use of coordgap needs) so that machine load
lands on both sides alike; one untimed warm-up run of each fills the file-system cache first.
Reported: the median wall time over ``--repeat`` runs.

Run: ``python benchmarks/import_time.py [--repeat 15]``
"""

from __future__ import annotations

import argparse
import platform
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


def _once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    commands = {name: _command(code) for name, code in CASES.items()}
    for command in commands.values():  # warm-up: file-system cache, .pyc files
        _once(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):  # interleaved, so load changes hit every case alike
        for name, command in commands.items():
            times[name].append(_once(command))
    print(
        f"# Python {platform.python_version()}, {platform.machine()}, median of "
        f"{args.repeat} interleaved runs, one warm-up each"
    )
    print("| case | median (s) |\n|---|---:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} |")


if __name__ == "__main__":
    main()
