"""Closed forms of the preparedness, participation and commitment models, in sympy.

Every form here is derived from a model's first-order or equilibrium condition and is tested
against coordgap's numeric solvers (``tests/test_symbolic.py``). The numpy versions come from
:func:`sympy.lambdify`.

M1, the preparedness game, with n actors, share s, unit cost c (the cost of x is c·x^γ/γ),
weight 1, no baseline, B(R) = p·H·(1 − exp(−κR)) and the ``sum`` aggregator:

γ = 1 (linear cost; Bergstrom–Blume–Varian)
    R_nash = ln(p·H·κ·s/c)/κ,  R_opt = ln(p·H·κ/c)/κ,  gap = R_opt − R_nash = ln(1/s)/κ,
    valid when p·H·κ·s/c ≥ 1 (otherwise nobody invests in equilibrium).
γ > 1 (convex cost), m = γ − 1
    The first-order condition c·x^m = s·B'(R) with R = n·x gives
    (κR/m)·exp(κR/m) = (κn/m)·(s·p·H·κ/c)^{1/m}, so
    R_nash = (m/κ)·W((κn/m)·(s·p·H·κ/c)^{1/m}) and R_opt is the same with s = 1
    (W: Lambert W, principal branch). γ = 2 gives R_nash = W(n·s·p·H·κ²/c)/κ.

Two actor types (n_j actors of share s_j and cost c_j, j = 1, 2), γ > 1
    x_j = (s_j·B'(R)/c_j)^{1/m}, so R = A·B'(R)^{1/m} with A = Σ_j n_j·(s_j/c_j)^{1/m} and
    R_nash = (m/κ)·W((κ/m)·A·(p·H·κ)^{1/m}); the planner uses A with s_j = 1. With γ = 1
    only the type with the highest s_j/c_j invests: R_nash = ln(p·H·κ·max_j s_j/c_j)/κ.

M2, the anonymous participation game with a step critical-mass curve (m* filers), each filer adding capacity a = w·q to the baseline R0, share s, joining cost k and incentive I
    With m ≥ m* filers the m-th filer's gain from staying is
    s·p·H·e^{−κR0}·e^{−κ(m−1)a}·(1 − e^{−κa}) when m > m*, and its pivotal gain
    s·p·H·e^{−κR0}·(1 − e^{−κm*a}) when m = m*. The registry exists (m* filers form an
    equilibrium) iff I ≥ k − pivotal gain; every one of N actors files iff
    I ≥ k − s·p·H·e^{−κR0}·e^{−κ(N−1)a}·(1 − e^{−κa}) (for N > m*).

M3, credibility of a filed commitment with a lognormal response cost (median A, dispersion σ)
    credibility = Φ(ln(S/A)/σ) with stake S = b + L + s·ΔB + δ·W; the bond that makes a
    commitment credible with probability θ is b*(θ) = A·exp(σ·Φ⁻¹(θ)) − L − s·ΔB − δ·W
    (the rent W is taken as given; :class:`~coordgap.CommitmentModel` solves for it).

Examples
--------
>>> import math
>>> from coordgap.symbolic import closed_forms, lambdify_closed_forms
>>> forms = closed_forms(1)
>>> forms["gap"]
log(1/s)/kappa
>>> f = lambdify_closed_forms(2)
>>> round(float(f["robustness_nash"](4, 0.1, 1.0, 0.5, 100.0, 0.2)), 10)
2.450339294
>>> round(float(lambdify_closed_forms(1.5)["robustness_nash"](4, 0.1, 1.0, 0.5, 100.0, 0.2)), 6)
1.883245
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import sympy as sp
from scipy import special

from .errors import InvalidParameterError

__all__ = [
    "SYMBOLS",
    "TWO_TYPE_SYMBOLS",
    "PARTICIPATION_SYMBOLS",
    "CREDIBILITY_SYMBOLS",
    "closed_forms",
    "comparative_statics",
    "lambdify_closed_forms",
    "two_type_forms",
    "participation_forms",
    "credibility_forms",
    "lambdify_forms",
]

n, s, c, p, H, kappa = sp.symbols("n s c p H kappa", positive=True)
SYMBOLS = (n, s, c, p, H, kappa)

n1, n2, s1, s2, c1, c2 = sp.symbols("n1 n2 s1 s2 c1 c2", positive=True)
#: Symbols of :func:`two_type_forms`: (n1, n2, s1, s2, c1, c2, p, H, kappa).
TWO_TYPE_SYMBOLS = (n1, n2, s1, s2, c1, c2, p, H, kappa)

N_actors, m_star, a, R0, k, incentive = sp.symbols("N m_star a R0 k I", positive=True)
#: Symbols of :func:`participation_forms`: (N, m_star, a, R0, s, k, I, p, H, kappa).
PARTICIPATION_SYMBOLS = (N_actors, m_star, a, R0, s, k, incentive, p, H, kappa)

b, L, dB, delta, W, A_med, sigma, theta = sp.symbols(
    "b L DeltaB delta W A_med sigma theta", positive=True
)
#: Symbols of :func:`credibility_forms`: (b, L, s, DeltaB, delta, W, A_med, sigma, theta).
CREDIBILITY_SYMBOLS = (b, L, s, dB, delta, W, A_med, sigma, theta)


def _check_gamma(gamma) -> sp.Rational:
    """γ as an exact sympy number; γ ≥ 1 (γ = 1 linear, γ > 1 convex cost)."""
    try:
        value = float(gamma)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(gamma, bool) or not math.isfinite(value) or value < 1:
        raise InvalidParameterError("closed_forms", "gamma", "a finite number ≥ 1", gamma)
    return sp.nsimplify(gamma, rational=True)


def _convex_robustness(scale: sp.Expr, m: sp.Expr) -> sp.Expr:
    """R solving R = scale·exp(−κR/m): (m/κ)·W((κ/m)·scale)."""
    return (m / kappa) * sp.LambertW((kappa / m) * scale)


@cache
def closed_forms(gamma=1) -> dict[str, sp.Expr]:
    """Equilibrium and optimal robustness and their gap for the symmetric game.

    Parameters
    ----------
    gamma : float
        Cost exponent γ ≥ 1 (exact: a float is read as the rational it prints as).

    Returns
    -------
    dict
        ``robustness_nash``, ``robustness_opt``, ``gap`` (R_opt − R_nash) and
        ``investment_nash`` (each actor's investment) as sympy expressions in
        :data:`SYMBOLS`. For γ = 1 the investment is the symmetric split R_nash/n.

    Raises
    ------
    InvalidParameterError
        If γ is not a finite number ≥ 1.

    Examples
    --------
    >>> from coordgap.symbolic import closed_forms
    >>> closed_forms(2)["robustness_nash"]
    LambertW(H*kappa**2*n*p*s/c)/kappa
    """
    g = _check_gamma(gamma)
    if g == 1:
        r_nash = sp.log(p * H * kappa * s / c) / kappa
        r_opt = sp.log(p * H * kappa / c) / kappa
        # The difference of logs simplifies to ln(1/s)/κ (all symbols are positive).
        gap = sp.log(1 / s) / kappa
    else:
        m = g - 1
        r_nash = _convex_robustness(n * (s * p * H * kappa / c) ** (1 / m), m)
        r_opt = _convex_robustness(n * (p * H * kappa / c) ** (1 / m), m)
        gap = r_opt - r_nash
    return {
        "robustness_nash": r_nash,
        "robustness_opt": r_opt,
        "gap": gap,
        "investment_nash": r_nash / n,
    }


@cache
def comparative_statics(gamma=1) -> dict[str, sp.Expr]:
    """Derivatives of the equilibrium robustness and of the gap in s, c and κ.

    Keys are ``"d robustness_nash / d s"`` and so on.

    Parameters
    ----------
    gamma : float
        Cost exponent γ ≥ 1.

    Returns
    -------
    dict
        sympy expressions in :data:`SYMBOLS`.

    Examples
    --------
    >>> from coordgap.symbolic import comparative_statics
    >>> comparative_statics(1)["d gap / d s"]
    -1/(kappa*s)
    """
    forms = closed_forms(gamma)
    out = {}
    for name in ("robustness_nash", "gap"):
        for sym in (s, c, kappa):
            out[f"d {name} / d {sym}"] = sp.simplify(sp.diff(forms[name], sym))
    return out


def _real_lambertw(z):
    return np.real(special.lambertw(z))


_MODULES = [{"LambertW": _real_lambertw, "erfinv": special.erfinv, "erf": special.erf}, "numpy"]


def lambdify_forms(forms: dict[str, sp.Expr], symbols) -> dict:
    """numpy functions of ``symbols`` for each expression of ``forms``.

    Parameters
    ----------
    forms : dict of str to sympy expression
        Expressions, e.g. from :func:`two_type_forms`.
    symbols : sequence of sympy symbols
        The argument order of the functions.

    Returns
    -------
    dict
        The same keys, numpy-vectorized functions as values.

    Examples
    --------
    >>> from coordgap.symbolic import CREDIBILITY_SYMBOLS, credibility_forms, lambdify_forms
    >>> f = lambdify_forms(credibility_forms(), CREDIBILITY_SYMBOLS)
    >>> round(float(f["credibility"](1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.9)), 6)
    0.5
    """
    return {name: sp.lambdify(symbols, expr, modules=_MODULES) for name, expr in forms.items()}


@cache
def lambdify_closed_forms(gamma=1) -> dict:
    """numpy functions f(n, s, c, p, H, kappa) of every closed form and derivative.

    Parameters
    ----------
    gamma : float
        Cost exponent γ ≥ 1.

    Returns
    -------
    dict
        The keys of :func:`closed_forms` and :func:`comparative_statics`.

    Examples
    --------
    >>> from coordgap.symbolic import lambdify_closed_forms
    >>> round(float(lambdify_closed_forms(1)["gap"](3, 0.25, 1.0, 1.0, 100.0, 0.5)), 6)
    2.772589
    """
    exprs = dict(closed_forms(gamma))
    exprs.update(comparative_statics(gamma))
    return lambdify_forms(exprs, SYMBOLS)


@cache
def two_type_forms(gamma=2) -> dict[str, sp.Expr]:
    """Closed forms of the preparedness game with two actor types.

    Type j has n_j actors, share s_j and unit cost c_j (weight 1, no baseline, ``sum``
    aggregator, B(R) = p·H·(1 − e^{−κR})).

    Parameters
    ----------
    gamma : float
        Cost exponent γ ≥ 1.

    Returns
    -------
    dict
        ``robustness_nash``, ``robustness_opt``, ``gap``, and for γ > 1 the investments
        ``investment_1`` and ``investment_2`` of one actor of each type, and the derivatives
        ``d robustness_nash / d s1`` and ``d robustness_nash / d c1``; sympy expressions in
        :data:`TWO_TYPE_SYMBOLS`. With γ = 1 the equilibrium split within the investing type
        is not determined, so no per-type investment is returned.

    Examples
    --------
    >>> from coordgap.symbolic import TWO_TYPE_SYMBOLS, lambdify_forms, two_type_forms
    >>> f = lambdify_forms(two_type_forms(2), TWO_TYPE_SYMBOLS)
    >>> round(float(f["robustness_nash"](2, 3, 0.2, 0.1, 1.0, 2.0, 0.5, 100.0, 0.2)), 6)
    3.011518
    """
    g = _check_gamma(gamma)
    b_prime = p * H * kappa
    if g == 1:
        r_nash = sp.log(b_prime * sp.Max(s1 / c1, s2 / c2)) / kappa
        r_opt = sp.log(b_prime / sp.Min(c1, c2)) / kappa
        forms = {"robustness_nash": r_nash, "robustness_opt": r_opt, "gap": r_opt - r_nash}
    else:
        m = g - 1
        a_nash = n1 * (s1 / c1) ** (1 / m) + n2 * (s2 / c2) ** (1 / m)
        a_opt = n1 * (1 / c1) ** (1 / m) + n2 * (1 / c2) ** (1 / m)
        r_nash = _convex_robustness(a_nash * b_prime ** (1 / m), m)
        r_opt = _convex_robustness(a_opt * b_prime ** (1 / m), m)
        marginal = (b_prime * sp.exp(-kappa * r_nash)) ** (1 / m)
        forms = {
            "robustness_nash": r_nash,
            "robustness_opt": r_opt,
            "gap": r_opt - r_nash,
            "investment_1": (s1 / c1) ** (1 / m) * marginal,
            "investment_2": (s2 / c2) ** (1 / m) * marginal,
        }
        for sym in (s1, c1):
            forms[f"d robustness_nash / d {sym}"] = sp.diff(r_nash, sym)
    return forms


@cache
def participation_forms() -> dict[str, sp.Expr]:
    """Closed forms of the symmetric participation game with a step critical mass.

    N identical actors; each filer adds capacity a = w·q to the baseline robustness R0; the
    registry's increment counts once m* actors file (step critical-mass curve); share s,
    joining cost k, member-only incentive I.

    Returns
    -------
    dict
        ``pivotal_gain`` (a filer's gain from staying when exactly m* file),
        ``marginal_gain_full`` (the N-th filer's gain, N > m*),
        ``min_incentive_registry`` (the least I for which m* filers are an equilibrium),
        ``min_incentive_full`` (the least I for which all N filing is an equilibrium),
        ``max_filers`` (the real m̄ such that any m with m* < m ≤ m̄ filers keep their gain
        from staying ≥ k − I; the count is ⌊m̄⌋ capped at N), and the derivatives of
        ``min_incentive_registry`` in m*, a and R0; sympy expressions in
        :data:`PARTICIPATION_SYMBOLS`.

    Examples
    --------
    >>> from coordgap.symbolic import participation_forms
    >>> participation_forms()["pivotal_gain"]
    H*p*s*(1 - exp(-a*kappa*m_star))*exp(-R0*kappa)
    """
    scale = s * p * H * sp.exp(-kappa * R0)
    pivotal = scale * (1 - sp.exp(-kappa * m_star * a))
    step = 1 - sp.exp(-kappa * a)
    full = scale * sp.exp(-kappa * (N_actors - 1) * a) * step
    # m-th filer's gain scale·e^{−κ(m−1)a}·step ≥ k − I  ⇔  m ≤ 1 + ln(scale·step/(k − I))/(κa).
    max_filers = 1 + sp.log(scale * step / (k - incentive)) / (kappa * a)
    forms = {
        "pivotal_gain": pivotal,
        "marginal_gain_full": full,
        "min_incentive_registry": k - pivotal,
        "min_incentive_full": k - full,
        "max_filers": max_filers,
    }
    for sym in (m_star, a, R0):
        forms[f"d min_incentive_registry / d {sym}"] = sp.simplify(sp.diff(k - pivotal, sym))
    return forms


@cache
def credibility_forms() -> dict[str, sp.Expr]:
    """Credibility of a filed commitment, and the bond that buys a target credibility.

    A member honours its plan when its lognormal response cost (median A, log-dispersion σ) is
    below its stake S = b + L + s·ΔB + δ·W (bond, liability, own share of the response's
    benefit, discounted membership rent), as in :class:`~coordgap.CommitmentModel`.

    Returns
    -------
    dict
        ``stake``, ``credibility`` = Φ(ln(S/A)/σ), ``bond_for_credibility`` = the bond b at
        which credibility equals θ, and the derivatives ``d credibility / d b``,
        ``d credibility / d sigma`` and ``d bond_for_credibility / d sigma``; sympy
        expressions in :data:`CREDIBILITY_SYMBOLS`.

    Examples
    --------
    >>> from coordgap.symbolic import credibility_forms
    >>> credibility_forms()["bond_for_credibility"]
    A_med*exp(sqrt(2)*sigma*erfinv(2*theta - 1)) - DeltaB*s - L - W*delta
    """
    stake = b + L + s * dB + delta * W
    cred = (1 + sp.erf(sp.log(stake / A_med) / (sigma * sp.sqrt(2)))) / 2
    bond = A_med * sp.exp(sigma * sp.sqrt(2) * sp.erfinv(2 * theta - 1)) - L - s * dB - delta * W
    return {
        "stake": stake,
        "credibility": cred,
        "bond_for_credibility": bond,
        "d credibility / d b": sp.simplify(sp.diff(cred, b)),
        "d credibility / d sigma": sp.simplify(sp.diff(cred, sigma)),
        "d bond_for_credibility / d sigma": sp.diff(bond, sigma),
    }
