"""The policy model that instruments transform, and the instrument protocol (docs/guide/m4-designs.md).

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
import contextlib
import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..api import solve
from ..errors import InvalidParameterError, did_you_mean
from ..games.commitment import CommitmentModel
from ..games.inflation import declared_inflation
from ..games.participation import ParticipationGame, validate_model
from ..games.preparedness import PreparednessGame
from ..params import (
    Actors,
    check_parameter,
    checking_rules,
    declared_as,
    derived,
    param,
    parameters,
    validate,
)

__all__ = [
    "ActorTable",
    "PolicyModel",
    "Instrument",
    "FilerIncentive",
    "member_total",
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

    Each column is a number (the same for every actor) or one value per actor.

    Parameters
    ----------
    share : float or array_like
        s_i ∈ (0, 1], share of the social benefit each actor captures (Σ s_i ≤ 1).
    cost : float or array_like, optional
        c_i > 0, unit cost of preparedness (USD m per unit); None: no voluntary investment.
    weight : float or array_like
        w_i > 0, productivity of preparedness investment in robustness (default 1).
    cost_share : float or array_like
        φ_i ∈ (0, 1], fraction of its preparedness cost the actor pays (default 1).
    join_cost : float or array_like
        k_i ≥ 0, cost of joining the registry (USD m; default 0).
    capacity : float or array_like
        q_i ≥ 0, committed response capacity (capacity units; default 1).
    registry_weight : float or array_like
        w_i ≥ 0, productivity of committed capacity in robustness (default 1).
    incentive : float or array_like
        I_i ≥ 0, member-only registry incentive earned by joining (USD m; default 0).
    bond : float or array_like
        b_i ≥ 0, performance bond forfeited on default (USD m; default 0).
    liability : float or array_like
        L_i ≥ 0, liability for failing to act (USD m; default 0).
    response_benefit : float or array_like
        ΔB_i ≥ 0, benefit of the actor's response (USD m; default 0).
    response_cost_median : float or array_like
        A_med > 0, median of the lognormal response cost (USD m; default 1).
    response_cost_sigma : float or array_like
        σ_A > 0, log-scale dispersion of the response cost (default 1).
    relief : float or array_like
        Compliance cost a member saves per period (USD m per period; default 0).
    names : sequence of str, optional
        Actor names (default: the roles, numbered where a role repeats).
    roles : sequence of str, optional
        Actor roles (default: ``"actor"`` for every actor).
    n_actors : int, optional
        Number of actors, needed only when every column is a single number.

    Examples
    --------
    >>> t = ActorTable(share=[0.1, 0.05], cost=1.0, join_cost=0.5, roles=("lab", "agency"))
    >>> t.n_actors, t.names, float(t.capacity[1])
    (2, ('lab', 'agency'), 1.0)
    """

    share: Actors = declared_as(PreparednessGame, "share")
    cost: Actors = declared_as(PreparednessGame, "cost", None)
    weight: Actors = declared_as(PreparednessGame, "weight", 1.0, optional=False)
    cost_share: Actors = declared_as(PreparednessGame, "cost_share", 1.0)
    join_cost: Actors = declared_as(ParticipationGame, "cost", 0.0)
    capacity: Actors = declared_as(ParticipationGame, "capacity", 1.0)
    registry_weight: Actors = declared_as(ParticipationGame, "weight", 1.0)
    incentive: Actors = declared_as(ParticipationGame, "incentive", 0.0)
    bond: Actors = declared_as(CommitmentModel, "bond", 0.0)
    liability: Actors = declared_as(CommitmentModel, "liability", 0.0)
    response_benefit: Actors = declared_as(CommitmentModel, "response_benefit", 0.0)
    response_cost_median: Actors = declared_as(CommitmentModel, "response_cost_median", 1.0)
    response_cost_sigma: Actors = declared_as(CommitmentModel, "response_cost_sigma", 1.0)
    relief: Actors = param(
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
        assert n is not None  # set by validate_model()
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)
        assert self.roles is not None
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
        """A copy with some columns changed (validated again).

        Built by :func:`dataclasses.replace`, so a subclass keeps its type and its extra
        fields (fields with ``init=False`` are recomputed by ``__post_init__``).

        Parameters
        ----------
        **changes
            New values of columns, by name.

        Returns
        -------
        ActorTable
            The new instance (of the same class as ``self``).
        """
        return dataclasses.replace(self, **changes)

    def mask(self, role: str) -> np.ndarray:
        """Boolean mask of the actors of ``role`` (``"*"``: every actor).

        Parameters
        ----------
        role : str
            A role present in the table, or ``"*"``.

        Returns
        -------
        ndarray of bool
            One flag per actor.
        """
        assert self.n_actors is not None and self.roles is not None  # set in __post_init__
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


#: The actor columns the preparedness game (M1) is built from.
_PREPAREDNESS_COLUMNS = frozenset({"share", "cost", "weight", "cost_share", "names", "roles"})
# Key of the M1 solutions shared by models derived from one another (see PolicyModel.replace).
_M1_SOLUTIONS = "m1_solutions"
_M1_SOLUTIONS_KEPT = 16
#: The actor columns :meth:`CommitmentModel.ex_ante_cost` reads.
_EX_ANTE_COLUMNS = frozenset(
    {
        "bond",
        "liability",
        "share",
        "response_benefit",
        "response_cost_median",
        "response_cost_sigma",
    }
)
#: The fields the commitment model (M3) is built from, with its member flows (besides the
#: actor table and the templates).
_COMMITMENT_INPUTS = frozenset(
    {
        "discount",
        "required",
        "carry_rate",
        "trigger_prob",
        "response_cost",
        "declared_unit_rate",
        "audit_prob",
        "fine",
        "inflation_cap",
    }
)


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
        Label of the model (default ``"model"``).
    _views : dict
        Cache of the derived games (internal: emptied on construction; leave at the default).
    _templates : dict
        Subclass instances given to :meth:`from_games` (internal, set by it): the derived
        games are built as their types, with their extra fields.

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
    _templates: dict = field(default_factory=dict, repr=False)

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
        if checking_rules() or self.response_cost is not None:
            # Validates the response-cost distributions and the required capacity. A model
            # derived from a validated one with the lognormal cost has nothing left to check
            # there: its commitment model is built on first use (intermediate models of a
            # design's instruments never need it).
            _ = self.commitment

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def default(cls, **changes) -> PolicyModel:
        """The packaged default model (``coordgap/data/default_model.toml``), no incentives.

        A stylized, documented calibration, not a forecast; see :func:`coordgap.load_model`.

        Parameters
        ----------
        **changes
            Fields to change, as in :meth:`replace` (e.g. ``declared_unit_rate=0.2``).

        Returns
        -------
        PolicyModel
            The default model, with ``changes`` applied.
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
        agree; each is then held once. ``changes`` set further fields (e.g. ``name``). A game
        of a subclass of the built-in class is kept as a template: the model's views of it
        (:attr:`preparedness`, :attr:`participation` and :attr:`game`, :attr:`commitment`)
        are built as that subclass, with its extra fields, through its ``replace``.

        Parameters
        ----------
        participation : ParticipationGame
            The registry participation game (M2): shares, joining costs, capacities, incentives.
        commitment : CommitmentModel
            The commitment model (M3) of the same actors: bonds, liabilities, response costs.
        preparedness : PreparednessGame, optional
            The preparedness game (M1) of the same actors; None: no preparedness costs.
        **changes
            Further fields of the policy model (e.g. ``name``).

        Returns
        -------
        PolicyModel
            The combined model.
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
        kwargs: dict[str, Any] = dict(
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
        # Games of subclasses are kept as templates: the derived games are built as their types.
        kwargs["_templates"] = {
            key: game
            for key, game, base in (
                ("participation", participation, ParticipationGame),
                ("commitment", commitment, CommitmentModel),
                ("preparedness", preparedness, PreparednessGame),
            )
            if game is not None and type(game) is not base
        }
        kwargs.update(changes)
        return cls(actors=table, **kwargs)

    # -- identity --------------------------------------------------------------------------
    @property
    def n_actors(self) -> int:
        """Number of actors."""
        n = self.actors.n_actors
        assert n is not None  # set when the table was validated
        return n

    @property
    def roles(self) -> tuple[str, ...]:
        """Role of each actor."""
        roles = self.actors.roles
        assert roles is not None  # set when the table was validated
        return tuple(roles)

    @property
    def names(self) -> tuple[str, ...]:
        """Name of each actor."""
        names = self.actors.names
        assert names is not None  # set when the table was validated
        return tuple(names)

    @property
    def relief(self) -> np.ndarray:
        """Compliance cost each member saves per period (USD m), set by instruments."""
        return self.actors.relief

    def replace(self, **changes) -> PolicyModel:
        """A copy with some fields changed (validated again).

        Built by :func:`dataclasses.replace`, so a subclass keeps its type and its extra
        fields; of the cache of derived games, only what reads none of the changed fields
        carries over (M1 solutions, and the commitment model and its credibility).

        Parameters
        ----------
        **changes
            New values of fields, by name.

        Returns
        -------
        PolicyModel
            The new instance (of the same class as ``self``).
        """
        new = dataclasses.replace(self, **{**changes, "_views": {}})
        if "actors" not in changes and "_templates" not in changes and type(new) is PolicyModel:
            # Same M1 actor columns and template: the M1 solutions found so far are shared,
            # looked up by the scalars of the new model's M1 game.
            new._views[_M1_SOLUTIONS] = self._views.setdefault(_M1_SOLUTIONS, {})
            if _COMMITMENT_INPUTS.isdisjoint(changes):
                # M3 and what is derived from it read none of the changed fields (e.g. a
                # refund or p changed by a design): they carry over as they are.
                views = ("commitment", "honouring", "ex_ante_cost", "delivered_weight")
                for key in views if "efficacy" not in changes else views[:3]:
                    if key in self._views:
                        new._views.setdefault(key, self._views[key])
        return new

    def with_actors(self, **columns) -> PolicyModel:
        """A copy with some columns of the actor table changed.

        Parameters
        ----------
        **columns
            New :class:`ActorTable` columns by name (e.g. ``bond=...``).

        Returns
        -------
        PolicyModel
            The model with the new actor table (validated again).
        """
        new = self.replace(actors=self.actors.replace(**columns))
        if _PREPAREDNESS_COLUMNS.isdisjoint(columns):
            # M1 does not read the changed columns: its game and its solution carry over,
            # solved once here so that every model derived from this one shares them.
            self._view("voluntary", self._voluntary)
            for key in ("preparedness", "voluntary", _M1_SOLUTIONS):
                if key in self._views:
                    new._views.setdefault(key, self._views[key])
        if (
            "ex_ante_cost" in self._views
            and _EX_ANTE_COLUMNS.isdisjoint(columns)
            and type(self) is PolicyModel
            and "commitment" not in self._templates
        ):
            # The commitment's addition to the joining cost does not read the changed columns
            # (e.g. incentives or relief added by a design).
            new._views.setdefault("ex_ante_cost", self._views["ex_ante_cost"])
        return new

    def add_incentive(self, values) -> PolicyModel:
        """Add per-actor member-only incentives I_i: a gain of joining (M2) and part of the
        membership rent lost on expulsion (M3).

        Parameters
        ----------
        values : float or array_like
            Incentive per actor (USD m per period), broadcast to every actor.

        Returns
        -------
        PolicyModel
            A copy with ``values`` added to ``actors.incentive``; the model itself when
            every value is 0.
        """
        values = np.broadcast_to(np.asarray(values, dtype=float), (self.n_actors,))
        if not np.any(values):
            return self
        return self.with_actors(incentive=self.actors.incentive + values)

    # -- one path per parameter ------------------------------------------------------------
    def paths(self) -> tuple[str, ...]:
        """Every path :meth:`get` and :meth:`set` accept (model-file paths).

        Returns
        -------
        tuple of str
            Game-level paths (e.g. ``"preparedness.harm"``), then the actor paths of
            ``"*"`` and of each role (e.g. ``"actors.*.registry.join_cost"``).
        """
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
        whose actors share one value, else the array of the role's values.

        Parameters
        ----------
        path : str
            A model-file path, e.g. ``"preparedness.harm"`` or
            ``"actors.ai_developer.registry.join_cost"`` (see :meth:`paths`).

        Returns
        -------
        float, str, None or ndarray
            The parameter's value (a copy for an array).
        """
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

        Parameters
        ----------
        path : str
            A model-file path (see :meth:`paths`).
        value : float or array_like
            The new value, in the parameter's unit.

        Returns
        -------
        PolicyModel
            The changed copy (validated again).
        """
        return self._update(path, value, scale=False)

    def scale(self, path: str, factor) -> PolicyModel:
        """A copy with the parameter at ``path`` multiplied by ``factor`` (a number, or one
        factor per actor of the role for an actor path).

        Parameters
        ----------
        path : str
            A model-file path of a numeric parameter (see :meth:`paths`).
        factor : float or array_like
            Multiplier (dimensionless).

        Returns
        -------
        PolicyModel
            The changed copy (validated again).
        """
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
            if check_parameter(type(self), name, value):
                with derived():  # the new value is checked; the rest was when it was built
                    return self.replace(**{name: value})
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
        if check_parameter(type(self.actors), name, new, self.actors.names):
            with derived():  # the new column is checked; the rest was when it was built
                return self.with_actors(**{name: new})
        return self.with_actors(**{name: new})

    # -- views -----------------------------------------------------------------------------
    def _view(self, key: str, build):
        if key not in self._views:
            # The derived games' numbers come from this model's, which were checked when it was
            # built: they are normalized, not checked again (validation once per model).
            with derived():
                value = build()
                template = self._templates.get(key)
                if template is not None:
                    # Every field of the built-in class from ``value``, the rest from the
                    # template.
                    base = dataclasses.fields(type(value))
                    value = template.replace(**{f.name: getattr(value, f.name) for f in base})
            self._views[key] = value
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
        if self.actors.cost is None:
            return float(self.baseline), np.zeros(self.n_actors), 0.0, 0.0
        # Models derived from one another with the same M1 actor columns share their
        # solutions (see replace and with_actors): the M1 game is then fixed by its scalars.
        # Floats are keyed by their bits, so a hit is the very same game.
        key = tuple(
            (type(v), v.hex() if isinstance(v, float) else v)
            for v in (
                self.prob,
                self.harm,
                self.efficacy,
                self.cost_exponent,
                self.aggregator,
                self.ces_rho,
                self.baseline,
            )
        )
        solutions = self._views.get(_M1_SOLUTIONS)
        if solutions is not None and key in solutions:
            return solutions[key]
        value = self._solve_voluntary()
        if solutions is not None:
            if len(solutions) >= _M1_SOLUTIONS_KEPT:
                # The oldest goes: a long-lived model (e.g. a study's source) would otherwise
                # keep one solution for every draw of p. The explorer's threads share it.
                with contextlib.suppress(StopIteration, RuntimeError):  # emptied or changed
                    solutions.pop(next(iter(solutions)), None)
            solutions[key] = value
        return value

    def _solve_voluntary(self):
        game = self.preparedness
        assert game is not None  # the model has preparedness costs
        eqs = solve(game)
        # The registry's baseline is the worst (least) voluntary equilibrium.
        worst = min(eqs, key=lambda e: e.robustness)
        x = np.asarray(worst.investment, dtype=float)
        cost = float(np.sum(game.costs(x)))
        # the M1 subsidy, with the solution: models that share it share this too
        subsidy = float(np.sum(game.transfers(x)))
        return float(worst.robustness), x, cost, subsidy

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
    def _voluntary_subsidy(self) -> float:
        """Σ T_i, the public subsidy of voluntary preparedness (0 without preparedness costs)."""
        return self._view("voluntary", self._voluntary)[3]

    @property
    def inflation(self) -> float:
        """Declared-capacity inflation per filer: α/(2aφ) (:func:`coordgap.declared_inflation`),
        capped at ``inflation_cap`` (the cap binds with no audit or no fine)."""
        views = self._views
        if "inflation" not in views:  # read by every view of M2 and M3 and by the metrics
            inflation = declared_inflation(self.declared_unit_rate, self.audit_prob, self.fine)
            views["inflation"] = min(inflation, self.inflation_cap)
        return views["inflation"]

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

        def build():
            t = self.actors
            flows = self.member_flows  # computed when the view is built, not on every read
            return CommitmentModel(
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
            )

        return self._view("commitment", build)

    def _ex_ante_cost(self) -> np.ndarray:
        """:meth:`CommitmentModel.ex_ante_cost` of :attr:`commitment` (read-only; computed once
        per model, or taken over from the model this one derives from when it reads none of
        the changed fields)."""

        def build():
            cost = self.commitment.ex_ante_cost()
            cost.flags.writeable = False
            return cost

        return self._view("ex_ante_cost", build)

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
        return self._view("participation", self._m2_game)

    def _m2_game(self, extra_cost=None, weight=None) -> ParticipationGame:
        """The structural M2 game (:attr:`participation`); with ``extra_cost`` added to the
        joining cost and ``weight`` in place of the registry weight, the ex ante game."""
        t = self.actors
        flows = self.member_flows  # only when built, as for the commitment model
        cost = t.join_cost + np.maximum(-flows, 0.0)
        return ParticipationGame(
            share=t.share,
            cost=cost if extra_cost is None else cost + extra_cost,
            capacity=t.capacity,
            weight=t.registry_weight if weight is None else weight,
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
            if (
                "participation" in self._templates
                or type(self).participation is not PolicyModel.participation
            ):
                game = self.participation  # a subclass's M2 game, changed as a whole
                return game.replace(
                    cost=game.cost + self._ex_ante_cost(), weight=self.delivered_weight
                )
            # The same game built at once, not as a copy of the structural one.
            _ = self.voluntary_robustness  # in the order the structural game needs them
            return self._m2_game(self._ex_ante_cost(), self.delivered_weight)

        return self._view("game", build)


def role_mask(model: PolicyModel, roles, owner: str) -> np.ndarray:
    """Boolean mask of actors whose role is in ``roles`` (None: every actor).

    Parameters
    ----------
    model : PolicyModel
        The model whose actors are masked.
    roles : sequence of str or None
        Eligible roles; each must be a role of the model.
    owner : str
        Name reported in the error when a role is unknown (e.g. the instrument's class).

    Returns
    -------
    ndarray of bool
        One flag per actor.
    """
    if roles is None:
        return np.ones(model.n_actors, dtype=bool)
    present = model.roles
    for role in roles:
        if role not in present:
            known = sorted(set(present))
            raise InvalidParameterError(
                owner,
                "roles",
                "roles present in the model (" + ", ".join(known) + ")",
                role,
                did_you_mean(role, known),
            )
    # A membership test per actor: np.isin sorts the labels, far slower for a few actors.
    wanted = set(roles)
    return np.fromiter((r in wanted for r in present), dtype=bool, count=len(present))


def _deriving(apply):
    """``apply`` run inside :func:`coordgap.params.derived`: an instrument's levels are checked
    when it is built and the model's numbers when that was, so the model it derives is
    normalized, not checked again (every subclass's ``apply`` is wrapped so)."""

    @functools.wraps(apply)
    def wrapper(self, model):
        with derived():
            return apply(self, model)

    wrapper._derives = True  # type: ignore[attr-defined]
    return wrapper


class Instrument(abc.ABC):
    """Base class of instruments (frozen dataclasses with declared parameters).

    Subclasses set ``level`` (the name of the parameter that measures the instrument's size)
    and implement :meth:`apply`, :meth:`fiscal_cost` and :meth:`value_to_actors`.
    """

    __slots__ = ()
    level: ClassVar[str] = "amount"
    # Declared (not set) so that type checkers see every instrument as a dataclass.
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("apply")
        if own is not None and not getattr(own, "_derives", False):
            if own.__doc__ is None:  # inherit, as inspect.getdoc would without the wrapper
                own.__doc__ = next(
                    b.__dict__["apply"].__doc__ for b in cls.__mro__[1:] if "apply" in b.__dict__
                )
            cls.apply = _deriving(own)  # type: ignore[method-assign]

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
        """Names of the instrument's declared parameters, in declaration order.

        Returns
        -------
        tuple of str
            The parameters :meth:`with_level` accepts.
        """
        return tuple(parameters(cls))

    def with_level(self, value: float, parameter: str | None = None) -> Instrument:
        """A copy with its size parameter (or ``parameter``) set to ``value``.

        Parameters
        ----------
        value : float
            New value of the parameter, in its unit.
        parameter : str, optional
            A declared parameter (default: ``level``, the size parameter).

        Returns
        -------
        Instrument
            The changed copy (validated again).
        """
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
        """Value of the size parameter named by ``level``."""
        return float(getattr(self, self.level))

    @abc.abstractmethod
    def apply(self, model: PolicyModel) -> PolicyModel:
        """The transformed model (pure: ``model`` is not changed).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with the instrument in force.
        """

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        """Public spending on the instrument per period when ``joined`` are the members.

        Counts the instrument's own payments only (e.g. a subsidy's match, the cost of
        audits); refunds of a void registry are :meth:`refund_cost`, and the design
        comparison adds the matching of voluntary preparedness and declared-capacity payments.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Public spending per period (USD m), finite and ≥ 0. 0 unless overridden.
        """
        return 0.0

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """What the instrument is worth to each actor per period if it files.

        Positive for a payment or a saving (an incentive, relief, a bonus), negative for a
        cost (e.g. the carrying cost of a bond). A design's value is the sum over its
        instruments; an instrument may use it in its own :meth:`deadweight` or
        :meth:`insurer_cost` (public spending or claims not matched by value to members).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One finite value per actor, shape ``(model.n_actors,)`` (USD m per period); 0
            for actors the instrument does not reach. Zeros unless overridden.
        """
        return np.zeros(model.n_actors)

    def deadweight(self, model: PolicyModel, joined) -> float:
        """Fiscal cost not matched by value to the filers who receive it (a real loss).

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Deadweight loss per period (USD m); 0 unless overridden.
        """
        return 0.0

    def insurer_cost(self, model: PolicyModel, joined) -> float:
        """Cost borne by insurers beyond the fall in their expected claims.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Insurers' cost per period (USD m); 0 unless overridden.
        """
        return 0.0

    def programme_cost(self, model: PolicyModel, joined) -> float:
        """Real resources the programme itself uses (e.g. an audit panel), whoever pays.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry.

        Returns
        -------
        float
            Programme cost per period (USD m); 0 unless overridden.
        """
        return 0.0

    def refund_cost(self, model: PolicyModel, filed) -> float:
        """Public payments to the actors in ``filed`` when the registry does not bind.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        filed : array_like of bool
            One flag per actor: True for the actors that filed.

        Returns
        -------
        float
            Refunds per period (USD m); 0 unless overridden.
        """
        return 0.0

    def quantity(self, name: str, value: float | None = None, digits: int = 3) -> str:
        """A parameter's value written with its declared unit, for descriptions and readouts.

        Parameters
        ----------
        name : str
            A declared parameter of the instrument.
        value : float, optional
            The number to write (default: the parameter's value).
        digits : int
            Significant digits (default 3).

        Returns
        -------
        str
            E.g. ``"2 USD m"`` or ``"0.3 USD m per year"`` (the model's period is a year); a
            dimensionless value is written alone.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.ComputeAccess(units=2.0).quantity("units")
        '2 USD m per year'
        """
        from ..results import format_quantity

        spec = parameters(self)[name]
        return format_quantity(getattr(self, name) if value is None else value, spec.unit, digits)

    def describe(self) -> str:
        """Short plain-language description with units, e.g. ``"a bond of 2 USD m per filer"``.

        Returns
        -------
        str
            The description; by default the class name and its level with the level's unit.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.Instrument.describe(cg.PerformanceBond(amount=2.0))
        'PerformanceBond with amount 2 USD m'
        """
        return f"{type(self).__name__} with {self.level} {self.quantity(self.level)}"


def member_total(joined, per_actor) -> float:
    """Sum of a per-actor amount over the members of a binding registry.

    Parameters
    ----------
    joined : array_like of bool
        One flag per actor: True for the members of a binding registry.
    per_actor : array_like
        One amount per actor (e.g. a payment in USD m per period).

    Returns
    -------
    float
        Σ_members ``per_actor`` (0 when no actor joins).

    Examples
    --------
    >>> member_total([True, False, True], [1.0, 2.0, 4.0])
    5.0
    """
    return float((np.asarray(joined, dtype=bool) * per_actor).sum())


class FilerIncentive(Instrument):
    """Base class of instruments that pay each filer its :meth:`value_to_actors`.

    :meth:`apply` adds that value to each actor's incentive, and the public pays
    :meth:`payment` to each member (by default the value itself), so :meth:`fiscal_cost` is
    its sum over the members. Subclasses set ``level`` and implement
    :meth:`value_to_actors`; they override :meth:`apply` when the instrument does more than
    pay (e.g. also lowers a cost share) and :meth:`payment` when what the public pays is not
    what the filer values.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.instruments.base import FilerIncentive
    >>> model = cg.PolicyModel.default()
    >>> pref = cg.ProcurementPreference(margin=0.1, volume=10.0)
    >>> isinstance(pref, FilerIncentive)
    True
    >>> joined = np.ones(model.n_actors, dtype=bool)
    >>> bool(np.isclose(pref.fiscal_cost(model, joined), pref.value_to_actors(model).sum()))
    True
    """

    __slots__ = ()

    # apply and fiscal_cost keep the docstrings of Instrument; what they compute here (a copy
    # with value_to_actors added to actors.incentive; Σ_members payment) is the class's.
    def apply(self, model: PolicyModel) -> PolicyModel:
        return model.add_incentive(self.value_to_actors(model))

    def payment(self, model: PolicyModel) -> np.ndarray:
        """Public payment to each actor per period if it files and the registry binds.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.

        Returns
        -------
        ndarray
            One value per actor (USD m per period); :meth:`value_to_actors` unless
            overridden.
        """
        return self.value_to_actors(model)

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        return member_total(joined, self.payment(model))
