"""One default calibration: the stand-alone games read the packaged default model file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import coordgap as cg
from coordgap.games.calibration import load_default_calibration

ROOT = Path(__file__).parent.parent
PACKAGED = resources.files("coordgap.data").joinpath("default_model.toml")


def _spec_fields(spec):
    """Everything a model file determines (not where it was read from)."""
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "preparedness": spec.preparedness,
        "actors": spec.actors,
        "units": spec.units,
        "sources": spec.sources,
        "participation": spec.participation,
        "commitment": spec.commitment,
        "welfare": spec.welfare,
        "designs": [repr(d) for d in spec.designs],
        "figures": spec.figures,
        "conversions": spec.conversions,
    }


def test_models_default_parses_to_the_packaged_default():
    example = ROOT / "models" / "default.toml"
    assert _spec_fields(cg.load_model(example)) == _spec_fields(cg.load_model())
    # ... and gives the stand-alone games the same numbers.
    own = tomllib.loads(example.read_text(encoding="utf-8")).get("games")
    assert own == tomllib.loads(PACKAGED.read_text(encoding="utf-8"))["games"]


def test_the_games_share_the_model_numbers():
    """Every number the stand-alone games do not set themselves is the policy model's (as
    validated and unit-converted by load_model)."""
    spec = cg.load_model()
    policy = spec.policy_model()
    game, model = cg.ParticipationGame.default(), cg.CommitmentModel.default()
    view, commitment = policy.participation, policy.commitment
    assert game.names == view.names and game.roles == view.roles
    assert model.names == commitment.names and model.roles == commitment.roles
    for name in ("share", "cost", "capacity", "weight"):
        np.testing.assert_array_equal(getattr(game, name), getattr(view, name), err_msg=name)
    for name in ("prob", "efficacy", "critical_mass", "threshold", "steepness"):
        assert getattr(game, name) == spec.preparedness.get(name, spec.participation.get(name))
    assert game.baseline == spec.preparedness["baseline"]
    for name in ("capacity", "bond", "share", "response_benefit", "response_cost_sigma"):
        np.testing.assert_array_equal(getattr(model, name), getattr(commitment, name), err_msg=name)
    for name in ("discount", "carry_rate", "trigger_prob", "required"):
        assert getattr(model, name) == spec.commitment[name], name


def test_only_the_games_section_differs():
    """The games' own numbers are exactly the [games] section of the default model."""
    doc = tomllib.loads(PACKAGED.read_text(encoding="utf-8"))
    own = doc["games"]
    game, model = cg.ParticipationGame.default(), cg.CommitmentModel.default()
    assert game.harm == own["harm"]["value"] != doc["preparedness"]["harm"]["value"]
    for key in ("incentive", "liability", "response_cost_median"):
        expected = [own["actors"][role][key]["value"] for role in model.roles]
        np.testing.assert_array_equal(getattr(model, key), expected, err_msg=key)
    np.testing.assert_array_equal(game.incentive, model.incentive)
    g = cg.GlobalParticipationGame.default()
    assert g.cost == own["global_game"]["cost"]["value"] and g.curve == "step"


def test_load_model_does_not_read_the_games_section(tmp_path):
    text = PACKAGED.read_text(encoding="utf-8")
    changed = text.replace(
        'harm = { value = 10000.0, unit = "USD m"', 'harm = { value = 12345.0, unit = "USD m"'
    )
    assert changed != text
    path = tmp_path / "model.toml"
    path.write_text(changed, encoding="utf-8")
    assert _spec_fields(cg.load_model(path)) == _spec_fields(cg.load_model())


def test_calibration_roles_follow_the_model_file():
    calib = load_default_calibration()
    spec = cg.load_model()
    assert list(calib["roles"]) == [g.role for g in spec.actors]
    for group in spec.actors:
        role = calib["roles"][group.role]
        assert role["count"] == group.count
        assert role["join_cost"]["value"] == group.registry["join_cost"]


@pytest.mark.parametrize("incentives", [True, False])
def test_participation_default_is_validated_by_the_game(incentives, monkeypatch):
    """A bad number in the default file is refused by the game's declared parameters."""
    import coordgap.games.participation as participation

    calib = load_default_calibration()
    calib["roles"]["ai_developer"]["capacity"] = {"value": -1.0, "unit": "capacity units"}
    monkeypatch.setattr(participation, "load_default_calibration", lambda: calib)
    with pytest.raises(cg.errors.InvalidParameterError, match="capacity"):
        cg.ParticipationGame.default(incentives=incentives)


def test_the_games_section_is_checked_key_by_key(tmp_path):
    """``[games]`` is read by the stand-alone games only, but a model file's typos in it are
    still reported, every one at once, with dotted paths."""
    from importlib import resources

    text = resources.files("coordgap.data").joinpath("default_model.toml").read_text("utf-8")
    bad = (
        text.replace(
            '[games.global_game]\ncurve = "step"',
            '[games.global_game]\ncurve = "stepp"\nnoize = 0.1',
        )
        .replace("[games.actors.civil_society]", "[games.actors.civil_societyy]")
        .replace("[games]\nharm = ", "[games]\nharmm = 3\nharm = ")
        .replace(
            'incentive = { value = 0.9, unit = "USD m per period"',
            'incentive = { value = 0.9, unit = "metre"',
        )
    )
    path = tmp_path / "model.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(cg.SpecError) as info:
        cg.load_model(path)
    text = str(info.value)
    for expected in (
        "games.harmm: unknown key. Did you mean 'harm'?",
        "games.actors.civil_societyy: unknown role 'civil_societyy'",
        "games.global_game.noize: unknown key. Did you mean 'noise'?",
        "games.global_game.curve: must be one of 'linear', 'step', 'logistic', got 'stepp'",
        "games.actors.ai_developer.incentive.unit: 'metre' cannot be converted",
    ):
        assert expected in text, text
