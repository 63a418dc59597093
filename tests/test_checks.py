"""Conformance checks: built-in instruments and games pass; broken ones fail with the right
sentence (every failure listed at once)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.compare import evaluate_design
from coordgap.checks import ConformanceError, ConformanceReport
from coordgap.errors import CoordgapError
from coordgap.params import param
from coordgap.results import EquilibriumSet, Result

INSTRUMENT_CHECKS = (
    "frozen_dataclass",
    "pure_apply",
    "zero_is_identity",
    "fiscal_cost",
    "value_to_actors",
    "describe",
    "rejects_bad_level",
)
GAME_CHECKS = ("frozen", "solve_returns_set", "certified", "solve_is_pure", "results_convert")


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default()


# The instruments of the packaged default model's designs, plus the docstring examples.
BUILT_IN = [
    cg.PerformanceBond(amount=1.0),
    cg.PerformanceBond(amount=0.5, per="capacity", carry_rate=0.2, roles=["ai_developer"]),
    cg.ProcurementPreference(
        margin=0.1,
        volume=10.0,
        win_prob=0.5,
        roles=["ai_developer", "cloud_provider", "infrastructure_operator"],
    ),
    cg.ComputeAccess(units=2.0, discount=0.5),
    cg.RegulatoryFlexibility(relief=0.3),
    cg.LiabilityInsurance(premium=2.0, discount=0.25),
    cg.MatchingSubsidy(rate=1.0),
    cg.Audit(prob=0.5, fine=2.0, cost=0.1),
    cg.RegulatoryFlexibility(relief=0.3, risk_increase=0.02),
    cg.AssuranceRefund(threshold=58, bonus=0.01),
]


@pytest.mark.parametrize("instrument", BUILT_IN, ids=lambda i: type(i).__name__)
def test_built_in_instruments_pass(instrument, model):
    report = cg.check_instrument(instrument, model)
    assert isinstance(report, ConformanceReport)
    assert report.kind == "instrument"
    assert report.passed == INSTRUMENT_CHECKS
    assert list(report.to_frame()["check"]) == list(INSTRUMENT_CHECKS)


def test_default_model_is_used_when_none_given():
    assert cg.check_instrument(cg.PerformanceBond(amount=1.0)).n_checks == 7


def test_class_is_instantiated_with_defaults(model):
    assert cg.check_instrument(cg.MatchingSubsidy, model).n_checks == 7


# --- deliberately broken instruments -------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class MutatingBonus(cg.Instrument):
    """Writes the incentive into the input model instead of returning a new one."""

    amount: float = param(0.0, bounds=(0, math.inf), unit="USD m")

    def apply(self, model):
        table = model.actors
        object.__setattr__(table, "incentive", table.incentive + self.amount)
        return model

    def value_to_actors(self, model):
        return np.full(model.n_actors, self.amount)


@dataclass(frozen=True, slots=True, eq=False)
class LeakyBonus(cg.Instrument):
    """Pays 0.5 more than its size: not the identity at size zero."""

    amount: float = param(0.0, bounds=(0, math.inf), unit="USD m")

    def apply(self, model):
        return model.add_incentive(self.amount + 0.5)


@dataclass(frozen=True, slots=True, eq=False)
class NegativeCost(cg.Instrument):
    """A transfer whose fiscal cost has the wrong sign."""

    amount: float = param(0.0, bounds=(0, math.inf), unit="USD m")

    def apply(self, model):
        return model.add_incentive(self.amount)

    def fiscal_cost(self, model, joined):
        return -self.amount * float(np.sum(joined))


@dataclass(eq=False)
class Unfrozen(cg.Instrument):
    amount: float = param(0.0, bounds=(0, math.inf), unit="USD m")

    def apply(self, model):
        return model.add_incentive(self.amount)


@dataclass(frozen=True, slots=True, eq=False)
class ManyFaults(cg.Instrument):
    """Unbounded size, value of the wrong length, an empty description."""

    amount: float = param(0.0, unit="USD m")

    def apply(self, model):
        return model.add_incentive(max(self.amount, 0.0))

    def value_to_actors(self, model):
        return np.zeros(model.n_actors + 1)

    def describe(self):
        return ""


def _failures(instrument, model) -> ConformanceError:
    with pytest.raises(ConformanceError) as info:
        cg.check_instrument(instrument, model)
    return info.value


def test_mutating_apply_fails(model):
    fresh = cg.PolicyModel.default()
    before = fresh.actors.incentive.copy()
    err = _failures(MutatingBonus(amount=1.0), fresh)
    assert set(err.failures) == {"pure_apply"}
    assert "apply() changed the input model (actors.incentive" in str(err)
    # the check saw the mutation that really happened (so it must have reported it)
    assert not np.array_equal(fresh.actors.incentive, before)


def test_non_identity_at_zero_fails(model):
    err = _failures(LeakyBonus(amount=1.0), model)
    assert set(err.failures) == {"zero_is_identity"}
    assert "at size zero (amount=0) the instrument changed the outcome" in str(err)
    # the independent fact: +0.5 per filer changes who files in the best equilibrium, and the
    # check names a metric that moved
    base = evaluate_design(model, cg.Design("b"))
    leaky = evaluate_design(model, cg.Design("l", [LeakyBonus(amount=0.0)]))
    assert leaky.best["participation"] != base.best["participation"]
    assert "_worst" in err.failures["zero_is_identity"]


def test_negative_fiscal_cost_fails(model):
    err = _failures(NegativeCost(amount=1.0), model)
    assert set(err.failures) == {"fiscal_cost"}
    # 58 actors each paid -1.0 when everybody files; 0 when nobody files (not reported)
    assert "everybody files: -58.0" in err.failures["fiscal_cost"]
    assert "nobody" not in err.failures["fiscal_cost"]


def test_unfrozen_fails(model):
    err = _failures(Unfrozen(amount=1.0), model)
    assert set(err.failures) == {"frozen_dataclass"}
    assert "must be a frozen dataclass" in str(err)


def test_every_failure_is_listed_at_once(model):
    err = _failures(ManyFaults(amount=1.0), model)
    assert set(err.failures) == {"value_to_actors", "describe", "rejects_bad_level"}
    text = str(err)
    assert text.startswith("ManyFaults(amount=1.0) failed 3 conformance checks (4 passed):")
    assert "one value per actor (shape (58,)), got shape (59,)" in text
    assert "describe() must return a non-empty string, got ''" in text
    assert "with_level(-1.0) did not raise InvalidParameterError" in text
    assert err.passed == ("frozen_dataclass", "pure_apply", "zero_is_identity", "fiscal_cost")


def test_error_types():
    err = ConformanceError("X", {"a": "b"})
    assert isinstance(err, CoordgapError) and isinstance(err, AssertionError)
    assert str(err) == "X failed 1 conformance check (0 passed):\n  - a: b"


def test_not_an_instrument(model):
    with pytest.raises(ConformanceError, match="is not a subclass of coordgap.Instrument"):
        cg.check_instrument(object(), model)


def test_bad_model_argument():
    with pytest.raises(cg.InvalidParameterError, match="'model' parameter of check_instrument"):
        cg.check_instrument(cg.PerformanceBond(amount=1.0), model="default")


# --- games ---------------------------------------------------------------------------------


def test_built_in_games_pass():
    stag = cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    prep = cg.PreparednessGame(
        share=0.1, cost=1.0, n_actors=4, prob=0.5, harm=100.0, efficacy=0.2, cost_exponent=2.0
    )
    for game in (stag, prep):
        report = cg.check_game(game)
        assert report.kind == "game" and report.passed == GAME_CHECKS


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CountEquilibrium(Result):
    joined: int
    max_regret: float

    @property
    def order_key(self):
        return self.joined


@dataclass(frozen=True, slots=True, eq=False)
class ClaimsTooMuch:
    """Its solver lists a profile that is not an equilibrium (regret 0.5)."""

    value: float = 1.0


@cg.solve.register
def _(game: ClaimsTooMuch, **options):
    eq = CountEquilibrium(joined=1, max_regret=0.5)
    return EquilibriumSet(equilibria=(eq,), method="wrong", complete=True)


@dataclass(eq=False)
class Mutable:
    value: float = 1.0


@cg.solve.register
def _(game: Mutable, **options):
    return [CountEquilibrium(joined=0, max_regret=0.0)]


def test_uncertified_equilibrium_fails():
    with pytest.raises(ConformanceError) as info:
        cg.check_game(ClaimsTooMuch())
    assert set(info.value.failures) == {"certified"}
    assert "equilibrium 0 has max_regret 0.5 > tol 1e-06" in str(info.value)


def test_mutable_game_and_wrong_return_type_fail():
    with pytest.raises(ConformanceError) as info:
        cg.check_game(Mutable())
    assert {"frozen", "solve_returns_set"} <= set(info.value.failures)
    assert "must return an EquilibriumSet, got list" in str(info.value)


def test_unsolvable_game_fails():
    with pytest.raises(ConformanceError, match="raised InvalidParameterError"):
        cg.check_game(object())


def test_bad_tol():
    with pytest.raises(cg.InvalidParameterError, match="'tol' parameter of check_game"):
        cg.check_game(ClaimsTooMuch(), tol=math.nan)
