"""Assurance contracts (refund below a threshold) in the participation game and as an instrument."""

import itertools

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design


def _brute_force(game):
    profiles = np.array(list(itertools.product([False, True], repeat=game.n_actors)))
    return [p for p in profiles if game.regrets(p).max() <= 1e-12]


def _random_games(n_games, seed):
    rng = np.random.default_rng(seed)
    for trial in range(n_games):
        n = int(rng.integers(2, 9))
        share = rng.uniform(0.02, 0.3, n)
        share = share / max(1.0, share.sum())
        yield cg.ParticipationGame(
            share=share,
            cost=rng.uniform(0, 3, n).round(1),
            capacity=rng.choice([1.0, 2.0], n) if trial % 3 else 1.0,
            prob=0.5,
            harm=50.0,
            efficacy=0.3,
            critical_mass=["none", "step", "logistic"][trial % 3],
            threshold=float(rng.integers(0, n + 1)),
            refund_threshold=float(rng.integers(0, n + 2)),
            refund_bonus=float(rng.choice([0.0, 0.5])),
        )


@pytest.mark.slow
@pytest.mark.parametrize("method", ["auto", "types"])
def test_refund_games_match_brute_force(method):
    for game in _random_games(120, seed=4):
        eqs = _brute_force(game)
        res = cg.solve(game, method=method)
        assert sorted({int(p.sum()) for p in eqs}) == sorted({e.count for e in res})
        assert res.n_equilibria == len(eqs)
        assert res.max_regret <= 1e-12


def test_payoffs_follow_the_contract():
    game = cg.ParticipationGame(
        share=[0.2, 0.1],
        cost=[1.0, 0.5],
        prob=0.5,
        harm=50.0,
        efficacy=0.3,
        refund_threshold=2,
        refund_bonus=0.25,
    )
    alone = game.payoffs(np.array([True, False]))
    assert alone.tolist() == [0.25, 0.0]  # void registry: refund plus bonus, no value
    both = game.payoffs(np.array([True, True]))
    v = 0.5 * 50.0 * (1 - np.exp(-0.3 * 2))
    np.testing.assert_allclose(both, [0.2 * v - 1.0, 0.1 * v - 0.5])


def test_dominant_assurance_makes_full_participation_unique_at_no_cost():
    """Tabarrok (1998): with a bonus, joining is dominant when the contract needs everyone."""
    model = cg.PolicyModel.default()
    base = evaluate_design(model, cg.Design("baseline"))
    assert base.worst["participation"] == 0
    contract = cg.AssuranceRefund(threshold=model.n_actors, bonus=0.01)
    outcome = evaluate_design(model, cg.Design("assurance", [contract]))
    assert outcome.full_participation_unique
    assert outcome.worst["fiscal_cost"] == 0.0
    # Without a bonus, "nobody files" survives (every actor is indifferent when alone).
    weak = evaluate_design(model, cg.Design("a", [cg.AssuranceRefund(threshold=20, bonus=0.0)]))
    assert weak.worst["participation"] == 0


def test_fiscal_cost_only_when_the_threshold_fails():
    model = cg.PolicyModel.default()
    contract = cg.AssuranceRefund(threshold=10, bonus=0.5)
    few = np.zeros(model.n_actors, bool)
    few[:3] = True
    expected = float(np.sum(model.actors.join_cost[:3] + 0.5))
    assert contract.refund_cost(model, few) == pytest.approx(expected)
    many = np.ones(model.n_actors, bool)
    assert contract.refund_cost(model, many) == 0.0
    # The comparison charges the refund to the public purse when too few file.
    from coordgap.analysis.compare import outcome_metrics

    applied = contract.apply(model)
    design = cg.Design("a", [contract])
    assert outcome_metrics(applied, design, few)["fiscal_cost"] == pytest.approx(expected)


def test_bad_refund_parameters():
    with pytest.raises(cg.InvalidParameterError, match="refund_bonus"):
        cg.ParticipationGame(share=0.1, cost=1.0, n_actors=3, refund_bonus=-1.0)
    with pytest.raises(cg.InvalidParameterError, match="threshold"):
        cg.AssuranceRefund(threshold=np.inf)
