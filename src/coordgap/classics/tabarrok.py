"""Tabarrok (1998): the dominant assurance contract.

An entrepreneur offers N potential contributors a contract: each who signs pays a price c if at
least K sign (the good, worth V to each player, is then provided); if fewer than K sign, the
project fails and every signer gets a refund plus a bonus f > 0. Non-signers enjoy the good if
it is provided (it is non-excludable).

With K = N (every signature needed), signing is a **dominant strategy** whenever V > c and
f > 0: if all others sign, signing yields V − c > 0 instead of 0 (one refusal kills the
project); if some other refuses, signing yields the bonus f > 0 instead of 0. So the unique
equilibrium provides the good, and the bonus is never paid (Tabarrok 1998, Section 3). With
K < N signing is no longer dominant (contributions beyond the K-th are wasted from the signer's
view); the symmetric mixed equilibria solve

    (V − c)·P(exactly K − 1 others) − c·P(at least K others) + f·P(at most K − 2 others) = 0.

The contract is a symmetric binary-action game; equilibria come from the general machinery
(:func:`coordgap.solvers.dynamics.binary_interior_roots` and the :class:`~coordgap.NormalFormGame`
for brute-force dominance checks).

Reference
---------
Tabarrok, A. (1998). The private provision of public goods via dominant assurance contracts.
*Public Choice* 96, 345–362. The test reproduces the dominance theorem (K = N, V > c, f > 0)
and the failure of dominance without the bonus (f = 0: not signing is a best response when
another refuses, so "nobody signs" is also an equilibrium — the ordinary assurance contract).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import InvalidParameterError
from ..games.symmetric_binary import SymmetricBinaryGame
from ..params import param, validate
from ..solvers import dynamics

__all__ = ["DominantAssuranceContract"]


@dataclass(frozen=True, slots=True, eq=False)
class DominantAssuranceContract:
    """Assurance contract with a failure bonus.

    Parameters
    ----------
    n_players : int
        N ≥ 2.
    threshold : int
        K ∈ [1, N] signatures needed.
    value : float
        V > 0, value of the good to each player.
    price : float
        c ≥ 0 paid by each signer on success.
    bonus : float
        f ≥ 0 paid to each signer on failure (f = 0: a plain assurance contract).

    Examples
    --------
    >>> import coordgap as cg
    >>> dac = cg.classics.DominantAssuranceContract(n_players=4, threshold=4, value=10.0,
    ...                                             price=6.0, bonus=1.0)
    >>> dac.signing_is_dominant()
    True
    """

    n_players: int = param(
        kind="integer", bounds=(2, math.inf), symbol="N", doc="number of potential contributors"
    )
    threshold: int = param(
        kind="integer", bounds=(1, math.inf), symbol="K", doc="signatures needed"
    )
    value: float = param(
        bounds=(0, math.inf), closed="neither", symbol="V", doc="value of the good to each player"
    )
    price: float = param(bounds=(0, math.inf), symbol="c", doc="price paid by each signer")
    bonus: float = param(
        0.0, bounds=(0, math.inf), symbol="f", doc="bonus paid to each signer if the project fails"
    )

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
        """table[a, m]: payoff of signing (a = 0) or not (a = 1) when m others sign.

        Returns
        -------
        ndarray
            Shape (2, N), m = 0..N−1.
        """
        m = np.arange(self.n_players)
        success_if_sign = m + 1 >= self.threshold
        sign = np.where(success_if_sign, self.value - self.price, self.bonus)
        stay_out = np.where(m >= self.threshold, self.value, 0.0)
        return np.vstack([sign, stay_out])

    def normal_form(self):
        """The contract as an N-player :class:`~coordgap.NormalFormGame` (action 0 = sign).

        Returns
        -------
        NormalFormGame
            N players with actions ``("sign", "refuse")``.

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
            table[0], table[1], actions=("sign", "refuse"), title="dominant assurance contract"
        ).to_normal_form()

    def signing_is_dominant(self) -> bool:
        """Whether signing is strictly better than refusing against every profile of others.

        Returns
        -------
        bool
            True when signing strictly dominates (V − c > 0 and f > 0 suffice when K = N).
        """
        table = self.payoff_table()
        return bool(np.all(table[0] > table[1]))

    def pure_equilibria(self) -> list[tuple[int, ...]]:
        """Every pure Nash equilibrium, by brute force over the normal form (small N).

        Returns
        -------
        list of tuple of int
            The equilibrium profiles (0 = sign), in lexicographic order.
        """
        game = self.normal_form()
        out = []
        for profile in product((0, 1), repeat=self.n_players):
            if game.max_regret([np.eye(2)[a] for a in profile]) <= 1e-12:
                out.append(profile)
        return out

    def mixed_equilibria(self) -> list[float]:
        """Signing probabilities of the symmetric totally mixed equilibria.

        Returns
        -------
        list of float
            Each probability in (0, 1) at which a player is indifferent, increasing.
        """
        return [x for x, _ in dynamics.binary_interior_roots(self.payoff_table())]
