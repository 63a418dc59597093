"""Carlsson & van Damme (1993): the two-player global game and risk-dominance selection.

Two players each choose A (action 0) or B (action 1) in a 2×2 game whose payoffs depend
linearly on a state θ: u_i(a; θ) = base_i(a) + θ·slope_i(a). Player i's gain from A over B when
the other plays a_j is

    Δ_i(θ, a_j) = s_i·θ + c_i(a_j),     s_i > 0,   c_i(A) > c_i(B),

so A is strictly dominant for θ high enough, B for θ low enough (the dominance regions), and the
game has strategic complementarities (the gain from A is larger when the other plays A). In
between, (A, A) and (B, B) are both strict equilibria. θ is not observed: each player sees
x_i = θ + σ·ε_i, ε_i ~ N(0, 1) independent, with an improper uniform prior on θ or a normal prior
θ ~ N(y, 1/α). Carlsson and van Damme show that as σ → 0 iterated dominance leaves a unique
equilibrium, in threshold strategies (play A iff x_i ≥ k_i), and that it selects the
risk-dominant equilibrium of Harsanyi and Selten (1988): (A, A) iff

    Δ_1(θ, A)·Δ_2(θ, A) > Δ_1(θ, B)·Δ_2(θ, B)

(the product of the deviation losses at (A, A) exceeds that at (B, B)). Since s_i is the same
for both a_j, the Nash products differ by a linear function of θ, and the risk-dominance
boundary is

    θ_RD = [c_1(B)·c_2(B) − c_1(A)·c_2(A)] / [s_1·(c_2(A) − c_2(B)) + s_2·(c_1(A) − c_1(B))].

For finite σ the cutoffs solve the two indifference conditions at x_i = k_i,

    s_i·E[θ | k_i] + c_i(B) + (c_i(A) − c_i(B))·P(x_j ≥ k_j | x_i = k_i) = 0,

where θ | x_i ~ N(m_i, v) (m_i = x_i, v = σ² under the uniform prior; the normal-normal update
otherwise) and x_j | x_i ~ N(m_i, v + σ²). In a symmetric game with a uniform prior the other
player's signal exceeds one's own with probability 1/2 at a common cutoff, so k = −(c(A) +
c(B))/(2s) = θ_RD for every σ.

Reference
---------
Carlsson, H. and van Damme, E. (1993). Global games and equilibrium selection. *Econometrica*
61(5), 989–1018. Harsanyi, J. C. and Selten, R. (1988). *A General Theory of Equilibrium
Selection in Games*. MIT Press. Morris, S. and Shin, H. S. (2003). Global games: theory and
applications, Section 2.1 (the investment example with payoffs θ and θ − 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from ..errors import InvalidParameterError
from ..results import Result

__all__ = ["TwoPlayerGlobalGame", "GlobalGameCutoffs"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class GlobalGameCutoffs(Result):
    """Threshold equilibrium of the two-player global game.

    Attributes
    ----------
    signal_cutoffs : tuple of float
        (k_1, k_2): player i plays A iff its signal x_i ≥ k_i.
    limit_cutoff : float
        θ_RD, the risk-dominance boundary, the common limit of k_1 and k_2 as σ → 0.
    noise : float
        σ.
    residual : float
        Largest absolute value of the two indifference conditions at the cutoffs.
    success : bool
        Whether the root finder converged to a residual below 1e-10.

    Examples
    --------
    >>> import coordgap as cg
    >>> res = cg.classics.TwoPlayerGlobalGame.investment(noise=0.1).cutoffs()
    >>> res.limit_cutoff, res.success
    (0.5, True)
    """

    signal_cutoffs: tuple
    limit_cutoff: float
    noise: float
    residual: float
    success: bool


def _array(owner: str, name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (2, 2, 2) or not np.all(np.isfinite(arr)):
        raise InvalidParameterError(
            owner, name, "a finite array of shape (2, 2, 2) (actions, actions, player)", value
        )
    arr = arr.copy()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class TwoPlayerGlobalGame:
    """Two-player 2×2 global game (Carlsson & van Damme 1993).

    Parameters
    ----------
    base : array_like, shape (2, 2, 2)
        base[a_1, a_2, i]: player i's payoff at θ = 0 (player-last, action 0 = A).
    slope : array_like, shape (2, 2, 2)
        slope[a_1, a_2, i]: derivative of that payoff in θ.
    noise : float
        σ > 0, standard deviation of the private signals.
    prior_precision : float
        α ≥ 0 (0: improper uniform prior).
    prior_mean : float
        y, mean of the normal prior (ignored when α = 0).

    Raises
    ------
    InvalidParameterError
        If the arrays have the wrong shape, a gain slope s_i is not positive or differs between
        the other's actions, or c_i(A) ≤ c_i(B) (no strategic complementarity).

    Examples
    --------
    The investment example: investing pays θ if the other invests and θ − 1 if not. Risk
    dominance selects investment iff θ > 1/2, and with a uniform prior the cutoff is 1/2 for
    every noise level:

    >>> import coordgap as cg
    >>> g = cg.classics.TwoPlayerGlobalGame.investment(noise=0.3)
    >>> g.risk_dominance_boundary()
    0.5
    >>> [round(k, 12) for k in g.cutoffs().signal_cutoffs]
    [0.5, 0.5]
    """

    base: np.ndarray
    slope: np.ndarray
    noise: float
    prior_precision: float = 0.0
    prior_mean: float = 0.0

    def __post_init__(self) -> None:
        owner = type(self).__name__
        object.__setattr__(self, "base", _array(owner, "base", self.base))
        object.__setattr__(self, "slope", _array(owner, "slope", self.slope))
        for name, low, strict in (("noise", 0.0, True), ("prior_precision", 0.0, False)):
            v = getattr(self, name)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float, np.floating, np.integer))
                or not math.isfinite(v)
                or (v <= low if strict else v < low)
            ):
                raise InvalidParameterError(
                    owner, name, f"a finite float {'>' if strict else '>='} 0", v
                )
        if not math.isfinite(self.prior_mean):
            raise InvalidParameterError(owner, "prior_mean", "a finite float", self.prior_mean)
        s, c = self._gains()
        if np.any(s <= 0):
            raise InvalidParameterError(
                owner, "slope", "such that each player's gain from A rises with θ", s.tolist()
            )
        if np.any(c[:, 0] <= c[:, 1]):
            raise InvalidParameterError(
                owner,
                "base",
                "such that each player's gain from A is larger when the other plays A",
                c.tolist(),
            )

    @classmethod
    def investment(
        cls, noise: float, cost: float = 1.0, prior_precision: float = 0.0, prior_mean: float = 0.0
    ) -> TwoPlayerGlobalGame:
        """The symmetric investment game: invest pays θ, or θ − cost if the other does not.

        Parameters
        ----------
        noise : float
            σ > 0.
        cost : float
            Loss from investing alone (> 0).
        prior_precision, prior_mean : float
            Normal prior (α = 0: uniform).

        Returns
        -------
        TwoPlayerGlobalGame
            Action 0 = invest, 1 = not invest (payoff 0).

        Examples
        --------
        >>> import coordgap as cg
        >>> g = cg.classics.TwoPlayerGlobalGame.investment(noise=0.1, cost=2.0)
        >>> g.risk_dominance_boundary()     # θ² = (θ − 2)²
        1.0
        """
        if isinstance(cost, bool) or not math.isfinite(cost) or cost <= 0:
            raise InvalidParameterError("TwoPlayerGlobalGame.investment", "cost", "> 0", cost)
        base = np.zeros((2, 2, 2))
        base[0, 1, 0] = -cost  # player 1 invests alone
        base[1, 0, 1] = -cost  # player 2 invests alone
        slope = np.zeros((2, 2, 2))
        slope[0, :, 0] = 1.0
        slope[:, 0, 1] = 1.0
        return cls(base, slope, noise, prior_precision, prior_mean)

    def _gains(self) -> tuple[np.ndarray, np.ndarray]:
        """(s_i, c_i(a_j)): Δ_i(θ, a_j) = s_i·θ + c_i(a_j); s checked to be one per player."""
        b, t = self.base, self.slope
        # player 1: rows are own actions; player 2: columns are own actions
        c = np.array([b[0, :, 0] - b[1, :, 0], b[:, 0, 1] - b[:, 1, 1]])
        s2 = np.array([t[0, :, 0] - t[1, :, 0], t[:, 0, 1] - t[:, 1, 1]])
        if not np.allclose(s2[:, 0], s2[:, 1], rtol=1e-12, atol=0.0):
            raise InvalidParameterError(
                type(self).__name__,
                "slope",
                "such that the gain from A has the same θ-slope whatever the other plays",
                s2.tolist(),
            )
        return s2[:, 0], c

    def gain(self, theta) -> np.ndarray:
        """Δ_i(θ, a_j), the gain from A over B at a known state.

        Parameters
        ----------
        theta : float or array_like
            States.

        Returns
        -------
        ndarray
            Shape ``np.shape(theta) + (2, 2)``: [..., i, a_j].

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.TwoPlayerGlobalGame.investment(noise=0.1).gain(0.25).tolist()
        [[0.25, -0.75], [0.25, -0.75]]
        """
        s, c = self._gains()
        th = np.asarray(theta, dtype=float)[..., None, None]
        return s[:, None] * th + c

    def risk_dominance_boundary(self) -> float:
        """θ_RD: (A, A) risk-dominates (B, B) iff θ > θ_RD (closed form, module docstring).

        Returns
        -------
        float
            The state at which the two Nash products are equal.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.TwoPlayerGlobalGame.investment(noise=0.1).risk_dominance_boundary()
        0.5
        """
        s, c = self._gains()
        (a1, b1), (a2, b2) = c
        return float((b1 * b2 - a1 * a2) / (s[0] * (a2 - b2) + s[1] * (a1 - b1)))

    def limit_cutoff(self) -> float:
        """Common limit of the signal cutoffs as σ → 0: the risk-dominance boundary.

        Returns
        -------
        float
            θ_RD.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.TwoPlayerGlobalGame.investment(noise=0.1).limit_cutoff()
        0.5
        """
        return self.risk_dominance_boundary()

    def _posterior(self, x):
        sigma2 = self.noise**2
        if self.prior_precision == 0.0:
            return x, sigma2
        precision = self.prior_precision + 1.0 / sigma2
        return (self.prior_precision * self.prior_mean + x / sigma2) / precision, 1.0 / precision

    def indifference(self, cutoffs) -> np.ndarray:
        """Expected gain from A of each player at its own cutoff signal.

        Parameters
        ----------
        cutoffs : array_like, shape (2,)
            (k_1, k_2).

        Returns
        -------
        ndarray
            Shape (2,): zero at an equilibrium.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.TwoPlayerGlobalGame.investment(noise=0.1).indifference([0.5, 0.5]).tolist()
        [0.0, 0.0]
        """
        s, c = self._gains()
        k = np.asarray(cutoffs, dtype=float)
        mean, var = self._posterior(k)
        sd = math.sqrt(var + self.noise**2)
        other_a = special.ndtr((mean - k[::-1]) / sd)
        return s * mean + c[:, 1] + (c[:, 0] - c[:, 1]) * other_a

    def cutoffs(self) -> GlobalGameCutoffs:
        """The threshold equilibrium (k_1, k_2), by Powell's hybrid method from (θ_RD, θ_RD).

        Returns
        -------
        GlobalGameCutoffs
            The cutoffs, the limit θ_RD and the residual of the indifference conditions.

        Examples
        --------
        A normal prior centred below 1/2 makes both players more cautious:

        >>> import coordgap as cg
        >>> g = cg.classics.TwoPlayerGlobalGame.investment(0.5, prior_precision=2.0)
        >>> [round(k, 6) for k in g.cutoffs().signal_cutoffs]
        [1.062605, 1.062605]
        """
        limit = self.risk_dominance_boundary()
        sol = optimize.root(self.indifference, [limit, limit], method="hybr", tol=1e-14)
        k = sol.x
        residual = float(np.max(np.abs(self.indifference(k))))
        return GlobalGameCutoffs(
            signal_cutoffs=(float(k[0]), float(k[1])),
            limit_cutoff=limit,
            noise=float(self.noise),
            residual=residual,
            success=bool(residual < 1e-10),
        )
