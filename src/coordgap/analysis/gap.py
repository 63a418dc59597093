"""The coordination gap report: equilibrium against the social optimum (docs/guide/m1-preparedness.md)."""

from __future__ import annotations

import math

import numpy as np

from ..api import optimum, solve
from ..results import GapReport

__all__ = ["gap", "gap_from"]

_ZERO = 1e-12


def _ratio(num: float, den: float) -> float:
    if abs(den) <= _ZERO:
        return 1.0 if abs(num) <= _ZERO else math.inf
    if math.isinf(num) and math.isinf(den):  # both beyond the double range (ces near ρ = 0)
        return 1.0 if (num > 0) == (den > 0) else -1.0
    return num / den


def _poa(opt: float, nash: float) -> float:
    if nash <= _ZERO:
        return 1.0 if opt <= _ZERO else math.inf
    return opt / nash


def gap_from(game, equilibria, optimum) -> GapReport:
    """Assemble a :class:`~coordgap.results.GapReport` from solved equilibria and optimum.

    Parameters
    ----------
    game : PreparednessGame
        The game the equilibria and the optimum were computed for.
    equilibria : EquilibriumSet or iterable of PreparednessEquilibrium
        Its equilibria (at least one); the worst and best are chosen by welfare.
    optimum : SocialOptimum
        Its social optimum.

    Returns
    -------
    GapReport
        As :func:`gap`, without solving anything.
    """
    eqs = list(equilibria)
    worst = min(eqs, key=lambda e: e.welfare)
    best = max(eqs, key=lambda e: e.welfare)
    costs = game.costs(worst.investment)
    total = float(costs.sum())
    shares = costs / total if total > 0 else np.zeros_like(costs)
    riders = tuple(name for name, x in zip(game.names, worst.investment) if x <= 0)
    h_opt = optimum.residual_harm
    return GapReport(
        robustness_opt=optimum.robustness,
        robustness_worst=worst.robustness,
        robustness_best=best.robustness,
        robustness_ratio_worst=_ratio(worst.robustness, optimum.robustness),
        robustness_ratio_best=_ratio(best.robustness, optimum.robustness),
        residual_harm_opt=h_opt,
        residual_harm_worst=worst.residual_harm,
        residual_harm_best=best.residual_harm,
        residual_harm_ratio_worst=_ratio(worst.residual_harm, h_opt),
        residual_harm_ratio_best=_ratio(best.residual_harm, h_opt),
        welfare_opt=optimum.welfare,
        welfare_worst=worst.welfare,
        welfare_best=best.welfare,
        welfare_loss_worst=optimum.welfare - worst.welfare,
        welfare_loss_best=optimum.welfare - best.welfare,
        price_of_anarchy=_poa(optimum.welfare, worst.welfare),
        price_of_stability=_poa(optimum.welfare, best.welfare),
        free_riders=riders,
        cost_shares=shares,
        benefit_shares=np.asarray(game.share, dtype=float),
        names=tuple(game.names),
        n_equilibria=getattr(equilibria, "n_equilibria", len(eqs)),
        success=bool(getattr(equilibria, "success", True) and optimum.success),
        status=max(int(getattr(equilibria, "status", 0)), optimum.status),
        message=_message(getattr(equilibria, "message", ""), optimum),
    )


def _message(equilibria_message: str, optimum) -> str:
    """The equilibria's message, with the optimum's when the optimum is not certified."""
    if optimum.success:
        return equilibria_message
    return "; ".join(m for m in (equilibria_message, f"optimum: {optimum.message}") if m)


def gap(game, **solve_options) -> GapReport:
    """Gap between equilibrium and optimal preparedness.

    Parameters
    ----------
    game : PreparednessGame
        The preparedness game (M1).
    **solve_options
        Passed to :func:`coordgap.solve`.

    Returns
    -------
    GapReport
        Robustness ratio, residual harm, welfare loss, price of anarchy, free riders and cost
        shares; with several equilibria, for the worst and the best. ``success`` is True only
        when every equilibrium and the optimum passed their certificates.

    Examples
    --------
    One actor with linear cost: the gap in robustness is ln(1/s)/κ.

    >>> import math, coordgap as cg
    >>> g = cg.PreparednessGame(share=0.25, cost=1.0, prob=1.0, harm=100.0, efficacy=1.0,
    ...                         n_actors=1)
    >>> report = cg.gap(g)
    >>> round(report.robustness_opt - report.robustness_worst, 12) == round(math.log(4), 12)
    True

    With CES near ρ = 0 every actor investing a little makes the aggregate explode, in the
    equilibrium and in the optimum alike, so nothing is lost:

    >>> g = cg.PreparednessGame(share=[0.2, 0.1, 0.05], cost=[1.0, 2.0, 0.5], prob=0.5,
    ...                         harm=100.0, efficacy=0.2, cost_exponent=2.0,
    ...                         aggregator="ces", ces_rho=0.001)
    >>> report = cg.gap(g)
    >>> report.success, round(report.welfare_opt, 6), round(report.price_of_anarchy, 6)
    (True, 50.0, 1.0)
    """
    return gap_from(game, solve(game, **solve_options), optimum(game))
