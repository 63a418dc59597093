"""The bond trade-off (M2 × M3) and performative compliance under audits (DESIGN.md, M3).

A performance bond b raises every filer's stake, hence its credibility c_i(b), but its carrying
cost r·b and the larger expected ex-post cost p_trigger·E[min(A_i, S_i)] raise the cost of
joining, hence lower participation. Credible coverage = Σ joined_i(b)·q_i·c_i(b) / Q has an
interior optimum in b, which :func:`optimal_bond` finds on a grid refined around the best point.

Performative compliance: a filer may declare capacity q̂_i ≥ q_i to earn α per declared unit;
an audit (probability a) fines φ per squared shortfall. Maximizing α·q̂ − a·φ·(q̂ − q)² gives the
inflation q̂ − q = α/(2aφ) and a rent α²/(4aφ); :func:`performative_compliance` reports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..api import solve
from ..errors import InvalidParameterError
from ..results import Result

__all__ = ["BondCurve", "optimal_bond", "ComplianceReport", "performative_compliance",
           "declared_inflation"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BondCurve(Result):
    """Credible coverage as a function of a uniform performance bond.

    Attributes
    ----------
    bonds : ndarray
        Bond levels β, sorted: USD m per capacity unit (``per="capacity"``) or per filer.
    participation : ndarray of int
        Number of joiners in the selected equilibrium at each b.
    coverage : ndarray
        Capacity-weighted participation Σ joined·q / Σ q.
    credibility : ndarray
        Capacity-weighted mean credibility of all actors, Σ q_i·c_i / Σ q_i (rises with b).
    credible_coverage : ndarray
        Σ joined·q_i·c_i / required capacity.
    optimal_bond, optimal_credible_coverage : float
        The best bond on the (refined) grid and its credible coverage.
    interior : bool
        Whether the optimum lies strictly inside the searched range.
    equilibrium : str
        ``"best"``, ``"worst"``, ``"greatest"`` or ``"least"``: which equilibrium participation
        is read from.
    """

    bonds: np.ndarray
    participation: np.ndarray
    coverage: np.ndarray
    credibility: np.ndarray
    credible_coverage: np.ndarray
    optimal_bond: float
    optimal_credible_coverage: float
    interior: bool
    equilibrium: str
    per: str = "capacity"
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self):
        """One row per bond level."""
        import pandas as pd

        return pd.DataFrame({"bond": self.bonds, "participation": self.participation,
                             "coverage": self.coverage, "credibility": self.credibility,
                             "credible_coverage": self.credible_coverage})


def _evaluate(game, model, bond: float, equilibrium: str, profile):
    m = model.with_bond(bond * profile)
    eq = solve(m.participation_game(game), limit=4096)
    c = m.credibility()
    q = m.capacity
    if equilibrium in ("greatest", "least"):
        joined = (eq.greatest if equilibrium == "greatest" else eq.least).joined
    else:  # best/worst: the listed equilibrium with the highest/lowest credible coverage
        values = [float(np.sum(e.joined * q * c)) for e in eq]
        pick = int(np.argmax(values) if equilibrium == "best" else np.argmin(values))
        joined = eq[pick].joined
    total_q = float(q.sum()) or 1.0
    return (int(joined.sum()), float(np.sum(joined * q) / total_q),
            float(np.sum(q * c) / total_q), m.credible_coverage(joined))


def optimal_bond(game, model, bonds=None, *, per: str = "capacity",
                 equilibrium: str = "best", refine: int = 1) -> BondCurve:
    """The bond that maximizes credible coverage, with the whole curve.

    Parameters
    ----------
    game : ParticipationGame
        The M2 game (its costs are the joining costs k_i before the commitment).
    model : CommitmentModel
        The M3 model for the same actors; the bond is added to its bonds.
    bonds : array_like, optional
        Bond grid β ≥ 0. Default: 31 points from 0 to 3× the largest median response cost
        per unit of ``per``.
    per : {"capacity", "actor"}
        Actor i posts β·q_i (a bond per committed capacity unit, USD m per unit) or β (the
        same bond for every filer, USD m).
    equilibrium : {"best", "worst", "greatest", "least"}
        Which equilibrium's participation to use: the one with the highest (lowest) credible
        coverage, or the one with the most (fewest) joiners.
    refine : int
        Rounds of refinement (an 11-point grid between the best point's neighbours).

    Returns
    -------
    BondCurve

    Examples
    --------
    >>> import coordgap as cg
    >>> curve = cg.optimal_bond(cg.ParticipationGame.default(), cg.CommitmentModel.default())
    >>> curve.interior, curve.optimal_bond > 0
    (True, True)
    """
    choices = ("best", "worst", "greatest", "least")
    if equilibrium not in choices:
        raise InvalidParameterError("optimal_bond", "equilibrium",
                                    "one of " + ", ".join(map(repr, choices)), equilibrium)
    if per not in ("capacity", "actor"):
        raise InvalidParameterError("optimal_bond", "per", "one of 'capacity', 'actor'", per)
    profile = model.capacity if per == "capacity" else np.ones(model.n_actors)
    if bonds is None:
        unit = model.response_cost_median / np.where(profile > 0, profile, np.inf)
        bonds = np.linspace(0.0, 3.0 * float(np.max(unit)), 31)
    grid = np.asarray(bonds, dtype=float)
    if grid.ndim != 1 or grid.size < 1 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise InvalidParameterError("optimal_bond", "bonds", "a 1-D array of finite floats "
                                    ">= 0", bonds)
    grid = np.unique(grid)
    rows = {float(b): _evaluate(game, model, float(b), equilibrium, profile) for b in grid}
    lo_range, hi_range = float(grid[0]), float(grid[-1])
    for _ in range(refine):
        keys = np.array(sorted(rows))
        values = np.array([rows[k][3] for k in keys])
        k = int(np.argmax(values))
        left, right = keys[max(k - 1, 0)], keys[min(k + 1, keys.size - 1)]
        for b in np.linspace(left, right, 11):
            if float(b) not in rows:
                rows[float(b)] = _evaluate(game, model, float(b), equilibrium, profile)
    keys = np.array(sorted(rows))
    table = np.array([rows[k] for k in keys])
    best = int(np.argmax(table[:, 3]))
    b_star = float(keys[best])
    interior = lo_range < b_star < hi_range
    message = (f"credible coverage {table[best, 3]:.4g} at bond {b_star:.4g} "
               + ("(interior optimum)" if interior else "(at the edge of the searched range)"))
    return BondCurve(bonds=keys, participation=table[:, 0].astype(int), coverage=table[:, 1],
                     credibility=table[:, 2], credible_coverage=table[:, 3],
                     optimal_bond=b_star, optimal_credible_coverage=float(table[best, 3]),
                     interior=bool(interior), equilibrium=equilibrium, per=per,
                     message=message)


def declared_inflation(rate, audit_prob, fine):
    """q̂ − q = α/(2aφ): the declared-capacity inflation that maximizes α·q̂ − aφ(q̂ − q)².

    Infinite when the audit probability or the fine is zero (nothing checks declarations).

    Examples
    --------
    >>> declared_inflation(0.2, 0.5, 2.0)
    0.1
    """
    rate, audit_prob, fine = (np.asarray(v, dtype=float) for v in (rate, audit_prob, fine))
    for name, v, lo in (("rate", rate, 0.0), ("audit_prob", audit_prob, 0.0), ("fine", fine, 0.0)):
        if not np.all(np.isfinite(v)) or np.any(v < lo) or (name == "audit_prob"
                                                             and np.any(v > 1)):
            rule = "a finite float in [0, 1]" if name == "audit_prob" else "a finite float >= 0"
            raise InvalidParameterError("declared_inflation", name, rule, v.tolist())
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(rate == 0, 0.0, rate / (2.0 * audit_prob * fine))
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ComplianceReport(Result):
    """Declared against true credible coverage under audits.

    Attributes
    ----------
    audit_prob : ndarray
        Audit probabilities a.
    inflation : ndarray
        Per-filer declared-capacity inflation α/(2aφ) at each a.
    rent : ndarray
        Per-filer expected gain from inflating, α²/(4aφ).
    declared_coverage : ndarray
        Credible coverage the registry would report from declarations,
        Σ joined·(q_i + inflation)·c_i / Q.
    true_coverage : float
        Credible coverage of the capacity that exists, Σ joined·q_i·c_i / Q.
    overstatement : ndarray
        declared_coverage − true_coverage.
    fiscal_cost : ndarray
        Audit cost a·(number of filers)·audit_cost.
    """

    audit_prob: np.ndarray
    inflation: np.ndarray
    rent: np.ndarray
    declared_coverage: np.ndarray
    true_coverage: float
    overstatement: np.ndarray
    fiscal_cost: np.ndarray
    rate: float
    fine: float

    def to_frame(self):
        """One row per audit probability."""
        import pandas as pd

        return pd.DataFrame({"audit_prob": self.audit_prob, "inflation": self.inflation,
                             "rent": self.rent, "declared_coverage": self.declared_coverage,
                             "true_coverage": self.true_coverage,
                             "overstatement": self.overstatement,
                             "fiscal_cost": self.fiscal_cost})


def performative_compliance(model, *, rate: float, audit_prob, fine: float,
                            audit_cost: float = 0.0) -> ComplianceReport:
    """Capacity inflation, reported vs true credible coverage, and audit cost.

    Parameters
    ----------
    model : CommitmentModel
    rate : float
        α ≥ 0, incentive paid per declared capacity unit (USD m per unit).
    audit_prob : float or array_like
        a ∈ (0, 1], probability that a filing is audited by the technical panel.
    fine : float
        φ > 0, fine per squared unit of shortfall (USD m per unit²).
    audit_cost : float
        Cost of auditing one filing (USD m).

    Examples
    --------
    >>> import coordgap as cg
    >>> m = cg.CommitmentModel(capacity=[2.0, 1.0], bond=5.0, response_cost_median=1.0)
    >>> r = cg.performative_compliance(m, rate=0.2, audit_prob=[0.1, 0.5], fine=2.0)
    >>> r.inflation
    array([0.5, 0.1])
    >>> bool(r.overstatement[0] > r.overstatement[1] > 0)
    True
    """
    a = np.atleast_1d(np.asarray(audit_prob, dtype=float))
    if not np.all(np.isfinite(a)) or np.any(a <= 0) or np.any(a > 1):
        raise InvalidParameterError("performative_compliance", "audit_prob",
                                    "a finite float in (0, 1]", audit_prob)
    for name, v in (("rate", rate), ("fine", fine), ("audit_cost", audit_cost)):
        if not (isinstance(v, (int, float, np.number)) and math.isfinite(v) and v >= 0) \
                or (name == "fine" and v == 0):
            rule = "a finite float > 0" if name == "fine" else "a finite float >= 0"
            raise InvalidParameterError("performative_compliance", name, rule, v)
    inflation = declared_inflation(rate, a, fine)
    rent = rate**2 / (4.0 * a * fine)
    c = model.credibility()
    joined = model.joined
    true = float(np.sum(joined * model.capacity * c) / model.required)
    extra = float(np.sum(joined * c) / model.required)
    declared = true + inflation * extra
    n_filers = int(joined.sum())
    return ComplianceReport(audit_prob=a, inflation=np.asarray(inflation), rent=rent,
                            declared_coverage=declared, true_coverage=true,
                            overstatement=declared - true, fiscal_cost=a * n_filers * audit_cost,
                            rate=float(rate), fine=float(fine))
