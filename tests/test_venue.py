"""Standing coordination venue: joining-cost cut, equilibrium selection, fiscal cost.

The equilibria are recomputed here by brute force over every participation profile of a small
model, from the payoff definition u_i = s_i·V(P) − (k_i − I_i)·[i ∈ P] with
V(P) = p·H·(1 − exp(−κ·Σ_P w_i q_i))·φ(|P|) and the logistic φ(m) = 1/(1 + e^{−σ(m − m*)})
(no voluntary preparedness, so R0 = 0), not with the package's solvers.
"""

from pathlib import Path

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design
from coordgap.analysis.registry_instruments import venue_outcome
from coordgap.errors import InvalidParameterError
from coordgap.instruments import StandingVenue
from coordgap.instruments.base import ActorTable, PolicyModel
from coordgap.instruments.venue import expected_metrics, venue_selection

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "living_registry.toml"
JOIN_COST = np.array([0.8, 1.0, 1.2, 1.4, 1.6, 1.8])


@pytest.fixture(scope="module")
def model():
    """Six actors, a logistic critical mass: no one filing and everyone filing are both
    equilibria without a venue (checked by brute force below)."""
    table = ActorTable(
        share=0.12,
        join_cost=JOIN_COST,
        capacity=1.0,
        response_cost_median=0.03,
        response_cost_sigma=0.8,
        response_benefit=10.0,
        n_actors=6,
    )
    return PolicyModel(
        actors=table,
        prob=0.1,
        harm=2000.0,
        efficacy=0.2,
        critical_mass="logistic",
        threshold=3.5,
        steepness=0.8,
        discount=0.8,
        carry_rate=0.1,
        trigger_prob=0.05,
        required=6.0,
        public_funds_cost=0.3,
    )


def brute_equilibria(game) -> np.ndarray:
    """Every pure equilibrium profile of a small logistic-critical-mass game."""
    n = game.n_actors
    x = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    assert game.critical_mass == "logistic" and game.baseline == 0.0

    def value(profiles):
        m = profiles.sum(axis=-1)
        r = (profiles * game.weight * game.capacity).sum(axis=-1)
        phi = 1.0 / (1.0 + np.exp(-game.steepness * (m - game.threshold)))
        return game.prob * game.harm * (1.0 - np.exp(-game.efficacy * r)) * phi

    net = game.cost - game.incentive
    u = game.share * value(x)[:, None] - x * net
    ok = np.ones(len(x), dtype=bool)
    for i in range(n):
        y = x.copy()
        y[:, i] = ~y[:, i]
        ok &= game.share[i] * value(y) - y[:, i] * net[i] <= u[:, i] + 1e-12
    return x[ok]


def credible_coverage(applied, joined) -> float:
    c = applied._honouring()[0]
    return float(np.sum(joined * applied.actors.capacity * c) / applied.commitment.required)


@pytest.mark.parametrize("rho", [0.0, 0.25, 0.5, 0.9])
@pytest.mark.parametrize("selection", [0.0, 0.3, 1.0])
def test_worst_best_expected_match_brute_force(model, rho, selection):
    venue = StandingVenue(cost_reduction=rho, selection=selection, annual_cost=1.5)
    design = cg.Design("venue", [venue])
    applied = design.apply(model)
    # The venue cuts every joining cost by the share rho (set here through the model's path).
    by_hand = model.set("actors.*.registry.join_cost", JOIN_COST * (1 - rho))
    np.testing.assert_allclose(applied.game.cost, by_hand.game.cost, rtol=1e-12)
    eqs = brute_equilibria(by_hand.game)
    counts = eqs.sum(axis=1)
    least, greatest = eqs[np.argmin(counts)], eqs[np.argmax(counts)]
    # A supermodular game: the least and greatest equilibria are the meet and join of all.
    assert np.array_equal(least, eqs.all(axis=0)) and np.array_equal(greatest, eqs.any(axis=0))
    out = venue_outcome(model, design)
    assert out.n_equilibria == len(eqs)
    assert out.worst["participation"] == least.sum()
    assert out.best["participation"] == greatest.sum()
    worst_cc, best_cc = credible_coverage(applied, least), credible_coverage(applied, greatest)
    assert out.worst["credible_coverage"] == pytest.approx(worst_cc, rel=1e-12)
    assert out.best["credible_coverage"] == pytest.approx(best_cc, rel=1e-12)
    expected = selection * best_cc + (1 - selection) * worst_cc
    assert out.expected["credible_coverage"] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert out.expected["participation"] == pytest.approx(
        selection * greatest.sum() + (1 - selection) * least.sum()
    )
    assert out.expected["fiscal_cost"] == pytest.approx(1.5)


def test_cost_cut_removes_the_bad_equilibrium_where_brute_force_says(model):
    """Without a venue both 'no one' and 'everyone' are equilibria; halving joining costs
    leaves 'everyone' as the only one (brute force), and the comparison reports it."""
    eqs0 = brute_equilibria(model.game)
    assert sorted(eqs0.sum(axis=1).tolist()) == [0, 6]
    eqs_half = brute_equilibria(StandingVenue(cost_reduction=0.5).apply(model).game)
    assert eqs_half.sum(axis=1).tolist() == [6]
    res = cg.compare(model, [cg.Design("venue", [StandingVenue(cost_reduction=0.5)])])
    frame = res.to_frame()
    assert frame.loc["baseline", "participation_worst"] == 0
    assert frame.loc["venue", "participation_worst"] == 6
    assert bool(frame.loc["venue", "full_participation_unique"])


def test_selection_moves_only_the_expected_outcome(model):
    """Selection does not change the game: worst and best are those of no venue."""
    base = evaluate_design(model, cg.Design("baseline"))
    out = venue_outcome(model, cg.Design("v", [StandingVenue(selection=0.7)]))
    for key in ("participation", "credible_coverage", "residual_harm"):
        assert out.worst[key] == pytest.approx(base.worst[key])
        assert out.best[key] == pytest.approx(base.best[key])
    assert out.worst["participation"] < out.expected["participation"] < out.best["participation"]
    no_venue = venue_outcome(model, cg.Design("baseline"))
    assert no_venue.selection == 0.0 and no_venue.expected == no_venue.worst


def test_fiscal_cost_appears_in_the_comparison(model):
    """A venue that changes nothing costs its running cost, whoever files: fiscal and
    programme cost, and welfare lower by (1 + λ)·cost in both equilibria."""
    cost = 2.5
    res = cg.compare(model, [cg.Design("venue", [StandingVenue(selection=0.5, annual_cost=cost)])])
    frame = res.to_frame()
    lam = model.public_funds_cost
    for side in ("worst", "best"):
        assert frame.loc["venue", f"fiscal_cost_{side}"] == pytest.approx(cost)
        assert frame.loc["venue", f"programme_cost_{side}"] == pytest.approx(cost)
        drop = frame.loc["baseline", f"welfare_{side}"] - frame.loc["venue", f"welfare_{side}"]
        assert drop == pytest.approx((1 + lam) * cost)
    readout = frame.loc["venue", "readout"]
    assert "selects the greatest equilibrium with probability 0.5" in readout


def test_several_venues_combine_independently():
    design = cg.Design("v", [StandingVenue(selection=0.2), StandingVenue(selection=0.5)])
    assert venue_selection(design) == pytest.approx(1 - 0.8 * 0.5)
    assert venue_selection(cg.Design("none")) == 0.0


def test_describe_and_value(model):
    venue = StandingVenue(cost_reduction=0.25, selection=0.4, annual_cost=3.0)
    text = venue.describe()
    assert "3 USD m per year" in text and "25%" in text and "0.4" in text
    np.testing.assert_allclose(venue.value_to_actors(model), 0.25 * JOIN_COST)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cost_reduction": -0.1},
        {"cost_reduction": 1.5},
        {"selection": 2.0},
        {"selection": float("nan")},
        {"annual_cost": -1.0},
        {"annual_cost": float("inf")},
    ],
)
def test_bad_input_raises(kwargs):
    with pytest.raises(InvalidParameterError):
        StandingVenue(**kwargs)


def test_expected_metrics_rejects_bad_input():
    with pytest.raises(InvalidParameterError):
        expected_metrics({"a": 1.0}, {"a": 2.0}, 1.5)
    with pytest.raises(InvalidParameterError):
        expected_metrics({"a": 1.0}, {"b": 2.0}, 0.5)


def test_model_file_venue(tmp_path):
    """A model file declares a venue as an instrument; a bad value is reported at its path."""
    from coordgap.spec import load_model

    spec = load_model(MODEL_FILE)
    venue = next(d for d in spec.designs if d.name == "venue").instruments[0]
    assert isinstance(venue, StandingVenue) and venue.annual_cost == 2.0
    text = MODEL_FILE.read_text(encoding="utf-8").replace("selection = 0.5", "selection = 1.5")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(cg.errors.SpecError, match=r"designs\.venue\.instruments\[0\]\.selection"):
        load_model(bad)
