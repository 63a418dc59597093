"""Varian (2004): system reliability and free riding — total effort, weakest link, best shot.

Varian's reliability game is the preparedness game (docs/guide/m1-preparedness.md) with linear costs and one
of three aggregators: ``sum`` (total effort), ``weakest_link`` (min) and ``best_shot`` (max).
With stand-alone optima ê_i = max(0, ln(s_i·p·H·κ/c_i)/κ) (effective units, weight 1):

* **total effort**: only the actor(s) with the highest s_i/c_i contribute; reliability is
  max_i ê_i (as in Bergstrom–Blume–Varian);
* **weakest link**: every common level in [0, min_i ê_i] is a Nash equilibrium — the
  maximal one is set by the actor with the lowest benefit–cost ratio;
* **best shot**: in every pure equilibrium at most one actor contributes, and it provides its
  stand-alone level;
* the social optimum of the best-shot game uses the cheapest effective provider, of the
  weakest-link game a common level that all must pay for.

The module builds the games on :class:`~coordgap.PreparednessGame`; equilibria come from
``cg.solve`` (the aggregative solver), and :func:`standalone_levels` gives Varian's closed forms
for the tests.

Reference
---------
Varian, H. (2004). System reliability and free riding. In *Economics of Information Security*,
Kluwer, 1–15 (Sections 3–5: total effort, weakest link, best shot).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterError, did_you_mean
from ..games.preparedness import PreparednessGame

__all__ = ["reliability_game", "standalone_levels", "VARIAN_AGGREGATORS"]

VARIAN_AGGREGATORS = {
    "total_effort": "sum",
    "weakest_link": "weakest_link",
    "best_shot": "best_shot",
}


def reliability_game(
    kind: str,
    share,
    cost,
    *,
    prob: float = 1.0,
    harm: float = 1.0,
    efficacy: float = 1.0,
    names=None,
) -> PreparednessGame:
    """Varian's reliability game of ``kind`` "total_effort", "weakest_link" or "best_shot".

    Parameters
    ----------
    kind : {"total_effort", "weakest_link", "best_shot"}
        How efforts combine into reliability.
    share : float or array_like
        s_i ∈ (0, 1], benefit share of each actor; Σ s_i ≤ 1.
    cost : float or array_like
        c_i > 0, constant unit cost of effort.
    prob, harm, efficacy : float
        p, H and κ of the benefit B(R) = p·H·(1 − exp(−κR)).
    names : sequence of str, optional
        Actor names.

    Returns
    -------
    PreparednessGame
        A linear-cost game with the aggregator of ``kind`` (``total_effort`` is ``"sum"``).

    Raises
    ------
    InvalidParameterError
        For an unknown ``kind``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.reliability_game("weakest_link", share=[0.3, 0.2], cost=1.0,
    ...                                  prob=0.5, harm=100.0, efficacy=0.5)
    >>> eq = cg.solve(g)
    >>> eq.continuum, round(eq.greatest.robustness, 6)
    (True, 3.218876)
    """
    if kind not in VARIAN_AGGREGATORS:
        raise InvalidParameterError(
            "reliability_game",
            "kind",
            "one of " + ", ".join(map(repr, VARIAN_AGGREGATORS)),
            kind,
            did_you_mean(str(kind), VARIAN_AGGREGATORS),
        )
    return PreparednessGame(
        share=share,
        cost=cost,
        prob=prob,
        harm=harm,
        efficacy=efficacy,
        cost_exponent=1.0,
        aggregator=VARIAN_AGGREGATORS[kind],
        names=names,
    )


def standalone_levels(game: PreparednessGame) -> np.ndarray:
    """ê_i = max(0, ln(s_i·p·H·κ/c_i)/κ): each actor's optimum if it alone provided.

    Parameters
    ----------
    game : PreparednessGame
        A linear-cost game (as made by :func:`reliability_game`).

    Returns
    -------
    ndarray
        ê_i for every actor, shape (n_actors,) (weights are not applied).
    """
    scale = game.prob * game.harm * game.efficacy * game.share / game.cost
    with np.errstate(divide="ignore"):
        return np.maximum(0.0, np.log(scale) / game.efficacy)
