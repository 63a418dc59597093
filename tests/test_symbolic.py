"""Closed forms of the symmetric game against the numeric solver (two independent routes)."""

import math

import numpy as np
import pytest
import sympy as sp

import coordgap as cg
from coordgap.symbolic import SYMBOLS, closed_forms, comparative_statics, lambdify_closed_forms

CASES = [
    (3, 0.1, 1.0, 0.5, 200.0, 0.3),
    (10, 0.05, 2.0, 0.2, 1000.0, 0.05),
    (1, 0.9, 0.5, 1.0, 10.0, 1.0),
]


@pytest.mark.slow
@pytest.mark.parametrize("gamma", [1, 2])
@pytest.mark.parametrize("case", CASES)
def test_closed_forms_match_solver(gamma, case):
    n, s, c, p, h, k = case
    game = cg.PreparednessGame(
        share=s, cost=c, n_actors=n, prob=p, harm=h, efficacy=k, cost_exponent=float(gamma)
    )
    f = lambdify_closed_forms(gamma)
    if gamma == 1 and p * h * k * s / c < 1:
        # Outside the closed form's domain nobody invests (R_nash = max(0, ...)).
        assert cg.solve(game)[0].robustness == 0.0
        return
    with pytest.warns(cg.DegenerateGameWarning) if gamma == 1 and n > 1 else _nothing():
        eq = cg.solve(game)
    np.testing.assert_allclose(eq[0].robustness, f["robustness_nash"](*case), rtol=1e-10)
    np.testing.assert_allclose(cg.optimum(game).robustness, f["robustness_opt"](*case), rtol=1e-10)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_linear_gap_is_log_one_over_s():
    assert sp.simplify(closed_forms(1)["gap"] - sp.log(1 / SYMBOLS[1]) / SYMBOLS[5]) == 0


@pytest.mark.parametrize("gamma", [1, 2])
def test_derivatives_match_finite_differences(gamma):
    f = lambdify_closed_forms(gamma)
    base = dict(zip(["n", "s", "c", "p", "H", "kappa"], (4, 0.2, 1.0, 0.5, 300.0, 0.2)))
    for var, key in (("s", "s"), ("c", "c"), ("kappa", "kappa")):
        for name in ("robustness_nash", "gap"):
            h = 1e-6 * base[key]
            up, down = dict(base), dict(base)
            up[key] += h
            down[key] -= h
            numeric = (f[name](*up.values()) - f[name](*down.values())) / (2 * h)
            analytic = f[f"d {name} / d {var}"](*base.values())
            np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_gap_shrinks_as_share_grows():
    f = lambdify_closed_forms(2)
    assert f["d gap / d s"](5, 0.1, 1.0, 0.5, 100.0, 0.3) < 0
    assert comparative_statics(1)["d gap / d s"] == -1 / (SYMBOLS[5] * SYMBOLS[1])


def test_only_gamma_1_and_2():
    with pytest.raises(cg.InvalidParameterError, match="gamma"):
        closed_forms(3)


def test_symmetric_gap_value():
    f = lambdify_closed_forms(1)
    assert math.isclose(f["gap"](3, 0.25, 1.0, 1.0, 100.0, 0.5), math.log(4) / 0.5)
