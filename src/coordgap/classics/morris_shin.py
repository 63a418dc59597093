"""Morris & Shin (1998): the global-game cutoff of a currency attack (regime change).

A continuum of speculators each observes a private signal x_i = θ + σ·ε_i, ε_i ~ N(0, 1), of
the fundamental θ. Attacking costs t ∈ (0, 1) and pays 1 if the regime falls; the regime falls
iff the mass of attackers A is at least θ. With an uninformative (improper uniform) prior on θ
the game has a unique equilibrium, in cutoff strategies (attack iff x < x*), with

    θ* = 1 − t,        x* = θ* + σ·Φ⁻¹(θ*)

(the marginal speculator at x* believes the regime falls with probability 1 − t; the mass of
attackers at θ*, Φ((x* − θ*)/σ), equals θ*). In the small-noise limit the cutoff makes the
marginal speculator indifferent against a uniform (Laplacian) belief about the share of others
attacking: ∫₀¹ [1{A ≥ θ*} − t] dA = 0 gives the same θ* = 1 − t.

With a normal prior θ ~ N(y, 1/α) and signal precision β = 1/σ², the cutoff solves

    θ* = Φ(√β (x* − θ*)),     Φ(√(α+β)·(θ* − (α y + β x*)/(α + β))) = t,

which has a unique solution for every y iff α/√β ≤ √(2π) (Morris & Shin 2004, Hellwig 2002);
otherwise multiple equilibria can coexist. :meth:`RegimeChange.cutoffs` returns every solution,
found by the scalar root finder used throughout coordgap (dense scan plus Brent).

The investment game (Morris & Shin 2003, Section 2) has no regime: investing pays θ + l − 1,
where l is the proportion of investors, and not investing pays 0. With θ ~ N(y, 1/α) and
private signals x_i = θ + ε_i, ε_i ~ N(0, 1/β), an equilibrium in cutoff strategies (invest iff
x_i ≥ x*) makes the marginal investor indifferent, E[θ | x*] + P(x_j ≥ x* | x*) − 1 = 0. Write
ρ* = E[θ | x*] = (α y + β x*)/(α + β) for the marginal investor's posterior mean; since
x_j | x* ~ N(ρ*, 1/(α + β) + 1/β),

    ρ* = Φ(γ·(ρ* − y)),      γ = (α/√β)·√((α + β)/(α + 2β)),

and x* = ρ* + (α/β)(ρ* − y). The right side has slope at most γ/√(2π), so the cutoff is unique
for every public signal y iff γ² ≤ 2π, i.e. α²(α + β) ≤ 2π β (α + 2β); the simpler sufficient
condition β ≥ α²/(2π) (that of the regime-change game) implies it. As α → 0 (or β → ∞ at
fixed α) ρ* = x* = 1/2: the Laplacian belief about l is uniform and E[l] = 1/2.

Reference
---------
Morris, S. and Shin, H. S. (1998). Unique equilibrium in a model of self-fulfilling currency
attacks. *American Economic Review* 88(3), 587–597. Closed forms as in Morris & Shin (2003),
"Global games: theory and applications", Section 2.1 (eq. 2.4) and Section 3 (normal prior,
uniqueness iff α/√β ≤ √(2π)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from ..errors import InvalidParameterError
from ..params import param, validate
from ..results import Result

__all__ = ["RegimeChange", "InvestmentGame", "InvestmentCutoff"]


@dataclass(frozen=True, slots=True, eq=False)
class RegimeChange:
    """Global game of regime change (a stylized Morris–Shin currency attack).

    Parameters
    ----------
    attack_cost : float
        t ∈ (0, 1).
    noise : float
        σ > 0, standard deviation of private signals.
    prior_precision : float
        α ≥ 0; 0 means an improper uniform prior.
    prior_mean : float
        y, mean of the normal prior (ignored when α = 0).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.RegimeChange(attack_cost=0.25, noise=0.1)
    >>> [round(v, 6) for v in g.cutoffs()[0]]      # (θ*, x*)
    [0.75, 0.817449]
    """

    attack_cost: float = param(bounds=(0, 1), closed="neither", symbol="t", doc="cost of attacking")
    noise: float = param(
        bounds=(0, math.inf),
        closed="neither",
        symbol="σ",
        doc="standard deviation of private signals",
    )
    prior_precision: float = param(
        0.0, bounds=(0, math.inf), symbol="α", doc="precision of the public prior"
    )
    prior_mean: float = param(0.5, symbol="y", doc="mean of the public prior")

    def __post_init__(self) -> None:
        validate(self)

    @property
    def unique(self) -> bool:
        """Whether the equilibrium is unique for every prior mean: α/√β ≤ √(2π)."""
        return self.prior_precision * self.noise <= math.sqrt(2.0 * math.pi)

    def _residual(self, theta):
        """Indifference at the cutoff, as a function of the regime threshold θ* ∈ (0, 1)."""
        t, sigma, alpha, y = self.attack_cost, self.noise, self.prior_precision, self.prior_mean
        beta = 1.0 / sigma**2
        x = theta + sigma * special.ndtri(theta)  # from θ* = Φ(√β (x* − θ*))
        if alpha == 0.0:
            posterior_mean, posterior_sd = x, sigma
        else:
            posterior_mean = (alpha * y + beta * x) / (alpha + beta)
            posterior_sd = 1.0 / math.sqrt(alpha + beta)
        return special.ndtr((theta - posterior_mean) / posterior_sd) - t

    def cutoffs(self) -> list[tuple[float, float]]:
        """Every equilibrium (θ*, x*), with θ* increasing.

        Returns
        -------
        list of tuple of float
            (θ*, x*): the regime falls iff the fundamental θ ≤ θ*, and agents attack iff their
            signal is below x*. One pair with an improper prior (α = 0), up to three otherwise.
        """
        t, sigma = self.attack_cost, self.noise
        if self.prior_precision == 0.0:
            theta = 1.0 - t
            return [(theta, theta + sigma * float(special.ndtri(theta)))]
        grid = special.expit(np.linspace(-40.0, 40.0, 20001))
        values = self._residual(grid)
        out = []
        for k in np.flatnonzero(values[:-1] * values[1:] < 0):
            theta = optimize.brentq(self._residual, grid[k], grid[k + 1], xtol=1e-15)
            out.append((theta, theta + sigma * float(special.ndtri(theta))))
        return out

    def laplacian_cutoff(self) -> float:
        """Small-noise limit: θ* with ∫₀¹ [1{A ≥ θ*} − t] dA = 0, i.e. (1 − θ*) = t.

        Returns
        -------
        float
            θ* = 1 − t, found by quadrature and root finding (a cross-check of the closed form).
        """
        from scipy import integrate

        def indifference(theta):
            return integrate.quad(
                lambda a: float(a >= theta) - self.attack_cost, 0.0, 1.0, points=[theta]
            )[0]

        return optimize.brentq(indifference, 1e-12, 1.0 - 1e-12, xtol=1e-14)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class InvestmentCutoff(Result):
    """The switching point of the Morris–Shin investment game.

    Attributes
    ----------
    signal_cutoff : float
        x*: invest iff the private signal is at least x*.
    posterior_cutoff : float
        ρ* = E[θ | x*], the marginal investor's posterior mean of θ (θ* in the limit α → 0).
    investing_share : float
        P(x_j ≥ x* | x_i = x*) = 1 − ρ*, the marginal investor's expected proportion investing.

    Examples
    --------
    >>> import coordgap as cg
    >>> c = cg.classics.InvestmentGame(prior_precision=0.0, signal_precision=1.0).cutoff()
    >>> c.signal_cutoff, c.posterior_cutoff, c.investing_share
    (0.5, 0.5, 0.5)
    """

    signal_cutoff: float
    posterior_cutoff: float
    investing_share: float


@dataclass(frozen=True, slots=True, eq=False)
class InvestmentGame:
    """Morris & Shin (2003) investment game: invest pays θ + l − 1, not investing pays 0.

    Parameters
    ----------
    prior_precision : float
        α ≥ 0, precision of the public prior θ ~ N(y, 1/α); 0 means an improper uniform prior.
    signal_precision : float
        β > 0, precision of the private signals.
    prior_mean : float
        y, the public signal (mean of the prior).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.InvestmentGame(prior_precision=1.0, signal_precision=4.0, prior_mean=0.2)
    >>> g.unique
    True
    >>> c = g.cutoff()
    >>> round(c.posterior_cutoff, 6), round(c.signal_cutoff, 6)
    (0.552217, 0.640271)
    """

    prior_precision: float = param(
        bounds=(0, math.inf), symbol="α", doc="precision of the public prior"
    )
    signal_precision: float = param(
        bounds=(0, math.inf), closed="neither", symbol="β", doc="precision of private signals"
    )
    prior_mean: float = param(0.5, symbol="y", doc="public signal (prior mean)")

    def __post_init__(self) -> None:
        validate(self)

    @property
    def slope(self) -> float:
        """γ = (α/√β)·√((α + β)/(α + 2β)), the slope of the cutoff equation's argument.

        Examples
        --------
        >>> import coordgap as cg
        >>> round(cg.classics.InvestmentGame(1.0, 4.0).slope, 6)
        0.372678
        """
        a, b = self.prior_precision, self.signal_precision
        return a / math.sqrt(b) * math.sqrt((a + b) / (a + 2 * b))

    @property
    def unique(self) -> bool:
        """Whether the cutoff is unique for every public signal y: γ² ≤ 2π.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.InvestmentGame(1.0, 4.0).unique, cg.classics.InvestmentGame(10.0, 2.0).unique
        (True, False)
        """
        return self.slope**2 <= 2.0 * math.pi

    def _cutoff(self, rho: float) -> InvestmentCutoff:
        a, b, y = self.prior_precision, self.signal_precision, self.prior_mean
        return InvestmentCutoff(
            signal_cutoff=rho + a / b * (rho - y),
            posterior_cutoff=rho,
            investing_share=1.0 - rho,
        )

    def cutoffs(self) -> list[InvestmentCutoff]:
        """Every cutoff equilibrium at this public signal, with ρ* increasing.

        Returns
        -------
        list of InvestmentCutoff
            One or three roots of ρ = Φ(γ(ρ − y)) in (0, 1) (two at a tangency).

        Examples
        --------
        >>> import coordgap as cg
        >>> g = cg.classics.InvestmentGame(prior_precision=10.0, signal_precision=2.0)
        >>> [round(c.signal_cutoff, 4) for c in g.cutoffs()]
        [-2.4968, 0.5, 3.4968]
        """
        gamma, y = self.slope, self.prior_mean
        if gamma == 0.0:
            return [self._cutoff(0.5)]

        def residual(rho):
            return rho - special.ndtr(gamma * (rho - y))

        grid = np.linspace(0.0, 1.0, 20001)
        values = residual(grid)
        roots = [
            optimize.brentq(residual, grid[k], grid[k + 1], xtol=1e-15)
            for k in np.flatnonzero(values[:-1] * values[1:] < 0)
        ]
        roots += [float(grid[k]) for k in np.flatnonzero(values == 0.0)]
        return [self._cutoff(r) for r in sorted(roots)]

    def cutoff(self) -> InvestmentCutoff:
        """The unique cutoff equilibrium.

        Returns
        -------
        InvestmentCutoff
            x*, ρ* and the marginal investor's expected investing share.

        Raises
        ------
        InvalidParameterError
            If the uniqueness condition α²(α + β) ≤ 2πβ(α + 2β) fails (use :meth:`cutoffs`).
        """
        if not self.unique:
            raise InvalidParameterError(
                type(self).__name__,
                "signal_precision",
                "large enough for a unique equilibrium, α²(α + β) <= 2π·β·(α + 2β)",
                self.signal_precision,
                "Use cutoffs() to list every equilibrium.",
            )
        return self.cutoffs()[0]
