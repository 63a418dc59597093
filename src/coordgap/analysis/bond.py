"""The bond trade-off (M1 × M2 × M3) and performative compliance under audits (docs/guide/m3-commitment.md).

A performance bond b raises every filer's stake, hence its credibility c_i(b), but its carrying
cost r·b and the larger expected cost of the commitment raise the cost of joining, hence can
lower participation. Whether credible coverage or welfare has an interior optimum in b is
computed, not assumed: :func:`optimal_bond` evaluates whole designs (the same path as
:func:`coordgap.compare`) on a grid refined around the best point, optimizes **welfare in the
worst equilibrium** by default, and reports the margin to the nearest bond at which
participation collapses.

Performative compliance: a filer may declare capacity q̂_i ≥ q_i to earn α per declared unit;
an audit (probability a) fines φ per squared shortfall. Maximizing α·q̂ − a·φ·(q̂ − q)² gives the
inflation q̂ − q = α/(2aφ) and a rent α²/(4aφ); :func:`performative_compliance` reports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..games.inflation import declared_inflation, inflation_rent
from ..instruments.base import PolicyModel
from ..instruments.bond import PerformanceBond, bond_basis
from ..instruments.design import Design
from ..results import Result
from .compare import evaluate_design

__all__ = [
    "BondCurve",
    "optimal_bond",
    "ComplianceReport",
    "performative_compliance",
    "declared_inflation",
]

_OBJECTIVES = ("welfare", "credible_coverage")
_SIDES = {"worst": "worst", "least": "worst", "best": "best", "greatest": "best"}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BondCurve(Result):
    """Participation, credible coverage and welfare as functions of a uniform bond.

    Attributes
    ----------
    bonds : ndarray
        Bond levels, sorted: USD m per filer (``per="filer"``) or per capacity unit.
    participation : ndarray of int
        Number of filers in the selected equilibrium at each bond.
    coverage : ndarray
        Capacity-weighted participation Σ joined·q / Σ q.
    credibility : ndarray
        Capacity-weighted mean credibility of all actors, Σ q_i·c_i / Σ q_i (rises with b).
    credible_coverage, welfare : ndarray
        The comparison's metrics in the selected equilibrium.
    objective : str
        ``"welfare"`` or ``"credible_coverage"``: what the optimum maximizes.
    optimal_bond, optimal_value : float
        The best bond on the (refined) grid and the objective there.
    optimal_credible_coverage : float
        Credible coverage at the optimal bond.
    interior : bool
        Whether the optimum lies strictly inside the searched range.
    collapse_bond : float
        The nearest bond (above or below the optimum, to ``tol``) at which participation in the
        selected equilibrium falls below its level at the optimum; NaN if none in range.
    collapse_margin : float
        |collapse_bond − optimal_bond| / optimal_bond (inf when the optimum is 0 or no collapse).
    equilibrium : str
        ``"worst"`` (least equilibrium) or ``"best"`` (greatest).
    per : str
        ``"filer"`` or ``"capacity"``: what one unit of ``bonds`` is posted per.
    success, status, message
        ``success`` is False (``status`` 1) when an equilibrium's certificate missed its
        tolerance; ``message`` says why.
    """

    bonds: np.ndarray
    participation: np.ndarray
    coverage: np.ndarray
    credibility: np.ndarray
    credible_coverage: np.ndarray
    welfare: np.ndarray
    objective: str
    optimal_bond: float
    optimal_value: float
    optimal_credible_coverage: float
    interior: bool
    collapse_bond: float
    collapse_margin: float
    equilibrium: str
    per: str = "filer"
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self):
        """One row per bond level.

        Returns
        -------
        pandas.DataFrame
            Columns ``bond``, ``participation``, ``coverage``, ``credibility``,
            ``credible_coverage`` and ``welfare``.
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "bond": self.bonds,
                "participation": self.participation,
                "coverage": self.coverage,
                "credibility": self.credibility,
                "credible_coverage": self.credible_coverage,
                "welfare": self.welfare,
            }
        )


def _policy_model(model, commitment):
    if isinstance(model, PolicyModel):
        if commitment is not None:
            raise InvalidParameterError(
                "optimal_bond",
                "commitment",
                "None when a PolicyModel is given",
                type(commitment).__name__,
            )
        return model
    if commitment is None:
        raise InvalidParameterError(
            "optimal_bond",
            "model",
            "a PolicyModel (or a ParticipationGame and a CommitmentModel)",
            type(model).__name__,
        )
    return PolicyModel.from_games(model, commitment)


def optimal_bond(
    model,
    commitment=None,
    bonds=None,
    *,
    per: str = "filer",
    equilibrium: str = "worst",
    objective: str = "welfare",
    design=None,
    refine: int = 1,
    tol: float = 1e-3,
) -> BondCurve:
    """The bond that maximizes welfare (or credible coverage), with the whole curve.

    Parameters
    ----------
    model : PolicyModel
        The policy model (or, for compatibility, a ParticipationGame followed by the
        CommitmentModel of the same actors as ``commitment``).
    commitment : CommitmentModel, optional
        Only with a ParticipationGame as ``model``; None (default) with a PolicyModel.
    bonds : array_like, optional
        Bond grid ≥ 0. Default: 21 points from 0 to 2× the largest median response cost
        (per unit of ``per``).
    per : {"filer", "capacity"}
        Every filer posts the bond, or the bond per committed capacity unit (as
        :class:`~coordgap.PerformanceBond`). ``"actor"``, the spelling of earlier versions,
        is deprecated: it is read as ``"filer"`` with a ``DeprecationWarning``.
    equilibrium : {"worst", "best"}
        The least (default) or greatest equilibrium ("least"/"greatest" are synonyms).
    objective : {"welfare", "credible_coverage"}
        What the optimal bond maximizes (default ``"welfare"``).
    design : Design, optional
        Other instruments applied with the bond.
    refine : int
        Rounds of refinement (an 11-point grid between the best point's neighbours).
    tol : float
        Width to which the collapse bond is bracketed.

    Returns
    -------
    BondCurve
        The curve over the (refined) grid, the optimum and the nearest participation collapse.

    Examples
    --------
    >>> import coordgap as cg
    >>> curve = cg.optimal_bond(cg.PolicyModel.default(), bonds=[0.0, 0.5, 1.0, 2.0],
    ...                         equilibrium="best", objective="credible_coverage", refine=0)
    >>> bool(curve.credible_coverage.max() > curve.credible_coverage[0])
    True
    """
    pm = _policy_model(model, commitment)
    if equilibrium not in _SIDES:
        raise InvalidParameterError(
            "optimal_bond", "equilibrium", "one of " + ", ".join(map(repr, _SIDES)), equilibrium
        )
    side = _SIDES[equilibrium]
    per = bond_basis(per, "optimal_bond")  # "actor" (earlier versions) warns, means "filer"
    if objective not in _OBJECTIVES:
        raise InvalidParameterError(
            "optimal_bond", "objective", "one of " + ", ".join(map(repr, _OBJECTIVES)), objective
        )
    if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol > 0):
        raise InvalidParameterError("optimal_bond", "tol", "a finite float > 0", tol)
    t = pm.actors
    profile = t.capacity if per == "capacity" else np.ones(pm.n_actors)
    if bonds is None:
        unit = t.response_cost_median / np.where(profile > 0, profile, np.inf)
        bonds = np.linspace(0.0, 2.0 * float(np.max(unit)), 21)
    try:
        grid = np.asarray(bonds, dtype=float)
    except (TypeError, ValueError):
        grid = np.array([np.nan])
    if grid.ndim != 1 or grid.size < 1 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise InvalidParameterError(
            "optimal_bond", "bonds", "a 1-D array of finite floats >= 0", bonds
        )
    others = list(design.instruments) if design is not None else []
    c_mean = float(
        np.sum(t.capacity * pm.commitment.credibility()) / (float(t.capacity.sum()) or 1.0)
    )

    def evaluate(b: float):
        trial = Design("bond", others + [PerformanceBond(amount=b, per=per)])
        outcome = evaluate_design(pm, trial)
        m = getattr(outcome, side)
        applied = trial.apply(pm)
        cred = (
            float(
                np.sum(applied.actors.capacity * applied.commitment.credibility())
                / (float(applied.actors.capacity.sum()) or 1.0)
            )
            if b > 0
            else c_mean
        )
        return (
            int(m["participation"]),
            float(m["coverage"]),
            cred,
            float(m["credible_coverage"]),
            float(m["welfare"]),
        )

    column = 4 if objective == "welfare" else 3
    rows = {float(b): evaluate(float(b)) for b in np.unique(grid)}
    lo_range, hi_range = float(grid.min()), float(grid.max())
    for _ in range(refine):
        keys = np.array(sorted(rows))
        k = int(np.argmax([rows[key][column] for key in keys]))
        left, right = keys[max(k - 1, 0)], keys[min(k + 1, keys.size - 1)]
        for b in np.linspace(left, right, 11):
            if float(b) not in rows:
                rows[float(b)] = evaluate(float(b))
    keys = np.array(sorted(rows))
    table = np.array([rows[k] for k in keys])
    best = int(np.argmax(table[:, column]))
    b_star, n_star = float(keys[best]), int(table[best, 0])
    # Nearest collapse: the closest grid neighbour with fewer filers, bracketed to tol.
    collapse = math.nan
    below = [k for k in range(best - 1, -1, -1) if table[k, 0] < n_star][:1]
    above = [k for k in range(best + 1, keys.size) if table[k, 0] < n_star][:1]
    for k in below + above:
        outside = float(keys[k])
        inside = float(keys[k + 1]) if k < best else float(keys[k - 1])
        for _ in range(60):
            if abs(outside - inside) <= tol:
                break
            mid = 0.5 * (inside + outside)
            if evaluate(mid)[0] < n_star:
                outside = mid
            else:
                inside = mid
        if math.isnan(collapse) or abs(outside - b_star) < abs(collapse - b_star):
            collapse = outside
    margin = (
        abs(collapse - b_star) / b_star if b_star > 0 and not math.isnan(collapse) else math.inf
    )
    interior = lo_range < b_star < hi_range
    name = "welfare" if objective == "welfare" else "credible coverage"
    message = (
        f"{name} {table[best, column]:.4g} at bond {b_star:.4g} ({side} equilibrium, "
        + ("interior optimum" if interior else "at the edge of the searched range")
        + ")"
        + (
            f"; participation collapses at bond {collapse:.4g}, a margin of {100 * margin:.3g}%"
            if not math.isnan(collapse)
            else "; no collapse of participation in the searched range"
        )
    )
    return BondCurve(
        bonds=keys,
        participation=table[:, 0].astype(int),
        coverage=table[:, 1],
        credibility=table[:, 2],
        credible_coverage=table[:, 3],
        welfare=table[:, 4],
        objective=objective,
        optimal_bond=b_star,
        optimal_value=float(table[best, column]),
        optimal_credible_coverage=float(table[best, 3]),
        interior=bool(interior),
        collapse_bond=float(collapse),
        collapse_margin=float(margin),
        equilibrium=side,
        per=per,
        message=message,
    )


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
    rate : float
        α, the incentive per declared capacity unit (USD m per unit).
    fine : float
        φ, the fine per squared unit of shortfall (USD m per unit²).
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
        """One row per audit probability.

        Returns
        -------
        pandas.DataFrame
            The array attributes as columns (``true_coverage`` repeated).
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "audit_prob": self.audit_prob,
                "inflation": self.inflation,
                "rent": self.rent,
                "declared_coverage": self.declared_coverage,
                "true_coverage": self.true_coverage,
                "overstatement": self.overstatement,
                "fiscal_cost": self.fiscal_cost,
            }
        )


def performative_compliance(
    model, *, rate: float, audit_prob, fine: float, audit_cost: float = 0.0
) -> ComplianceReport:
    """Capacity inflation, reported vs true credible coverage, and audit cost.

    Parameters
    ----------
    model : CommitmentModel
        The commitment model (M3); its members file and its required capacity is Q.
    rate : float
        α ≥ 0, incentive paid per declared capacity unit (USD m per unit).
    audit_prob : float or array_like
        a ∈ (0, 1], probability that a filing is audited by the technical panel.
    fine : float
        φ > 0, fine per squared unit of shortfall (USD m per unit²).
    audit_cost : float
        Cost of auditing one filing (USD m).

    Returns
    -------
    ComplianceReport
        Inflation, rent, declared and true credible coverage and audit cost at each ``a``.

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
        raise InvalidParameterError(
            "performative_compliance", "audit_prob", "a finite float in (0, 1]", audit_prob
        )
    for name, v in (("rate", rate), ("fine", fine), ("audit_cost", audit_cost)):
        if not (isinstance(v, (int, float, np.number)) and math.isfinite(v) and v >= 0) or (
            name == "fine" and v == 0
        ):
            rule = "a finite float > 0" if name == "fine" else "a finite float >= 0"
            raise InvalidParameterError("performative_compliance", name, rule, v)
    inflation = declared_inflation(rate, a, fine)
    rent = inflation_rent(rate, a, fine)
    c = model.credibility()
    joined = model.joined
    true = float(np.sum(joined * model.capacity * c) / model.required)
    extra = float(np.sum(joined * c) / model.required)
    declared = true + inflation * extra
    n_filers = int(joined.sum())
    return ComplianceReport(
        audit_prob=a,
        inflation=np.asarray(inflation),
        rent=rent,
        declared_coverage=declared,
        true_coverage=true,
        overstatement=declared - true,
        fiscal_cost=a * n_filers * audit_cost,
        rate=float(rate),
        fine=float(fine),
    )
