"""Design optimization: the levels of several instruments at once.

Two problems, both read under the **worst** equilibrium by default (what a regulator can
count on):

* with a ``target``: minimize (1 + λ)·fiscal cost + the actors' real costs, subject to the
  target (full participation the unique equilibrium, credible coverage ≥ x, R ≥ y·R_full, at
  least m filers) and to ``budget`` on the fiscal cost if one is given;
* with a ``budget`` only: maximize welfare subject to fiscal cost ≤ budget.

The metrics jump wherever the equilibrium changes (who files), so gradients say nothing
there. The search is therefore:

1. a full-factorial grid of ``grid`` levels per instrument (grid^k designs for k
   instruments);
2. from the best feasible grid point, and from the best few, a pattern search: each level is
   moved up and down by a step that halves whenever no move improves, down to ``tol``
   (relative to each level's range).

Every trial is evaluated exactly (:func:`~coordgap.analysis.compare.evaluate_design`, which
lists the equilibria with a complete method). The result certifies feasibility at the optimum
(the target and the budget re-checked on a fresh evaluation) and says how global the search
is: global to the grid's resolution, local below it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..instruments.base import Instrument, PolicyModel
from ..instruments.design import Design
from ..params import parameters
from ..results import Result
from .compare import DesignOutcome, evaluate_design, scale_to_budget
from .critical import Target, as_target

__all__ = ["optimize_design", "OptimizedDesign"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class OptimizedDesign(Result):
    """The best levels found, their certificate, and how the search went.

    Attributes
    ----------
    design : Design
        The instruments at the levels found.
    levels : dict
        Instrument class name → level (in the unit of its size parameter).
    objective : float
        The value optimized: (1 + λ)·fiscal + actor cost (minimized) with a target, welfare
        (maximized) without.
    outcome : DesignOutcome
        The design evaluated at the optimum.
    feasible : bool
        Certificate: the target (if any) holds and the fiscal cost is within the budget (if
        any), on a fresh evaluation.
    evaluations : int
        Designs evaluated.
    target : str
        The target in words (``""`` without one).
    budget : float
        The budget (inf without one).
    message : str
        How global the search is.
    """

    design: Design
    levels: dict
    objective: float
    outcome: DesignOutcome
    feasible: bool
    evaluations: int
    target: str
    budget: float
    message: str = ""


def _ranges(instruments, bounds) -> list[tuple[float, float]]:
    out = []
    for item in instruments:
        spec = parameters(item)[item.level]
        lo_decl, hi_decl = spec.bounds
        name = type(item).__name__
        if bounds is not None and name in bounds:
            lo, hi = (float(v) for v in bounds[name])
        else:
            lo, hi = 0.0, max(4.0 * item.size, 1.0)
        lo, hi = max(lo, float(lo_decl)), min(hi, float(hi_decl))
        if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
            raise InvalidParameterError(
                "optimize_design",
                "bounds",
                f"finite bounds lo <= hi within {name}.{item.level}'s "
                f"declared range [{lo_decl}, {hi_decl}]",
                (lo, hi),
            )
        out.append((lo, hi))
    return out


def optimize_design(
    model: PolicyModel,
    instruments: Sequence[Instrument],
    *,
    target=None,
    budget: float | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    grid: int = 9,
    tol: float = 1e-4,
    max_evaluations: int = 5000,
    name: str = "optimized",
) -> OptimizedDesign:
    """The levels of ``instruments`` that reach a target at least cost, or the most welfare
    within a budget.

    Parameters
    ----------
    model : PolicyModel
        The policy model without instruments (not changed).
    instruments : sequence of Instrument
        The instruments whose size parameters (``level``) are chosen, one of each class.
        Their other parameters stay as given.
    target : Target, str or tuple, optional
        What the design must achieve (:class:`~coordgap.Target`; default: none, maximize
        welfare).
    budget : float, optional
        Most fiscal cost per period (USD m), under the target's equilibrium (worst by
        default). Each level's search range then ends a quarter above the level at which
        that instrument alone spends the budget.
    bounds : mapping, optional
        Instrument class name → (lowest, highest) level searched (default 0 to four times the
        given level, at least 1, within the declared bounds).
    grid : int
        Levels per instrument on the first grid (≥ 2).
    tol : float
        Smallest step of the pattern search, relative to each level's range.
    max_evaluations : int
        Most designs evaluated.
    name : str
        Name of the design returned.

    Returns
    -------
    OptimizedDesign
        The levels, the outcome there and its certificate.

    Raises
    ------
    InvalidParameterError
        For bad arguments, or when no design on the grid meets the target (the message
        says the best metric reached).

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> best = cg.optimize_design(model, [cg.ComputeAccess(units=1.0)],
    ...                           target=("credible_coverage", 0.3), grid=5, tol=1e-3)
    >>> best.feasible, best.outcome.worst["credible_coverage"] >= 0.3
    (True, True)
    """
    instruments = list(instruments)
    if not instruments or not all(isinstance(i, Instrument) for i in instruments):
        raise InvalidParameterError(
            "optimize_design", "instruments", "a non-empty sequence of instruments", instruments
        )
    kinds = [type(i).__name__ for i in instruments]
    if len(set(kinds)) != len(kinds):
        raise InvalidParameterError(
            "optimize_design", "instruments", "at most one instrument of each class", kinds
        )
    goal: Target | None = None if target is None else as_target(target)
    if budget is not None and not (
        isinstance(budget, (int, float)) and math.isfinite(budget) and budget >= 0
    ):
        raise InvalidParameterError("optimize_design", "budget", "a finite number >= 0", budget)
    if goal is None and budget is None:
        raise InvalidParameterError(
            "optimize_design", "target", "a target or a budget (or both)", None
        )
    if not (isinstance(grid, int) and grid >= 2):
        raise InvalidParameterError("optimize_design", "grid", "an integer >= 2", grid)
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise InvalidParameterError("optimize_design", "tol", "a number in (0, 1)", tol)
    ranges = _ranges(instruments, bounds)
    if budget is not None:
        # A level beyond the one at which the instrument alone spends the budget is
        # (nearly always) over the budget: search below it, so the grid is not wasted there.
        for k, item in enumerate(instruments):
            if bounds is not None and kinds[k] in bounds:
                continue
            lo, hi = ranges[k]
            alone = scale_to_budget(model, Design(name, [item.with_level(hi)]), budget)
            if alone.factor > 0 and alone.fiscal_cost > 0:
                ranges[k] = (lo, max(lo, min(hi, hi * alone.factor * 1.25)))
    side = goal.equilibrium if goal is not None else "worst"
    lam = float(model.public_funds_cost)
    cache: dict[tuple, tuple[float, bool, DesignOutcome, Design]] = {}

    def design_at(levels) -> Design:
        return Design(name, [i.with_level(v) for i, v in zip(instruments, levels)])

    def score(levels) -> tuple[float, bool]:
        """(objective to minimize, feasible)."""
        key = tuple(round(float(v), 15) for v in levels)
        if key not in cache:
            if len(cache) >= max_evaluations:
                return math.inf, False
            design = design_at(key)
            applied = design.apply(model)
            outcome = evaluate_design(model, design)
            metrics = getattr(outcome, side)
            ok = budget is None or metrics["fiscal_cost"] <= budget * (1 + 1e-12)
            if goal is not None:
                ok = ok and goal.holds(outcome, applied)
                value = (1 + lam) * metrics["fiscal_cost"] + metrics["actor_cost"]
            else:
                value = -metrics["welfare"]
            cache[key] = (float(value), bool(ok), outcome, design)
        value, ok, _, _ = cache[key]
        return value, ok

    axes = [np.linspace(lo, hi, grid) for lo, hi in ranges]
    scored = []
    for corner in itertools.product(*axes):
        value, ok = score(corner)
        if ok:
            scored.append((value, corner))
    if not scored:
        best_metric = (
            max((goal.metric(c[2], c[3].apply(model)) for c in cache.values()), default=math.nan)
            if goal is not None
            else math.nan
        )
        raise InvalidParameterError(
            "optimize_design",
            "target",
            "a target some design on the grid meets within the budget"
            + (f" (best {goal.kind} reached: {best_metric:.4g})" if goal is not None else ""),
            goal.describe() if goal is not None else budget,
        )
    scored.sort(key=lambda t: t[0])
    starts = [np.array(p, dtype=float) for _, p in scored[:5]]
    width = np.array([hi - lo for lo, hi in ranges])
    lows = np.array([lo for lo, _ in ranges])
    highs = np.array([hi for _, hi in ranges])
    best_point, best_value = starts[0], scored[0][0]
    for start in starts:
        point, value = start, score(start)[0]
        step = width / (grid - 1) / 2.0
        while np.any(step > tol * np.maximum(width, 1e-300)) and len(cache) < max_evaluations:
            moved = False
            for axis in range(len(instruments)):
                for sign in (-1.0, 1.0):
                    trial = point.copy()
                    trial[axis] = min(highs[axis], max(lows[axis], trial[axis] + sign * step[axis]))
                    v, ok = score(trial)
                    if ok and v < value - 1e-12 * max(1.0, abs(value)):
                        point, value, moved = trial, v, True
            if not moved:
                step = step / 2.0
        if value < best_value:
            best_point, best_value = point, value
    # The certificate: a fresh evaluation at the optimum.
    design = design_at(best_point)
    outcome = evaluate_design(model, design)
    metrics = getattr(outcome, side)
    feasible = budget is None or metrics["fiscal_cost"] <= budget * (1 + 1e-12)
    if goal is not None:
        feasible = feasible and goal.holds(outcome, design.apply(model))
    levels = {k: float(v) for k, v in zip(kinds, best_point)}
    exhausted = len(cache) >= max_evaluations
    message = (
        f"{len(cache)} designs evaluated: a grid of {grid} levels per instrument "
        f"({grid ** len(instruments)} designs), then a pattern search down to {tol:g} of each "
        f"range from the best {len(starts)} grid point(s); global to the grid's resolution, "
        "local below it"
        + ("; stopped at max_evaluations" if exhausted else "")
        + ("; the optimum meets the target" if goal is not None and feasible else "")
    )
    return OptimizedDesign(
        design=design,
        levels=levels,
        objective=float(-best_value if goal is None else best_value),
        outcome=outcome,
        feasible=bool(feasible),
        evaluations=len(cache),
        target="" if goal is None else goal.describe(),
        budget=math.inf if budget is None else float(budget),
        message=message,
    )
