"""M1: the preparedness game — diffuse benefit, concentrated cost (DESIGN.md, M1).

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
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError, Shown
from ..params import Actors, param, validate

__all__ = ["PreparednessGame", "AGGREGATORS"]

AGGREGATORS = ("sum", "ces", "weakest_link", "best_shot")
_SHARE_TOLERANCE = 1e-12  # Σ s_i may exceed 1 by rounding only


@dataclass(frozen=True, slots=True, eq=False)
class PreparednessGame:
    """Continuous investment in shared response capacity (DESIGN.md, M1).

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

    share: Actors = param(kind="actors", bounds=(0, 1), closed="right", unit="1", symbol="s",
                          doc="benefit share internalized; share of the social benefit the "
                              "actor captures")
    cost: Actors = param(kind="actors", bounds=(0, math.inf), closed="neither",
                         unit="USD m per unit", symbol="c", doc="unit cost of preparedness")
    weight: Actors = param(None, kind="actors", bounds=(0, math.inf), closed="neither",
                           unit="1", symbol="w", doc="productivity of investment in robustness")
    prob: float = param(1.0, bounds=(0, 1), unit="1", symbol="p",
                        doc="incident probability; probability that prevention fails")
    harm: float = param(1.0, bounds=(0, math.inf), closed="left", unit="USD m", symbol="H",
                        doc="harm if unmitigated")
    efficacy: float = param(1.0, bounds=(0, math.inf), closed="neither", unit="per unit",
                            symbol="κ", doc="mitigation efficiency of robustness")
    cost_exponent: float = param(1.0, bounds=(1, math.inf), closed="left", unit="1",
                                 symbol="γ", doc="cost exponent; curvature of preparedness cost")
    aggregator: str = param("sum", kind="choice", choices=AGGREGATORS,
                            doc="how investments combine into robustness")
    ces_rho: float = param(0.5, bounds=(-math.inf, 1), unit="1", symbol="ρ",
                           doc="CES substitution parameter")
    baseline: float = param(0.0, bounds=(0, math.inf), closed="left", unit="units",
                            symbol="R0", doc="baseline robustness")
    cost_share: Actors = param(1.0, kind="actors", bounds=(0, 1), closed="right", unit="1",
                               symbol="φ", doc="private cost share; fraction of its "
                               "preparedness cost the actor pays (the rest is a subsidy)")
    names: tuple | None = param(None, kind="labels", doc="actor names")
    roles: tuple | None = param(None, kind="labels", doc="actor roles")
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf),
                                 doc="number of actors")

    def __post_init__(self) -> None:
        if self.weight is None:
            object.__setattr__(self, "weight", 1.0)
        validate(self)
        owner = type(self).__name__
        total = float(np.sum(self.share))
        if total > 1.0 + _SHARE_TOLERANCE:
            raise InvalidParameterError(owner, "share", "a set of benefit shares with sum <= 1 "
                                        "(the benefit is diffuse: Σ s_i <= 1)",
                                        Shown(f"sum {total!r}"))
        if self.aggregator == "ces" and self.ces_rho == 0.0:
            raise InvalidParameterError(owner, "ces_rho", "a finite float <= 1 and != 0",
                                        self.ces_rho)
        n = self.n_actors
        if self.names is None:
            object.__setattr__(self, "names", tuple(f"actor {i}" for i in range(n)))
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)

    # -- benefit -------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """p·H, the expected harm with no robustness at all."""
        return self.prob * self.harm

    def benefit(self, robustness):
        """Expected avoided harm B(R) = p·H·(1 − exp(−κR))."""
        return -self.scale * np.expm1(-self.efficacy * np.asarray(robustness, dtype=float))

    def marginal_benefit(self, robustness):
        """B'(R) = p·H·κ·exp(−κR)."""
        return self.scale * self.efficacy * np.exp(-self.efficacy * np.asarray(robustness, float))

    def residual_harm(self, robustness):
        """Residual expected harm p·H·exp(−κR)."""
        return self.scale * np.exp(-self.efficacy * np.asarray(robustness, dtype=float))

    # -- aggregate, costs, payoffs ---------------------------------------------------------
    def aggregate(self, investment) -> np.ndarray:
        """Robustness R = R0 + A(x) for investment profiles ``x`` of shape (..., n_actors)."""
        x = np.asarray(investment, dtype=float)
        e = self.weight * x
        if self.aggregator == "sum":
            a = e.sum(axis=-1)
        elif self.aggregator == "weakest_link":
            a = e.min(axis=-1)
        elif self.aggregator == "best_shot":
            a = e.max(axis=-1)
        else:
            a = self._ces(x)
        return self.baseline + a

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
            return np.where(ok[..., 0], scale[..., 0] * inner ** (1.0 / rho), 0.0)
        # ρ < 0: any zero input makes the aggregate zero (perfect complements in the limit).
        positive = np.all(x > 0, axis=-1)
        with np.errstate(over="ignore", divide="ignore"):
            inner = np.sum(self.weight * np.where(x > 0, ratio, 1.0) ** rho, axis=-1)
            value = scale[..., 0] * inner ** (1.0 / rho)
        return np.where(positive, value, 0.0)

    @property
    def private_cost(self) -> np.ndarray:
        """φ_i·c_i, the unit cost an actor weighs in its own decision."""
        return self.cost * self.cost_share

    def costs(self, investment) -> np.ndarray:
        """Each actor's (social) preparedness cost c_i·x_i^γ/γ."""
        x = np.asarray(investment, dtype=float)
        return self.cost * x**self.cost_exponent / self.cost_exponent

    def transfers(self, investment) -> np.ndarray:
        """Subsidy T_i = (1 − φ_i)·c_i·x_i^γ/γ paid to each actor (their sum is the fiscal cost)."""
        return (1.0 - self.cost_share) * self.costs(investment)

    def payoffs(self, investment) -> np.ndarray:
        """Each actor's payoff u_i = s_i·B(R) − c_i·x_i^γ/γ + T_i = s_i·B(R) − φ_i·c_i·x_i^γ/γ."""
        r = self.aggregate(investment)
        return self.share * np.expand_dims(self.benefit(r), -1) - self.cost_share * self.costs(
            investment)

    def welfare(self, investment):
        """Social welfare B(R) − Σ c_i·x_i^γ/γ (transfers net out)."""
        return self.benefit(self.aggregate(investment)) - self.costs(investment).sum(axis=-1)

    # -- unilateral deviations (used by the certificate, not by the solvers) ---------------
    def others(self, investment) -> np.ndarray:
        """Per-actor summary of the others' investments that a deviation does not change.

        ``sum``: Σ_{j≠i} w_j x_j; ``ces``: rows Σ_{j≠i} w_j (x_j/m)^ρ (−inf if some other
        x_j = 0 and ρ < 0) and m = max_j x_j; ``weakest_link``/``best_shot``: min/max_{j≠i}
        w_j x_j (±inf with one actor).
        """
        x = np.asarray(investment, dtype=float)
        e = self.weight * x
        n = self.n_actors
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
        """
        own = np.asarray(own, dtype=float)
        s, c, w = self.share[actors], self.private_cost[actors], self.weight[actors]
        rest = others[actors] if self.aggregator != "ces" else None
        if self.aggregator == "sum":
            a = rest + w * own
        elif self.aggregator == "weakest_link":
            a = np.minimum(rest, w * own)
        elif self.aggregator == "best_shot":
            a = np.maximum(rest, w * own)
        else:
            rho = self.ces_rho
            rest, scale = others[0][actors], others[1][actors]
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                own_term = w * np.where(own > 0, own / scale, 1.0) ** rho
                if rho > 0:
                    a = scale * (rest + np.where(own > 0, own_term, 0.0)) ** (1.0 / rho)
                else:
                    ok = (own > 0) & np.isfinite(rest) & np.isfinite(own_term)
                    total = np.where(ok, rest + own_term, 1.0)
                    a = np.where(ok, scale * total ** (1.0 / rho), 0.0)
        benefit = -self.scale * np.expm1(-self.efficacy * (self.baseline + a))
        return s * benefit - c * own**self.cost_exponent / self.cost_exponent

    def kinks(self, others: np.ndarray) -> np.ndarray | None:
        """Own-investment levels where an actor's deviation payoff has a kink (or None)."""
        if self.aggregator in ("weakest_link", "best_shot"):
            with np.errstate(invalid="ignore"):
                k = others / self.weight
            return np.where(np.isfinite(k), np.maximum(k, 0.0), np.nan)
        return None

    def useful_bound(self) -> np.ndarray:
        """x̄_i = (γ·s_i·p·H/(φ_i c_i))^(1/γ): investing more is worse than investing 0."""
        g = self.cost_exponent
        with np.errstate(over="ignore"):  # an infinite bound only widens the search
            bound = (g * self.share * self.scale / self.private_cost) ** (1.0 / g)
        return np.minimum(bound, np.finfo(float).max)

    def replace(self, **changes) -> "PreparednessGame":
        """A copy with some parameters changed (validated again)."""
        from dataclasses import fields

        kwargs = {f.name: getattr(self, f.name) for f in fields(self)}
        kwargs.update(changes)
        return PreparednessGame(**kwargs)
