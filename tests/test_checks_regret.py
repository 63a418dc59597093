"""``check_game`` recomputes each equilibrium's regret from the game's payoffs.

A solver that lists a profile that is not an equilibrium and reports ``max_regret = 0`` must be
caught, for every game family ``cg.solve`` has a built-in solver for; honest solvers pass.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from scipy import special

import coordgap as cg
import coordgap.api
from coordgap._regret import independent_regret
from coordgap.checks import ConformanceError

GAME_CHECKS = ("frozen", "solve_returns_set", "certified", "solve_is_pure", "results_convert")


def _prep():
    return cg.PreparednessGame(
        share=[0.2, 0.1, 0.05], cost=[1.0, 2.0, 0.5], prob=0.5, harm=100.0, efficacy=0.5
    ).replace(cost_exponent=2.0)


GAMES = {
    "preparedness": _prep(),
    "preparedness-ces": _prep().replace(aggregator="ces", ces_rho=-0.5),
    "preparedness-weakest-link": _prep().replace(aggregator="weakest_link"),
    "preparedness-best-shot": _prep().replace(aggregator="best_shot"),
    "preparedness-linear": _prep().replace(cost_exponent=1.0),
    "normal-form": cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]]),
    "normal-form-3": cg.NormalFormGame(np.random.default_rng(2).normal(size=(2, 2, 2, 3))),
    "symmetric-binary": cg.SymmetricBinaryGame.threshold_public_good(
        5, threshold=3, benefit=3, cost=1
    ),
    "participation": cg.ParticipationGame(
        share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0, critical_mass="step", threshold=2
    ),
    "participation-default": cg.ParticipationGame.default(),
    "global-game": cg.GlobalParticipationGame(cost=1.0, curve="step", threshold=0.5, noise=0.1),
    "global-game-logistic": cg.GlobalParticipationGame(cost=1.0, curve="logistic", noise=0.3),
    "global-game-prior": cg.GlobalParticipationGame(
        cost=1.0, noise=0.5, prior_sd=1.0, prior_mean=2.0
    ),
    "global-game-limit": cg.GlobalParticipationGame(cost=1.0, curve="linear", noise=0.0),
    "disclosure": cg.DisclosureGame(
        private_precision=4.0, public_precision=1.0, public_signal=0.4, cost=0.5, benefit=1.0
    ),
    "disclosure-multiple": cg.DisclosureGame(
        private_precision=4.0, public_precision=9.0, public_signal=0.4
    ),
    "bayesian-participation": cg.BayesianParticipationGame(
        share=[0.1, 0.15],
        cost_median=[2.0, 3.0],
        cost_sigma=[0.5, 0.4],
        count=[3, 2],
        capacity=[1.0, 2.0],
        prob=0.5,
        harm=200.0,
        critical_mass="logistic",
        threshold=2.5,
        steepness=2.0,
    ),
}


@pytest.mark.parametrize("name", list(GAMES))
def test_honest_solvers_pass(name):
    report = cg.check_game(GAMES[name])
    assert report.passed == GAME_CHECKS


def test_every_family_with_a_solver_is_covered():
    """Each game family of the dispatch table has its own regret (not the solver's)."""
    covered = {type(g) for g in GAMES.values()}
    for key in coordgap.api.SOLVERS:
        module, name = key.split(":")
        cls = getattr(__import__(module, fromlist=[name]), name)
        assert cls in covered, key
        game = next(g for g in GAMES.values() if type(g) is cls)
        for record in cg.solve(game):
            regret, scale = independent_regret(game, record)
            assert 0.0 <= regret <= 1e-8 and scale > 0


# -- lying solvers -----------------------------------------------------------------------------


def _lie_preparedness(game, record):
    x = np.array(record.investment, dtype=float)
    x[0] = 2.0 * x[0] + 1.0
    return dataclasses.replace(record, investment=x, max_regret=0.0)


def _lie_normal_form(game, record):
    first = np.roll(record.strategies[0], 1)  # player 0 alone moves
    if np.allclose(first, record.strategies[0]):
        first = np.eye(first.size)[0]
    wrong = (first, *record.strategies[1:])
    return dataclasses.replace(record, strategies=wrong, max_regret=0.0)


def _lie_symmetric_binary(game, record):
    wrong = 0.5 if abs(record.probability - 0.5) > 0.2 else 0.05
    return dataclasses.replace(record, probability=wrong, max_regret=0.0)


def _lie_participation(game, record):
    joined = np.array(record.joined, dtype=bool)
    joined[int(np.argmin(game.thresholds))] ^= True  # the keenest actor switches
    return dataclasses.replace(record, joined=joined, max_regret=0.0)


def _lie_cutoff(game, record):
    if getattr(game, "noise", None) == 0.0:  # beyond the upper dominance bound (k − I)/β
        wrong = 2.0 * (game.cost - game.incentive) / game.standalone
    else:
        wrong = record.signal_cutoff + 0.5
    return dataclasses.replace(record, signal_cutoff=wrong, max_regret=0.0)


def _lie_bayesian(game, record):
    wrong = 1.5 * np.asarray(record.cutoffs, dtype=float) + 0.5  # every class files more
    return dataclasses.replace(record, cutoffs=wrong, max_regret=0.0)


def _implied_join_prob(game, cutoffs):
    z = (np.log(cutoffs) - np.log(game.cost_median)) / game.cost_sigma
    return special.ndtr(z)


LIES = {
    cg.BayesianParticipationGame: _lie_bayesian,
    cg.PreparednessGame: _lie_preparedness,
    cg.NormalFormGame: _lie_normal_form,
    cg.SymmetricBinaryGame: _lie_symmetric_binary,
    cg.ParticipationGame: _lie_participation,
    cg.GlobalParticipationGame: _lie_cutoff,
    cg.DisclosureGame: _lie_cutoff,
}


def _liar(monkeypatch):
    honest = coordgap.api.solve

    def solve(game, **options):
        eqs = honest(game, **options)
        lie = LIES[type(game)]
        return dataclasses.replace(eqs, equilibria=tuple(lie(game, e) for e in eqs))

    monkeypatch.setattr(coordgap.api, "solve", solve)


def _true_gain(game, record) -> float:
    """The gain of one deviation from the lie, computed by hand for each family."""
    if isinstance(game, cg.PreparednessGame):  # actor 0 back to its equilibrium investment
        honest = cg.solve(game)[0].investment
        x = np.array(record.investment, dtype=float)
        back = x.copy()
        back[0] = honest[0] if game.aggregator != "best_shot" else 0.0
        return float(game.payoffs(back)[0] - game.payoffs(x)[0])
    if isinstance(game, cg.NormalFormGame):
        return float(game.max_regret(record.strategies))
    if isinstance(game, cg.SymmetricBinaryGame):
        p, n = record.probability, game.n_players
        k = np.arange(n)
        weights = np.array([math.comb(n - 1, j) for j in k]) * p**k * (1 - p) ** (n - 1 - k)
        values = [weights @ game.payoff_0, weights @ game.payoff_1]
        return float(max(values) - (p * values[0] + (1 - p) * values[1]))
    if isinstance(game, cg.ParticipationGame):
        return float(game.regrets(record.joined).max())
    if isinstance(game, cg.BayesianParticipationGame):
        # the cutoff types' expected gains (the game's own payoff function) against the
        # filing probabilities that the lied cutoffs imply
        cutoffs = np.asarray(record.cutoffs, dtype=float)
        gain = game.expected_gain(cutoffs, _implied_join_prob(game, cutoffs))
        return float(np.max(np.abs(gain)))
    cutoff = record.signal_cutoff
    if isinstance(game, cg.GlobalParticipationGame) and game.noise > 0:
        # the marginal type's expected gain of joining when the others use the cutoff: by
        # continuity, types just below (above) it forgo that gain (loss)
        return abs(float(game.expected_gain(np.array(cutoff), cutoff)))
    # the limit game and the disclosure game: the game's own certificate
    return float(game.regret(cutoff))


@pytest.mark.parametrize("name", list(GAMES))
def test_a_lying_solver_is_caught(name, monkeypatch):
    game = GAMES[name]
    _liar(monkeypatch)
    lies = coordgap.api.solve(game)
    assert all(e.max_regret == 0.0 for e in lies)
    # independently of check_game: every lie is worth deviating from
    assert all(_true_gain(game, e) > 1e-4 for e in lies)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ConformanceError) as info:
            cg.check_game(game)
    assert set(info.value.failures) == {"certified"}
    text = info.value.failures["certified"]
    assert "recomputed from the game's payoffs (the solver reported max_regret 0)" in text
    assert "equilibrium 0 has regret " in text


def test_both_numbers_are_reported(monkeypatch):
    game = GAMES["participation"]
    _liar(monkeypatch)
    lie = coordgap.api.solve(game)[0]
    with pytest.raises(ConformanceError) as info:
        cg.check_game(game)
    gain = float(game.regrets(lie.joined).max())
    assert f"equilibrium 0 has regret {gain:.3g} > tol 1e-06" in info.value.failures["certified"]


def test_tolerance_applies_to_the_recomputed_regret(monkeypatch):
    """A lie smaller than tol passes; the same lie fails a tighter tol."""
    game = GAMES["disclosure"]
    honest = coordgap.api.solve

    def nudged(game, **options):
        eqs = honest(game, **options)
        moved = [dataclasses.replace(e, signal_cutoff=e.signal_cutoff + 1e-5) for e in eqs]
        return dataclasses.replace(eqs, equilibria=tuple(moved))

    monkeypatch.setattr(coordgap.api, "solve", nudged)
    eq = nudged(game)[0]
    regret, _ = independent_regret(game, eq)
    # the expected gain at the nudged cutoff, from the posterior in closed form
    beta, alpha, y = game.private_precision, game.public_precision, game.public_signal
    from scipy import optimize

    works = optimize.brentq(
        lambda t: special.ndtr(math.sqrt(beta) * (eq.signal_cutoff - t)) - t, 0.0, 1.0
    )
    mean = (alpha * y + beta * eq.signal_cutoff) / (alpha + beta)
    gain = game.benefit * special.ndtr(math.sqrt(alpha + beta) * (works - mean)) - game.cost
    assert regret == pytest.approx(abs(gain), rel=1e-3)
    assert 1e-9 < regret < 1e-4
    assert cg.check_game(game, tol=1e-4).passed == GAME_CHECKS
    with pytest.raises(ConformanceError, match="recomputed from the game's payoffs"):
        cg.check_game(game, tol=1e-9)


def test_unknown_families_fall_back_to_the_reported_regret():
    assert independent_regret(object(), object()) is None
    # a record without the family's profile is not guessed at
    assert independent_regret(GAMES["preparedness"], object()) is None


def test_a_false_claim_about_free_actors_is_caught(monkeypatch):
    """The record's class of tied profiles is checked too, not only its representative."""
    game = cg.ParticipationGame.anonymous([0.0, 0.0, 4.0, 6.0], 1.0, [1.0, 2.0, 2.0])
    honest = coordgap.api.solve
    middle = next(e for e in honest(game) if e.n_free > 0)
    assert middle.joined.tolist() == [True, True, False]
    assert middle.free.tolist() == [False, True, True] and middle.n_free_in == 1
    assert cg.check_game(game).passed == GAME_CHECKS  # {0, 1} and {0, 2}: both equilibria

    def solve(game, **options):  # claims: any one actor may join, alone
        eqs = honest(game, **options)
        lie = [
            dataclasses.replace(e, free=np.ones(3, dtype=bool), n_free_in=1) if e.n_free > 0 else e
            for e in eqs
        ]
        return dataclasses.replace(eqs, equilibria=tuple(lie))

    monkeypatch.setattr(coordgap.api, "solve", solve)
    with pytest.raises(ConformanceError) as info:
        cg.check_game(game)
    # the representative profile is an equilibrium, but actor 2 joining alone is not:
    # actor 0 gains V[2] - V[1] - 1 = 3 by joining too (actors 1, 2: 2 each)
    assert not game.regrets(middle.joined).any()
    assert game.regrets([False, False, True]).tolist() == [3.0, 2.0, 2.0]
    assert "equilibrium 1 has regret 3 > tol" in info.value.failures["certified"]
