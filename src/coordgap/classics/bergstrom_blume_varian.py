"""Bergstrom, Blume & Varian (1986): private provision of a public good.

In the preparedness game (DESIGN.md, M1) with the ``sum`` aggregator and linear costs
(γ = 1) — actor i pays c_i per unit and receives the share s_i of the benefit B(R) =
p·H·(1 − e^(−κR)) — the model is the BBV private-provision game with quasi-linear
preferences. Its Nash equilibrium is unique in the total and has the BBV properties:

* only the actors with the highest s_i·w_i/c_i contribute (Theorem 2: contributors are those
  with the highest willingness to pay for the good relative to its cost);
* total provision R* = max(R0, ln(p·H·κ·max_i s_i w_i/c_i)/κ) does not depend on anything
  about the non-contributors, and any redistribution among the others leaves it unchanged
  (the neutrality result, BBV Theorem 5 / Warr 1983);
* R* falls short of the optimum ln(p·H·κ·max_i w_i/c_i)/κ by ln(1/s)/κ for equal actors.

This module is a thin constructor over :class:`~coordgap.PreparednessGame` plus the closed form;
the equilibrium itself comes from ``cg.solve``.

Reference
---------
Bergstrom, T., Blume, L. and Varian, H. (1986). On the private provision of public goods.
*Journal of Public Economics* 29, 25–49. Warr, P. G. (1983). The private provision of a public
good is independent of the distribution of income. *Economics Letters* 13, 207–211.
"""

from __future__ import annotations

import numpy as np

from ..games.preparedness import PreparednessGame

__all__ = ["private_provision", "provision_closed_form"]


def private_provision(
    share,
    cost,
    *,
    prob: float = 1.0,
    harm: float = 1.0,
    efficacy: float = 1.0,
    weight=None,
    baseline: float = 0.0,
    names=None,
) -> PreparednessGame:
    """The BBV private-provision game as a linear-cost ``sum`` preparedness game.

    Parameters
    ----------
    share : float or array_like
        s_i ∈ (0, 1], benefit share of each actor; Σ s_i ≤ 1.
    cost : float or array_like
        c_i > 0, constant unit cost of provision.
    prob, harm, efficacy : float
        p, H and κ of the benefit B(R) = p·H·(1 − exp(−κR)).
    weight : float or array_like, optional
        w_i > 0, productivity of each actor's provision (default 1).
    baseline : float
        R0 ≥ 0, provision present without any contribution.
    names : sequence of str, optional
        Actor names.

    Returns
    -------
    PreparednessGame
        With ``cost_exponent=1`` and ``aggregator="sum"``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.private_provision(share=[0.3, 0.2, 0.1], cost=1.0, prob=0.5,
    ...                                   harm=100.0, efficacy=0.5)
    >>> eq = cg.solve(g)
    >>> round(eq[0].robustness, 6), round(cg.classics.provision_closed_form(g), 6)
    (4.029806, 4.029806)
    """
    return PreparednessGame(
        share=share,
        cost=cost,
        weight=weight,
        prob=prob,
        harm=harm,
        efficacy=efficacy,
        cost_exponent=1.0,
        aggregator="sum",
        baseline=baseline,
        names=names,
    )


def provision_closed_form(game: PreparednessGame) -> float:
    """R* = max(R0, ln(p·H·κ·max_i s_i w_i/c_i)/κ) — total provision at the BBV equilibrium.

    Parameters
    ----------
    game : PreparednessGame
        A linear-cost ``sum`` game (as made by :func:`private_provision`).

    Returns
    -------
    float
        R*, the equilibrium robustness: only the actors with the largest s_i w_i/c_i provide.
    """
    ratio = float(np.max(game.share * game.weight / game.cost))
    scale = game.prob * game.harm * game.efficacy * ratio
    if scale <= 0:
        return game.baseline
    return max(game.baseline, float(np.log(scale)) / game.efficacy)
