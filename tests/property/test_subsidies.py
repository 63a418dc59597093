"""Optimal M1 subsidies against independent computations: the planner's optimum, the
planner's first-order conditions, and a grid search over a uniform rate."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policy_properties import SETTINGS

import coordgap as cg
from coordgap.analysis.subsidies import first_best_subsidy, lindahl_prices, second_best_subsidy
from strategies import floats


def _game(data):
    n = data.draw(st.integers(1, 5))
    share = np.array([data.draw(floats(0.05, 1.0)) for _ in range(n)])
    share = share / share.sum() * data.draw(floats(0.2, 0.95))
    aggregator = data.draw(st.sampled_from(("sum", "ces")))
    return cg.PreparednessGame(
        share=share,
        cost=np.array([data.draw(floats(0.2, 5.0)) for _ in range(n)]),
        weight=np.array([data.draw(floats(0.5, 2.0)) for _ in range(n)]),
        prob=data.draw(floats(0.1, 1.0)),
        harm=data.draw(floats(10.0, 500.0)),
        efficacy=data.draw(floats(0.05, 1.0)),
        cost_exponent=data.draw(floats(1.5, 3.0)),
        aggregator=aggregator,
        ces_rho=data.draw(floats(0.3, 0.9)) if aggregator == "ces" else 0.5,
    )


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_first_best_rates_reproduce_the_social_optimum(data):
    game = _game(data)
    fb = first_best_subsidy(game)
    best = cg.optimum(game)
    assert fb.rates == pytest.approx(1.0 / game.share - 1.0)
    assert fb.robustness == pytest.approx(best.robustness, rel=1e-7, abs=1e-9)
    assert fb.investment == pytest.approx(best.investment, rel=1e-6, abs=1e-8)
    assert fb.welfare == pytest.approx(best.welfare, rel=1e-9, abs=1e-9)  # λ = 0
    assert fb.welfare >= fb.welfare_no_subsidy - 1e-9 * abs(fb.welfare)
    # The fiscal cost is what the purse pays: (1 − s_i) of each actor's cost.
    costs = game.costs(best.investment)
    assert fb.fiscal_cost == pytest.approx(float(np.sum((1 - game.share) * costs)), rel=1e-6)


@settings(max_examples=25, **SETTINGS)
@given(st.data())
def test_lindahl_prices_sum_to_the_marginal_cost_at_the_optimum(data):
    game = _game(data).replace(aggregator="sum")
    lp = lindahl_prices(game)
    best = cg.optimum(game)
    # The planner's first-order condition for an active actor: c_i·x_i^(γ−1) = w_i·B'(R*).
    active = best.investment > 1e-9
    marginal_cost = game.cost * best.investment ** (game.cost_exponent - 1) / game.weight
    assert marginal_cost[active] == pytest.approx(lp.marginal_benefit, rel=1e-6)
    assert lp.prices.sum() + lp.public_price == pytest.approx(lp.marginal_benefit, rel=1e-12)


def test_second_best_without_a_binding_budget_is_the_first_best():
    game = cg.PreparednessGame(
        share=[0.1, 0.25, 0.4], cost=[1.0, 2.0, 0.5], prob=0.5, harm=200.0, cost_exponent=2.0
    )
    sb = second_best_subsidy(game, budget=1e9, groups="actor")
    assert sb.welfare == pytest.approx(sb.welfare_first_best, rel=1e-7)


def test_second_best_uniform_rate_agrees_with_a_grid_search():
    model = cg.load_model().policy_model()
    game, lam = model.preparedness, model.public_funds_cost
    budget = 30.0
    sb = second_best_subsidy(model, budget, groups="all")
    best = -np.inf
    for rate in np.linspace(0.0, 10.0, 401):
        shares = np.full(game.share.size, 1.0 / (1.0 + rate))
        paid = game.replace(cost_share=shares)
        eq = min(cg.solve(paid), key=lambda e: e.robustness)
        fiscal = float(np.sum(paid.transfers(eq.investment)))
        if fiscal <= budget:
            best = max(best, float(game.welfare(eq.investment)) - lam * fiscal)
    assert sb.feasible and sb.fiscal_cost <= budget * (1 + 1e-9)
    assert sb.welfare >= best - 1e-6 * abs(best)  # at least as good as the grid
    assert sb.welfare <= best + 1e-3 * abs(best)  # and the grid is fine enough to come close


def test_second_best_welfare_rises_with_the_budget():
    model = cg.load_model().policy_model()
    welfare = [second_best_subsidy(model, b).welfare for b in (0.0, 10.0, 40.0, 160.0)]
    assert all(b >= a - 1e-6 * abs(a) for a, b in zip(welfare, welfare[1:]))
    assert welfare[0] == pytest.approx(second_best_subsidy(model, 0.0).welfare_no_subsidy)


def test_bad_input_is_refused():
    model = cg.load_model().policy_model()
    with pytest.raises(cg.InvalidParameterError, match="budget"):
        second_best_subsidy(model, -1.0)
    with pytest.raises(cg.InvalidParameterError, match="groups"):
        second_best_subsidy(model, 1.0, groups="sector")
    with pytest.raises(cg.InvalidParameterError, match="target"):
        first_best_subsidy(cg.ParticipationGame.default())
