"""Collective-risk dilemma (Santos & Pacheco 2011): r*, stationary law with mutation, η_G.

Every expected value is computed here independently of the module: the critical risk from the
closed form C(N−1, M−1)·x^(M−1)(1−x)^(N−M) and by bracketing the birth of interior rest points;
the stationary law as the Perron eigenvector of the full (Z+1)×(Z+1) transition matrix built
from hypergeometric group payoffs written out in this file; the small-mutation limit from the
fixation probabilities of the mutation-free chain.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import coordgap as cg

CRD = cg.classics.CollectiveRiskDilemma


def _fitness_difference(n, m, r, c, z):
    """f_C(k) − f_D(k), k = 0..Z, with b = 1, from Santos & Pacheco's eq. (1) and sampling
    without replacement (hypergeometric co-players), written independently of the module."""
    out = np.zeros(z + 1)
    for k in range(1, z):
        # a cooperator's N−1 co-players contain j' ~ Hyper(Z−1, k−1, N−1) cooperators
        pc = stats.hypergeom(z - 1, k - 1, n - 1)
        pd = stats.hypergeom(z - 1, k, n - 1)
        fc = sum(pc.pmf(j) * ((1.0 if j + 1 >= m else 1.0 - r) - c) for j in range(n))
        fd = sum(pd.pmf(j) * (1.0 if j >= m else 1.0 - r) for j in range(n))
        out[k] = fc - fd
    return out


def _full_chain_stationary(n, m, r, c, z, beta, mu, convention):
    """Stationary law as the left eigenvector (eigenvalue 1) of the full transition matrix."""
    diff = _fitness_difference(n, m, r, c, z)
    denom = z if convention == "Z" else z - 1
    p = np.zeros((z + 1, z + 1))
    for k in range(z + 1):
        imitate = (k / z) * ((z - k) / denom)
        up = (1 - mu) * imitate / (1 + math.exp(-beta * diff[k])) + mu * (z - k) / z
        down = (1 - mu) * imitate / (1 + math.exp(beta * diff[k])) + mu * k / z
        if k < z:
            p[k, k + 1] = up
        if k > 0:
            p[k, k - 1] = down
        p[k, k] = 1 - up - down
    w, v = np.linalg.eig(p.T)
    vec = np.real(v[:, np.argmin(np.abs(w - 1))])
    return vec / vec.sum()


def test_critical_risk_closed_form_infinite_population():
    # N = 6, M = 3: max_x 10·x²(1 − x)³ at x = 2/5 equals 10·(4/25)·(27/125) = 0.3456.
    crd = CRD(group_size=6, threshold=3, risk=0.5, cost=0.1)
    assert crd.critical_risk() == pytest.approx(0.1 / 0.3456, rel=1e-14)


@pytest.mark.parametrize(("n", "m"), [(4, 2), (6, 3), (8, 6), (10, 3)])
def test_critical_risk_is_where_interior_rest_points_are_born(n, m):
    r_star = CRD(n, m, 0.5, 0.1).critical_risk()
    assert CRD(n, m, r_star * (1 - 1e-3), 0.1).fixed_points() == ()
    above = CRD(n, m, r_star * (1 + 1e-3), 0.1).fixed_points()
    assert [p.stability for p in above] == ["unstable", "stable"]


@pytest.mark.parametrize("convention", ["Z", "Z-1"])
def test_critical_risk_finite_population_brackets_positive_gradient(convention):
    n, m, c, z = 6, 3, 0.1, 20
    delta = _fitness_difference(n, m, 1.0, 0.0, z)  # Δ(k) with r = 1, c = 0
    r_star = c / delta[1:z].max()
    assert CRD(n, m, 0.5, c).critical_risk(z) == pytest.approx(r_star, rel=1e-12)
    k = np.arange(z + 1)
    below = CRD(n, m, r_star * (1 - 1e-6), c).gradient_finite(k, z, 2.0, convention)
    above = CRD(n, m, r_star * (1 + 1e-6), c).gradient_finite(k, z, 2.0, convention)
    assert below.max() <= 0 < above.max()


@pytest.mark.parametrize("convention", ["Z", "Z-1"])
@pytest.mark.parametrize(("r", "beta", "mu"), [(0.3, 2.0, 0.01), (0.9, 5.0, 0.05), (0.6, 0.5, 0.2)])
def test_stationary_matches_full_markov_chain(convention, r, beta, mu):
    n, m, c, z = 6, 3, 0.1, 30
    expected = _full_chain_stationary(n, m, r, c, z, beta, mu, convention)
    got = CRD(n, m, r, c).stationary(z, beta, mu, convention)
    assert_allclose(got.distribution, expected, atol=1e-10)
    assert got.distribution.sum() == pytest.approx(1.0, abs=1e-14)


def test_group_achievement_definition():
    # a_G(k) = C(Z, N)⁻¹ Σ_{j ≥ M} C(k, j) C(Z − k, N − j), summed here with exact integers.
    n, m, z = 6, 3, 30
    res = CRD(n, m, 0.7, 0.1).stationary(z, 2.0, 0.01)
    a = [
        sum(math.comb(k, j) * math.comb(z - k, n - j) for j in range(m, n + 1)) / math.comb(z, n)
        for k in range(z + 1)
    ]
    assert_allclose(res.achievement, a, rtol=1e-12, atol=1e-15)
    assert res.group_achievement == pytest.approx(float(np.dot(res.distribution, a)), rel=1e-12)


def test_group_achievement_rises_with_risk_and_falls_with_group_size():
    # Santos & Pacheco (2011), Fig. 2 (Z = 50, β = 2, c = 0.1; here μ = 0.01 and M = N/2):
    # η_G increases with the risk r, and at a given risk it is higher for smaller groups.
    # A qualitative reproduction of the published figure, not of its plotted values.
    risks = np.linspace(0.0, 1.0, 11)
    curves = {
        n: np.array([CRD(n, n // 2, r, 0.1).group_achievement(50, 2.0, 0.01) for r in risks])
        for n in (4, 6, 8)
    }
    for eta in curves.values():
        assert np.all(np.diff(eta) > 0)
        assert eta[0] < 0.1 and eta[-1] > 0.85
    assert np.all(curves[4][1:] > curves[6][1:]) and np.all(curves[6][1:] > curves[8][1:])


@pytest.mark.parametrize("convention", ["Z", "Z-1"])
def test_small_mutation_limit_is_fixation_ratio(convention):
    # μ → 0: the chain sits on k = 0 or k = Z, with p_Z/p_0 → ρ_C/ρ_D (each monomorphic state
    # is left at rate μ and a single mutant fixes with probability ρ); ρ from
    # cg.fixation_probability, whose closed form is independent of the mutation code.
    crd = CRD(6, 3, 0.8, 0.1)
    z, beta = 30, 2.0
    rho_c = cg.fixation_probability(crd.payoff_table(), z, beta, mutant=0)
    rho_d = cg.fixation_probability(crd.payoff_table(), z, beta, mutant=1)
    p = crd.stationary(z, beta, 1e-9, convention).distribution
    assert p[0] + p[-1] > 1 - 1e-5
    assert p[-1] / p[0] == pytest.approx(rho_c / rho_d, rel=1e-5)


def test_invalid_mutation_and_population():
    crd = CRD(6, 3, 0.5, 0.1)
    with pytest.raises(cg.InvalidParameterError, match="mutation"):
        crd.stationary(50, 2.0, 0.0)
    with pytest.raises(cg.InvalidParameterError, match="population"):
        crd.stationary(4, 2.0, 0.01)
    with pytest.raises(cg.InvalidParameterError, match="convention"):
        crd.stationary(50, 2.0, 0.01, convention="egttools")
