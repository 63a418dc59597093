"""Extension contracts: subclasses of the built-in games and models survive every operation.

A subclass with one extra field goes through ``replace``, ``cg.solve``, the instruments, sweeps
and ``cg.compare`` keeping its type and its field, with the numbers of its base class; the
built-in classes satisfy the protocols of :mod:`coordgap.protocols`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import coordgap as cg
from coordgap.analysis.metrics import PreparednessMetrics
from coordgap.analysis.montecarlo import DesignMetrics
from coordgap.params import param
from coordgap.protocols import (
    EquilibriumProtocol,
    GameProtocol,
    InstrumentProtocol,
    SolverProtocol,
)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class LabelledPreparedness(cg.PreparednessGame):
    """A preparedness game with one extra field."""

    label: str = "unlabelled"


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class LabelledParticipation(cg.ParticipationGame):
    """A participation game with one extra field."""

    label: str = "unlabelled"


@dataclasses.dataclass(frozen=True, eq=False)
class CachedPreparedness(cg.PreparednessGame):
    """A subclass with a derived field (init=False) that must be recomputed on replace."""

    total_share: float = dataclasses.field(init=False, default=0.0)

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "total_share", float(np.sum(self.share)))


@dataclasses.dataclass(frozen=True, eq=False)
class LabelledModel(cg.PolicyModel):
    """A policy model with one extra field."""

    owner: str = "nobody"


PREP = dict(
    share=[0.2, 0.1, 0.05],
    cost=[1.0, 2.0, 0.5],
    prob=0.5,
    harm=100.0,
    efficacy=0.5,
    cost_exponent=2.0,
)
PART = dict(
    share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0, critical_mass="step", threshold=2
)
INSTRUMENTS = [
    cg.PerformanceBond(amount=1.0),
    cg.PerformanceBond(amount=0.5, per="capacity", carry_rate=0.2, roles=["ai_developer"]),
    cg.ProcurementPreference(margin=0.1, volume=10.0, win_prob=0.5),
    cg.ComputeAccess(units=2.0, discount=0.5),
    cg.RegulatoryFlexibility(relief=0.3, risk_increase=0.02),
    cg.LiabilityInsurance(premium=2.0, discount=0.25),
    cg.MatchingSubsidy(rate=1.0),
    cg.Audit(prob=0.5, fine=2.0, cost=0.1),
    cg.AssuranceRefund(threshold=20, bonus=0.01),
]


def _base_fields(game, base) -> dict:
    return {f.name: getattr(game, f.name) for f in dataclasses.fields(base)}


def _same_investments(a: cg.EquilibriumSet, b: cg.EquilibriumSet) -> None:
    assert len(a) == len(b) and a.complete == b.complete and a.success == b.success
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.investment, y.investment)
        assert x.max_regret == y.max_regret


# -- replace -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [(LabelledPreparedness, PREP), (LabelledParticipation, PART)],
    ids=["preparedness", "participation"],
)
def test_replace_keeps_type_and_extra_field(cls, kwargs):
    game = cls(**kwargs, label="mine")
    changed = game.replace(harm=200.0)
    assert type(changed) is cls
    assert changed.label == "mine" and changed.harm == 200.0 and game.harm == 100.0
    relabelled = changed.replace(label="other")
    assert type(relabelled) is cls and relabelled.label == "other"
    # the validation of the base class still runs, with its message
    with pytest.raises(cg.InvalidParameterError, match="'harm' parameter of " + cls.__name__):
        game.replace(harm=-1.0)


def test_replace_recomputes_derived_fields():
    game = CachedPreparedness(**PREP)
    assert game.total_share == pytest.approx(0.35)
    more = game.replace(share=[0.3, 0.2, 0.1])
    assert type(more) is CachedPreparedness and more.total_share == pytest.approx(0.6)
    assert game.total_share == pytest.approx(0.35)
    scalar = CachedPreparedness(share=0.1, cost=1.0, n_actors=3).replace(share=0.2)
    assert scalar.total_share == pytest.approx(0.6)  # 0.2 for each of the 3 actors
    assert tuple(scalar.names) == ("actor 0", "actor 1", "actor 2")


def test_every_hand_written_replace_keeps_the_subclass():
    """Each game or model class with a ``replace`` method builds ``type(self)``."""
    built = {
        cg.PreparednessGame: cg.PreparednessGame(**PREP),
        cg.ParticipationGame: cg.ParticipationGame(**PART),
        cg.GlobalParticipationGame: cg.GlobalParticipationGame(cost=1.0, noise=0.1),
        cg.DisclosureGame: cg.DisclosureGame(private_precision=4.0, public_precision=1.0),
        cg.CommitmentModel: cg.PolicyModel.default().commitment,
        cg.LearningModel: cg.LearningModel(
            n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1, sharing=0.3
        ),
        cg.LibraryScopeModel: cg.LibraryScopeModel(
            spread=10.0, cost_per_scenario=0.05, value_scale=1.0
        ),
        cg.CaptureModel: cg.CaptureModel(),
    }
    for base, instance in built.items():
        sub = dataclasses.dataclass(frozen=True, eq=False)(
            type(f"Extra{base.__name__}", (base,), {"__annotations__": {"extra": int}, "extra": 7})
        )
        copy = sub(**_base_fields(instance, base), extra=3)
        out = copy.replace()
        assert type(out) is sub and out.extra == 3, base.__name__
    table = cg.PolicyModel.default().actors
    sub_table = dataclasses.dataclass(frozen=True, eq=False)(
        type("ExtraTable", (type(table),), {"__annotations__": {"extra": int}, "extra": 7})
    )
    copy = sub_table(**_base_fields(table, type(table)), extra=3).replace(relief=0.5)
    assert type(copy) is sub_table and copy.extra == 3 and float(copy.relief[0]) == 0.5


def test_normal_form_and_binary_replace():
    game = cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], title="stag")
    retitled = game.replace(title="hunt")
    assert retitled.title == "hunt" and retitled.is_exact
    np.testing.assert_array_equal(retitled.payoffs, game.payoffs)
    binary = cg.SymmetricBinaryGame([1, 2, 5], [0, 3, 3])
    relabelled = binary.replace(actions=("in", "out"))
    assert relabelled.actions == ("in", "out") and relabelled.is_exact
    assert relabelled.payoff_0.tolist() == [1.0, 2.0, 5.0]


# -- solve, sweeps -----------------------------------------------------------------------------


def test_subclass_solves_like_its_base():
    sub = LabelledPreparedness(**PREP, label="mine")
    eqs = cg.solve(sub)
    assert type(eqs.game) is LabelledPreparedness and eqs.game.label == "mine"
    _same_investments(eqs, cg.solve(cg.PreparednessGame(**PREP)))
    part = LabelledParticipation(**PART, label="p")
    mine, theirs = cg.solve(part), cg.solve(cg.ParticipationGame(**PART))
    assert [e.joined.tolist() for e in mine] == [e.joined.tolist() for e in theirs]
    assert mine.method == theirs.method
    # the ces path solves a replaced copy of the game internally
    ces = dict(PREP, aggregator="ces", ces_rho=0.5)
    _same_investments(cg.solve(LabelledPreparedness(**ces)), cg.solve(cg.PreparednessGame(**ces)))


@pytest.mark.parametrize("aggregator", ["sum", "weakest_link"], ids=["vectorized", "cells"])
def test_sweep_of_a_subclass_equals_its_base(aggregator):
    grid = {"harm": [50.0, 100.0], "share_scale": [0.5, 1.0]}
    sub = LabelledPreparedness(**PREP, aggregator=aggregator, label="mine")
    base = cg.PreparednessGame(**PREP, aggregator=aggregator)
    metrics = PreparednessMetrics(sub)
    cell = metrics.cell_game({"harm": 50.0, "share_scale": 0.5})
    assert type(cell) is LabelledPreparedness and cell.label == "mine"
    mine = cg.sweep(metrics, grid)
    theirs = cg.sweep(PreparednessMetrics(base), grid)
    assert mine.method == theirs.method == ("vectorized" if aggregator == "sum" else "cells")
    pd.testing.assert_frame_equal(mine.frame, theirs.frame)


# -- instruments and designs -------------------------------------------------------------------


@pytest.fixture(scope="module")
def models():
    """The default model rebuilt from its three games, once as built-in games and once with
    the preparedness and participation games as labelled subclasses."""
    default = cg.PolicyModel.default()
    prep = default.preparedness
    part = default.participation.replace(baseline=default.baseline)
    commit = default.commitment
    base = cg.PolicyModel.from_games(part, commit, prep, name="m")
    sub = cg.PolicyModel.from_games(
        LabelledParticipation(**_base_fields(part, cg.ParticipationGame), label="registry"),
        commit,
        LabelledPreparedness(**_base_fields(prep, cg.PreparednessGame), label="voluntary"),
        name="m",
    )
    return base, sub


def _check_views(model) -> None:
    assert type(model.preparedness) is LabelledPreparedness
    assert model.preparedness.label == "voluntary"
    for game in (model.participation, model.game):
        assert type(game) is LabelledParticipation and game.label == "registry"


def test_model_views_keep_the_subclasses(models):
    base, sub = models
    _check_views(sub)
    assert type(base.preparedness) is cg.PreparednessGame
    assert type(base.game) is cg.ParticipationGame
    for name in ("share", "cost", "cost_share", "weight"):
        np.testing.assert_array_equal(
            getattr(sub.preparedness, name), getattr(base.preparedness, name)
        )
    np.testing.assert_array_equal(sub.game.cost, base.game.cost)
    np.testing.assert_array_equal(sub.game.weight, base.game.weight)
    assert sub.voluntary_robustness == base.voluntary_robustness


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: type(i).__name__)
def test_instruments_keep_the_subclasses(instrument, models):
    base, sub = models
    applied, plain = instrument.apply(sub), instrument.apply(base)
    _check_views(applied)
    np.testing.assert_array_equal(applied.game.cost, plain.game.cost)
    np.testing.assert_array_equal(applied.game.incentive, plain.game.incentive)
    np.testing.assert_array_equal(applied.preparedness.cost_share, plain.preparedness.cost_share)
    joined = np.ones(sub.n_actors, dtype=bool)
    assert instrument.fiscal_cost(applied, joined) == instrument.fiscal_cost(plain, joined)


def test_matching_subsidy_on_the_subclass(models):
    _, sub = models
    out = cg.MatchingSubsidy(rate=1.0).apply(sub)
    _check_views(out)
    np.testing.assert_allclose(out.preparedness.cost_share, 0.5)
    _check_views(sub)  # the input model is unchanged
    assert float(sub.preparedness.cost_share.max()) == 1.0


def test_compare_of_the_subclass_equals_its_base(models):
    base, sub = models
    designs = [
        cg.Design("subsidy", [cg.MatchingSubsidy(rate=1.0)]),
        cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
        cg.Design("mix", [cg.Audit(prob=0.5, fine=2.0, cost=0.1), cg.ComputeAccess(units=1.0)]),
    ]
    mine, theirs = cg.compare(sub, designs), cg.compare(base, designs)
    pd.testing.assert_frame_equal(mine.to_frame(), theirs.to_frame())
    assert (
        mine.to_frame().loc["subsidy", "welfare_worst"]
        != mine.to_frame().loc["baseline", "welfare_worst"]
    )


def test_design_sweep_of_the_subclass_equals_its_base(models):
    base, sub = models
    design = cg.Design("bond", [cg.PerformanceBond()])
    grid = {"PerformanceBond.amount": [0.0, 2.0], "preparedness.prob": [0.08, 0.12]}
    mine = cg.sweep(DesignMetrics(sub, design), grid).frame
    theirs = cg.sweep(DesignMetrics(base, design), grid).frame
    pd.testing.assert_frame_equal(mine, theirs)


def test_policy_model_subclass_survives_instruments_and_compare():
    model = LabelledModel(**_base_fields(cg.PolicyModel.default(), cg.PolicyModel), owner="me")
    for instrument in INSTRUMENTS:
        out = instrument.apply(model)
        assert type(out) is LabelledModel and out.owner == "me", type(instrument).__name__
    moved = model.set("preparedness.harm", 20000.0).scale("actors.*.registry.join_cost", 2.0)
    assert type(moved) is LabelledModel and moved.owner == "me"
    assert moved.preparedness.harm == 20000.0
    designs = [cg.Design("subsidy", [cg.MatchingSubsidy(rate=1.0)])]
    plain = cg.PolicyModel.default()
    pd.testing.assert_frame_equal(
        cg.compare(model, designs).to_frame(), cg.compare(plain, designs).to_frame()
    )


# -- protocols ---------------------------------------------------------------------------------


def test_protocols_are_exported_lazily():
    for name in ("GameProtocol", "SolverProtocol", "EquilibriumProtocol", "InstrumentProtocol"):
        assert name in cg.__all__
    assert cg.GameProtocol is GameProtocol and cg.InstrumentProtocol is InstrumentProtocol
    assert cg.Instrument is not cg.InstrumentProtocol  # the base class keeps its name


SOLVABLE = [
    cg.PreparednessGame(**PREP),
    cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]]),
    cg.SymmetricBinaryGame.threshold_public_good(3, threshold=2, benefit=3, cost=1),
    cg.ParticipationGame(**PART),
    cg.GlobalParticipationGame(cost=1.0, noise=0.1),
    cg.DisclosureGame(private_precision=4.0, public_precision=9.0, public_signal=0.4),
]


@pytest.mark.parametrize("game", SOLVABLE, ids=lambda g: type(g).__name__)
def test_built_in_games_and_records_satisfy_the_protocols(game):
    assert isinstance(game, GameProtocol)
    assert type(game.replace()) is type(game)
    eqs = cg.solve(game)
    assert len(eqs) >= 1
    for record in eqs:
        assert isinstance(record, EquilibriumProtocol)


def test_solvers_and_instruments_satisfy_the_protocols():
    assert isinstance(cg.solve, SolverProtocol)
    assert not isinstance(42, SolverProtocol)
    for instrument in INSTRUMENTS:
        assert isinstance(instrument, InstrumentProtocol), type(instrument).__name__
    # members are checked, not inheritance: a design is not an instrument (no size), nor is
    # a game
    assert not isinstance(cg.Design("d"), InstrumentProtocol)
    assert not isinstance(cg.PreparednessGame(**PREP), InstrumentProtocol)
    assert not isinstance(cg.MatchingSubsidy(rate=1.0), GameProtocol)
    assert not isinstance(object(), GameProtocol)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class FlatGrant(cg.Instrument):
    """A user-written instrument: a flat grant to every filer."""

    amount: float = param(0.0, bounds=(0, math.inf), unit="USD m per period")

    def apply(self, model):
        return model.add_incentive(self.amount)


def test_a_user_instrument_deriving_from_instrument_satisfies_the_protocol():
    grant = FlatGrant(amount=1.0)
    assert isinstance(grant, InstrumentProtocol)
    assert grant.size == 1.0 and grant.with_level(2.0).amount == 2.0
    assert cg.check_instrument(grant).n_checks == 7
