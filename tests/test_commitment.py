"""Commitment credibility (M3), the bond trade-off and performative compliance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import integrate, optimize, stats

import coordgap as cg
from coordgap.analysis.compare import evaluate_design
from reference import membership_rent
from strategies import floats


def small_model(**changes):
    kwargs = dict(
        capacity=[2.0, 1.0, 0.5],
        bond=[1.0, 0.0, 0.3],
        liability=[0.5, 0.2, 0.0],
        incentive=[0.2, 0.1, 0.05],
        share=[0.1, 0.05, 0.02],
        response_benefit=[5.0, 4.0, 1.0],
        response_cost_median=[2.0, 1.0, 0.4],
        response_cost_sigma=[0.5, 1.0, 0.8],
        discount=0.8,
        carry_rate=0.1,
        trigger_prob=0.3,
    )
    kwargs.update(changes)
    return cg.CommitmentModel(**kwargs)


def _rent_by_value_iteration(m, rounds=400):
    dists = [
        stats.lognorm(s=sg, scale=med)
        for sg, med in zip(m.response_cost_sigma, m.response_cost_median)
    ]
    return membership_rent(
        m.incentive - m.join_cost - m.carry_rate * m.bond,
        m.bond + m.liability + m.share * m.response_benefit,
        m.bond + m.liability,
        m.discount,
        m.trigger_prob,
        dists,
        rounds,
    )


@pytest.mark.slow
def test_stake_formula():
    m = small_model()
    base = (
        np.array([1.0, 0.0, 0.3]) + [0.5, 0.2, 0.0] + np.array([0.1, 0.05, 0.02]) * [5.0, 4.0, 1.0]
    )
    np.testing.assert_allclose(m.base_stake(), base, rtol=1e-15)
    rent = _rent_by_value_iteration(m, rounds=120)
    np.testing.assert_allclose(m.rent(), rent, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(m.stake(), base + 0.8 * rent, rtol=1e-9)


def test_membership_rent():
    # Incentives that exceed the costs of membership give a positive rent, and more incentive
    # a larger rent (hence more credibility); a member whose costs exceed its incentives has
    # none (it could leave), so its stake is b + L + s·ΔB.
    m = small_model(incentive=[2.0, 1.0, 0.5], trigger_prob=0.05)
    assert np.all(m.rent() > 0)
    richer = m.replace(incentive=m.incentive + 0.5)
    assert np.all(richer.rent() > m.rent())
    assert np.all(richer.credibility() >= m.credibility())
    poor = small_model(join_cost=5.0)
    np.testing.assert_array_equal(poor.rent(), 0.0)
    np.testing.assert_allclose(poor.stake(), poor.base_stake(), rtol=0)
    # No future (δ = 0): no rent whatever the incentives.
    np.testing.assert_array_equal(small_model(discount=0.0, incentive=9.0).rent(), 0.0)


def test_credibility_matches_lognormal_cdf():
    m = small_model()
    dists = [stats.lognorm(s=sg, scale=med) for sg, med in zip([0.5, 1.0, 0.8], [2.0, 1.0, 0.4])]
    expected = [d.cdf(s) for d, s in zip(dists, m.stake())]
    np.testing.assert_allclose(m.credibility(), expected, rtol=1e-12)
    cov = np.sum(m.capacity * np.array(expected)) / m.capacity.sum()
    assert m.credible_coverage() == pytest.approx(cov, rel=1e-12)


@pytest.mark.slow
def test_credibility_with_any_frozen_distribution():
    dist = stats.gamma(a=2.0, scale=0.7)
    m = small_model(response_cost=dist)
    np.testing.assert_allclose(m.credibility(), dist.cdf(m.stake()), rtol=1e-12)
    per_actor = [stats.expon(scale=1.0), stats.uniform(0, 3.0), stats.gamma(a=3.0)]
    m2 = small_model(response_cost=per_actor)
    np.testing.assert_allclose(
        m2.credibility(), [d.cdf(s) for d, s in zip(per_actor, m2.stake())], rtol=1e-12
    )


@pytest.mark.slow
def test_expected_ex_post_cost_closed_forms():
    # Lognormal: against direct numerical integration of E[min(A, S)] = ∫ min(a, S) f(a) da.
    m = small_model()
    for i, (med, sg, s) in enumerate(zip([2.0, 1.0, 0.4], [0.5, 1.0, 0.8], m.stake())):
        d = stats.lognorm(s=sg, scale=med)
        direct = integrate.quad(lambda a: a * d.pdf(a), 0, s)[0] + s * d.sf(s)
        assert m.expected_ex_post_cost()[i] == pytest.approx(direct, rel=1e-9)
    # Exponential(λ): E[min(A, S)] = (1 − e^{−λS})/λ.
    lam = 1.5
    m2 = small_model(response_cost=stats.expon(scale=1 / lam))
    np.testing.assert_allclose(
        m2.expected_ex_post_cost(), (1 - np.exp(-lam * m2.stake())) / lam, rtol=1e-8
    )


def test_ex_ante_cost_links_m2_and_m3():
    m = small_model()
    # At the participation margin (no rent): the cash cost of honouring or defecting at the
    # stake S⁰ = b + L + s·ΔB, by direct integration; incentives do not enter.
    s0 = m.base_stake()
    cash = []
    for med, sg, s, b, L in zip([2.0, 1.0, 0.4], [0.5, 1.0, 0.8], s0, m.bond, m.liability):
        d = stats.lognorm(s=sg, scale=med)
        cash.append(integrate.quad(lambda a: a * d.pdf(a), 0, s)[0] + (b + L) * d.sf(s))
    expected = 0.1 * m.bond + 0.3 * np.array(cash)
    np.testing.assert_allclose(m.ex_ante_cost(), expected, rtol=1e-9)
    np.testing.assert_allclose(
        small_model(incentive=[5.0, 5.0, 5.0]).ex_ante_cost(), expected, rtol=1e-12
    )
    game = cg.ParticipationGame(share=[0.1, 0.05, 0.02], cost=[0.5, 0.4, 0.1])
    linked = m.participation_game(game)
    np.testing.assert_allclose(linked.cost, game.cost + m.ex_ante_cost(), rtol=1e-15)
    with pytest.raises(cg.InvalidParameterError, match="3 actors"):
        m.participation_game(cg.ParticipationGame(share=0.1, cost=0.1, n_actors=2))


@pytest.mark.slow
def test_monte_carlo_matches_closed_form_and_is_seeded():
    m = small_model()
    d = m.simulate(40_000, rng=123)
    se = d.std / np.sqrt(d.n_draws)
    assert abs(d.mean - d.expected) < 5 * se
    np.testing.assert_allclose(d.honour_rate, m.credibility(), atol=0.015)
    again = m.simulate(40_000, rng=123)
    np.testing.assert_array_equal(d.samples, again.samples)
    other = small_model(response_cost=stats.gamma(a=2.0, scale=0.7)).simulate(20_000, rng=5)
    assert abs(other.mean - other.expected) < 5 * other.std / np.sqrt(other.n_draws)
    # Support of coverage: sums of subsets of joined capacity over required capacity.
    assert d.samples.min() >= 0 and d.samples.max() <= 1 + 1e-12


def test_joined_restricts_coverage():
    m = small_model(joined=np.array([True, False, True]))
    c = m.credibility()
    assert m.credible_coverage() == pytest.approx((2.0 * c[0] + 0.5 * c[2]) / 3.5, rel=1e-12)


# -- properties -----------------------------------------------------------------------------
@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(floats(0.0, 20.0), floats(0.0, 20.0), floats(0.05, 3.0), floats(0.0, 0.95), floats(0.0, 1.0))
def test_credibility_non_decreasing_in_bond(b1, b2, sigma, delta, r_share):
    """Credibility rises with the bond whenever δ·r ≤ 1 − δ (docs/policy-model.md)."""
    lo, hi = min(b1, b2), max(b1, b2)
    carry = r_share * min(1.0, (1.0 - delta) / delta) if delta > 0 else r_share
    m = small_model(response_cost_sigma=sigma, discount=delta, carry_rate=carry)
    c_lo, c_hi = m.with_bond(lo).credibility(), m.with_bond(hi).credibility()
    assert np.all(c_hi >= c_lo)
    assert m.with_bond(hi).credible_coverage() >= m.with_bond(lo).credible_coverage()


@pytest.mark.parametrize(
    ("delta", "carry"), [(0.9375, 0.1), (0.95, 0.5), (0.8, 0.1), (0.5, 0.3), (0.9, 0.2)]
)
def test_stake_slope_in_the_bond_is_the_closed_form(delta, carry):
    """dS/db = (1 − δ − δr)/(1 − δ(1 − p + pF(S)) + pδ·f(S)·sΔB) for members with a positive
    rent: the stake falls with the bond exactly when δ·r > 1 − δ. Central differences of the
    model's stake against the closed form, with F and f from scipy's lognormal."""
    m = small_model(discount=delta, carry_rate=carry, incentive=[1.5, 1.2, 0.8])
    h = 1e-5
    up, down = m.with_bond(h).stake(), m.with_bond(0.0).stake()
    base = m.with_bond(h / 2)
    assert np.all(base.rent() > 0)
    s = base.stake()
    p = base.trigger_prob
    dist = stats.lognorm(s=base.response_cost_sigma, scale=base.response_cost_median)
    e = base.share * base.response_benefit
    slope = (1 - delta - delta * carry) / (
        1 - delta * (1 - p + p * dist.cdf(s)) + p * delta * dist.pdf(s) * e
    )
    np.testing.assert_allclose((up - down) / h, slope, rtol=1e-4, atol=1e-7)
    assert np.all(np.sign(slope) == np.sign(1 - delta - delta * carry))


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(floats(0.0, 5.0), floats(0.0, 0.95), floats(0.0, 1.0))
def test_zero_bond_changes_nothing(base_bond, delta, carry):
    m = small_model(bond=base_bond, discount=delta, carry_rate=carry)
    same = m.with_bond(0.0)
    for attr in ("stake", "credibility", "expected_ex_post_cost", "ex_ante_cost"):
        np.testing.assert_array_equal(getattr(same, attr)(), getattr(m, attr)())
    assert same.credible_coverage() == m.credible_coverage()


def test_zero_bond_point_of_the_curve_is_the_model_without_bond():
    model = cg.PolicyModel.default()
    curve = cg.optimal_bond(model, bonds=[0.0, 0.5], refine=0, equilibrium="best")
    base = evaluate_design(model, cg.Design("baseline"))
    assert curve.credible_coverage[0] == pytest.approx(base.best["credible_coverage"], rel=1e-12)
    assert curve.welfare[0] == pytest.approx(base.best["welfare"], rel=1e-12)
    # The compatibility form (a ParticipationGame and a CommitmentModel) gives the same curve.
    old = cg.optimal_bond(
        model.participation,
        model.commitment.replace(join_cost=0.0, incentive=0.0),
        bonds=[0.0],
        refine=0,
        equilibrium="best",
    )
    assert old.participation[0] >= 0


# -- the seeds' claim on the default calibration ----------------------------------------------
@pytest.mark.slow
def test_default_bond_raises_credibility_but_costs_participation():
    model = cg.PolicyModel.default()
    curve = cg.optimal_bond(model, equilibrium="best", objective="credible_coverage")
    assert np.all(np.diff(curve.credibility) >= -1e-12)  # credibility rises with the bond
    assert curve.credibility[-1] > curve.credibility[0] + 0.1
    assert curve.optimal_credible_coverage > curve.credible_coverage[0]
    assert curve.participation.min() < curve.participation[0]  # the bond deters joining
    i = int(np.argmax(curve.credible_coverage))
    assert curve.optimal_bond == curve.bonds[i]
    # The reported collapse is real: fewer filers at the collapse bond than at the optimum,
    # and the margin is measured from the optimum.
    if np.isfinite(curve.collapse_bond):
        at = evaluate_design(
            model, cg.Design("b", [cg.PerformanceBond(amount=curve.collapse_bond)])
        ).best["participation"]
        assert at < curve.participation[i]
        assert curve.collapse_margin == pytest.approx(
            abs(curve.collapse_bond - curve.optimal_bond) / curve.optimal_bond
        )


def test_optimal_bond_maximizes_welfare_in_the_worst_equilibrium_by_default():
    model = cg.PolicyModel.default()
    curve = cg.optimal_bond(model, bonds=np.linspace(0, 3, 7), refine=0)
    assert curve.objective == "welfare" and curve.equilibrium == "worst"
    assert curve.optimal_value == pytest.approx(curve.welfare.max())
    for b, w in zip(curve.bonds, curve.welfare):
        direct = evaluate_design(model, cg.Design("b", [cg.PerformanceBond(amount=b)]))
        assert w == pytest.approx(direct.worst["welfare"], rel=1e-12)


# -- performative compliance ----------------------------------------------------------------
@pytest.mark.parametrize("alpha, a, phi", [(0.2, 0.5, 2.0), (1.0, 0.1, 0.3), (0.05, 1.0, 10.0)])
def test_inflation_closed_form_is_the_optimum(alpha, a, phi):
    q = 3.0
    res = optimize.minimize_scalar(
        lambda qh: -(alpha * qh - a * phi * (qh - q) ** 2),
        bounds=(q, q + 100),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert cg.declared_inflation(alpha, a, phi) == pytest.approx(res.x - q, abs=1e-6)


def test_audits_shrink_the_gap_between_declared_and_true_coverage():
    m = small_model()
    audits = np.array([0.05, 0.1, 0.3, 1.0])
    r = cg.performative_compliance(m, rate=0.2, audit_prob=audits, fine=2.0, audit_cost=0.01)
    np.testing.assert_allclose(r.inflation, 0.2 / (2 * audits * 2.0))
    np.testing.assert_allclose(r.rent, 0.2**2 / (4 * audits * 2.0))
    assert r.true_coverage == pytest.approx(m.credible_coverage())
    assert np.all(np.diff(r.overstatement) < 0) and np.all(r.overstatement > 0)
    expected = (np.sum(m.capacity * m.credibility()) + r.inflation * m.credibility().sum()) / 3.5
    np.testing.assert_allclose(r.declared_coverage, expected, rtol=1e-12)
    np.testing.assert_allclose(r.fiscal_cost, audits * 3 * 0.01)


# -- invalid input --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, name",
    [
        (dict(discount=1.0), "discount"),
        (dict(discount=-0.1), "discount"),
        (dict(discount=np.nan), "discount"),
        (dict(capacity=[-1.0, 1.0, 1.0]), "capacity"),
        (dict(capacity=-1.0), "capacity"),
        (dict(bond=[np.inf, 0.0, 0.0]), "bond"),
        (dict(share=[0.0, 0.1, 0.1]), "share"),
        (dict(share=1.5), "share"),
        (dict(response_cost_sigma=0.0), "response_cost_sigma"),
        (dict(trigger_prob=1.5), "trigger_prob"),
        (dict(response_cost="lognormal"), "response_cost"),
        (dict(response_cost=[stats.expon(), stats.expon()]), "response_cost"),
        (dict(joined=[True, False]), "joined"),
    ],
)
def test_invalid_parameters(changes, name):
    with pytest.raises(cg.InvalidParameterError, match=f"'{name}' parameter of CommitmentModel"):
        small_model(**changes)


def test_invalid_compliance_and_bond_arguments():
    m = small_model()
    with pytest.raises(cg.InvalidParameterError, match="'audit_prob'"):
        cg.performative_compliance(m, rate=0.1, audit_prob=0.0, fine=1.0)
    with pytest.raises(cg.InvalidParameterError, match="'fine'"):
        cg.performative_compliance(m, rate=0.1, audit_prob=0.5, fine=np.nan)
    model = cg.PolicyModel.default()
    with pytest.raises(cg.InvalidParameterError, match="'bonds'"):
        cg.optimal_bond(model, bonds=[0.0, -1.0])
    with pytest.raises(cg.InvalidParameterError, match="'equilibrium'"):
        cg.optimal_bond(model, equilibrium="median")
    with pytest.raises(cg.InvalidParameterError, match="'objective'"):
        cg.optimal_bond(model, objective="coverage")
    with pytest.raises(cg.InvalidParameterError, match="'n_draws'"):
        m.simulate(0)
