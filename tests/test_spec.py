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
