"""Palfrey & Rosenthal (1984), J. Public Econ. 24:171 — threshold public goods.

Reproduces the symmetric mixed equilibria of the no-refund game, which solve
c = V·C(N−1, M−1)·p^(M−1)(1−p)^(N−M) (Section 3): for N = 3, M = 2, V = 3, c = 1 the two
mixed equilibria are p = 1/2 ± √3/6 (exact, from sympy), and the pure equilibria are "no one
contributes" and "exactly M contribute". Also the refund variant's indifference condition.
"""

import itertools

import numpy as np
import pytest
import sympy as sp
from numpy.testing import assert_allclose

import coordgap as cg

TPG = cg.classics.ThresholdPublicGood


def test_three_player_mixed_equilibria_exact():
    g = TPG(n_players=3, threshold=2, value=3.0, cost=1.0)
    p = sp.symbols("p")
    exact = sorted(float(s) for s in sp.solve(sp.Eq(1, 3 * 2 * p * (1 - p)), p))
    assert_allclose(exact, [0.5 - np.sqrt(3) / 6, 0.5 + np.sqrt(3) / 6], rtol=1e-15)
    assert_allclose(g.mixed_equilibria(), exact, atol=1e-13)


@pytest.mark.parametrize("n,m,v,c", [(5, 3, 4.0, 1.0), (7, 2, 10.0, 1.5), (6, 6, 2.0, 0.05)])
def test_mixed_equilibria_solve_pivotality_condition(n, m, v, c):
    g = TPG(n_players=n, threshold=m, value=v, cost=c)
    p = sp.symbols("p", real=True)
    expr = v * sp.binomial(n - 1, m - 1) * p ** (m - 1) * (1 - p) ** (n - m) - c
    exact = sorted(float(r) for r in sp.Poly(sp.expand(expr), p).real_roots() if 0 < r < 1)
    assert_allclose(g.mixed_equilibria(), exact, atol=1e-12)


def test_pure_equilibria_by_brute_force_on_normal_form():
    g = TPG(n_players=4, threshold=2, value=3.0, cost=1.0)
    nf = g.normal_form()
    pure = []
    for prof in itertools.product((0, 1), repeat=4):
        if nf.max_regret([np.eye(2)[a] for a in prof]) == 0:
            pure.append(prof.count(0))
    assert sorted(set(pure)) == g.pure_equilibria_counts() == [0, 2]


def test_mixed_equilibrium_is_nash_on_normal_form():
    g = TPG(n_players=3, threshold=2, value=3.0, cost=1.0)
    nf = g.normal_form()
    for p in g.mixed_equilibria():
        assert nf.max_regret([np.array([p, 1 - p])] * 3) < 1e-12


def test_refund_variant_indifference():
    g = TPG(n_players=4, threshold=3, value=5.0, cost=2.0, refund=True)
    for p in g.mixed_equilibria():
        pivotal = 3 * p**2 * (1 - p)  # exactly 2 of 3 others
        at_least = pivotal + p**3
        assert_allclose(2.0 * at_least, 5.0 * pivotal, atol=1e-12)


def test_invalid():
    with pytest.raises(cg.InvalidParameterError, match="threshold"):
        TPG(n_players=3, threshold=4, value=3.0, cost=1.0)
