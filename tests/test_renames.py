"""Renamed public names: the old spelling warns once per use and gives the same answer."""

import numpy as np
import pytest

import coordgap as cg


def test_monte_carlo_old_names_warn_and_are_the_new_objects():
    with pytest.warns(DeprecationWarning, match="use coordgap.analysis.montecarlo.monte_carlo"):
        old = cg.robustness
    assert old is cg.monte_carlo
    with pytest.warns(DeprecationWarning, match="MonteCarloResult"):
        assert cg.RobustnessResult is cg.MonteCarloResult
    assert "robustness" not in cg.__all__ and "monte_carlo" in cg.__all__


@pytest.mark.parametrize(
    ("make", "old", "new", "args"),
    [
        (cg.ParticipationGame.default, "curve", "critical_mass_curve", (np.arange(5),)),
        (
            lambda: cg.GlobalParticipationGame(cost=1.0, noise=0.1),
            "chi",
            "critical_mass_curve",
            (np.linspace(0, 1, 5),),
        ),
        (
            lambda: cg.GlobalParticipationGame(cost=1.0, noise=0.1),
            "psi",
            "benefit_fraction",
            (np.linspace(0, 1, 5),),
        ),
        (
            lambda: cg.GlobalParticipationGame(cost=1.0, noise=0.1),
            "psi_integral",
            "mean_benefit_fraction",
            (),
        ),
        (cg.CaptureModel, "sweep", "curve", ([0.0, 0.5],)),
        (cg.CaptureModel, "robustness", "instrument_survival", ()),
    ],
)
def test_renamed_methods_warn_and_agree(make, old, new, args):
    obj = make()
    with pytest.warns(DeprecationWarning, match=f"{type(obj).__name__}.{old} is deprecated"):
        before = getattr(obj, old)(*args)
    after = getattr(obj, new)(*args)
    if hasattr(after, "to_frame"):
        before, after = before.to_frame(), after.to_frame()
    if hasattr(after, "equals"):
        assert after.equals(before)
    else:
        np.testing.assert_array_equal(np.asarray(before), np.asarray(after))


def test_psi_is_the_benefit_fraction_formula():
    """ψ(ℓ) = β + (1 − β)·χ(ℓ), checked from the two renamed methods' definitions."""
    g = cg.GlobalParticipationGame(cost=1.0, noise=0.1)
    ell = np.linspace(0, 1, 11)
    np.testing.assert_allclose(
        g.benefit_fraction(ell), g.standalone + (1 - g.standalone) * g.critical_mass_curve(ell)
    )


def test_classics_old_location_warns_and_is_the_new_package():
    import importlib
    import sys

    sys.modules.pop("coordgap.games.classics", None)
    with pytest.warns(DeprecationWarning, match="use coordgap.classics"):
        old = importlib.import_module("coordgap.games.classics")
    assert old is importlib.import_module("coordgap.classics") is cg.classics
    assert old.RegimeChange is cg.classics.RegimeChange
