"""Closed forms of the symmetric game against the numeric solver (two independent routes)."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import optimize, stats

import coordgap as cg
from coordgap.symbolic import (
    CREDIBILITY_SYMBOLS,
    PARTICIPATION_SYMBOLS,
    SYMBOLS,
    TWO_TYPE_SYMBOLS,
    closed_forms,
    comparative_statics,
    credibility_forms,
    lambdify_closed_forms,
    lambdify_forms,
    participation_forms,
    two_type_forms,
)

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


@pytest.mark.parametrize("bad", [0.5, 0, -2, float("nan"), float("inf"), "two", True])
def test_gamma_below_one_or_not_a_number_is_rejected(bad):
    with pytest.raises(cg.InvalidParameterError, match="gamma"):
        closed_forms(bad)


def test_symmetric_gap_value():
    f = lambdify_closed_forms(1)
    assert math.isclose(f["gap"](3, 0.25, 1.0, 1.0, 100.0, 0.5), math.log(4) / 0.5)


# --- any γ > 1 ------------------------------------------------------------------------------


def _symmetric_fixed_point(n, s, c, p, h, k, gamma):
    """Independent route: root of R − n·(s·B'(R)/c)^{1/(γ−1)} by bracketing (no Lambert W)."""

    def excess(r):
        return r - n * (s * p * h * k * math.exp(-k * r) / c) ** (1 / (gamma - 1))

    return optimize.brentq(excess, 0.0, 1e4, xtol=1e-14, rtol=1e-14)


@pytest.mark.parametrize("gamma", [1.25, 1.5, 2, 3, 4.5])
@pytest.mark.parametrize("case", CASES)
def test_any_convex_gamma_matches_a_fixed_point_and_the_solver(gamma, case):
    f = lambdify_closed_forms(gamma)
    n, s, c, p, h, k = case
    assert math.isclose(
        f["robustness_nash"](*case), _symmetric_fixed_point(*case, gamma), rel_tol=1e-10
    )
    assert math.isclose(
        f["robustness_opt"](*case), _symmetric_fixed_point(n, 1.0, c, p, h, k, gamma), rel_tol=1e-10
    )
    game = cg.PreparednessGame(
        share=s, cost=c, n_actors=n, prob=p, harm=h, efficacy=k, cost_exponent=float(gamma)
    )
    np.testing.assert_allclose(cg.solve(game)[0].robustness, f["robustness_nash"](*case), rtol=1e-8)


def test_gamma_two_form_is_the_published_lambert_w():
    form = closed_forms(2)["robustness_nash"]
    n, s, c, p, h, k = SYMBOLS
    assert sp.simplify(form - sp.LambertW(n * s * p * h * k**2 / c) / k) == 0


@pytest.mark.parametrize("gamma", [1.5, 3])
def test_convex_derivatives_match_finite_differences(gamma):
    f = lambdify_closed_forms(gamma)
    base = [4, 0.2, 1.0, 0.5, 300.0, 0.2]
    for index, var in ((1, "s"), (2, "c"), (5, "kappa")):
        step = 1e-6 * base[index]
        up, down = list(base), list(base)
        up[index] += step
        down[index] -= step
        numeric = (f["robustness_nash"](*up) - f["robustness_nash"](*down)) / (2 * step)
        assert math.isclose(f[f"d robustness_nash / d {var}"](*base), numeric, rel_tol=1e-6)


# --- two actor types ------------------------------------------------------------------------

TWO_TYPE_CASES = [
    (2, 3, 0.2, 0.1, 1.0, 2.0, 0.5, 100.0, 0.2),
    (1, 5, 0.4, 0.05, 0.5, 1.0, 0.3, 500.0, 0.1),
]


@pytest.mark.parametrize("gamma", [1.5, 2, 3])
@pytest.mark.parametrize("case", TWO_TYPE_CASES)
def test_two_type_forms_match_the_solver(gamma, case):
    n_1, n_2, s_1, s_2, c_1, c_2, p, h, k = case
    f = lambdify_forms(two_type_forms(gamma), TWO_TYPE_SYMBOLS)
    game = cg.PreparednessGame(
        share=[s_1] * n_1 + [s_2] * n_2,
        cost=[c_1] * n_1 + [c_2] * n_2,
        prob=p,
        harm=h,
        efficacy=k,
        cost_exponent=float(gamma),
    )
    eq = cg.solve(game)[0]
    np.testing.assert_allclose(eq.robustness, f["robustness_nash"](*case), rtol=1e-8)
    np.testing.assert_allclose(eq.investment[0], f["investment_1"](*case), rtol=1e-7)
    np.testing.assert_allclose(eq.investment[-1], f["investment_2"](*case), rtol=1e-7)
    np.testing.assert_allclose(cg.optimum(game).robustness, f["robustness_opt"](*case), rtol=1e-8)


def test_two_types_with_linear_cost_only_the_best_ratio_invests():
    case = TWO_TYPE_CASES[0]
    f = lambdify_forms(two_type_forms(1), TWO_TYPE_SYMBOLS)
    n_1, n_2, s_1, s_2, c_1, c_2, p, h, k = case
    # s/c is 0.2 for type 1 and 0.05 for type 2: type 1 alone sets R by s1·B'(R) = c1.
    assert math.isclose(f["robustness_nash"](*case), math.log(p * h * k * s_1 / c_1) / k)
    assert math.isclose(f["robustness_opt"](*case), math.log(p * h * k / c_1) / k)


# --- M2: participation with a step critical mass --------------------------------------------


def _equilibrium_counts(n_actors, m_star, a, r0, s, k, incentive, p, h, kappa):
    """Brute force over joiner counts m = 0..N with V built from its definition."""

    def value(m):
        bonus = p * h * (math.exp(-kappa * r0) - math.exp(-kappa * (r0 + m * a)))
        return p * h * (1 - math.exp(-kappa * r0)) + (bonus if m >= m_star else 0.0)

    net = k - incentive
    counts = []
    for m in range(n_actors + 1):
        stay = m == 0 or s * (value(m) - value(m - 1)) >= net
        enter = m < n_actors and s * (value(m + 1) - value(m)) > net
        if stay and not enter:
            counts.append(m)
    return counts


PART_CASES = [
    (10, 4, 0.5, 1.0, 0.2, 3.0, 0.0, 0.5, 100.0, 0.3),
    (12, 3, 0.3, 0.0, 0.1, 2.0, 1.0, 0.8, 200.0, 0.2),
    (8, 8, 1.0, 2.0, 0.3, 1.0, 0.2, 0.2, 60.0, 0.4),
]


@pytest.mark.parametrize("case", PART_CASES)
def test_participation_thresholds_against_brute_force(case):
    f = lambdify_forms(participation_forms(), PARTICIPATION_SYMBOLS)
    n_actors, m_star, *_ = case
    counts = _equilibrium_counts(*case)
    least_registry = f["min_incentive_registry"](*case)
    shifted = list(case)
    # Just above the least incentive, m* filers are an equilibrium (or more join); just below, not.
    for eps, expect in ((1e-9, True), (-1e-9, False)):
        shifted[6] = least_registry + eps
        registry_exists = any(m >= m_star for m in _equilibrium_counts(*shifted))
        if least_registry + eps >= 0:
            assert registry_exists is expect
    if n_actors > m_star:
        shifted[6] = f["min_incentive_full"](*case) + 1e-9
        assert n_actors in _equilibrium_counts(*shifted)
        shifted[6] = f["min_incentive_full"](*case) - 1e-9
        assert n_actors not in _equilibrium_counts(*shifted)
        big = [m for m in counts if m > m_star]
        if big:
            assert big == [min(n_actors, math.floor(f["max_filers"](*case)))]


def test_participation_threshold_matches_the_participation_game():
    case = (10, 4, 0.5, 1.0, 0.08, 1.5, 0.0, 0.5, 100.0, 0.3)  # shares sum to 0.8 ≤ 1
    n_actors, m_star, a, r0, s, k, incentive, p, h, kappa = case
    f = lambdify_forms(participation_forms(), PARTICIPATION_SYMBOLS)
    least = f["min_incentive_registry"](*case)
    assert least > 1e-3
    for eps, expect in ((1e-6, True), (-1e-6, False)):
        game = cg.ParticipationGame(
            share=s,
            cost=k,
            incentive=max(least + eps, 0.0),
            capacity=a,
            prob=p,
            harm=h,
            efficacy=kappa,
            baseline=r0,
            critical_mass="step",
            threshold=m_star,
            n_actors=n_actors,
        )
        joined = [int(np.sum(e.joined)) for e in cg.solve(game)]
        assert any(m >= m_star for m in joined) is expect


def test_registry_gets_harder_with_a_higher_baseline():
    d = participation_forms()["d min_incentive_registry / d R0"]
    values = dict(zip([str(x) for x in PARTICIPATION_SYMBOLS], PART_CASES[0]))
    assert float(d.subs({sym: values[str(sym)] for sym in PARTICIPATION_SYMBOLS})) > 0


# --- M3: credibility ------------------------------------------------------------------------


def test_credibility_form_matches_the_commitment_model():
    cred = lambdify_forms(credibility_forms(), CREDIBILITY_SYMBOLS)
    model = cg.CommitmentModel(
        capacity=[2.0, 1.0],
        bond=[1.0, 0.0],
        liability=0.5,
        incentive=0.2,
        share=0.1,
        response_benefit=5.0,
        response_cost_median=2.0,
        response_cost_sigma=0.5,
        discount=0.8,
        trigger_prob=0.1,
    )
    rent = model.rent()
    for i, bond in enumerate([1.0, 0.0]):
        args = (bond, 0.5, 0.1, 5.0, 0.8, rent[i], 2.0, 0.5, 0.9)
        assert math.isclose(cred["credibility"](*args), model.credibility()[i], rel_tol=1e-12)


@pytest.mark.parametrize("target", [0.1, 0.5, 0.9, 0.99])
def test_bond_for_credibility_buys_the_target(target):
    cred = lambdify_forms(credibility_forms(), CREDIBILITY_SYMBOLS)
    args = [0.0, 0.5, 0.1, 5.0, 0.0, 0.0, 3.0, 0.7, target]
    args[0] = cred["bond_for_credibility"](*args)
    stake = args[0] + 0.5 + 0.1 * 5.0
    # Independently: P(lognormal cost ≤ stake) with scipy's lognormal.
    assert math.isclose(stats.lognorm(s=0.7, scale=3.0).cdf(stake), target, rel_tol=1e-10)
    assert math.isclose(cred["credibility"](*args), target, rel_tol=1e-10)


def test_more_dispersed_costs_need_a_bigger_bond_above_one_half():
    d = lambdify_forms(credibility_forms(), CREDIBILITY_SYMBOLS)["d bond_for_credibility / d sigma"]
    assert d(0.0, 0.0, 0.1, 1.0, 0.0, 0.0, 2.0, 0.5, 0.9) > 0
    assert d(0.0, 0.0, 0.1, 1.0, 0.0, 0.0, 2.0, 0.5, 0.2) < 0
