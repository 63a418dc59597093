"""Critical levels: every window where a target holds, checked against brute-force scans.

The target's metric is not monotone in an instrument's level (a bond raises credibility but
also the cost of joining, so participation can collapse), so the search must return every
interval of levels meeting the target. The references here are independent of the search:
fine uniform scans of the same levels, on synthetic piecewise-smooth metrics (fast, dense) and
on small policy models and the default model (the real solver).
"""

from types import SimpleNamespace
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.analysis import critical as critical_module
from coordgap.analysis.compare import evaluate_design

ROLES = (
    "ai_developer",
    "cloud_provider",
    "government_agency",
    "infrastructure_operator",
    "civil_society",
)


def small_model(seed: int) -> cg.PolicyModel:
    """A random policy model of 3 to 7 actors with a critical mass and a commitment model."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 8))
    roles = tuple(str(r) for r in rng.choice(ROLES, n))
    share = rng.uniform(0.01, 0.06, n)
    capacity = rng.uniform(0.3, 4.0, n)
    game = cg.ParticipationGame(
        share=share,
        cost=rng.uniform(0.05, 1.5, n),
        capacity=capacity,
        prob=0.1,
        harm=float(rng.uniform(1000, 6000)),
        efficacy=0.05,
        critical_mass="logistic",
        threshold=n / 2,
        steepness=float(rng.uniform(0.3, 2.0)),
        roles=roles,
    )
    commitment = cg.CommitmentModel(
        capacity=capacity,
        share=share,
        liability=rng.uniform(0, 1, n),
        response_benefit=rng.uniform(5, 20, n),
        response_cost_median=rng.uniform(0.05, 4, n),
        response_cost_sigma=rng.uniform(0.5, 1.2, n),
        discount=0.8,
        carry_rate=float(rng.uniform(0.02, 0.2)),
        trigger_prob=0.05,
        roles=roles,
    )
    from_games = getattr(cg.PolicyModel, "from_games", None)
    if from_games is not None:
        return from_games(game, commitment)
    return cg.PolicyModel(participation=game, commitment=commitment)


def brute_metric(model, instrument, parameter, kind, side, levels):
    """The target's metric at each level, read straight from the evaluated design."""
    values = []
    for level in levels:
        outcome = evaluate_design(
            model, cg.Design("brute", [instrument.with_level(level, parameter)])
        )
        metrics = getattr(outcome, side)
        values.append(float(metrics["participation"] if kind == "participation" else metrics[kind]))
    return np.array(values)


def holds(model, instrument, parameter, kind, side, value, level) -> bool:
    metric = brute_metric(model, instrument, parameter, kind, side, [level])[0]
    return bool(metric >= value - 1e-12)


def assert_consistent(res, levels, feasible, check):
    """The search against a brute-force scan: every feasible level lies in a returned interval
    (whose ends are certified to tol), no failing level lies inside one, and the certificate
    holds when re-evaluated with ``check(level) -> bool``."""
    tol = res.tol
    intervals = np.array(res.intervals, dtype=float).reshape(-1, 2)
    if feasible.any():
        assert res.reachable, f"brute force finds {levels[feasible][:5]} but: {res.message}"
    covered = (
        (levels[:, None] >= intervals[:, 0] - tol - 1e-12)
        & (levels[:, None] <= intervals[:, 1] + tol + 1e-12)
    ).any(axis=1)
    missed = levels[feasible & ~covered]
    assert missed.size == 0, f"feasible levels outside {res.intervals}: {missed[:5]}"
    inside = (
        (levels[:, None] > intervals[:, 0] + tol + 1e-12)
        & (levels[:, None] < intervals[:, 1] - tol - 1e-12)
    ).any(axis=1)
    holes = levels[~feasible & inside]
    assert holes.size == 0, f"failing levels inside {res.intervals}: {holes[:5]}"
    if not res.reachable:
        assert res.intervals == () and not res.success and res.status == 2
        return
    assert res.success, res.message
    assert res.level == res.intervals[0][0] and res.holds_at_level
    assert check(res.level)
    lower = res.search_range[0]
    if res.level - tol >= lower:
        assert res.fails_below and not check(res.level - tol)
    for lo, hi in res.intervals:
        assert lo <= hi and check(lo) and check(hi)
    for (_, hi), (lo, _) in zip(res.intervals, res.intervals[1:]):
        assert lo - hi > tol  # separate windows: something failing lies between them


# -- synthetic metrics: piecewise smooth, jumping where the "equilibrium" changes -----------


@st.composite
def piecewise_metrics(draw):
    """Jumps on [0, 10] more than twice the scan spacing apart and, between them, concave
    quadratic pieces (each may peak inside), each with its own equilibrium. The target sits
    just below the supremum of one piece, so the window where it holds is often much narrower
    than the scan spacing: around an interior peak, or next to a jump."""
    grid = draw(st.sampled_from([16, 48]))
    spacing = 10.0 / (grid - 1)
    n_jumps = draw(st.integers(0, 5))
    start = draw(st.floats(0.2, 3.0))
    gaps = draw(st.lists(st.floats(2.1 * spacing, 3.0), min_size=n_jumps, max_size=n_jumps))
    jumps = np.array([j for j in np.cumsum([start] + gaps) if j < 9.8])
    pieces = draw(
        st.lists(
            st.tuples(
                st.floats(0.0, 1.0),
                st.floats(-0.4, 0.4),
                st.floats(0.0, 3.0),
                st.floats(-1.0, 11.0),
            ),
            min_size=len(jumps) + 1,
            max_size=len(jumps) + 1,
        )
    )
    k = draw(st.integers(0, len(jumps)))
    edges = np.concatenate(([0.0], jumps, [10.0]))
    inside = np.linspace(edges[k], edges[k + 1], 4001)[:-1]
    top = float(synthetic(jumps, pieces, inside)[0].max())
    value = top - draw(st.sampled_from([1e-4, 1e-3, 1e-2, 0.1]))
    return jumps, pieces, value, grid


def synthetic(jumps, pieces, x):
    x = np.asarray(x, dtype=float)
    k = np.searchsorted(jumps, x, side="right")
    a, b, c, m = (np.array([p[i] for p in pieces])[k] for i in range(4))
    return 500.0 + a + b * (x - m) - c * (x - m) ** 2, k  # positive, as targets are


FLAT, BUMP = (0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 1.0)


@settings(max_examples=80, deadline=None)
@given(piecewise_metrics())
# A peak exactly halfway between two scan levels (equal metric at both).
@example((np.array([0.5]), [FLAT, (1.0, 0.0, 1.0, 1.0)], 500.9999, 16))
@example((np.array([1.0]), [FLAT, BUMP + (3.0,)], 499.9999, 16))
# A peak between the first level of an equilibrium (next to a jump) and the next level.
@example((np.array([1.25, 2.75, 4.25, 6.75, 9.0]), [FLAT] * 5 + [BUMP + (9.125,)], 499.9999, 16))
# A gap where the target fails, next to a jump, after a peak where it holds.
@pytest.mark.slow
@example((np.array([1.75, 4.25]), [FLAT, BUMP + (4.0,), FLAT], 499.9999, 16))
def test_every_window_of_a_piecewise_smooth_metric_is_found(case):
    jumps, pieces, value, grid = case

    def fake_evaluate(model, design):
        level = design.instruments[-1].amount
        metric, k = synthetic(jumps, pieces, level)
        side = {
            "participation": int(k),
            "coverage": float(k) / 10,
            "credible_coverage": float(metric),
        }
        return SimpleNamespace(worst=side, best=side, full_participation_unique=False, success=True)

    with mock.patch.object(critical_module, "evaluate_design", fake_evaluate):
        res = cg.critical_level(
            None,
            cg.PerformanceBond(),
            "amount",
            ("credible_coverage", value, "best"),
            max_level=10.0,
            grid=grid,
        )
    levels = np.linspace(0.0, 10.0, 20001)
    feasible = synthetic(jumps, pieces, levels)[0] >= value - 1e-12
    assert_consistent(
        res, levels, feasible, lambda x: bool(synthetic(jumps, pieces, x)[0] >= value - 1e-12)
    )
    assert res.evaluations <= 600


def test_a_window_next_to_a_collapse_between_scan_points_is_found():
    """Rising towards a jump down, between two scan points: the shape of the bond's credible
    coverage in the best equilibrium (credibility rises, then participation collapses)."""

    def fake_evaluate(model, design):
        x = design.instruments[-1].amount
        metric, k = (0.2 * x, 0) if x < 3.17 else (0.0, 1)
        side = {"participation": k, "coverage": float(k), "credible_coverage": metric}
        return SimpleNamespace(worst=side, best=side, full_participation_unique=False, success=True)

    with mock.patch.object(critical_module, "evaluate_design", fake_evaluate):
        res = cg.critical_level(
            None,
            cg.PerformanceBond(),
            "amount",
            ("credible_coverage", 0.63, "best"),
            grid=8,
            tol=1e-7,
        )
    assert res.reachable and res.success
    assert res.level == pytest.approx(3.15, abs=1e-6)
    assert res.intervals[0][1] == pytest.approx(3.17, abs=1e-6)
    assert len(res.intervals) == 1


# -- small policy models: the real solver against a brute-force scan -------------------------

BOND = cg.PerformanceBond()
CASES = [
    # seed, instrument, parameter, metric, side, quantile of the brute-force metric as target
    (0, BOND, "amount", "credible_coverage", "best", 0.9),
    (2, BOND, "amount", "credible_coverage", "best", 0.8),
    (3, BOND, "amount", "credible_coverage", "best", 0.95),
    (5, BOND, "amount", "credible_coverage", "worst", 0.9),
    (5, BOND, "amount", "participation", "best", 0.9),
    (7, BOND, "amount", "robustness", "best", 0.7),
    (
        11,
        cg.ProcurementPreference(volume=5.0, win_prob=0.5),
        "margin",
        "participation",
        "worst",
        0.6,
    ),
    (13, cg.ComputeAccess(units=2.0), "discount", "credible_coverage", "worst", 0.8),
    (
        17,
        cg.ProcurementPreference(margin=0.2, volume=5.0),
        "win_prob",
        "credible_coverage",
        "best",
        0.5,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("seed, instrument, parameter, kind, side, quantile", CASES)
def test_small_models_match_a_brute_force_scan(seed, instrument, parameter, kind, side, quantile):
    model = small_model(seed)
    bounded = parameter in ("discount", "win_prob")
    top = 1.0 if bounded else (8.0 if parameter == "amount" else 1.0)
    levels = np.linspace(0.0, top, 241)
    metric = brute_metric(model, instrument, parameter, kind, side, levels)
    if kind == "robustness":  # the target is a share of the robustness at full participation
        game = model.participation
        metric = metric / (game.baseline + float(np.sum(game.weight * game.capacity)))
    value = float(np.quantile(metric, quantile))
    if value <= 0.0:
        value = float(metric.max()) or 0.5
    feasible = metric >= value - 1e-12

    res = cg.critical_level(
        model,
        instrument,
        parameter,
        (kind, value, side),
        max_level=None if bounded else top,
        tol=1e-6,
    )
    assert res.search_range == (0.0, top)

    def check(level):
        if kind != "robustness":
            return holds(model, instrument, parameter, kind, side, value, level)
        game = model.participation
        full = game.baseline + float(np.sum(game.weight * game.capacity))
        return bool(
            brute_metric(model, instrument, parameter, kind, side, [level])[0] / full
            >= value - 1e-12
        )

    assert_consistent(res, levels, feasible, check)


# -- the default model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_model():
    return cg.PolicyModel.default()


@pytest.fixture(scope="module")
def bond_scan(default_model):
    """Credible coverage of the best equilibrium against the bond, 0 to 5 in steps of 0.05."""
    levels = np.linspace(0.0, 5.0, 101)
    return levels, brute_metric(default_model, BOND, "amount", "credible_coverage", "best", levels)


@pytest.mark.slow
def test_default_model_bond_for_credible_coverage_069_best(default_model, bond_scan):
    """The bond's credible coverage peaks just before participation collapses: a target near
    the peak holds only on a window, which a geometric scan jumped over."""
    levels, metric = bond_scan
    res = cg.critical_level(default_model, BOND, "amount", ("credible_coverage", 0.69, "best"))
    assert res.search_range == (0.0, 1e6)

    def check(level):
        return holds(default_model, BOND, "amount", "credible_coverage", "best", 0.69, level)

    assert_consistent(res, levels, metric >= 0.69 - 1e-12, check)
    assert res.evaluations <= 400


@pytest.mark.slow
def test_default_model_bond_for_the_peak_credible_coverage(default_model, bond_scan):
    levels, metric = bond_scan
    value = float(metric.max()) - 1e-3
    assert metric[-1] < value  # not monotone: the metric falls again after its peak
    res = cg.critical_level(
        default_model, BOND, "amount", ("credible_coverage", value, "best"), max_level=5.0
    )

    def check(level):
        return holds(default_model, BOND, "amount", "credible_coverage", "best", value, level)

    assert_consistent(res, levels, metric >= value - 1e-12, check)
    assert res.reachable and res.intervals[-1][1] < 5.0


@pytest.mark.slow
@pytest.mark.parametrize(
    "instrument, parameter",
    [
        (cg.ComputeAccess(units=2.0, discount=0.0), "discount"),
        (cg.ProcurementPreference(margin=0.1, volume=10.0, win_prob=0.0), "win_prob"),
    ],
)
def test_probabilities_and_shares_are_searched_within_their_bounds(
    default_model, instrument, parameter
):
    res = cg.critical_level(default_model, instrument, parameter, ("participation", 20), grid=12)
    assert res.search_range == (0.0, 1.0)
    assert "clipped" not in res.message
    if res.reachable:
        assert 0.0 <= res.level <= 1.0 and res.success
        assert all(0.0 <= lo <= hi <= 1.0 for lo, hi in res.intervals)
        assert holds(default_model, instrument, parameter, "participation", "worst", 20, res.level)
    else:
        assert not holds(default_model, instrument, parameter, "participation", "worst", 20, 1.0)
    clipped = cg.critical_level(
        default_model, instrument, parameter, ("participation", 20), max_level=5.0, grid=12
    )
    assert clipped.search_range == (0.0, 1.0)
    assert "clipped to 1" in clipped.message and parameter in clipped.message
    assert clipped.intervals == res.intervals


def test_bad_search_ranges_name_the_parameter_the_rule_and_the_value(default_model):
    pp = cg.ProcurementPreference(volume=10.0)
    with pytest.raises(
        cg.InvalidParameterError,
        match=r"'lower'.*ProcurementPreference\."
        r"win_prob.*>= 0 and <= 1.*-0\.1",
    ):
        cg.critical_level(default_model, pp, "win_prob", ("participation", 20), lower=-0.1)
    with pytest.raises(cg.InvalidParameterError, match="'max_level'.*Got 0.5"):
        cg.critical_level(
            default_model, pp, "margin", ("participation", 20), lower=0.5, max_level=0.5
        )
    with pytest.raises(cg.InvalidParameterError, match="'grid'"):
        cg.critical_level(default_model, pp, "margin", grid=1)
    with pytest.raises(cg.InvalidParameterError, match="'parameter'.*not a choice"):
        cg.critical_level(default_model, BOND, "per")


def test_the_evaluation_budget_is_reported_not_exceeded():
    def fake_evaluate(model, design):
        x = design.instruments[-1].amount
        side = {"participation": 0, "coverage": 0.0, "credible_coverage": float(x > 0.5)}
        return SimpleNamespace(worst=side, best=side, full_participation_unique=False, success=True)

    with mock.patch.object(critical_module, "evaluate_design", fake_evaluate):
        res = cg.critical_level(
            None,
            cg.PerformanceBond(),
            "amount",
            ("credible_coverage", 1.0),
            max_level=1.0,
            grid=8,
            max_evaluations=14,
        )
        full = cg.critical_level(
            None, cg.PerformanceBond(), "amount", ("credible_coverage", 1.0), max_level=1.0, grid=8
        )
    assert res.evaluations == 14 and not res.success and res.status == 1
    assert "max_evaluations" in res.message
    assert full.success and full.level == pytest.approx(0.5, abs=1e-6)
