"""The cheapest unique implementation against brute force: over all orders of securing, over
all payment vectors (n ≤ 4), and over all 2^N profiles for the certificates."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policy_properties import SETTINGS, increasing_differences

import coordgap as cg
from coordgap.analysis.implementation import cheapest_implementation, worst_gains
from strategies import floats


def _game(data, n, *, anonymous=False):
    def column(lo, hi):
        if anonymous:
            return np.full(n, data.draw(floats(lo, hi)))
        return np.array([data.draw(floats(lo, hi)) for _ in range(n)])

    share = np.array([data.draw(floats(0.05, 1.0)) for _ in range(n)])
    if anonymous and data.draw(st.booleans()):
        share = np.ones(n)
    share = share / share.sum() * data.draw(floats(0.2, 0.95))
    refund = data.draw(st.booleans())
    return cg.ParticipationGame(
        share=share,
        cost=np.array([data.draw(floats(0.0, 6.0)) for _ in range(n)]),
        capacity=column(0.2, 3.0),
        prob=data.draw(floats(0.2, 1.0)),
        harm=data.draw(floats(20.0, 200.0)),
        efficacy=data.draw(floats(0.1, 2.0)),
        baseline=data.draw(floats(0.0, 1.0)),
        critical_mass=data.draw(st.sampled_from(("none", "step", "logistic"))),
        threshold=data.draw(floats(0.0, float(n))),
        steepness=data.draw(floats(0.5, 6.0)),
        refund_threshold=float(data.draw(st.integers(1, n))) if refund else 0.0,
        refund_bonus=data.draw(floats(0.0, 0.5)) if refund else 0.0,
    )


def _profiles(n):
    return np.array(list(itertools.product([False, True], repeat=n)), dtype=bool)


def _gain(game, joined, i, payments=None):
    g = float(game.gains(joined)[i])
    return g if payments is None else g + float(payments[i])


def _only_full(game, payments) -> bool:
    """Brute force: full participation is the only profile where nobody gains by switching."""
    paid = game.replace(incentive=game.incentive + payments)
    full = np.ones(game.n_actors, dtype=bool)
    for x in _profiles(game.n_actors):
        if np.all(paid.regrets(x) <= 0.0) != bool(np.array_equal(x, full)):
            return False
    return True


class _Table:
    """Every actor's gain g_i(x) at every profile x (bit j of x: actor j files), from
    ``ParticipationGame.gains``, and whether the filings bind once i files."""

    def __init__(self, game):
        self.n = n = game.n_actors
        self.profiles = _profiles(n)[:, ::-1]  # row x has actor j at bit j
        self.gains = np.array([game.gains(x) for x in self.profiles])
        others = self.profiles.sum(axis=1)[:, None] - self.profiles  # joiners besides i
        self.binds = game.binding(others + 1) > 0
        self.need = {}

    def worst(self, secured: int, i: int, binding=None) -> float:
        """min over every set S of the actors outside ``secured`` (and i) of g_i(secured ∪ S)."""
        rest = ((1 << self.n) - 1) & ~secured & ~(1 << i)
        best, sub = np.inf, rest
        while True:
            x = secured | sub
            if binding is None or bool(self.binds[x, i]) == binding:
                best = min(best, float(self.gains[x, i]))
            if sub == 0:
                return best
            sub = (sub - 1) & rest

    def need_of(self, secured: int, i: int) -> float:
        """The least payment to member i that makes filing strictly dominant (inf: none)."""
        key = (secured, i)
        if key not in self.need:
            if self.worst(secured, i, binding=False) <= 0.0:
                self.need[key] = np.inf
            else:
                self.need[key] = max(0.0, -self.worst(secured, i, binding=True))
        return self.need[key]


def _brute_orders(game):
    """min over all N! orders of the divide-and-conquer infimum, worst cases by brute force."""
    table = _Table(game)
    best = np.inf
    for order in itertools.permutations(range(game.n_actors)):
        secured, total = 0, 0.0
        for i in order:
            total += table.need_of(secured, i)
            secured |= 1 << i
        best = min(best, total)
    return best


@settings(max_examples=60, **SETTINGS)
@given(st.data())
def test_worst_gains_are_the_least_gain_over_every_set_of_the_others(data):
    n = data.draw(st.integers(1, 6))
    game = _game(data, n)
    secured = np.array([data.draw(st.booleans()) for _ in range(n)])
    who = np.flatnonzero(~secured)
    table, mask = _Table(game), int(sum(1 << int(j) for j in np.flatnonzero(secured)))
    for binding in (None, True, False):
        got = worst_gains(game, secured, who, binding=binding)
        want = [table.worst(mask, int(i), binding) for i in who]
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9 * game.scale)


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_the_order_is_the_cheapest_of_all_orders(data):
    n = data.draw(st.integers(1, 7))
    anonymous = data.draw(st.booleans())
    game = _game(data, n, anonymous=anonymous)
    imp = cheapest_implementation(game, check_minimal=False)
    assert imp.order_optimal
    brute = _brute_orders(game)
    if np.isinf(brute):  # a void registry leaves someone indifferent: nothing implements
        assert np.isinf(imp.infimum) and not imp.unique
        return
    assert imp.infimum == pytest.approx(brute, rel=1e-9, abs=1e-9 * game.scale)


@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_both_schemes_are_certified_by_enumerating_every_profile(data):
    n = data.draw(st.integers(1, 6))
    game = _game(data, n, anonymous=data.draw(st.booleans()))
    imp = cheapest_implementation(game)
    if not np.isfinite(imp.total):  # nothing implements it: check that nothing does
        assert not imp.unique and not _only_full(game, np.full(n, 1e6))
        return
    assert imp.unique and imp.uniform_unique
    assert _only_full(game, imp.payments)
    assert _only_full(game, np.full(n, imp.uniform_payment))
    assert imp.lower_bound <= imp.infimum + 1e-9 * game.scale
    for i in np.flatnonzero(imp.minimal & (imp.payments > 0)):
        lower = imp.payments.copy()
        lower[i] = max(0.0, lower[i] - 2 * imp.margin)
        assert not _only_full(game, lower), i  # another equilibrium appears
    if imp.monotone and imp.uniform_payment > 2 * imp.margin:
        assert not _only_full(game, np.full(n, imp.uniform_payment - 2 * imp.margin))


def _brute_payments(game, margin):
    """The least Σ p over every payment vector with full participation the only equilibrium.

    Uniqueness asks, of each other profile, that some actor strictly gains by switching: a
    condition p_i > t or p_i < t per actor. Each feasible piece is a product of intervals, so
    the infimum has every p_i at 0 or at a threshold −g_i(x) (plus the margin). Every vector of
    such values is checked against every profile at once."""
    table = _Table(game)
    n, x = game.n_actors, table.profiles
    candidates = []
    for i in range(n):
        t = -table.gains[:, i][table.binds[:, i]]  # paid only where the filings bind
        candidates.append(np.unique(np.concatenate(([0.0], t[t >= 0] + margin))))
    grid = np.array(list(itertools.product(*candidates)))  # (vectors, n)
    # Actor i's gain with payment p_i at profile x; an equilibrium has every member gaining
    # (≥ 0) and every outsider not (≤ 0).
    gain = table.gains[None, :, :] + grid[:, None, :] * table.binds[None, :, :]
    stable = np.where(x[None, :, :], gain >= 0.0, gain <= 0.0).all(axis=2)
    full = x.all(axis=1)
    only_full = (stable == full[None, :]).all(axis=1)
    totals = grid.sum(axis=1)
    return float(totals[only_full].min()) if only_full.any() else np.inf


@settings(max_examples=25, **SETTINGS)
@given(st.data())
def test_no_payment_vector_is_cheaper_under_increasing_differences(data):
    # Segal (2003): with increasing externalities, divide and conquer in the best order is
    # the cheapest unique implementation. Brute force over every payment vector (n ≤ 4)
    # never beats the scheme, and matches it when the game has increasing differences.
    n = data.draw(st.integers(1, 4))
    game = _game(data, n)
    imp = cheapest_implementation(game)
    brute = _brute_payments(game, imp.margin)
    if np.isinf(brute) or np.isinf(imp.total):
        assert np.isinf(brute) and np.isinf(imp.total)
        return
    slack = 1e-7 * game.scale + n * imp.margin
    assert brute >= imp.infimum - slack or not increasing_differences(game)
    if increasing_differences(game):
        assert imp.total <= brute + slack


def test_the_default_model_discriminates_for_a_fraction_of_the_uniform_cost():
    model = cg.load_model().policy_model()
    imp = cheapest_implementation(model)
    assert imp.unique and imp.uniform_unique
    assert imp.lower_bound <= imp.infimum
    assert imp.total < 0.5 * imp.uniform_total  # about 10 against 34 per period
    frame = imp.to_frame()
    assert list(frame["position"]) == list(range(1, model.n_actors + 1))
    assert frame["payment"].sum() == pytest.approx(imp.total)


def test_bad_input_is_refused():
    game = cg.ParticipationGame.default()
    with pytest.raises(cg.InvalidParameterError, match="margin"):
        cheapest_implementation(game, margin=-1.0)
    with pytest.raises(cg.InvalidParameterError, match="target"):
        cheapest_implementation("model")
