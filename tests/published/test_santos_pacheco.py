"""Santos & Pacheco (2011), PNAS 108:10421 — the collective-risk dilemma.

Reproduces: eq. (1) payoffs; the infinite-population gradient of Fig. 1 (N = 6, M = 3,
c = 0.1) through the closed form f_C − f_D = b[r·C(N−1, M−1)x^(M−1)(1−x)^(N−M) − c]
(a cooperator matters only when pivotal), the figure's regimes — no interior rest point at low
risk, a pair (unstable x_L, stable x_R) once r exceeds c / max_x C(5,2)x²(1−x)³ = c/0.3456 — and
the finite-population gradient of Fig. 2 (pairwise comparison, Z = 50, β = 2) against a direct
hypergeometric sum, with both drawing conventions.
"""

from math import comb

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg

CRD = cg.classics.CollectiveRiskDilemma


def closed_form_difference(x, n, m, r, c, b):
    return b * (r * comb(n - 1, m - 1) * x ** (m - 1) * (1 - x) ** (n - m) - c)


@pytest.mark.parametrize(
    "n,m,r", [(6, 3, 0.9), (6, 3, 0.25), (10, 5, 0.7), (6, 6, 1.0), (6, 1, 0.3)]
)
def test_infinite_gradient_closed_form(n, m, r):
    crd = CRD(group_size=n, threshold=m, risk=r, cost=0.1, endowment=2.0)
    x = np.linspace(0, 1, 101)
    expected = x * (1 - x) * closed_form_difference(x, n, m, r, 0.1, 2.0)
    assert_allclose(crd.gradient(x), expected, atol=1e-13)


def test_fig1_regimes_and_roots():
    c = 0.1
    peak = comb(5, 2) * 0.4**2 * 0.6**3  # max of 10 x^2 (1-x)^3 at x = 2/5
    assert_allclose(peak, 0.3456)
    r_star = c / peak
    assert CRD(6, 3, 0.25, c, 1.0).fixed_points() == ()
    assert CRD(6, 3, r_star * 0.999, c, 1.0).fixed_points() == ()
    for r in (0.5, 0.75, 1.0):
        pts = CRD(6, 3, r, c, 1.0).fixed_points()
        # independent: roots of the degree-5 polynomial r*10 x^2 (1-x)^3 - c
        poly = np.polynomial.Polynomial([0, 0, 1]) * np.polynomial.Polynomial([1, -1]) ** 3
        roots = (r * 10 * poly - c).roots()
        real = np.sort(roots[(abs(roots.imag) < 1e-12) & (roots.real > 0) & (roots.real < 1)].real)
        assert [p.stability for p in pts] == ["unstable", "stable"]
        assert_allclose([p.x for p in pts], real, atol=1e-12)
    # x_L falls and x_R rises with the risk (Fig. 1: the basin of cooperation widens)
    lo = [CRD(6, 3, r, c, 1.0).fixed_points()[0].x for r in (0.5, 0.75, 1.0)]
    hi = [CRD(6, 3, r, c, 1.0).fixed_points()[1].x for r in (0.5, 0.75, 1.0)]
    assert lo == sorted(lo, reverse=True) and hi == sorted(hi)


def test_tangent_root_at_critical_risk_is_found():
    # at r = r* the two roots merge at x = 2/5 (a double root of the gradient)
    c = 0.1
    r_star = c / (comb(5, 2) * 0.4**2 * 0.6**3)
    pts = CRD(6, 3, r_star, c, 1.0).fixed_points()
    assert len(pts) >= 1
    assert_allclose([p.x for p in pts], 0.4, atol=1e-5)


def brute_force_finite_gradient(n, m, r, c, b, z, k, beta, denominator):
    def pi_d(j):
        return b * (1.0 if j >= m else 1 - r)

    def pi_c(j):
        return pi_d(j) - c * b

    total = comb(z - 1, n - 1)
    fc = sum(comb(k - 1, j) * comb(z - k, n - 1 - j) * pi_c(j + 1) for j in range(n)) / total
    fd = sum(comb(k, j) * comb(z - k - 1, n - 1 - j) * pi_d(j) for j in range(n)) / total
    t_plus = k / z * (z - k) / denominator / (1 + np.exp(-beta * (fc - fd)))
    t_minus = k / z * (z - k) / denominator / (1 + np.exp(beta * (fc - fd)))
    return t_plus - t_minus


@pytest.mark.parametrize("convention", ["Z", "Z-1"])
def test_fig2_finite_population_gradient(convention):
    n, m, r, c, b, z, beta = 6, 3, 0.5, 0.1, 1.0, 50, 2.0
    crd = CRD(n, m, r, c, b)
    ks = np.arange(1, z)
    got = crd.gradient_finite(ks, z, beta, convention)
    denominator = z if convention == "Z" else z - 1
    expected = [
        brute_force_finite_gradient(n, m, r, c, b, z, int(k), beta, denominator) for k in ks
    ]
    assert_allclose(got, expected, atol=1e-14)
    assert crd.gradient_finite(0, z, beta, convention) == 0.0
    assert crd.gradient_finite(z, z, beta, convention) == 0.0


def test_conventions_differ_by_z_over_z_minus_one():
    crd = CRD(6, 3, 0.9, 0.1, 1.0)
    ks = np.arange(1, 40)
    assert_allclose(
        crd.gradient_finite(ks, 40, 1.0, "Z-1"),
        crd.gradient_finite(ks, 40, 1.0, "Z") * 40 / 39,
        rtol=1e-13,
    )


def test_large_population_weak_selection_limit():
    # Z -> inf, beta small: G(k) -> (beta/2) x(1-x)(f_C - f_D) with x = k/Z.
    crd = CRD(6, 3, 0.9, 0.1, 1.0)
    z, beta = 20000, 1e-3
    ks = np.array([2000, 6000, 10000, 16000])
    expected = beta / 2 * crd.gradient(ks / z)
    assert_allclose(crd.gradient_finite(ks, z, beta), expected, rtol=0, atol=2e-8)


def test_invalid_parameters():
    with pytest.raises(cg.InvalidParameterError, match="'threshold' parameter of Collective"):
        CRD(group_size=5, threshold=6, risk=0.5, cost=0.1, endowment=1.0)
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(cg.InvalidParameterError, match="'risk'"):
            CRD(group_size=5, threshold=3, risk=bad, cost=0.1, endowment=1.0)
    crd = CRD(5, 3, 0.5, 0.1, 1.0)
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'Z-1'"):
        crd.gradient_finite(3, 20, 1.0, "Z-2")
    with pytest.raises(cg.InvalidParameterError):
        crd.gradient_finite(3, 4, 1.0)  # population below group size
    with pytest.raises(cg.InvalidParameterError):
        crd.gradient([0.5, 1.2])
