"""Instruments: zero size is the identity, transfers equal fiscal cost, validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.analysis.compare import evaluate_design
from strategies import floats

ZERO = [
    cg.PerformanceBond(amount=0.0),
    cg.ProcurementPreference(margin=0.0, volume=10.0),
    cg.ComputeAccess(units=0.0),
    cg.RegulatoryFlexibility(relief=0.0),
    cg.LiabilityInsurance(premium=3.0, discount=0.0),
    cg.MatchingSubsidy(rate=0.0),
    cg.Audit(prob=0.0, fine=5.0, cost=1.0),
    cg.AssuranceRefund(threshold=0.0, bonus=1.0),
]


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default(declared_unit_rate=0.1)


def _same_model(a, b):
    for part in ("participation", "commitment", "preparedness"):
        x, y = getattr(a, part), getattr(b, part)
        for name in ("cost", "incentive", "bond", "capacity", "share", "cost_share"):
            if hasattr(x, name):
                np.testing.assert_array_equal(getattr(x, name), getattr(y, name), err_msg=name)
        for name in ("prob", "harm", "carry_rate", "discount"):
            if hasattr(x, name):
                assert getattr(x, name) == getattr(y, name), name
    assert (a.audit_prob, a.fine) == (b.audit_prob, b.fine)
    np.testing.assert_array_equal(a.relief, b.relief)


@pytest.mark.parametrize("instrument", ZERO, ids=lambda i: type(i).__name__)
def test_zero_size_instrument_changes_nothing(model, instrument):
    applied = instrument.apply(model)
    _same_model(applied, model)
    base = evaluate_design(model, cg.Design("baseline"))
    with_it = evaluate_design(model, cg.Design("zero", [instrument]))
    assert with_it.worst == base.worst and with_it.best == base.best


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(prob=floats(0.02, 0.5), cost_scale=floats(0.3, 3.0), k=st.integers(0, 7))
def test_zero_size_is_identity_on_random_models(prob, cost_scale, k):
    base = cg.PolicyModel.default()
    model = base.set("preparedness.prob", prob).scale("actors.*.registry.join_cost", cost_scale)
    instrument = ZERO[k]
    a = evaluate_design(model, cg.Design("zero", [instrument]))
    b = evaluate_design(model, cg.Design("baseline"))
    assert a.worst == b.worst and a.best == b.best


def test_transfers_equal_fiscal_cost(model):
    rng = np.random.default_rng(0)
    joined = rng.random(model.n_actors) < 0.6
    for inst in (
        cg.ProcurementPreference(margin=0.2, volume=5.0, win_prob=0.4),
        cg.MatchingSubsidy(rate=0.5, unit_cost=0.2),
    ):
        paid = float(np.sum(joined * inst.value_to_actors(model)))
        assert inst.fiscal_cost(model, joined) == pytest.approx(paid, rel=1e-12)
        assert inst.deadweight(model, joined) == 0.0
        # The transfer reaches the filers as incentives I_i, in both M2 and M3.
        applied = inst.apply(model)
        np.testing.assert_allclose(
            applied.participation.incentive - model.participation.incentive,
            inst.value_to_actors(model),
        )
        np.testing.assert_allclose(
            applied.commitment.incentive - model.commitment.incentive, inst.value_to_actors(model)
        )
    compute = cg.ComputeAccess(units=2.0, discount=0.5)
    value = float(np.sum(joined * compute.value_to_actors(model)))
    assert compute.fiscal_cost(model, joined) == pytest.approx(
        value + compute.deadweight(model, joined), rel=1e-12
    )
    # Worth more to a developer than to civil society.
    v = compute.value_to_actors(model)
    roles = np.array(model.roles)
    assert v[roles == "ai_developer"].min() > v[roles == "civil_society"].max()


def test_bond_raises_credibility_and_joining_cost(model):
    bonded = cg.PerformanceBond(amount=2.0).apply(model)
    assert np.all(bonded.commitment.credibility() > model.commitment.credibility())
    assert np.all(bonded.commitment.ex_ante_cost() > model.commitment.ex_ante_cost())
    assert cg.PerformanceBond(amount=2.0).fiscal_cost(bonded, np.ones(58, bool)) == 0.0


def test_matching_subsidy_in_preparedness_game(model):
    applied = cg.MatchingSubsidy(rate=1.0).apply(model)
    game = applied.preparedness
    eq = cg.solve(game)[0]
    # Equal to solving the game with halved (private) costs, whose welfare uses full costs.
    halved = cg.solve(model.preparedness.replace(cost=model.preparedness.cost / 2))[0]
    np.testing.assert_allclose(eq.investment, halved.investment, rtol=1e-10)
    assert float(np.sum(game.transfers(eq.investment))) == pytest.approx(
        float(np.sum(model.preparedness.costs(eq.investment))) / 2
    )
    assert eq.robustness > cg.solve(model.preparedness)[0].robustness


def test_audit_shrinks_overstated_coverage(model):
    joined = np.ones(model.n_actors, bool)
    from coordgap.analysis.compare import outcome_metrics

    none = outcome_metrics(model, cg.Design("b"), joined)
    audited_model = cg.Audit(prob=0.5, fine=2.0, cost=0.1).apply(model)
    audited = outcome_metrics(
        audited_model, cg.Design("a", [cg.Audit(prob=0.5, fine=2.0, cost=0.1)]), joined
    )
    assert none["declared_coverage"] > audited["declared_coverage"] > audited["credible_coverage"]
    # α/(2aφ) = 0.1/(2·0.5·2) = 0.05 per filer; fiscal cost a·filers·cost for the audits plus
    # α·(q_i + 0.05) paid for each filer's declared capacity (52 capacity units in all).
    assert cg.instruments.audit.inflation(audited_model) == pytest.approx(0.05)
    assert audited["fiscal_cost"] == pytest.approx(0.5 * 58 * 0.1 + 0.1 * (52.0 + 58 * 0.05))
    assert audited["programme_cost"] == pytest.approx(0.5 * 58 * 0.1)


def test_regulatory_flexibility_risk_cost(model):
    flex = cg.RegulatoryFlexibility(relief=0.5, risk_increase=0.2).apply(model)
    assert flex.participation.prob == pytest.approx(model.participation.prob * 1.2)
    assert flex.preparedness.prob == pytest.approx(model.preparedness.prob * 1.2)
    assert np.all(flex.relief == 0.5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: cg.PerformanceBond(amount=-1.0), "amount"),
        (lambda: cg.ProcurementPreference(margin=0.1, volume=1.0, win_prob=1.5), "win_prob"),
        (lambda: cg.Audit(prob=np.nan), "prob"),
        (lambda: cg.ComputeAccess(units=1.0, discount=2.0), "discount"),
        (lambda: cg.PerformanceBond(per="actor"), "Did you mean 'capacity'|Valid choices"),
        (lambda: cg.ComputeAccess(role_value={"ai_developer": 3.0}), "role_value"),
        (lambda: cg.PerformanceBond(amount=1.0).with_level(2.0, "amout"), "Did you mean 'amount'"),
        (
            lambda: cg.PerformanceBond(amount=1.0, roles=["ai_devloper"]).apply(
                cg.PolicyModel.default()
            ),
            "Did you mean 'ai_developer'",
        ),
        (lambda: cg.Design("x", [object()]), "instruments"),
    ],
)
def test_bad_instrument_input(make, match):
    with pytest.raises(cg.InvalidParameterError, match=match):
        make()
