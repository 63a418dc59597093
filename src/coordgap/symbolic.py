"""Closed forms of the symmetric preparedness game in sympy, and their numpy versions.

The symmetric game has n identical actors with share s, unit cost c and weight 1, no baseline,
B(R) = p·H·(1 − exp(−κR)) and the ``sum`` aggregator.

γ = 1 (linear cost; Bergstrom–Blume–Varian)
    R_nash = ln(p·H·κ·s/c)/κ,  R_opt = ln(p·H·κ/c)/κ,  gap = R_opt − R_nash = ln(1/s)/κ,
    valid when p·H·κ·s/c ≥ 1 (otherwise nobody invests in equilibrium).
γ = 2 (quadratic cost)
    x = s·B'(R)/c and R = n·x give κR·e^{κR} = n·s·p·H·κ²/c, so
    R_nash = W(n·s·p·H·κ²/c)/κ and R_opt = W(n·p·H·κ²/c)/κ (W: Lambert W, principal branch).

``closed_forms(gamma)`` returns the sympy expressions, ``comparative_statics(gamma)`` their
derivatives in s, c and κ, and ``lambdify_closed_forms(gamma)`` numpy functions of
(n, s, c, p, H, kappa).

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
"""

from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp
from scipy import special

from .errors import InvalidParameterError

__all__ = ["SYMBOLS", "closed_forms", "comparative_statics", "lambdify_closed_forms"]

n, s, c, p, H, kappa = sp.symbols("n s c p H kappa", positive=True)
SYMBOLS = (n, s, c, p, H, kappa)


def _check_gamma(gamma) -> int:
    if gamma not in (1, 2):
        raise InvalidParameterError(
            "closed_forms", "gamma", "1 or 2 (the cost exponents with a closed form)", gamma
        )
    return int(gamma)


@cache
def closed_forms(gamma: int = 1) -> dict[str, sp.Expr]:
    """Equilibrium and optimal robustness and their gap for the symmetric game.

    Parameters
    ----------
    gamma : {1, 2}
        Cost exponent.

    Returns
    -------
    dict
        ``robustness_nash``, ``robustness_opt``, ``gap`` (R_opt − R_nash) and
        ``investment_nash`` (each actor's investment) as sympy expressions in
        :data:`SYMBOLS`. For γ = 1 the investment is the symmetric split R_nash/n.
    """
    gamma = _check_gamma(gamma)
    if gamma == 1:
        r_nash = sp.log(p * H * kappa * s / c) / kappa
        r_opt = sp.log(p * H * kappa / c) / kappa
    else:
        r_nash = sp.LambertW(n * s * p * H * kappa**2 / c) / kappa
        r_opt = sp.LambertW(n * p * H * kappa**2 / c) / kappa
    # For γ = 1 the difference of logs simplifies to ln(1/s)/κ (all symbols are positive).
    gap = sp.log(1 / s) / kappa if gamma == 1 else r_opt - r_nash
    return {
        "robustness_nash": r_nash,
        "robustness_opt": r_opt,
        "gap": gap,
        "investment_nash": r_nash / n,
    }


@cache
def comparative_statics(gamma: int = 1) -> dict[str, sp.Expr]:
    """Derivatives of the equilibrium robustness and of the gap in s, c and κ.

    Keys are ``"d robustness_nash / d s"`` and so on.

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


@cache
def lambdify_closed_forms(gamma: int = 1) -> dict:
    """numpy functions f(n, s, c, p, H, kappa) of every closed form and derivative."""
    exprs = dict(closed_forms(gamma))
    exprs.update(comparative_statics(gamma))
    modules = [{"LambertW": _real_lambertw}, "numpy"]
    return {name: sp.lambdify(SYMBOLS, expr, modules=modules) for name, expr in exprs.items()}
