"""Work limits: refuse, before anything is allocated, work that would exhaust the machine.

A model file or a command line can ask for a billion tabletop runs or a grid of 10^8 points;
numpy would then try to allocate tens of gigabytes, or the run would take days. Each entry
point that allocates in proportion to a user-given count checks it here first, against a
limit chosen so that work within it takes at most minutes and about a gigabyte of memory on
a laptop. Past the limit, a :class:`~coordgap.errors.ResourceLimitError` (a ``ValueError``)
estimates the time and memory and says how to go on: ``--allow-large`` on the command line,
or :func:`allow_large` in Python.

Examples
--------
>>> import coordgap as cg
>>> from coordgap.limits import allow_large, check_size
>>> check_size("Registry.tabletop", "n_runs", 10**12, "tabletop_runs")
Traceback (most recent call last):
...
coordgap.errors.ResourceLimitError: The 'n_runs' parameter of Registry.tabletop must be at most 1,000,000 (tabletop runs). Got 1000000000000 instead. That would take about 35 days and 600 TB of memory; pass --allow-large on the command line, or call it within `with coordgap.limits.allow_large():`, to go past the limit.
>>> with allow_large():
...     check_size("Registry.tabletop", "n_runs", 2 * 10**6, "tabletop_runs")
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import ResourceLimitError

__all__ = ["Limit", "LIMITS", "allow_large", "check_size", "large_allowed"]


@dataclass(frozen=True)
class Limit:
    """A work limit: at most ``maximum`` units, each costing about ``seconds`` and ``bytes``.

    Attributes
    ----------
    maximum : int
        Largest amount of work allowed without :func:`allow_large`, in units of ``unit``.
    unit : str
        What one unit of work is, as shown in messages (e.g. ``"tabletop runs"``).
    seconds : float
        Approximate time per unit, in seconds; only sizes the message.
    bytes : float
        Approximate memory per unit, in bytes; only sizes the message.
    """

    maximum: int
    unit: str
    seconds: float
    bytes: float


# Costs per unit measured on a 2-core machine (rounded up); they only size the message.
LIMITS = {
    "tabletop_runs": Limit(10**6, "tabletop runs", 3e-6, 6e5 / 1e3),
    "exchange_runs": Limit(3 * 10**6, "runs × exchange levels", 2e-6, 1e3),
    "learning_cells": Limit(2 * 10**7, "paths × time steps", 2e-7, 64.0),
    "design_evaluations": Limit(10**5, "design evaluations", 0.1, 2e3),
    "sweep_points": Limit(10**5, "grid points", 0.05, 1e3),
    "actors": Limit(10**6, "actors", 2e-6, 2e3),
    "figure_points": Limit(1000, "grid points of a figure", 0.01, 1e4),
}

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_large", default=False)


@contextlib.contextmanager
def allow_large(allowed: bool = True) -> Iterator[None]:
    """Lift (or, with ``False``, restore) every work limit within a ``with`` block.

    Parameters
    ----------
    allowed : bool
        True (default) lifts the limits inside the block; False enforces them again.
    """
    token = _allowed.set(bool(allowed))
    try:
        yield
    finally:
        _allowed.reset(token)


def large_allowed() -> bool:
    """Whether work limits are lifted in the current context.

    Returns
    -------
    bool
        True inside an ``allow_large()`` block, False otherwise.
    """
    return _allowed.get()


def _duration(seconds: float) -> str:
    for unit, size in (
        ("years", 3.16e7),
        ("months", 2.6e6),
        ("days", 86400.0),
        ("hours", 3600.0),
        ("minutes", 60.0),
    ):
        if seconds >= 2 * size or (unit == "years" and seconds >= size):
            return (
                f"{seconds / size:,.0f} {unit}"
                if seconds >= 100 * size
                else f"{seconds / size:.2g} {unit}"
            )
    return f"{seconds:.2g} seconds"


def _memory(n_bytes: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes:.3g} bytes"


def check_size(
    owner: str, name: str, value: int, kind: str, per: tuple[int, str] | None = None
) -> None:
    """Raise :class:`ResourceLimitError` when ``value`` is over the ``kind`` limit.

    Parameters
    ----------
    owner, name : str
        The function (or command) and the parameter the count came from.
    value : int
        The requested count (already known to be a valid integer).
    kind : str
        A key of :data:`LIMITS`.
    per : (int, str), optional
        When each unit of ``value`` is done that many times, e.g. ``(7, "designs")`` for
        draws each evaluated for 7 designs: the work is ``value × per[0]``, and the message
        states the limit on ``value`` itself.

    Examples
    --------
    >>> check_size("figures.robustness", "n", 10**9, "design_evaluations", per=(7, "designs"))
    Traceback (most recent call last):
    ...
    coordgap.errors.ResourceLimitError: The 'n' parameter of figures.robustness must be at most 14,285 (100,000 design evaluations over 7 designs). Got 1000000000 instead. That would take about 22 years and 14 TB of memory; pass --allow-large on the command line, or call it within `with coordgap.limits.allow_large():`, to go past the limit.
    """
    limit = LIMITS[kind]
    times, what = per if per is not None else (1, "")
    times = max(1, int(times))
    work = value * times
    if work <= limit.maximum or _allowed.get():
        return
    rule = (
        f"at most {limit.maximum // times:,} ({limit.maximum:,} {limit.unit} over {times} {what})"
        if per is not None
        else f"at most {limit.maximum:,} ({limit.unit})"
    )
    raise ResourceLimitError(
        owner,
        name,
        rule,
        value,
        f"That would take about {_duration(work * limit.seconds)} and "
        f"{_memory(work * limit.bytes)} of memory; pass --allow-large on the command line, "
        "or call it within `with coordgap.limits.allow_large():`, to go past the limit.",
    )
