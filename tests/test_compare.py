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
    res = cg.compare(
        model,
        [
            cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
            cg.Design("procurement", [PROCUREMENT]),
        ],
    )
    frame = res.to_frame()
    assert list(frame.index) == ["baseline", "bond", "procurement"]
    for metric in (
        "participation",
        "coverage",
        "robustness",
        "residual_harm",
        "credible_coverage",
        "welfare",
        "fiscal_cost",
        "harm_averted_per_fiscal",
    ):
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


@pytest.mark.slow
def test_metrics_from_definitions(model):
    """Recompute one outcome's metrics by hand from the model's definitions."""
    from scipy import special

    design = cg.Design("p", [PROCUREMENT])
    outcome = evaluate_design(model, design)
    applied = design.apply(model)
    t = applied.actors
    joined = cg.solve(applied.game).least.joined
    # Every joiner gains from staying, every other actor from staying out (independent check).
    gains = applied.game.gains(joined)
    assert np.all(gains[joined] >= -1e-12) and np.all(gains[~joined] <= 1e-12)
    # Credibility from the stake b + L + s·ΔB + δ·W, the membership rent W found here by value
    # iteration (the package bisects): v ← π + (1 − p_τ)δv + p_τ(δvF(S) − E[A; A ≤ S] − (b+L)(1 − F(S))).
    s0 = t.bond + t.liability + t.share * t.response_benefit
    flow = 0.5 - t.join_cost
    first = [applied.roles.index(r) for r in dict.fromkeys(applied.roles)]  # one per role
    v = np.zeros(model.n_actors)
    for _ in range(90):  # a contraction of modulus <= δ = 0.8
        for i in first:
            dist = stats.lognorm(s=t.response_cost_sigma[i], scale=t.response_cost_median[i])
            s_now = s0[i] + 0.8 * v[i]
            f = dist.cdf(s_now)
            partial = dist.expect(lambda a: a, lb=0, ub=s_now)
            new = max(
                flow[i]
                + 0.95 * 0.8 * v[i]
                + 0.05 * (0.8 * v[i] * f - partial - (t.bond[i] + t.liability[i]) * (1 - f)),
                0.0,
            )
            v[np.asarray(applied.roles) == applied.roles[i]] = new
    np.testing.assert_allclose(applied.commitment.rent(), v, rtol=1e-6, atol=1e-8)
    stake = s0 + 0.8 * v
    c = special.ndtr(np.log(stake / t.response_cost_median) / t.response_cost_sigma)
    np.testing.assert_allclose(applied.commitment.credibility(), c, rtol=1e-8)
    q = t.capacity
    assert outcome.worst["credible_coverage"] == pytest.approx(np.sum(joined * q * c) / 52.0)
    # Expected residual harm over who honours: p·H·e^{−κR1}·(1 − φ·(1 − Π(1 − c(1 − e^{−κa})))).
    p, h, k = 0.1, 20000.0, 0.05
    r1 = applied.voluntary_robustness
    keep = np.prod(np.where(joined, 1 - c * (1 - np.exp(-k * t.registry_weight * q)), 1.0))
    phi = 1 / (1 + np.exp(-0.3 * (joined.sum() - 29)))
    assert outcome.worst["residual_harm"] == pytest.approx(
        p * h * np.exp(-k * r1) * (1 - phi * (1 - keep))
    )
    assert outcome.worst["fiscal_cost"] == pytest.approx(0.5 * np.sum(joined))
    # Welfare: −harm − real costs − λ·fiscal; the procurement payments are transfers.
    response = 0.05 * (
        np.exp(np.log(t.response_cost_median) + t.response_cost_sigma**2 / 2)
        * special.ndtr(
            (np.log(stake / t.response_cost_median) - t.response_cost_sigma**2)
            / t.response_cost_sigma
        )
    )
    x = applied.voluntary_investment
    real = float(np.sum(t.cost * x**2 / 2)) + float(np.sum(joined * (t.join_cost + response)))
    assert outcome.worst["welfare"] == pytest.approx(
        -outcome.worst["residual_harm"] - real - 0.3 * outcome.worst["fiscal_cost"]
    )


def test_more_incentive_never_lowers_greatest_participation(model):
    counts = [
        evaluate_design(model, cg.Design("p", [PROCUREMENT.with_level(m)])).best["participation"]
        for m in np.linspace(0, 0.3, 7)
    ]
    assert all(b >= a for a, b in zip(counts, counts[1:]))


def test_pareto_front_matches_brute_force():
    rng = np.random.default_rng(3)
    cost, value = rng.integers(0, 5, 40).astype(float), rng.integers(0, 5, 40).astype(float)
    mask = pareto_front(cost, value)
    for i in range(40):
        dominated = any(
            (cost[j] <= cost[i] and value[j] >= value[i])
            and (cost[j] < cost[i] or value[j] > value[i])
            for j in range(40)
        )
        assert mask[i] == (not dominated)


@pytest.mark.slow
def test_critical_level_certified_and_matches_a_scan(model):
    res = cg.critical_level(model, PROCUREMENT, "margin", ("participation", 50), tol=1e-5)
    assert res.reachable and res.holds_at_level and res.fails_below
    # Independent scan on a fine grid: the first margin reaching 50 filers.
    grid = np.linspace(0.0, 0.2, 401)
    first = next(
        m
        for m in grid
        if evaluate_design(model, cg.Design("p", [PROCUREMENT.with_level(m)])).worst[
            "participation"
        ]
        >= 50
    )
    assert first - (grid[1] - grid[0]) <= res.level <= first + 1e-5


@pytest.mark.slow
def test_critical_level_unreachable_is_reported_not_endless(model):
    res = cg.critical_level(
        model, cg.PerformanceBond(), None, ("credible_coverage", 0.999), max_level=100.0
    )
    assert not res.reachable and not res.success and res.status == 2
    assert "not reached" in res.message
    assert res.evaluations <= 2 * 48 + 10


@pytest.mark.slow
def test_critical_bond_for_credible_coverage(model):
    res = cg.critical_level(
        model,
        cg.PerformanceBond(),
        None,
        ("credible_coverage", 0.7, "best"),
        max_level=50.0,
        tol=1e-4,
    )
    assert res.reachable and res.fails_below
    assert res.metric_at_level >= 0.7 > res.metric_below


def test_bad_targets(model):
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'credible_coverage'"):
        cg.critical_level(model, PROCUREMENT, "margin", ("credible_coverag", 0.5))
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'margin'"):
        cg.critical_level(model, PROCUREMENT, "margn")
    with pytest.raises(cg.InvalidParameterError, match="max_level"):
        cg.critical_level(model, PROCUREMENT, "margin", max_level=-1.0)


def test_credible_coverage_has_an_interior_optimum_in_the_bond(model):
    metrics = DesignMetrics(model, cg.Design("bond", [cg.PerformanceBond()]))
    res = cg.sweep(
        metrics,
        {"PerformanceBond.amount": np.linspace(0, 6, 13)},
        metrics=["credible_coverage_best"],
    )
    cc = res.frame["credible_coverage_best"].to_numpy()
    k = int(np.argmax(cc))
    assert 0 < k < len(cc) - 1  # rises, then falls


def test_design_sweep_identical_across_executors(model):
    metrics = DesignMetrics(model, cg.Design("bond", [cg.PerformanceBond()]))
    grid = {"PerformanceBond.amount": [0.0, 1.0, 3.0], "preparedness.prob": [0.08, 0.12]}
    local = cg.sweep(metrics, grid).frame
    with cf.ProcessPoolExecutor(2) as pool:
        pooled = cg.sweep(metrics, grid, executor=pool).frame
    np.testing.assert_array_equal(local.to_numpy(dtype=float), pooled.to_numpy(dtype=float))


@pytest.mark.slow
def test_robustness_is_deterministic_and_independent_of_workers(model):
    designs = [cg.Design("baseline"), cg.Design("procurement", [PROCUREMENT])]
    dists = {
        "preparedness.prob": stats.uniform(0.05, 0.1),
        "actors.*.registry.join_cost": stats.lognorm(0.3),
    }
    scale = ["actors.*.registry.join_cost"]  # a common factor on every actor's cost
    a = cg.monte_carlo(
        model, designs, dists, n=12, rng=5, block=5, scale=scale, target=("credible_coverage", 0.5)
    )
    with cf.ThreadPoolExecutor(2) as pool:
        b = cg.monte_carlo(
            model,
            designs,
            dists,
            n=12,
            rng=5,
            block=5,
            executor=pool,
            scale=scale,
            target=("credible_coverage", 0.5),
        )
    np.testing.assert_array_equal(
        a.draws.select_dtypes("number").to_numpy(), b.draws.select_dtypes("number").to_numpy()
    )
    assert a.table.loc["procurement", "p_target"] >= a.table.loc["baseline", "p_target"]
    with pytest.raises(cg.InvalidParameterError, match="Did you mean"):
        cg.monte_carlo(model, designs, {"preparedness.porb": stats.uniform()}, n=2)


def test_default_designs_solved_the_same_by_lookup_and_recomputation():
    # The type-count solver's fast path (V of neighbouring count vectors read, not recomputed)
    # and the cached credibility give exactly the results of the direct computations.
    spec = cg.load_model()
    policy = spec.policy_model()
    for design in spec.designs:
        applied = design.apply(policy)
        fast = cg.solve(applied.game, method="types")
        slow = cg.solve(applied.game, method="types", neighbours="recompute")
        assert fast.n_equilibria == slow.n_equilibria and fast.message == slow.message
        assert (fast.complete, fast.success, fast.full_participation_unique) == (
            slow.complete,
            slow.success,
            slow.full_participation_unique,
        )
        assert [
            (e.joined.tolist(), e.free.tolist(), e.value, e.max_regret, e.kind) for e in fast
        ] == [(e.joined.tolist(), e.free.tolist(), e.value, e.max_regret, e.kind) for e in slow]
        credibility, response = applied._honouring()
        np.testing.assert_array_equal(credibility, applied.commitment.credibility())
        np.testing.assert_array_equal(response, applied.commitment.expected_response_cost())
