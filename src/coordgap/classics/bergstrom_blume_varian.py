"""Bergstrom, Blume & Varian (1986): private provision of a public good.

Two views of the model.

**The general economy** (:class:`PublicGoodEconomy`). n consumers with wealth w_i, lump-sum
taxes t_i and preferences u_i(x_i, G) over private consumption and the public good
G = g + Σ_i g_i (g: government provision) each choose a contribution g_i ≥ 0 taking the
others' as given. Preferences are Cobb–Douglas, CES, quasi-linear or user callables. The
equilibrium is computed in closed form for Cobb–Douglas and CES (contributors are the
consumers whose stand-alone threshold exceeds the total), by a sorted pass for quasi-linear
preferences and by a monotone root search for callables; every equilibrium carries a best-
response regret computed independently. Executable theorems:

* uniqueness of the equilibrium under normal goods (BBV 1986);
* neutrality (Warr 1983; BBV 1986): :meth:`PublicGoodEconomy.neutrality` redistributes
  income and reports G before and after and whether the contributor set is preserved;
* crowding out: :meth:`PublicGoodEconomy.crowding_out` raises government provision and
  measures the private provision displaced (one for one when financed by lump-sum taxes on
  contributors, partial when financed from outside).

**The preparedness view** (:func:`private_provision`). In the preparedness game with the
``sum`` aggregator and linear costs (γ = 1) — actor i pays c_i per unit and receives the share
s_i of the benefit B(R) = p·H·(1 − e^(−κR)) — the model is the BBV game with quasi-linear
preferences. Its Nash equilibrium is unique in the total and:

* only the actors with the highest s_i·w_i/c_i contribute (the contributors are those with the
  highest willingness to pay for the good relative to its cost);
* total provision R* = max(R0, ln(p·H·κ·max_i s_i w_i/c_i)/κ) does not depend on anything
  about the non-contributors, and any redistribution among the others leaves it unchanged;
* R* falls short of the optimum ln(p·H·κ·max_i w_i/c_i)/κ by ln(1/s)/κ for equal actors.

That view is a thin constructor over :class:`~coordgap.PreparednessGame` plus the closed form;
its equilibrium comes from ``cg.solve``.

Reference
---------
Bergstrom, T., Blume, L. and Varian, H. (1986). On the private provision of public goods.
*Journal of Public Economics* 29, 25–49. Warr, P. G. (1983). The private provision of a public
good is independent of the distribution of income. *Economics Letters* 13, 207–211. Warr, P. G.
(1982). Pareto optimal redistribution and private charity. *Journal of Public Economics* 19,
131–138.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import optimize

from ..errors import InvalidParameterError, Shown, did_you_mean
from ..games.preparedness import PreparednessGame
from ..params import Actors, param, validate
from ..results import Result

__all__ = [
    "PublicGoodEconomy",
    "PublicGoodEquilibrium",
    "NeutralityResult",
    "CrowdingOutResult",
    "private_provision",
    "provision_closed_form",
]


def private_provision(
    share,
    cost,
    *,
    prob: float = 1.0,
    harm: float = 1.0,
    efficacy: float = 1.0,
    weight=None,
    baseline: float = 0.0,
    names=None,
) -> PreparednessGame:
    """The BBV private-provision game as a linear-cost ``sum`` preparedness game.

    Parameters
    ----------
    share : float or array_like
        s_i ∈ (0, 1], benefit share of each actor; Σ s_i ≤ 1.
    cost : float or array_like
        c_i > 0, constant unit cost of provision.
    prob, harm, efficacy : float
        p, H and κ of the benefit B(R) = p·H·(1 − exp(−κR)).
    weight : float or array_like, optional
        w_i > 0, productivity of each actor's provision (default 1).
    baseline : float
        R0 ≥ 0, provision present without any contribution.
    names : sequence of str, optional
        Actor names.

    Returns
    -------
    PreparednessGame
        With ``cost_exponent=1`` and ``aggregator="sum"``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.classics.private_provision(share=[0.3, 0.2, 0.1], cost=1.0, prob=0.5,
    ...                                   harm=100.0, efficacy=0.5)
    >>> eq = cg.solve(g)
    >>> round(eq[0].robustness, 6), round(cg.classics.provision_closed_form(g), 6)
    (4.029806, 4.029806)
    """
    return PreparednessGame(
        share=share,
        cost=cost,
        weight=weight,
        prob=prob,
        harm=harm,
        efficacy=efficacy,
        cost_exponent=1.0,
        aggregator="sum",
        baseline=baseline,
        names=names,
    )


def provision_closed_form(game: PreparednessGame) -> float:
    """R* = max(R0, ln(p·H·κ·max_i s_i w_i/c_i)/κ) — total provision at the BBV equilibrium.

    Parameters
    ----------
    game : PreparednessGame
        A linear-cost ``sum`` game (as made by :func:`private_provision`).

    Returns
    -------
    float
        R*, the equilibrium robustness: only the actors with the largest s_i w_i/c_i provide.
    """
    ratio = float(np.max(game.share * game.weight / game.cost))
    scale = game.prob * game.harm * game.efficacy * ratio
    if scale <= 0:
        return game.baseline
    return max(game.baseline, float(np.log(scale)) / game.efficacy)


# -- the general private-provision economy ------------------------------------------------------

_PREFERENCES = ("cobb-douglas", "ces", "quasi-linear", "callable")
_TINY = 1e-300


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PublicGoodEquilibrium(Result):
    """The Nash equilibrium of a private-provision economy.

    Attributes
    ----------
    contributions : ndarray
        g_i ≥ 0, each consumer's contribution to the public good.
    contributors : tuple of int
        Indices of the consumers with g_i > 0, ascending.
    total : float
        G = g + Σ_i g_i, the public good supplied (government provision included).
    private : ndarray
        x_i = w_i − t_i − g_i, each consumer's private consumption.
    income : ndarray
        w_i − t_i, each consumer's income after lump-sum taxes and transfers.
    provision : float
        g, the government's provision.
    max_regret : float
        The largest gain any consumer could make by changing its own contribution, in its
        utility units, found by a bounded one-dimensional maximization of u_i(w_i − t_i − g,
        G − g_i + g) over g ∈ [0, w_i − t_i] that shares no code with the solver.
    method : str
        ``"closed-form"`` (Cobb–Douglas and CES), ``"quasi-linear"`` or ``"root"`` (callables).

    Examples
    --------
    >>> import coordgap as cg
    >>> eq = cg.classics.PublicGoodEconomy(wealth=[10.0, 10.0], share=0.5).equilibrium()
    >>> round(eq.total, 12), eq.contributors
    (6.666666666667, (0, 1))
    """

    contributions: np.ndarray
    contributors: tuple[int, ...]
    total: float
    private: np.ndarray
    income: np.ndarray
    provision: float
    max_regret: float
    method: str

    @property
    def private_provision(self) -> float:
        """Σ_i g_i, the public good provided privately.

        Examples
        --------
        >>> import coordgap as cg
        >>> eq = cg.classics.PublicGoodEconomy(wealth=[4.0], share=0.25).equilibrium()
        >>> eq.private_provision
        1.0
        """
        return float(np.sum(self.contributions))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class NeutralityResult(Result):
    """Public good before and after an income redistribution (Warr 1983; BBV 1986).

    Attributes
    ----------
    total_before, total_after : float
        G at the equilibrium of the economy before and after the transfers.
    contributors_before, contributors_after : tuple of int
        The contributor sets.
    among_contributors : bool
        Whether only contributors give or receive.
    hypothesis : bool
        Whether the theorem's hypothesis holds: transfers among contributors only, and no
        contributor loses as much as its contribution.
    preserved : bool
        Whether the contributor set is unchanged.
    neutral : bool
        Whether G is unchanged (to a relative 1e-9).

    Examples
    --------
    >>> import coordgap as cg
    >>> economy = cg.classics.PublicGoodEconomy(wealth=[10.0, 10.0], share=0.5)
    >>> economy.neutrality([1.0, -1.0]).neutral
    True
    """

    total_before: float
    total_after: float
    contributors_before: tuple[int, ...]
    contributors_after: tuple[int, ...]
    among_contributors: bool
    hypothesis: bool
    preserved: bool
    neutral: bool


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CrowdingOutResult(Result):
    """Private provision before and after an increase in government provision.

    Attributes
    ----------
    amount : float
        The increase in government provision.
    financed_by : str
        ``"contributors"``, ``"everyone"``, ``"exogenous"`` or ``"weights"``.
    private_before, private_after : float
        Σ_i g_i at the two equilibria.
    total_before, total_after : float
        G at the two equilibria.
    rate : float
        (private_before − private_after)/amount: 1 is one-for-one crowding out, 0 none.
    preserved : bool
        Whether the contributor set is unchanged.

    Examples
    --------
    >>> import coordgap as cg
    >>> economy = cg.classics.PublicGoodEconomy(wealth=[10.0, 10.0], share=0.5)
    >>> round(economy.crowding_out(1.0).rate, 12)
    1.0
    """

    amount: float
    financed_by: str
    private_before: float
    private_after: float
    total_before: float
    total_after: float
    rate: float
    preserved: bool


@dataclass(frozen=True, slots=True, eq=False)
class PublicGoodEconomy:
    """Private provision of a public good by n consumers (Bergstrom, Blume & Varian 1986).

    Consumer i has wealth w_i, pays the lump-sum tax t_i (a transfer when negative) and
    splits its income W_i = w_i − t_i between private consumption x_i and a contribution
    g_i ≥ 0 to the public good G = g + Σ_j g_j, where g is government provision (financed
    outside the economy unless the taxes pay for it). Each consumer maximizes u_i(x_i, G)
    taking the others' contributions as given; both goods cost one unit of income.

    **Equilibrium.** Write x_i(G) for the private consumption at which consumer i's marginal
    rate of substitution u_G/u_x equals 1 when the public good is G. Consumer i contributes
    g_i(G) = max(0, W_i − x_i(G)) and the equilibrium G solves G = g + Σ_i g_i(G). With both
    goods normal, x_i(G) increases in G, so the right side decreases and the solution is unique
    (BBV 1986).

    * Cobb–Douglas, u_i = x^(1−α_i)·G^(α_i): MRS = α x/((1 − α) G), so x_i(G) = k_i·G with
      k_i = (1 − α_i)/α_i.
    * CES, u_i = ((1 − α_i) x^ρ + α_i G^ρ)^(1/ρ) with ρ = (σ_i − 1)/σ_i: MRS =
      (α/(1 − α))·(x/G)^(1/σ), so x_i(G) = k_i·G with k_i = ((1 − α_i)/α_i)^(σ_i)
      (Cobb–Douglas is σ = 1).

      In both, i contributes exactly when G < τ_i = W_i/k_i, and with the contributor set C

          G = (g + Σ_{i∈C} W_i) / (1 + Σ_{i∈C} k_i),    g_i = W_i − k_i·G.

      C is found by adding consumers in decreasing order of τ_i while the next one's τ
      exceeds the G of the current set (each G is a mediant of the previous one and τ of the
      entrant, so the set found is consistent). For n identical Cobb–Douglas consumers who
      all contribute, G = nαW/(α + n(1 − α)).
    * Quasi-linear, u_i = x + a_i·ln G: MRS = a_i/G, so a consumer contributes only while
      G < a_i. The consumer with the largest a_i provides G = a_i alone when its income
      suffices; otherwise the next ones spend all their income in turn. With ties the
      total is unique but the split is not: the consumer listed first provides.
    * A user callable u(x, G) (one for all consumers or one per consumer), with its MRS
      ``mrs(x, G)`` = u_G/u_x or, by default, central numerical derivatives: x_i(G) by a
      root search, G by a bracketing root search (``scipy.optimize.brentq``). Uniqueness
      needs both goods normal; the certificate ``max_regret`` shows when that fails.

    Parameters
    ----------
    wealth : float or array_like
        w_i ≥ 0, one per consumer.
    preference : {"cobb-douglas", "ces", "quasi-linear", "callable"}
        The utility family.
    share : float or array_like
        α_i ∈ (0, 1), the weight of the public good (Cobb–Douglas and CES).
    elasticity : float or array_like
        σ_i > 0, the elasticity of substitution (CES only).
    value : float or array_like
        a_i > 0, the scale of v_i(G) = a_i·ln G (quasi-linear only).
    taxes : float or array_like
        t_i, lump-sum taxes (negative: transfers), with w_i − t_i ≥ 0.
    provision : float
        g ≥ 0, government provision of the public good.
    names : sequence of str, optional
        Consumer names.
    utility : callable or sequence of callables, optional
        u(x, G) for ``preference="callable"``.
    mrs : callable or sequence of callables, optional
        u_G/u_x as a function of (x, G), for ``preference="callable"``.

    Examples
    --------
    >>> import coordgap as cg
    >>> economy = cg.classics.PublicGoodEconomy(wealth=[10.0, 6.0, 1.0], share=0.5)
    >>> eq = economy.equilibrium()
    >>> eq.contributors, round(eq.total, 12)    # G = (10 + 6)/(1 + 2)
    ((0, 1), 5.333333333333)
    >>> eq.max_regret < 1e-9
    True
    """

    wealth: Actors = param(
        bounds=(0, math.inf), kind="actors", unit="payoff", symbol="w", doc="wealth"
    )
    preference: str = param(
        "cobb-douglas", kind="choice", choices=_PREFERENCES, doc="utility family"
    )
    share: Actors = param(
        0.5,
        kind="actors",
        bounds=(0, 1),
        closed="neither",
        symbol="α",
        doc="weight of the public good in utility",
    )
    elasticity: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        symbol="σ",
        doc="elasticity of substitution (CES)",
    )
    value: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="neither",
        unit="payoff",
        symbol="a",
        doc="scale of the public good's value a·ln G (quasi-linear)",
    )
    taxes: Actors = param(0.0, kind="actors", unit="payoff", symbol="t", doc="lump-sum tax")
    provision: float = param(
        0.0, bounds=(0, math.inf), unit="payoff", symbol="g", doc="government provision"
    )
    names: Any = param(None, kind="labels", doc="consumer names")
    utility: Any = field(default=None)
    mrs: Any = field(default=None)

    def __post_init__(self) -> None:
        validate(self)
        owner = type(self).__name__
        n = self.wealth.shape[0]
        income = self.wealth - self.taxes
        if np.any(income < 0):
            i = int(np.flatnonzero(income < 0)[0])
            raise InvalidParameterError(
                owner,
                "taxes",
                "at most the wealth of every consumer",
                Shown(f"{self.taxes[i]!r} at consumer {i} (wealth {self.wealth[i]!r})"),
            )
        for name in ("utility", "mrs"):
            given = getattr(self, name)
            if given is None:
                if name == "utility" and self.preference == "callable":
                    raise InvalidParameterError(
                        owner, "utility", 'a callable u(x, G) when preference="callable"', None
                    )
                continue
            if self.preference != "callable":
                raise InvalidParameterError(
                    owner, name, 'None unless preference="callable"', Shown("a value")
                )
            funcs = tuple(given) if not callable(given) else (given,) * n
            if len(funcs) != n or not all(callable(f) for f in funcs):
                raise InvalidParameterError(
                    owner, name, f"a callable or a sequence of {n} callables", Shown(repr(given))
                )
            object.__setattr__(self, name, funcs)

    # -- primitives ------------------------------------------------------------------------
    @property
    def n_consumers(self) -> int:
        """n, the number of consumers.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.PublicGoodEconomy(wealth=[1.0, 2.0]).n_consumers
        2
        """
        return int(self.wealth.shape[0])

    @property
    def income(self) -> np.ndarray:
        """W_i = w_i − t_i, income after lump-sum taxes and transfers.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.PublicGoodEconomy(wealth=[3.0, 2.0], taxes=[1.0, -1.0]).income
        array([2., 3.])
        """
        return self.wealth - self.taxes

    def utility_of(self, i: int, x: float, total: float) -> float:
        """u_i(x, G), consumer i's utility.

        Parameters
        ----------
        i : int
            The consumer.
        x : float
            Private consumption, ≥ 0.
        total : float
            The public good G, ≥ 0.

        Returns
        -------
        float
            The utility (−inf for the quasi-linear form at G = 0).

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.classics.PublicGoodEconomy(wealth=[1.0], share=0.5).utility_of(0, 4.0, 9.0)
        6.0
        """
        x, big = float(x), float(total)
        if self.preference == "callable":
            return float(self.utility[i](x, big))
        if self.preference == "quasi-linear":
            return x + float(self.value[i]) * math.log(big) if big > 0 else -math.inf
        alpha = float(self.share[i])
        sigma = 1.0 if self.preference == "cobb-douglas" else float(self.elasticity[i])
        if sigma == 1.0:
            return x ** (1 - alpha) * big**alpha
        rho = (sigma - 1) / sigma
        if rho < 0 and (x <= 0 or big <= 0):
            return 0.0
        return ((1 - alpha) * x**rho + alpha * big**rho) ** (1 / rho)

    def _mrs(self, i: int, x: float, big: float) -> float:
        if self.mrs is not None:
            return float(self.mrs[i](x, big))
        u = self.utility[i]
        hx, hg = 1e-6 * max(1.0, abs(x)), 1e-6 * max(1.0, abs(big))
        hx, hg = min(hx, 0.5 * x) if x > 0 else hx, min(hg, 0.5 * big) if big > 0 else hg
        ux = (u(x + hx, big) - u(x - hx, big)) / (2 * hx)
        ug = (u(x, big + hg) - u(x, big - hg)) / (2 * hg)
        return math.inf if ux <= 0 else float(ug / ux)

    def _ratios(self) -> np.ndarray:
        sigma = 1.0 if self.preference == "cobb-douglas" else self.elasticity
        with np.errstate(over="ignore"):  # an infinite ratio: a consumer who never contributes
            return ((1 - self.share) / self.share) ** sigma

    # -- equilibrium -----------------------------------------------------------------------
    def equilibrium(self) -> PublicGoodEquilibrium:
        """The Nash equilibrium (unique in G, and in the contributions except for
        quasi-linear ties).

        Returns
        -------
        PublicGoodEquilibrium
            Contributions, contributors, G, private consumption and the certificate.

        Examples
        --------
        >>> import coordgap as cg
        >>> eq = cg.classics.PublicGoodEconomy(wealth=[1.0, 5.0], preference="quasi-linear",
        ...                                    value=[2.0, 3.0]).equilibrium()
        >>> eq.contributions.tolist(), eq.total    # only the highest a contributes: G = 3
        ([0.0, 3.0], 3.0)
        """
        income = self.income
        g0 = self.provision
        if self.preference in ("cobb-douglas", "ces"):
            contributions, method = self._homothetic(income, g0), "closed-form"
        elif self.preference == "quasi-linear":
            contributions, method = self._quasi_linear(income, g0), "quasi-linear"
        else:
            contributions, method = self._root(income, g0), "root"
        contributions.flags.writeable = False
        total = g0 + float(np.sum(contributions))
        private = income - contributions
        private.flags.writeable = False
        return PublicGoodEquilibrium(
            contributions=contributions,
            contributors=tuple(int(i) for i in np.flatnonzero(contributions > 0)),
            total=total,
            private=private,
            income=income,
            provision=g0,
            max_regret=self.regret(contributions),
            method=method,
        )

    def _homothetic(self, income: np.ndarray, g0: float) -> np.ndarray:
        k = self._ratios()
        tau = income / k
        order = np.argsort(-tau, kind="stable")
        num, den, big, m = g0, 1.0, g0, 0
        while m < len(order) and tau[order[m]] > big:
            num += income[order[m]]
            den += k[order[m]]
            big = num / den
            m += 1
        out = np.zeros_like(income)
        members = order[:m]
        out[members] = np.maximum(0.0, income[members] - k[members] * big)
        return out

    def _quasi_linear(self, income: np.ndarray, g0: float) -> np.ndarray:
        order = np.argsort(-self.value, kind="stable")
        out = np.zeros_like(income)
        have = g0
        for i in order:
            target = float(self.value[i])
            if have >= target:
                break
            out[i] = min(float(income[i]), target - have)
            have += out[i]
        return out

    def _response(self, i: int, income: float, big: float) -> float:
        """g_i(G) = max(0, W_i − x_i(G)) for a callable utility."""
        if income <= 0 or self._mrs(i, income, big) <= 1.0:
            return 0.0
        lo = income * 1e-12
        if self._mrs(i, lo, big) >= 1.0:
            return income - lo
        x = optimize.brentq(lambda v: self._mrs(i, v, big) - 1.0, lo, income, xtol=1e-15)
        return max(0.0, income - x)

    def _root(self, income: np.ndarray, g0: float) -> np.ndarray:
        n = self.n_consumers

        def excess(big: float) -> float:
            return g0 + sum(self._response(i, float(income[i]), big) for i in range(n)) - big

        lo = max(g0, 1e-12 * max(1.0, float(np.sum(income))))
        hi = g0 + float(np.sum(income)) + lo
        big = lo if excess(lo) <= 0 else optimize.brentq(excess, lo, hi, xtol=1e-15)
        return np.array([self._response(i, float(income[i]), big) for i in range(n)])

    def regret(self, contributions) -> float:
        """The largest gain from a unilateral change of contribution.

        For each consumer, u_i(W_i − g, G_{−i} + g) is maximized over g ∈ [0, W_i] by a
        bounded scalar search (``scipy.optimize.minimize_scalar``) with both ends also tried.

        Parameters
        ----------
        contributions : array_like
            g_i, one per consumer, 0 ≤ g_i ≤ W_i.

        Returns
        -------
        float
            max_i (best utility − current utility), ≥ 0.

        Examples
        --------
        >>> import coordgap as cg
        >>> economy = cg.classics.PublicGoodEconomy(wealth=[4.0], share=0.5)
        >>> round(economy.regret([2.0]), 12), economy.regret([0.0]) > 1
        (0.0, True)
        """
        g = np.asarray(contributions, dtype=float)
        income = self.income
        total = self.provision + float(np.sum(g))
        worst = 0.0
        for i in range(self.n_consumers):
            w, others = float(income[i]), total - float(g[i])

            def u(c: float, i: int = i, w: float = w, others: float = others) -> float:
                return self.utility_of(i, max(0.0, w - c), others + c)

            now = u(float(g[i]))
            best = max(u(0.0), u(w))
            if w > 0:
                res = optimize.minimize_scalar(
                    lambda c, u=u: -u(c),
                    bounds=(0.0, w),
                    method="bounded",
                    options={"xatol": 1e-13 * max(1.0, w)},
                )
                best = max(best, -float(res.fun))
            if now == -math.inf:
                gain = math.inf if best > now else 0.0
            else:
                gain = best - now
            worst = max(worst, gain)
        return worst

    # -- comparative statics ---------------------------------------------------------------
    def redistribute(self, transfers) -> PublicGoodEconomy:
        """The economy after lump-sum transfers that sum to zero.

        Parameters
        ----------
        transfers : array_like
            τ_i, income given to consumer i (taken when negative); Σ τ_i = 0.

        Returns
        -------
        PublicGoodEconomy
            The same economy with taxes t_i − τ_i.

        Raises
        ------
        InvalidParameterError
            If the transfers do not sum to zero, have the wrong length, or take more than a
            consumer's income.

        Examples
        --------
        >>> import coordgap as cg
        >>> economy = cg.classics.PublicGoodEconomy(wealth=[3.0, 3.0])
        >>> economy.redistribute([1.0, -1.0]).income
        array([4., 2.])
        """
        tau = self._transfers(transfers, "transfers")
        scale = float(np.sum(np.abs(tau))) + float(np.sum(self.wealth))
        if abs(float(np.sum(tau))) > 1e-12 * max(1.0, scale):
            raise InvalidParameterError(
                type(self).__name__, "transfers", "transfers that sum to zero", float(np.sum(tau))
            )
        return replace(self, taxes=self.taxes - tau)

    def _transfers(self, values, name: str) -> np.ndarray:
        tau = np.asarray(values, dtype=float)
        n = self.n_consumers
        if tau.shape != (n,) or not np.all(np.isfinite(tau)):
            raise InvalidParameterError(
                type(self).__name__, name, f"{n} finite numbers, one per consumer", values
            )
        return tau

    def neutrality(self, transfers) -> NeutralityResult:
        """Check the neutrality theorem (Warr 1983; BBV 1986) for one redistribution.

        Redistributing income among contributors, with no contributor losing as much as its
        contribution, leaves the contributor set and the public good G unchanged: each
        contributor changes its contribution by exactly the income it gained.

        Parameters
        ----------
        transfers : array_like
            τ_i summing to zero (see :meth:`redistribute`).

        Returns
        -------
        NeutralityResult
            G and the contributor sets before and after, and whether the hypothesis holds.

        Examples
        --------
        >>> import coordgap as cg
        >>> economy = cg.classics.PublicGoodEconomy(wealth=[10.0, 6.0, 1.0], share=0.5)
        >>> r = economy.neutrality([-2.0, 2.0, 0.0])
        >>> r.hypothesis, r.preserved, round(r.total_after, 12)
        (True, True, 5.333333333333)
        """
        before = self.equilibrium()
        after = self.redistribute(transfers).equilibrium()
        tau = self._transfers(transfers, "transfers")
        inside = np.zeros(self.n_consumers, dtype=bool)
        inside[list(before.contributors)] = True
        among = bool(np.all(tau[~inside] == 0))
        hypothesis = among and bool(np.all(-tau[inside] < before.contributions[inside]))
        scale = max(1.0, abs(before.total))
        return NeutralityResult(
            total_before=before.total,
            total_after=after.total,
            contributors_before=before.contributors,
            contributors_after=after.contributors,
            among_contributors=among,
            hypothesis=hypothesis,
            preserved=before.contributors == after.contributors,
            neutral=abs(after.total - before.total) <= 1e-9 * scale,
        )

    def crowding_out(self, amount: float, financed_by="contributors") -> CrowdingOutResult:
        """Raise government provision by ``amount`` and measure the private provision it
        displaces.

        Financed by lump-sum taxes on contributors (each taxed less than its contribution)
        it crowds out private provision one for one (BBV; Warr 1982); financed from outside
        the economy it crowds out only part: with Cobb–Douglas or CES preferences and the
        contributor set unchanged, the rate is S/(1 + S) with S = Σ_{i∈C} k_i.

        Parameters
        ----------
        amount : float
            The increase in g, > 0.
        financed_by : {"contributors", "everyone", "exogenous"} or array_like
            Equal lump-sum taxes on the current contributors, equal taxes on everyone, no
            taxes, or tax shares (one per consumer, summing to 1).

        Returns
        -------
        CrowdingOutResult
            Private provision and G before and after, and the crowding-out rate.

        Examples
        --------
        >>> import coordgap as cg
        >>> economy = cg.classics.PublicGoodEconomy(wealth=[10.0, 10.0], share=0.5)
        >>> round(economy.crowding_out(1.0, "exogenous").rate, 12)   # S = 2: 2/3
        0.666666666667
        """
        owner = type(self).__name__
        if isinstance(amount, bool) or not isinstance(amount, (int, float, np.floating)):
            raise InvalidParameterError(owner, "amount", "a finite float > 0", amount)
        if not (math.isfinite(amount) and amount > 0):
            raise InvalidParameterError(owner, "amount", "a finite float > 0", amount)
        before = self.equilibrium()
        n = self.n_consumers
        if isinstance(financed_by, str):
            if financed_by == "contributors":
                weights = np.zeros(n)
                if before.contributors:
                    weights[list(before.contributors)] = 1.0 / len(before.contributors)
                else:
                    raise InvalidParameterError(
                        owner,
                        "financed_by",
                        "a rule that names someone to tax",
                        financed_by,
                        "Nobody contributes.",
                    )
            elif financed_by == "everyone":
                weights = np.full(n, 1.0 / n)
            elif financed_by == "exogenous":
                weights = np.zeros(n)
            else:
                choices = ("contributors", "everyone", "exogenous")
                raise InvalidParameterError(
                    owner,
                    "financed_by",
                    "one of " + ", ".join(repr(c) for c in choices) + " or tax shares",
                    financed_by,
                    did_you_mean(financed_by, choices),
                )
            label = financed_by
        else:
            weights = self._transfers(financed_by, "financed_by")
            if np.any(weights < 0) or abs(float(np.sum(weights)) - 1.0) > 1e-12:
                raise InvalidParameterError(
                    owner, "financed_by", "tax shares ≥ 0 summing to 1", financed_by
                )
            label = "weights"
        after_economy = replace(
            self, taxes=self.taxes + amount * weights, provision=self.provision + amount
        )
        after = after_economy.equilibrium()
        return CrowdingOutResult(
            amount=float(amount),
            financed_by=label,
            private_before=before.private_provision,
            private_after=after.private_provision,
            total_before=before.total,
            total_after=after.total,
            rate=(before.private_provision - after.private_provision) / amount,
            preserved=before.contributors == after.contributors,
        )
