"""M1: the preparedness game — diffuse benefit, concentrated cost (docs/guide/m1-preparedness.md).

Actor i chooses preparedness x_i ≥ 0. Aggregate robustness is R = R0 + A(x) with

* ``sum``:          A = Σ w_i x_i
* ``ces``:          A = (Σ w_i x_i^ρ)^(1/ρ), ρ ≤ 1, ρ ≠ 0 (ρ < 1: efforts are complements)
* ``weakest_link``: A = min_i w_i x_i
* ``best_shot``:    A = max_i w_i x_i

Expected avoided harm is B(R) = p·H·(1 − exp(−κR)); the residual expected harm is p·H·exp(−κR).
Actor i's payoff is u_i = s_i·B(R) − c_i·x_i^γ/γ, where s_i is the share of the social benefit
it internalizes (Σ s_i ≤ 1; the rest accrues to the public) and c_i its unit cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError, Shown
from ..params import Actors, param, validate

__all__ = [
    "PreparednessGame",
    "AGGREGATORS",
    "DefaultNames",
    "power_cost",
    "linear_sum_robustness",
    "interior_aggregate",
]

AGGREGATORS = ("sum", "ces", "weakest_link", "best_shot")
_SHARE_TOLERANCE = 1e-12  # Σ s_i may exceed 1 by rounding only


@dataclass(frozen=True, slots=True, eq=False)
class PreparednessGame:
    """Continuous investment in shared response capacity (docs/guide/m1-preparedness.md).

    Parameters
    ----------
    share : float or array_like
        s_i ∈ (0, 1], the share of the social benefit actor i internalizes; Σ s_i ≤ 1.
    cost : float or array_like
        c_i > 0, unit cost of preparedness (the cost of x_i is c_i·x_i^γ/γ).
    weight : float or array_like, optional
        w_i > 0, productivity of actor i's investment in the aggregate (default 1).
    prob : float
        p ∈ [0, 1], probability that prevention fails and an incident occurs.
    harm : float
        H ≥ 0, harm if the incident is unmitigated.
    efficacy : float
        κ > 0, mitigation efficiency of robustness.
    cost_exponent : float
        γ ≥ 1; γ = 1 is linear cost, γ > 1 convex cost.
    aggregator : {"sum", "ces", "weakest_link", "best_shot"}
        How investments combine into robustness.
    ces_rho : float
        ρ for the ``ces`` aggregator, ρ ≤ 1 and ρ ≠ 0.
    baseline : float
        R0 ≥ 0, robustness present without any investment.
    cost_share : float or array_like
        φ_i ∈ (0, 1], the fraction of its cost actor i pays itself (default 1); a matching
        subsidy pays the rest, a transfer T_i = (1 − φ_i)·c_i·x_i^γ/γ. Best responses use the
        private cost φ_i·c_i; welfare uses the full cost c_i.
    names, roles : sequence of str, optional
        Actor names (default ``"actor 0"``, ...) and roles (default ``"actor"``).
    n_actors : int, optional
        Number of actors when every per-actor parameter is a scalar.

    Raises
    ------
    InvalidParameterError
        If any parameter is NaN, infinite or outside its declared bounds, if Σ share > 1, if
        array lengths differ, or if the aggregator is unknown.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.1], cost=1.0, prob=0.5, harm=100.0, efficacy=0.5)
    >>> g.n_actors
    2
    >>> round(float(g.benefit(2.0)), 4)
    31.6060
    """

    share: Actors = param(
        kind="actors",
        bounds=(0, 1),
        closed="right",
        unit="1",
        symbol="s",
        doc="benefit share internalized; share of the social benefit the actor captures",
    )
    cost: Actors = param(
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m per unit",
        symbol="c",
        doc="unit cost of preparedness",
    )
    weight: Actors = param(
        None,
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="1",
        symbol="w",
        doc="productivity of investment in robustness",
    )
    prob: float = param(
        1.0,
        bounds=(0, 1),
        unit="1",
        symbol="p",
        doc="incident probability; probability that prevention fails",
    )
    harm: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="H",
        doc="harm if unmitigated",
    )
    efficacy: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="per unit",
        symbol="κ",
        doc="mitigation efficiency of robustness",
    )
    cost_exponent: float = param(
        1.0,
        bounds=(1, math.inf),
        closed="left",
        unit="1",
        symbol="γ",
        doc="cost exponent; curvature of preparedness cost",
    )
    aggregator: str = param(
        "sum", kind="choice", choices=AGGREGATORS, doc="how investments combine into robustness"
    )
    ces_rho: float = param(
        0.5, bounds=(-math.inf, 1), unit="1", symbol="ρ", doc="CES substitution parameter"
    )
    baseline: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="units",
        symbol="R0",
        doc="baseline robustness",
    )
    cost_share: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, 1),
        closed="right",
        unit="1",
        symbol="φ",
        doc="private cost share; fraction of its "
        "preparedness cost the actor pays (the rest is a subsidy)",
    )
    names: tuple | None = param(None, kind="labels", doc="actor names")
    roles: tuple | None = param(None, kind="labels", doc="actor roles")
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf), doc="number of actors")

    def __post_init__(self) -> None:
        if self.weight is None:
            object.__setattr__(self, "weight", 1.0)
        validate(self)
        owner = type(self).__name__
        total = float(np.sum(self.share))
        if total > 1.0 + _SHARE_TOLERANCE:
            raise InvalidParameterError(
                owner,
                "share",
                "a set of benefit shares with sum <= 1 (the benefit is diffuse: Σ s_i <= 1)",
                Shown(f"sum {total!r}"),
            )
        if self.aggregator == "ces" and self.ces_rho == 0.0:
            raise InvalidParameterError(
                owner, "ces_rho", "a finite float <= 1 and != 0", self.ces_rho
            )
        n = self.n_actors
        assert n is not None  # set by validate()
        if self.names is None:  # built on demand: a million strings would dwarf the solve
            object.__setattr__(self, "names", DefaultNames(n))
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)

    # -- benefit -------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """p·H, the expected harm with no robustness at all."""
        return self.prob * self.harm

    def benefit(self, robustness):
        """Expected avoided harm B(R) = p·H·(1 − exp(−κR)).

        Parameters
        ----------
        robustness : float or array_like
            Robustness R (any shape).

        Returns
        -------
        float or ndarray
            B(R), same shape as ``robustness``, in the units of ``harm``.
        """
        return -self.scale * np.expm1(-self.efficacy * np.asarray(robustness, dtype=float))

    def marginal_benefit(self, robustness):
        """B'(R) = p·H·κ·exp(−κR).

        Parameters
        ----------
        robustness : float or array_like
            Robustness R (any shape).

        Returns
        -------
        float or ndarray
            B'(R), same shape as ``robustness``, in the units of ``harm`` per unit of robustness.
        """
        return self.scale * self.efficacy * np.exp(-self.efficacy * np.asarray(robustness, float))

    def residual_harm(self, robustness):
        """Residual expected harm p·H·exp(−κR).

        Parameters
        ----------
        robustness : float or array_like
            Robustness R (any shape).

        Returns
        -------
        float or ndarray
            p·H·exp(−κR), same shape as ``robustness``, in the units of ``harm``.
        """
        return self.scale * np.exp(-self.efficacy * np.asarray(robustness, dtype=float))

    # -- aggregate, costs, payoffs ---------------------------------------------------------
    def aggregate(self, investment) -> np.ndarray:
        """Robustness R = R0 + A(x) for investment profiles ``x`` of shape (..., n_actors).

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            R for each profile, shape (...).
        """
        return self.baseline + self.effort(investment)

    def effort(self, investment) -> np.ndarray:
        """The aggregate of investments A(x) alone (robustness without the baseline R0).

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            A(x) for each profile, shape (...).
        """
        x = np.asarray(investment, dtype=float)
        if self.aggregator == "ces":
            return self._ces(x)
        e = self.weight * x
        if self.aggregator == "sum":
            with np.errstate(over="ignore"):
                return e.sum(axis=-1)
        if self.aggregator == "weakest_link":
            return e.min(axis=-1)
        return e.max(axis=-1)

    def _ces(self, x: np.ndarray) -> np.ndarray:
        # Factor out the largest input, A = m·(Σ w (x/m)^ρ)^(1/ρ), so that tiny or huge
        # investments neither overflow nor underflow x**ρ.
        rho = self.ces_rho
        m = np.max(x, axis=-1, keepdims=True)
        ok = m > 0
        scale = np.where(ok, m, 1.0)
        ratio = x / scale
        if rho > 0:
            inner = np.sum(self.weight * ratio**rho, axis=-1)
            return np.where(ok[..., 0], _scaled_power(scale[..., 0], inner, rho), 0.0)
        # ρ < 0: any zero input makes the aggregate zero (perfect complements in the limit).
        positive = np.all(x > 0, axis=-1)
        with np.errstate(over="ignore", divide="ignore"):
            inner = np.sum(self.weight * np.where(x > 0, ratio, 1.0) ** rho, axis=-1)
        return np.where(positive, _scaled_power(scale[..., 0], inner, rho), 0.0)

    @property
    def private_cost(self) -> np.ndarray:
        """φ_i·c_i, the unit cost an actor weighs in its own decision."""
        return self.cost * self.cost_share

    def costs(self, investment) -> np.ndarray:
        """Each actor's (social) preparedness cost c_i·x_i^γ/γ.

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            Cost of every actor, shape (..., n_actors), in the units of ``cost``.
        """
        return power_cost(self.cost, investment, self.cost_exponent)

    def transfers(self, investment) -> np.ndarray:
        """Subsidy T_i = (1 − φ_i)·c_i·x_i^γ/γ paid to each actor (their sum is the fiscal cost).

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            T_i of every actor, shape (..., n_actors).
        """
        return (1.0 - self.cost_share) * self.costs(investment)

    def payoffs(self, investment) -> np.ndarray:
        """Each actor's payoff u_i = s_i·B(R) − c_i·x_i^γ/γ + T_i = s_i·B(R) − φ_i·c_i·x_i^γ/γ.

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            u_i of every actor, shape (..., n_actors).
        """
        r = self.aggregate(investment)
        return self.share * np.expand_dims(self.benefit(r), -1) - self.cost_share * self.costs(
            investment
        )

    def welfare(self, investment):
        """Social welfare B(R) − Σ c_i·x_i^γ/γ (transfers net out).

        Parameters
        ----------
        investment : array_like
            Investment profile(s) x, shape (..., n_actors).

        Returns
        -------
        ndarray
            Welfare of each profile, shape (...).
        """
        return self.benefit(self.aggregate(investment)) - self.costs(investment).sum(axis=-1)

    # -- unilateral deviations (used by the certificate, not by the solvers) ---------------
    def others(self, investment) -> np.ndarray:
        """Per-actor summary of the others' investments that a deviation does not change.

        ``sum``: Σ_{j≠i} w_j x_j; ``ces``: rows Σ_{j≠i} w_j (x_j/m)^ρ (−inf if some other
        x_j = 0 and ρ < 0) and m = max_j x_j; ``weakest_link``/``best_shot``: min/max_{j≠i}
        w_j x_j (±inf with one actor).

        Parameters
        ----------
        investment : array_like
            One investment profile x, shape (n_actors,).

        Returns
        -------
        ndarray
            Shape (n_actors,), or (2, n_actors) for ``ces`` (the sums and the scale m).
        """
        x = np.asarray(investment, dtype=float)
        e = self.weight * x
        n = self.n_actors
        assert n is not None  # set by validate()
        if self.aggregator == "sum":
            # Σ_{j≠i} from prefix and suffix sums: no inf − inf when one term overflows.
            prefix = np.concatenate(([0.0], np.cumsum(e)[:-1]))
            suffix = np.concatenate((np.cumsum(e[::-1])[::-1][1:], [0.0]))
            with np.errstate(over="ignore"):
                return prefix + suffix
        if self.aggregator == "ces":
            # Rows: Σ_{j≠i} w_j (x_j/m)^ρ and the scale m = max_j x_j (see ``_ces``).
            rho = self.ces_rho
            m = float(x.max())
            scale = m if m > 0 else 1.0
            with np.errstate(over="ignore", divide="ignore"):
                raw = self.weight * np.where(x > 0, x / scale, 1.0) ** rho
            if rho > 0:
                terms = np.where(x > 0, raw, 0.0)
                return np.stack([terms.sum() - terms, np.full(n, scale)])
            # x = 0 (or x**ρ overflowing): the aggregate vanishes whatever the others do.
            zero = (x <= 0) | ~np.isfinite(raw)
            terms = np.where(zero, 0.0, raw)
            rest = np.where(zero.sum() - zero > 0, -np.inf, terms.sum() - terms)
            return np.stack([rest, np.full(n, scale)])
        if n == 1:
            return np.array([np.inf if self.aggregator == "weakest_link" else -np.inf])
        lowest = self.aggregator == "weakest_link"
        pair = np.argpartition(e if lowest else -e, 1)[:2]
        k = int(np.argmin(e[pair]) if lowest else np.argmax(e[pair]))
        first, second = pair[k], pair[1 - k]
        out = np.full(n, e[first])
        out[first] = e[second]
        return out

    def deviation_payoffs(self, others: np.ndarray, own, actors=slice(None)) -> np.ndarray:
        """Payoff of each actor in ``actors`` if it alone invests ``own`` (shape (K, n)).

        ``others`` is :meth:`others` of the profile the actors deviate from.

        Parameters
        ----------
        others : ndarray
            :meth:`others` of the profile the actors deviate from.
        own : float or array_like
            Own investment of each deviating actor; broadcasts against the actors selected.
        actors : slice or array_like of int, optional
            Which actors deviate (default all).

        Returns
        -------
        ndarray
            Payoff s_i·B(R) − φ_i·c_i·own^γ/γ of each deviating actor, with the
            broadcast shape of ``own`` and the selected actors.
        """
        own = np.asarray(own, dtype=float)
        s, c, w = self.share[actors], self.private_cost[actors], self.weight[actors]
        rest = others[actors] if self.aggregator != "ces" else None
        a = self._deviation_aggregate(others, own, actors, w, rest)
        with np.errstate(over="ignore", invalid="ignore"):
            benefit = -self.scale * np.expm1(-self.efficacy * (self.baseline + a))
        return s * benefit - power_cost(c, own, self.cost_exponent)

    def deviation_aggregate(self, others: np.ndarray, own, actors=slice(None)) -> np.ndarray:
        """A(x) when each actor in ``actors`` alone invests ``own`` (``others`` as above).

        Parameters
        ----------
        others : ndarray
            :meth:`others` of the profile the actors deviate from.
        own : float or array_like
            Own investment of each deviating actor; broadcasts against the actors selected.
        actors : slice or array_like of int, optional
            Which actors deviate (default all).

        Returns
        -------
        ndarray
            A(x) after each deviation, with the broadcast shape of ``own`` and the
            selected actors.
        """
        w = self.weight[actors]
        rest = others[actors] if self.aggregator != "ces" else None
        return self._deviation_aggregate(others, np.asarray(own, dtype=float), actors, w, rest)

    def _deviation_aggregate(self, others, own, actors, w, rest):
        if self.aggregator == "sum":
            with np.errstate(over="ignore"):
                return rest + w * own
        if self.aggregator == "weakest_link":
            return np.minimum(rest, w * own)
        if self.aggregator == "best_shot":
            return np.maximum(rest, w * own)
        rho = self.ces_rho
        rest, scale = others[0][actors], others[1][actors]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            own_term = w * np.where(own > 0, own / scale, 1.0) ** rho
            if rho > 0:
                return _scaled_power(scale, rest + np.where(own > 0, own_term, 0.0), rho)
            ok = (own > 0) & np.isfinite(rest) & np.isfinite(own_term)
            total = np.where(ok, rest + own_term, 1.0)
            return np.where(ok, _scaled_power(scale, total, rho), 0.0)

    def log_aggregate_slope(self, others: np.ndarray, own, actors=slice(None)) -> np.ndarray:
        """ln ∂A/∂x_i at own investment ``own`` (−inf where A does not move with x_i).

        For ``sum`` (and below the kink of ``weakest_link``, above the kink of ``best_shot``)
        ∂A/∂x_i = w_i. For ``ces``, with S = Σ_{j≠i} w_j x_j^ρ and t = S/(w_i x_i^ρ),
        ∂A/∂x_i = w_i^(1/ρ)·(1 + t)^((1−ρ)/ρ): finite at x_i = 0 when S = 0 (ρ > 0) or when
        ρ < 0, +inf at x_i = 0 when ρ > 0 and S > 0, and 0 when ρ < 0 and another actor
        invests nothing (S = inf).

        Parameters
        ----------
        others : ndarray
            :meth:`others` of the profile the actors deviate from.
        own : float or array_like
            Own investment of each deviating actor; broadcasts against the actors selected.
        actors : slice or array_like of int, optional
            Which actors deviate (default all).

        Returns
        -------
        ndarray
            ln ∂A/∂x_i, with the broadcast shape of ``own`` and the selected actors.
        """
        own = np.asarray(own, dtype=float)
        w = self.weight[actors]
        if self.aggregator != "ces":
            return np.broadcast_to(np.log(w), np.broadcast(own, w).shape)
        rho = self.ces_rho
        rest, scale = others[0][actors], others[1][actors]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_w = np.log(w)
            # ln t = ln S − ln w − ρ ln(x/m); S is stored as Σ w (x_j/m)^ρ (−inf: A ≡ 0).
            log_t = np.log(np.where(rest > 0, rest, 0.0)) - log_w - rho * np.log(own / scale)
            if rho < 0:
                log_t = np.where(np.isneginf(rest), np.inf, log_t)
            log_t = np.where(rest == 0, -np.inf, log_t)
            softplus = np.logaddexp(0.0, log_t)
            out = log_w / rho + (1.0 - rho) / rho * softplus
        return np.where(np.isnan(out), -np.inf if rho < 0 else np.inf, out)

    def kinks(self, others: np.ndarray) -> np.ndarray | None:
        """Own-investment levels where an actor's deviation payoff has a kink (or None).

        Parameters
        ----------
        others : ndarray
            :meth:`others` of the profile the actors deviate from.

        Returns
        -------
        ndarray or None
            For ``weakest_link`` and ``best_shot``, the level x_i = others_i/w_i (clipped at 0,
            NaN where infinite) at which actor i's deviation meets the others' extreme, shape
            (n_actors,); None for the smooth aggregators.
        """
        if self.aggregator in ("weakest_link", "best_shot"):
            with np.errstate(invalid="ignore"):
                k = others / self.weight
            return np.where(np.isfinite(k), np.maximum(k, 0.0), np.nan)
        return None

    def useful_bound(self) -> np.ndarray:
        """x̄_i = (γ·s_i·p·H/(φ_i c_i))^(1/γ): investing more is worse than investing 0.

        Returns
        -------
        ndarray
            x̄_i for every actor, shape (n_actors,), capped at the largest float.
        """
        g = self.cost_exponent
        with np.errstate(over="ignore"):  # an infinite bound only widens the search
            bound = (g * self.share * self.scale / self.private_cost) ** (1.0 / g)
        return np.minimum(bound, np.finfo(float).max)

    def replace(self, **changes) -> PreparednessGame:
        """A copy with some parameters changed (validated again).

        Built by :func:`dataclasses.replace`, so a subclass keeps its type and its extra
        fields (fields with ``init=False`` are recomputed by ``__post_init__``).

        Parameters
        ----------
        **changes
            New values of constructor parameters, by name.

        Returns
        -------
        PreparednessGame
            The new instance (of the same class as ``self``).
        """
        import dataclasses

        if isinstance(self.names, DefaultNames):
            # regenerated, for however many actors there now are
            changes = {"names": None, **changes}
        return dataclasses.replace(self, **changes)


def power_cost(c, x, gamma: float) -> np.ndarray:
    """c·x^γ/γ without spurious overflow: x^γ may overflow where c·x^γ/γ does not.

    Parameters
    ----------
    c : float or array_like
        Unit cost(s) c.
    x : float or array_like
        Investment(s) x ≥ 0; broadcasts against ``c``.
    gamma : float
        Cost exponent γ ≥ 1.

    Returns
    -------
    ndarray
        c·x^γ/γ, computed in logs where the direct form overflows (inf only when the value
        itself does).

    Examples
    --------
    >>> float(power_cost(1.0, 1.5, 2000.0)) > 1e300
    True
    >>> float(power_cost(1.0, 1.0 + 2.0**-52, 1e150))
    inf
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        value = c * x**gamma / gamma
        if gamma > 1.0 and not np.all(np.isfinite(value)):
            with np.errstate(divide="ignore"):
                logged = np.exp(np.log(c) + gamma * np.log(x) - math.log(gamma))
            value = np.where(np.isfinite(value), value, logged)
    return value


def linear_sum_robustness(scale, top_ratio, efficacy, baseline) -> np.ndarray:
    """R* = max(R0, ln(pHκ·max_i s_i w_i/c_i)/κ): the ``sum`` game with linear cost (γ = 1).

    Bergstrom–Blume–Varian (1986): with linear cost only the actors with the highest
    s_i·w_i/c_i may invest, until the marginal benefit pHκ·e^(−κR) equals their marginal cost.
    With the shares and the private costs this is the equilibrium robustness; with every share
    1 and the social costs it is the planner's optimum. The solver
    (:func:`coordgap.solvers.aggregative.solve_preparedness`) and the vectorized gap metrics
    (:class:`coordgap.analysis.metrics.PreparednessMetrics`) both use it.

    Parameters
    ----------
    scale : float or array_like
        pHκ ≥ 0, the marginal benefit of robustness at R = 0.
    top_ratio : float or array_like
        max_i s_i·w_i/c_i > 0.
    efficacy : float or array_like
        κ > 0.
    baseline : float or array_like
        R0 ≥ 0, the robustness that exists without investment.

    Returns
    -------
    ndarray
        R*, equal to R0 where pHκ = 0 (nothing at stake).

    Examples
    --------
    >>> float(linear_sum_robustness(10.0 * 0.5, 0.4, 0.5, 0.0))   # ln(5·0.4)/0.5
    1.3862943611198906
    >>> float(linear_sum_robustness(0.0, 0.4, 0.5, 0.25))
    0.25
    """
    scale = np.asarray(scale, dtype=float)
    positive = scale > 0
    with np.errstate(divide="ignore"):
        log_scale = np.log(np.where(positive, scale, 1.0))
        r = np.maximum(baseline, (log_scale + np.log(top_ratio)) / efficacy)
    return np.where(positive, r, baseline)


def interior_aggregate(level, efficacy, gamma: float) -> np.ndarray:
    """The root A > 0 of (γ − 1)·ln A + κ·A = L (γ > 1), in closed form through Wright ω.

    A = (γ − 1)/κ · ω(ln(κ/(γ − 1)) + L/(γ − 1)), ω the Wright omega function (ω + ln ω = z).
    With convex power cost (γ > 1) this equation pins one actor's stand-alone effective
    investment (L = ln(s·pHκ/c') − κR0) and the aggregate of the interior equilibrium of the
    ``sum`` game (L = (γ − 1)·ln Σ_i w_i(s_i w_i/c_i)^(1/(γ−1)) + ln(pHκ) − κR0).

    Parameters
    ----------
    level : float or array_like
        L.
    efficacy : float or array_like
        κ > 0.
    gamma : float
        γ > 1, the cost exponent.

    Returns
    -------
    ndarray
        A (real part of the Wright omega expression).

    Examples
    --------
    >>> a = float(interior_aggregate(2.0, 0.5, 3.0))
    >>> round(2.0 * math.log(a) + 0.5 * a, 12)
    2.0
    """
    from scipy import special  # loaded on first use

    g1 = gamma - 1.0
    z = np.log(efficacy / g1) + level / g1
    return g1 / efficacy * np.real(special.wrightomega(z))


def _scaled_power(scale, inner, rho: float):
    """scale·inner^(1/ρ), computed in logs where the direct form overflows or underflows."""
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        direct = scale * inner ** (1.0 / rho)
        bad = ~np.isfinite(direct) | ((direct == 0) & (inner > 0) & np.isfinite(inner))
        if np.any(bad):
            logged = np.exp(np.log(scale) + np.log(inner) / rho)
            direct = np.where(bad & (inner > 0), logged, direct)
    return direct


class DefaultNames(Sequence):
    """The default actor names ``("actor 0", "actor 1", ...)``, each made when it is read.

    Behaves as the tuple of names (indexing, slicing, iteration, ``len``, ``in``, equality with
    a tuple, concatenation), without building N strings when the game is constructed.

    Parameters
    ----------
    n : int
        Number of actors.

    Examples
    --------
    >>> names = DefaultNames(3)
    >>> names[1], names[-1], len(names), names == ("actor 0", "actor 1", "actor 2")
    ('actor 1', 'actor 2', 3, True)
    >>> "actor 2" in names, "actor 3" in names, names[:2]
    (True, False, ('actor 0', 'actor 1'))
    """

    __slots__ = ("_n",)

    def __init__(self, n: int):
        self._n = int(n)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(f"actor {i}" for i in range(*index.indices(self._n)))
        i = int(index)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("actor index out of range")
        return f"actor {i}"

    def __iter__(self):
        return (f"actor {i}" for i in range(self._n))

    def __contains__(self, name) -> bool:
        if not isinstance(name, str) or not name.startswith("actor "):
            return False
        digits = name[6:]
        return digits.isdigit() and str(int(digits)) == digits and int(digits) < self._n

    def __eq__(self, other) -> bool:
        if isinstance(other, DefaultNames):
            return self._n == other._n
        if isinstance(other, (tuple, list)):
            return len(other) == self._n and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other):
        return tuple(self) + tuple(other)

    def __radd__(self, other):
        return tuple(other) + tuple(self)

    def __repr__(self) -> str:
        if self._n <= 6:
            return repr(tuple(self))
        return f"('actor 0', 'actor 1', ..., 'actor {self._n - 1}')"
