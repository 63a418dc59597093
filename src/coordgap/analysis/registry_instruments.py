"""Studies of the living-registry instruments: quality-tied incentives at equal fiscal cost,
and designs evaluated with a standing venue's equilibrium selection.

The instruments themselves are in :mod:`coordgap.instruments.quality` and
:mod:`coordgap.instruments.venue`; the studies evaluate designs, so they live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvalidParameterError
from ..instruments.base import Instrument, PolicyModel
from ..instruments.design import Design
from ..instruments.quality import QUALITY_BASES, QualityIncentive
from ..instruments.venue import expected_metrics, venue_selection
from ..results import Result
from .compare import evaluate_design, scale_to_budget

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QualityComparison", "quality_comparison", "VenueOutcome", "venue_outcome"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class QualityComparison(Result):
    """Credible- and declared-basis incentives scaled to the same fiscal costs.

    Attributes
    ----------
    rows : tuple of dict
        One row per (budget, basis): ``budget`` and ``fiscal_cost`` (USD m per period, worst
        equilibrium), ``reached`` (whether the cost is the budget), ``rate`` (USD m per
        capacity unit), ``inflation`` (declared minus true capacity per filer, capacity
        units), ``inflation_gap`` (declared minus credible coverage, share of required
        capacity, worst equilibrium), and ``participation``, ``credible_coverage`` and
        ``declared_coverage`` under the worst and the best equilibrium.
    precision : float
        π of the credible basis.
    """

    rows: tuple
    precision: float

    def to_frame(self) -> pd.DataFrame:
        """One row per (budget, basis).

        Returns
        -------
        pandas.DataFrame
            The columns of :attr:`rows`.
        """
        import pandas

        return pandas.DataFrame(list(self.rows))


def quality_comparison(
    model: PolicyModel, budgets, *, precision: float = 1.0, fixed: Sequence[Instrument] = ()
) -> QualityComparison:
    """Scale a credible-basis and a declared-basis incentive to each budget and compare them.

    The instruments in ``fixed`` (e.g. an :class:`~coordgap.Audit`, which sets a and φ) are
    applied to the model first and held fixed; only the incentive's rate is scaled, by
    :func:`coordgap.analysis.compare.scale_to_budget` (fiscal cost in the worst equilibrium).

    Parameters
    ----------
    model : PolicyModel
        The policy model (not changed).
    budgets : sequence of float
        Fiscal costs to compare at (USD m per period), each ≥ 0.
    precision : float
        π of the credible basis (default 1).
    fixed : sequence of Instrument
        Instruments in force for both bases.

    Returns
    -------
    QualityComparison
        One row per budget and basis.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> res = quality_comparison(model, [5.0], fixed=[cg.Audit(prob=0.5, fine=2.0)])
    >>> frame = res.to_frame().set_index("basis")
    >>> bool(frame.loc["credible", "inflation"] <= frame.loc["declared", "inflation"])
    True
    """
    background = Design("fixed", list(fixed))
    base = background.apply(model)
    grid = np.atleast_1d(np.asarray(budgets, dtype=float))
    if grid.ndim != 1 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise InvalidParameterError(
            "quality_comparison", "budgets", "a sequence of finite floats >= 0", budgets
        )
    rows = []
    for budget in grid:
        for basis in QUALITY_BASES:
            pi = precision if basis == "credible" else 1.0
            item = QualityIncentive(rate=1.0, basis=basis, precision=pi)
            scaled = scale_to_budget(base, Design(basis, [item]), float(budget))
            design = Design(basis, list(fixed) + list(scaled.design.instruments))
            outcome = evaluate_design(model, design)
            applied = design.apply(model)
            w, b = outcome.worst, outcome.best
            rows.append(
                {
                    "budget": float(budget),
                    "basis": basis,
                    "rate": float(scaled.design.instruments[0].size),
                    "fiscal_cost": float(w["fiscal_cost"]),
                    "reached": bool(scaled.reached),
                    "inflation": float(applied.inflation),
                    "inflation_gap": float(w["declared_coverage"] - w["credible_coverage"]),
                    "participation_worst": w["participation"],
                    "participation_best": b["participation"],
                    "credible_coverage_worst": w["credible_coverage"],
                    "credible_coverage_best": b["credible_coverage"],
                    "declared_coverage_worst": w["declared_coverage"],
                }
            )
    return QualityComparison(rows=tuple(rows), precision=float(precision))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class VenueOutcome(Result):
    """A design evaluated with its venues' equilibrium selection.

    Attributes
    ----------
    design : str
        Name of the design.
    selection : float
        Probability the greatest equilibrium is played (:func:`venue_selection`).
    worst, best, expected : dict of str to float
        Metrics (:data:`coordgap.analysis.compare.METRICS`, in their units) under the least
        and the greatest equilibrium, and their mixture with weight ``selection`` on the best.
    n_equilibria : int or None
        Number of pure equilibria of the ex ante participation game (None: not counted).
    """

    design: str
    selection: float
    worst: dict
    best: dict
    expected: dict
    n_equilibria: int | None


def venue_outcome(model: PolicyModel, design: Design) -> VenueOutcome:
    """Evaluate ``design`` on ``model`` and weight its equilibria by the venues' selection.

    Parameters
    ----------
    model : PolicyModel
        The policy model without the design (not changed).
    design : Design
        The design (with or without :class:`StandingVenue` instruments).

    Returns
    -------
    VenueOutcome
        Worst, best and expected metrics.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.instruments import StandingVenue
    >>> model = cg.PolicyModel.default()
    >>> out = venue_outcome(model, cg.Design("v", [StandingVenue(selection=1.0)]))
    >>> out.expected["participation"] == out.best["participation"]
    True
    """
    outcome = evaluate_design(model, design)
    s = venue_selection(design)
    return VenueOutcome(
        design=design.name,
        selection=s,
        worst=dict(outcome.worst),
        best=dict(outcome.best),
        expected=expected_metrics(outcome.worst, outcome.best, s),
        n_equilibria=outcome.n_equilibria,
    )
