"""The policy model that instruments transform, and the instrument protocol (DESIGN.md, M4).

A :class:`PolicyModel` holds one :class:`ActorTable` (each actor parameter once, with the
actor's role) and each game-level parameter once. The three models of the same actors are
views derived from it, so a change made through one path is seen by all three:

``model.preparedness``
    M1, voluntary investment in response capacity (:class:`~coordgap.PreparednessGame`);
``model.commitment``
    M3, who honours a filed plan (:class:`~coordgap.CommitmentModel`);
``model.participation``
    M2, the structural registry participation game (joining cost, capacity, member-only
    incentives), whose baseline robustness is the M1 equilibrium;
``model.game``
    the ex ante participation game that designs are solved on: M2 with the commitment's
    expected cost added to the joining cost and each filer's capacity weighted by what it is
    expected to deliver (see :attr:`PolicyModel.game`).

An *instrument* is a frozen value object with declared parameters: ``apply(model)`` returns the
transformed model (an instrument of size zero returns an equivalent model), ``fiscal_cost``,
``insurer_cost``, ``deadweight`` and ``programme_cost`` say who bears its cost when a given set
of actors are members, and ``value_to_actors`` what it is worth to each member.
"""

from __future__ import annotations

import abc
import dataclasses
import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from ..errors import InvalidParameterError, did_you_mean
from ..games.commitment import CommitmentModel
from ..games.participation import ParticipationGame, validate_model
from ..games.preparedness import PreparednessGame
from ..params import declared_as, param, parameters, validate

__all__ = [
    "ActorTable",
    "PolicyModel",
    "Instrument",
    "role_mask",
    "ACTOR_KEYS",
    "REGISTRY_KEYS",
    "SCALAR_PATHS",
]

#: Model-file key of an actor group → column of :class:`ActorTable` (``actors.ROLE.KEY``).
ACTOR_KEYS = {"share": "share", "cost": "cost", "weight": "weight"}
#: Model-file key of an actor group's registry table → column (``actors.ROLE.registry.KEY``).
REGISTRY_KEYS = {
    "join_cost": "join_cost",
    "capacity": "capacity",
    "weight": "registry_weight",
    "incentive": "incentive",
    "bond": "bond",
    "liability": "liability",
    "response_benefit": "response_benefit",
    "response_cost_median": "response_cost_median",
    "response_cost_sigma": "response_cost_sigma",
}
#: Model-file path of a game-level parameter → field of :class:`PolicyModel`.
SCALAR_PATHS = {
    f"preparedness.{k}": k
    for k in ("prob", "harm", "efficacy", "cost_exponent", "aggregator", "ces_rho", "baseline")
}
SCALAR_PATHS.update({f"participation.{k}": k for k in ("critical_mass", "threshold", "steepness")})
SCALAR_PATHS.update(
    {f"commitment.{k}": k for k in ("discount", "carry_rate", "trigger_prob", "required")}
)
SCALAR_PATHS["welfare.public_funds_cost"] = "public_funds_cost"


@dataclass(frozen=True, slots=True, eq=False)
class ActorTable:
    """Every per-actor parameter of a policy model, held once (one row per actor).

    Columns follow the model file: ``share``, ``cost`` and ``weight`` of an actor group
    (preparedness, M1), and the keys of its ``registry`` table (``join_cost``, ``capacity``,
    ``registry_weight`` for the registry's ``weight``, ``incentive``, ``bond``, ``liability``,
    ``response_benefit``, ``response_cost_median``, ``response_cost_sigma``); ``cost_share``
    (the private share of preparedness cost, lowered by matching subsidies) and ``relief``
    (compliance cost a member saves through regulatory flexibility) are set by instruments.
    ``cost = None`` means the actors make no voluntary preparedness investment.

    Examples
    --------
    >>> t = ActorTable(share=[0.1, 0.05], cost=1.0, join_cost=0.5, roles=("lab", "agency"))
    >>> t.n_actors, t.names, float(t.capacity[1])
    (2, ('lab', 'agency'), 1.0)
    """

    share: object = declared_as(PreparednessGame, "share")
    cost: object = declared_as(PreparednessGame, "cost", None)
    weight: object = declared_as(PreparednessGame, "weight", 1.0, optional=False)
    cost_share: object = declared_as(PreparednessGame, "cost_share", 1.0)
    join_cost: object = declared_as(ParticipationGame, "cost", 0.0)
    capacity: object = declared_as(ParticipationGame, "capacity", 1.0)
    registry_weight: object = declared_as(ParticipationGame, "weight", 1.0)
    incentive: object = declared_as(ParticipationGame, "incentive", 0.0)
    bond: object = declared_as(CommitmentModel, "bond", 0.0)
    liability: object = declared_as(CommitmentModel, "liability", 0.0)
    response_benefit: object = declared_as(CommitmentModel, "response_benefit", 0.0)
    response_cost_median: object = declared_as(CommitmentModel, "response_cost_median", 1.0)
    response_cost_sigma: object = declared_as(CommitmentModel, "response_cost_sigma", 1.0)
    relief: object = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        unit="USD m per period",
        doc="compliance relief; compliance cost a member saves",
    )
    names: tuple | None = param(None, kind="labels", doc="actor names")
    roles: tuple | None = param(None, kind="labels", doc="actor roles")
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf), doc="number of actors")

    def __post_init__(self) -> None:
        validate_model(self)
        n = self.n_actors
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)
        if self.names is None:
            counts: dict[str, int] = {}
            for r in self.roles:
                counts[r] = counts.get(r, 0) + 1
            seen: dict[str, int] = {}
            names = []
            for r in self.roles:
                seen[r] = seen.get(r, 0) + 1
                names.append(r if counts[r] == 1 else f"{r} {seen[r]}")
            object.__setattr__(self, "names", tuple(names))
        total = float(np.sum(self.share))
        if total > 1.0 + 1e-12:
            raise InvalidParameterError(
                type(self).__name__,
                "share",
                "a set of benefit shares with sum <= 1 (the benefit is diffuse: Σ s_i <= 1)",
                f"sum {total!r}",
            )

    def replace(self, **changes) -> ActorTable:
        """A copy with some columns changed (validated again)."""
        kwargs = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        kwargs.update(changes)
        return ActorTable(**kwargs)

    def mask(self, role: str) -> np.ndarray:
        """Boolean mask of the actors of ``role`` (``"*"``: every actor)."""
        if role == "*":
            return np.ones(self.n_actors, dtype=bool)
        known = sorted(set(self.roles))
        if role not in known:
            raise InvalidParameterError(
                "PolicyModel",
                "path",
                "a path naming a role of the model (" + ", ".join(known) + ") or '*'",
                role,
                did_you_mean(role, known),
            )
        return np.asarray(self.roles) == role


@dataclass(frozen=True, slots=True, eq=False)
class PolicyModel:
    """One set of actors seen as a preparedness game (M1), a registry participation game (M2)
    and a commitment model (M3), with each parameter held once.

    Parameters
    ----------
    actors : ActorTable
        Per-actor parameters and roles.
    prob, harm, efficacy, cost_exponent, aggregator, ces_rho, baseline
        p, H, κ, γ, the aggregator and R0 of the preparedness game (``[preparedness]``).
    critical_mass, threshold, steepness
        The critical-mass curve φ of the registry (``[participation]``).
    refund_threshold, refund_bonus
        An assurance contract (set by :class:`~coordgap.AssuranceRefund`).
    discount, carry_rate, trigger_prob, required
        δ, r, p_τ and required capacity Q of the commitment model (``[commitment]``).
    declared_unit_rate, audit_prob, fine, audit_cost, inflation_cap
        Performative compliance: α per declared capacity unit, audit probability a, fine φ per
        squared shortfall, cost of one audit, largest inflation per filer.
    public_funds_cost : float
        λ ≥ 0, the marginal cost of public funds: each unit of public spending costs 1 + λ
        (``[welfare]``; the packaged default 0.3 is illustrative, within the 0.1–0.5 range of
        estimates surveyed by Dahlby 2008).
    response_cost : scipy.stats frozen distribution or sequence, optional
        Replaces the lognormal response cost of the commitment model.
    name : str

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> model.n_actors, float(model.actors.incentive.max())
    (58, 0.0)
    >>> model.get("actors.ai_developer.registry.join_cost")
    1.2
    >>> m2 = model.set("preparedness.harm", 20000.0)
    >>> m2.participation.harm == m2.preparedness.harm == 20000.0
    True
    """

    actors: ActorTable
    prob: float = declared_as(PreparednessGame, "prob", 1.0)
    harm: float = declared_as(PreparednessGame, "harm", 1.0)
    efficacy: float = declared_as(PreparednessGame, "efficacy", 1.0)
    cost_exponent: float = declared_as(PreparednessGame, "cost_exponent", 2.0)
    aggregator: str = declared_as(PreparednessGame, "aggregator", "sum")
    ces_rho: float = declared_as(PreparednessGame, "ces_rho", 0.5)
    baseline: float = declared_as(PreparednessGame, "baseline", 0.0)
    critical_mass: str = declared_as(ParticipationGame, "critical_mass", "none")
    threshold: float = declared_as(ParticipationGame, "threshold", 0.0)
    steepness: float = declared_as(ParticipationGame, "steepness", 1.0)
    refund_threshold: float = declared_as(ParticipationGame, "refund_threshold", 0.0)
    refund_bonus: float = declared_as(ParticipationGame, "refund_bonus", 0.0)
    discount: float = declared_as(CommitmentModel, "discount", 0.0)
    carry_rate: float = declared_as(CommitmentModel, "carry_rate", 0.0)
    trigger_prob: float = declared_as(CommitmentModel, "trigger_prob", 1.0)
    required: float | None = declared_as(CommitmentModel, "required", None)
    declared_unit_rate: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m per unit",
        symbol="α",
        doc="incentive per declared capacity unit",
    )
    audit_prob: float = param(
        0.0,
        bounds=(0, 1),
        unit="1",
        symbol="a",
        doc="audit probability; probability a filing is audited",
    )
    fine: float = param(
        0.0,
        bounds=(0, math.inf),
        unit="USD m per unit^2",
        symbol="φ",
        doc="fine per squared unit of shortfall",
    )
    audit_cost: float = param(0.0, bounds=(0, math.inf), unit="USD m", doc="cost of one audit")
    inflation_cap: float = param(
        1.0, bounds=(0, math.inf), unit="capacity units", doc="largest declared inflation per filer"
    )
    public_funds_cost: float = param(
        0.0, bounds=(0, math.inf), unit="1", symbol="λ", doc="marginal cost of public funds"
    )
    response_cost: object = field(default=None, repr=False)
    name: str = "model"
    _views: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.actors, ActorTable):
            raise InvalidParameterError(
                owner, "actors", "an ActorTable", type(self.actors).__name__
            )
        validate(self)
        if self.aggregator == "ces" and self.ces_rho == 0.0:
            raise InvalidParameterError(
                owner, "ces_rho", "a finite float <= 1 and != 0", self.ces_rho
            )
        object.__setattr__(self, "_views", {})
        _ = self.commitment  # validates the response-cost distributions and the required capacity

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def default(cls, **changes) -> PolicyModel:
        """The packaged default model (``coordgap/data/default_model.toml``), no incentives.

        A stylized, documented calibration, not a forecast; see :func:`coordgap.load_model`.
        """
        from ..spec import load_model

        model = load_model().policy_model()
        return model.replace(**changes) if changes else model

    @classmethod
    def from_games(
        cls,
        participation: ParticipationGame,
        commitment: CommitmentModel,
        preparedness: PreparednessGame | None = None,
        **changes,
    ) -> PolicyModel:
        """A policy model from separately built M2, M3 (and M1) models of the same actors.

        Parameters the models share (shares; p, H, κ and R0; capacities and incentives) must
        agree; each is then held once. ``changes`` set further fields (e.g. ``name``).
        """
        owner = "PolicyModel.from_games"
        if not isinstance(participation, ParticipationGame):
            raise InvalidParameterError(
                owner, "participation", "a ParticipationGame", type(participation).__name__
            )
        if not isinstance(commitment, CommitmentModel):
            raise InvalidParameterError(
                owner, "commitment", "a CommitmentModel", type(commitment).__name__
            )
        n = participation.n_actors
        for label, other in (("commitment", commitment), ("preparedness", preparedness)):
            if other is not None and other.n_actors != n:
                raise InvalidParameterError(
                    owner, label, f"a model of the same {n} actors", f"{other.n_actors} actors"
                )
        pairs = [
            ("share", participation.share, commitment.share),
            ("capacity", participation.capacity, commitment.capacity),
            ("incentive", participation.incentive, commitment.incentive),
        ]
        if preparedness is not None:
            if not isinstance(preparedness, PreparednessGame):
                raise InvalidParameterError(
                    owner, "preparedness", "a PreparednessGame or None", type(preparedness).__name__
                )
            pairs += [("share", participation.share, preparedness.share)]
            pairs += [
                (k, getattr(participation, k), getattr(preparedness, k))
                for k in ("prob", "harm", "efficacy", "baseline")
            ]
        for key, a, b in pairs:
            if not np.allclose(a, b, rtol=1e-12, atol=0.0):
                raise InvalidParameterError(
                    owner,
                    key,
                    "the same value in the models that share "
                    "it (a policy model holds each parameter once)",
                    f"{a!r} and {b!r}",
                )
        prep = {}
        if preparedness is not None:
            prep = dict(
                cost=preparedness.cost,
                weight=preparedness.weight,
                cost_share=preparedness.cost_share,
            )
        table = ActorTable(
            share=participation.share,
            join_cost=participation.cost,
            capacity=participation.capacity,
            registry_weight=participation.weight,
            incentive=participation.incentive,
            bond=commitment.bond,
            liability=commitment.liability,
            response_benefit=commitment.response_benefit,
            response_cost_median=commitment.response_cost_median,
            response_cost_sigma=commitment.response_cost_sigma,
            names=participation.names,
            roles=participation.roles,
            **prep,
        )
        kwargs = dict(
            prob=participation.prob,
            harm=participation.harm,
            efficacy=participation.efficacy,
            baseline=participation.baseline,
            critical_mass=participation.critical_mass,
            threshold=participation.threshold,
            steepness=participation.steepness,
            refund_threshold=participation.refund_threshold,
            refund_bonus=participation.refund_bonus,
            discount=commitment.discount,
            carry_rate=commitment.carry_rate,
            trigger_prob=commitment.trigger_prob,
            required=commitment.required,
            response_cost=commitment.response_cost,
        )
        if preparedness is not None:
            kwargs.update(
                cost_exponent=preparedness.cost_exponent,
                aggregator=preparedness.aggregator,
                ces_rho=preparedness.ces_rho,
            )
        kwargs.update(changes)
        return cls(actors=table, **kwargs)

    # -- identity --------------------------------------------------------------------------
    @property
    def n_actors(self) -> int:
        return self.actors.n_actors

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.actors.roles)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.actors.names)

    @property
    def relief(self) -> np.ndarray:
        return self.actors.relief

    def replace(self, **changes) -> PolicyModel:
        """A copy with some fields changed (validated again)."""
        kwargs = {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "_views"
        }
        kwargs.update(changes)
        return PolicyModel(**kwargs)

    def with_actors(self, **columns) -> PolicyModel:
        """A copy with some columns of the actor table changed."""
        return self.replace(actors=self.actors.replace(**columns))

    def add_incentive(self, values) -> PolicyModel:
        """Add per-actor member-only incentives I_i: a gain of joining (M2) and part of the
        membership rent lost on expulsion (M3)."""
        values = np.broadcast_to(np.asarray(values, dtype=float), (self.n_actors,))
        if not np.any(values):
            return self
        return self.with_actors(incentive=self.actors.incentive + values)

    # -- one path per parameter ------------------------------------------------------------
    def paths(self) -> tuple[str, ...]:
        """Every path :meth:`get` and :meth:`set` accept (model-file paths)."""
        out = list(SCALAR_PATHS)
        for role in ("*",) + tuple(dict.fromkeys(self.roles)):
            out += [f"actors.{role}.{k}" for k in ACTOR_KEYS]
            out += [f"actors.{role}.registry.{k}" for k in REGISTRY_KEYS]
        return tuple(out)

    def _resolve(self, path: str) -> tuple[str, np.ndarray | None]:
        """(field or column name, actor mask or None) of a model-file path."""
        if not isinstance(path, str):
            raise InvalidParameterError(
                "PolicyModel", "path", "a dotted model-file path such as 'preparedness.harm'", path
            )
        if path in SCALAR_PATHS:
            return SCALAR_PATHS[path], None
        parts = path.split(".")
        if parts[0] == "actors" and len(parts) in (3, 4):
            mask = self.actors.mask(parts[1])
            if len(parts) == 3 and parts[2] in ACTOR_KEYS:
                return ACTOR_KEYS[parts[2]], mask
            if len(parts) == 4 and parts[2] == "registry" and parts[3] in REGISTRY_KEYS:
                return REGISTRY_KEYS[parts[3]], mask
        known = self.paths()
        raise InvalidParameterError(
            "PolicyModel",
            "path",
            "a model-file path such as "
            "'preparedness.harm' or "
            "'actors.ai_developer.registry.join_cost'",
            path,
            did_you_mean(path, known),
        )

    def get(self, path: str):
        """The value at a model-file path: a float for a game-level parameter or for a role
        whose actors share one value, else the array of the role's values."""
        name, mask = self._resolve(path)
        if mask is None:
            return getattr(self, name)
        column = getattr(self.actors, name)
        if column is None:
            raise InvalidParameterError(
                "PolicyModel",
                "path",
                "a parameter the model has",
                f"{path} (no preparedness costs)",
            )
        values = column[mask]
        return float(values[0]) if np.all(values == values[0]) else values.copy()

    def set(self, path: str, value) -> PolicyModel:
        """A copy with the parameter at ``path`` set to ``value`` (absolute, not a factor).

        For an actor path the value is one number for every actor of the role (``*``: every
        actor) or an array with one entry per such actor.
        """
        return self._update(path, value, scale=False)

    def scale(self, path: str, factor) -> PolicyModel:
        """A copy with the parameter at ``path`` multiplied by ``factor`` (a number, or one
        factor per actor of the role for an actor path)."""
        return self._update(path, factor, scale=True)

    def _update(self, path: str, value, *, scale: bool) -> PolicyModel:
        name, mask = self._resolve(path)
        if mask is None:
            if scale:
                current = getattr(self, name)
                if isinstance(current, str) or current is None:
                    raise InvalidParameterError(
                        "PolicyModel.scale", "path", "a numeric parameter", path
                    )
                value = current * value
            return self.replace(**{name: value})
        column = getattr(self.actors, name)
        if column is None:
            if scale:
                raise InvalidParameterError(
                    "PolicyModel.scale",
                    "path",
                    "a parameter the model has",
                    f"{path} (no preparedness costs)",
                )
            column = np.zeros(self.n_actors)
        try:
            given = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            given = None
        if (
            given is None
            or given.ndim > 1
            or (given.ndim == 1 and given.shape[0] != int(mask.sum()))
        ):
            raise InvalidParameterError(
                "PolicyModel",
                path,
                f"a number or {int(mask.sum())} numbers (one per actor of the path)",
                value,
            )
        new = np.array(column, dtype=float)
        new[mask] = new[mask] * given if scale else given
        if name == "cost" and self.actors.cost is None and not np.all(mask):
            raise InvalidParameterError(
                "PolicyModel",
                path,
                "set for every actor ('*') when the model has no preparedness costs",
                value,
            )
        return self.with_actors(**{name: new})

    # -- views -----------------------------------------------------------------------------
    def _view(self, key: str, build):
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]

    @property
    def preparedness(self) -> PreparednessGame | None:
        """M1: voluntary investment in response capacity (None without preparedness costs)."""
        t = self.actors
        if t.cost is None:
            return None
        return self._view(
            "preparedness",
            lambda: PreparednessGame(
                share=t.share,
                cost=t.cost,
                weight=t.weight,
                cost_share=t.cost_share,
                prob=self.prob,
                harm=self.harm,
                efficacy=self.efficacy,
                cost_exponent=self.cost_exponent,
                aggregator=self.aggregator,
                ces_rho=self.ces_rho,
                baseline=self.baseline,
                names=t.names,
                roles=t.roles,
            ),
        )

    def _voluntary(self):
        game = self.preparedness
        if game is None:
            return float(self.baseline), np.zeros(self.n_actors), 0.0
        from ..api import solve

        eqs = solve(game)
        # The registry's baseline is the worst (least) voluntary equilibrium.
        worst = min(eqs, key=lambda e: e.robustness)
        x = np.asarray(worst.investment, dtype=float)
        cost = float(np.sum(game.costs(x)))
        return float(worst.robustness), x, cost

    @property
    def voluntary_robustness(self) -> float:
        """R1: robustness of the worst M1 equilibrium (R0 without preparedness costs), the
        preparedness that exists without the registry."""
        return self._view("voluntary", self._voluntary)[0]

    @property
    def voluntary_investment(self) -> np.ndarray:
        """Each actor's investment x_i in the worst M1 equilibrium."""
        return self._view("voluntary", self._voluntary)[1]

    @property
    def preparedness_cost(self) -> float:
        """Σ c_i·x_i^γ/γ: the real cost of voluntary preparedness (whoever pays it)."""
        return self._view("voluntary", self._voluntary)[2]

    @property
    def inflation(self) -> float:
        """Declared-capacity inflation per filer: α/(2aφ), capped at ``inflation_cap``."""
        rate, a, fine = self.declared_unit_rate, self.audit_prob, self.fine
        if rate == 0:
            return 0.0
        if a == 0 or fine == 0:
            return self.inflation_cap
        return min(rate / (2.0 * a * fine), self.inflation_cap)

    @property
    def declared_payment(self) -> np.ndarray:
        """α·(q_i + inflation) per member: what the public pays for declared capacity."""
        return self.declared_unit_rate * (self.actors.capacity + self.inflation)

    @property
    def member_flows(self) -> np.ndarray:
        """Member-only gains per period: incentives, compliance relief and the declared-unit
        payment net of the expected audit fine a·φ·inflation²."""
        t = self.actors
        fine = self.audit_prob * self.fine * self.inflation**2
        return t.incentive + t.relief + self.declared_payment - fine * (self.declared_unit_rate > 0)

    @property
    def commitment(self) -> CommitmentModel:
        """M3: the commitment model of the actors as members (incentives are member flows)."""
        t = self.actors
        flows = self.member_flows
        return self._view(
            "commitment",
            lambda: CommitmentModel(
                capacity=t.capacity,
                bond=t.bond,
                liability=t.liability,
                incentive=np.maximum(flows, 0.0),
                join_cost=t.join_cost + np.maximum(-flows, 0.0),
                share=t.share,
                response_benefit=t.response_benefit,
                response_cost_median=t.response_cost_median,
                response_cost_sigma=t.response_cost_sigma,
                discount=self.discount,
                required=self.required,
                carry_rate=self.carry_rate,
                trigger_prob=self.trigger_prob,
                names=t.names,
                roles=t.roles,
                response_cost=self.response_cost,
            ),
        )

    def _honouring(self) -> tuple[np.ndarray, np.ndarray]:
        """(credibility c_i, expected response cost E[A_i·1{A_i ≤ S_i}]) of M3, from one
        computation of the stake S_i (read-only; computed once per model)."""

        def build():
            commitment = self.commitment
            stake = commitment.stake()
            credibility = commitment.cost_cdf(stake)
            response = commitment.partial_expectation(stake)
            credibility.flags.writeable = False
            response.flags.writeable = False
            return credibility, response

        return self._view("honouring", build)

    @property
    def participation(self) -> ParticipationGame:
        """M2, structural: joining cost k_i, capacity q_i, weight w_i and member-only
        incentives, with the voluntary robustness R1 as baseline (no commitment costs)."""
        t = self.actors
        flows = self.member_flows
        return self._view(
            "participation",
            lambda: ParticipationGame(
                share=t.share,
                cost=t.join_cost + np.maximum(-flows, 0.0),
                capacity=t.capacity,
                weight=t.registry_weight,
                incentive=np.maximum(flows, 0.0),
                prob=self.prob,
                harm=self.harm,
                efficacy=self.efficacy,
                baseline=self.voluntary_robustness,
                critical_mass=self.critical_mass,
                threshold=self.threshold,
                steepness=self.steepness,
                refund_threshold=self.refund_threshold,
                refund_bonus=self.refund_bonus,
                names=t.names,
                roles=t.roles,
            ),
        )

    @property
    def delivered_weight(self) -> np.ndarray:
        """w̃_i such that w̃_i·q_i is the certainty equivalent of i's delivered capacity.

        A member delivers w_i·q_i with probability c_i, independently of the others, so
        E[exp(−κ·ΔR)] = Π (1 − c_i·(1 − e^{−κ w_i q_i})) = exp(−κ Σ w̃_i q_i): the expected
        avoided harm E[B(R)] (not B(E[R])) is that of robustness Σ w̃_i·q_i ≤ Σ c_i·w_i·q_i.
        """

        def build():
            t = self.actors
            c = self._honouring()[0]
            a = t.registry_weight * t.capacity
            k = self.efficacy
            effective = -np.log1p(-c * -np.expm1(-k * a)) / k
            with np.errstate(divide="ignore", invalid="ignore"):
                w = np.where(
                    t.capacity > 0, effective / np.where(t.capacity > 0, t.capacity, 1.0), 0.0
                )
            return np.maximum(w, 0.0)

        return self._view("delivered_weight", build)

    @property
    def game(self) -> ParticipationGame:
        """The ex ante participation game designs are solved on (M1 + M2 + M3).

        Actor i's gain from joining rather than staying out, given the other members P, is
        s_i·[V(P ∪ i) − V(P)] + (member-only flows) − k_i − r·b_i − p_τ·(commitment cost),
        with V the expected avoided harm of the *delivered* capacity (credibility-weighted,
        :attr:`delivered_weight`) added to voluntary preparedness R1, and φ scaling the
        registry's increment only. Member-only flows are gains of joining, never costs.
        """

        def build():
            game = self.participation
            return game.replace(
                cost=game.cost + self.commitment.ex_ante_cost(), weight=self.delivered_weight
            )

        return self._view("game", build)


def role_mask(model: PolicyModel, roles, owner: str) -> np.ndarray:
    """Boolean mask of actors whose role is in ``roles`` (None: every actor)."""
    if roles is None:
        return np.ones(model.n_actors, dtype=bool)
    known = sorted(set(model.roles))
    for role in roles:
        if role not in known:
            raise InvalidParameterError(
                owner,
                "roles",
                "roles present in the model (" + ", ".join(known) + ")",
                role,
                did_you_mean(role, known),
            )
    return np.isin(np.asarray(model.roles), list(roles))


class Instrument(abc.ABC):
    """Base class of instruments (frozen dataclasses with declared parameters).

    Subclasses set ``level`` (the name of the parameter that measures the instrument's size)
    and implement :meth:`apply`, :meth:`fiscal_cost` and :meth:`value_to_actors`.
    """

    __slots__ = ()
    level: ClassVar[str] = "amount"

    def __post_init__(self) -> None:
        validate(self)
        roles = getattr(self, "roles", None)
        if roles is not None:
            if isinstance(roles, str) or not all(isinstance(r, str) for r in roles):
                raise InvalidParameterError(
                    type(self).__name__, "roles", "a sequence of role names or None", roles
                )
            object.__setattr__(self, "roles", tuple(roles))

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return tuple(parameters(cls))

    def with_level(self, value: float, parameter: str | None = None) -> Instrument:
        """A copy with its size parameter (or ``parameter``) set to ``value``."""
        name = parameter or self.level
        names = self.parameter_names()
        if name not in names:
            raise InvalidParameterError(
                type(self).__name__,
                "parameter",
                "one of " + ", ".join(map(repr, names)),
                name,
                did_you_mean(name, names),
            )
        return dataclasses.replace(self, **{name: value})

    @property
    def size(self) -> float:
        return float(getattr(self, self.level))

    @abc.abstractmethod
    def apply(self, model: PolicyModel) -> PolicyModel:
        """The transformed model (pure: ``model`` is not changed)."""

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        return 0.0

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        return np.zeros(model.n_actors)

    def deadweight(self, model: PolicyModel, joined) -> float:
        """Fiscal cost not matched by value to the filers who receive it (a real loss)."""
        return 0.0

    def insurer_cost(self, model: PolicyModel, joined) -> float:
        """Cost borne by insurers beyond the fall in their expected claims."""
        return 0.0

    def programme_cost(self, model: PolicyModel, joined) -> float:
        """Real resources the programme itself uses (e.g. an audit panel), whoever pays."""
        return 0.0

    def refund_cost(self, model: PolicyModel, filed) -> float:
        """Public payments to the actors in ``filed`` when the registry does not bind."""
        return 0.0

    def describe(self) -> str:
        """Short plain-language description, e.g. ``"bond of 2 per filer"``."""
        return f"{type(self).__name__}({self.level}={self.size:g})"
