"""McKelvey & Palfrey (1995), GEB 10:6 — logit QRE in the Ochs asymmetric matching pennies.

Reproduces the qualitative and limiting results of Section 5 / Fig. 2: the logit QRE is
unique at every λ in these games; it starts at (1/2, 1/2) at λ = 0, converges to the Nash
equilibrium (1/2, 1/(1+a)) as λ → ∞, and for every λ > 0 the row player plays "left" with
probability above 1/2 (the own-payoff effect), more so in a larger a (a = 4 vs a = 9). Each
point is checked against an independent fixed-point solve (scipy fsolve).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special

import coordgap as cg


def fsolve_qre(a, lam):
    def eqs(z):
        p, q = special.expit(z)
        return [z[0] - lam * (a * q - (1 - q)), z[1] - lam * ((1 - p) - p)]

    sol = optimize.root(eqs, [0.0, 0.0], method="hybr", tol=1e-13)
    assert sol.success
    return special.expit(sol.x)


@pytest.mark.parametrize("a", [4.0, 9.0])
def test_ochs_games(a):
    g = cg.classics.asymmetric_matching_pennies(a)
    curve = cg.classics.logit_correspondence(g, [0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 20.0])
    lams = curve[:, 0]
    assert len(np.unique(lams)) == len(lams)  # unique QRE at every λ
    assert_allclose(curve[0, 1:], [0.5, 0.5])
    for lam, p, q in curve[1:]:
        assert p > 0.5
        assert_allclose([p, q], fsolve_qre(a, lam), atol=1e-10)
    nash = cg.qre(g, 1e4)[0].strategies
    assert_allclose([nash[0][0], nash[1][0]], [0.5, 1 / (1 + a)], atol=2e-3)


def test_own_payoff_effect_grows_with_a():
    for lam in (0.5, 2.0, 5.0):
        p4 = cg.qre(cg.classics.asymmetric_matching_pennies(4.0), lam)[0].strategies[0][0]
        p9 = cg.qre(cg.classics.asymmetric_matching_pennies(9.0), lam)[0].strategies[0][0]
        assert p9 > p4 > 0.5
