"""Kunreuther & Heal (2003), J. Risk Uncertainty 26:231 — interdependent security.

Reproduces the equilibrium conditions of the two-actor game of Table 1 / Section 2:
investing is dominant iff c < p(1−q)L; (invest, invest) and (not, not) are both equilibria iff
p(1−q)L < c < pL; (not, not) is the only equilibrium iff c > pL — checked by brute force on the
normal form — and the n-actor threshold c < pL(1−q)^j with the tipping number
max(0, n − 1 − j*) derived from it.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg

ISG = cg.classics.InterdependentSecurity
P, Q, L = 0.1, 0.2, 100.0  # p(1-q)L = 8, pL = 10


@pytest.mark.parametrize(
    "cost,expected", [(7.0, [(0, 0)]), (9.0, [(0, 0), (1, 1)]), (11.0, [(1, 1)])]
)
def test_two_actor_equilibria_table_1(cost, expected):
    assert ISG(cost=cost, prob=P, contagion=Q, loss=L).pure_equilibria() == expected


def test_table_1_payoffs():
    g = ISG(cost=9.0, prob=P, contagion=Q, loss=L).normal_form()
    # (S,S): -c each; (S,N): investor -c - qL, other -pL; (N,N): -(pL + (1-p)qL)
    assert_allclose(g.payoffs[0, 0], [-9.0, -9.0])
    assert_allclose(g.payoffs[0, 1], [-9.0 - Q * L, -P * L])
    assert_allclose(g.payoffs[1, 1], [-(P * L + (1 - P) * Q * L)] * 2)


@pytest.mark.parametrize("n,cost", [(5, 6.0), (6, 9.5), (8, 4.0), (4, 11.0)])
def test_tipping_number_homogeneous(n, cost):
    g = ISG(cost=cost, prob=P, contagion=Q, loss=L, n_actors=n)
    j = np.arange(n)
    invest_ok = cost < P * L * (1 - Q) ** j
    j_star = int(invest_ok.sum()) - 1
    expected = None if j_star < 0 else max(0, n - 1 - j_star)
    assert g.tipping_number() == expected


def test_pure_equilibria_n_actors_brute_force():
    g = ISG(cost=6.0, prob=P, contagion=Q, loss=L, n_actors=5)
    eqs = g.pure_equilibria()
    # with 5 actors: all invest (c < pL) and none invest (c > pL(1-q)^4 = 4.096) are equilibria
    assert (0,) * 5 in eqs and (1,) * 5 in eqs


def test_heterogeneous_costs_tip():
    # one actor with a high cost never invests unless others do; committing it tips the rest
    g = ISG(cost=[9.9, 6.0, 6.0, 6.0], prob=P, contagion=Q, loss=L)
    assert g.tolerance().tolist() == [0, 2, 2, 2]
    assert g.tipping_number() == 1


def test_invalid():
    with pytest.raises(cg.InvalidParameterError, match="'prob'"):
        ISG(cost=1.0, prob=1.5, contagion=0.1, loss=1.0)
    with pytest.raises(cg.InvalidParameterError, match="'contagion'"):
        ISG(cost=1.0, prob=0.5, contagion=-0.1, loss=1.0)
