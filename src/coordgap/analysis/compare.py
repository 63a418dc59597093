"""Side-by-side comparison of incentive designs (DESIGN.md, M4).

For each design the instruments are folded over the model; the ex ante participation game
(joining cost k_i plus the bond's carrying cost and the expected ex post cost of the commitment,
M2 × M3) is solved, and every metric is reported under its least (worst) and greatest (best)
equilibrium:

* participation (count, capacity-weighted coverage) and whether full participation is the
  unique equilibrium;
* robustness R = R0 + Σ_joined w_i·q_i·c_i (capacity expected to be delivered), the residual
  expected harm p·H − B(R)·φ(m), credible coverage Σ_joined q_i·c_i / required capacity;
* welfare: avoided harm minus real costs (joining, carrying cost of bonds, expected response
  costs), plus compliance relief, minus the deadweight of transfers and the marginal cost of
  public funds λ·fiscal cost; transfers themselves net out;
* fiscal cost per period and harm averted (relative to the baseline design) per unit of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..api import solve
from ..errors import InvalidParameterError
from ..instruments.audit import inflation
from ..instruments.base import PolicyModel
from ..instruments.design import Design
from ..results import Result

__all__ = ["Comparison", "DesignOutcome", "evaluate_design", "compare", "outcome_metrics",
           "pareto_front"]

_SIDES = ("worst", "best")


def outcome_metrics(model: PolicyModel, design: Design, joined) -> dict[str, float]:
    """Every metric of one participation profile of an applied model (plain floats)."""
    joined = np.asarray(joined, dtype=bool)
    game, commitment = model.participation, model.commitment
    credibility = commitment.credibility()
    q, w = game.capacity, game.weight
    count = int(joined.sum())
    # Below an assurance contract's threshold the filings do not bind: nothing is delivered.
    delivered = joined * q * credibility * float(game.binding(count))
    robustness = game.baseline + float(np.sum(w * delivered))
    avoided = float(game.benefit(robustness) * game.curve(count) * game.binding(count))
    binds = float(game.binding(count))
    stake = commitment.stake()
    # Real response cost E[A·1{A ≤ S}]: the forfeited stake is a transfer, not a cost.
    response = commitment.expected_ex_post_cost() - stake * (1.0 - commitment.cost_cdf(stake))
    real = joined * (game.cost + commitment.carry_rate * commitment.bond
                     + commitment.trigger_prob * response - model.relief)
    fiscal = design.fiscal_cost(model, joined)
    welfare = (avoided - float(real.sum()) - design.deadweight(model, joined)
               - model.public_funds_cost * fiscal)
    extra = inflation(model)
    return {
        "participation": count,
        "coverage": float(game.coverage(joined)),
        "robustness": robustness,
        "residual_harm": float(game.scale - avoided),
        "credible_coverage": float(np.sum(delivered) / commitment.required),
        "declared_coverage": float(np.sum(joined * (q + extra) * credibility) * binds
                                   / commitment.required),
        "welfare": welfare,
        "fiscal_cost": fiscal,
    }


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DesignOutcome(Result):
    """One design evaluated: metrics under the worst and the best equilibrium."""

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
        out = {"design": self.design}
        for side in _SIDES:
            for key, value in getattr(self, side).items():
                out[f"{key}_{side}"] = value
        out["full_participation_unique"] = self.full_participation_unique
        return out


def evaluate_design(model: PolicyModel, design: Design) -> DesignOutcome:
    """Apply ``design`` to ``model``, solve the ex ante participation game, report metrics."""
    applied = design.apply(model)
    game = applied.commitment.participation_game(applied.participation)
    eqs = solve(game)
    least, greatest = eqs.least, eqs.greatest
    worst = outcome_metrics(applied, design, least.joined)
    best = outcome_metrics(applied, design, greatest.joined)
    unique = getattr(eqs, "full_participation_unique", None)
    return DesignOutcome(design=design.name, description=design.describe(), worst=worst,
                         best=best, full_participation_unique=unique,
                         n_equilibria=eqs.n_equilibria, n_actors=applied.n_actors,
                         max_regret=float(max(least.max_regret, greatest.max_regret)),
                         success=bool(eqs.success), status=int(eqs.status),
                         message=eqs.message)


def pareto_front(cost, value) -> np.ndarray:
    """Mask of points not dominated in (lower ``cost``, higher ``value``).

    Examples
    --------
    >>> pareto_front([0, 1, 2, 1], [0.2, 0.5, 0.4, 0.5]).tolist()
    [True, True, False, True]
    """
    cost, value = np.asarray(cost, dtype=float), np.asarray(value, dtype=float)
    dominated = ((cost[None, :] <= cost[:, None]) & (value[None, :] >= value[:, None])
                 & ((cost[None, :] < cost[:, None]) | (value[None, :] > value[:, None])))
    return ~dominated.any(axis=1)


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def _readout(outcome: DesignOutcome) -> str:
    w, b, n = outcome.worst, outcome.best, outcome.n_actors
    what = "with no instruments" if outcome.description == "no instruments" else \
        f"with {outcome.description}"
    if outcome.full_participation_unique:
        head = f"{what} full participation is the unique equilibrium"
    elif w["participation"] == b["participation"]:
        head = f"{what} {w['participation']} of {n} actors file in every equilibrium"
    else:
        head = (f"{what} between {w['participation']} and {b['participation']} of {n} actors "
                "file (coordination failure is possible)")
    return (f"{head}; credible coverage {_fmt(w['credible_coverage'])}"
            + (f"–{_fmt(b['credible_coverage'])}" if b["credible_coverage"] !=
               w["credible_coverage"] else "")
            + f"; fiscal cost {_fmt(w['fiscal_cost'])}")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Comparison(Result):
    """Designs side by side.

    Attributes
    ----------
    outcomes : tuple of DesignOutcome
    readouts : tuple of str
        One plain-language line per design.
    pareto : tuple of str
        Designs on the (fiscal cost, worst-case credible coverage) Pareto frontier.
    baseline : str
        The design harm averted is measured against.
    model : str
    """

    outcomes: tuple
    readouts: tuple
    pareto: tuple
    baseline: str
    model: str
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per design; metric columns end in ``_worst`` and ``_best``."""
        frame = pd.DataFrame([o.row() for o in self.outcomes]).set_index("design")
        base = frame.loc[self.baseline]
        for side in _SIDES:
            averted = base[f"residual_harm_{side}"] - frame[f"residual_harm_{side}"]
            fiscal = frame[f"fiscal_cost_{side}"]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(fiscal > 0, averted / fiscal,
                                 np.where(averted > 0, np.inf, np.nan))
            frame[f"harm_averted_per_fiscal_{side}"] = ratio
        frame["pareto"] = [name in self.pareto for name in frame.index]
        frame["readout"] = list(self.readouts)
        return frame

    def __repr__(self) -> str:
        lines = [f"Comparison(model={self.model!r}, designs={len(self.outcomes)}, "
                 f"pareto={list(self.pareto)})"]
        lines += [f"  {o.design}: {r}" for o, r in zip(self.outcomes, self.readouts)]
        return "\n".join(lines)


def compare(model: PolicyModel, designs: Sequence[Design], *,
            baseline: str | None = None) -> Comparison:
    """Compare incentive designs on one model, under worst and best equilibria.

    Parameters
    ----------
    model : PolicyModel
    designs : sequence of Design
        A design named ``"baseline"`` (no instruments) is added first if none is given.
    baseline : str, optional
        Name of the design that harm averted is measured against (default ``"baseline"``).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> res = cg.compare(model, [cg.Design("bond", [cg.PerformanceBond(amount=1.0)])])
    >>> list(res.to_frame().index)
    ['baseline', 'bond']
    """
    if not isinstance(model, PolicyModel):
        raise InvalidParameterError("compare", "model", "a PolicyModel (e.g. "
                                    "cg.PolicyModel.default())", type(model).__name__)
    designs = list(designs)
    names = [d.name for d in designs]
    if len(set(names)) != len(names):
        raise InvalidParameterError("compare", "designs", "designs with distinct names", names)
    if baseline is None:
        baseline = "baseline"
        if baseline not in names:
            designs.insert(0, Design("baseline"))
    elif baseline not in names:
        raise InvalidParameterError("compare", "baseline", "the name of one of the designs",
                                    baseline)
    outcomes = tuple(evaluate_design(model, d) for d in designs)
    front = pareto_front([o.worst["fiscal_cost"] for o in outcomes],
                         [o.worst["credible_coverage"] for o in outcomes])
    return Comparison(outcomes=outcomes, readouts=tuple(_readout(o) for o in outcomes),
                      pareto=tuple(o.design for o, keep in zip(outcomes, front) if keep),
                      baseline=baseline, model=model.name,
                      success=all(o.success for o in outcomes),
                      status=max(o.status for o in outcomes))
