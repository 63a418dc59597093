"""Palfrey & Rosenthal (1984): participation in the provision of discrete public goods.

N players each decide whether to contribute a unit at cost c to a public good worth V to
every player, provided iff at least M contribute. Without a refund a contribution is lost
when the threshold is missed; with a refund (money-back guarantee) it is returned. A
contributor is pivotal when exactly M − 1 others contribute, so at a symmetric totally mixed
equilibrium with contribution probability p:

* no refund:  c = V·C(N−1, M−1)·p^(M−1)·(1 − p)^(N−M)
* refund:     c·P(at least M − 1 others) = V·C(N−1, M−1)·p^(M−1)·(1 − p)^(N−M)

The game is a symmetric binary-action game: its payoff table feeds the general root finder
(:func:`coordgap.solvers.dynamics.binary_interior_roots`), the logit QRE (:func:`coordgap.qre`)
and, for small N, a full :class:`~coordgap.NormalFormGame` for ``cg.solve``.

Reference
---------
Palfrey, T. R. and Rosenthal, H. (1984). Participation and the provision of discrete public
goods: a strategic analysis. *Journal of Public Economics* 24, 171–193. The test reproduces
the symmetric mixed equilibria of the no-refund game (Section 3): for N = 3, M = 2, V = 3,
c = 1 they are p = 1/2 ± √3/6.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..games.symmetric_binary import SymmetricBinaryGame
from ..params import param, validate
from ..solvers import dynamics

__all__ = ["ThresholdPublicGood"]


@dataclass(frozen=True, slots=True, eq=False)
class ThresholdPublicGood:
    """Binary contributions to a threshold (step-level) public good.

    Parameters
    ----------
    n_players : int
        N ≥ 2.
    threshold : int
        M ∈ [1, N] contributions needed.
    value : float
        V > 0, each player's value of the good.
    cost : float
        c > 0, cost of contributing.
    refund : bool
        Whether contributions are returned when the threshold is missed.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.ThresholdPublicGood(n_players=3, threshold=2, value=3.0, cost=1.0)
    >>> [round(p, 10) for p in g.mixed_equilibria()]
    [0.2113248654, 0.7886751346]
    """

    n_players: int = param(
        kind="integer", bounds=(2, math.inf), symbol="N", doc="number of players"
    )
    threshold: int = param(
        kind="integer", bounds=(1, math.inf), symbol="M", doc="contributions needed"
    )
    value: float = param(
        bounds=(0, math.inf),
        closed="neither",
        symbol="V",
        doc="value of the public good to each player",
    )
    cost: float = param(
        bounds=(0, math.inf), closed="neither", symbol="c", doc="cost of contributing"
    )
    refund: bool = param(False, kind="flag", doc="money-back guarantee")

    def __post_init__(self) -> None:
        validate(self)
        if self.threshold > self.n_players:
            raise InvalidParameterError(
                type(self).__name__,
                "threshold",
                f"an integer <= n_players ({self.n_players})",
                self.threshold,
            )

    def payoff_table(self) -> np.ndarray:
        """table[a, m]: payoff of contributing (a = 0) or not (a = 1), m other contributors.

        Returns
        -------
        ndarray
            Shape (2, N), m = 0..N−1.
        """
        m = np.arange(self.n_players)
        provided_if_in = m + 1 >= self.threshold
        contribute = self.value * provided_if_in - self.cost * (
            provided_if_in if self.refund else 1.0
        )
        stay_out = self.value * (m >= self.threshold)
        return np.vstack([contribute, stay_out.astype(float)])

    def normal_form(self):
        """The full N-player :class:`~coordgap.NormalFormGame` (action 0 = contribute).

        Returns
        -------
        NormalFormGame
            N players with actions ``("contribute", "abstain")``.

        Raises
        ------
        InvalidParameterError
            If N > 12.
        """
        n = self.n_players
        if n > 12:
            raise InvalidParameterError(
                type(self).__name__, "n_players", "<= 12 for a full normal form", n
            )
        # The anonymous payoff table is a symmetric binary game; it builds the full table.
        table = self.payoff_table()
        return SymmetricBinaryGame(
            table[0], table[1], actions=("contribute", "abstain"), title="threshold public good"
        ).to_normal_form()

    def mixed_equilibria(self) -> list[float]:
        """Contribution probabilities of the symmetric totally mixed equilibria, increasing.

        Returns
        -------
        list of float
            Each probability in (0, 1) at which a player is indifferent.
        """
        return [x for x, _ in dynamics.binary_interior_roots(self.payoff_table())]

    def pure_equilibria_counts(self) -> list[int]:
        """Numbers of contributors k at which some pure profile with k contributors is a Nash
        equilibrium (anonymous game: every profile with k contributors is equivalent).

        Returns
        -------
        list of int
            The counts k ∈ [0, N], increasing.
        """
        table = self.payoff_table()
        out = []
        for k in range(self.n_players + 1):
            ok = True
            if k > 0:  # a contributor (k − 1 other contributors) does not want to abstain
                ok &= table[0, k - 1] >= table[1, k - 1]
            if k < self.n_players:  # an abstainer (k other contributors) does not want in
                ok &= table[1, k] >= table[0, k]
            if ok:
                out.append(k)
        return out
