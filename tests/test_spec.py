"""Model files: the packaged default, and every problem reported at once with its dotted path."""

import numpy as np
import pytest

import coordgap as cg


def test_default_model_builds_the_documented_game():
    spec = cg.load_model()
    game = spec.preparedness_game()
    assert game.n_actors == sum(g.count for g in spec.actors) == 58
    assert set(game.roles) == {"ai_developer", "cloud_provider", "government_agency",
                               "infrastructure_operator", "civil_society"}
    assert float(np.sum(game.share)) <= 1.0
    # Every number in the default model carries a unit and a source.
    assert all(path in spec.sources for path in spec.units)
    assert len(spec.units) >= 5 + 5 * 3


def test_overrides_replace_parameters():
    game = cg.load_model().preparedness_game(prob=0.5)
    assert game.prob == 0.5


def test_all_problems_reported_at_once(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        '[model]\nnmae = "x"\n'
        '[preparedness]\nprob = { value = 2.0, unit = "1" }\nharm = nan\nefficacy = "fast"\n'
        '[actors.dev]\ncount = 3\nshare = 0.5\ncost = 1.0\n'
        '[actors.gov]\ncount = 1.5\nshare = 0.1\ncost = 0.0\nweigth = 1.0\n')
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    problems = exc.value.problems
    text = "\n".join(problems)
    for dotted in ("model.nmae", "preparedness.prob", "preparedness.harm",
                   "preparedness.efficacy", "actors.gov.count", "actors.gov.cost",
                   "actors.gov.weigth", "actors"):
        assert dotted in text, dotted
    assert "Did you mean 'name'?" in text and "Did you mean 'weight'?" in text
    assert "sum to at most 1" in text  # 3 × 0.5 > 1
    assert isinstance(exc.value, ValueError)
    assert str(path) in str(exc.value)


def test_syntax_error_has_line_number(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text("[model]\nname = 'x'\nbroken = \n")
    with pytest.raises(cg.SpecError, match="line 3"):
        cg.load_model(path)


def test_actor_names_are_checked(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\nnames = ["a"]\n')
    with pytest.raises(cg.SpecError, match="actors.dev.names"):
        cg.load_model(path)


def test_default_model_has_the_required_designs():
    names = [d.name for d in cg.load_model().designs]
    for required in ("baseline", "bond", "procurement", "compute_access", "combined"):
        assert required in names


def test_policy_model_matches_the_participation_calibration():
    """The model file and the participation calibration describe the same actors."""
    model = cg.load_model().policy_model()
    reference = cg.ParticipationGame.default(incentives=False)
    for name in ("share", "cost", "capacity", "weight"):
        np.testing.assert_allclose(getattr(model.participation, name),
                                   getattr(reference, name), err_msg=name)
    assert model.participation.critical_mass == reference.critical_mass


def test_bad_designs_are_reported_with_paths(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        '[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n'
        '[designs.a]\ninstruments = [{ type = "PerformanceBnd", amount = 1.0 }]\n'
        '[designs.b]\ninstruments = [{ type = "PerformanceBond", amout = 1.0 },'
        ' { type = "Audit", prob = 2.0 }, { type = "ComputeAccess", roles = ["dve"] }]\n')
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    text = "\n".join(exc.value.problems)
    assert "designs.a.instruments[0].type" in text and "Did you mean 'PerformanceBond'" in text
    assert "designs.b.instruments[0].amout" in text and "Did you mean 'amount'" in text
    assert "designs.b.instruments[1].prob" in text
    assert "designs.b.instruments[2].roles" in text and "Did you mean 'dev'" in text


def test_registry_sections_are_validated(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[participation]\ncritical_mass = "stpe"\n[commitment]\ndiscount = 1.0\n'
                    '[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n'
                    '[actors.dev.registry]\njoin_cost = -1.0\ncapacty = 2.0\n')
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    text = "\n".join(exc.value.problems)
    for dotted in ("participation.critical_mass", "commitment.discount",
                   "actors.dev.registry.join_cost", "actors.dev.registry.capacty"):
        assert dotted in text, dotted
