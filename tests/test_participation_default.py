"""The seeds' qualitative claims on the packaged default calibration, and the data file."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

import coordgap as cg
from coordgap.games.participation import load_default_calibration
from coordgap.solvers.lattice import monotone_iteration


def test_calibration_comes_from_the_default_model_and_every_number_has_unit_and_source():
    data = resources.files("coordgap.data")
    assert data.joinpath("default_model.toml").is_file()
    assert not data.joinpath("default_participation.toml").is_file()  # one default file
    calib = load_default_calibration()

    def walk(node, path):
        if isinstance(node, dict) and "value" in node:
            assert isinstance(node["value"], (int, float)), path
            assert node.get("unit"), f"{path} has no unit"
            assert node.get("source"), f"{path} has no source"
            return 1
        if isinstance(node, dict):
            return sum(walk(v, f"{path}.{k}") for k, v in node.items())
        assert not isinstance(node, (int, float)) or isinstance(node, bool), (
            f"{path} is a bare number"
        )
        return 0

    # Role counts are plain integers in a model file; every other number is a quantity.
    counts = {r: spec.pop("count") for r, spec in calib["roles"].items()}
    assert walk(calib, "") > 50
    assert counts["ai_developer"] <= 6 and counts["cloud_provider"] <= 6
    assert counts["government_agency"] > counts["ai_developer"]
    assert counts["infrastructure_operator"] > counts["cloud_provider"]
    assert counts["civil_society"] >= 20


def test_default_models_load():
    g = cg.ParticipationGame.default()
    m = cg.CommitmentModel.default()
    assert g.n_actors == m.n_actors == 58 and g.roles == m.roles
    assert float(np.sum(g.share)) <= 1.0
    np.testing.assert_array_equal(g.capacity, m.capacity)
    np.testing.assert_array_equal(g.incentive, m.incentive)


def test_without_incentives_participation_collapses_to_the_least_equilibrium():
    game = cg.ParticipationGame.default(incentives=False)
    eq = cg.solve(game)
    assert eq.complete and eq.method == "type-counts"
    assert eq.least.count == 0 and eq.least.max_regret == 0.0  # nobody joins: an equilibrium
    assert eq.greatest.count < game.n_actors  # full participation is not one
    assert game.regrets(np.ones(game.n_actors, dtype=bool)).max() > 0
    # Starting from full participation, best responses unravel step by step to nobody.
    joined, converged, monotone, _ = monotone_iteration(game, "in")
    assert converged and monotone and not joined.any()


def test_with_default_incentives_participation_is_possible_but_not_assured():
    game = cg.ParticipationGame.default()
    eq = cg.solve(game)
    assert eq.greatest.count >= 45 and eq.greatest.coverage > 0.95
    assert eq.least.count == 0  # coordination can still fail
    assert eq.full_participation_unique is False


@pytest.mark.slow
def test_large_enough_incentives_make_full_participation_unique():
    game = cg.ParticipationGame.default()
    r = cg.unique_participation_incentive(game, how="scale", tol=1e-3)
    assert r.unique_at_level and not r.unique_below
    assert 1.0 < r.level < 1.5
    richer = game.replace(incentive=game.incentive * (r.level + 1e-3))
    eq = cg.solve(richer)
    assert eq.full_participation_unique is True and len(eq) == 1
    # Independent check: best-response iteration from nobody reaches everybody.
    joined, converged, _, _ = monotone_iteration(richer, "out")
    assert converged and joined.all()


@pytest.mark.parametrize("factor", [0.0, 0.5, 1.0, 1.5])
def test_default_equilibria_are_certified(factor):
    game = cg.ParticipationGame.default()
    eq = cg.solve(game.replace(incentive=game.incentive * factor))
    assert eq.max_regret <= 1e-12
