"""Comparison, critical levels, robustness and design sweeps on the default policy model."""

import concurrent.futures as cf

import numpy as np
import pytest
from scipy import stats

import coordgap as cg
from coordgap.analysis.compare import evaluate_design, pareto_front
from coordgap.analysis.montecarlo import DesignMetrics

PROCUREMENT = cg.ProcurementPreference(margin=0.1, volume=10.0, win_prob=0.5)


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default()


def test_compare_table_has_every_metric_for_both_equilibria(model):
    res = cg.compare(model, [cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
                             cg.Design("procurement", [PROCUREMENT])])
    frame = res.to_frame()
    assert list(frame.index) == ["baseline", "bond", "procurement"]
    for metric in ("participation", "coverage", "robustness", "residual_harm",
                   "credible_coverage", "welfare", "fiscal_cost", "harm_averted_per_fiscal"):
        for side in ("worst", "best"):
            assert f"{metric}_{side}" in frame.columns
    assert {"full_participation_unique", "readout", "pareto"} <= set(frame.columns)
    assert all(isinstance(r, str) and "fiscal cost" in r for r in res.readouts)
    # The seeds' claim: without incentives coordination can fail (the least equilibrium is empty).
    assert frame.loc["baseline", "participation_worst"] == 0
    assert frame.loc["baseline", "participation_best"] > 0
    # Procurement pays filers: positive fiscal cost, higher worst-case participation.
    assert frame.loc["procurement", "fiscal_cost_worst"] > 0
    assert frame.loc["procurement", "participation_worst"] > 0


def test_metrics_from_definitions(model):
    """Recompute one outcome's metrics by hand from the models' definitions."""
    design = cg.Design("p", [PROCUREMENT])
    outcome = evaluate_design(model, design)
    applied = design.apply(model)
    game = applied.commitment.participation_game(applied.participation)
    joined = cg.solve(game).least.joined
    # Every joiner gains from staying, every other actor from staying out (independent check).
    gains = game.gains(joined)
    assert np.all(gains[joined] >= -1e-12) and np.all(gains[~joined] <= 1e-12)
    c = applied.commitment.credibility()
    q = applied.participation.capacity
    assert outcome.worst["credible_coverage"] == pytest.approx(
        np.sum(joined * q * c) / applied.commitment.required)
    r = np.sum(joined * applied.participation.weight * q * c)
    harm = 0.1 * 10000 * (1 - (1 - np.exp(-0.05 * r)) * applied.participation.curve(joined.sum()))
    assert outcome.worst["residual_harm"] == pytest.approx(harm)
    assert outcome.worst["fiscal_cost"] == pytest.approx(0.5 * joined.sum())


def test_more_incentive_never_lowers_greatest_participation(model):
    counts = [evaluate_design(model, cg.Design("p", [PROCUREMENT.with_level(m)])
                              ).best["participation"] for m in np.linspace(0, 0.3, 7)]
    assert all(b >= a for a, b in zip(counts, counts[1:]))


def test_pareto_front_matches_brute_force():
    rng = np.random.default_rng(3)
    cost, value = rng.integers(0, 5, 40).astype(float), rng.integers(0, 5, 40).astype(float)
    mask = pareto_front(cost, value)
    for i in range(40):
        dominated = any((cost[j] <= cost[i] and value[j] >= value[i])
                        and (cost[j] < cost[i] or value[j] > value[i]) for j in range(40))
        assert mask[i] == (not dominated)


def test_critical_level_certified_and_matches_a_scan(model):
    res = cg.critical_level(model, PROCUREMENT, "margin", ("participation", 50), tol=1e-5)
    assert res.reachable and res.holds_at_level and res.fails_below
    # Independent scan on a fine grid: the first margin reaching 50 filers.
    grid = np.linspace(0.0, 0.2, 401)
    first = next(m for m in grid if evaluate_design(
        model, cg.Design("p", [PROCUREMENT.with_level(m)])).worst["participation"] >= 50)
    assert first - (grid[1] - grid[0]) <= res.level <= first + 1e-5


def test_critical_level_unreachable_is_reported_not_endless(model):
    res = cg.critical_level(model, cg.PerformanceBond(), None, ("credible_coverage", 0.999),
                            max_level=100.0)
    assert not res.reachable and not res.success and res.status == 2
    assert "not reached" in res.message
    assert res.evaluations < 60


def test_critical_bond_for_credible_coverage(model):
    res = cg.critical_level(model, cg.PerformanceBond(), None,
                            ("credible_coverage", 0.3, "best"), max_level=50.0, tol=1e-4)
    assert res.reachable and res.fails_below
    assert res.metric_at_level >= 0.3 > res.metric_below


def test_bad_targets(model):
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'credible_coverage'"):
        cg.critical_level(model, PROCUREMENT, "margin", ("credible_coverag", 0.5))
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'margin'"):
        cg.critical_level(model, PROCUREMENT, "margn")
    with pytest.raises(cg.InvalidParameterError, match="max_level"):
        cg.critical_level(model, PROCUREMENT, "margin", max_level=-1.0)


def test_credible_coverage_has_an_interior_optimum_in_the_bond(model):
    metrics = DesignMetrics(model, cg.Design("bond", [cg.PerformanceBond()]))
    res = cg.sweep(metrics, {"PerformanceBond.amount": np.linspace(0, 6, 13)},
                   metrics=["credible_coverage_best"])
    cc = res.frame["credible_coverage_best"].to_numpy()
    k = int(np.argmax(cc))
    assert 0 < k < len(cc) - 1  # rises, then falls


def test_design_sweep_identical_across_executors(model):
    metrics = DesignMetrics(model, cg.Design("bond", [cg.PerformanceBond()]))
    grid = {"PerformanceBond.amount": [0.0, 1.0, 3.0], "participation.prob": [0.08, 0.12]}
    local = cg.sweep(metrics, grid).frame
    with cf.ProcessPoolExecutor(2) as pool:
        pooled = cg.sweep(metrics, grid, executor=pool).frame
    np.testing.assert_array_equal(local.to_numpy(dtype=float), pooled.to_numpy(dtype=float))


def test_robustness_is_deterministic_and_independent_of_workers(model):
    designs = [cg.Design("baseline"), cg.Design("procurement", [PROCUREMENT])]
    dists = {"participation.prob": stats.uniform(0.05, 0.1),
             "participation.cost": stats.lognorm(0.3)}
    a = cg.robustness(model, designs, dists, n=12, rng=5, block=5,
                      target=("credible_coverage", 0.5))
    with cf.ThreadPoolExecutor(2) as pool:
        b = cg.robustness(model, designs, dists, n=12, rng=5, block=5, executor=pool,
                          target=("credible_coverage", 0.5))
    np.testing.assert_array_equal(a.draws.select_dtypes("number").to_numpy(),
                                  b.draws.select_dtypes("number").to_numpy())
    assert a.table.loc["procurement", "p_target"] >= a.table.loc["baseline", "p_target"]
    with pytest.raises(cg.InvalidParameterError, match="Did you mean"):
        cg.robustness(model, designs, {"participation.porb": stats.uniform()}, n=2)
