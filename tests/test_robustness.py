"""Robustness studies with idiosyncratic (per-actor) shocks: the assurance knife edge, the
copula, determinism, and validation."""

from __future__ import annotations

import concurrent.futures as cf

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coordgap as cg
from coordgap.analysis.compare import evaluate_design
from coordgap.analysis.montecarlo import _factors
from coordgap.errors import SpecError
from coordgap.plots.recipes import robustness_inputs

JOIN = "actors.*.registry.join_cost"
RESPONSE = "actors.*.registry.response_cost_median"
ALL_IN = cg.Design("assurance", [cg.AssuranceRefund(threshold=58, bonus=0.01)])
FORTY = cg.Design("assurance_40", [cg.AssuranceRefund(threshold=40, bonus=0.01)])
METRIC_NAMES = list(cg.analysis.compare.METRICS)


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default()


@pytest.fixture(scope="module")
def knife_edge(model):
    """Heavy-tailed joining-cost shocks, independent across actors."""
    return cg.monte_carlo(
        model,
        [ALL_IN, FORTY],
        {},
        n=20,
        rng=2026,
        idiosyncratic={JOIN: stats.lognorm(s=1.5)},
        correlation=0.0,
    )


def _critical_factors(model):
    """Factor on an actor's joining cost above which it leaves a registry that binds only
    when all actors file: its cost plus its gain of filing at full participation, over its
    cost (the gain's benefit part does not depend on anyone's cost)."""
    game = ALL_IN.apply(model).game
    cost = np.asarray(model.actors.join_cost, dtype=float)
    return (cost + game.gains(np.ones(model.n_actors, dtype=bool))) / cost


def test_unshocked_assurance_contract_is_unique_full_at_no_fiscal_cost(model):
    out = evaluate_design(model, ALL_IN)
    assert out.full_participation_unique is True
    assert out.worst["fiscal_cost"] == 0.0
    # one civil-society actor whose joining cost rises from 0.04 to 2.0 voids it
    k = model.roles.index("civil_society")
    cost = np.array(model.actors.join_cost, dtype=float)
    assert cost[k] == pytest.approx(0.04)
    cost[k] = 2.0
    voided = evaluate_design(model.with_actors(join_cost=cost), ALL_IN)
    assert voided.full_participation_unique is False
    assert voided.worst["credible_coverage"] == 0.0 and voided.worst["fiscal_cost"] > 0


@pytest.mark.slow
def test_idiosyncratic_cost_shocks_expose_the_assurance_knife_edge(model, knife_edge):
    table, draws = knife_edge.table, knife_edge.draws
    assert knife_edge.target == "full participation is the unique equilibrium"
    assert (table["p_undecided"] == 0).all()  # every draw decided
    # P(no actor's factor passes its critical factor) under independent lognormal(1.5) shocks
    expected = np.prod(stats.lognorm(s=1.5).cdf(_critical_factors(model)))
    assert 0.3 < expected < 0.6
    p_all_in = table.loc["assurance", "p_target"]
    assert 0.0 < p_all_in <= 0.85  # clearly below 1: the contract is voided in many draws
    # A threshold below N never gives full participation: only the pivotal 40 file ...
    assert table.loc["assurance_40", "p_target"] == 0.0
    forty = draws[draws["design"] == "assurance_40"]
    assert (forty["participation_worst"] == 40).all()
    # ... but its registry binds in every draw, at no fiscal cost.
    assert (forty["credible_coverage_worst"] > 0).all() and (forty["fiscal_cost_worst"] == 0).all()
    all_in = draws[draws["design"] == "assurance"]
    binds = all_in["credible_coverage_worst"] > 0
    assert binds.mean() == pytest.approx(p_all_in)
    assert binds.mean() < (forty["credible_coverage_worst"] > 0).mean()
    # a voided registry refunds the filers' costs: fiscal cost 0 becomes a real outlay
    assert (all_in.loc[~binds, "fiscal_cost_worst"] > 1.0).all()
    # per-draw summaries of the per-actor factors
    assert {f"{JOIN}[min]", f"{JOIN}[max]"} <= set(draws.columns)
    assert (all_in[f"{JOIN}[max]"] >= all_in[f"{JOIN}[min]"]).all()


def test_voided_draws_are_those_with_one_actor_past_its_critical_factor(model, knife_edge):
    """An independent check of every draw: full participation is the unique equilibrium
    exactly when no actor's cost factor exceeds its critical factor (about 21 to 35)."""
    critical = _critical_factors(model)
    assert 15 < critical.min() and critical.max() < 40
    factors = knife_edge.factors[JOIN]
    assert factors.shape == (20, 58) and list(factors.columns) == list(model.names)
    predicted = (factors.to_numpy() < critical).all(axis=1)
    draws = knife_edge.draws
    got = draws.loc[draws["design"] == "assurance", "full_participation_unique"].to_numpy()
    np.testing.assert_array_equal(got, predicted.astype(float))
    assert not predicted.all() and predicted.any()


@pytest.mark.slow
def test_moderate_shocks_leave_the_contract_intact(model):
    """The knife edge needs one actor's cost to rise about 20-fold: lognormal shocks with
    s = 0.5 (even correlated) never void the contract."""
    res = cg.monte_carlo(
        model, [ALL_IN], {}, n=6, rng=3, idiosyncratic={JOIN: stats.lognorm(s=0.5)}, correlation=0.3
    )
    assert res.table.loc["assurance", "p_target"] == 1.0
    assert res.draws[f"{JOIN}[max]"].max() < _critical_factors(model).min()


@pytest.mark.slow
def test_draws_rebuilt_by_hand_match_evaluate_design(model):
    dists = {"preparedness.prob": stats.uniform(0.05, 0.1), RESPONSE: stats.lognorm(0.3)}
    res = cg.monte_carlo(
        model,
        [ALL_IN, FORTY],
        dists,
        n=4,
        rng=11,
        scale=[RESPONSE],
        idiosyncratic={JOIN: stats.lognorm(s=1.5)},
        correlation=0.2,
    )
    for k in range(4):
        factors = res.factors[JOIN].iloc[k].to_numpy()
        for design in (ALL_IN, FORTY):
            row = res.draws[(res.draws["draw"] == k) & (res.draws["design"] == design.name)]
            row = row.iloc[0]
            by_hand = (
                model.set("preparedness.prob", row["preparedness.prob"])
                .scale(RESPONSE, row[RESPONSE])
                .scale(JOIN, factors)
            )
            out = evaluate_design(by_hand, design)
            for side in ("worst", "best"):
                for metric in METRIC_NAMES:
                    assert row[f"{metric}_{side}"] == pytest.approx(
                        out.__getattribute__(side)[metric], rel=1e-12, abs=1e-12
                    ), (k, design.name, metric, side)
            if out.full_participation_unique is not None:
                assert row["full_participation_unique"] == float(out.full_participation_unique)
            assert row[f"{JOIN}[min]"] == factors.min() and row[f"{JOIN}[max]"] == factors.max()


@pytest.mark.slow
def test_common_draw_on_an_actor_path_sets_unless_scaled(model):
    dist = {JOIN: stats.uniform(0.5, 1e-9)}
    design = cg.Design("baseline")
    for scale, build in (((), model.set), ([JOIN], model.scale)):
        res = cg.monte_carlo(
            model, [design], dist, n=1, rng=0, scale=scale, target=("participation", 1)
        )
        value = res.draws[JOIN].iloc[0]
        assert 0.5 <= value <= 0.5 + 1e-9
        out = evaluate_design(build(JOIN, value), design)
        assert res.draws["actor_cost_best"].iloc[0] == pytest.approx(out.best["actor_cost"])
        assert res.draws["participation_best"].iloc[0] == out.best["participation"]


@pytest.mark.slow
def test_instrument_paths_apply_to_the_designs_that_have_the_instrument(model):
    designs = [cg.Design("baseline"), cg.Design("bond", [cg.PerformanceBond(amount=1.0)])]
    res = cg.monte_carlo(
        model,
        designs,
        {"PerformanceBond.amount": stats.uniform(0.5, 2.0)},
        n=2,
        rng=4,
        target=("credible_coverage", 0.1),
    )
    base = evaluate_design(model, designs[0])
    for _, row in res.draws.iterrows():
        if row["design"] == "baseline":
            assert row["welfare_worst"] == pytest.approx(base.worst["welfare"])
        else:
            out = evaluate_design(
                model, cg.Design("bond", [cg.PerformanceBond(amount=row["PerformanceBond.amount"])])
            )
            assert row["welfare_best"] == pytest.approx(out.best["welfare"])


@pytest.mark.slow
def test_results_depend_neither_on_block_nor_executor_nor_other_paths(model):
    designs = [cg.Design("baseline")]
    kwargs = dict(
        n=5,
        rng=21,
        idiosyncratic={JOIN: stats.lognorm(0.5)},
        correlation=0.4,
        target=("participation", 1),
    )
    dists = {"preparedness.prob": stats.uniform(0.05, 0.1)}
    one = cg.monte_carlo(model, designs, dists, block=1, **kwargs)
    four = cg.monte_carlo(model, designs, dists, block=4, **kwargs)
    with cf.ThreadPoolExecutor(2) as pool:
        pooled = cg.monte_carlo(model, designs, dists, block=2, executor=pool, **kwargs)
    for other in (four, pooled):
        pd.testing.assert_frame_equal(one.draws, other.draws)
        pd.testing.assert_frame_equal(one.factors[JOIN], other.factors[JOIN])
    # a path's draws do not depend on which other parameters are uncertain
    more = cg.monte_carlo(
        model,
        designs,
        {**dists, "commitment.discount": stats.uniform(0.8, 0.1)},
        block=3,
        **{**kwargs, "idiosyncratic": {JOIN: stats.lognorm(0.5), RESPONSE: stats.lognorm(0.2)}},
    )
    pd.testing.assert_frame_equal(one.factors[JOIN], more.factors[JOIN])
    np.testing.assert_array_equal(one.draws["preparedness.prob"], more.draws["preparedness.prob"])
    again = cg.monte_carlo(model, designs, dists, block=5, **{**kwargs, "rng": 22})
    assert not again.factors[JOIN].equals(one.factors[JOIN])


def test_correlation_one_is_a_common_shock(model):
    res = cg.monte_carlo(
        model,
        [cg.Design("baseline")],
        {},
        n=2,
        rng=1,
        idiosyncratic={"actors.civil_society.registry.join_cost": stats.lognorm(0.5)},
        correlation=1.0,
        target=("participation", 1),
    )
    factors = res.factors["actors.civil_society.registry.join_cost"]
    assert factors.shape == (2, 30)
    assert all(np.ptp(row) == 0 for row in factors.to_numpy())
    assert factors.iloc[0, 0] != factors.iloc[1, 0]


@pytest.mark.slow
def test_gaussian_copula_has_the_requested_correlation_and_marginal():
    gen = np.random.default_rng(5)
    dist = stats.lognorm(s=0.5)

    def mean_pairwise_correlation(draws):
        c = np.corrcoef(stats.norm.ppf(dist.cdf(draws)).T)
        return c[np.triu_indices_from(c, 1)].mean()

    draws = np.array([_factors(dist, 0.3, 12, gen) for _ in range(600)])  # 600 draws, 12 actors
    assert mean_pairwise_correlation(draws) == pytest.approx(0.3, abs=0.06)
    assert stats.kstest(draws[:, 0], dist.cdf).pvalue > 1e-3
    independent = np.array([_factors(dist, 0.0, 12, gen) for _ in range(600)])
    assert abs(mean_pairwise_correlation(independent)) < 0.03
    # the far upper tail stays finite (survival function, not 1 − Φ rounded to 0)
    tail = _factors(stats.lognorm(s=1.0), 0.0, 200000, np.random.default_rng(0))
    assert np.isfinite(tail).all() and (tail > 0).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(idiosyncratic={JOIN: stats.lognorm(0.5)}, correlation=1.5), "'correlation'"),
        (dict(idiosyncratic={JOIN: stats.lognorm(0.5)}, correlation=-0.1), "'correlation'"),
        (dict(idiosyncratic={JOIN: stats.lognorm(0.5)}, correlation=True), "'correlation'"),
        (
            dict(
                idiosyncratic={JOIN: stats.lognorm(0.5)},
                correlation={"actors.*.registry.join_cst": 0.2},
            ),
            "Did you mean",
        ),
        (
            dict(idiosyncratic={"actors.*.registry.join_cst": stats.lognorm(0.5)}),
            r"idiosyncratic\['actors.\*.registry.join_cst'\].*Did you mean",
        ),
        (
            dict(idiosyncratic={"actors.civil_socity.registry.join_cost": stats.lognorm(0.5)}),
            "civil_society",
        ),
        (dict(idiosyncratic={"preparedness.prob": stats.lognorm(0.5)}), "an actor path"),
        (dict(idiosyncratic={JOIN: 2.0}), "ppf"),
        (dict(idiosyncratic={JOIN: stats.norm(1.0, 0.1)}), r"support in \[0, inf\)"),
        (dict(distributions={"preparedness.prob": 0.1}), "rvs"),
        (
            dict(
                distributions={"preparedness.prob": stats.uniform(0.05, 0.1)},
                scale=["preparedness.harm"],
            ),
            "'scale'",
        ),
        (dict(distributions={"PerformanceBond.amont": stats.uniform()}), "Did you mean"),
        (
            dict(
                distributions={"PerformanceBond.amount": stats.uniform()},
                designs=[cg.Design("baseline")],
            ),
            "instrument in one of the designs",
        ),
        (dict(designs=[cg.Design("a"), cg.Design("a")]), "distinct names"),
    ],
)
def test_invalid_inputs_name_the_parameter(model, kwargs, match):
    kwargs = {"designs": [cg.Design("bond", [cg.PerformanceBond()])], "distributions": {}, **kwargs}
    with pytest.raises(cg.InvalidParameterError, match=match):
        cg.monte_carlo(model, n=2, **kwargs)


def test_an_invalid_draw_names_the_draw(model):
    with pytest.raises(cg.InvalidParameterError, match="draw 0"):
        cg.monte_carlo(
            model, [cg.Design("baseline")], {"preparedness.prob": stats.uniform(2.0, 1.0)}, n=1
        )


def test_model_file_block_uses_the_new_paths(model):
    spec = cg.load_model()
    block = spec.figures["robustness"]
    kw = robustness_inputs(block)
    assert list(kw["distributions"]) == ["preparedness.prob", RESPONSE]
    assert kw["scale"] == [RESPONSE] and list(kw["idiosyncratic"]) == [JOIN]
    assert 0 < kw["correlation"][JOIN] < 1
    res = cg.monte_carlo(spec.policy_model(), [spec.designs[0]], n=2, rng=block["seed"], **kw)
    assert res.factors[JOIN].shape == (2, 58)
    # a block-level correlation applies to per-actor entries that have none of their own
    both = robustness_inputs(
        {
            "distributions": {JOIN: {"dist": "lognorm", "s": 0.5, "per_actor": True}},
            "correlation": 0.6,
        }
    )
    assert both["correlation"] == {JOIN: 0.6}


@pytest.mark.parametrize(
    "block, match",
    [
        (
            {"distributions": {JOIN: {"dist": "lognorm", "s": 0.5, "per_actor": "yes"}}},
            "per_actor: must be true or false",
        ),
        (
            {
                "distributions": {
                    JOIN: {"dist": "lognorm", "s": 0.5, "per_actor": True, "correlation": 2.0}
                }
            },
            r"correlation: must be a number in \[0, 1\]",
        ),
        (
            {"distributions": {JOIN: {"dist": "lognorm", "s": 0.5, "correlation": 0.5}}},
            "applies to per-actor shocks only",
        ),
        (
            {"distributions": {"preparedness.prob": {"dist": "uniform"}}, "correlation": 0.5},
            "no distribution has 'per_actor = true'",
        ),
    ],
)
def test_model_file_block_problems(block, match):
    with pytest.raises(SpecError, match=match):
        robustness_inputs(block, "figures.robustness", "model.toml")


def test_table_quantiles_are_those_of_the_draws(model):
    """The summary's quantiles of each worst-equilibrium metric are pandas' quantiles of the
    design's draws, bit for bit."""
    designs = [cg.Design("baseline"), ALL_IN]
    res = cg.monte_carlo(
        model,
        designs,
        {"preparedness.prob": stats.uniform(0.05, 0.1)},
        n=6,
        rng=3,
        idiosyncratic={JOIN: stats.lognorm(s=0.5)},
    )
    for design in designs:
        part = res.draws[res.draws["design"] == design.name]
        for metric in METRIC_NAMES:
            for q in (0.05, 0.5, 0.95):
                want = float(part[f"{metric}_worst"].quantile(q))
                got = res.table.loc[design.name, f"{metric}_q{int(q * 100):02d}"]
                assert got == want or (np.isnan(got) and np.isnan(want))
