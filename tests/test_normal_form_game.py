"""NormalFormGame: construction, conversion, bad input, pure equilibria by brute force."""

import itertools
from fractions import Fraction

import nashpy
import numpy as np
import pytest

import coordgap as cg
from coordgap.solvers.certify import exact_certificate_normal_form
from coordgap.solvers.n_player import pure_equilibrium_profiles


def test_from_bimatrix_player_last_convention():
    a = np.array([[1, 2, 3], [4, 5, 6]])
    b = -a
    g = cg.NormalFormGame.from_bimatrix(a, b)
    assert g.shape == (2, 3) and g.n_players == 2 and g.is_exact
    assert g.payoffs[1, 2, 0] == 6 and g.payoffs[1, 2, 1] == -6
    assert g.exact_payoffs[0, 1, 0] == Fraction(2)


def test_nashpy_round_trip():
    a = np.array([[3, 0], [5, 1]])
    b = np.array([[3, 5], [0, 1]])
    g = cg.NormalFormGame.from_nashpy(nashpy.Game(a, b))
    back = g.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[0], a)
    np.testing.assert_array_equal(back.payoff_matrices[1], b)
    assert g.is_exact


def test_is_symmetric():
    # 3-player symmetric game from a payoff depending on own action and count of others.
    g = cg.SymmetricBinaryGame([1, 2, 5], [0, 3, 3]).to_normal_form()
    assert g.is_symmetric
    values = np.array(g.payoffs)
    values[0, 0, 1, 0] += 1  # break symmetry for player 0 only
    assert not cg.NormalFormGame(values).is_symmetric
    assert not cg.NormalFormGame.from_bimatrix([[1, 2]], [[1, 2]]).is_symmetric


@pytest.mark.parametrize(
    "payoffs, fragment",
    [
        (np.zeros((2, 2)), "shape (2, 2)"),
        (np.zeros((2, 2, 3)), "shape (2, 2, 3)"),
        (np.zeros((0, 2, 2)), "at least one action"),
    ],
)
def test_wrong_shape(payoffs, fragment):
    with pytest.raises(
        cg.InvalidParameterError, match="'payoffs' parameter of NormalFormGame"
    ) as info:
        cg.NormalFormGame(payoffs)
    assert fragment in str(info.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_payoffs(bad):
    values = np.zeros((2, 2, 2))
    values[1, 0, 1] = bad
    with pytest.raises(cg.InvalidParameterError, match="finite"):
        cg.NormalFormGame(values)


def test_mismatched_bimatrix():
    with pytest.raises(cg.InvalidParameterError, match="same 2-D shape"):
        cg.NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 3)))


@pytest.mark.parametrize(
    "profile",
    [
        ([0.5, 0.6], [1.0, 0.0]),  # does not sum to 1
        ([1.5, -0.5], [1.0, 0.0]),  # negative
        ([np.nan, 1.0], [1.0, 0.0]),  # NaN
        ([1.0], [1.0, 0.0]),  # wrong length
        ([1.0, 0.0],),  # wrong number of players
    ],
)
def test_bad_probabilities(profile):
    g = cg.NormalFormGame.from_bimatrix([[1, 0], [0, 1]])
    with pytest.raises(cg.InvalidParameterError, match="'strategies' parameter"):
        g.regrets(profile)


def test_unknown_method_did_you_mean():
    g = cg.NormalFormGame.from_bimatrix([[1, 0], [0, 1]])
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'vertex'"):
        cg.solve(g, method="vertx")
    g3 = cg.NormalFormGame(np.zeros((3, 3, 3, 3)))
    with pytest.raises(cg.InvalidParameterError, match="for this game"):
        cg.solve(g3, method="support-polynomial")


def _brute_force_pure(payoffs):
    shape = payoffs.shape[:-1]
    found = []
    for profile in itertools.product(*(range(n) for n in shape)):
        ok = True
        for i in range(len(shape)):
            for dev in range(shape[i]):
                alt = list(profile)
                alt[i] = dev
                if payoffs[tuple(alt) + (i,)] > payoffs[profile + (i,)]:
                    ok = False
        if ok:
            found.append(profile)
    return found


@pytest.mark.parametrize("seed", range(5))
def test_pure_equilibria_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    shape = (3, 2, 4, 2)
    payoffs = rng.integers(-2, 3, size=shape + (4,))
    g = cg.NormalFormGame(payoffs)
    expected = _brute_force_pure(payoffs)
    assert [tuple(p) for p in pure_equilibrium_profiles(g)] == expected
    eqs = cg.solve(g)  # four players, not all binary: pure enumeration
    assert eqs.method == "pure-enumeration" and eqs.complete and eqs.details["pure_only"]
    assert [tuple(s[0] for s in e.support) for e in eqs] == expected
    assert all(e.max_regret == 0.0 and e.exact for e in eqs)


def test_pure_payoff_helpers():
    g = cg.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert g.pure_payoffs((1, 0)).tolist() == [5.0, 0.0]
    assert [s.tolist() for s in g.pure_strategies((0, 1))] == [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(cg.InvalidParameterError, match="'profile'"):
        g.pure_payoffs((2, 0))


@pytest.mark.parametrize("shape", [(3, 4), (2, 2, 2), (2, 3, 2)])
def test_exact_certificate_matches_brute_force_fractions(shape):
    # Rational payoffs and strategies: every action value summed over all profiles in Fractions.
    rng = np.random.default_rng(len(shape) * 10 + shape[-1])
    n = len(shape)
    payoffs = np.empty(shape + (n,), dtype=object)
    for index in np.ndindex(payoffs.shape):
        payoffs[index] = Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 5)))
    strategies = []
    for k in shape:
        weights = [Fraction(int(w)) for w in rng.integers(1, 6, size=k)]
        strategies.append([w / sum(weights) for w in weights])
    expected, regrets = [], []
    for i in range(n):
        values = [Fraction(0)] * shape[i]
        for profile in itertools.product(*(range(k) for k in shape)):
            weight = Fraction(1)
            for j in range(n):
                if j != i:
                    weight *= strategies[j][profile[j]]
            values[profile[i]] += weight * payoffs[profile + (i,)]
        mean = sum(v * q for v, q in zip(values, strategies[i]))
        expected.append(mean)
        regrets.append(max(max(values) - mean, Fraction(0)))
    assert exact_certificate_normal_form(payoffs, strategies) == (tuple(expected), tuple(regrets))


@pytest.mark.parametrize(
    "payoffs",
    [
        np.arange(-4, 4).reshape(2, 2, 2),
        np.array([[[True, False], [False, True]], [[False, False], [True, True]]]),
        np.full((2, 2, 2), 2**64 - 1, dtype=np.uint64),
        np.array(
            [[[1, Fraction(1, 3)], [2**80, -5]], [[Fraction(-7, 2), 0], [3, 4]]], dtype=object
        ),
    ],
)
def test_exact_payoffs_are_fractions_of_each_entry(payoffs):
    game = cg.NormalFormGame(payoffs)
    expected = [v if isinstance(v, Fraction) else Fraction(int(v)) for v in payoffs.reshape(-1)]
    got = list(game.exact_payoffs.flat)
    assert got == expected and all(type(v) is Fraction for v in got)
    assert all(type(v.numerator) is int and type(v.denominator) is int for v in got)
    assert not game.exact_payoffs.flags.writeable
