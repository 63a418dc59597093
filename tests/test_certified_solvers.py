"""Certified means certified: ``success`` is the verdict of the independent regret certificates.

Every reported equilibrium carries its max regret; a result is successful (and complete) only
when each regret is within a tolerance relative to the game's payoff range, whatever the
payoffs' scale. ``cg.solve`` rejects options the game's solver does not accept.
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest

import coordgap as cg
from coordgap.api import solve_options
from coordgap.errors import CertificateWarning, ConvergenceWarning, InvalidParameterError
from coordgap.solvers import n_player
from coordgap.solvers.verdict import DEFAULT_TOL, certified, certified_set, payoff_scale

PENNIES = np.array([[1, -1], [-1, 1]])


def _regrets(game, strategies):
    """Each player's regret at a mixed profile, by plain numpy (no coordgap code)."""
    u = game.payoffs
    out = []
    for i in range(game.n_players):
        values = u[..., i]
        for j in reversed(range(game.n_players)):
            if j != i:
                values = np.tensordot(values, strategies[j], axes=([j], [0]))
        out.append(max(0.0, values.max() - values @ strategies[i]))
    return np.array(out)


# -- scale ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [-300, -12, -6, 0, 6, 12, 300])
def test_scaled_matching_pennies_has_exactly_the_mixed_equilibrium(k):
    a = PENNIES * 10.0**k
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a, -a))
    assert len(eqs) == 1 and eqs.success and eqs.status == 0 and eqs.complete
    assert [s.tolist() for s in eqs[0].strategies] == [[0.5, 0.5], [0.5, 0.5]]
    assert eqs.n_equilibria == 1 and not eqs.continuum


def test_scaled_matching_pennies_float_path_too():
    a = PENNIES * 1e-12
    eqs = cg.solve(cg.NormalFormGame.from_bimatrix(a, -a), method="float")
    assert len(eqs) == 1 and eqs.success
    np.testing.assert_allclose(np.concatenate(eqs[0].strategies), 0.5, atol=1e-12)


def test_regrets_are_reported_in_the_games_units():
    # (1/2, 1/2) against a pure deviation: the regret of a pure profile is the payoff range.
    a = PENNIES * 1e-12
    game = cg.NormalFormGame.from_bimatrix(a, -a)
    eqs = cg.solve(game)
    assert eqs[0].max_regret <= 1e-27
    np.testing.assert_allclose(eqs[0].payoffs, [0.0, 0.0], atol=1e-27)
    assert _regrets(game, game.pure_strategies((0, 0))).max() == pytest.approx(2e-12)


def test_n_player_pure_tolerance_is_relative():
    # A 3x2x2 game (pure enumeration) whose payoff gaps are 1e-13: with an absolute tolerance
    # every profile would pass as a pure equilibrium.
    rng = np.random.default_rng(3)
    payoffs = rng.integers(-3, 4, size=(3, 2, 2, 3))
    base = cg.solve(cg.NormalFormGame(payoffs))
    tiny = cg.solve(cg.NormalFormGame(payoffs * 1e-13))
    assert [e.support for e in tiny] == [e.support for e in base]
    assert tiny.success and tiny.method == "pure-enumeration"


def test_binary_game_scaled_down_keeps_its_equilibria():
    g = cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1).to_normal_form()
    small = cg.NormalFormGame(g.payoffs * 1e-12)
    a, b = cg.solve(g), cg.solve(small)
    assert len(a) == len(b) == 9 and b.success and b.complete
    np.testing.assert_allclose(
        sorted(np.concatenate(e.strategies).tolist() for e in a),
        sorted(np.concatenate(e.strategies).tolist() for e in b),
        atol=1e-12,
    )


def test_symmetric_binary_game_scaled_down():
    g = cg.SymmetricBinaryGame.threshold_public_good(3, 2, benefit=3, cost=1)
    tiny = cg.SymmetricBinaryGame(np.asarray(g.payoff_0) * 1e-12, np.asarray(g.payoff_1) * 1e-12)
    a, b = cg.solve(g), cg.solve(tiny)
    assert b.success and [e.probability for e in b] == pytest.approx(
        [e.probability for e in a], abs=1e-12
    )


# -- degenerate games -----------------------------------------------------------------------
def test_all_zero_five_player_game_is_a_continuum_of_every_profile():
    eqs = cg.solve(cg.NormalFormGame(np.zeros((2,) * 5 + (5,))))
    assert eqs.continuum and eqs.complete and eqs.success
    assert eqs.n_equilibria == len(eqs) == 32
    assert all(e.kind == "pure" and e.max_regret == 0.0 for e in eqs)
    assert "indifferent" in eqs.message


def test_constant_game_listing_is_capped_by_limit():
    eqs = cg.solve(cg.NormalFormGame(np.full((2,) * 5 + (5,), 7)), limit=5)
    assert len(eqs) == 5 and eqs.n_equilibria == 32 and eqs.continuum
    assert not eqs.complete and eqs.success and "first 5 of 32" in eqs.message
    assert all(e.exact for e in eqs)


def test_large_constant_game_by_pure_enumeration():
    eqs = cg.solve(cg.NormalFormGame(np.zeros((3, 3, 3, 2, 4))), limit=10)
    assert eqs.continuum and len(eqs) == 10 and eqs.n_equilibria == 54 and eqs.success


@pytest.mark.slow
def test_game_with_an_indifferent_player_is_solved_and_certified():
    # Player 2 gets 7 whatever happens: every pattern in which it mixes has fewer equations
    # than unknowns. Solved in seconds, with the continuum reported.
    rng = np.random.default_rng(0)
    payoffs = rng.integers(-3, 4, size=(2,) * 5 + (5,)).astype(float)
    payoffs[..., 2] = 7.0
    game = cg.NormalFormGame(payoffs)
    eqs = cg.solve(game)
    assert eqs.success and eqs.continuum and not eqs.complete
    for e in eqs:
        assert _regrets(game, e.strategies).max() <= 1e-12


def test_two_player_all_zero_game_lists_every_pure_profile():
    eqs = cg.solve(cg.NormalFormGame(np.zeros((3, 2, 2))), limit=4)
    assert len(eqs) == 4 and eqs.n_equilibria == 6 and not eqs.complete and eqs.success


# -- the verdict ----------------------------------------------------------------------------
def test_verdict_helper_names_the_failing_equilibrium():
    records = [SimpleNamespace(max_regret=0.0), SimpleNamespace(max_regret=3e-6)]
    with pytest.warns(CertificateWarning, match="equilibrium 1 has max regret 3e-06"):
        verdict = certified(records, scale=1000.0, method="demo", message="two found")
    assert verdict == (
        False,
        1,
        "two found; certificate failed: equilibrium 1 has max regret "
        "3e-06 > tolerance 1e-06 (1 of 2 equilibria fail)",
    )


def test_verdict_helper_per_player_scale_and_nan():
    # Player 0's payoffs span 1e6, player 1's span 1: a regret of 1e-4 passes for player 0
    # only. A NaN regret never passes.
    scale = np.array([1e6, 1.0])
    ok = SimpleNamespace(max_regret=1e-4, regrets=np.array([1e-4, 0.0]))
    bad = SimpleNamespace(max_regret=1e-4, regrets=np.array([0.0, 1e-4]))
    assert certified([ok], scale=scale, method="demo").success
    with pytest.warns(CertificateWarning):
        assert not certified([bad], scale=scale, method="demo").success
    with pytest.warns(CertificateWarning):
        assert (
            certified([SimpleNamespace(max_regret=float("nan"))], scale=1.0, method="demo").status
            == 1
        )
    assert certified([], scale=0.0, method="demo").success


def test_verdict_floor_only_for_rounding():
    # An all-zero player has scale and floor 0: only an exact 0 passes.
    scale, floor = payoff_scale(np.zeros((2, 2, 2)))
    assert scale.tolist() == [0.0, 0.0] and floor.tolist() == [0.0, 0.0]
    assert certified(
        [SimpleNamespace(max_regret=0.0)], scale=scale, floor=floor, method="demo"
    ).success
    with pytest.warns(CertificateWarning):
        certified([SimpleNamespace(max_regret=1e-300)], scale=scale, floor=floor, method="demo")


def test_certified_set_keeps_solver_failure_and_certificate_failure_apart():
    record = SimpleNamespace(max_regret=0.0)
    stopped = certified_set([record], method="demo", complete=False, scale=1.0, ok=False, status=2)
    assert not stopped.success and stopped.status == 2
    with pytest.warns(CertificateWarning):
        wrong = certified_set(
            [SimpleNamespace(max_regret=1.0)], method="demo", complete=True, scale=1.0
        )
    assert not wrong.success and not wrong.complete and wrong.status == 1


def test_a_solver_that_lists_a_non_equilibrium_reports_failure(monkeypatch):
    # Prisoner's dilemma: (cooperate, cooperate) is not an equilibrium (regret 2).
    game = cg.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    monkeypatch.setattr(
        n_player, "pure_equilibrium_profiles", lambda game, tol=None: np.array([[1, 1], [0, 0]])
    )
    with pytest.warns(CertificateWarning) as caught:
        eqs = cg.solve(game, method="pure")
    assert caught[0].filename == __file__  # the warning points at the caller
    assert not eqs.success and eqs.status == 1 and not eqs.complete
    assert "equilibrium 1 has max regret 2 > tolerance 5e-09" in eqs.message
    assert issubclass(CertificateWarning, ConvergenceWarning)


def test_success_implies_certificate_on_a_random_game():
    rng = np.random.default_rng(11)
    game = cg.NormalFormGame(rng.normal(size=(4, 5, 2)) * 1e9 + 3e9)
    eqs = cg.solve(game)
    assert eqs.success
    scale = np.ptp(game.payoffs.reshape(-1, 2), axis=0)
    for e in eqs:
        assert np.all(_regrets(game, e.strategies) <= DEFAULT_TOL * scale)


# -- options --------------------------------------------------------------------------------
def test_misspelled_option_suggests_the_right_one():
    game = cg.NormalFormGame.from_bimatrix(PENNIES)
    with pytest.raises(InvalidParameterError) as info:
        cg.solve(game, limt=5)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "of solve" in message and "'limt'" in message and "Did you mean 'limit'?" in message
    assert "'max_bases'" in message  # the accepted options are listed


@pytest.mark.parametrize(
    "game",
    [
        cg.PreparednessGame(
            share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0, efficacy=0.5, cost_exponent=2.0
        ),
        cg.SymmetricBinaryGame([1, 2], [0, 0]),
        cg.NormalFormGame(np.zeros((2, 2, 2, 3))),
        cg.ParticipationGame(share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0),
        cg.GlobalParticipationGame(cost=1.0, noise=0.1),
        cg.DisclosureGame(private_precision=4.0, public_precision=1.0),
    ],
    ids=lambda g: type(g).__name__,
)
def test_every_family_rejects_unknown_options(game):
    with pytest.raises(InvalidParameterError, match="'limt' parameter of solve"):
        cg.solve(game, limt=5)


def test_option_of_another_method_is_rejected_cleanly():
    # ``algebra`` belongs to the support-polynomial method, not to two-player games.
    with pytest.raises(InvalidParameterError, match="'algebra' parameter of solve"):
        cg.solve(cg.NormalFormGame.from_bimatrix(PENNIES), algebra="sympy")


def test_solve_options_follow_forwarded_options():
    def inner(game, *, limit=1, depth=2):
        return limit, depth

    def middle(game, **options):
        return inner(game, **options)

    def outer(game, *, method="auto", **options):
        return middle(game, **options)

    def keeps(game, **options):
        return options

    assert solve_options(outer) == {"method", "limit", "depth"}
    assert solve_options(keeps) is None  # open: anything goes
    keeps.solve_options = ("speed",)
    assert solve_options(keeps) == {"speed"}


def test_limit_is_validated():
    with pytest.raises(InvalidParameterError, match="'limit' parameter"):
        cg.solve(cg.NormalFormGame.from_bimatrix(PENNIES), limit=0)


def test_no_warning_when_everything_is_certified():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k in (-12, 0, 12):
            a = np.array([[3, 0], [5, 1]]) * 10.0**k
            assert cg.solve(cg.NormalFormGame.from_bimatrix(a, a.T)).success


@pytest.mark.parametrize(
    "regrets",
    [
        [[0.0, 1e-12], [0.0, 0.0]],  # all pass: compared at once
        [[0.0, 1e-12], [0.0, 0.5]],  # one fails
        [[0.0, float("nan")], [0.0, 0.0]],  # NaN never passes
        [[0.0, 0.0], [0.0, 0.0, 0.0]],  # a vector of another size
        [[0.0, 0.0], None],  # a record with only max_regret
    ],
)
def test_verdict_same_with_and_without_the_batch_check(regrets):
    from coordgap.solvers import verdict

    records = [
        SimpleNamespace(
            regrets=None if r is None else np.array(r),
            max_regret=0.0 if r is None else float(np.max(r)),
        )
        for r in regrets
    ]
    kwargs = dict(scale=np.array([1.0, 2.0]), floor=1e-16, method="demo", message="m", warn=False)
    batched = verdict.certified(records, **kwargs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verdict, "_all_pass", lambda *_: False)
        one_by_one = verdict.certified(records, **kwargs)
    assert batched == one_by_one
