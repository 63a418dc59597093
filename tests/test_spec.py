"""Model files: the packaged default, and every problem reported at once with its dotted path."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.spec import units, validate


def test_default_model_builds_the_documented_game():
    spec = cg.load_model()
    game = spec.preparedness_game()
    assert game.n_actors == sum(g.count for g in spec.actors) == 58
    assert set(game.roles) == {
        "ai_developer",
        "cloud_provider",
        "government_agency",
        "infrastructure_operator",
        "civil_society",
    }
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
        "[actors.dev]\ncount = 3\nshare = 0.5\ncost = 1.0\n"
        "[actors.gov]\ncount = 1.5\nshare = 0.1\ncost = 0.0\nweigth = 1.0\n"
    )
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    problems = exc.value.problems
    text = "\n".join(problems)
    for dotted in (
        "model.nmae",
        "preparedness.prob",
        "preparedness.harm",
        "preparedness.efficacy",
        "actors.gov.count",
        "actors.gov.cost",
        "actors.gov.weigth",
        "actors",
    ):
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
        np.testing.assert_allclose(
            getattr(model.participation, name), getattr(reference, name), err_msg=name
        )
    assert model.participation.critical_mass == reference.critical_mass


def test_bad_designs_are_reported_with_paths(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        "[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n"
        '[designs.a]\ninstruments = [{ type = "PerformanceBnd", amount = 1.0 }]\n'
        '[designs.b]\ninstruments = [{ type = "PerformanceBond", amout = 1.0 },'
        ' { type = "Audit", prob = 2.0 }, { type = "ComputeAccess", roles = ["dve"] }]\n'
    )
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    text = "\n".join(exc.value.problems)
    assert "designs.a.instruments[0].type" in text and "Did you mean 'PerformanceBond'" in text
    assert "designs.b.instruments[0].amout" in text and "Did you mean 'amount'" in text
    assert "designs.b.instruments[1].prob" in text
    assert "designs.b.instruments[2].roles" in text and "Did you mean 'dev'" in text


def test_registry_sections_are_validated(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        '[participation]\ncritical_mass = "stpe"\n[commitment]\ndiscount = 1.0\n'
        "[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n"
        "[actors.dev.registry]\njoin_cost = -1.0\ncapacty = 2.0\n"
    )
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    text = "\n".join(exc.value.problems)
    for dotted in (
        "participation.critical_mass",
        "commitment.discount",
        "actors.dev.registry.join_cost",
        "actors.dev.registry.capacty",
    ):
        assert dotted in text, dotted


# -- units, required parameters, welfare, validation of the built models ----------------------

MINIMAL = (Path(__file__).parent / "valid_models" / "minimal_registry.toml").read_text()
PREPAREDNESS = "[preparedness]\nprob = 0.1\nharm = 1000.0\nefficacy = 0.05\ncost_exponent = 2.0\n"
ACTORS = "[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n"


def _load(tmp_path, text, name="m.toml"):
    path = tmp_path / name
    path.write_text(text)
    return cg.load_model(path)


def _problems(tmp_path, text) -> str:
    with pytest.raises(cg.SpecError) as exc:
        _load(tmp_path, text)
    return "\n".join(exc.value.problems)


def test_usd_bn_converts_to_usd_m_and_the_conversion_is_recorded(tmp_path):
    text = PREPAREDNESS.replace("harm = 1000.0", 'harm = { value = 10, unit = "USD bn" }')
    spec = _load(tmp_path, text + ACTORS)
    assert spec.preparedness["harm"] == 10000.0
    assert spec.preparedness_game().harm == 10000.0
    assert spec.conversions["preparedness.harm"] == "10 USD bn = 10000 USD m"
    assert spec.units["preparedness.harm"] == "USD m"  # the unit the loaded value is in


def test_a_rate_per_decade_converts_to_per_year(tmp_path):
    text = PREPAREDNESS.replace("prob = 0.1", 'prob = { value = 1, unit = "1 per decade" }')
    spec = _load(tmp_path, text + ACTORS)
    assert spec.preparedness["prob"] == pytest.approx(0.1, rel=1e-15)
    assert spec.conversions["preparedness.prob"] == "1 per decade = 0.1 per year"


def test_the_packaged_model_needs_no_conversion():
    spec = cg.load_model()
    assert spec.conversions == {}
    assert spec.welfare == {"public_funds_cost": 0.3}
    assert "Dahlby" in spec.sources["welfare.public_funds_cost"]


# (unit, factor to the key's stored unit) for three keys; each list holds compatible spellings.
SPELLINGS = {
    "preparedness.harm": [
        ("USD m", 1.0),
        ("USD k", 1e-3),
        ("USD bn", 1e3),
        ("MUSD", 1.0),
        ("USD million", 1.0),
        ("USD billion", 1e3),
        ("USD", 1e-6),
    ],
    "actors.dev.registry.join_cost": [
        ("USD m per period", 1.0),
        ("USD m per year", 1.0),
        ("USD k per year", 1e-3),
        ("USD m per month", 12.0),
        ("USD bn per decade", 100.0),
    ],
    "commitment.trigger_prob": [
        ("1 per year", 1.0),
        ("per year", 1.0),
        ("1 per period", 1.0),
        ("1 per decade", 0.1),
        ("percent per year", 0.01),
    ],
}
REGISTRY = (
    "[commitment]\ndiscount = 0.8\ncarry_rate = 0.1\ntrigger_prob = 0.05\n"
    "[actors.dev.registry]\njoin_cost = 1.0\ncapacity = 2.0\n"
    "response_cost_median = 1.0\nresponse_cost_sigma = 1.0\n"
)


def _with_quantity(path: str, value: float, unit: str) -> str:
    quantity = f'{{ value = {value!r}, unit = "{unit}" }}'
    key = path.rsplit(".", 1)[1]
    text = PREPAREDNESS + ACTORS + REGISTRY
    lines = [
        f"{key} = {quantity}" if line.split(" = ")[0] == key else line for line in text.splitlines()
    ]
    return "\n".join(lines) + "\n"


def _loaded(spec, path: str) -> float:
    parts = path.split(".")
    if parts[0] == "actors":
        return spec.actors[0].registry[parts[-1]]
    return getattr(spec, parts[0])[parts[1]]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_a_quantity_in_any_compatible_unit_loads_to_the_same_value(data, tmp_path_factory):
    path = data.draw(st.sampled_from(sorted(SPELLINGS)), label="path")
    stored = data.draw(st.floats(1e-3, 0.9), label="value in the stored unit")
    (unit_a, fa), (unit_b, fb) = data.draw(
        st.lists(st.sampled_from(SPELLINGS[path]), min_size=2, max_size=2), label="units"
    )
    tmp = tmp_path_factory.mktemp("units")
    a = _load(tmp, _with_quantity(path, stored / fa, unit_a), "a.toml")
    b = _load(tmp, _with_quantity(path, stored / fb, unit_b), "b.toml")
    assert _loaded(a, path) == pytest.approx(stored, rel=1e-12)
    assert _loaded(a, path) == pytest.approx(_loaded(b, path), rel=1e-12)


def test_unit_problems_name_the_path(tmp_path):
    text = (
        (PREPAREDNESS + ACTORS)
        .replace("cost = 1.0", 'cost = { value = 1.0, unit = "USD m per year" }')
        .replace("efficacy = 0.05", 'efficacy = { value = 0.05, unit = "per furlong" }')
        .replace("harm = 1000.0", 'harm = { value = 1.0, unit = "USD m per" }')
    )
    text = text.replace(
        "[actors.dev]",
        '[welfare]\npublic_funds_cost = { value = 0.3, unit = "USD m" }\n[actors.dev]',
    )
    problems = _problems(tmp_path, text)
    assert (
        "actors.dev.cost.unit: 'USD m per year' cannot be converted to the parameter's "
        "unit 'USD m per unit^2'"
    ) in problems
    assert "preparedness.efficacy.unit: 'per furlong' cannot be converted" in problems
    assert "preparedness.harm.unit: cannot read the unit 'USD m per'" in problems
    assert "welfare.public_funds_cost.unit: 'USD m' cannot be converted" in problems


def test_a_discount_factor_is_per_period_only(tmp_path):
    base = PREPAREDNESS + ACTORS + REGISTRY
    for unit in ("1", "1 per period", "1 per year"):
        text = base.replace("discount = 0.8", f'discount = {{ value = 0.8, unit = "{unit}" }}')
        assert _load(tmp_path, text).commitment["discount"] == 0.8
    text = base.replace("discount = 0.8", 'discount = { value = 0.8, unit = "1 per decade" }')
    assert "commitment.discount.unit: '1 per decade' cannot be converted" in _problems(
        tmp_path, text
    )


def test_every_declared_unit_is_readable():
    """The units of every declared parameter of the model classes parse with pint."""
    import dataclasses
    import importlib
    import pkgutil

    from coordgap.params import parameters

    declared = set()
    packages = ("coordgap.games", "coordgap.classics", "coordgap.instruments", "coordgap.registry")
    for package in packages:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            if info.name == "coordgap.games.classics":  # the deprecated alias of classics
                continue
            for obj in vars(importlib.import_module(info.name)).values():
                if isinstance(obj, type) and dataclasses.is_dataclass(obj):
                    declared |= {p.unit for p in parameters(obj).values() if p.unit}
    assert {"USD m", "1", "capacity units", "USD m per unit²"} <= declared
    for unit in sorted(declared):
        units.readable(unit)


def test_every_missing_required_parameter_is_listed_at_once(tmp_path):
    problems = _problems(
        tmp_path,
        "[commitment]\nrequired = 3.0\n"
        '[participation]\ncritical_mass = "logistic"\n'
        "[actors.dev]\ncount = 2\n[actors.dev.registry]\nbond = 1.0\n"
        "[actors.gov]\nshare = 0.1\ncost = 1.0\n",
    )
    for path in (
        "preparedness.prob",
        "preparedness.harm",
        "preparedness.efficacy",
        "participation.threshold",
        "participation.steepness",
        "commitment.discount",
        "commitment.carry_rate",
        "commitment.trigger_prob",
        "actors.dev.share",
        "actors.dev.cost",
        "actors.dev.registry.join_cost",
        "actors.dev.registry.capacity",
        "actors.dev.registry.response_cost_median",
        "actors.dev.registry.response_cost_sigma",
        "actors.gov.registry",
    ):
        assert f"{path}: is required" in problems, path


def test_optional_keys_may_be_left_out(tmp_path):
    spec = _load(tmp_path, "[preparedness]\nprob = 0.1\nharm = 10.0\nefficacy = 0.5\n" + ACTORS)
    game = spec.preparedness_game()
    assert (game.cost_exponent, game.aggregator, game.baseline) == (1.0, "sum", 0.0)
    assert spec.welfare == {} and spec.conversions == {} and not spec.has_registry
    text = PREPAREDNESS.replace("cost_exponent = 2.0", 'aggregator = "ces"') + ACTORS
    assert "preparedness.ces_rho: is required" in _problems(tmp_path, text)


def test_a_left_out_cost_exponent_means_the_same_to_every_command(tmp_path):
    text = (Path(__file__).parents[1] / "models" / "default.toml").read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("cost_exponent")]
    # With γ = 1 the cost c is per unit, not per unit².
    spec = _load(tmp_path, "\n".join(lines).replace("USD m per unit^2", "USD m per unit") + "\n")
    # solve reads the preparedness game, compare the policy model: both linear cost (γ = 1).
    assert spec.preparedness_game().cost_exponent == 1.0
    assert spec.policy_model().cost_exponent == 1.0
    assert spec.policy_model().preparedness.cost_exponent == 1.0


def test_ces_rho_zero_is_rejected_at_load_time(tmp_path):
    text = PREPAREDNESS + 'aggregator = "ces"\nces_rho = 0.0\n' + ACTORS
    assert "preparedness.ces_rho: must be a finite float <= 1 and != 0, got 0.0" in _problems(
        tmp_path, text
    )


def test_counts_and_numbers_beyond_the_magnitude_rule(tmp_path):
    text = (
        PREPAREDNESS.replace("harm = 1000.0", "harm = 1" + "0" * 400).replace(
            "efficacy = 0.05", "efficacy = 1e-200"
        )
        + ACTORS.replace("count = 2", "count = 1000001")
        + '[figures.f]\nkind = "disclosure"\nparams = { cost = 1e200 }\n'
    )
    problems = _problems(tmp_path, text)
    assert (
        "preparedness.harm: must be a finite float >= 0, got an integer of about 401 "
        "digits, too large for a float" in problems
    )
    assert "preparedness.efficacy: must be 0 or a float of magnitude between 1e-150" in problems
    assert "actors.dev.count: must be an integer >= 1 and <= 1000000, got 1000001" in problems
    assert "figures.f.params.cost: must be 0 or a float of magnitude" in problems


def test_welfare_section(tmp_path):
    spec = _load(tmp_path, PREPAREDNESS + ACTORS + "[welfare]\npublic_funds_cost = 0.25\n")
    assert spec.welfare == {"public_funds_cost": 0.25}
    problems = _problems(
        tmp_path, PREPAREDNESS + ACTORS + "[welfare]\npublic_funds_cost = -1\nlambda = 0.3\n"
    )
    assert "welfare.public_funds_cost: must be a finite float >= 0, got -1" in problems
    assert "welfare.lambda: unknown key" in problems


@pytest.mark.slow
def test_validate_builds_every_model_and_returns_the_spec(tmp_path):
    assert validate(None).name == "default"
    spec = cg.load_model()
    assert validate(spec) is spec
    path = tmp_path / "m.toml"
    path.write_text(MINIMAL)
    assert validate(path).conversions["preparedness.harm"] == "1 USD bn = 1000 USD m"


def test_rules_broken_while_building_are_mapped_to_model_file_paths():
    from coordgap.errors import InvalidParameterError, Shown
    from coordgap.spec.building import _path

    spec = cg.load_model()
    roles = spec._labels()[1]
    k = roles.index("civil_society")

    def where(owner, name, value):
        return _path(spec, InvalidParameterError(owner, name, "a rule", value))

    at = Shown(f'-1.0 at actor {k} ("x")')
    assert where("ParticipationGame", "cost", at) == "actors.civil_society.registry.join_cost"
    assert where("PreparednessGame", "cost", at) == "actors.civil_society.cost"
    assert where("CommitmentModel", "bond", at) == "actors.civil_society.registry.bond"
    assert where("ActorTable", "registry_weight", at) == "actors.civil_society.registry.weight"
    assert where("ParticipationGame", "cost", Shown("lengths 3, 4")) == "actors"
    assert where("PreparednessGame", "ces_rho", 0.0) == "preparedness.ces_rho"
    assert where("PolicyModel", "steepness", 0.0) == "participation.steepness"
    assert where("PolicyModel", "public_funds_cost", -1.0) == "welfare.public_funds_cost"


def test_static_distribution_check_agrees_with_scipy():
    """The loader checks distribution tables without scipy.stats; its verdict must be scipy's
    (building the frozen distribution, as figures do) on boundary and random parameters."""
    import itertools

    from coordgap.spec.figures import _FAMILIES, check_distribution, distribution

    rng = np.random.default_rng(7)
    values = [-1.0, 0.0, 0.5, 1.0, 2.0]
    for name, (shapes, _) in _FAMILIES.items():
        cases = [
            dict(zip(shapes, combo)) for combo in itertools.product(values, repeat=len(shapes))
        ]
        cases += [dict(zip(shapes, rng.uniform(-2, 3, len(shapes)))) for _ in range(30)]
        for shape in cases:
            for extra in ({}, {"loc": 1.0, "scale": 2.0}, {"scale": 0.0}, {"scale": -1.0}):
                table = {"dist": name, **shape, **extra}
                try:
                    check_distribution(table)
                    static = True
                except cg.SpecError:
                    static = False
                try:
                    distribution(table)
                    built = True
                except cg.SpecError:
                    built = False
                assert static == built, (table, static, built)
    for table in (
        {"dist": "lognorm"},  # a shape parameter missing
        {"dist": "norm", "s": 1.0},  # a parameter the family does not take
        {"dist": "uniform", "loc": float("nan")},
    ):
        with pytest.raises(cg.SpecError):
            check_distribution(table)
        with pytest.raises(cg.SpecError):
            distribution(table)


def test_a_broken_actor_section_is_reported_once_not_again_by_every_design(tmp_path):
    text = (Path(__file__).parents[1] / "models" / "default.toml").read_text()
    problems = _problems(tmp_path, text.replace("USD m per unit^2", "USD m per unit^3"))
    assert "cannot be converted" in problems
    # the roles still exist: designs and [games] naming them are not wrong as well
    assert "unknown role" not in problems
