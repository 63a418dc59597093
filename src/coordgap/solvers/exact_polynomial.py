"""Exact solutions of the indifference systems of binary-action games (sympy).

For a support pattern of a game where every player has two actions, the mixing players'
indifference conditions are multilinear polynomial equations with rational coefficients in
the mixing probabilities p_j = P(action 0). A lex Groebner basis over QQ decides whether the
system is inconsistent, has finitely many solutions or a continuum; finite systems are
solved from the last variable up, exactly while values stay rational and at 60 significant
digits once a value is irrational.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

__all__ = ["gain_polynomials", "solve_system", "sympy_pattern_solutions"]


def gain_polynomials(game, symbols):
    """D_i(p) = u_i(action 0, p_-i) − u_i(action 1, p_-i) as exact sympy expressions.

    ``p_j`` is player j's probability of action 0. Payoffs are taken exactly (floats at their
    binary values).

    Parameters
    ----------
    game : NormalFormGame
        A game in which every player has two actions.
    symbols : sequence of sympy.Symbol
        One symbol p_j per player.

    Returns
    -------
    list of sympy.Expr
        D_i for every player i, expanded (multilinear in the others' p_j).
    """
    import sympy

    n = game.n_players
    values = game.exact_payoffs if game.is_exact else game.payoffs
    gains = []
    for i in range(n):
        total = sympy.Integer(0)
        for profile in itertools.product((0, 1), repeat=n - 1):
            full = list(profile)
            full.insert(i, 0)
            u0 = sympy.Rational(values[tuple(full) + (i,)])
            full[i] = 1
            u1 = sympy.Rational(values[tuple(full) + (i,)])
            weight = sympy.Integer(1)
            others = [j for j in range(n) if j != i]
            for j, a in zip(others, profile):
                weight *= symbols[j] if a == 0 else 1 - symbols[j]
            total += (u0 - u1) * weight
        gains.append(sympy.expand(total))
    return gains


def sympy_pattern_solutions(game, pattern, mixing, state):
    """Exact solutions of one pattern's system (Fractions or floats), None for a continuum.

    Parameters
    ----------
    game : NormalFormGame
        A game in which every player has two actions.
    pattern : sequence of {1, 0, None}
        Per player, p_j fixed at 1 (plays action 0) or 0 (plays action 1), or None (mixes).
    mixing : sequence of int
        The players whose entry in ``pattern`` is None, in increasing order.
    state : dict
        Cache shared across the patterns of one game (holds the symbols and the gain
        polynomials after the first call).

    Returns
    -------
    list of tuple or None
        One tuple per solution in (0, 1)^k, giving the mixing players' p_j in the order of
        ``mixing``: a Fraction when the value is rational, otherwise a float; None when the
        solutions form a continuum.
    """
    import sympy

    if "gains" not in state:
        state["symbols"] = sympy.symbols(f"p0:{game.n_players}")
        state["gains"] = gain_polynomials(game, state["symbols"])
    symbols, gains = state["symbols"], state["gains"]
    fixed = {symbols[j]: sympy.Integer(c) for j, c in enumerate(pattern) if c is not None}
    unknowns = [symbols[j] for j in mixing]
    equations = [sympy.expand(gains[i].subs(fixed)) for i in mixing]
    points = solve_system(equations, unknowns)
    if points is None:
        return None
    out = []
    for point in points:
        values = []
        for var in unknowns:
            v = point[var]
            values.append(
                Fraction(int(v.p), int(v.q)) if v.is_Rational else float(sympy.N(sympy.re(v), 30))
            )
        out.append(tuple(values))
    return out


def solve_system(equations, unknowns):
    """Real solutions in (0, 1)^k of a polynomial system, or None for a continuum.

    A lex Groebner basis over QQ is triangular: the variables are solved from the last one
    up. Values stay exact (sympy Rationals) while they are rational; once a value is
    irrational the rest is solved at 60 significant digits (mpmath) and every basis element
    is checked to vanish at the point.

    Parameters
    ----------
    equations : sequence of sympy.Expr
        Polynomials with rational coefficients, each set to 0.
    unknowns : sequence of sympy.Symbol
        The variables, solved from the last one up.

    Returns
    -------
    list of dict or None
        One mapping unknown -> value (a sympy Rational, or a 60-digit sympy Float) per
        solution in (0, 1)^k; an empty list when there is none; None for a continuum.
    """
    import sympy

    equations = [e for e in equations if e != 0]
    if len(equations) == 0:
        return None
    if any(e.is_number for e in equations):  # a nonzero constant: inconsistent
        return []
    used = set().union(*(e.free_symbols for e in equations))
    if len(used) < len(unknowns):
        # Some probabilities appear in no equation: any point of the others' solution set
        # extends to a continuum, and an empty set stays empty.
        rest = solve_system(equations, [u for u in unknowns if u in used])
        return [] if rest == [] else None
    basis = sympy.groebner(equations, *unknowns, order="lex", domain="QQ")
    if list(basis.exprs) == [1]:
        return []
    if not basis.is_zero_dimensional:
        return None
    polys = [sympy.Poly(e, *unknowns) for e in basis.exprs]
    points: list[dict] = [{}]
    for t in reversed(range(len(unknowns))):
        var = unknowns[t]
        later = set(unknowns[t + 1 :])
        relevant = [q for q in polys if var in q.free_symbols and q.free_symbols <= later | {var}]
        extended = []
        for point in points:
            for value in _univariate_roots(relevant, var, point):
                new = dict(point)
                new[var] = value
                extended.append(new)
        points = extended
    return points


def _univariate_roots(polys, var, point):
    """Common real roots in (0, 1) of ``polys`` after substituting ``point``."""
    import mpmath
    import sympy

    exact = all(v.is_Rational for v in point.values())
    if exact:
        subs = [sympy.Poly(q.as_expr().subs(point), var) for q in polys]
        subs = [q for q in subs if not q.is_zero]
        g = subs[0]
        for q in subs[1:]:
            g = sympy.gcd(g, q)
        if g.degree() < 1:
            return []
        out = []
        for r in g.real_roots():
            if r.is_Rational:
                if 0 < r < 1:
                    out.append(r)
            else:
                v = sympy.Float(sympy.N(r, 60), 60)
                if 0 < v < 1:
                    out.append(v)
        return out
    with mpmath.workdps(60):
        numeric = []
        for q in polys:
            expr = q.as_expr().subs({k: sympy.Float(v, 60) for k, v in point.items()})
            coeffs = [
                mpmath.mpf(str(sympy.Float(c, 60)))
                for c in sympy.Poly(sympy.expand(expr), var).all_coeffs()
            ]
            size = max((abs(c) for c in coeffs), default=mpmath.mpf(0))
            while coeffs and abs(coeffs[0]) <= mpmath.mpf(10) ** -40 * size:
                coeffs.pop(0)
            numeric.append((coeffs, size))
        numeric = [(c, size) for c, size in numeric if len(c) > 1]
        if not numeric:
            return []
        numeric.sort(key=lambda cs: len(cs[0]))
        lead, _ = numeric[0]
        roots = mpmath.polyroots(lead, maxsteps=500, extraprec=300)
        out = []
        for r in roots:
            if abs(mpmath.im(r)) > mpmath.mpf(10) ** -25:
                continue
            x = mpmath.re(r)
            if not 0 < x < 1:
                continue
            if all(
                abs(mpmath.polyval(c, x)) <= mpmath.mpf(10) ** -20 * size for c, size in numeric[1:]
            ):
                out.append(sympy.Float(str(x), 60))
        return out
