"""Barrett (1994), Oxford Economic Papers 46:878 — self-enforcing environmental agreements.

Reproduces the stable coalition size of the linear-benefit model, k* = 3 for every N ≥ 3
(internal stability ⇔ (k−1)(k−3) ≤ 0, external ⇔ k(k−2) > 0; Barrett 1994 Section 3 and
Carraro & Siniscalco 1993), from the closed-form payoffs, and checks the quadratic model's
Stackelberg abatement against a brute-force grid search.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg

IEA = cg.classics.EnvironmentalAgreement


@pytest.mark.parametrize("n", [3, 4, 10, 100, 500])
@pytest.mark.parametrize("b,c", [(1.0, 1.0), (2.0, 0.5)])
def test_linear_model_stable_size_is_three(n, b, c):
    assert IEA(n_countries=n, benefit=b, cost=c).stable_sizes() == [3]


def test_linear_payoffs_closed_form():
    n, b, c = 20, 1.5, 0.7
    g = IEA(n_countries=n, benefit=b, cost=c)
    for k in range(1, n + 1):
        s, o = g.payoffs(k)
        assert_allclose(s, b * b / c * (k * k / 2 + n - k), rtol=1e-12)
        assert_allclose(o, b * b / c * (k * k + n - k - 0.5), rtol=1e-12)


def test_stability_conditions_generic():
    # closed-form stability predicates for the linear model, independent of the class
    ks = [
        k
        for k in range(1, 51)
        if (k == 1 or (k - 1) * (k - 3) <= 0) and (k == 50 or k * (k - 2) > 0)
    ]
    assert ks == [3]


def test_quadratic_leader_abatement_brute_force():
    g = IEA(n_countries=10, benefit=1.0, cost=0.5, intercept=50.0, model="quadratic")
    n, b, c, a = 10, 1.0, 0.5, 50.0
    for k in (2, 5, 9):
        qs, qn = g.abatement(k)
        grid = np.linspace(0, a, 200001)
        # outsiders' best response given total Q: q_n = max(0, (b/(n c))(a - Q)); solve for Q
        gamma = b / (n * c)
        q_total = (k * grid + (n - k) * gamma * a) / (1 + (n - k) * gamma)
        joint = k * (b / n) * (a * q_total - q_total**2 / 2) - k * c * grid**2 / 2
        assert_allclose(qs, grid[np.argmax(joint)], atol=1e-3)
