"""Threshold uncertainty: the global-game version of registry participation (docs/guide/m2-participation.md).

A continuum of actors decides whether to join. Joining pays

    π(ℓ, θ) = θ·ψ(ℓ) − (k − I),    ψ(ℓ) = β + (1 − β)·χ(ℓ),

where θ is the common benefit of a fully working registry to an actor (USD m), ℓ the share of
the other actors who join, β ∈ (0, 1) the share of that benefit an actor's own plan delivers
alone, and χ a critical-mass curve on [0, 1]: ``"linear"`` χ(ℓ) = ℓ, ``"step"``
χ(ℓ) = 1{ℓ ≥ ℓ*}, ``"logistic"`` χ(ℓ) = 1/(1 + e^{−λ(ℓ − ℓ*)}). β > 0 gives the upper dominance
region (joining is dominant when θ > (k − I)/β) that global-game uniqueness needs; θ < k − I
is the lower one. With θ common knowledge, for every θ with k − I ≤ θ < (k − I)/β both
"nobody joins" and "everybody joins" are equilibria (step and linear curves). Actors observe θ
only through private signals x_i = θ + σ·ε_i, ε_i ~ N(0, 1)
(Carlsson & van Damme 1993; Morris & Shin 1998, 2003): then there is a cutoff equilibrium,
join iff x_i ≥ x*, and with an uninformative prior it is the unique equilibrium.

Improper uniform prior (``prior_sd=None``)
    The marginal actor's belief about the share of others joining is uniform on [0, 1] at any
    noise level (θ = x* + σ·Φ⁻¹(ℓ)), so its indifference condition is linear in x*:
    x*·Ψ + σ·J = k − I with Ψ = ∫₀¹ ψ = β + (1 − β)·∫₀¹ χ and J = ∫₀¹ Φ⁻¹(ℓ)·ψ(ℓ) dℓ
    = (1 − β)·∫₀¹ Φ⁻¹(ℓ)·χ(ℓ) dℓ. Hence x* = (k − I − σJ)/Ψ, with ∫χ = 1 − ℓ* and
    ∫Φ⁻¹χ = φ(Φ⁻¹(ℓ*)) for the step, 1/2 and 1/(2√π) for the linear curve.
Small-noise limit (the Laplacian belief)
    x* → θ* = (k − I)/Ψ, with ∫χ = (1/λ)·ln[(1 + e^{λ(1−ℓ*)})/(1 + e^{−λℓ*})] for the
    logistic. θ* exceeds the complete-information threshold k − I, so for θ in between the
    global game selects non-participation even though full participation would be an
    equilibrium; incentives move θ* down one for one over Ψ.
Normal prior N(μ, τ²)
    Posterior θ | x ~ N(ρx + (1−ρ)μ, ρσ²), ρ = τ²/(τ² + σ²); the indifference condition is
    solved for every root on a grid. Several roots may exist: when σ is large relative to τ²
    public information restores multiplicity, and because the benefit θ·ψ is unbounded, a
    low-participation root far above the prior (x* − μ of order τ²/σ) can exist at any noise
    level; the lowest root tends to θ* as σ → 0 and is what :meth:`cutoff` reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._deprecation import renamed_method
from .._lazy import lazy_module
from ..params import Replaceable, param
from ..results import Result
from .participation import _number, load_default_calibration, validate_model

if TYPE_CHECKING:
    from scipy import integrate, optimize, special
else:  # loaded on first use (start-up time)
    integrate = lazy_module("scipy.integrate")
    optimize = lazy_module("scipy.optimize")
    special = lazy_module("scipy.special")

__all__ = ["GlobalParticipationGame", "CutoffEquilibrium", "CURVES"]

CURVES = ("linear", "step", "logistic")
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(160)  # ∫ f(z) φ(z) dz (probabilists')
_WEIGHTS = _WEIGHTS / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CutoffEquilibrium(Result):
    """A cutoff equilibrium of the global participation game: join iff signal ≥ x*.

    Attributes
    ----------
    signal_cutoff : float
        x*, the signal above which an actor joins (θ* itself in the limit σ = 0).
    state_cutoff : float
        The benefit θ above which the registry works: for the step curve, the θ at which the
        share joining reaches ℓ*; otherwise the θ at which half the actors join.
    limit_cutoff : float
        θ* = (k − I)/Ψ, the small-noise (Laplacian) limit.
    noise : float
        σ.
    max_regret : float
        Largest expected gain any signal type forgoes by following the cutoff, from an
        independent quadrature of its posterior expected payoff on a grid of signals.
    kind : str
    """

    signal_cutoff: float
    state_cutoff: float
    limit_cutoff: float
    noise: float
    max_regret: float
    kind: str = "unique"

    @property
    def order_key(self) -> float:
        """−x*, by which equilibria are ordered: a lower cutoff means more participation."""
        return -self.signal_cutoff  # lower cutoff, more participation


@dataclass(frozen=True, slots=True, eq=False)
class GlobalParticipationGame(Replaceable):
    """Registry participation with private noisy signals of the common benefit.

    Parameters
    ----------
    cost : float
        k ≥ 0, joining cost.
    incentive : float
        I ≥ 0, registry incentive for joining.
    noise : float
        σ ≥ 0, standard deviation of private signal noise (0: the limit).
    prior_mean : float
        μ, prior mean of the benefit θ (used with ``prior_sd``).
    prior_sd : float, optional
        τ > 0; None (default) is the improper uniform prior.
    curve : {"linear", "step", "logistic"}
        Critical-mass curve χ(ℓ).
    standalone : float
        β ∈ (0, 1), share of the benefit an actor's own plan delivers with nobody else.
    threshold : float
        ℓ* ∈ (0, 1), the share of joiners at which the step switches or the logistic is 1/2.
    steepness : float
        λ > 0, slope of the logistic.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.GlobalParticipationGame(cost=1.0, curve="step", threshold=0.5, noise=0.1)
    >>> g.mean_benefit_fraction()           # Ψ = β + (1 − β)(1 − ℓ*), β = 0.1
    0.55
    >>> round(g.limit_cutoff(), 6)  # θ* = (k − I)/Ψ
    1.818182
    >>> eq = cg.solve(g)
    >>> round(eq[0].signal_cutoff, 4)   # (k − I − σ(1 − β)φ(Φ⁻¹(ℓ*)))/Ψ
    1.7529
    >>> round(g.critical_incentive(1.5), 4)  # smallest I with x* <= 1.5
    0.1391
    >>> round(g.replace(noise=0.0).critical_incentive(1.5), 6)  # the limit: k − θ·Ψ
    0.175
    """

    cost: float = param(
        bounds=(0, math.inf), closed="left", unit="USD m", symbol="k", doc="joining cost"
    )
    incentive: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="I",
        doc="registry incentive for joining",
    )
    noise: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="σ",
        doc="private signal noise; standard deviation",
    )
    prior_mean: float = param(0.0, unit="USD m", symbol="μ", doc="prior mean of the benefit")
    prior_sd: float | None = param(
        None,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="τ",
        doc="prior standard deviation of the benefit",
    )
    curve: str = param("step", kind="choice", choices=CURVES, doc="critical-mass curve ψ")
    threshold: float = param(
        0.5, bounds=(0, 1), closed="neither", unit="1", symbol="ℓ*", doc="critical share of joiners"
    )
    steepness: float = param(
        10.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="1",
        symbol="λ",
        doc="slope of the logistic curve",
    )
    standalone: float = param(
        0.1,
        bounds=(0, 1),
        closed="neither",
        unit="1",
        symbol="β",
        doc="benefit share delivered by an actor's plan alone",
    )

    def __post_init__(self) -> None:
        validate_model(self)

    @classmethod
    def default(cls, **changes) -> GlobalParticipationGame:
        """The packaged default calibration (section ``global_game``).

        Parameters
        ----------
        **changes
            Constructor parameters that override the calibration, by name.

        Returns
        -------
        GlobalParticipationGame
            The calibrated game.

        Examples
        --------
        >>> g = GlobalParticipationGame.default()
        >>> g.limit_cutoff() > g.prior_mean   # non-participation selected without incentives
        True
        """
        c = load_default_calibration()["global_game"]
        kwargs = dict(
            cost=_number(c["cost"]),
            incentive=_number(c["incentive"]),
            noise=_number(c["noise"]),
            prior_mean=_number(c["prior_mean"]),
            prior_sd=_number(c["prior_sd"]) if "prior_sd" in c else None,
            curve=c["curve"],
            threshold=_number(c["threshold"]),
            standalone=_number(c["standalone"]),
        )
        if "prior_sd" not in c:
            kwargs["prior_sd"] = None
        kwargs.update(changes)
        return cls(**kwargs)

    # -- the curve -----------------------------------------------------------------------------
    # Old spellings, kept for one release (they warn).
    chi = renamed_method("critical_mass_curve", "chi")
    psi = renamed_method("benefit_fraction", "psi")
    psi_integral = renamed_method("mean_benefit_fraction", "psi_integral")

    def critical_mass_curve(self, share):
        """χ(ℓ), the critical-mass curve.

        Parameters
        ----------
        share : float or array_like
            ℓ ∈ [0, 1], the share of the other actors who join.

        Returns
        -------
        ndarray
            χ(ℓ) ∈ [0, 1], same shape as ``share``.
        """
        x = np.asarray(share, dtype=float)
        if self.curve == "linear":
            return x
        if self.curve == "step":
            return (x >= self.threshold).astype(float)
        return 0.5 * (1.0 + np.tanh(0.5 * self.steepness * (x - self.threshold)))

    def benefit_fraction(self, share):
        """ψ(ℓ) = β + (1 − β)·χ(ℓ), the fraction of the benefit delivered when a share ℓ of
        the others joins.

        Parameters
        ----------
        share : float or array_like
            ℓ ∈ [0, 1], the share of the other actors who join.

        Returns
        -------
        ndarray
            ψ(ℓ) ∈ [β, 1], same shape as ``share``.
        """
        return self.standalone + (1.0 - self.standalone) * self.critical_mass_curve(share)

    def mean_benefit_fraction(self) -> float:
        """Ψ = ∫₀¹ ψ(ℓ) dℓ, the marginal actor's expected ψ under the Laplacian belief.

        Returns
        -------
        float
            Ψ ∈ [β, 1].
        """
        if self.curve == "linear":
            chi = 0.5
        elif self.curve == "step":
            chi = 1.0 - self.threshold
        else:
            lam, t = self.steepness, self.threshold
            chi = float((np.logaddexp(0.0, lam * (1 - t)) - np.logaddexp(0.0, -lam * t)) / lam)
        return self.standalone + (1.0 - self.standalone) * chi

    def _probit_moment(self) -> float:
        """J = ∫₀¹ Φ⁻¹(ℓ)·ψ(ℓ) dℓ = (1 − β)·E[Z·χ(Φ(Z))]."""
        if self.curve == "linear":
            j = 1.0 / (2.0 * math.sqrt(math.pi))
        elif self.curve == "step":
            z = special.ndtri(self.threshold)
            j = float(math.exp(-z * z / 2) / math.sqrt(2 * math.pi))
        else:
            j = float(np.sum(_WEIGHTS * _NODES * self.critical_mass_curve(special.ndtr(_NODES))))
        return (1.0 - self.standalone) * j

    # -- cutoffs -----------------------------------------------------------------------------
    @property
    def net_cost(self) -> float:
        """k − I, the joining cost net of the incentive (USD m)."""
        return self.cost - self.incentive

    def limit_cutoff(self, incentive=None):
        """θ* = (k − I)/Ψ, the small-noise limit of the cutoff (vectorized over ``incentive``).

        Parameters
        ----------
        incentive : float or array_like, optional
            Incentive(s) I in USD m; default the game's own ``incentive``.

        Returns
        -------
        float or ndarray
            θ*, a float for a scalar incentive, otherwise an array of its shape.
        """
        inc = self.incentive if incentive is None else np.asarray(incentive, dtype=float)
        out = (self.cost - inc) / self.mean_benefit_fraction()
        return float(out) if np.ndim(out) == 0 else out

    def expected_gain(self, signal, cutoff) -> np.ndarray:
        """Expected gain of joining for an actor with ``signal`` when others use ``cutoff``.

        Gauss–Hermite quadrature over the posterior of θ (closed form for the step curve).

        Parameters
        ----------
        signal : float or array_like
            The actor's private signal x of the benefit θ.
        cutoff : float or array_like
            The others' signal cutoff x* (they join iff their signal ≥ x*); broadcasts
            against ``signal``.

        Returns
        -------
        ndarray
            E[θ·ψ(ℓ) | x] − (k − I) in USD m, of the broadcast shape.
        """
        x = np.asarray(signal, dtype=float)
        cutoff = np.asarray(cutoff, dtype=float)
        sigma = self.noise
        if self.prior_sd is None:
            rho, mean = 1.0, x
        else:
            rho = self.prior_sd**2 / (self.prior_sd**2 + sigma**2)
            mean = rho * x + (1 - rho) * self.prior_mean
        sd = math.sqrt(rho) * sigma
        if self.curve == "step":
            works = cutoff + sigma * special.ndtri(self.threshold)  # θ at which ℓ = ℓ*
            z = (works - mean) / sd
            tail = mean * special.ndtr(-z) + sd * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
            beta = self.standalone
            return beta * mean + (1.0 - beta) * tail - self.net_cost
        theta = mean[..., None] + sd * _NODES
        share = special.ndtr((theta - cutoff[..., None]) / sigma)
        return np.sum(_WEIGHTS * theta * self.benefit_fraction(share), axis=-1) - self.net_cost

    def cutoffs(self) -> np.ndarray:
        """Every cutoff x* with expected_gain(x*, x*) = 0 (all roots on a wide grid).

        Returns
        -------
        ndarray
            The equilibrium signal cutoffs, ascending (one when σ = 0 or the prior is
            improper).
        """
        if self.noise == 0.0:
            return np.array([self.limit_cutoff()])
        if self.prior_sd is None:
            return np.array(
                [
                    (self.net_cost - self.noise * self._probit_moment())
                    / self.mean_benefit_fraction()
                ]
            )
        # Candidates: a dense grid around the prior and the limit cutoff, then a sparse one out
        # to where prior shrinkage makes the very optimistic marginal actor doubt critical mass
        # (x* − μ of order τ²/σ): a second, low-participation root can live there.
        centre = self.limit_cutoff()
        tau, sigma = self.prior_sd, self.noise
        lo = min(centre, self.prior_mean) - 12.0 * (tau + sigma) - 1.0
        hi = max(centre, self.prior_mean) + 12.0 * (tau + sigma) + 1.0
        far = hi + tau**2 / sigma * (10.0 + abs(float(special.ndtri(self.threshold))))
        grid = np.unique(
            np.concatenate(
                (np.linspace(lo, hi, 4001), np.geomspace(1.0, far - hi + 1.0, 2001) + hi - 1.0)
            )
        )

        def h(x):
            return float(self.expected_gain(np.array(x), x))

        values = self.expected_gain(grid, grid)
        roots = []
        for i in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0):
            if values[i] == 0.0:
                roots.append(float(grid[i]))
            elif values[i + 1] != 0.0:
                roots.append(optimize.brentq(h, grid[i], grid[i + 1], xtol=1e-13))
        return np.unique(np.round(np.array(roots), 12))

    def cutoff(self, incentive=None):
        """The lowest equilibrium signal cutoff (most participation), vectorized over
        ``incentive``. With a normal prior it is the root that tends to θ* as σ → 0.

        Parameters
        ----------
        incentive : float or array_like, optional
            Incentive(s) I in USD m; default the game's own ``incentive``.

        Returns
        -------
        float or ndarray
            x*, a float for a scalar (or omitted) incentive, otherwise an array of its shape.

        Examples
        --------
        >>> g = GlobalParticipationGame(cost=1.0, curve="linear", noise=0.0)
        >>> g.cutoff([0.0, 0.5])
        array([2., 1.])
        """
        if incentive is None:
            return float(self.cutoffs().min())
        inc = np.asarray(incentive, dtype=float)
        out = np.array([self.replace(incentive=float(v)).cutoffs().min() for v in inc.ravel()])
        return out.reshape(inc.shape) if inc.ndim else float(out[0])

    def critical_incentive(self, benefit=None) -> float:
        """Smallest incentive whose cutoff is at most ``benefit`` (default: the prior mean).

        At that incentive an actor who observes the benefit ``benefit`` joins: in the limit
        I = k − θ·Ψ; with noise, solved on the cutoff's incentive curve. 0 if no incentive is
        needed.

        Parameters
        ----------
        benefit : float, optional
            The benefit θ at which actors should join; default the prior mean μ.

        Returns
        -------
        float
            The incentive I ≥ 0, in USD m.
        """
        theta = self.prior_mean if benefit is None else float(benefit)
        if self.noise == 0.0 or self.prior_sd is None:
            j = 0.0 if self.noise == 0.0 else self.noise * self._probit_moment()
            return max(0.0, self.cost - j - theta * self.mean_benefit_fraction())

        def gap(inc):
            return self.replace(incentive=inc).cutoffs().min() - theta

        if gap(0.0) <= 0:
            return 0.0
        hi = max(1.0, self.cost)
        while gap(hi) > 0:
            hi *= 2.0
        return float(optimize.brentq(gap, 0.0, hi, xtol=1e-10))

    def state_cutoff(self, signal_cutoff: float) -> float:
        """θ at which the registry works (step: share ℓ* joins; otherwise half joins).

        Parameters
        ----------
        signal_cutoff : float
            x*, the equilibrium signal cutoff.

        Returns
        -------
        float
            The state cutoff θ (x* + σ·Φ⁻¹(ℓ*) for the step curve, x* otherwise).
        """
        if self.curve == "step" and self.noise > 0:
            return float(signal_cutoff + self.noise * special.ndtri(self.threshold))
        return float(signal_cutoff)

    def participation(self, benefit, signal_cutoff=None):
        """Share of actors joining at benefit θ: Φ((θ − x*)/σ) (a step at θ* when σ = 0).

        Parameters
        ----------
        benefit : float or array_like
            The benefit θ.
        signal_cutoff : float, optional
            x*; default :meth:`cutoff` (the most-participation equilibrium).

        Returns
        -------
        ndarray
            Share joining ∈ [0, 1], same shape as ``benefit``.
        """
        x_star = self.cutoff() if signal_cutoff is None else signal_cutoff
        theta = np.asarray(benefit, dtype=float)
        if self.noise == 0.0:
            return (theta >= x_star).astype(float)
        return special.ndtr((theta - x_star) / self.noise)

    # -- certificate (independent adaptive quadrature) ---------------------------------------
    def regret(self, signal_cutoff: float, n_signals: int = 41) -> float:
        """Largest expected gain forgone by following the cutoff, over a grid of signals.

        Parameters
        ----------
        signal_cutoff : float
            x*, the cutoff to certify.
        n_signals : int
            Number of signals checked, spread over ±6 posterior standard deviations.

        Returns
        -------
        float
            The largest forgone expected gain, in USD m (0 for an exact equilibrium).
        """
        sigma = self.noise
        if sigma == 0.0:
            theta = signal_cutoff + np.linspace(-5.0, 5.0, n_signals) * max(1.0, abs(signal_cutoff))
            joined = theta >= signal_cutoff
            ell = np.where(joined, 1.0, 0.0)
            gain = theta * self.benefit_fraction(ell) - self.net_cost
            return float(np.max(np.where(joined, np.maximum(-gain, 0), np.maximum(gain, 0))))
        if self.prior_sd is None:
            rho, spread = 1.0, sigma
        else:
            rho = self.prior_sd**2 / (self.prior_sd**2 + sigma**2)
            spread = math.sqrt(rho) * sigma
        worst = 0.0
        # The cutoff itself counts on both sides: by continuity of the gain in the signal, the
        # types just below it forgo about max(gain, 0) and those at it max(-gain, 0).
        for x in [*(signal_cutoff + np.linspace(-6.0, 6.0, n_signals) * spread), None]:
            at_cutoff = x is None
            x = signal_cutoff if at_cutoff else x
            mean = rho * x + (1 - rho) * (self.prior_mean if self.prior_sd else 0.0)

            def integrand(z, mean=mean):
                theta = mean + spread * z
                ell = special.ndtr((theta - signal_cutoff) / sigma)
                return (
                    theta
                    * float(self.benefit_fraction(ell))
                    * math.exp(-z * z / 2)
                    / math.sqrt(2 * math.pi)
                )

            breaks = None
            if self.curve == "step":
                breaks = [(signal_cutoff + sigma * special.ndtri(self.threshold) - mean) / spread]
                breaks = [b for b in breaks if -12 < b < 12]
            value = integrate.quad(
                integrand, -12.0, 12.0, points=breaks, limit=200, epsabs=1e-12, epsrel=1e-11
            )[0]
            gain = value - self.net_cost
            if at_cutoff:
                worst = max(worst, abs(gain))
            else:
                worst = max(worst, -gain if x >= signal_cutoff else gain)
        return float(max(worst, 0.0))
