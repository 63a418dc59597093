"""Side-by-side comparison of incentive designs (docs/guide/m4-designs.md).

For each design the instruments are folded over the policy model and its ex ante
participation game (:attr:`PolicyModel.game`: M1 + M2 + M3) is solved exactly; every metric is
reported under the least (**worst**) and the greatest (**best**) equilibrium — the
equilibrium-selection assumption is stated in every output, because coordination can fail:

* participation (count, capacity-weighted coverage) and whether full participation is the
  unique equilibrium;
* ``preparedness``: voluntary robustness R1 (the worst M1 equilibrium, the registry's baseline);
  ``robustness``: R1 + φ(m)·Σ_members w_i·q_i·c_i (expected delivered capacity, in capacity
  units); ``residual_harm``: the *expected* residual harm p·H·E[exp(−κR)] over who honours
  (members honour independently with probability c_i), i.e. E[B(R)], not B(E[R]);
  ``credible_coverage``: Σ_members q_i·c_i / required capacity;
* costs, each borne by someone: ``actor_cost`` (real resources the actors use: voluntary
  preparedness, joining, carrying cost of bonds, responses carried out, net of compliance
  relief), ``insurer_cost``, ``programme_cost`` (e.g. the audit panel), ``deadweight`` (public
  spending not matched by value to its recipients) and ``fiscal_cost`` (everything the public
  pays out: incentives, matching subsidies of M1 and M2, declared-capacity payments, refunds,
  audits);
* **welfare** W = −residual harm − actor cost − programme cost − insurer cost − deadweight −
  λ·fiscal cost. Transfers (incentives, forfeited bonds, liability, fines) net out; λ is the
  marginal cost of public funds. At a fixed participation profile W falls when p or H rises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._lazy import lazy_module
from ..api import solve
from ..errors import InvalidParameterError
from ..instruments.base import PolicyModel
from ..instruments.design import Design
from ..results import Result

if TYPE_CHECKING:
    import pandas as pd
else:  # loaded on first use (start-up time)
    pd = lazy_module("pandas")

__all__ = [
    "BudgetScaling",
    "scale_to_budget",
    "Comparison",
    "DesignOutcome",
    "evaluate_design",
    "evaluate_applied",
    "compare",
    "outcome_metrics",
    "pareto_front",
    "METRICS",
    "SELECTION",
    "readout",
]

_SIDES = ("worst", "best")
#: Metrics of one participation profile, in table order, with their units.
METRICS = {
    "participation": "actors",
    "coverage": "share of capacity",
    "preparedness": "capacity units",
    "robustness": "capacity units",
    "residual_harm": "USD m per year",
    "credible_coverage": "share of required capacity",
    "declared_coverage": "share of required capacity",
    "actor_cost": "USD m per year",
    "insurer_cost": "USD m per year",
    "programme_cost": "USD m per year",
    "deadweight": "USD m per year",
    "fiscal_cost": "USD m per year",
    "welfare": "USD m per year",
}
#: The equilibrium-selection assumption, stated in every output.
SELECTION = (
    "Equilibrium selection: 'worst' is the least equilibrium (fewest filers) and "
    "'best' the greatest (most filers) of the ex ante participation game; every "
    "metric is reported under both."
)


def outcome_metrics(model: PolicyModel, design: Design, joined) -> dict[str, float]:
    """Every metric of one participation profile of an applied model (plain floats).

    Parameters
    ----------
    model : PolicyModel
        The policy model with ``design`` already applied.
    design : Design
        The design, for its fiscal, refund, insurer, programme and deadweight costs.
    joined : array_like of bool
        One flag per actor: True for the actors that file.

    Returns
    -------
    dict of str to float
        One value per key of :data:`METRICS`, in that order and in its units (``participation``
        is an int count).
    """
    filed = np.asarray(joined, dtype=bool)
    game = model.game
    count = int(filed.sum())
    binds = float(game.binding(count))
    # Below an assurance contract's threshold filings do not bind: no member, nothing delivered.
    members = filed & (binds > 0)
    t = model.actors
    credibility, log_keeps, member_costs, m1_subsidy, declared_payment = _profile_free_terms(model)
    phi = float(game.critical_mass_curve(count)) * binds
    kappa, r1 = model.efficacy, model.voluntary_robustness
    # E[exp(−κ·ΔR)] = Π_members (1 − c_i·(1 − e^{−κ a_i})): members honour independently.
    log_keep = float((members * log_keeps).sum())
    increment = -np.expm1(log_keep)
    scale = model.prob * model.harm
    residual = scale * np.exp(-kappa * r1) * (1.0 - phi * increment)
    delivered = members * t.capacity * credibility
    commitment = model.commitment
    actor = (
        model.preparedness_cost
        + float((filed * t.join_cost).sum())
        + float((members * member_costs).sum())
    )
    fiscal = (
        design.fiscal_cost(model, members)
        + design.refund_cost(model, filed)
        + m1_subsidy
        + float((members * declared_payment).sum())
    )
    insurer = design.insurer_cost(model, members)
    programme = design.programme_cost(model, members)
    deadweight = design.deadweight(model, members)
    welfare = (
        -residual - actor - programme - insurer - deadweight - model.public_funds_cost * fiscal
    )
    required = commitment.required
    return {
        "participation": count,
        "coverage": float(game.coverage(filed)),
        "preparedness": r1,
        "robustness": r1 + phi * float((t.registry_weight * delivered).sum()),
        "residual_harm": float(residual),
        "credible_coverage": float(delivered.sum() / required),
        "declared_coverage": float(
            (members * (t.capacity + model.inflation) * credibility).sum() / required
        ),
        "actor_cost": actor,
        "insurer_cost": insurer,
        "programme_cost": programme,
        "deadweight": deadweight,
        "fiscal_cost": fiscal,
        "welfare": float(welfare),
    }


def _profile_free_terms(model: PolicyModel):
    """The per-actor terms of :func:`outcome_metrics` that do not depend on the profile, once
    per model (the worst and the best equilibrium share them): credibility c_i, ln(1 − c_i·(1 −
    e^{−κ a_i})), a member's cost r·b_i + p_τ·E[A_i·1{A_i ≤ S_i}] − relief_i, the M1 subsidy
    and the declared-unit payment."""

    def build():
        t = model.actors
        credibility, expected_response = model._honouring()
        a = t.registry_weight * t.capacity
        log_keeps = np.log1p(-credibility * -np.expm1(-model.efficacy * a))
        response = model.commitment.trigger_prob * expected_response
        member_costs = model.carry_rate * t.bond + response - t.relief
        m1_subsidy = model._voluntary_subsidy
        return credibility, log_keeps, member_costs, m1_subsidy, model.declared_payment

    return model._view("profile_free_terms", build)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DesignOutcome(Result):
    """One design evaluated: metrics under the worst and the best equilibrium.

    Attributes
    ----------
    design : str
        Name of the design.
    description : str
        Plain-language description of its instruments (:meth:`Design.describe`).
    worst, best : dict of str to float
        :func:`outcome_metrics` under the least and the greatest equilibrium.
    full_participation_unique : bool or None
        Whether full participation is the unique equilibrium (None: not determined).
    n_equilibria : int or None
        Number of pure equilibria of the ex ante participation game (None: not counted).
    n_actors : int
        Number of actors.
    max_regret : float
        Largest certified regret of the two reported equilibria (USD m).
    success, status, message
        As in SciPy: ``success`` is False and ``status`` 1 when an equilibrium's certificate
        missed its tolerance; ``message`` says why.
    """

    design: str
    description: str
    worst: dict
    best: dict
    full_participation_unique: bool | None
    n_equilibria: int | None
    n_actors: int
    max_regret: float
    success: bool = True
    status: int = 0
    message: str = ""

    def row(self) -> dict:
        """One flat table row: the design, every metric as ``<metric>_worst``/``_best``.

        Returns
        -------
        dict
            ``design``, the suffixed metrics and ``full_participation_unique``.
        """
        out: dict[str, object] = {"design": self.design}
        for side in _SIDES:
            for key, value in getattr(self, side).items():
                out[f"{key}_{side}"] = value
        out["full_participation_unique"] = self.full_participation_unique
        return out


def evaluate_design(model: PolicyModel, design: Design) -> DesignOutcome:
    """Apply ``design`` to ``model``, solve the ex ante participation game, report metrics.

    Parameters
    ----------
    model : PolicyModel
        The policy model without the design (not changed).
    design : Design
        The instruments to apply.

    Returns
    -------
    DesignOutcome
        Metrics under the least (worst) and greatest (best) equilibrium.
    """
    return evaluate_applied(design.apply(model), design)


def evaluate_applied(
    applied: PolicyModel, design: Design, *, description: str | None = None
) -> DesignOutcome:
    """:func:`evaluate_design` of a model with ``design`` already applied.

    Parameters
    ----------
    applied : PolicyModel
        The policy model with the design applied (``design.apply(model)``).
    design : Design
        The design, for its name, description and costs.
    description : str, optional
        ``design.describe()`` when the caller already has it (a study evaluating the same
        design many times); None (default): made here.

    Returns
    -------
    DesignOutcome
        Metrics under the least (worst) and greatest (best) equilibrium.
    """
    # The least and the greatest are listed, and every equilibrium is counted.
    eqs = solve(applied.game, limit=2)
    least, greatest = eqs.least, eqs.greatest
    worst = outcome_metrics(applied, design, least.joined)
    # The metrics are a function of the profile: where the least and the greatest equilibrium
    # are the same profile (a unique equilibrium), the best side is a copy of the worst.
    if np.array_equal(least.joined, greatest.joined):
        best = dict(worst)
    else:
        best = outcome_metrics(applied, design, greatest.joined)
    unique = getattr(eqs, "full_participation_unique", None)
    return DesignOutcome(
        design=design.name,
        description=design.describe() if description is None else description,
        worst=worst,
        best=best,
        full_participation_unique=unique,
        n_equilibria=eqs.n_equilibria,
        n_actors=applied.n_actors,
        max_regret=float(max(least.max_regret, greatest.max_regret)),
        success=bool(eqs.success),
        status=int(eqs.status),
        message=eqs.message,
    )


def pareto_front(cost, value) -> np.ndarray:
    """Mask of points not dominated in (lower ``cost``, higher ``value``).

    Parameters
    ----------
    cost : array_like of float
        Cost of each point (lower is better).
    value : array_like of float
        Value of each point (higher is better), same length as ``cost``.

    Returns
    -------
    ndarray of bool
        True for the points on the Pareto front (ties are all kept).

    Examples
    --------
    >>> pareto_front([0, 1, 2, 1], [0.2, 0.5, 0.4, 0.5]).tolist()
    [True, True, False, True]
    """
    cost, value = np.asarray(cost, dtype=float), np.asarray(value, dtype=float)
    dominated = (
        (cost[None, :] <= cost[:, None])
        & (value[None, :] >= value[:, None])
        & ((cost[None, :] < cost[:, None]) | (value[None, :] > value[:, None]))
    )
    return ~dominated.any(axis=1)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def readout(outcome: DesignOutcome, design: Design | None = None) -> str:
    """A design's outcome in plain sentences, with units and the range over equilibria.

    Parameters
    ----------
    outcome : DesignOutcome
        The evaluated design.
    design : Design, optional
        The design itself, to add notes on its instruments (e.g. an assurance contract's
        slack).

    Returns
    -------
    str
        Grammatical sentences: what the design does, who files, the credible coverage, the
        fiscal cost and welfare, each value with its unit; where the worst and the best
        equilibrium differ, ``"between A and B ... (worst to best equilibrium)"``.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> design = cg.Design("compute", [cg.ComputeAccess(units=1.0)])
    >>> print(readout(evaluate_design(model, design), design))  # doctest: +NORMALIZE_WHITESPACE
    With compute access worth 1 USD m per year per filer, paid from public funds, 46 of 58
    actors file in every equilibrium. Credible coverage is 46.6% of the required capacity.
    The fiscal cost is 46 USD m per year and welfare is -358 USD m per year.
    """
    from ..results import format_number, format_range

    w, b, n = outcome.worst, outcome.best, outcome.n_actors
    what = f"With {outcome.description}," if outcome.description else "With no instruments,"
    pw, pb = int(w["participation"]), int(b["participation"])
    actors = "actor" if n == 1 else "actors"
    if outcome.full_participation_unique:
        head = f"{what} all {n} {actors} file: full participation is the unique equilibrium."
    elif pw == pb:
        verb = "files" if pw == 1 else "file"
        head = f"{what} {pw} of {n} {actors} {verb} in every equilibrium."
    else:
        head = (
            f"{what} between {pw} and {pb} of {n} {actors} file (worst to best equilibrium): "
            "coordination can fail."
        )
    coverage = format_range(w["credible_coverage"], b["credible_coverage"], "%")
    if coverage.startswith("between"):
        coverage = coverage.replace(" (worst", " of the required capacity (worst", 1)
    else:
        coverage += " of the required capacity"
    money = "USD m per period"  # the unit of METRICS' money metrics: a period is a year
    fiscal = format_range(w["fiscal_cost"], b["fiscal_cost"], money)
    welfare = format_range(w["welfare"], b["welfare"], money)
    text = (
        f"{head} Credible coverage is {coverage}. The fiscal cost is {fiscal} and welfare is "
        f"{welfare}."
    )
    for item in design.instruments if design is not None else ():
        note = getattr(item, "readout_note", None)
        if callable(note):  # e.g. a standing venue's expected outcome
            text += note(outcome)
        threshold = getattr(item, "threshold", None)
        if type(item).__name__ == "AssuranceRefund" and threshold:
            gap = n - threshold
            text += (
                f" The assurance contract binds from {format_number(threshold)} of {n} filers"
                + (
                    ": every actor must file, a knife edge where one actor staying out voids the "
                    "registry."
                    if gap < 1
                    else f", leaving {format_number(gap)} {'actor' if gap == 1 else 'actors'} of slack."
                )
            )
    return text


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Comparison(Result):
    """Designs side by side.

    Attributes
    ----------
    outcomes : tuple of DesignOutcome
        One outcome per design, in order (the added baseline first).
    readouts : tuple of str
        One plain-language line per design.
    pareto : tuple of str
        Designs on the (fiscal cost, worst-case credible coverage) Pareto frontier.
    baseline : str
        The design harm averted is measured against.
    model : str
        Name of the policy model.
    public_funds_cost : float
        λ used in welfare.
    budgets : tuple of BudgetScaling
        With ``compare(..., budget=B)``: how each design was scaled to the budget (empty
        otherwise).
    selection : str
        The equilibrium-selection assumption.
    success, status, message
        As in SciPy: ``success`` is False and ``status`` 1 when an equilibrium's certificate
        missed its tolerance; ``message`` says why.
    """

    outcomes: tuple
    readouts: tuple
    pareto: tuple
    baseline: str
    model: str
    public_funds_cost: float = 0.0
    budgets: tuple = ()
    selection: str = SELECTION
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per design; metric columns end in ``_worst`` and ``_best``.

        Returns
        -------
        pandas.DataFrame
            Indexed by design name; adds ``harm_averted_per_fiscal_worst``/``_best``
            (residual harm averted against the baseline per unit of fiscal cost), ``pareto`` and
            ``readout``.
        """
        frame = pd.DataFrame([o.row() for o in self.outcomes]).set_index("design")
        base = frame.loc[self.baseline]
        for side in _SIDES:
            averted = base[f"residual_harm_{side}"] - frame[f"residual_harm_{side}"]
            fiscal = frame[f"fiscal_cost_{side}"]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(
                    fiscal > 0, averted / fiscal, np.where(averted > 0, np.inf, np.nan)
                )
            frame[f"harm_averted_per_fiscal_{side}"] = ratio
        frame["pareto"] = [name in self.pareto for name in frame.index]
        frame["readout"] = list(self.readouts)
        return frame

    def __repr__(self) -> str:
        lines = [
            f"Comparison(model={self.model!r}, designs={len(self.outcomes)}, "
            f"pareto={list(self.pareto)}, λ={self.public_funds_cost:g})",
            self.selection,
        ]
        lines += [f"  {o.design}: {r}" for o, r in zip(self.outcomes, self.readouts)]
        return "\n".join(lines)


def compare(
    model: PolicyModel,
    designs: Sequence[Design],
    *,
    baseline: str | None = None,
    budget: float | None = None,
) -> Comparison:
    """Compare incentive designs on one model, under worst and best equilibria.

    Parameters
    ----------
    model : PolicyModel
        The policy model without instruments (not changed).
    designs : sequence of Design
        A design named ``"baseline"`` (no instruments) is added first if none is given.
    baseline : str, optional
        Name of the design that harm averted is measured against (default ``"baseline"``).
    budget : float, optional
        Compare at equal budgets: each design's instrument levels are scaled by one common
        factor until its fiscal cost in the worst equilibrium is the budget (USD m per
        period; see :func:`scale_to_budget`). ``budgets`` of the result says how far each
        design got.

    Returns
    -------
    Comparison
        The outcomes, readouts and Pareto frontier of the designs.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> res = cg.compare(model, [cg.Design("bond", [cg.PerformanceBond(amount=1.0)])])
    >>> list(res.to_frame().index)
    ['baseline', 'bond']
    """
    if not isinstance(model, PolicyModel):
        raise InvalidParameterError(
            "compare",
            "model",
            "a PolicyModel (e.g. cg.PolicyModel.default())",
            type(model).__name__,
        )
    designs = list(designs)
    names = [d.name for d in designs]
    if len(set(names)) != len(names):
        raise InvalidParameterError("compare", "designs", "designs with distinct names", names)
    if baseline is None:
        baseline = "baseline"
        if baseline not in names:
            designs.insert(0, Design("baseline"))
    elif baseline not in names:
        raise InvalidParameterError(
            "compare", "baseline", "the name of one of the designs", baseline
        )
    budgets: tuple = ()
    if budget is not None:
        scaled = [scale_to_budget(model, d, budget) for d in designs]
        designs = [b.design for b in scaled]
        budgets = tuple(scaled)
    outcomes = tuple(evaluate_design(model, d) for d in designs)
    front = pareto_front(
        [o.worst["fiscal_cost"] for o in outcomes], [o.worst["credible_coverage"] for o in outcomes]
    )
    return Comparison(
        outcomes=outcomes,
        readouts=tuple(readout(o, d) for o, d in zip(outcomes, designs)),
        pareto=tuple(o.design for o, keep in zip(outcomes, front) if keep),
        baseline=baseline,
        model=model.name,
        public_funds_cost=model.public_funds_cost,
        budgets=budgets,
        success=all(o.success for o in outcomes),
        status=max(o.status for o in outcomes),
        message="; ".join(b.message for b in budgets if b.message),
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BudgetScaling(Result):
    """A design scaled to a budget.

    Attributes
    ----------
    design : Design
        The design with every instrument level multiplied by ``factor``.
    factor : float
        The common factor on the instrument levels.
    fiscal_cost : float
        Its fiscal cost in the worst equilibrium (USD m per period).
    budget : float
        The budget.
    reached : bool
        Whether the fiscal cost is the budget (to 1e-6 of it).
    message : str
        Why the budget was not reached, if it was not.
    """

    design: Design
    factor: float
    fiscal_cost: float
    budget: float
    reached: bool
    message: str = ""


def _largest_factor(design: Design) -> float:
    """The largest common factor every instrument's level allows (its declared upper bound)."""
    from ..params import parameters

    top = math.inf
    for item in design.instruments:
        hi = parameters(item)[item.level].bounds[1]
        if item.size > 0 and math.isfinite(hi):
            top = min(top, hi / item.size)
    return top


def scale_to_budget(model: PolicyModel, design: Design, budget: float) -> BudgetScaling:
    """The design with its instrument levels scaled by one factor so that its fiscal cost in
    the worst equilibrium is ``budget``, where possible.

    The fiscal cost need not be monotone in the factor (who files can change), so factors
    0 and 2^k (k = −12..20) within the instruments' bounds are scanned. The first change from
    within the budget to above it is then bisected to 1e-9. The result is the largest factor
    found whose cost is within the budget. A design whose cost stays below the budget (no
    fiscal instrument, or the bounds of its levels) is compared at its own levels (factor 1),
    and ``reached`` is False.

    Parameters
    ----------
    model : PolicyModel
        The policy model without instruments.
    design : Design
        The design to scale.
    budget : float
        Fiscal cost per period to reach (USD m), ≥ 0.

    Returns
    -------
    BudgetScaling
        The scaled design, the factor, the cost reached.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> s = scale_to_budget(model, cg.Design("compute", [cg.ComputeAccess(units=1.0)]), 20.0)
    >>> s.reached, round(s.fiscal_cost, 6)
    (True, 20.0)
    """
    if not (isinstance(budget, (int, float)) and math.isfinite(budget) and budget >= 0):
        raise InvalidParameterError("compare", "budget", "a finite number >= 0", budget)

    def at(factor: float) -> Design:
        levels = [i.with_level(i.size * factor) for i in design.instruments]
        return Design(design.name, levels)

    def cost(factor: float) -> float:
        return float(evaluate_design(model, at(factor)).worst["fiscal_cost"])

    if not design.instruments:  # nothing to scale
        return BudgetScaling(design, 1.0, cost(1.0), float(budget), False)
    top = _largest_factor(design)
    grid = [0.0] + [2.0**k for k in range(-12, 21) if 2.0**k < top]
    if math.isfinite(top):
        grid.append(top)
    if all(i.size == 0 for i in design.instruments):
        grid = [1.0]
    tol = 1e-6 * max(budget, 1e-9)
    below, value = None, None
    for f in grid:
        c = cost(f)
        if abs(c - budget) <= tol:
            return BudgetScaling(at(f), f, c, float(budget), True)
        if c < budget:
            below, value = f, c
            continue
        if below is None:
            break  # above the budget from the start
        lo, hi = below, f
        for _ in range(80):  # the largest factor within the budget, to 1e-9 relative
            if hi - lo <= 1e-9 * max(hi, 1e-12):
                break
            mid = 0.5 * (lo + hi)
            cm = cost(mid)
            if cm <= budget:
                lo, value = mid, cm
            else:
                hi = mid
        assert value is not None
        reached = abs(value - budget) <= tol
        note = (
            ""
            if reached
            else (
                f"{design.name}: the fiscal cost jumps past the budget (who files changes), "
                f"so it spends {value:.6g}"
            )
        )
        return BudgetScaling(at(lo), lo, value, float(budget), reached, note)
    if below is None:
        c0 = cost(grid[0])
        return BudgetScaling(
            at(grid[0]),
            grid[0],
            c0,
            float(budget),
            False,
            f"{design.name}: costs {c0:.6g} at the smallest level, above the budget",
        )
    # The cost never reaches the budget: the design is compared at its own levels.
    c1 = cost(1.0)
    return BudgetScaling(
        at(1.0),
        1.0,
        c1,
        float(budget),
        False,
        f"{design.name}: cannot spend the budget (at most {value:.6g} within its "
        f"instruments' bounds); compared at its own levels",
    )
