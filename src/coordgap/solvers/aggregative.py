"""Equilibria and social optimum of the preparedness game (M1) from its aggregative structure.

The game is aggregative: each actor's payoff depends on its own investment and on robustness R.
That turns the N-dimensional fixed point into one monotone equation in the aggregate.

``sum``/``ces`` with γ > 1
    Given the aggregate A = R − R0, actor i's best response is
    x_i = (s_i w_i B'(R) A^(1−ρ) / c_i)^(1/(γ−ρ)) (ρ = 1 for ``sum``). Substituting into the
    aggregator gives, with u = ln A,  h(u) = (γ−1)u + κe^u − K = 0, where
    K = ((γ−ρ)/ρ)·ln C + ln(pHκ) − κR0 and C = Σ w_i (s_i w_i / c_i)^(ρ/(γ−ρ)). h is strictly
    increasing, so the root is unique; C costs one O(N) pass and each root-finding step O(1).
``sum`` with γ = 1
    Bergstrom–Blume–Varian (1986): R* = max(R0, ln(pHκ·max_i s_i w_i/c_i)/κ); only actors with
    the highest s_i w_i/c_i may invest, and any split of R* − R0 among them is an equilibrium.
``ces`` with γ = 1
    Degree-one homogeneity pins R*: Σ w_i (s_i w_i B'(R*)/c_i)^(ρ/(1−ρ)) = 1.
``weakest_link``
    Varian (2004): every common effective level m ∈ [0, min_i ê_i] is an equilibrium, ê_i being
    actor i's stand-alone optimum; the set is a segment reported by its two ends.
``best_shot``
    One actor j provides its stand-alone optimum ê_j; it is an equilibrium iff no actor with a
    larger stand-alone optimum prefers to overtake it (ê_j ≥ τ_i for all i with ê_i > ê_j).

With ``ces`` and ρ < 0 (and two or more actors) the all-zero profile is also an equilibrium:
when another actor invests nothing the aggregate is zero whatever one does.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import optimize, special

from ..errors import ConvergenceWarning, DegenerateGameWarning
from ..results import EquilibriumSet, PreparednessEquilibrium, SocialOptimum
from .certify import max_regret_continuous

__all__ = ["solve_preparedness", "optimum_preparedness", "standalone_effective"]

_TIE_RTOL = 1e-12


def standalone_effective(game, share, effective_cost) -> np.ndarray:
    """Effective investment e = w·x that maximizes s·B(R0 + e) − c'·e^γ/γ (vectorized).

    Closed form through the Wright omega function ω (ω + ln ω = z): with
    L = ln(s·p·H·κ/c') − κR0, e = (γ−1)/κ · ω(ln(κ/(γ−1)) + L/(γ−1)) for γ > 1 and
    e = max(0, L/κ) for γ = 1.
    """
    share = np.asarray(share, dtype=float)
    effective_cost = np.asarray(effective_cost, dtype=float)
    kappa, gamma = game.efficacy, game.cost_exponent
    scale = game.scale * kappa
    if scale <= 0:
        return np.zeros(np.broadcast(share, effective_cost).shape)
    # Sums of logs, not the log of a product: tiny costs must not overflow the ratio.
    big_l = np.log(share) + math.log(scale) - np.log(effective_cost) - kappa * game.baseline
    if gamma == 1.0:
        return np.maximum(big_l / kappa, 0.0)
    z = math.log(kappa / (gamma - 1.0)) + big_l / (gamma - 1.0)
    return (gamma - 1.0) / kappa * np.real(special.wrightomega(z))


def _root_log_aggregate(kappa: float, gamma: float, k_const: float) -> tuple[float, bool]:
    """Solve (γ−1)u + κe^u = K for u (strictly increasing left side) by a bracketed root find."""
    def h(u: float) -> float:
        return (gamma - 1.0) * u + kappa * math.exp(min(u, 700.0)) - k_const

    lo, hi = -1.0, 1.0
    while h(lo) > 0:
        lo = 2.0 * lo - 1.0
    while h(hi) < 0:
        hi = 2.0 * hi + 1.0
    u, info = optimize.brentq(h, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps,
                              full_output=True, disp=False)
    return u, bool(info.converged)


def _interior_profile(game, share, cost) -> tuple[np.ndarray | None, bool]:
    """The interior fixed point for ``sum``/``ces`` (None if it does not exist)."""
    kappa, gamma = game.efficacy, game.cost_exponent
    rho = 1.0 if game.aggregator == "sum" else game.ces_rho
    weight = game.weight
    scale = game.scale * kappa
    if scale <= 0:
        return np.zeros(game.n_actors), True
    log_sw_c = np.log(share) + np.log(weight) - np.log(cost)
    if gamma > 1.0:
        logs = np.log(weight) + (rho / (gamma - rho)) * log_sw_c
        log_c = float(special.logsumexp(logs))
        k_const = (gamma - rho) / rho * log_c + math.log(scale) - kappa * game.baseline
        u, converged = _root_log_aggregate(kappa, gamma, k_const)
        aggregate = math.exp(u)
        log_mb = math.log(scale) - kappa * (game.baseline + aggregate)
        x = np.exp((log_sw_c + log_mb + (1.0 - rho) * u) / (gamma - rho))
        return x, converged
    # γ = 1 with ρ < 1 (the sum case is handled by the BBV branch).
    lse = float(special.logsumexp(np.log(weight) + rho / (1.0 - rho) * log_sw_c))
    r_star = (math.log(scale) + (1.0 - rho) / rho * lse) / kappa
    if r_star <= game.baseline:
        return None, True
    aggregate = r_star - game.baseline
    log_mb = math.log(scale) - kappa * r_star
    x = aggregate * np.exp((log_sw_c + log_mb) / (1.0 - rho))
    return x, True


def _record(game, x: np.ndarray, kind: str, certify: bool) -> PreparednessEquilibrium:
    x = np.asarray(x, dtype=float)
    x.flags.writeable = False
    r = float(game.aggregate(x))
    costs = game.costs(x)
    benefit = float(game.benefit(r))
    payoffs = game.share * benefit - game.cost_share * costs  # subsidies are transfers
    payoffs.flags.writeable = False
    regret = max_regret_continuous(game, x) if certify else math.nan
    return PreparednessEquilibrium(investment=x, robustness=r,
                                   residual_harm=float(game.residual_harm(r)),
                                   welfare=benefit - float(costs.sum()), payoffs=payoffs,
                                   max_regret=regret, kind=kind)


def _linear_sum_candidates(game, share) -> tuple[float, np.ndarray]:
    """BBV: the equilibrium aggregate and the mask of actors who may provide it."""
    with np.errstate(over="ignore"):  # an infinite ratio is caught by the magnitude rule
        ratio = share * game.weight / game.private_cost
    top = float(ratio.max())
    scale = game.scale * game.efficacy
    r_star = game.baseline
    if scale > 0:
        r_star = max(game.baseline, (math.log(scale) + math.log(top)) / game.efficacy)
    may_invest = ratio >= top * (1.0 - _TIE_RTOL)
    return r_star, may_invest


def _finish(game, records, *, method, complete, continuum=False, n_total=None, details=None,
            converged=True, message=""):
    status = 0 if converged else 1
    if not converged:
        message = (message + " " if message else "") + "root finding did not converge."
        warnings.warn(f"{method}: {message}", ConvergenceWarning, stacklevel=3)
    return EquilibriumSet(equilibria=tuple(records), method=method, complete=complete,
                          success=converged, status=status, message=message,
                          continuum=continuum,
                          n_equilibria=len(records) if n_total is None else n_total,
                          details=details or {}, game=game)


def solve_preparedness(game, *, limit: int = 100, certify: bool = True) -> EquilibriumSet:
    """All Nash equilibria of a :class:`~coordgap.PreparednessGame`.

    Parameters
    ----------
    game : PreparednessGame
    limit : int
        Most equilibria to list when there are many (best shot, ties under linear cost); the
        total is in ``n_equilibria``.
    certify : bool
        Compute each equilibrium's max regret by independent best-response maximization
        (default). With False, ``max_regret`` is NaN; use only for timing.

    Returns
    -------
    EquilibriumSet
    """
    agg, n, gamma = game.aggregator, game.n_actors, game.cost_exponent
    share = game.share
    if n == 1 and agg != "sum":
        return _solve_single_actor(game, limit, certify)
    if agg == "ces" and game.ces_rho == 1.0:  # CES with ρ = 1 is the weighted sum
        inner = solve_preparedness(game.replace(aggregator="sum"), limit=limit, certify=False)
        records = [_record(game, e.investment, e.kind, certify) for e in inner]
        return _finish(game, records, method="aggregative (ces with ρ = 1: sum)",
                       complete=inner.complete, continuum=inner.continuum,
                       n_total=inner.n_equilibria, details=inner.details,
                       converged=inner.success, message=inner.message)
    if agg == "sum" and gamma == 1.0:
        return _solve_linear_sum(game, limit, certify)
    if agg in ("sum", "ces"):
        x, converged = _interior_profile(game, share, game.private_cost)
        records, method = [], f"aggregative-root ({agg})"
        zero_is_eq = agg == "ces" and n >= 2 and (game.ces_rho < 0 or (
            gamma == 1.0 and _zero_is_ces_equilibrium(game)))
        if x is not None:
            records.append(_record(game, x, "greatest" if zero_is_eq else "unique", certify))
        if zero_is_eq or x is None:
            records.insert(0, _record(game, np.zeros(n), "least" if records else "unique",
                                      certify))
        message = ("two equilibria: the all-zero profile (with ρ < 0 one absent actor makes "
                   "the aggregate zero; with ρ > 0 and linear cost no actor gains by starting "
                   "alone) and the interior fixed point") if len(records) == 2 \
            else "unique equilibrium"
        return _finish(game, records, method=method, complete=True, converged=converged,
                       message=message)
    eff_cost = game.private_cost / game.weight**gamma
    e_hat = standalone_effective(game, share, eff_cost)
    if agg == "weakest_link":
        top = float(e_hat.min())
        if top <= 0:
            return _finish(game, [_record(game, np.zeros(n), "unique", certify)],
                           method="weakest-link", complete=True,
                           message="unique equilibrium: no actor invests")
        records = [_record(game, np.zeros(n), "least", certify),
                   _record(game, top / game.weight, "greatest", certify)]
        return _finish(game, records, method="weakest-link", complete=True, continuum=True,
                       n_total=2, details={"effective_level_max": top},
                       message="continuum: every common effective level w_i·x_i = m with "
                               f"0 <= m <= {top:.6g} is an equilibrium (Varian 2004)")
    return _solve_best_shot(game, e_hat, eff_cost, limit, certify)


def _zero_is_ces_equilibrium(game) -> bool:
    """CES with 0 < ρ < 1 and γ = 1: from all-zero, a lone actor i faces R = R0 + w_i^(1/ρ)·x,
    so no one moves iff s_i·w_i^(1/ρ)·B'(R0) <= c_i for every i (payoffs are concave)."""
    lone = game.share * game.weight ** (1.0 / game.ces_rho) * game.marginal_benefit(game.baseline)
    return bool(np.all(lone <= game.private_cost))


def _as_sum_game(game):
    """With one actor every aggregator is linear: R = R0 + w'·x (w' = w^(1/ρ) for ces);
    CES with ρ = 1 is the weighted sum for any number of actors."""
    w = game.weight ** (1.0 / game.ces_rho) if (game.aggregator == "ces"
                                                 and game.n_actors == 1) else game.weight
    return game.replace(aggregator="sum", weight=w)


def _solve_single_actor(game, limit, certify):
    inner = solve_preparedness(_as_sum_game(game), limit=limit, certify=False)
    records = [_record(game, e.investment, e.kind, certify) for e in inner]
    return _finish(game, records, method=f"single-actor ({game.aggregator})", complete=True,
                   converged=inner.success, message="one actor: its stand-alone optimum")


def _solve_linear_sum(game, limit, certify):
    n = game.n_actors
    r_star, may_invest = _linear_sum_candidates(game, game.share)
    aggregate = r_star - game.baseline
    method = "aggregative-linear (Bergstrom-Blume-Varian)"
    if aggregate <= 0:
        return _finish(game, [_record(game, np.zeros(n), "unique", certify)], method=method,
                       complete=True, details={"may_invest": ()},
                       message="unique equilibrium: no actor invests")
    providers = np.flatnonzero(may_invest)
    details = {"aggregate": r_star, "may_invest": tuple(game.names[i] for i in providers)}
    records = []
    for j in providers[:limit]:
        x = np.zeros(n)
        x[j] = aggregate / game.weight[j]
        records.append(_record(game, x, "unique" if providers.size == 1 else "extreme",
                               certify))
    if providers.size == 1:
        return _finish(game, records, method=method, complete=True, details=details,
                       message="unique equilibrium")
    warnings.warn(f"{providers.size} actors tie for the highest s_i·w_i/c_i: the aggregate is "
                  "unique but who provides it is not", DegenerateGameWarning, stacklevel=3)
    message = (f"continuum: R = {r_star:.6g} is unique; any split of it among the "
               f"{providers.size} actors in details['may_invest'] is an equilibrium; "
               f"listed: the extreme allocations (one actor provides)")
    return _finish(game, records, method=method, complete=providers.size <= limit,
                   continuum=True, n_total=int(providers.size), details=details,
                   message=message)


def _solve_best_shot(game, e_hat, eff_cost, limit, certify):
    n = game.n_actors
    method = "best-shot"
    if float(e_hat.max()) <= 0:
        return _finish(game, [_record(game, np.zeros(n), "unique", certify)], method=method,
                       complete=True, message="unique equilibrium: no actor invests")
    gamma, share = game.cost_exponent, game.share
    value = share * game.benefit(game.baseline + e_hat) - eff_cost * e_hat**gamma / gamma
    # τ_i: the provision by someone else that leaves i as well off as providing alone.
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.clip(value / (share * game.scale), 0.0, 1.0)
        tau = -np.log1p(-frac) / game.efficacy - game.baseline
    order = np.argsort(-e_hat, kind="stable")
    e_sorted = e_hat[order]
    tau_prefix = np.maximum.accumulate(tau[order])
    n_above = np.searchsorted(-e_sorted, -e_sorted * (1.0 + _TIE_RTOL), side="left")
    threshold = np.where(n_above > 0, tau_prefix[np.maximum(n_above - 1, 0)], -np.inf)
    ok = (e_sorted > 0) & (e_sorted >= threshold - _TIE_RTOL * np.maximum(e_sorted, 1.0))
    providers = order[ok]
    records = []
    for j in providers[:limit]:
        x = np.zeros(n)
        x[j] = e_hat[j] / game.weight[j]
        records.append(_record(game, x, "unique" if providers.size == 1 else "provider",
                               certify))
    message = ("unique equilibrium" if providers.size == 1 else
               f"{providers.size} equilibria, each with one provider (Varian 2004)")
    return _finish(game, records, method=method, complete=providers.size <= limit,
                   n_total=int(providers.size),
                   details={"providers": tuple(game.names[i] for i in providers)},
                   message=message)


def optimum_preparedness(game) -> SocialOptimum:
    """The social planner's optimum: maximize B(R) − Σ c_i x_i^γ/γ.

    For ``sum`` and ``ces`` the planner's first-order conditions are the equilibrium conditions
    with every share set to 1 (the welfare function is concave for ρ ≤ 1); for ``weakest_link``
    all actors provide one common effective level at total effective cost Σ c_i/w_i^γ; for
    ``best_shot`` the cheapest actor provides. Ties are broken towards the lowest index.
    """
    n, gamma, agg = game.n_actors, game.cost_exponent, game.aggregator
    ones = np.ones(n)
    converged = True
    if (n == 1 and agg != "sum") or (agg == "ces" and game.ces_rho == 1.0):
        inner = optimum_preparedness(_as_sum_game(game))
        x, method, converged = inner.investment, f"planner ({agg} as a sum)", inner.success
    elif agg == "sum" and gamma == 1.0:
        ratio = game.weight / game.cost
        j = int(np.argmax(ratio))
        scale = game.scale * game.efficacy
        r_opt = max(game.baseline, (math.log(scale) + math.log(ratio[j])) / game.efficacy) \
            if scale > 0 else game.baseline
        x = np.zeros(n)
        x[j] = (r_opt - game.baseline) / game.weight[j]
        method = "planner-linear"
    elif agg in ("sum", "ces"):
        x, converged = _interior_profile(game, ones, game.cost)
        if x is None or float(game.welfare(x)) < float(game.welfare(np.zeros(n))):
            x = np.zeros(n)
        method = f"planner-aggregative-root ({agg})"
    else:
        eff_cost = game.cost / game.weight**gamma
        if agg == "weakest_link":
            total = float(eff_cost.sum())  # everyone provides the same level m
            m = float(standalone_effective(game, 1.0, total))
            x = m / game.weight
            method = "planner-weakest-link"
        else:
            j = int(np.argmin(eff_cost))
            x = np.zeros(n)
            x[j] = float(standalone_effective(game, 1.0, eff_cost[j])) / game.weight[j]
            method = "planner-best-shot"
    x = np.asarray(x, dtype=float)
    x.flags.writeable = False
    r = float(game.aggregate(x))
    message = "optimum found" if converged else "root finding did not converge"
    if not converged:
        warnings.warn(f"{method}: {message}", ConvergenceWarning, stacklevel=2)
    return SocialOptimum(investment=x, robustness=r, residual_harm=float(game.residual_harm(r)),
                         welfare=float(game.welfare(x)), method=method, success=converged,
                         status=0 if converged else 1, message=message)
