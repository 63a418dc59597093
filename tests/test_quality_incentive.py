"""Incentives tied to plan quality vs per-filer incentives sized by declared capacity.

Performative inflation: a filer paid α per declared unit, audited with probability a and
fined φ per squared unit of shortfall, maximizes α·d − aφ·d² and inflates by d = α/(2aφ).
Sized by audited credible capacity with a share π of the score verified, only (1 − π)·α is
paid per declared unit, so d′ = (1 − π)·α′/(2aφ).

Equal fiscal cost (the derivation of docs/living-registry-instruments.md): over the same
members, the declared basis costs B = Σ α(q_i + kα) with k = 1/(2aφ), and the credible basis
B = Σ α′[π q_i c_i + (1 − π)(q_i + k(1 − π)α′)] ≥ Σ x(q_i + kx) with x = (1 − π)α′. The map
y ↦ Σ y(q_i + ky) is increasing, so x ≤ α and d′ = kx ≤ kα = d, strictly when π·Σ q_i c_i > 0.
"""

import math

import numpy as np
import pytest
from scipy import optimize

import coordgap as cg
from coordgap.analysis.registry_instruments import quality_comparison
from coordgap.errors import InvalidParameterError
from coordgap.instruments import QualityIncentive
from coordgap.instruments.quality import equal_cost_rates


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default()


def test_inflation_closed_form(model):
    """d = (1 − π)·α/(2aφ) for each basis; the cap binds without audits."""
    audited = cg.Audit(prob=0.4, fine=2.5).apply(model)  # 2aφ = 2
    for basis, pi, expected in (
        ("declared", 1.0, 0.3 / 2),
        ("credible", 0.0, 0.3 / 2),
        ("credible", 0.25, 0.75 * 0.3 / 2),
        ("credible", 1.0, 0.0),
    ):
        applied = QualityIncentive(rate=0.3, basis=basis, precision=pi).apply(audited)
        assert applied.inflation == pytest.approx(expected, abs=1e-15)
    unaudited = QualityIncentive(rate=0.3, basis="declared").apply(model)
    assert unaudited.inflation == model.inflation_cap


def test_hand_computed_equal_cost_case(model):
    """Budget 40 USD m a year, audits a = 0.5, φ = 2 (k = 1/(2aφ) = 0.5): every actor files
    under the declared basis, so 40 = Σ α(q_i + 0.5α) = 0.5·N·α² + Q·α, solved here by the
    quadratic formula; the credible basis (π = 0.8) pays α′[0.8 q_i c_i + 0.2(q_i + d′)]."""
    budget, a, phi, pi = 40.0, 0.5, 2.0, 0.8
    res = quality_comparison(model, [budget], precision=pi, fixed=[cg.Audit(prob=a, fine=phi)])
    frame = res.to_frame().set_index("basis")
    declared, credible = frame.loc["declared"], frame.loc["credible"]
    assert declared.reached and credible.reached
    assert declared.participation_worst == model.n_actors
    n, q = model.n_actors, float(np.sum(model.actors.capacity))
    k = 1.0 / (2 * a * phi)
    alpha = (-q + math.sqrt(q * q + 4 * k * n * budget)) / (2 * k * n)
    assert declared.rate == pytest.approx(alpha, rel=1e-6)
    assert declared.inflation == pytest.approx(k * alpha, rel=1e-6)
    # Credible basis: inflation from its rate, and the budget identity over its members.
    alpha_c = credible.rate
    d_c = k * (1 - pi) * alpha_c
    assert credible.inflation == pytest.approx(d_c, rel=1e-12)
    design = cg.Design(
        "c", [cg.Audit(prob=a, fine=phi), QualityIncentive(rate=alpha_c, precision=pi)]
    )
    applied = design.apply(model)
    joined = cg.solve(applied.game).least.joined
    t, c = applied.actors, applied._honouring()[0]
    spend = np.sum(joined * alpha_c * (pi * t.capacity * c + (1 - pi) * (t.capacity + d_c)))
    assert spend == pytest.approx(budget, rel=1e-6)
    # The claim: less inflation at the same cost (here 0.2·α′·k against α·k).
    assert credible.inflation < declared.inflation


# (audit probability, fine, precision, budget), drawn once from a fixed generator.
_RNG = np.random.default_rng(20261204)
CASES = [
    (
        float(_RNG.uniform(0.1, 1)),
        float(_RNG.uniform(0.5, 5)),
        float(p),
        float(_RNG.uniform(20, 120)),
    )
    for p in _RNG.uniform(0.05, 1.0, size=10)
]


@pytest.mark.parametrize("a, phi, pi, budget", CASES)
def test_quality_basis_inflates_less_at_equal_fiscal_cost(model, a, phi, pi, budget):
    res = quality_comparison(model, [budget], precision=pi, fixed=[cg.Audit(prob=a, fine=phi)])
    frame = res.to_frame().set_index("basis")
    cred, decl = frame.loc["credible"], frame.loc["declared"]
    # Both spend the budget, or the credible basis spends less (its cost jumps past the
    # budget when who files changes): the derivation holds for any credible cost <= B.
    assert decl.reached
    assert cred.reached or cred.fiscal_cost < decl.fiscal_cost
    cap = model.inflation_cap
    assert cred.inflation <= decl.inflation + 1e-12
    # Total declared-minus-true capacity over the filers is lower too.
    assert (
        cred.participation_worst * cred.inflation
        <= decl.participation_worst * decl.inflation + 1e-12
    )
    k = 1.0 / (2 * a * phi)
    if decl.inflation < cap:  # uncapped: strictly less, and x = (1 − π)α′ ≤ α (derivation)
        assert cred.inflation < decl.inflation
        if cred.participation_worst == decl.participation_worst:
            assert (1 - pi) * cred.rate <= decl.rate * (1 + 1e-9)
            assert decl.inflation == pytest.approx(k * decl.rate, rel=1e-12)


def test_zero_precision_is_the_declared_basis(model):
    """π = 0: nothing verified, the same incentive as a declared basis (same rows)."""
    res = quality_comparison(model, [30.0], precision=0.0, fixed=[cg.Audit(prob=0.5, fine=2.0)])
    frame = res.to_frame().set_index("basis").drop(columns="reached")
    np.testing.assert_allclose(
        frame.loc["credible"].drop("budget").astype(float),
        frame.loc["declared"].drop("budget").astype(float),
        rtol=1e-12,
    )


def test_credible_payment_is_a_fixed_point_and_is_counted(model):
    """The member incentive added is α·π·q_i·c_i with c_i the credibility *with* it; the
    comparison's fiscal cost is that plus the declared part α(1 − π)(q_i + d) over members."""
    rate, pi = 0.6, 0.7
    design = cg.Design(
        "q", [cg.Audit(prob=0.5, fine=2.0), QualityIncentive(rate=rate, precision=pi)]
    )
    applied = design.apply(model)
    t = applied.actors
    c = applied._honouring()[0]
    np.testing.assert_allclose(t.incentive, rate * pi * t.capacity * c, rtol=1e-9, atol=1e-12)
    assert applied.declared_unit_rate == pytest.approx(rate * (1 - pi))
    outcome = cg.analysis.compare.evaluate_design(model, design)
    joined = cg.solve(applied.game).least.joined
    d = (1 - pi) * rate / (2 * 0.5 * 2.0)
    by_hand = np.sum(joined * (rate * pi * t.capacity * c + rate * (1 - pi) * (t.capacity + d)))
    assert outcome.worst["fiscal_cost"] == pytest.approx(by_hand, rel=1e-9)
    # Credibility rises with the payment (membership rent lost on default).
    assert np.all(c >= model._honouring()[0] - 1e-15)


def test_equal_cost_rates_against_a_root_finder():
    """The closed-form rates against brentq on the cost equations."""
    b, q, c, pi, a, phi = 0.7, 1.3, 0.6, 0.4, 0.3, 1.5
    k = 1 / (2 * a * phi)
    d, r = equal_cost_rates(b, q, c, pi, a, phi)
    assert d == pytest.approx(optimize.brentq(lambda x: x * (q + k * x) - b, 0, 10), rel=1e-10)
    cost = lambda x: x * (pi * q * c + (1 - pi) * (q + k * (1 - pi) * x)) - b  # noqa: E731
    assert r == pytest.approx(optimize.brentq(cost, 0, 10), rel=1e-10)
    assert (1 - pi) * r <= d


def test_describe_has_units():
    assert QualityIncentive(rate=0.2, basis="declared").describe() == (
        "a quality incentive of 0.2 USD m per unit of declared capacity"
    )
    assert "audit verifies 50%" in QualityIncentive(rate=0.2, precision=0.5).describe()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": -1.0},
        {"rate": float("nan")},
        {"basis": "claimed"},
        {"precision": 1.5},
        {"precision": -0.1},
        {"basis": "declared", "precision": 0.5},
    ],
)
def test_bad_input_raises(kwargs):
    with pytest.raises(InvalidParameterError):
        QualityIncentive(**kwargs)


def test_bad_comparison_input_raises(model):
    with pytest.raises(InvalidParameterError):
        quality_comparison(model, [-1.0])
    with pytest.raises(InvalidParameterError):
        equal_cost_rates(1.0, 1.0, 1.0, 1.0, 0.0, 1.0)


def test_model_file_quality(tmp_path):
    """The model file's designs build; a bad basis is reported at its path."""
    from pathlib import Path

    from coordgap.spec import load_model

    path = Path(__file__).resolve().parents[1] / "models" / "living_registry.toml"
    spec = load_model(path)
    item = next(d for d in spec.designs if d.name == "quality").instruments[1]
    assert isinstance(item, QualityIncentive) and item.precision == 0.8
    bad = tmp_path / "bad.toml"
    bad.write_text(
        path.read_text(encoding="utf-8").replace('basis = "declared"', 'basis = "claimed"')
    )
    with pytest.raises(cg.errors.SpecError, match=r"declared_incentive\.instruments\[1\]\.basis"):
        load_model(bad)
