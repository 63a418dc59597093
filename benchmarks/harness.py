"""Shared timing harness for every benchmark that compares coordgap with a peer or a baseline.

One rule for every side of a comparison, so that no side gets an advantage from the harness:

- every side gets the same number of untimed warm-up calls (default 1) and the same number of
  timed repeats;
- the calls are interleaved: warm-up rounds, then ``repeats`` rounds, and in every round each
  side is called once, in the order given (coordgap, peer, coordgap, peer, ...), so that a change
  of machine load lands on both sides rather than in the ratio;
- everything runs in one interpreter (the peers' environment has coordgap installed too);
- each call is timed by wall time (``time.perf_counter``) and CPU time of the process
  (``time.process_time``, all threads: above the wall time when numpy uses both cores);
- min and median over the repeats are reported for both clocks;
- work that must not be timed (clearing a cache before a cold call) goes in ``setup_each``,
  which runs before every call of that side, warm-ups included, outside the timed region.

Sub-millisecond calls can be looped (``min_sample``): the number of calls per sample is fixed
per side, from the faster of its warm-up call and one more untimed call right after it (every
looped side gets that extra call), so that a sample lasts about ``min_sample`` seconds; times are
reported per call. Sides with a ``setup_each`` are never looped.

Import it from a script in ``benchmarks/`` (the script's directory is on ``sys.path``) or add
``benchmarks/`` to ``sys.path`` first (``benchmarks/peers/quantecon_check.py`` does).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "optional_import",
    "Timing",
    "compare_timings",
    "fmt_ms",
    "cell",
    "short_cell",
    "ratio",
    "markdown_table",
    "median_of",
    "Stats",
]


@dataclass
class Timing:
    """Per-call times of one side (seconds), and the result of its last call."""

    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    calls: int = 1
    result: Any = None

    @property
    def min_wall(self) -> float:
        return min(self.wall)

    @property
    def med_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def min_cpu(self) -> float:
        return min(self.cpu)

    @property
    def med_cpu(self) -> float:
        return statistics.median(self.cpu)


def _one(fn: Callable[[], Any], calls: int, setup: Callable[[], Any] | None):
    if setup is not None:
        setup()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(calls):
        out = fn()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return wall / calls, cpu / calls, out


def compare_timings(
    cases: Mapping[str, Callable[[], Any]],
    repeats: int = 5,
    warmup: int = 1,
    setup_each: Callable[[], Any] | Mapping[str, Callable[[], Any]] | None = None,
    min_sample: float = 0.0,
) -> dict[str, Timing]:
    """Time zero-argument callables side by side, interleaved round by round.

    Parameters
    ----------
    cases : mapping of name -> zero-argument callable
        The sides, called in this order in every round.
    repeats : int
        Timed rounds (the same for every side).
    warmup : int
        Untimed rounds before them (the same for every side).
    setup_each : callable or mapping of name -> callable, optional
        Run untimed before every call of a side (one callable: of every side).
    min_sample : float
        If > 0, loop the calls of a side without setup so that one sample lasts about this
        many seconds (calls per sample fixed from the last warm-up call; needs ``warmup >= 1``).

    Returns
    -------
    dict of name -> Timing
        Per-call wall and CPU times of every repeat, and the last result.
    """
    if repeats < 1:
        raise ValueError("repeats must be >= 1")
    if callable(setup_each):
        setups = dict.fromkeys(cases, setup_each)
    else:
        setups = dict(setup_each or {})
    out = {name: Timing(name) for name in cases}
    for _ in range(warmup):
        for name, fn in cases.items():
            wall, _, out[name].result = _one(fn, 1, setups.get(name))
            if min_sample > 0 and name not in setups:
                # Calibrate on the faster of this call and one more untimed call, so that a
                # call slowed by the side before it (caches, memory) does not set the count.
                wall = min(wall, _one(fn, 1, None)[0])
                out[name].calls = max(1, int(min_sample / max(wall, 1e-9)))
    for _ in range(repeats):
        for name, fn in cases.items():
            t = out[name]
            wall, cpu, t.result = _one(fn, t.calls, setups.get(name))
            t.wall.append(wall)
            t.cpu.append(cpu)
    return out


# -- formatting --------------------------------------------------------------------------------
def fmt_ms(seconds: float) -> str:
    """Milliseconds with about three significant digits."""
    ms = 1e3 * seconds
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    if ms >= 0.1:
        return f"{ms:.3f}"
    return f"{ms:.4f}"


def cell(t: Timing | Stats | None) -> str:
    """``min / median`` wall ms and, in brackets, ``min / median`` CPU ms."""
    if t is None:
        return "not run"
    return (
        f"{fmt_ms(t.min_wall)} / {fmt_ms(t.med_wall)} "
        f"(CPU {fmt_ms(t.min_cpu)} / {fmt_ms(t.med_cpu)})"
    )


def short_cell(t: Timing | Stats | None) -> str:
    """``min / median`` wall ms only."""
    if t is None:
        return "not run"
    return f"{fmt_ms(t.min_wall)} / {fmt_ms(t.med_wall)}"


def ratio(slow: Timing | Stats | None, fast: Timing | Stats | None) -> str:
    """``slow / fast`` on min and on median wall time, as ``a / b x``."""
    if slow is None or fast is None:
        return "—"
    lo = slow.min_wall / fast.min_wall
    md = slow.med_wall / fast.med_wall
    return f"{_x(lo)} / {_x(md)}x"


def _x(r: float) -> str:
    return f"{r:,.0f}" if r >= 100 else f"{r:.1f}" if r >= 10 else f"{r:.2f}"


@dataclass
class Stats:
    """The four statistics of a side, e.g. medians over several games of each game's."""

    name: str
    min_wall: float
    med_wall: float
    min_cpu: float
    med_cpu: float


def median_of(timings: list[Timing | None], name: str | None = None) -> Stats | None:
    """Median over several cases (e.g. games) of each case's min and median of the repeats."""
    timings = [t for t in timings if t is not None]
    if not timings:
        return None
    return Stats(
        name or timings[0].name,
        statistics.median(t.min_wall for t in timings),
        statistics.median(t.med_wall for t in timings),
        statistics.median(t.min_cpu for t in timings),
        statistics.median(t.med_cpu for t in timings),
    )


def markdown_table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """A Markdown table; ``align`` is one character per column ('r' right, else left)."""
    sep = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def optional_import(name: str):
    """The module ``name``, or None when it is not installed (peers are optional)."""
    try:
        return __import__(name)
    except ImportError:
        return None
