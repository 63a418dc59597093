"""The policy model that instruments transform, and the instrument protocol (DESIGN.md, M4).

A :class:`PolicyModel` bundles the registry participation game (M2), the commitment model (M3)
and, optionally, the preparedness game (M1) for one set of actors. An *instrument* is a frozen
value object with declared parameters and three methods:

``apply(model) -> PolicyModel``
    a pure transformation (an instrument of size zero returns an equivalent model);
``fiscal_cost(model, joined) -> float``
    what the public purse pays per period when ``joined`` actors have filed;
``value_to_actors(model) -> ndarray``
    what the instrument is worth to each actor if it files (USD m per period; negative for a
    burden such as a bond's carrying cost).
"""

from __future__ import annotations

import abc
import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..errors import InvalidParameterError, did_you_mean
from ..games.commitment import CommitmentModel
from ..games.participation import ParticipationGame
from ..games.preparedness import PreparednessGame
from ..params import param, parameters, validate

__all__ = ["PolicyModel", "Instrument", "role_mask"]


@dataclass(frozen=True, slots=True, eq=False)
class PolicyModel:
    """One set of actors seen as a participation game (M2), a commitment model (M3) and,
    optionally, a preparedness game (M1).

    Parameters
    ----------
    participation : ParticipationGame
        Joining costs k_i, capacities q_i, incentives I_i, the coordination value.
    commitment : CommitmentModel
        Bonds, liabilities, response costs: who honours a filed plan.
    preparedness : PreparednessGame, optional
        Continuous investment in response capacity (matching subsidies act here).
    declared_unit_rate : float
        α ≥ 0, incentive paid per declared capacity unit (performative compliance).
    audit_prob : float
        a ∈ [0, 1], probability that the technical panel audits a filing.
    fine : float
        φ ≥ 0, fine per squared unit of capacity shortfall found by an audit.
    audit_cost : float
        Cost of auditing one filing (USD m), paid by the public purse.
    inflation_cap : float
        Largest declared-capacity inflation per filer when audits cannot deter it (units).
    relief : array_like
        Compliance cost saved by each filer through regulatory flexibility (a real saving).
    public_funds_cost : float
        λ ≥ 0, marginal cost of public funds: each unit of fiscal cost costs 1 + λ.
    name : str

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> model.n_actors, float(model.participation.incentive.max())
    (58, 0.0)
    """

    participation: ParticipationGame
    commitment: CommitmentModel
    preparedness: PreparednessGame | None = None
    declared_unit_rate: float = param(0.0, bounds=(0, math.inf), unit="USD m per unit",
                                      symbol="α", doc="incentive per declared capacity unit")
    audit_prob: float = param(0.0, bounds=(0, 1), unit="1", symbol="a",
                              doc="audit probability; probability a filing is audited")
    fine: float = param(0.0, bounds=(0, math.inf), unit="USD m per unit²", symbol="φ",
                        doc="fine per squared unit of shortfall")
    audit_cost: float = param(0.0, bounds=(0, math.inf), unit="USD m", doc="cost of one audit")
    inflation_cap: float = param(1.0, bounds=(0, math.inf), unit="capacity units",
                                 doc="largest declared inflation per filer")
    relief: object = param(0.0, kind="actors", bounds=(0, math.inf), unit="USD m",
                           doc="compliance relief; compliance cost saved by a filer")
    public_funds_cost: float = param(0.0, bounds=(0, math.inf), unit="1", symbol="λ",
                                     doc="marginal cost of public funds")
    name: str = "model"
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf),
                                 doc="number of actors")

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if not isinstance(self.participation, ParticipationGame):
            raise InvalidParameterError(owner, "participation", "a ParticipationGame",
                                        type(self.participation).__name__)
        if not isinstance(self.commitment, CommitmentModel):
            raise InvalidParameterError(owner, "commitment", "a CommitmentModel",
                                        type(self.commitment).__name__)
        n = self.participation.n_actors
        if self.n_actors is not None and not (isinstance(self.n_actors, (int, np.integer))
                                              and self.n_actors == n):
            raise InvalidParameterError(owner, "n_actors", f"None or {n}, the number of actors "
                                        "of the participation game", self.n_actors)
        object.__setattr__(self, "n_actors", n)
        validate(self)
        for label, other in (("commitment", self.commitment), ("preparedness",
                                                                self.preparedness)):
            if other is None:
                continue
            if label == "preparedness" and not isinstance(other, PreparednessGame):
                raise InvalidParameterError(owner, label, "a PreparednessGame or None",
                                            type(other).__name__)
            if other.n_actors != n:
                raise InvalidParameterError(owner, label, f"a model of the same {n} actors",
                                            f"{other.n_actors} actors")

    @classmethod
    def default(cls, **changes) -> "PolicyModel":
        """The packaged default model (``coordgap/data/default_model.toml``), no incentives.

        A stylized, documented calibration, not a forecast; see :func:`coordgap.load_model`.
        """
        from ..spec import load_model

        model = load_model().policy_model()
        return model.replace(**changes) if changes else model

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.participation.roles)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.participation.names)

    def replace(self, **changes) -> "PolicyModel":
        """A copy with some fields changed (validated again)."""
        kwargs = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        kwargs.update(changes)
        return PolicyModel(**kwargs)

    def add_incentive(self, values) -> "PolicyModel":
        """Add per-actor registry incentives I_i: earned by joining (M2) and lost on
        expulsion (M3), so both models move together."""
        values = np.broadcast_to(np.asarray(values, dtype=float), (self.n_actors,))
        if not np.any(values):
            return self
        return self.replace(
            participation=self.participation.replace(
                incentive=self.participation.incentive + values),
            commitment=self.commitment.replace(incentive=self.commitment.incentive + values))


def role_mask(model: PolicyModel, roles, owner: str) -> np.ndarray:
    """Boolean mask of actors whose role is in ``roles`` (None: every actor)."""
    if roles is None:
        return np.ones(model.n_actors, dtype=bool)
    known = sorted(set(model.roles))
    for role in roles:
        if role not in known:
            raise InvalidParameterError(owner, "roles", "roles present in the model ("
                                        + ", ".join(known) + ")", role,
                                        did_you_mean(role, known))
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
                raise InvalidParameterError(type(self).__name__, "roles", "a sequence of role "
                                            "names or None", roles)
            object.__setattr__(self, "roles", tuple(roles))

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        return tuple(parameters(cls))

    def with_level(self, value: float, parameter: str | None = None) -> "Instrument":
        """A copy with its size parameter (or ``parameter``) set to ``value``."""
        name = parameter or self.level
        names = self.parameter_names()
        if name not in names:
            raise InvalidParameterError(type(self).__name__, "parameter", "one of "
                                        + ", ".join(map(repr, names)), name,
                                        did_you_mean(name, names))
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

    def describe(self) -> str:
        """Short plain-language description, e.g. ``"bond of 2 per filer"``."""
        return f"{type(self).__name__}({self.level}={self.size:g})"
