"""The incentive level that makes full registry participation the unique equilibrium (M2)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..api import solve
from ..errors import InvalidParameterError
from ..results import Result

__all__ = ["UniqueParticipationIncentive", "unique_participation_incentive"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class UniqueParticipationIncentive(Result):
    """Smallest incentive level at which "everybody joins" is the unique pure equilibrium.

    Attributes
    ----------
    level : float
        The level found: an amount added to every I_i (``how="add"``, USD m) or a factor on
        the I_i (``how="scale"``).
    how : str
        ``"add"`` or ``"scale"``, as passed.
    unique_at_level : bool
        Certificate: full participation is the unique equilibrium at ``level`` (exact solver).
    unique_below : bool
        Whether it is already unique at ``level − tol`` (False confirms the bracket).
    fiscal_cost : float
        Σ_i I_i at ``level`` (every actor joins and is paid).
    evaluations : int
        Games solved.
    success, status, message
        ``success`` is False (``status`` 1) when the certificate fails; ``message`` says why.
    """

    level: float
    how: str
    unique_at_level: bool
    unique_below: bool
    fiscal_cost: float
    evaluations: int
    success: bool = True
    status: int = 0
    message: str = ""


def unique_participation_incentive(
    game, *, how: str = "add", tol: float = 1e-6, upper: float | None = None
) -> UniqueParticipationIncentive:
    """Bisection on the incentive level until full participation is the unique equilibrium.

    Each step solves the game exactly (:func:`coordgap.solve`). Under increasing differences
    more incentive never lowers the least equilibrium, so "full participation is unique" is
    monotone in the level and the bisection is exact to ``tol``; otherwise the result is still
    certified at the returned level (``unique_at_level``) and just below it (``unique_below``).

    Parameters
    ----------
    game : ParticipationGame
        The registry participation game (M2); its incentives I_i are the base level.
    how : {"add", "scale"}
        Add the level to every I_i, or multiply every I_i by it.
    tol : float
        Width of the final bracket.
    upper : float, optional
        Start of the upper bracket (doubled until full participation is unique).

    Returns
    -------
    UniqueParticipationIncentive
        The level, its certificate and the fiscal cost Σ_i I_i at that level.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame.anonymous([0.0, 0.0, 4.0, 6.0], 1.0, [1.0, 2.0, 3.0])
    >>> r = cg.unique_participation_incentive(g)   # the first actor must join alone: I > 1
    >>> round(r.level, 5), r.unique_at_level, r.unique_below
    (1.0, True, False)
    """
    if how not in ("add", "scale"):
        raise InvalidParameterError(
            "unique_participation_incentive", "how", "one of 'add', 'scale'", how
        )
    if not (math.isfinite(tol) and tol > 0):
        raise InvalidParameterError(
            "unique_participation_incentive", "tol", "a finite float > 0", tol
        )
    evaluations = 0
    base_cost = game.cost
    base_incentive = game.incentive

    def variant(level):
        inc = base_incentive + level if how == "add" else base_incentive * level
        # The anonymous form stores k − I as (max(net, 0), max(−net, 0)); keep k fixed here.
        return game.replace(cost=base_cost, incentive=np.maximum(inc, 0.0))

    def unique(level) -> bool:
        nonlocal evaluations
        evaluations += 1
        # solve() of a ParticipationGame returns the lattice solver's result.
        return bool(solve(variant(level)).full_participation_unique)  # type: ignore[attr-defined]

    low = 0.0 if how == "add" else (1.0 if np.any(base_incentive > 0) else 0.0)
    if how == "scale" and not np.any(base_incentive > 0):
        raise InvalidParameterError(
            "unique_participation_incentive",
            "game",
            "a game with some positive incentive to scale",
            "all zero",
        )
    if unique(low):
        return UniqueParticipationIncentive(
            low,
            how,
            True,
            True,
            float(np.sum(variant(low).incentive)),
            evaluations,
            message="full participation is already unique",
        )
    high = (
        upper
        if upper is not None
        else (max(1.0, float(np.max(np.abs(game.net_cost / game.share)))) if how == "add" else 2.0)
    )
    for _ in range(60):
        if unique(high):
            break
        low, high = high, 2.0 * high
    else:
        return UniqueParticipationIncentive(
            math.nan,
            how,
            False,
            False,
            math.nan,
            evaluations,
            success=False,
            status=1,
            message="no level up to 2^60 times the start makes full participation unique",
        )
    while high - low > tol:
        mid = 0.5 * (low + high)
        if unique(mid):
            high = mid
        else:
            low = mid
    below = unique(max(high - tol, 0.0))
    fiscal = float(np.sum(variant(high).incentive))
    return UniqueParticipationIncentive(
        level=float(high),
        how=how,
        unique_at_level=True,
        unique_below=below,
        fiscal_cost=fiscal,
        evaluations=evaluations,
        message=(
            f"full participation is the unique equilibrium with incentives "
            f"{'+' if how == 'add' else '×'}{high:.6g} (fiscal cost {fiscal:.6g})"
        ),
    )
