"""The façade's explicit dispatch table: every family, every method, every declared option."""

import importlib
import subprocess
import sys

import numpy as np
import pytest

import coordgap as cg
from coordgap import api
from coordgap.api import SOLVERS, SolverEntry, solve_options, solver_for

PENNIES = cg.NormalFormGame(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
THREE = cg.NormalFormGame(np.arange(24, dtype=float).reshape(2, 2, 2, 3) % 5)

# One small game per family and a value for every option (its default where it has one).
GAMES = {
    "PreparednessGame": [cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], harm=10.0)],
    "NormalFormGame": [PENNIES, THREE],
    "SymmetricBinaryGame": [cg.SymmetricBinaryGame([1, 2, 5], [0, 3, 3])],
    "ParticipationGame": [cg.ParticipationGame.default()],
    "GlobalParticipationGame": [cg.GlobalParticipationGame(cost=1.0, noise=0.1)],
    "DisclosureGame": [cg.DisclosureGame(private_precision=4.0, public_precision=1.0)],
    "BayesianParticipationGame": [
        cg.BayesianParticipationGame(share=0.1, cost_median=1.0, count=4, harm=20.0)
    ],
}
VALUES = {
    "limit": 50,
    "certify": True,
    "tol": 1e-9,
    "max_bases": 10**6,
    "algebra": "auto",
    "max_vectors": 2**20,
    "neighbours": "lookup",
    "max_candidates": 2**20,
    "engine": "auto",
}


def _entries():
    return [api._builtin(key) for key in SOLVERS]


def test_table_covers_every_family_with_a_solver():
    assert {key.split(":")[1] for key in SOLVERS} == set(GAMES)
    for game_type in (type(g[0]) for g in GAMES.values()):
        assert isinstance(solver_for(game_type), SolverEntry)


@pytest.mark.parametrize("key", sorted(SOLVERS))
def test_declared_options_are_options_of_the_solver(key):
    """A declared option the solver's code does not take would be a lie in the table."""
    entry = api._builtin(key)
    assert next(iter(entry.methods)) == "auto"
    derived = solve_options(entry.load())
    declared = set().union(*map(set, entry.methods.values()))
    if derived is not None:  # None: the solver forwards options somewhere unreadable
        assert declared <= derived, declared - derived


@pytest.mark.parametrize("key", sorted(SOLVERS))
def test_every_method_runs_with_every_option_it_declares(key):
    entry = api._builtin(key)
    name = key.split(":")[1]
    for game in GAMES[name]:
        for method, options in entry.methods.items():
            kwargs = {o: VALUES[o] for o in options}
            if method == "anonymous" and not getattr(game, "is_anonymous", True):
                continue
            if isinstance(game, cg.NormalFormGame):
                allowed = (
                    ("vertex", "exact", "float", "pure")
                    if game.n_players == 2
                    else ("pure", "support-polynomial")
                )
                if method != "auto" and method not in allowed:
                    with pytest.raises(cg.InvalidParameterError, match="for this game"):
                        cg.solve(game, method=method)
                    continue
            if method == "auto":  # auto picks one method: pass what every method takes
                common = set.intersection(*(set(o) for o in entry.methods.values()))
                kwargs = {o: VALUES[o] for o in common}
            result = cg.solve(game, method=method, **kwargs)
            assert result.success, (key, method, result.message)


def test_unknown_method_and_option_name_the_choices():
    with pytest.raises(cg.InvalidParameterError, match="'auto', 'anonymous', 'types'"):
        cg.solve(cg.ParticipationGame.default(), method="type")
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'types'"):
        cg.solve(cg.ParticipationGame.default(), method="type")
    # 'tol' belongs to the lattice method, not to 'types'
    with pytest.raises(cg.InvalidParameterError, match="'tol'"):
        cg.solve(cg.ParticipationGame.default(), method="types", tol=1e-9)
    with pytest.raises(cg.InvalidParameterError, match="a coordgap game"):
        cg.solve(3.0)


def test_subclass_is_solved_by_its_base_solver_and_user_solver_wins():
    class Mine(cg.SymmetricBinaryGame):
        pass

    game = Mine([1, 2, 5], [0, 3, 3])
    base = cg.SymmetricBinaryGame([1, 2, 5], [0, 3, 3])
    assert [e.probability for e in cg.solve(game)] == [e.probability for e in cg.solve(base)]

    class Other(Mine):
        pass

    calls = []

    def mine_solver(game, *, speed: int = 1):
        calls.append(speed)
        return cg.solve(cg.SymmetricBinaryGame(game.payoff_0, game.payoff_1))

    api.register_solver(Mine, mine_solver)
    try:
        cg.solve(Other([1, 2, 5], [0, 3, 3]), speed=3)
        assert calls == [3]
        with pytest.raises(cg.InvalidParameterError, match="Did you mean 'speed'"):
            cg.solve(game, sped=3)
    finally:
        del api._USER_SOLVERS[Mine]


def test_register_solver_needs_an_annotated_game_class():
    def bad(game, *, limit=1):
        return None

    with pytest.raises(cg.InvalidParameterError, match="annotated with the game class"):
        cg.solve.register(bad)


def test_importing_games_imports_no_solver():
    """Games hold payoffs only: importing every game module loads no solver and no façade."""
    code = (
        "import sys, importlib\n"
        "for m in ('preparedness', 'participation', 'commitment', 'normal_form',\n"
        "          'symmetric_binary', 'global_game', 'disclosure', 'nfg'):\n"
        "    importlib.import_module('coordgap.games.' + m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('coordgap.solvers',\n"
        "             'coordgap.api', 'coordgap.instruments', 'coordgap.analysis')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_solver_modules_exist_for_every_entry():
    for module, function in SOLVERS.values():
        assert callable(getattr(importlib.import_module(module), function))
