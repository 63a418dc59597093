"""Non-finite and extreme numbers in every numeric parameter of every public constructor.

For each constructor and each numeric parameter (the declared ``param`` fields, plus the payoff
entries of the game classes that take arrays), the values NaN, inf and -inf must be rejected with
:class:`coordgap.InvalidParameterError`. The extreme finite values 1e308 and 1e-308 must either be
rejected the same way or be accepted; when accepted, the model's main method (``cg.solve`` or its
equivalent) may only raise ``InvalidParameterError`` and must not emit a ``RuntimeWarning``
(overflow, invalid value, division by zero). coordgap's own warnings (``ConvergenceWarning``,
``DegenerateGameWarning``) are the documented way to report numerical trouble and are allowed.
"""

from __future__ import annotations

import contextlib
import math
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coordgap as cg
from coordgap import classics
from coordgap.analysis.compare import evaluate_design
from coordgap.errors import CoordgapWarning, InvalidParameterError
from coordgap.params import parameters

NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
EXTREME = {"huge": 1e308, "tiny": 1e-308}
VALUES = {**NON_FINITE, **EXTREME}


@dataclass(frozen=True)
class Case:
    """A public constructor: valid keyword arguments, how to build, what to run afterwards."""

    name: str
    build: Callable[..., Any]
    base: dict
    run: Callable[[Any], Any]
    numeric: tuple[str, ...] = ()  # overrides for constructors without declared params


def _policy_run(model):
    return evaluate_design(model, cg.Design("bond", [cg.PerformanceBond(amount=1.0)]))


def _instrument_run(instrument):
    return evaluate_design(cg.PolicyModel.default(), cg.Design("x", [instrument]))


def _bimatrix(a00=3.0, b11=1.0):
    a = np.array([[a00, 0.0], [5.0, 1.0]])
    b = np.array([[3.0, 5.0], [0.0, b11]])
    return cg.NormalFormGame.from_bimatrix(a, b)


def _three_player(p000=1.0):
    payoffs = np.arange(24, dtype=float).reshape(3, 2, 2, 2) % 5
    payoffs[0, 0, 0, 0] = p000
    return cg.NormalFormGame(payoffs)


def _symmetric(p0=-1.0, p1=3.0):
    return cg.SymmetricBinaryGame([p0, 2.0, 2.0], [0.0, 0.0, p1])


def _anonymous(value_top=40.0, share=0.2, net_cost=1.0):
    value = np.array([0.0, 10.0, 25.0, value_top])
    return cg.ParticipationGame.anonymous(value, [share, 0.3, 0.1], [net_cost, 2.0, 0.5])


def _learning_run(m):
    m.critical_sharing()
    m.keeps_up()
    return m.simulate(5.0, n_paths=20, n_steps=20, rng=0)


CASES = [
    Case(
        "PreparednessGame",
        cg.PreparednessGame,
        dict(share=[0.2, 0.1], cost=1.0, prob=0.5, harm=100.0, efficacy=0.5),
        cg.solve,
    ),
    Case(
        "ParticipationGame",
        cg.ParticipationGame,
        dict(
            share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0, critical_mass="step", threshold=2
        ),
        cg.solve,
    ),
    Case(
        "ParticipationGame.anonymous",
        _anonymous,
        {},
        cg.solve,
        numeric=("value_top", "share", "net_cost"),
    ),
    Case(
        "CommitmentModel",
        cg.CommitmentModel,
        dict(
            capacity=[2.0, 1.0],
            bond=[1.0, 0.0],
            liability=0.5,
            incentive=0.2,
            share=0.1,
            response_benefit=5.0,
            response_cost_median=2.0,
            response_cost_sigma=0.5,
            discount=0.8,
        ),
        lambda m: (m.credible_coverage(), m.simulate(200, rng=0)),
    ),
    Case(
        "GlobalParticipationGame",
        cg.GlobalParticipationGame,
        dict(cost=1.0, curve="step", threshold=0.5, noise=0.1),
        lambda g: (cg.solve(g), g.critical_incentive(1.5)),
    ),
    Case("PolicyModel", cg.PolicyModel.default, {}, _policy_run),
    Case("PerformanceBond", cg.PerformanceBond, dict(amount=1.0), _instrument_run),
    Case(
        "ProcurementPreference",
        cg.ProcurementPreference,
        dict(margin=0.1, volume=10.0, win_prob=0.5),
        _instrument_run,
    ),
    Case("ComputeAccess", cg.ComputeAccess, dict(units=2.0, discount=0.5), _instrument_run),
    Case(
        "RegulatoryFlexibility",
        cg.RegulatoryFlexibility,
        dict(relief=0.2, risk_increase=0.1),
        _instrument_run,
    ),
    Case(
        "LiabilityInsurance",
        cg.LiabilityInsurance,
        dict(premium=2.0, discount=0.25),
        _instrument_run,
    ),
    Case("MatchingSubsidy", cg.MatchingSubsidy, dict(rate=1.0), _instrument_run),
    Case("Audit", cg.Audit, dict(prob=0.5, fine=2.0), _instrument_run),
    Case("AssuranceRefund", cg.AssuranceRefund, dict(threshold=30, bonus=0.05), _instrument_run),
    Case("NormalFormGame.from_bimatrix", _bimatrix, {}, cg.solve, numeric=("a00", "b11")),
    Case("NormalFormGame", _three_player, {}, cg.solve, numeric=("p000",)),
    Case("SymmetricBinaryGame", _symmetric, {}, cg.solve, numeric=("p0", "p1")),
    Case(
        "SymmetricBinaryGame.threshold_public_good",
        cg.SymmetricBinaryGame.threshold_public_good,
        dict(n_players=3, threshold=2, benefit=3.0, cost=1.0),
        cg.solve,
        numeric=("benefit", "cost"),
    ),
    Case(
        "CollectiveRiskDilemma",
        classics.CollectiveRiskDilemma,
        dict(group_size=6, threshold=3, risk=0.9, cost=0.1, endowment=1.0),
        lambda g: g.fixed_points(),
    ),
    Case(
        "DominantAssuranceContract",
        classics.DominantAssuranceContract,
        dict(n_players=4, threshold=4, value=10.0, price=6.0, bonus=1.0),
        lambda g: (g.pure_equilibria(), g.mixed_equilibria()),
    ),
    Case(
        "EnvironmentalAgreement",
        classics.EnvironmentalAgreement,
        dict(n_countries=100, benefit=1.0, cost=2.0),
        lambda g: g.stable_sizes(),
    ),
    Case(
        "InterdependentSecurity",
        classics.InterdependentSecurity,
        dict(cost=7.0, prob=0.1, contagion=0.2, loss=100.0),
        lambda g: g.pure_equilibria(),
    ),
    Case(
        "RegimeChange",
        classics.RegimeChange,
        dict(attack_cost=0.25, noise=0.1),
        lambda g: g.cutoffs(),
    ),
    Case(
        "ThresholdPublicGood",
        classics.ThresholdPublicGood,
        dict(n_players=3, threshold=2, value=3.0, cost=1.0),
        lambda g: g.mixed_equilibria(),
    ),
    Case(
        "DisclosureGame",
        cg.DisclosureGame,
        dict(private_precision=4.0, public_precision=1.0, public_signal=0.4, cost=0.5, benefit=1.0),
        cg.solve,
    ),
    Case(
        "LearningModel",
        cg.LearningModel,
        dict(n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1, sharing=0.3),
        _learning_run,
    ),
    Case(
        "LibraryScopeModel",
        cg.LibraryScopeModel,
        dict(spread=10.0, cost_per_scenario=0.05, value_scale=1.0),
        lambda m: m.curve(),
    ),
    Case("CaptureModel", cg.CaptureModel, {}, lambda m: m.solve()),
]


def _numeric_names(case: Case) -> tuple[str, ...]:
    if case.numeric:
        return case.numeric
    target = cg.PolicyModel if case.name == "PolicyModel" else case.build
    return tuple(
        n for n, p in parameters(target).items() if p.kind in ("actors", "scalar", "integer")
    )


# Known failures, each an exact (case, parameter, value) triple with the error it gives and where
# (module under src/coordgap): kept as strict xfails, so that a fix shows up as an unexpected pass
# and the entry must then be deleted. "accepted" means NaN/inf passed validation.
KNOWN: dict[tuple[str, str, str], str] = {}

PARAMS = []
for _case in CASES:
    for _name in _numeric_names(_case):
        for _label in VALUES:
            _key = (_case.name, _name, _label)
            _marks = [pytest.mark.xfail(strict=True, reason=KNOWN[_key])] if _key in KNOWN else []
            PARAMS.append(
                pytest.param(
                    _case, _name, _label, marks=_marks, id=f"{_case.name}-{_name}-{_label}"
                )
            )


def test_every_case_has_numeric_parameters():
    for case in CASES:
        assert _numeric_names(case), case.name
    assert len(PARAMS) >= 5 * 100


class Hang(Exception):
    """The main method did not return within the time limit (an unbounded loop)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`Hang` if the block runs longer than ``seconds`` (SIGALRM, main thread)."""

    def alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case, name, label", PARAMS)
def test_extreme_value(case: Case, name: str, label: str):
    value = VALUES[label]
    kwargs = {**case.base, name: value}
    with warnings.catch_warnings(), time_limit(5.0):
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", CoordgapWarning)
        try:
            obj = case.build(**kwargs)
        except InvalidParameterError as exc:
            assert name in str(exc) or case.numeric, str(exc)
            return
        assert label not in NON_FINITE, f"{case.name}({name}={value}) was accepted"
        try:
            case.run(obj)
        except InvalidParameterError:
            pass


PER_ACTOR = [
    (case, name)
    for case in CASES
    if not case.numeric
    for name, p in parameters(cg.PolicyModel if case.name == "PolicyModel" else case.build).items()
    if p.kind == "actors"
]


@pytest.mark.parametrize("case, name", PER_ACTOR, ids=[f"{c.name}-{n}" for c, n in PER_ACTOR])
@settings(max_examples=10, deadline=None)
@given(where=st.integers(0, 57), bad=st.sampled_from(list(NON_FINITE.values())))
def test_one_non_finite_actor_is_rejected(case: Case, name: str, where: int, bad: float):
    """A per-actor array with a single NaN/inf entry anywhere is rejected, naming the actor."""
    n = 58 if case.name == "PolicyModel" else 3
    values = np.full(n, 0.5)
    values[where % n] = bad
    kwargs = {**case.base}
    for other, p in parameters(
        cg.PolicyModel if case.name == "PolicyModel" else case.build
    ).items():
        if p.kind == "actors" and isinstance(kwargs.get(other), list):
            kwargs[other] = np.resize(np.asarray(kwargs[other], float), n)
    kwargs[name] = values
    with pytest.raises(InvalidParameterError, match=f"actor {where % n}"):
        case.build(**kwargs)
