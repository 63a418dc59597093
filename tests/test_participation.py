"""Participation game (M2): exact anonymous enumeration and lattice extremes vs brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap.solvers.lattice import monotone_iteration, supermodularity
from strategies import floats


# -- independent brute force ----------------------------------------------------------------
def all_profiles(n: int) -> np.ndarray:
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)


def brute_force_anonymous(value, share, net_cost) -> np.ndarray:
    """Every pure equilibrium profile, from the payoff definition (no thresholds, no sorting)."""
    value = np.asarray(value, dtype=float)
    n = value.size - 1
    share = np.broadcast_to(np.asarray(share, dtype=float), (n,))
    net_cost = np.broadcast_to(np.asarray(net_cost, dtype=float), (n,))
    x = all_profiles(n)
    others = x.sum(axis=1, keepdims=True) - x
    gain = share * (value[others + 1] - value[others]) - net_cost
    ok = np.where(x, gain >= 0, gain <= 0).all(axis=1)
    return x[ok]


def brute_force_structural(game) -> np.ndarray:
    """Every pure equilibrium of a (small) structural game: payoffs of each profile and of
    every unilateral switch, computed from V(P) = B(R0 + Σ w q)·φ(m) directly."""
    n = game.n_actors
    x = all_profiles(n)
    p, h, k, r0 = game.prob, game.harm, game.efficacy, game.baseline

    def value(profiles):
        m = profiles.sum(axis=-1)
        r = r0 + (profiles * game.weight * game.capacity).sum(axis=-1)
        if game.critical_mass == "none":
            phi = np.ones_like(r)
        elif game.critical_mass == "step":
            phi = (m >= game.threshold).astype(float)
        else:
            phi = 1.0 / (1.0 + np.exp(-game.steepness * (m - game.threshold)))
        return p * h * (1.0 - np.exp(-k * r)) * phi

    u = game.share * value(x)[:, None] - x * (game.cost - game.incentive)
    ok = np.ones(len(x), dtype=bool)
    for i in range(n):
        y = x.copy()
        y[:, i] = ~y[:, i]
        u_dev = game.share[i] * value(y) - y[:, i] * (game.cost[i] - game.incentive[i])
        ok &= u_dev <= u[:, i] + 1e-12
    return x[ok]


def as_set(profiles) -> set:
    return {tuple(map(bool, row)) for row in profiles}


def check_against_brute(game, value, share, net):
    eq = cg.solve(game)
    truth = brute_force_anonymous(value, share, net)
    assert eq.complete
    assert eq.n_equilibria == len(truth)
    counts = sorted({int(r.sum()) for r in truth})
    assert [e.count for e in eq] == counts
    for e in eq:
        same = truth[truth.sum(axis=1) == e.count]
        assert e.n_profiles == len(same)
        assert tuple(e.joined) in as_set(same)
        assert e.max_regret == 0.0
        varies = same.any(axis=0) & ~same.all(axis=0)
        np.testing.assert_array_equal(e.free, varies)
        always = same.all(axis=0)
        np.testing.assert_array_equal(e.joined & ~e.free, always)
        assert e.n_free_in == e.count - int(always.sum())
    assert eq.full_participation_unique == (as_set(truth) == {(True,) * len(share)})
    return eq, truth


# -- anonymous games vs brute force ---------------------------------------------------------
@pytest.mark.parametrize("seed", range(40))
def test_anonymous_all_equilibria_match_brute_force_generic(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 15))
    value = np.concatenate(([0.0], np.cumsum(rng.normal(1.0, 2.0, n))))
    share = rng.uniform(0.05, 1.0, n)
    net = rng.normal(0.5, 1.0, n)
    game = cg.ParticipationGame.anonymous(value, share, net)
    check_against_brute(game, value, share, net)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(40))
def test_anonymous_all_equilibria_match_brute_force_with_ties(seed):
    # Dyadic numbers: thresholds t = net/share and gains share·ΔV − net are exact in floating
    # point, so ties (indifferent actors) are real ties for both methods.
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(1, 15))
    value = np.concatenate(([0.0], np.cumsum(rng.integers(-2, 4, n)))).astype(float)
    share = rng.choice([0.125, 0.25, 0.5, 1.0], n)
    net = share * rng.integers(-1, 4, n)
    game = cg.ParticipationGame.anonymous(value, share, net)
    eq, truth = check_against_brute(game, value, share, net)
    if seed == 0:
        assert len(truth) >= 1


def test_ties_reported_as_free_actors_not_combinations():
    # Three identical actors, V = [0, 0, 4, 4]: any two of them joining is an equilibrium.
    game = cg.ParticipationGame.anonymous([0.0, 0.0, 4.0, 4.0], 1.0, [1.0, 1.0, 1.0])
    eq = cg.solve(game)
    two = next(e for e in eq if e.count == 2)
    assert two.n_profiles == math.comb(3, 2) and two.n_free == 3 and two.n_free_in == 2
    assert eq.n_equilibria == 1 + 3


def test_full_participation_unique_when_dominant():
    game = cg.ParticipationGame.anonymous(np.arange(6.0), 1.0, [-0.5, 0.2, 0.5, 0.9, 0.1])
    eq = cg.solve(game)
    assert eq.full_participation_unique is True
    assert len(eq) == 1 and eq[0].kind == "unique" and eq[0].joined.all()


def test_many_equilibria_listing_is_truncated_but_extremes_kept():
    # V[m] = m²/2 with ΔV[m] = m + 1/2 and actor thresholds k + 1/2: every count is feasible.
    n = 50
    value = np.arange(n + 1.0) ** 2 / 2
    game = cg.ParticipationGame.anonymous(value, 1.0, np.arange(n) + 0.5)
    full = cg.solve(game)
    assert full.complete and len(full) == len(brute_counts(value, n))
    small = cg.solve(game, limit=4)
    assert not small.complete and len(small) == 4
    assert small.least.count == full.least.count and small.greatest.count == full.greatest.count
    assert small.n_equilibria == full.n_equilibria


def brute_counts(value, n):
    # counts m for which the m lowest thresholds k + 1/2 satisfy both conditions.
    t = np.arange(n) + 0.5
    dv = np.diff(value)
    out = []
    for m in range(n + 1):
        ok_in = m == 0 or t[m - 1] <= dv[m - 1]
        ok_out = m == n or t[m] >= dv[m]
        if ok_in and ok_out:
            out.append(m)
    return out


def test_structural_anonymous_game_uses_value_curve():
    # Equal contributions: V[m] = pH(1 − e^{−κ(R0 + m q)})·[m ≥ m*].
    game = cg.ParticipationGame(
        share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0, critical_mass="step", threshold=2
    )
    m = np.arange(4)
    expected = 50.0 * (1 - np.exp(-m)) * (m >= 2)
    np.testing.assert_allclose(game.value_curve(), expected, rtol=1e-15)
    eq = cg.solve(game)
    truth = brute_force_structural(game)
    assert sorted({int(r.sum()) for r in truth}) == [e.count for e in eq]
    assert eq.n_equilibria == len(truth)


def test_large_anonymous_game_runs_and_is_certified():
    rng = np.random.default_rng(7)
    n = 100_000
    m = np.arange(n + 1)
    value = n / (1 + np.exp(-(m - 0.6 * n) / (0.05 * n)))
    game = cg.ParticipationGame.anonymous(value, rng.uniform(0.1, 1.0, n), rng.uniform(0, 2, n))
    eq = cg.solve(game)
    assert eq.complete and eq.max_regret == 0.0
    # The least equilibrium holds exactly the actors who join even when nobody else does.
    assert eq.least.count == int(np.sum(game.thresholds < value[1] - value[0]))


# -- lattice extremes -----------------------------------------------------------------------
def convex_value(rng, n):
    return np.concatenate(([0.0], np.cumsum(np.sort(rng.uniform(0.0, 3.0, n)))))


@pytest.mark.parametrize("seed", range(25))
def test_least_greatest_match_iteration_and_brute_force_anonymous(seed):
    rng = np.random.default_rng(2000 + seed)
    n = int(rng.integers(1, 13))
    value = convex_value(rng, n)
    share = rng.uniform(0.1, 1.0, n)
    net = rng.uniform(-0.5, 2.0, n)
    game = cg.ParticipationGame.anonymous(value, share, net)
    eq = cg.solve(game)
    assert eq.supermodular is True
    truth = brute_force_anonymous(value, share, net)
    least, greatest = truth.all(axis=0), truth.any(axis=0)  # lattice: meet and join
    assert tuple(least) in as_set(truth) and tuple(greatest) in as_set(truth)
    np.testing.assert_array_equal(eq.least.joined, least)
    np.testing.assert_array_equal(eq.greatest.joined, greatest)
    low, ok, mono, _ = monotone_iteration(game, "out")
    high, ok2, mono2, _ = monotone_iteration(game, "in")
    assert ok and ok2 and mono and mono2
    np.testing.assert_array_equal(low, least)
    np.testing.assert_array_equal(high, greatest)
    lat = cg.solve(game, method="lattice")
    np.testing.assert_array_equal(lat.least.joined, least)
    np.testing.assert_array_equal(lat.greatest.joined, greatest)


def supermodular_structural(rng, n):
    # Logistic critical mass that is convex over all counts, small contributions.
    return cg.ParticipationGame(
        share=rng.uniform(0.01, 1.0 / n, n),
        cost=rng.uniform(0.0, 2.0, n),
        capacity=rng.uniform(0.05, 0.3, n),
        weight=rng.uniform(0.5, 1.5, n),
        incentive=rng.uniform(0.0, 1.0, n),
        prob=0.5,
        harm=200.0,
        efficacy=0.5,
        critical_mass="logistic",
        threshold=1.5 * n,
        steepness=4.0 / n,
    )


@pytest.mark.parametrize("seed", range(20))
def test_least_greatest_structural_match_brute_force(seed):
    rng = np.random.default_rng(3000 + seed)
    n = int(rng.integers(2, 11))
    game = supermodular_structural(rng, n)
    assert not game.is_anonymous
    eq = cg.solve(game, method="lattice")
    assert eq.method == "lattice-iteration" and eq.success
    assert eq.supermodular is True
    truth = brute_force_structural(game)
    least, greatest = truth.all(axis=0), truth.any(axis=0)
    np.testing.assert_array_equal(eq.least.joined, least)
    np.testing.assert_array_equal(eq.greatest.joined, greatest)
    assert eq.full_participation_unique == (as_set(truth) == {(True,) * n})
    assert eq.max_regret <= 1e-12
    exact = cg.solve(game)  # every actor its own type: all 2^N profiles
    assert exact.method == "type-counts" and exact.complete
    assert as_set(e.joined for e in exact) == as_set(truth)


def typed_game(rng, n_types, critical_mass):
    sizes = rng.integers(1, 5, n_types)
    rep = np.repeat(np.arange(n_types), sizes)
    share = rng.uniform(0.01, 0.9 / sizes.sum(), n_types)[rep]
    return cg.ParticipationGame(
        share=share,
        cost=rng.uniform(0.0, 3.0, n_types)[rep],
        capacity=rng.uniform(0.1, 3.0, n_types)[rep],
        incentive=rng.uniform(0, 1, n_types)[rep],
        prob=0.5,
        harm=300.0,
        efficacy=0.4,
        critical_mass=critical_mass,
        threshold=float(rng.integers(0, sizes.sum() + 1)),
        steepness=1.5,
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30))
def test_type_count_enumeration_matches_brute_force(seed):
    # Non-supermodular in general (step/logistic/none): every profile must still be found.
    rng = np.random.default_rng(5000 + seed)
    game = typed_game(rng, int(rng.integers(1, 5)), ["none", "step", "logistic"][seed % 3])
    if game.n_actors > 14:
        pytest.skip("too large for brute force")
    eq = cg.solve(game, method="types")
    truth = brute_force_structural(game)
    assert eq.complete and eq.n_equilibria == len(truth)
    rows = np.column_stack((game.share, game.cost - game.incentive, game.capacity))
    _, kind = np.unique(rows, axis=0, return_inverse=True)
    kind = kind.reshape(-1)

    def type_counts(profile):
        return tuple(np.bincount(kind[profile], minlength=kind.max() + 1))

    found = set()
    for e in eq:
        assert e.max_regret <= 1e-9
        same = [row for row in truth if type_counts(row) == type_counts(e.joined)]
        assert len(same) == e.n_profiles
        varies = np.any(same, axis=0) & ~np.all(same, axis=0)
        np.testing.assert_array_equal(e.free, varies)
        found |= as_set(same)
    assert found == as_set(truth)
    assert eq.full_participation_unique == (as_set(truth) == {(True,) * game.n_actors})


def _equilibrium_summary(eq):
    rows = [
        (
            e.joined.tolist(),
            e.count,
            e.coverage,
            e.value,
            e.max_regret,
            e.free.tolist(),
            e.n_free_in,
            e.n_profiles,
            e.log10_profiles,
            e.kind,
        )
        for e in eq
    ]
    return (
        rows,
        eq.complete,
        eq.success,
        eq.status,
        eq.message,
        eq.n_equilibria,
        eq.full_participation_unique,
        eq.supermodular,
        eq.method,
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(40))
def test_type_count_lookup_matches_recomputation(seed):
    # Reading V(m ± e_r) from the neighbouring count vector gives the same result as
    # evaluating it afresh for every type, on games of every curve, with and without refunds.
    rng = np.random.default_rng(7000 + seed)
    game = typed_game(rng, int(rng.integers(1, 6)), ["none", "step", "logistic"][seed % 3])
    if seed % 4 == 1:
        game = game.replace(
            refund_threshold=float(rng.integers(1, game.n_actors + 1)),
            refund_bonus=float(rng.uniform(0.0, 0.5)),
        )
    fast = cg.solve(game, method="types")
    slow = cg.solve(game, method="types", neighbours="recompute")
    assert _equilibrium_summary(fast) == _equilibrium_summary(slow)


def test_type_count_lookup_matches_recomputation_on_a_value_array():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n = int(rng.integers(2, 8))
        kind = rng.integers(0, 3, n)
        game = cg.ParticipationGame.anonymous(
            rng.uniform(0.0, 5.0, n + 1),
            rng.uniform(0.1, 1.0, 3)[kind],
            rng.uniform(0.0, 3.0, 3)[kind],
        )
        assert _equilibrium_summary(cg.solve(game, method="types")) == _equilibrium_summary(
            cg.solve(game, method="types", neighbours="recompute")
        )


def test_type_count_neighbours_option_is_checked():
    game = cg.ParticipationGame(
        share=[0.3, 0.3], cost=1.0, capacity=[1.0, 2.0], prob=0.5, harm=10.0
    )
    with pytest.raises(cg.InvalidParameterError, match="neighbours"):
        cg.solve(game, method="types", neighbours="lokup")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_supermodularity_verdict_is_sound(seed):
    # Whenever the check says True, increasing differences hold on every pair of sets.
    rng = np.random.default_rng(4000 + seed)
    n = 6
    game = (
        supermodular_structural(rng, n)
        if seed % 2
        else cg.ParticipationGame(
            share=rng.uniform(0.01, 0.15, n),
            cost=1.0,
            capacity=rng.uniform(0.1, 2.0, n),
            prob=0.5,
            harm=100.0,
            critical_mass="none",
        )
    )
    verdict, _ = supermodularity(game)
    x = all_profiles(n)
    increasing = True
    for i, j in itertools.permutations(range(n), 2):
        base = x[~x[:, i] & ~x[:, j]]

        def gain(profiles):
            return np.array([game.gains(p)[i] if not p[i] else np.nan for p in profiles])

        with_j = base.copy()
        with_j[:, j] = True
        increasing &= bool(np.all(gain(with_j) >= gain(base) - 1e-12))
    if verdict is True:
        assert increasing
    if verdict is False:
        assert not increasing
    if seed % 2 == 0:
        assert verdict is False


# -- hypothesis properties ------------------------------------------------------------------
@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10), st.integers(0, 2**32 - 1), floats(0.0, 3.0), st.integers(0, 9))
def test_more_incentive_never_lowers_greatest_equilibrium(n, seed, extra, who):
    rng = np.random.default_rng(seed)
    value = convex_value(rng, n)
    share = rng.uniform(0.1, 1.0, n)
    net = rng.uniform(-0.5, 2.5, n)
    base = cg.ParticipationGame.anonymous(value, share, net)
    more = net.copy()
    more[who % n] -= extra
    richer = cg.ParticipationGame.anonymous(value, share, more)
    g0, g1 = cg.solve(base).greatest, cg.solve(richer).greatest
    assert np.all(g1.joined >= g0.joined)
    assert g1.count >= g0.count


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.integers(0, 2**32 - 1), floats(0.0, 2.0))
def test_more_incentive_never_lowers_greatest_structural(n, seed, extra):
    rng = np.random.default_rng(seed)
    game = supermodular_structural(rng, n)
    richer = game.replace(incentive=game.incentive + extra)
    g0, g1 = cg.solve(game).greatest, cg.solve(richer).greatest
    assert np.all(g1.joined >= g0.joined)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_every_reported_equilibrium_is_certified(n, seed):
    rng = np.random.default_rng(seed)
    value = np.concatenate(([0.0], np.cumsum(rng.normal(0.5, 2.0, n))))
    game = cg.ParticipationGame.anonymous(value, rng.uniform(0.1, 1.0, n), rng.normal(0, 1, n))
    for e in cg.solve(game):
        assert e.max_regret <= 1e-12
        regrets = game.regrets(e.joined)
        assert regrets.max() <= 1e-12


# -- invalid input --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(share=np.nan, cost=1.0, n_actors=2), "share"),
        (dict(share=0.2, cost=np.inf, n_actors=2), "cost"),
        (dict(share=0.2, cost=-1.0, n_actors=2), "cost"),
        (dict(share=0.2, cost=1.0, capacity=-0.5, n_actors=2), "capacity"),
        (dict(share=0.0, cost=1.0, n_actors=2), "share"),
        (dict(share=1.5, cost=1.0, n_actors=1), "share"),
        (dict(share=[0.6, 0.6], cost=1.0), "share"),
        (dict(share=0.2, cost=1.0, incentive=-1.0, n_actors=2), "incentive"),
        (dict(share=0.2, cost=1.0, critical_mass="stepp", n_actors=2), "critical_mass"),
        (dict(share=0.2, cost=[1.0, 2.0, 3.0], capacity=[1.0, 2.0]), "cost"),
    ],
)
def test_invalid_parameters(kwargs, name):
    with pytest.raises(cg.InvalidParameterError, match=f"'{name}' parameter of ParticipationGame"):
        cg.ParticipationGame(**kwargs)


def test_anonymous_value_of_wrong_length():
    with pytest.raises(cg.InvalidParameterError, match="length N \\+ 1 = 4"):
        cg.ParticipationGame.anonymous([0.0, 1.0, 2.0], 0.5, [1.0, 1.0, 1.0])
    with pytest.raises(cg.InvalidParameterError, match="'value'"):
        cg.ParticipationGame.anonymous([0.0, np.nan, 2.0], 0.5, [1.0, 1.0])
    with pytest.raises(cg.InvalidParameterError, match="'net_cost'"):
        cg.ParticipationGame.anonymous([0.0, 1.0, 2.0], 0.5, [1.0, np.inf])


def test_error_message_template():
    with pytest.raises(cg.InvalidParameterError) as info:
        cg.ParticipationGame(share=0.2, cost=[1.0, -1.0])
    text = str(info.value)
    assert text.startswith(
        "The 'cost' parameter of ParticipationGame must be a finite float "
        ">= 0 for every actor. Got "
    )
    assert "-1.0 at actor 1" in text and text.endswith(" instead.")


def test_unknown_method():
    game = cg.ParticipationGame.anonymous([0.0, 1.0], 1.0, 0.5)
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'lattice'"):
        cg.solve(game, method="latice")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_unique_participation_incentive_matches_brute_force(seed):
    rng = np.random.default_rng(6000 + seed)
    n = int(rng.integers(2, 9))
    value = convex_value(rng, n)
    share = rng.uniform(0.2, 1.0, n)
    net = rng.uniform(0.5, 3.0, n)
    game = cg.ParticipationGame.anonymous(value, share, net)
    r = cg.unique_participation_incentive(game, tol=1e-7)
    assert r.success and r.unique_at_level and not r.unique_below
    full = {(True,) * n}
    assert as_set(brute_force_anonymous(value, share, net - (r.level + 1e-6))) == full
    assert as_set(brute_force_anonymous(value, share, net - (r.level - 1e-6))) != full


def test_unique_participation_incentive_bad_input():
    game = cg.ParticipationGame.anonymous([0.0, 1.0, 3.0], 1.0, [1.0, 2.0])
    with pytest.raises(cg.InvalidParameterError, match="'how'"):
        cg.unique_participation_incentive(game, how="multiply")
    with pytest.raises(cg.InvalidParameterError, match="'game'"):
        cg.unique_participation_incentive(game, how="scale")


@pytest.mark.parametrize("seed", range(10))
def test_all_methods_agree_on_value_games(seed):
    # Dyadic values with repeated actor types: the type-count method must use V[m] as given.
    rng = np.random.default_rng(7000 + seed)
    n = int(rng.integers(2, 10))
    value = np.concatenate(([0.0], np.cumsum(rng.integers(-1, 4, n)))).astype(float)
    share = rng.choice([0.25, 0.5, 1.0], n)
    net = share * rng.integers(0, 3, n)
    game = cg.ParticipationGame.anonymous(value, share, net)
    truth = as_set(brute_force_anonymous(value, share, net))
    exact = cg.solve(game, method="types")
    assert exact.complete and exact.n_equilibria == len(truth)
    assert {tuple(e.joined) for e in exact} <= truth
    assert cg.solve(game).n_equilibria == len(truth)
    if cg.solve(game).supermodular:
        lat = cg.solve(game, method="lattice")
        assert tuple(lat.least.joined) in truth and tuple(lat.greatest.joined) in truth
