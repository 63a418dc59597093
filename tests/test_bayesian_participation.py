"""Participation with privately known joining costs: Bayesian equilibria in cutoff strategies.

Every check here is independent of the solver: brute-force enumeration of join patterns,
Monte Carlo simulation, the complete-information game's own payoffs and solver.
"""

import itertools
import math

import numpy as np
import pytest

import coordgap as cg
from coordgap.solvers.bayesian_participation import symmetric_roots

B = cg.BayesianParticipationGame


def _patterns(n):
    return np.array(list(itertools.product([False, True], repeat=n)), dtype=bool)


def _actor_probs(game, p):
    return np.repeat(np.asarray(p, dtype=float), game.counts)


def _pattern_weights(x, probs):
    return np.prod(np.where(x, probs, 1.0 - probs), axis=-1)


MIXED = B(
    share=[0.05, 0.1, 0.08],
    cost_median=[1.0, 2.0, 0.5],
    cost_sigma=[0.4, 0.7, 0.2],
    count=[2, 3, 2],
    capacity=[1.0, 2.0, 1.0],  # classes 0 and 2 share a contribution level
    incentive=[0.1, 0.0, 0.2],
    prob=0.5,
    harm=60.0,
    efficacy=0.3,
    baseline=0.5,
    critical_mass="logistic",
    threshold=3.0,
    steepness=2.0,
    refund_threshold=2.0,
    refund_bonus=0.05,
)


# (b) the Poisson-binomial DP against enumeration of all 2^N join patterns ----------------------
@pytest.mark.parametrize("seed", range(4))
def test_distribution_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 1.0, MIXED.n_classes)
    ci = MIXED.complete_information_game()
    x = _patterns(MIXED.n_actors)
    w = _pattern_weights(x, _actor_probs(MIXED, p))
    counts = x.sum(axis=1)
    brute = np.bincount(counts, weights=w, minlength=MIXED.n_actors + 1)
    np.testing.assert_allclose(MIXED.filers_pmf(p), brute, atol=1e-14)
    facts = MIXED.outcome(MIXED.cost_quantile(p), p)
    np.testing.assert_allclose(facts["expected_value"], w @ ci.coordination_value(x), rtol=1e-12)
    assert facts["prob_assurance_fails"] == pytest.approx(w[counts < 2].sum(), abs=1e-14)
    assert facts["prob_critical_mass_fails"] == pytest.approx(w[counts < 3].sum(), abs=1e-14)
    # D_r and π_r: one actor of class r joins against every pattern of the others
    d, pi = MIXED.expected_terms(p)
    first = np.concatenate([[0], np.cumsum(MIXED.counts)[:-1]])
    for r, i in enumerate(first):
        others = x[~x[:, i]]
        wo = _pattern_weights(np.delete(others, i, axis=1), np.delete(_actor_probs(MIXED, p), i))
        with_i = others.copy()
        with_i[:, i] = True
        dv = ci.coordination_value(with_i) - ci.coordination_value(others)
        assert d[r] == pytest.approx(MIXED.share[r] * (wo @ dv), rel=1e-12, abs=1e-14)
        assert pi[r] == pytest.approx(wo @ (others.sum(axis=1) + 1 >= 2), abs=1e-14)


def test_batched_terms_match_single_evaluations():
    p = np.random.default_rng(7).uniform(size=(4, MIXED.n_classes))
    d, pi = MIXED.expected_terms(p)
    for k in range(4):
        d1, pi1 = MIXED.expected_terms(p[k])
        np.testing.assert_allclose(d[k], d1, rtol=1e-13)
        np.testing.assert_allclose(pi[k], pi1, rtol=1e-13)


# (c) indifference at the cutoff, by brute force over the others' 2^(N−1) patterns ------------
def _brute_gain_at_cutoff(game, eq, r):
    """Expected gain of a class-r actor whose cost is its cutoff, from the complete-information
    game's payoffs over every pattern of the others."""
    rep = np.repeat(np.arange(game.n_classes), game.counts)
    i = int(np.flatnonzero(rep == r)[0])
    cost = game.cost_median[rep].copy()
    cost[i] = eq.cutoffs[r]
    ci = game.complete_information_game().replace(cost=cost)
    probs = _actor_probs(game, eq.join_prob)
    others = _patterns(game.n_actors - 1)
    x = np.insert(others, i, True, axis=1)
    w = _pattern_weights(others, np.delete(probs, i))
    return sum(wk * ci.gains(xk)[i] for wk, xk in zip(w, x, strict=True))


@pytest.mark.parametrize(
    "game",
    [
        B(
            share=0.2,
            cost_median=1.0,
            cost_sigma=0.3,
            count=4,
            harm=20.0,
            critical_mass="step",
            threshold=3,
        ),
        B(
            share=0.1,
            cost_median=0.8,
            cost_sigma=0.5,
            count=6,
            harm=30.0,
            efficacy=0.4,
            refund_threshold=3,
            refund_bonus=0.1,
            incentive=0.05,
        ),
        MIXED,
    ],
    ids=["step", "assurance", "three-classes"],
)
def test_each_cutoff_type_is_indifferent(game):
    eqs = cg.solve(game)
    assert eqs.success and len(eqs) >= 1
    for eq in eqs:
        for r in range(game.n_classes):
            if 0 < eq.join_prob[r] < 1:
                g = _brute_gain_at_cutoff(game, eq, r)
                assert abs(g) < 1e-9 * (1.0 + eq.cutoffs[r]), (r, g)
                np.testing.assert_allclose(
                    game.cost_cdf(eq.cutoffs)[r], eq.join_prob[r], rtol=1e-9, atol=1e-12
                )
            else:  # p = 0: even the cheapest type (cost → 0) must not want to join
                assert eq.cutoffs[r] <= 0
                assert _brute_gain_at_cutoff(game, eq, r) <= 1e-12
        assert eq.max_regret < 1e-9


def test_certificate_catches_a_wrong_cutoff():
    g = B(share=0.1, cost_median=2.0, cost_sigma=0.5, count=6, prob=0.5, harm=100.0, efficacy=0.5)
    eq = cg.solve(g)[0]
    assert eq.max_regret < 1e-12
    assert g.regrets(eq.cutoffs * 1.01)[0] > 1e-4
    assert g.regrets(eq.cutoffs * 0.99)[0] > 1e-4


# (a) Monte Carlo simulation of the cutoff strategies ---------------------------------------------
def test_simulated_outcomes_match_the_analytic_distribution():
    game = B(
        share=0.1,
        cost_median=0.8,
        cost_sigma=0.5,
        count=8,
        harm=30.0,
        efficacy=0.4,
        critical_mass="step",
        threshold=5,
        refund_threshold=4,
        refund_bonus=0.1,
    )
    eqs = cg.solve(game)
    assert eqs.complete and eqs.success
    eq = max(eqs, key=lambda e: e.expected_participation)
    assert 0.05 < eq.prob_critical_mass_fails < 0.95
    draws = 200_000
    rng = np.random.default_rng(2024)
    costs = game.cost_median[0] * np.exp(game.cost_sigma[0] * rng.standard_normal((draws, 8)))
    filers = (costs <= eq.cutoffs[0]).sum(axis=1)
    freq = np.bincount(filers, minlength=9) / draws
    se = np.sqrt(eq.filers_pmf * (1 - eq.filers_pmf) / draws) + 1e-12
    assert np.all(np.abs(freq - eq.filers_pmf) < 5 * se + 1e-5)
    for observed, analytic in [
        (np.mean(filers < 4), eq.prob_assurance_fails),
        (np.mean(filers < 5), eq.prob_critical_mass_fails),
        (np.mean(filers) / 8, eq.expected_coverage),
    ]:
        assert abs(observed - analytic) < 5 * math.sqrt(analytic * (1 - analytic) / draws) + 1e-5
    # welfare: V of the realized filers minus the costs of binding filings
    ci = game.complete_information_game()
    joined = costs <= eq.cutoffs[0]
    real = np.where(filers >= 4, (costs * joined).sum(axis=1), 0.0)
    welfare = ci.coordination_value(joined) - real
    assert abs(welfare.mean() - eq.expected_welfare) < 5 * welfare.std() / math.sqrt(draws)


# (d) point masses: the limit σ → 0 is the complete-information game ----------------------------
def test_symmetric_equilibria_converge_to_complete_information():
    base = dict(share=0.2, cost_median=1.0, count=4, harm=20.0, critical_mass="step", threshold=3)
    atoms, complete, _ = symmetric_roots(B(cost_sigma=0.0, **base))
    assert complete
    ci = B(cost_sigma=0.0, **base).complete_information_game()
    pure = {e.count for e in cg.solve(ci) if e.count in (0, 4) and e.n_profiles == 1}
    assert {int(p * 4) for p in atoms if p in (0.0, 1.0)} == pure
    for p in atoms[(atoms > 0) & (atoms < 1)]:  # a mixed equilibrium: indifference at k̃
        x = _patterns(3)
        w = _pattern_weights(x, np.full(3, p))
        gains = [ci.gains(np.insert(xk, 0, True))[0] for xk in x]
        assert abs(w @ np.array(gains)) < 1e-9
    for sigma in (1e-2, 1e-3):
        roots, complete, _ = symmetric_roots(B(cost_sigma=sigma, **base))
        assert complete and roots.size == atoms.size
        assert np.max(np.abs(roots - atoms)) < 20 * sigma


def test_pure_equilibria_of_distinct_actors_are_limits():
    base = dict(
        share=[0.2, 0.15, 0.25],
        cost_median=[1.0, 0.6, 1.4],
        harm=12.0,
        critical_mass="step",
        threshold=2,
    )
    ci = B(cost_sigma=0.1, **base).complete_information_game()
    solved = cg.solve(ci)
    assert solved.complete
    n_pure = sum(e.n_profiles for e in solved)
    assert n_pure >= 2
    eqs = cg.solve(B(cost_sigma=0.01, **base))
    assert eqs.success and not eqs.complete
    near = [p for p in (e.join_prob for e in eqs) if np.all(np.minimum(p, 1 - p) < 1e-3)]
    assert len({tuple(np.round(p)) for p in near}) == len(near) == n_pure
    for p in near:  # each limit is a pure equilibrium of the complete-information game
        assert ci.regrets(np.round(p).astype(bool)).max() == 0.0
        assert any(e.count == int(np.round(p).sum()) for e in solved)


# (e) comparative statics of the greatest equilibrium -----------------------------------------
def _random_game(rng):
    return B(
        share=rng.uniform(0.02, 0.15),
        cost_median=rng.uniform(0.2, 2.0),
        cost_sigma=rng.uniform(0.2, 1.0),
        count=int(rng.integers(2, 8)),
        harm=rng.uniform(5.0, 60.0),
        efficacy=rng.uniform(0.1, 1.0),
        critical_mass=str(rng.choice(["none", "step", "logistic"])),
        threshold=float(rng.integers(0, 3)),
        refund_threshold=float(rng.integers(0, 3)),
        refund_bonus=rng.uniform(0.0, 0.2),
    )


@pytest.mark.parametrize("seed", range(12))
def test_greatest_equilibrium_is_monotone(seed):
    game = _random_game(np.random.default_rng(seed))
    top = cg.solve(game).greatest
    richer = cg.solve(game.replace(harm=1.5 * game.harm)).greatest
    cheaper = cg.solve(game.replace(cost_median=0.7 * game.cost_median)).greatest
    assert richer.cutoffs[0] >= top.cutoffs[0] - 1e-9
    assert richer.join_prob[0] >= top.join_prob[0] - 1e-12
    assert cheaper.join_prob[0] >= top.join_prob[0] - 1e-12


def test_cheaper_costs_can_lower_the_cutoff_with_substitutes():
    """With no critical mass joiners are substitutes: cheaper costs raise participation and
    so lower the marginal value, hence the cutoff in USD, while its quantile rises."""
    game = B(
        share=0.1, cost_median=2.0, cost_sigma=0.5, count=6, prob=0.5, harm=100.0, efficacy=0.5
    )
    top = cg.solve(game).greatest
    cheaper = cg.solve(game.replace(cost_median=1.0)).greatest
    assert cheaper.join_prob[0] > top.join_prob[0]
    assert cheaper.cutoffs[0] < top.cutoffs[0]


# structure and the packaged model ---------------------------------------------------------------
def test_from_game_groups_classes_and_keeps_payoffs():
    ci = cg.ParticipationGame.default()
    game = B.from_game(ci, 0.3)
    assert game.n_actors == ci.n_actors and game.n_classes == 5
    back = game.complete_information_game()
    x = np.random.default_rng(0).uniform(size=(5, ci.n_actors)) < 0.5
    assert back.roles == ci.roles  # the calibration lists each role's actors together
    np.testing.assert_allclose(back.coordination_value(x), ci.coordination_value(x), rtol=1e-12)
    np.testing.assert_array_equal(back.cost, ci.cost)


@pytest.mark.slow
def test_default_model_equilibria_are_certified():
    eqs = cg.solve(B.default(0.5, incentives=False))
    assert eqs.success and not eqs.complete and len(eqs) >= 2
    assert eqs.least.expected_participation < 1e-6
    assert eqs.greatest.prob_critical_mass_fails < 0.05


# (f) bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "name", "rule"),
    [
        (dict(share=float("nan")), "share", "a finite float"),
        (dict(cost_sigma=-0.1), "cost_sigma", ">= 0"),
        (dict(cost_median=0.0), "cost_median", "> 0"),
        (dict(share=0.3, count=4), "share", "Σ count·share <= 1"),
        (dict(count=2.5), "count", "an integer >= 1"),
        (dict(count=0), "count", ">= 1"),
        (dict(threshold=5.0, critical_mass="step"), "threshold", "at most the number of actors"),
        (dict(refund_threshold=4.5), "refund_threshold", "at most the number of actors N = 4"),
        (dict(critical_mass="stpe"), "critical_mass", "one of"),
        (dict(share=[0.1, 0.1], cost_median=[1.0, 1.0, 1.0]), "share", "same length"),
    ],
)
def test_bad_input_names_parameter_rule_and_value(kwargs, name, rule):
    args = dict(share=0.1, cost_median=1.0, count=4) | kwargs
    with pytest.raises(cg.InvalidParameterError, match=rule) as err:
        B(**args)
    assert err.value.name == name
    assert "Got" in str(err.value)


def test_interval_method_needs_one_class():
    with pytest.raises(cg.InvalidParameterError, match="'interval' needs one"):
        cg.solve(MIXED, method="interval")
