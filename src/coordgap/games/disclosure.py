"""Note-exchange as information: a global game with private and public signals.

The seeds' first claim is that exchanging ex ante if-then response logic between actors closes
the coordination gap. Here it is modelled as information. A continuum of actors decides
whether to act (commit its response) when a scenario begins. The coordinated response works
iff the share ℓ of actors who act reaches the **critical mass** θ, which nobody knows exactly
(how many others will act, and how many are needed). An actor who acts pays the net cost
k − I (cost minus registry incentive) and earns the benefit B if the response works; an
actor who stays out gets 0. So an actor acts iff B·P(θ ≤ θ_s | information) ≥ k − I, with
θ_s the largest critical mass the others' actions overcome.

Information (Morris & Shin 1998, 2003; Hellwig 2002; Angeletos & Werning 2006): θ is drawn
from N(y, 1/α) and y is public — the common read-out of the exchanged if-then logic, whose
precision α rises when more logic is disclosed. Each actor also sees a private signal
x_i = θ + ε_i, ε_i ~ N(0, 1/β). In a cutoff equilibrium actors act iff x_i ≤ x*; the
response then works iff θ ≤ θ*, where θ* = Φ(√β·(x* − θ*)), and the marginal actor is
indifferent, P(θ ≤ θ* | x*) = c with c = (k − I)/B. Eliminating x* gives one equation in
z = Φ⁻¹(θ*):

    g(z) = r·(Φ(z) − y) − z − √(1 + α/β)·Φ⁻¹(c) = 0,    r = α/√β.

g falls from +∞ to −∞, so there is always an equilibrium; g′ = r·φ(z) − 1 ≤ r/√(2π) − 1, so
the equilibrium is unique for every public signal y iff **α/√β ≤ √(2π)** (private
information dominates). When public information is more precise, g rises on
(−z₀, z₀), z₀ = √(2 ln(r/√(2π))), and for public signals in a middle range there are three
cutoff equilibria. With α → 0 the cutoff tends to the Laplacian θ* = 1 − c.

Where disclosure helps and where it hurts
    The probability of a coordinated response given the public signal is
    P = Φ(√α·(θ* − y)). Raising α (more exchanged logic) pulls the outcome toward the public
    view. When the public signal says the needed mass is small (y well below the
    private-information cutoff 1 − c), disclosure raises P and lowers the incentive needed to
    reach a target P; when it says the needed mass is large (y above 1 − c), disclosure makes
    failure common knowledge and lowers P. (Near y = 1 − c the sign can change along the way:
    the rule is a tendency, not a theorem, so the curve is computed, not assumed.) Beyond
    α = √(2πβ) disclosure can also create several equilibria: the outcome then depends on
    self-fulfilling expectations, so disclosure helps only if something else (an assurance
    contract, a bond, a convening body) selects the good equilibrium; the worst equilibrium
    can be far worse than under private information alone.
    :meth:`DisclosureGame.curve` reports, for a grid of public precisions, the equilibria,
    P in the worst and best equilibrium and the incentive needed, and states which case holds.

References
----------
Morris, S. & Shin, H. S. (1998). Unique equilibrium in a model of self-fulfilling currency
attacks. AER 88(3). Morris, S. & Shin, H. S. (2003). Global games: theory and applications.
Hellwig, C. (2002). Public information, private information, and the multiplicity of
equilibria in coordination games. JET 107(2). Angeletos, G.-M. & Werning, I. (2006).
Crises and prices. AER 96(5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._lazy import lazy_module
from ..errors import InvalidParameterError
from ..params import Replaceable, param, validate
from ..results import Result

if TYPE_CHECKING:
    import pandas as pd
    from scipy import optimize, special
else:  # loaded on first use (start-up time)
    pd = lazy_module("pandas")
    optimize = lazy_module("scipy.optimize")
    special = lazy_module("scipy.special")

__all__ = ["DisclosureGame", "DisclosureEquilibrium", "DisclosureCurve", "UNIQUENESS_BOUND"]

#: α/√β at or below this bound gives a unique equilibrium for every public signal.
UNIQUENESS_BOUND = math.sqrt(2.0 * math.pi)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DisclosureEquilibrium(Result):
    """A cutoff equilibrium: act iff the private signal is at most ``signal_cutoff``.

    Attributes
    ----------
    state_cutoff : float
        θ*: the coordinated response works iff the critical mass θ ≤ θ*.
    signal_cutoff : float
        x* = θ* + Φ⁻¹(θ*)/√β (±inf when acting is dominant or dominated).
    p_coordinated : float
        P(θ ≤ θ* | public signal) = Φ(√α·(θ* − y)).
    max_regret : float
        Largest expected gain (USD m) any signal type forgoes by following the cutoff: the set
        of critical masses the strategy overcomes is found again by bisection and each type's
        posterior payoff recomputed on a grid of signals.
    kind : str
        ``"unique"``, ``"worst"``, ``"middle"`` (unstable) or ``"best"``; ``"dominant"`` when
        the net cost is ≤ 0 and ``"dominated"`` when it is ≥ the benefit.
    """

    state_cutoff: float
    signal_cutoff: float
    p_coordinated: float
    max_regret: float
    kind: str = "unique"

    @property
    def order_key(self) -> float:
        """θ*, by which equilibria are ordered (least, greatest)."""
        return self.state_cutoff


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DisclosureCurve(Result):
    """Equilibria of a :class:`DisclosureGame` as the public precision α varies.

    Attributes
    ----------
    frame : DataFrame
        One row per public precision: ``public_precision``, ``ratio`` (α/√β over √(2π)),
        ``unique_for_all_signals``, ``n_equilibria``, ``state_cutoff_worst``,
        ``state_cutoff_best``, ``p_coordinated_worst``, ``p_coordinated_best``,
        ``incentive_worst``, ``incentive_best`` (incentive I needed for ``target``).
    target : float
        Target probability of a coordinated response used for the incentive columns.
    critical_precision : float
        √(2πβ): above it equilibria can be multiple.
    helps : bool
        Whether the worst-case probability at the largest precision exceeds the one at the
        smallest.
    verdict : str
        The plain-language readout.
    """

    _hidden = ("frame",)

    frame: pd.DataFrame
    target: float
    critical_precision: float
    helps: bool
    verdict: str

    def to_frame(self) -> pd.DataFrame:
        """One row per public precision (the curves a figure draws).

        Returns
        -------
        pandas.DataFrame
            The stored ``frame``, sorted by ``public_precision``.
        """
        return self.frame


@dataclass(frozen=True, slots=True, eq=False)
class DisclosureGame(Replaceable):
    """Coordinated response with private and public signals of the critical mass.

    Parameters
    ----------
    private_precision : float
        β > 0, precision 1/variance of each actor's private signal of θ.
    public_precision : float
        α > 0, precision of the public signal (raised by disclosing if-then logic).
    public_signal : float
        y, the public estimate of the critical mass θ (share of actors needed, in [0, 1]
        for a response that can work at all).
    cost : float
        k ≥ 0, cost of acting (USD m).
    incentive : float
        I ≥ 0, registry incentive paid to actors who act (USD m).
    benefit : float
        B > 0, value to an actor of a coordinated response when it acts (USD m).

    Raises
    ------
    InvalidParameterError
        On a negative or zero precision, a negative cost or incentive, a benefit ≤ 0, NaN/inf.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.DisclosureGame(private_precision=4.0, public_precision=1.0, public_signal=0.4,
    ...                       cost=0.5, benefit=1.0)
    >>> g.unique()                    # α/√β = 0.5 ≤ √(2π)
    True
    >>> eq = cg.solve(g)
    >>> len(eq), round(eq[0].state_cutoff, 4), round(eq[0].p_coordinated, 4)
    (1, 0.5249, 0.5497)
    >>> len(cg.solve(g.replace(public_precision=9.0)))   # α/√β = 4.5 > √(2π)
    3
    """

    private_precision: float = param(
        bounds=(0, math.inf),
        closed="neither",
        unit="1 per unit²",
        symbol="β",
        doc="precision of private signals",
    )
    public_precision: float = param(
        bounds=(0, math.inf),
        closed="neither",
        unit="1 per unit²",
        symbol="α",
        doc="precision of the public signal",
    )
    public_signal: float = param(
        0.5, unit="1", symbol="y", doc="public estimate of the critical mass"
    )
    cost: float = param(0.5, bounds=(0, math.inf), unit="USD m", symbol="k", doc="cost of acting")
    incentive: float = param(
        0.0, bounds=(0, math.inf), unit="USD m", symbol="I", doc="registry incentive for acting"
    )
    benefit: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="B",
        doc="value of a coordinated response",
    )

    def __post_init__(self) -> None:
        validate(self)

    # -- primitives ----------------------------------------------------------------------------
    @property
    def cost_ratio(self) -> float:
        """c = (k − I)/B, the posterior success probability that makes an actor indifferent."""
        return (self.cost - self.incentive) / self.benefit

    @property
    def ratio(self) -> float:
        """r = α/√β; the equilibrium is unique for every public signal iff r ≤ √(2π)."""
        return self.public_precision / math.sqrt(self.private_precision)

    def unique(self) -> bool:
        """Whether α/√β ≤ √(2π): a unique equilibrium whatever the public signal.

        Returns
        -------
        bool
            True when the equilibrium is unique for every public signal.
        """
        return self.ratio <= UNIQUENESS_BOUND

    def limit_cutoff(self) -> float:
        """θ* = 1 − c, the cutoff without public information (α → 0, Laplacian belief).

        Returns
        -------
        float
            θ*, clipped to [0, 1].
        """
        return float(min(1.0, max(0.0, 1.0 - self.cost_ratio)))

    def equation(self, z) -> np.ndarray:
        """g(z) = r(Φ(z) − y) − z − √(1 + α/β)Φ⁻¹(c), zero at z = Φ⁻¹(θ*) (0 < c < 1).

        Parameters
        ----------
        z : float or array_like
            Probit z = Φ⁻¹(θ*) of a candidate cutoff.

        Returns
        -------
        ndarray
            g(z), same shape as ``z``.
        """
        z = np.asarray(z, dtype=float)
        shift = math.sqrt(1.0 + self.public_precision / self.private_precision) * float(
            special.ndtri(self.cost_ratio)
        )
        return self.ratio * (special.ndtr(z) - self.public_signal) - z - shift

    def _turning_point(self) -> float | None:
        r = self.ratio
        if r <= UNIQUENESS_BOUND:
            return None
        return math.sqrt(2.0 * math.log(r / UNIQUENESS_BOUND))

    # -- equilibria ----------------------------------------------------------------------------
    def probit_cutoffs(self) -> np.ndarray:
        """Every root z = Φ⁻¹(θ*) of g, ascending (one per monotone piece of g that changes
        sign); +inf when acting is dominant (c ≤ 0), −inf when it is dominated (c ≥ 1).

        Returns
        -------
        ndarray
            The roots z, ascending (one, or up to three when α/√β > √(2π)).
        """
        c = self.cost_ratio
        if c <= 0:
            return np.array([math.inf])
        if c >= 1:
            return np.array([-math.inf])
        r, y = self.ratio, self.public_signal
        shift = math.sqrt(1.0 + self.public_precision / self.private_precision) * float(
            special.ndtri(c)
        )
        lo, hi = -r * y - shift - 1.0, r * (1.0 - y) - shift + 1.0  # every root lies inside
        z0 = self._turning_point()
        edges = [lo, hi] if z0 is None else sorted({lo, hi, *(e for e in (-z0, z0) if lo < e < hi)})

        def g(z):
            return float(self.equation(z))

        roots = []
        for a, b in zip(edges[:-1], edges[1:]):
            ga, gb = g(a), g(b)
            if ga == 0.0:
                roots.append(a)
            if ga * gb < 0:
                roots.append(optimize.brentq(g, a, b, xtol=1e-14, rtol=1e-14))
        if g(edges[-1]) == 0.0:
            roots.append(edges[-1])
        return np.unique(np.round(np.array(roots), 12))

    def state_cutoffs(self) -> np.ndarray:
        """Every equilibrium θ* = Φ(z), ascending.

        Returns
        -------
        ndarray
            State cutoffs θ* ∈ [0, 1], one per equilibrium.
        """
        return special.ndtr(self.probit_cutoffs())

    def signal_cutoff(self, state_cutoff: float) -> float:
        """x* = θ* + Φ⁻¹(θ*)/√β: the private signal at which actors stop acting.

        Parameters
        ----------
        state_cutoff : float
            θ*, the equilibrium state cutoff.

        Returns
        -------
        float
            x*; −inf for θ* ≤ 0 and +inf for θ* ≥ 1.
        """
        if state_cutoff <= 0.0:
            return -math.inf
        if state_cutoff >= 1.0:
            return math.inf
        return self._signal_from_probit(float(special.ndtri(state_cutoff)))

    def _signal_from_probit(self, z: float) -> float:
        if not math.isfinite(z):
            return z
        return float(special.ndtr(z) + z / math.sqrt(self.private_precision))

    def p_coordinated(self, state_cutoff) -> np.ndarray | float:
        """P(θ ≤ θ* | y) = Φ(√α(θ* − y)), the probability of a coordinated response.

        Parameters
        ----------
        state_cutoff : float or array_like
            θ*, one or several state cutoffs.

        Returns
        -------
        float or ndarray
            A float for a scalar ``state_cutoff``, otherwise an array of its shape.
        """
        out = special.ndtr(
            math.sqrt(self.public_precision)
            * (np.asarray(state_cutoff, dtype=float) - self.public_signal)
        )
        return float(out) if np.ndim(out) == 0 else out

    # -- certificate ---------------------------------------------------------------------------
    def regret(self, signal_cutoff: float, n_signals: int = 81) -> float:
        """Largest gain (USD m) a signal type forgoes by following "act iff x ≤ x*".

        Independent of the root finder: the set of critical masses the strategy overcomes,
        θ ≤ θ_s with Φ(√β(x* − θ_s)) = θ_s, is found by bisection, then each type's expected
        payoff of acting B·P(θ ≤ θ_s | x) − (k − I) is evaluated on a grid of signals.

        Parameters
        ----------
        signal_cutoff : float
            x*, the private-signal cutoff to certify (±inf allowed).
        n_signals : int
            Number of signals in the grid, spread over ±8 posterior standard deviations.

        Returns
        -------
        float
            The largest forgone gain, in USD m (0 for an exact equilibrium).
        """
        beta, alpha, y = self.private_precision, self.public_precision, self.public_signal
        net = self.cost - self.incentive
        if not math.isfinite(signal_cutoff):
            theta_s = 1.0 if signal_cutoff > 0 else 0.0
            centre = y
        else:
            theta_s = optimize.bisect(
                lambda t: special.ndtr(math.sqrt(beta) * (signal_cutoff - t)) - t,
                0.0,
                1.0,
                xtol=1e-15,
            )
            centre = signal_cutoff
        spread = 8.0 / math.sqrt(alpha + beta)
        x = centre + np.linspace(-spread, spread, n_signals)
        mean = (alpha * y + beta * x) / (alpha + beta)
        gain = self.benefit * special.ndtr(math.sqrt(alpha + beta) * (theta_s - mean)) - net
        acts = x <= signal_cutoff
        forgone = np.where(acts, np.maximum(-gain, 0.0), np.maximum(gain, 0.0))
        if math.isfinite(signal_cutoff):
            # The gain falls with the signal, so the worst type is at the cutoff, on one side
            # or the other: |gain(x*)|.
            at = (alpha * y + beta * signal_cutoff) / (alpha + beta)
            at_gain = self.benefit * special.ndtr(math.sqrt(alpha + beta) * (theta_s - at)) - net
            forgone = np.append(forgone, abs(at_gain))
        return float(np.max(forgone))

    # -- incentives ----------------------------------------------------------------------------
    def critical_incentive(self, target: float, equilibrium: str = "worst") -> float:
        """Smallest incentive I with P(coordinated) ≥ ``target`` in the chosen equilibrium.

        Closed form: P ≥ p iff θ* ≥ θ_p = y + Φ⁻¹(p)/√α. With H(z) = r(Φ(z) − y) − z and
        z_p = Φ⁻¹(θ_p), every equilibrium (``"worst"``) clears θ_p iff
        min_{z ≤ z_p} H(z) ≥ √(1 + α/β)Φ⁻¹(c), and some equilibrium (``"best"``) does iff
        max_{z ≥ z_p} H(z) ≥ √(1 + α/β)Φ⁻¹(c); the extremes of H are at z_p and at ∓z₀.
        Returns inf when no incentive can reach the target (θ_p ≥ 1).

        Parameters
        ----------
        target : float
            Target probability of a coordinated response, in (0, 1).
        equilibrium : {"worst", "best"}
            Whether every equilibrium (``"worst"``) or some equilibrium (``"best"``) must
            reach the target.

        Returns
        -------
        float
            The incentive I in USD m (0 when none is needed, inf when none suffices).

        Raises
        ------
        InvalidParameterError
            If ``target`` is not in (0, 1) or ``equilibrium`` is unknown.

        Examples
        --------
        >>> g = DisclosureGame(private_precision=4.0, public_precision=1.0, public_signal=0.4)
        >>> g.critical_incentive(0.5)      # θ* = 0.5249 already exceeds y = 0.4
        0.0
        >>> round(g.critical_incentive(0.6), 4)
        0.0946
        >>> g.critical_incentive(0.9)      # P(θ > 1) > 0.1: even if everyone acts
        inf
        """
        if not (isinstance(target, (int, float)) and 0 < target < 1):
            raise InvalidParameterError(
                "DisclosureGame.critical_incentive", "target", "a finite float > 0 and < 1", target
            )
        if equilibrium not in ("worst", "best"):
            raise InvalidParameterError(
                "DisclosureGame.critical_incentive",
                "equilibrium",
                "one of 'worst', 'best'",
                equilibrium,
            )
        alpha, beta, y, r = (
            self.public_precision,
            self.private_precision,
            self.public_signal,
            self.ratio,
        )
        theta_p = y + float(special.ndtri(target)) / math.sqrt(alpha)
        if theta_p >= 1.0:
            return math.inf
        if theta_p <= 0.0:
            return 0.0
        z_p = float(special.ndtri(theta_p))

        def h(z):
            return r * (float(special.ndtr(z)) - y) - z

        z0 = self._turning_point()
        if equilibrium == "worst":
            bound = h(z_p) if z0 is None or -z0 >= z_p else min(h(z_p), h(-z0))
        else:
            bound = h(z_p) if z0 is None or z0 <= z_p else max(h(z_p), h(z0))
        c_max = float(special.ndtr(bound / math.sqrt(1.0 + alpha / beta)))
        return max(0.0, self.cost - self.benefit * c_max)

    # -- disclosure ----------------------------------------------------------------------------
    def curve(self, precisions, *, target: float = 0.9) -> DisclosureCurve:
        """Equilibria, coordination probability and incentive needed against public precision.

        Parameters
        ----------
        precisions : array_like
            Public precisions α > 0 to evaluate (the game's own α is ignored).
        target : float
            Target probability of a coordinated response for the incentive columns.

        Returns
        -------
        DisclosureCurve
            One row per precision (ascending), with the verdict whether disclosure helps.

        Raises
        ------
        InvalidParameterError
            If ``precisions`` is empty or holds a value that is not a finite float > 0.

        Examples
        --------
        >>> g = DisclosureGame(private_precision=4.0, public_precision=1.0, public_signal=0.3)
        >>> cv = g.curve([0.5, 2.0, 4.0])
        >>> cv.helps, list(cv.to_frame()["n_equilibria"])
        (True, [1, 1, 1])
        >>> bad = g.replace(public_signal=0.8).curve([0.5, 2.0, 4.0])
        >>> bad.helps
        False
        """
        grid = np.asarray(precisions, dtype=float).ravel()
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid <= 0):
            raise InvalidParameterError(
                "DisclosureGame.curve",
                "precisions",
                "a non-empty array of finite floats > 0",
                np.asarray(precisions).tolist(),
            )
        rows = []
        for a in grid:
            g = self.replace(public_precision=float(a))
            cut = g.state_cutoffs()
            p = g.p_coordinated(cut)
            rows.append(
                {
                    "public_precision": float(a),
                    "ratio": g.ratio / UNIQUENESS_BOUND,
                    "unique_for_all_signals": g.unique(),
                    "n_equilibria": int(cut.size),
                    "state_cutoff_worst": float(cut.min()),
                    "state_cutoff_best": float(cut.max()),
                    "p_coordinated_worst": float(np.min(p)),
                    "p_coordinated_best": float(np.max(p)),
                    "incentive_worst": g.critical_incentive(target, "worst"),
                    "incentive_best": g.critical_incentive(target, "best"),
                }
            )
        frame = pd.DataFrame(rows).sort_values("public_precision", ignore_index=True)
        single = frame[frame["n_equilibria"] == 1]
        span = single if len(single) >= 2 else frame
        first, last = span.iloc[0], span.iloc[-1]
        change = float(last["p_coordinated_worst"] - first["p_coordinated_worst"])
        helps = change > 1e-9
        critical = UNIQUENESS_BOUND * math.sqrt(self.private_precision)
        multiple = frame[frame["n_equilibria"] > 1]
        if helps:
            effect = "helps", " (the public view says the needed mass is small)."
        elif change < -1e-9:
            effect = (
                "hurts",
                (
                    " (the public view says the needed mass is large, so precise "
                    "public information makes failure common knowledge)."
                ),
            )
        else:
            effect = "neither helps nor hurts", "."
        verdict = (
            f"With a unique equilibrium, raising public precision from "
            f"{first['public_precision']:.3g} to {last['public_precision']:.3g} moves the "
            f"probability of a coordinated response from "
            f"{first['p_coordinated_worst']:.3f} to {last['p_coordinated_worst']:.3f}: "
            f"disclosure {effect[0]} at public signal y = {self.public_signal:.3g}" + effect[1]
        )
        if len(multiple):
            verdict += (
                f" From α = {multiple['public_precision'].iloc[0]:.3g} (uniqueness "
                f"holds for every signal only up to √(2πβ) = {critical:.3g}) equilibria "
                "are multiple: the outcome depends on expectations, between "
                f"{multiple['p_coordinated_worst'].min():.3f} (worst) and "
                f"{multiple['p_coordinated_best'].max():.3f} (best)."
            )
        return DisclosureCurve(
            frame=frame,
            target=float(target),
            critical_precision=critical,
            helps=helps,
            verdict=verdict,
        )
