"""Replicator dynamics, Fermi gradient, fixation and the small-mutation stationary law."""

import itertools
from math import comb

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg
from coordgap.solvers.dynamics import (
    binary_finite_fitness,
    binary_gradient,
    binary_interior_roots,
    fermi_gradient,
    fixation_probability,
    replicator,
    stationary_distribution,
)


def test_replicator_logistic_closed_form():
    # action 0 always earns d more: x(t) = 1 / (1 + ((1 - x0)/x0) e^{-d t})
    d, x0 = 0.7, 0.2
    game = cg.NormalFormGame.from_bimatrix(np.array([[d, d], [0, 0]]), np.array([[d, 0], [d, 0]]))
    t = np.linspace(0, 10, 21)
    traj = replicator(game, [x0, 1 - x0], (0, 10), t_eval=t)
    expected = 1 / (1 + (1 - x0) / x0 * np.exp(-d * t))
    assert_allclose(traj.states[0][:, 0], expected, rtol=1e-7)
    assert traj.success and traj.method == "replicator-symmetric"


def test_hawk_dove_converges_to_ess():
    v, c = 2.0, 5.0
    a = np.array([[(v - c) / 2, v], [0, v / 2]])
    game = cg.NormalFormGame.from_bimatrix(a, a.T)
    traj = replicator(game, [0.05, 0.95], (0, 200))
    assert_allclose(traj.final[0][0], v / c, atol=1e-6)


def test_two_population_matching_pennies_conserves_kl_constant():
    # zero-sum game with interior NE (p*, q*): sum of x* ln x is a constant of motion
    a = np.array([[2.0, -1.0], [-1.0, 1.0]])
    game = cg.NormalFormGame.from_bimatrix(a, -a)
    p_star, q_star = 2 / 5, 2 / 5
    traj = replicator(game, ([0.7, 0.3], [0.2, 0.8]), (0, 30), t_eval=np.linspace(0, 30, 61))
    x, y = traj.states
    h = (
        p_star * np.log(x[:, 0])
        + (1 - p_star) * np.log(x[:, 1])
        + q_star * np.log(y[:, 0])
        + (1 - q_star) * np.log(y[:, 1])
    )
    assert_allclose(h, h[0], atol=1e-7)
    assert traj.method == "replicator-two-population"


def three_player_threshold_game():
    payoffs = np.zeros((2, 2, 2, 3))
    for prof in itertools.product((0, 1), repeat=3):
        for i in range(3):
            payoffs[prof + (i,)] = 3.0 * (prof.count(0) >= 2) - (prof[i] == 0)
    return cg.NormalFormGame(payoffs)


def test_symmetric_n_player_replicator_and_rest_points():
    game = three_player_threshold_game()
    table = np.array([[-1.0, 2.0, 2.0], [0.0, 0.0, 3.0]])
    roots = binary_interior_roots(table)
    assert_allclose([r for r, _ in roots], [0.5 - np.sqrt(3) / 6, 0.5 + np.sqrt(3) / 6], atol=1e-13)
    assert [s for _, s in roots] == ["unstable", "stable"]
    up = replicator(game, [0.3, 0.7], (0, 400))
    assert_allclose(up.final[0][0], 0.5 + np.sqrt(3) / 6, atol=1e-6)
    down = replicator(game, [0.15, 0.85], (0, 400))
    assert down.final[0][0] < 1e-6
    # the gradient from the table equals the replicator field of the normal form
    for x in (0.1, 0.4, 0.9):
        f = game.action_values([np.array([x, 1 - x])] * 3)[0]
        assert_allclose(binary_gradient(table, x), x * (1 - x) * (f[0] - f[1]), atol=1e-14)


def brute_fitness(table, z, k):
    n1 = table.shape[1] - 1
    tot = comb(z - 1, n1)
    fa = sum(comb(k - 1, m) * comb(z - k, n1 - m) * table[0, m] for m in range(n1 + 1)) / tot
    fb = sum(comb(k, m) * comb(z - k - 1, n1 - m) * table[1, m] for m in range(n1 + 1)) / tot
    return fa, fb


def test_finite_fitness_matches_brute_force():
    table = np.array([[-1.0, 2.0, 2.0, 5.0], [0.0, 0.5, 3.0, 3.5]])
    fa, fb = binary_finite_fitness(table, 15)
    for k in range(1, 15):
        assert_allclose((fa[k], fb[k]), brute_fitness(table, 15, k), rtol=1e-12)


def test_fixation_neutral_and_constant_advantage():
    assert_allclose(
        fixation_probability(np.array([[1.0, 4.0], [2.0, 0.0]]), 30, 0.0), 1 / 30, rtol=1e-12
    )
    d, beta, z = 0.3, 2.0, 40
    table = np.array([[d, d, d], [0.0, 0.0, 0.0]])
    expected = (1 - np.exp(-beta * d)) / (1 - np.exp(-beta * z * d))
    assert_allclose(fixation_probability(table, z, beta), expected, rtol=1e-12)
    # the resident B's mutant against A: the same formula with -d
    expected_b = (1 - np.exp(beta * d)) / (1 - np.exp(beta * z * d))
    assert_allclose(fixation_probability(table, z, beta, mutant=1), expected_b, rtol=1e-10)


def test_stationary_distribution_matches_full_chain_with_rare_mutation():
    game = three_player_threshold_game()
    table = np.array([[-1.0, 2.0, 2.0], [0.0, 0.0, 3.0]])
    z, beta, mu = 20, 1.5, 1e-9
    small = stationary_distribution(game, z, beta)
    # independent: birth-death chain with mutation, its exact stationary law
    fits = [brute_fitness(table, z, k) if 0 < k < z else None for k in range(z + 1)]

    t_plus, t_minus = np.zeros(z + 1), np.zeros(z + 1)
    for k in range(z + 1):
        a, b = k / z, (z - k) / z
        if 0 < k < z:
            fk = fits[k][0] - fits[k][1]
            t_plus[k] = (1 - mu) * a * b / (1 + np.exp(-beta * fk)) + mu * b
            t_minus[k] = (1 - mu) * a * b / (1 + np.exp(beta * fk)) + mu * a
        elif k == 0:
            t_plus[k] = mu
        else:
            t_minus[k] = mu
    logpi = np.concatenate([[0.0], np.cumsum(np.log(t_plus[:-1]) - np.log(t_minus[1:]))])
    pi = np.exp(logpi - logpi.max())
    pi /= pi.sum()
    full = np.array([pi[z], pi[0]])  # all-A (action 0), all-B (action 1)
    assert_allclose(small.distribution, full / full.sum(), atol=1e-5)
    assert pi[0] + pi[z] > 0.99


def test_prisoners_dilemma_stationary_all_defect():
    pd = cg.NormalFormGame.from_bimatrix(np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]]))
    res = stationary_distribution(pd, 30, 2.0)
    assert res.distribution[1] > 0.999
    assert_allclose(res.distribution.sum(), 1.0)


def test_fermi_gradient_conventions_and_validation():
    table = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    k = np.arange(0, 11)
    g_z = fermi_gradient(table, k, 10, 2.0, convention="Z")
    assert_allclose(g_z, k / 10 * (10 - k) / 10 * np.tanh(1.0), atol=1e-15)
    g_z1 = fermi_gradient(table, k, 10, 2.0, convention="Z-1")
    assert_allclose(g_z1, k / 10 * (10 - k) / 9 * np.tanh(1.0), atol=1e-15)
    with pytest.raises(cg.InvalidParameterError, match="'convention'.*'Z-1'"):
        fermi_gradient(table, 3, 10, 1.0, convention="z")
    with pytest.raises(cg.InvalidParameterError, match="'beta'"):
        fermi_gradient(table, 3, 10, -1.0)
    with pytest.raises(cg.InvalidParameterError, match="'k'"):
        fermi_gradient(table, 11, 10, 1.0)


def test_replicator_rejects_bad_start():
    game = three_player_threshold_game()
    with pytest.raises(cg.InvalidParameterError, match="'x0'"):
        replicator(game, [0.5, 0.6])
    with pytest.raises(cg.InvalidParameterError, match="'x0'"):
        replicator(game, [-0.1, 1.1])


@pytest.mark.slow
@pytest.mark.parametrize("n,m,z", [(2, 1, 2), (6, 3, 50), (6, 3, 500), (5, 5, 7), (4, 2, 40_000)])
def test_crd_finite_gradient_matches_scipy_hypergeometric(n, m, z):
    # Independent: co-players drawn without replacement via scipy.stats.hypergeom (at up to 60
    # values of k). Z = 40 000 is past the size up to which the tables are cached.
    from scipy import stats

    crd = cg.classics.CollectiveRiskDilemma(n, m, 0.7, 0.1, 1.3)
    table = crd.payoff_table()
    ks = np.arange(z + 1)
    k = np.unique(np.linspace(1, z - 1, 60).astype(int))
    j = np.arange(n)[None, :]
    f_c = stats.hypergeom.pmf(j, z - 1, k[:, None] - 1, n - 1) @ table[0]
    f_d = stats.hypergeom.pmf(j, z - 1, k[:, None], n - 1) @ table[1]
    for convention, denominator in (("Z", z), ("Z-1", z - 1)):
        got = crd.gradient_finite(ks, z, 1.5, convention)
        expected = k / z * (z - k) / denominator * np.tanh(0.75 * (f_c - f_d))
        # the tables come from log-gamma differences, which lose about ε·Z·log Z
        assert_allclose(got[k], expected, rtol=0, atol=1e-14 + 1e-15 * z * np.log(z))
        assert got[0] == 0.0 and got[-1] == 0.0
        # a second call (cached tables) and the generic routine give the same numbers
        assert np.array_equal(crd.gradient_finite(ks, z, 1.5, convention), got)
        assert np.array_equal(fermi_gradient(table, ks, z, 1.5, convention=convention), got)
        assert crd.gradient_finite(int(k[0]), z, 1.5, convention) == got[k[0]]


def test_crd_finite_gradient_validates_like_fermi_gradient():
    crd = cg.classics.CollectiveRiskDilemma(6, 3, 0.5, 0.1, 1.0)
    for bad in (-1, 51, 2.5):
        with pytest.raises(cg.InvalidParameterError, match="'k' parameter of fermi_gradient"):
            crd.gradient_finite(bad, 50, 1.0)
    with pytest.raises(cg.InvalidParameterError, match="'beta' parameter of fermi_gradient"):
        crd.gradient_finite(3, 50, float("nan"))
    with pytest.raises(cg.InvalidParameterError, match="'convention'"):
        crd.gradient_finite(3, 50, 1.0, "z")
