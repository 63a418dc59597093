"""Global sensitivity (SALib), quasi-random robustness draws and PRIM scenario discovery.

The checks use values found without the code under test: the closed-form Sobol' indices of the
Ishigami function, the exact Morris effects of a linear function, the marginals of the
distributions (Kolmogorov–Smirnov), the stratification of Latin hypercubes and Sobol' nets, the
draws of the default sampler recomputed from the seeds, and boxes planted in synthetic data.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coordgap as cg
from coordgap.analysis.montecarlo import _stream
from coordgap.analysis.sensitivity import COLUMNS, function_sensitivity

# --- the sample → parameter → index pipeline, on functions with known indices ----------------

A, B = 7.0, 0.1
# Ishigami & Homma (1990) with a = 7, b = 0.1, inputs uniform on [-π, π]: closed forms of
# V1 = 1/2·(1 + bπ⁴/5)², V2 = a²/8, V13 = b²π⁸·8/225, V = V1 + V2 + V13.
_V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * math.pi**8 * 8 / 225
_V = _V1 + _V2 + _V13
ISHIGAMI_S1 = (_V1 / _V, _V2 / _V, 0.0)
ISHIGAMI_ST = ((_V1 + _V13) / _V, _V2 / _V, _V13 / _V)


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def linear(x: np.ndarray) -> np.ndarray:
    return np.column_stack([3.0 * x[:, 0] - 2.0 * x[:, 1], x[:, 0] * x[:, 1]])


UNIFORM_PI = stats.uniform(-math.pi, 2 * math.pi)


def test_ishigami_closed_forms():
    """The published values (0.3139, 0.4424, 0; 0.5576, 0.4424, 0.2437) follow from V1, V2, V13."""
    np.testing.assert_allclose(ISHIGAMI_S1, (0.3139, 0.4424, 0.0), atol=1e-4)
    np.testing.assert_allclose(ISHIGAMI_ST, (0.5576, 0.4424, 0.2437), atol=1e-4)


def test_sobol_indices_of_ishigami():
    dists = {"x1": UNIFORM_PI, "x2": UNIFORM_PI, "x3": UNIFORM_PI}
    frame = function_sensitivity(ishigami, dists, n=4096, rng=2)
    assert list(frame.columns) == ["output", "parameter", *COLUMNS["sobol"]]
    assert list(frame["parameter"]) == ["x1", "x2", "x3"]
    for column, truth in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        est = frame[column].to_numpy()
        conf = frame[f"{column}_conf"].to_numpy()
        assert (conf < 0.06).all()  # the intervals are informative
        # Within sampling error: the bootstrap half-width (95%), with a little slack.
        assert (np.abs(est - np.asarray(truth)) <= 1.5 * conf + 0.005).all(), (column, est, conf)


def test_sobol_pipeline_maps_through_ppf():
    """Inputs uniform on [0, 1] instead of [-π, π] change the indices: the mapping matters.
    x3 then has almost no effect (0.1·x⁴ ≤ 0.1)."""
    frame = function_sensitivity(ishigami, {k: stats.uniform() for k in "abc"}, n=1024, rng=2)
    assert frame["ST"].iloc[2] < 0.01
    assert abs(frame["ST"].iloc[0] - ISHIGAMI_ST[0]) > 0.1


def test_morris_effects_of_a_linear_function_are_exact():
    """For y = 3a − 2b with a ~ U(0, 2) and b ~ U(5, 9), moving a quantile by Δ moves a by 2Δ:
    every elementary effect of a is 6, of b −8 (per unit quantile), with no spread."""
    dists = {"a": stats.uniform(0, 2), "b": stats.uniform(5, 4)}
    frame = function_sensitivity(
        linear, dists, n=10, method="morris", outputs=["lin", "prod"], rng=3
    )
    lin = frame[frame["output"] == "lin"].set_index("parameter")
    np.testing.assert_allclose(lin["mu"], [6.0, -8.0], rtol=1e-9)
    np.testing.assert_allclose(lin["mu_star"], [6.0, 8.0], rtol=1e-9)
    np.testing.assert_allclose(lin["sigma"], [0.0, 0.0], atol=1e-9)
    prod = frame[frame["output"] == "prod"].set_index("parameter")
    assert (prod["sigma"] > 0).all()  # an interaction: the effect of a depends on b


def test_function_sensitivity_same_with_an_executor_and_per_seed():
    dists = {"x1": UNIFORM_PI, "x2": UNIFORM_PI, "x3": UNIFORM_PI}
    here = function_sensitivity(ishigami, dists, n=256, rng=5, block=100)
    with cf.ThreadPoolExecutor(2) as pool:
        there = function_sensitivity(ishigami, dists, n=256, rng=5, executor=pool, block=33)
    pd.testing.assert_frame_equal(here, there)
    other = function_sensitivity(ishigami, dists, n=256, rng=6)
    assert not np.allclose(here["S1"], other["S1"])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n": 100}, "n"),  # not a power of 2
        ({"n": 1}, "n"),
        ({"method": "fast"}, "method"),
        ({"method": "morris", "num_levels": 3}, "num_levels"),
        ({"conf_level": 1.0}, "conf_level"),
        ({"outputs": ["a", "b"]}, "outputs"),
    ],
)
def test_function_sensitivity_refuses_bad_options(kwargs, name):
    args = {"n": 16, **kwargs}
    with pytest.raises(cg.InvalidParameterError, match=name):
        function_sensitivity(ishigami, {"x": UNIFORM_PI, "y": UNIFORM_PI, "z": UNIFORM_PI}, **args)


def test_function_sensitivity_refuses_a_distribution_without_ppf():
    with pytest.raises(cg.InvalidParameterError, match="frozen scipy.stats"):
        function_sensitivity(ishigami, {"x": 1.0}, n=16)


# --- quasi-random robustness draws ----------------------------------------------------------

DISTS = {
    "preparedness.prob": stats.uniform(0.05, 0.1),
    "actors.*.registry.response_cost_median": stats.lognorm(s=0.3),
}
BASELINE = [cg.Design("baseline")]


def _study(n, sampler, rng=4, dists=DISTS, **kw):
    return cg.monte_carlo(
        cg.PolicyModel.default(),
        BASELINE,
        dists,
        n=n,
        rng=rng,
        sampler=sampler,
        scale=[p for p in dists if p == "actors.*.registry.response_cost_median"],
        target=("credible_coverage", 0.4),
        progress=False,
        **kw,
    )


@pytest.mark.parametrize("sampler", ["lhs", "sobol"])
def test_quasi_random_draws_have_the_marginals_and_are_stratified(sampler):
    res = _study(64, sampler)
    assert res.sampler == sampler
    for path, dist in DISTS.items():
        draws = res.draws[path].to_numpy()
        assert stats.kstest(draws, dist.cdf).pvalue > 0.05
        # One draw in each of the 64 equal-probability strata (a Latin hypercube by
        # construction; a scrambled Sobol' net of 2^6 points in each coordinate).
        strata = np.floor(dist.cdf(draws) * 64).astype(int)
        assert sorted(strata.tolist()) == list(range(64))


@pytest.mark.parametrize("sampler", ["lhs", "sobol"])
def test_quasi_random_draws_deterministic_and_executor_free(sampler):
    first = _study(16, sampler, block=5)
    again = _study(16, sampler, block=16)
    with cf.ThreadPoolExecutor(2) as pool:
        pooled = _study(16, sampler, executor=pool, block=3)
    pd.testing.assert_frame_equal(first.draws, again.draws)
    pd.testing.assert_frame_equal(first.draws, pooled.draws)
    pd.testing.assert_frame_equal(first.table, pooled.table)
    other = _study(16, sampler, rng=5)
    assert not np.allclose(first.draws["preparedness.prob"], other.draws["preparedness.prob"])
    # The unit-cube dimensions follow the sorted paths: the order of the mapping is irrelevant.
    flipped = _study(16, sampler, dists=dict(reversed(list(DISTS.items()))))
    for path in DISTS:
        np.testing.assert_array_equal(first.draws[path], flipped.draws[path])


def test_default_sampler_is_unchanged():
    """The "mc" draws are those of each path's own stream under each draw's child seed."""
    res = _study(6, "mc", rng=11)
    assert res.sampler == "mc"
    seeds = np.random.SeedSequence(11).spawn(6)
    for path, dist in DISTS.items():
        expected = [float(dist.rvs(random_state=_stream(s, 0, path))) for s in seeds]
        np.testing.assert_array_equal(res.draws[path].to_numpy(), expected)
    default = cg.monte_carlo(
        cg.PolicyModel.default(),
        BASELINE,
        DISTS,
        n=6,
        rng=11,
        scale=["actors.*.registry.response_cost_median"],
        target=("credible_coverage", 0.4),
        progress=False,
    )
    pd.testing.assert_frame_equal(default.draws, res.draws)


def test_quasi_random_idiosyncratic_shocks_stay_per_draw():
    """Per-actor shocks come from the draws' own streams whatever the common sampler."""
    idio = {"actors.*.registry.join_cost": stats.lognorm(s=0.5)}
    mc = _study(8, "mc", idiosyncratic=idio)
    lhs = _study(8, "lhs", idiosyncratic=idio)
    pd.testing.assert_frame_equal(
        mc.factors["actors.*.registry.join_cost"], lhs.factors["actors.*.registry.join_cost"]
    )


def test_sampler_arguments_are_checked():
    with pytest.raises(cg.InvalidParameterError, match="power of 2"):
        _study(12, "sobol")
    with pytest.raises(cg.InvalidParameterError, match="sampler"):
        _study(8, "halton")

    class NoPpf:
        def rvs(self, random_state=None):
            return 0.1

    with pytest.raises(cg.InvalidParameterError, match="ppf"):
        _study(8, "lhs", dists={"preparedness.prob": NoPpf()})
    # "mc" needs only rvs, as before.
    assert _study(2, "mc", dists={"preparedness.prob": NoPpf()}).n_draws == 2


# --- sensitivity of the designs of the packaged model -------------------------------------


BOND = cg.Design("bond", [cg.PerformanceBond(amount=1.0)])
ASSURANCE = cg.Design("assurance", [cg.AssuranceRefund(threshold=58, bonus=0.01)])
MODEL_DISTS = {
    "PerformanceBond.amount": stats.uniform(0.0, 4.0),
    "actors.*.registry.join_cost": stats.lognorm(s=0.5),
}


@pytest.fixture(scope="module")
def small_study():
    return cg.sensitivity(
        cg.PolicyModel.default(),
        [cg.Design("baseline"), BOND, ASSURANCE],
        MODEL_DISTS,
        n=4,
        scale=["actors.*.registry.join_cost"],
        metrics=["credible_coverage_best", "participation_worst"],
        rank_by="credible_coverage_best",
        rng=7,
        progress=False,
    )


def test_sensitivity_returns_tidy_frames(small_study):
    res = small_study
    assert res.n_evaluations == 4 * (2 + 2) * 3
    assert list(res.indices.columns) == [
        "design",
        "metric",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
    ]
    assert len(res.indices) == 3 * 2 * 2
    assert set(res.ranking["metric"]) == {"rank[credible_coverage_best]"}
    assert len(res.ranking) == 3 * 2
    assert list(res.rank_summary.columns) == ["mean_rank", "p_best"]
    assert list(res.samples.columns) == list(MODEL_DISTS)
    assert len(res.outputs) == len(res.samples) * 3
    assert {"sample", "design", "credible_coverage_best", "participation_worst", "rank"} <= set(
        res.outputs.columns
    )
    assert len(res.to_frame()) == len(res.indices) + len(res.ranking)
    json.dumps(res.to_dict())  # plain data
    assert "SensitivityResult" in repr(res)


def test_sensitivity_indices_follow_the_designs(small_study):
    ind = small_study.indices.set_index(["design", "metric", "parameter"])
    # The baseline has no bond, so its amount has no effect: the estimator gives exactly 0,
    # while the joining costs move its credible coverage.
    assert ind.loc[("baseline", "credible_coverage_best", "PerformanceBond.amount"), "ST"] == 0.0
    assert ind.loc[("baseline", "credible_coverage_best", "actors.*.registry.join_cost"), "ST"] > 0
    # Outputs that do not vary over the sample have no variance to share out: NaN. No draw
    # gets anyone to file without an incentive; the assurance contract gets everyone to.
    assert ind.xs("participation_worst", level="metric")[["S1", "ST"]].isna().all().all()
    assert ind.loc["assurance"][["S1", "ST"]].isna().all().all()
    ranking = small_study.ranking.set_index(["design", "parameter"])
    assert np.isfinite(ranking.loc["bond", ["S1", "ST"]].to_numpy()).all()
    # The samples map through ppf: the bond's amounts are within U(0, 4), the factors > 0.
    samples = small_study.samples
    assert samples["PerformanceBond.amount"].between(0, 4).all()
    assert (samples["actors.*.registry.join_cost"] > 0).all()


def test_sensitivity_outputs_and_ranks_recomputed(small_study):
    """The outputs are the metrics of the designs at the samples, and the ranks theirs."""
    res = small_study
    model = cg.PolicyModel.default()
    k = 3
    point = res.samples.iloc[k]
    m = model.scale("actors.*.registry.join_cost", point["actors.*.registry.join_cost"])
    bond = cg.Design("bond", [cg.PerformanceBond(amount=point["PerformanceBond.amount"])])
    outcome = cg.compare(m, [bond]).outcomes[-1]
    row = res.outputs[(res.outputs["sample"] == k) & (res.outputs["design"] == "bond")].iloc[0]
    assert row["credible_coverage_best"] == pytest.approx(outcome.best["credible_coverage"])
    assert row["participation_worst"] == outcome.worst["participation"]
    ranks = res.outputs.groupby("sample")["credible_coverage_best"].rank(
        ascending=False, method="average"
    )
    np.testing.assert_array_equal(ranks.to_numpy(), res.outputs["rank"].to_numpy())
    best = res.outputs.groupby("sample")["rank"].transform("min") == res.outputs["rank"]
    p_best = best.groupby(res.outputs["design"]).mean()
    np.testing.assert_allclose(res.rank_summary["p_best"], p_best[res.rank_summary.index])


def test_sensitivity_same_with_a_process_pool(small_study):
    with cf.ProcessPoolExecutor(2) as pool:
        pooled = cg.sensitivity(
            cg.PolicyModel.default(),
            [cg.Design("baseline"), BOND, ASSURANCE],
            MODEL_DISTS,
            n=4,
            scale=["actors.*.registry.join_cost"],
            metrics=["credible_coverage_best", "participation_worst"],
            rank_by="credible_coverage_best",
            rng=7,
            executor=pool,
            block=3,
            progress=False,
        )
    pd.testing.assert_frame_equal(small_study.to_frame(), pooled.to_frame())
    pd.testing.assert_frame_equal(small_study.outputs, pooled.outputs)


def test_sensitivity_morris_frames():
    res = cg.sensitivity(
        cg.PolicyModel.default(),
        [BOND],
        {"PerformanceBond.amount": stats.uniform(0.0, 4.0)},
        n=3,
        method="morris",
        metrics=["credible_coverage_best"],
        rank_by=None,
        rng=1,
        progress=False,
    )
    assert list(res.indices.columns) == ["design", "metric", "parameter", *COLUMNS["morris"]]
    assert res.n_evaluations == 3 * 2
    assert res.ranking.empty and res.rank_summary.empty
    assert res.indices["mu_star"].iloc[0] > 0  # the bond's size moves its credible coverage


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"distributions": {"preparedness.prbo": stats.uniform()}}, "preparedness.prob"),
        ({"distributions": {"Audit.rate": stats.uniform()}}, "Instrument"),
        ({"distributions": {}}, "non-empty"),
        ({"metrics": ["welfare"]}, "_worst"),
        ({"rank_by": "welfare"}, "rank_by"),
        ({"scale": ["preparedness.harm"]}, "scale"),
        ({"designs": [BOND, BOND]}, "distinct"),
        ({"designs": []}, "designs"),
        ({"n": 6}, "power of 2"),
    ],
)
def test_sensitivity_refuses_bad_input(kwargs, match):
    args = {
        "designs": [BOND],
        "distributions": {"PerformanceBond.amount": stats.uniform(0, 2)},
        "n": 2,
        **kwargs,
    }
    with pytest.raises(cg.InvalidParameterError, match=match):
        cg.sensitivity(cg.PolicyModel.default(), **args)


# --- PRIM --------------------------------------------------------------------------------------


def _planted(n=3000, seed=0, noise=0.0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        {"a": rng.uniform(0, 10, n), "b": rng.normal(0, 1, n), "c": rng.uniform(0, 1, n)}
    )
    inside = (x["a"] >= 6) & (x["b"] <= -0.2)  # c is irrelevant
    flip = rng.random(n) < noise
    return x, (inside ^ flip).to_numpy(), inside.to_numpy()


def test_prim_recovers_a_planted_box():
    x, y, _ = _planted()
    res = cg.prim(x, y, threshold=0.95)
    box = res.to_frame().set_index("parameter")
    assert list(res.to_frame().columns) == [
        "box", "parameter", "lower", "upper", "restricted", "coverage", "density", "mass",
    ]  # fmt: skip
    assert box.loc["a", "lower"] == pytest.approx(6.0, abs=0.25)
    assert box.loc["b", "upper"] == pytest.approx(-0.2, abs=0.1)
    assert bool(box.loc["a", "restricted"]) and bool(box.loc["b", "restricted"])
    assert not bool(box.loc["c", "restricted"])
    # coverage, density and mass recounted from the limits
    lo, hi = box["lower"].to_numpy(), box["upper"].to_numpy()
    inside = ((x.to_numpy() >= lo) & (x.to_numpy() <= hi)).all(axis=1)
    stats_ = res.box_stats.loc[1]
    assert stats_["coverage"] == pytest.approx(y[inside].sum() / y.sum())
    assert stats_["density"] == pytest.approx(y[inside].mean())
    assert stats_["mass"] == pytest.approx(inside.mean())
    assert stats_["coverage"] > 0.9 and stats_["density"] >= 0.95


def test_prim_with_noise_and_the_trajectory():
    x, y, truth = _planted(noise=0.05, seed=1)
    res = cg.prim(x, y, threshold=0.9, alpha=0.05, min_mass=0.05)
    frame = res.to_frame().set_index("parameter")
    assert frame.loc["a", "lower"] == pytest.approx(6.0, abs=0.5)
    assert frame.loc["b", "upper"] == pytest.approx(-0.2, abs=0.3)
    traj = res.trajectory
    peel = traj[traj["phase"] == "peel"]
    assert peel["step"].iloc[0] == 0 and peel["mass"].iloc[0] == 1.0
    assert (np.diff(peel["mass"]) < 0).all() and (peel["mass"] >= 0.05).all()
    assert peel["coverage"].is_monotonic_decreasing
    assert traj["selected"].any()
    assert res.base_density == pytest.approx(y.mean())


def test_prim_covering_finds_two_boxes():
    rng = np.random.default_rng(3)
    x = rng.random((4000, 2))
    y = ((x[:, 0] < 0.25) & (x[:, 1] < 0.25)) | ((x[:, 0] > 0.75) & (x[:, 1] > 0.75))
    res = cg.prim(x, y, threshold=0.9, max_boxes=3)
    assert len(res.box_stats) == 2
    assert res.box_stats["coverage"].sum() > 0.9
    boxes = res.boxes.set_index(["box", "parameter"])
    corners = sorted(
        (round(boxes.loc[(b, "x0"), "lower"], 1), round(boxes.loc[(b, "x0"), "upper"], 1))
        for b in (1, 2)
    )
    assert corners == [(0.0, 0.2), (0.8, 1.0)] or corners == [(0.0, 0.3), (0.7, 1.0)]
    assert res.message == "no cases of interest left outside the boxes"


def test_prim_peels_discrete_parameters():
    """All points at a parameter's extreme are removed together when the cut falls on it."""
    rng = np.random.default_rng(4)
    x = pd.DataFrame({"flag": rng.integers(0, 2, 1000), "u": rng.random(1000)})
    y = (x["flag"] == 1).to_numpy()
    box = cg.prim(x, y).to_frame().set_index("parameter")
    assert box.loc["flag", "lower"] == 1 and box.loc["flag", "density"] == 1.0


def test_prim_without_cases_and_bad_input():
    x = np.random.default_rng(0).random((50, 2))
    res = cg.prim(x, np.zeros(50, dtype=bool))
    assert res.boxes.empty and res.message == "no cases of interest"
    with pytest.raises(cg.InvalidParameterError, match="alpha"):
        cg.prim(x, np.ones(50, dtype=bool), alpha=0.0)
    with pytest.raises(cg.InvalidParameterError, match="flags"):
        cg.prim(x, np.ones(49, dtype=bool))
    with pytest.raises(cg.InvalidParameterError, match="finite"):
        cg.prim(np.full((50, 2), np.nan), np.ones(50, dtype=bool))


def test_scenario_discovery_on_a_robustness_study():
    study = cg.monte_carlo(
        cg.PolicyModel.default(),
        [BOND],
        {
            "PerformanceBond.amount": stats.uniform(0.0, 6.0),
            "preparedness.prob": stats.uniform(0.05, 0.1),
        },
        n=64,
        rng=3,
        target=("credible_coverage", 0.3, "best"),
        sampler="sobol",
        progress=False,
    )
    res = cg.scenario_discovery(study, "bond", threshold=0.9)
    assert "'bond' fails" in res.label
    draws = study.draws
    failing = ~draws["meets_target"].to_numpy()
    assert res.n_cases == failing.sum() and res.n_points == 64
    box = res.to_frame().set_index("parameter")
    lo, hi = box["lower"], box["upper"]
    params = draws[list(box.index)].to_numpy()
    inside = ((params >= lo.to_numpy()) & (params <= hi.to_numpy())).all(axis=1)
    assert res.box_stats.loc[1, "density"] == pytest.approx(failing[inside].mean())
    assert res.box_stats.loc[1, "density"] >= 0.9
    with pytest.raises(cg.InvalidParameterError, match="design"):
        cg.scenario_discovery(study, "bnod")
    with pytest.raises(cg.InvalidParameterError, match="parameters"):
        cg.scenario_discovery(study, "bond", parameters=["welfare_worst"])


# --- figures and the command line ------------------------------------------------------------


def test_figures(small_study):
    import matplotlib.pyplot as plt

    from coordgap.plots.sensitivity import prim_figure, sensitivity_figure

    fig = sensitivity_figure(small_study, "credible_coverage_best")
    assert sum(ax.get_visible() for ax in fig.axes) == 3
    plt.close(fig)
    fig = sensitivity_figure(small_study, "rank[credible_coverage_best]", designs=["bond"])
    plt.close(fig)
    x, y, _ = _planted(n=500)
    fig = prim_figure(cg.prim(x, y))
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(cg.InvalidParameterError):
        sensitivity_figure(small_study, "welfare_best")


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "coordgap", "sensitivity", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_cli_sensitivity_json_and_csv(tmp_path):
    out = tmp_path / "indices.csv"
    run = _cli("--design", "bond", "--n", "2", "--json", "--csv", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["method"] == "sobol" and data["n"] == 2
    assert data["parameters"] == [
        "preparedness.prob",
        "actors.*.registry.response_cost_median",
        "actors.*.registry.join_cost",
    ]
    assert data["n_evaluations"] == 2 * (3 + 2)
    assert "actors.*.registry.join_cost" in data["scale"] and data["notes"]
    frame = pd.read_csv(out)
    assert list(frame.columns) == [
        "design",
        "metric",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
    ]
    assert set(frame["metric"]) == {"credible_coverage_worst", "welfare_worst"}
    text = _cli("--design", "bond", "--method", "morris", "--n", "2", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "mu_star" in text.stdout and "welfare_worst" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n", "3"], "power of 2"),
        (["--n", "x"], "--n"),
        (["--method", "fast"], "--method"),
        (["--design", "nope"], "no such design"),
        (["--from", "nope"], "no robustness block"),
        (["--metric", "welfare"], "_worst"),
        (["--seed", "-1"], "--seed"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_cli_sensitivity_rejects_bad_input(tmp_path, args, message):
    run = _cli("--design", "bond", "--n", "2", *args, cwd=tmp_path)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
