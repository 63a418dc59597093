"""Each piece of science is implemented once and imported where it is needed."""

from __future__ import annotations

import ast
import importlib
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

import coordgap as cg
from coordgap.games import inflation, lognormal
from coordgap.games.preparedness import interior_aggregate, linear_sum_robustness

SRC = Path(cg.__file__).parent


# -- the lognormal response cost ------------------------------------------------------------------
@pytest.mark.parametrize("median, sigma", [(1.0, 0.5), (2.4, 1.0), (0.03, 0.8)])
def test_lognormal_formulas_match_scipy(median, sigma):
    dist = stats.lognorm(s=sigma, scale=median)
    for stake in (0.01 * median, 0.7 * median, median, 3.0 * median):
        assert lognormal.lognormal_cdf(stake, median, sigma) == pytest.approx(
            dist.cdf(stake), rel=1e-12
        )
        partial, _ = integrate.quad(lambda a: a * dist.pdf(a), 0.0, stake, epsabs=1e-13)
        assert lognormal.lognormal_partial_expectation(stake, median, sigma) == pytest.approx(
            partial, rel=1e-8, abs=1e-14
        )
        expected_min, _ = integrate.quad(lambda a: dist.sf(a), 0.0, stake, epsabs=1e-13)
        assert lognormal.lognormal_expected_min(stake, median, sigma) == pytest.approx(
            expected_min, rel=1e-8
        )
    for f in (
        lognormal.lognormal_cdf,
        lognormal.lognormal_partial_expectation,
        lognormal.lognormal_expected_min,
    ):
        assert f(0.0, median, sigma) == 0.0


def test_commitment_and_capture_use_the_same_lognormal():
    capture = cg.CaptureModel(bond=0.7, liability=0.2, sanction=1.5, response_cost_median=1.3)
    audits = np.array([0.05, 0.3, 1.0])
    stakes = capture.stake(audits)
    commitment = cg.CommitmentModel(
        capacity=np.ones(3),
        bond=stakes,
        response_cost_median=capture.response_cost_median,
        response_cost_sigma=capture.response_cost_sigma,
    )
    np.testing.assert_array_equal(capture.credibility(audits), commitment.credibility())
    np.testing.assert_array_equal(
        capture._expected_ex_post(audits), commitment.expected_ex_post_cost()
    )
    np.testing.assert_array_equal(
        commitment.credibility(),
        lognormal.lognormal_cdf(stakes, capture.response_cost_median, capture.response_cost_sigma),
    )


# -- declared-capacity inflation --------------------------------------------------------------------
def test_one_inflation_formula():
    from coordgap.analysis import bond

    assert bond.declared_inflation is inflation.declared_inflation  # re-exported
    assert cg.declared_inflation is inflation.declared_inflation
    assert inflation.declared_inflation(0.2, 0.5, 2.0) == pytest.approx(0.1)
    assert inflation.declared_inflation(0.0, 0.0, 0.0) == 0.0
    assert inflation.declared_inflation(0.2, 0.0, 2.0) == math.inf
    with pytest.raises(cg.errors.InvalidParameterError, match="audit_prob"):
        inflation.declared_inflation(0.2, 1.5, 2.0)


def test_inflation_scalars_and_arrays_agree():
    rng = np.random.default_rng(5)
    rate, prob, fine = rng.uniform(0, 1, 500), rng.uniform(0, 1, 500), rng.uniform(0, 5, 500)
    rate[::7], prob[::11], fine[::13] = 0.0, 0.0, 0.0
    scalars = [inflation.declared_inflation(*map(float, v)) for v in zip(rate, prob, fine)]
    np.testing.assert_array_equal(scalars, inflation.declared_inflation(rate, prob, fine))
    for bad in ((-1.0, 0.5, 1.0), (0.1, 1.5, 1.0), (0.1, 0.5, math.nan)):
        with pytest.raises(cg.errors.InvalidParameterError):
            inflation.declared_inflation(*bad)
        with pytest.raises(cg.errors.InvalidParameterError):
            inflation.declared_inflation(*map(np.array, bad))


@pytest.mark.parametrize("prob, fine", [(0.5, 2.0), (0.01, 0.1), (0.0, 2.0), (1.0, 0.0)])
def test_policy_model_inflation_is_the_formula_capped(prob, fine):
    model = cg.PolicyModel.default(declared_unit_rate=0.2, audit_prob=prob, fine=fine)
    expected = min(inflation.declared_inflation(0.2, prob, fine), model.inflation_cap)
    assert model.inflation == expected
    assert cg.instruments.audit.inflation(model) == expected


def test_capture_inflation_and_rent_are_the_formulas():
    m = cg.CaptureModel(rate=0.3, fine=1.5)
    out = m.outcomes(1.0, np.array([0.1, 0.5]))
    np.testing.assert_array_equal(
        out["inflation"], inflation.declared_inflation(0.3, np.array([0.1, 0.5]), 1.5)
    )
    report = cg.performative_compliance(
        cg.CommitmentModel(capacity=[1.0, 2.0]), rate=0.3, audit_prob=[0.1, 0.5], fine=1.5
    )
    np.testing.assert_array_equal(
        report.rent, inflation.inflation_rent(0.3, np.array([0.1, 0.5]), 1.5)
    )
    # The rent is the filer's gain at the optimal inflation: α·d − aφ·d².
    d = report.inflation
    np.testing.assert_allclose(report.rent, 0.3 * d - np.array([0.1, 0.5]) * 1.5 * d**2)


# -- the M1 closed forms ----------------------------------------------------------------------------
def _game(gamma, n=4, seed=3):
    rng = np.random.default_rng(seed)
    return cg.PreparednessGame(
        share=rng.uniform(0.01, 0.1, n),
        cost=rng.uniform(0.5, 3.0, n),
        weight=rng.uniform(0.5, 1.5, n),
        prob=0.3,
        harm=200.0,
        efficacy=0.1,
        cost_exponent=gamma,
        baseline=0.5,
    )


def test_linear_sum_closed_form_is_the_solvers():
    g = _game(1.0)
    top = float(np.max(g.share * g.weight / g.private_cost))
    r_star = float(linear_sum_robustness(g.scale * g.efficacy, top, g.efficacy, g.baseline))
    assert cg.solve(g)[0].robustness == pytest.approx(r_star, rel=1e-15)
    planner = float(np.max(g.weight / g.cost))
    r_opt = float(linear_sum_robustness(g.scale * g.efficacy, planner, g.efficacy, g.baseline))
    assert cg.solvers.aggregative.optimum_preparedness(g).robustness == pytest.approx(
        r_opt, rel=1e-15
    )
    # Nothing at stake: the baseline.
    assert float(linear_sum_robustness(0.0, top, g.efficacy, g.baseline)) == g.baseline


def test_interior_aggregate_solves_its_equation():
    level = np.array([-3.0, 0.0, 2.0, 40.0])
    a = interior_aggregate(level, 0.2, 2.5)
    np.testing.assert_allclose(1.5 * np.log(a) + 0.2 * a, level, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("gamma", [1.0, 2.0, 3.5])
def test_metrics_grid_agrees_with_the_solver(gamma):
    from coordgap.analysis.metrics import PreparednessMetrics

    g = _game(gamma)
    metrics = PreparednessMetrics(g)
    columns = {"prob": np.array([0.1, 0.3]), "harm": np.array([50.0, 200.0])}
    grid = metrics.evaluate_grid(columns)
    for k in range(2):
        cell = g.replace(prob=columns["prob"][k], harm=columns["harm"][k])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cg.errors.DegenerateGameWarning)
            solved = cg.solve(cell)
        optimum = cg.solvers.aggregative.optimum_preparedness(cell)
        assert grid["robustness_nash"][k] == pytest.approx(solved[0].robustness, rel=1e-12)
        assert grid["robustness_opt"][k] == pytest.approx(optimum.robustness, rel=1e-12)


# -- the bond vocabulary ----------------------------------------------------------------------------
def test_bond_vocabulary_is_filer_and_capacity():
    from coordgap.instruments.bond import BOND_BASES, bond_basis

    assert BOND_BASES == ("filer", "capacity")
    assert cg.params.parameters(cg.PerformanceBond)["per"].choices == BOND_BASES
    with pytest.warns(DeprecationWarning, match="per='actor' is deprecated"):
        assert bond_basis("actor") == "filer"
    with pytest.raises(cg.errors.InvalidParameterError, match="per"):
        bond_basis("actors")


def test_optimal_bond_old_spelling_warns_and_means_filer():
    model = cg.PolicyModel.default()
    new = cg.optimal_bond(model, bonds=[0.0, 1.0], refine=0, per="filer")
    with pytest.warns(DeprecationWarning, match="optimal_bond: per='actor'"):
        old = cg.optimal_bond(model, bonds=[0.0, 1.0], refine=0, per="actor")
    assert old.per == "filer"
    np.testing.assert_array_equal(old.welfare, new.welfare)
    with pytest.raises(cg.errors.InvalidParameterError, match="per"):
        cg.optimal_bond(model, bonds=[0.0, 1.0], refine=0, per="unit")


# -- one atomic writer ------------------------------------------------------------------------------
def test_write_nfg_uses_the_atomic_writer(tmp_path, monkeypatch):
    from coordgap import files
    from coordgap.games import nfg

    calls = []
    real = files.atomic_write_text

    def spy(path, text):
        calls.append(Path(path))
        return real(path, text)

    monkeypatch.setattr(nfg, "atomic_write_text", spy)
    game = cg.NormalFormGame([[[3, 3], [0, 2]], [[2, 0], [1, 1]]])
    target = tmp_path / "new" / "game.nfg"
    assert nfg.write_nfg(game, target) == target
    assert calls == [target]
    assert sorted(p.name for p in target.parent.iterdir()) == ["game.nfg"]  # no temporary left
    back = nfg.read_nfg(target)
    np.testing.assert_array_equal(back.payoffs, game.payoffs)


# -- layers -----------------------------------------------------------------------------------------
_LAYERS = ["games", "solvers", "api", "instruments", "analysis", "spec", "registry", "plots"]


@pytest.mark.parametrize(
    "module",
    [
        "games/commitment.py",
        "games/capture.py",
        "games/participation.py",
        "games/calibration.py",
        "games/lognormal.py",
        "games/inflation.py",
        "games/preparedness.py",
        "games/nfg.py",
    ],
)
def test_games_modules_import_nothing_above_games(module):
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    above = set(_LAYERS[1:]) | {"cli"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
            assert node.module.split(".")[0] not in above, (module, node.module)
    importlib.import_module("coordgap." + module[:-3].replace("/", "."))
