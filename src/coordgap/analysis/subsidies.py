"""Optimal matching subsidies for voluntary preparedness (M1): first best, second best under a
budget, and the Lindahl benchmark.

In M1 actor i weighs s_i·B(R) against its share φ_i of the cost c_i·x_i^γ/γ; the planner
weighs B(R) against the whole cost. A matching subsidy at rate r_i pays r_i for every unit the
actor spends, so φ_i = 1/(1 + r_i).

First best
    φ_i = s_i (r_i = 1/s_i − 1) makes each actor's objective s_i times the planner's, as a
    function of its own investment. The planner's optimum then satisfies every actor's
    first-order condition, and with a concave aggregator (``sum``, ``ces``) it is an
    equilibrium. The fiscal cost is Σ (1 − s_i)·c_i·x_i*^γ/γ, and with a cost of public funds λ
    each unit costs 1 + λ: welfare is W(x*) − λ·fiscal.

Second best under a budget
    The rates, one per group of actors (by role by default), that maximize
    W(x(r)) − λ·fiscal(r) at the worst equilibrium x(r), with fiscal(r) ≤ budget. The search
    is local (SLSQP) from several starts: no subsidy, the first best scaled to the budget, and
    a uniform rate that spends it. The result reports feasibility at the optimum and that
    the search is multistart-local, not global.

Lindahl benchmark
    Personalized prices per unit of robustness at the optimum R*: actor i pays
    τ_i = s_i·B'(R*), the public (the benefit no actor internalizes) (1 − Σ s_i)·B'(R*). They
    sum to B'(R*), the marginal cost of robustness at the optimum, and each actor demands R*
    at its price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..api import optimum, solve
from ..errors import InvalidParameterError
from ..games.preparedness import PreparednessGame
from ..instruments.base import PolicyModel
from ..results import Result

__all__ = [
    "first_best_subsidy",
    "second_best_subsidy",
    "lindahl_prices",
    "SubsidyScheme",
    "LindahlPrices",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SubsidyScheme(Result):
    """Matching rates for M1, the equilibrium they induce, and what they cost.

    Attributes
    ----------
    kind : str
        ``"first best"`` or ``"second best"``.
    rates : ndarray
        Matching rate r_i of every actor (φ_i = 1/(1 + r_i)).
    investment : ndarray
        The worst equilibrium's investments under the scheme.
    robustness : float
        R at that equilibrium.
    optimum_robustness : float
        The planner's R*.
    fiscal_cost : float
        Σ_i (1 − φ_i)·c_i·x_i^γ/γ (USD m per period).
    welfare : float
        W(x) − λ·fiscal: welfare net of the cost of public funds.
    welfare_no_subsidy : float
        The same without any subsidy (worst voluntary equilibrium).
    welfare_first_best : float
        W(x*) − λ·fiscal(first best).
    public_funds_cost : float
        λ.
    budget : float
        The budget (inf for the first best).
    feasible : bool
        Whether the fiscal cost is within the budget.
    max_regret : float
        The equilibrium's certified max regret.
    message : str
        What was found and how global the search is.
    """

    kind: str
    rates: np.ndarray
    investment: np.ndarray
    robustness: float
    optimum_robustness: float
    fiscal_cost: float
    welfare: float
    welfare_no_subsidy: float
    welfare_first_best: float
    public_funds_cost: float
    budget: float
    feasible: bool
    max_regret: float
    message: str = ""


def _prepared(target, owner: str) -> tuple[PreparednessGame, float]:
    if isinstance(target, PolicyModel):
        game = target.preparedness
        if game is None:
            raise InvalidParameterError(
                owner, "target", "a policy model with preparedness costs (M1)", "none"
            )
        return game, float(target.public_funds_cost)
    if isinstance(target, PreparednessGame):
        return target, 0.0
    raise InvalidParameterError(
        owner, "target", "a PolicyModel or a PreparednessGame", type(target).__name__
    )


def _worst(game: PreparednessGame, rates: np.ndarray):
    """The worst (least robust) equilibrium with cost shares 1/(1 + r_i), and its fiscal cost."""
    subsidized = game.replace(cost_share=1.0 / (1.0 + rates))
    eqs = solve(subsidized)
    worst = min(eqs, key=lambda e: e.robustness)
    x = np.asarray(worst.investment, dtype=float)
    fiscal = float(np.sum(subsidized.transfers(x)))
    return worst, x, fiscal


def _net_welfare(game, x, fiscal, lam) -> float:
    return float(game.welfare(x)) - lam * fiscal


def first_best_subsidy(target) -> SubsidyScheme:
    """The matching rates that align each actor's marginal benefit with the social one.

    Parameters
    ----------
    target : PolicyModel or PreparednessGame
        A policy model (its M1 game and its λ) or a preparedness game (λ = 0).

    Returns
    -------
    SubsidyScheme
        Rates r_i = 1/s_i − 1, the equilibrium they induce, and its fiscal cost.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.3], cost=[1.0, 2.0], prob=0.5, harm=100.0,
    ...                         cost_exponent=2.0)
    >>> fb = first_best_subsidy(g)
    >>> fb.rates.round(3).tolist(), round(fb.robustness - fb.optimum_robustness, 9)
    ([4.0, 2.333], 0.0)
    """
    game, lam = _prepared(target, "first_best_subsidy")
    rates = 1.0 / game.share - 1.0
    worst, x, fiscal = _worst(game, rates)
    best = optimum(game)
    _, x0, f0 = _worst(game, np.zeros_like(rates))
    welfare = _net_welfare(game, x, fiscal, lam)
    return SubsidyScheme(
        kind="first best",
        rates=rates,
        investment=x,
        robustness=float(worst.robustness),
        optimum_robustness=float(best.robustness),
        fiscal_cost=fiscal,
        welfare=welfare,
        welfare_no_subsidy=_net_welfare(game, x0, f0, lam),
        welfare_first_best=welfare,
        public_funds_cost=lam,
        budget=math.inf,
        feasible=True,
        max_regret=float(worst.max_regret),
        message=(
            f"cost shares equal to benefit shares: R = {float(worst.robustness):.6g} against "
            f"the optimum {float(best.robustness):.6g}; fiscal cost {fiscal:.6g}, "
            f"(1 + λ)·fiscal = {(1 + lam) * fiscal:.6g}"
        ),
    )


def _groups(game: PreparednessGame, groups) -> tuple[np.ndarray, list]:
    n = game.share.size
    if groups is None or groups == "actor":
        return np.arange(n), [str(i) for i in range(n)]
    if groups == "all":
        return np.zeros(n, dtype=np.intp), ["all"]
    if groups == "role":
        roles = list(game.roles) if game.roles is not None else ["all"] * n
        labels = sorted(set(roles))
        return np.array([labels.index(r) for r in roles]), labels
    raise InvalidParameterError(
        "second_best_subsidy", "groups", "one of 'role', 'all', 'actor'", groups
    )


def second_best_subsidy(
    target, budget: float, *, groups: str = "role", starts: int = 4
) -> SubsidyScheme:
    """The matching rates, one per group, that maximize welfare net of λ·fiscal cost within a
    budget.

    Parameters
    ----------
    target : PolicyModel or PreparednessGame
        A policy model (its M1 game and its λ) or a preparedness game (λ = 0).
    budget : float
        Most fiscal cost per period (USD m), ≥ 0.
    groups : {"role", "all", "actor"}
        One rate per role (default), one for everyone, or one per actor.
    starts : int
        Starting points of the local search (≥ 1).

    Returns
    -------
    SubsidyScheme
        The best rates found, the equilibrium they induce and its certificate.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.3], cost=[1.0, 2.0], prob=0.5, harm=100.0,
    ...                         cost_exponent=2.0)
    >>> sb = second_best_subsidy(g, budget=1e9, groups="actor")
    >>> round(sb.welfare, 4) == round(sb.welfare_first_best, 4)
    True
    """
    from scipy.optimize import minimize

    game, lam = _prepared(target, "second_best_subsidy")
    if not (isinstance(budget, (int, float)) and budget >= 0 and not math.isnan(budget)):
        raise InvalidParameterError("second_best_subsidy", "budget", "a number >= 0", budget)
    if not (isinstance(starts, int) and starts >= 1):
        raise InvalidParameterError("second_best_subsidy", "starts", "an integer >= 1", starts)
    member, labels = _groups(game, groups)
    first = first_best_subsidy(game)
    cap = float(np.max(first.rates)) * 4.0 + 1.0  # no group needs more than the first best

    def evaluate(z):
        rates = np.clip(np.asarray(z, dtype=float), 0.0, None)[member]
        _, x, fiscal = _worst(game, rates)
        return _net_welfare(game, x, fiscal, lam), fiscal

    memo: dict[bytes, tuple[float, float]] = {}

    def cached(z):
        key = np.round(np.asarray(z, dtype=float), 12).tobytes()
        if key not in memo:
            memo[key] = evaluate(z)
        return memo[key]

    if budget == 0:  # nothing to spend: no subsidy
        starts = 1
    fb_group = np.array([first.rates[member == g].mean() for g in range(len(labels))])
    candidates = [np.zeros(len(labels)), fb_group]
    if first.fiscal_cost > budget and first.fiscal_cost > 0:
        candidates.append(fb_group * budget / first.fiscal_cost)
    if budget > 0:
        uniform = _spend_uniform(lambda r: cached(np.full(len(labels), r))[1], budget, cap)
        candidates.append(np.full(len(labels), uniform))
    best_z, best_w = None, -math.inf
    for z0 in candidates[: max(starts, 2) if budget > 0 else 1]:
        found = minimize(
            lambda z: -cached(z)[0],
            z0,
            method="SLSQP",
            bounds=[(0.0, cap)] * len(labels),
            constraints=[{"type": "ineq", "fun": lambda z: budget - cached(z)[1]}],
            options={"maxiter": 200, "ftol": 1e-10},
        )
        for z in (found.x, z0):
            w, fiscal = cached(z)
            if fiscal <= budget * (1 + 1e-9) + 1e-12 and w > best_w:
                best_z, best_w = np.clip(z, 0.0, None), w
    assert best_z is not None  # no subsidy is always within the budget
    rates = best_z[member]
    worst, x, fiscal = _worst(game, rates)
    none = evaluate(np.zeros(len(labels)))[0]
    return SubsidyScheme(
        kind="second best",
        rates=rates,
        investment=x,
        robustness=float(worst.robustness),
        optimum_robustness=first.optimum_robustness,
        fiscal_cost=fiscal,
        welfare=_net_welfare(game, x, fiscal, lam),
        welfare_no_subsidy=none,
        welfare_first_best=_net_welfare(game, first.investment, first.fiscal_cost, lam),
        public_funds_cost=lam,
        budget=float(budget),
        feasible=fiscal <= budget * (1 + 1e-9) + 1e-12,
        max_regret=float(worst.max_regret),
        message=(
            f"{len(labels)} rate(s) ({groups}); local search (SLSQP) from "
            f"{min(len(candidates), max(starts, 2) if budget > 0 else 1)} starts, not proven "
            f"global; fiscal cost "
            f"{fiscal:.6g} of a budget {budget:.6g}"
        ),
    )


def _spend_uniform(fiscal_at, budget: float, cap: float) -> float:
    """The uniform rate whose fiscal cost is the budget (the cap when it never gets there)."""
    if fiscal_at(cap) <= budget:
        return cap
    lo, hi = 0.0, cap
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if fiscal_at(mid) <= budget else (lo, mid)
    return lo


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LindahlPrices(Result):
    """Lindahl prices at the optimum.

    Attributes
    ----------
    robustness : float
        The optimal R*.
    marginal_benefit : float
        B'(R*), the marginal social benefit (= marginal cost) of robustness there.
    prices : ndarray
        τ_i = s_i·B'(R*) per unit of robustness, one per actor.
    public_price : float
        (1 − Σ s_i)·B'(R*): the price of the benefit no actor internalizes.
    payments : ndarray
        τ_i·(R* − R0): what each actor pays for the robustness added.
    benefits : ndarray
        s_i·(B(R*) − B(R0)): what it gains.
    """

    robustness: float
    marginal_benefit: float
    prices: np.ndarray
    public_price: float
    payments: np.ndarray
    benefits: np.ndarray


def lindahl_prices(target) -> LindahlPrices:
    """Lindahl prices per unit of robustness at the planner's optimum.

    Parameters
    ----------
    target : PolicyModel or PreparednessGame
        A policy model (its M1 game) or a preparedness game.

    Returns
    -------
    LindahlPrices
        The prices, which sum (with the public's) to B'(R*).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.2, 0.3], cost=[1.0, 2.0], prob=0.5, harm=100.0,
    ...                         cost_exponent=2.0)
    >>> lp = lindahl_prices(g)
    >>> bool(abs(lp.prices.sum() + lp.public_price - lp.marginal_benefit) < 1e-12)
    True
    """
    game, _ = _prepared(target, "lindahl_prices")
    best = optimum(game)
    r = float(best.robustness)
    mb = float(game.marginal_benefit(r))
    prices = game.share * mb
    added = r - float(game.baseline)
    return LindahlPrices(
        robustness=r,
        marginal_benefit=mb,
        prices=prices,
        public_price=(1.0 - float(np.sum(game.share))) * mb,
        payments=prices * added,
        benefits=game.share * (float(game.benefit(r)) - float(game.benefit(game.baseline))),
    )
