"""What a game, a solver, an equilibrium record and an instrument must provide.

coordgap finds a game's solver by the game's type (:func:`coordgap.solve`), but what the rest
of the package asks of a game, a solver, the records a solver returns and an instrument is a
small set of members. These :class:`typing.Protocol` classes state that contract, for static
type checkers and for readers writing their own game, solver or instrument. Each is
``runtime_checkable``: ``isinstance(obj, GameProtocol)`` says whether ``obj`` has the members
(not whether their signatures or behaviour conform); :func:`coordgap.check_game` and
:func:`coordgap.check_instrument` test the behaviour.

Built-in classes satisfy them structurally, without inheriting from them:

>>> import coordgap as cg
>>> from coordgap.protocols import GameProtocol, InstrumentProtocol, SolverProtocol
>>> game = cg.PreparednessGame(share=[0.3, 0.2], cost=1.0, prob=0.5, harm=40.0)
>>> isinstance(game, GameProtocol), isinstance(cg.solve, SolverProtocol)
(True, True)
>>> isinstance(cg.MatchingSubsidy(rate=1.0), InstrumentProtocol)
True
>>> isinstance(cg.Design("baseline"), InstrumentProtocol)   # a bundle has no size parameter
False
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np

from .results import EquilibriumSet

if TYPE_CHECKING:  # for annotations only: the kernel imports no model code at run time
    import pandas as pd

    from .instruments.base import PolicyModel

__all__ = ["GameProtocol", "SolverProtocol", "EquilibriumProtocol", "InstrumentProtocol"]


@runtime_checkable
class GameProtocol(Protocol):
    """A game :func:`coordgap.solve` can solve and the analysis layer can vary.

    A game is a value: a frozen dataclass (``@dataclass(frozen=True, slots=True, eq=False)``)
    whose fields are its parameters, validated on construction (an invalid value raises an
    :class:`~coordgap.errors.InvalidParameterError`, declared with
    :func:`coordgap.params.param`). Solving it never changes it. A solver is found for its
    type, or for the nearest base class that has one, so a subclass with extra fields is
    solved by its base's solver.
    """

    #: The dataclass fields (set by ``@dataclass``); a game's parameters are its fields.
    __dataclass_fields__: ClassVar[dict[str, Any]]

    def replace(self, **changes: Any) -> Self:
        """A copy with some parameters changed, validated again.

        Parameters
        ----------
        **changes
            New values of fields, by name, in the fields' units.

        Returns
        -------
        Self
            An instance of ``type(self)`` (a subclass keeps its type) holding every other
            field of ``self`` unchanged, including a subclass's extra fields; derived
            caches are rebuilt. ``self`` is not changed. ``replace()`` with no changes is an
            equal game.

        Raises
        ------
        InvalidParameterError
            When a new value is invalid (the same error as the constructor's).
        TypeError
            When a name is not a field of the game.
        """
        ...


@runtime_checkable
class EquilibriumProtocol(Protocol):
    """One equilibrium (or one extreme point of a continuum) listed by a solver.

    Records are frozen dataclasses deriving from :class:`coordgap.results.Result`, which
    supplies :meth:`to_dict` and :meth:`to_frame`.
    """

    #: Largest gain any player gets by deviating alone, in the game's payoff units, computed
    #: from the game's payoffs by code independent of the solver (the certificate). ≥ 0.
    max_regret: float

    @property
    def order_key(self) -> Any:
        """Totally ordered key of the record (e.g. robustness or the number of joiners).

        Returns
        -------
        object
            Comparable with the keys of the other records of the same set;
            :attr:`EquilibriumSet.least` and :attr:`EquilibriumSet.greatest` use it.
        """
        ...

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable data of the record.

        Returns
        -------
        dict
            Field name → value (arrays as lists).
        """
        ...

    def to_frame(self) -> pd.DataFrame:
        """The record as a one-row table.

        Returns
        -------
        pandas.DataFrame
        """
        ...


@runtime_checkable
class SolverProtocol(Protocol):
    """A solver: ``solver(game, **options) -> EquilibriumSet``.

    :func:`coordgap.solve` is one; a family's solver is registered for its game type with
    :func:`coordgap.api.register_solver` (or ``@cg.solve.register``). ``isinstance`` can only
    check that the object is callable.
    """

    def __call__(self, game: Any, /, **options: Any) -> EquilibriumSet:
        """Every equilibrium of ``game`` the method can find, each with its certificate.

        Parameters
        ----------
        game : GameProtocol
            The game (not changed).
        **options
            Method options (e.g. ``method``, ``limit``, ``tol``); an unknown option raises an
            :class:`~coordgap.errors.InvalidParameterError` before any work is done.

        Returns
        -------
        EquilibriumSet
            Records satisfying :class:`EquilibriumProtocol`. ``complete`` is True only when
            the method proves the list holds every equilibrium (every extreme point, when
            ``continuum`` is True); ``success`` is True only when every record's
            ``max_regret`` passed the certificate's tolerance (relative to the payoff scale).
            ``game`` is the game solved.
        """
        ...


@runtime_checkable
class InstrumentProtocol(Protocol):
    """A policy instrument: a pure transformation of a :class:`~coordgap.PolicyModel`.

    An instrument is a frozen dataclass whose parameters are declared with
    :func:`coordgap.params.param` (validated on construction: a negative or NaN size raises
    an :class:`~coordgap.errors.InvalidParameterError`). Money is in USD m per period;
    ``joined`` is one flag per actor, True for the members of a binding registry. Deriving
    from :class:`coordgap.Instrument` provides every member but :meth:`apply`.
    """

    #: Name of the parameter that measures the instrument's size (e.g. ``"amount"``).
    level: ClassVar[str]

    @property
    def size(self) -> float:
        """Value of the parameter named by :attr:`level`.

        Returns
        -------
        float
            ≥ 0; at 0 the instrument changes nothing.
        """
        ...

    def parameter_names(self) -> tuple[str, ...]:
        """Names of the declared parameters, in declaration order.

        Returns
        -------
        tuple of str
            Every parameter :meth:`with_level` accepts; includes :attr:`level`.
        """
        ...

    def with_level(self, value: float, parameter: str | None = None) -> Self:
        """A copy with its size parameter (or ``parameter``) set to ``value``.

        Parameters
        ----------
        value : float
            New value, in the parameter's unit.
        parameter : str, optional
            One of :meth:`parameter_names` (default: :attr:`level`).

        Returns
        -------
        Self
            The changed copy, validated again (an out-of-bounds value raises).
        """
        ...

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with the instrument in force.

        Parameters
        ----------
        model : PolicyModel
            The model; not changed (arrays included).

        Returns
        -------
        PolicyModel
            A new model (built with ``model.replace`` or ``model.with_actors``, so a
            subclass of the model keeps its type); at size 0 one equivalent to ``model``
            (every outcome of a design unchanged).
        """
        ...

    def fiscal_cost(self, model: PolicyModel, joined: np.ndarray) -> float:
        """Public spending on the instrument per period.

        Parameters
        ----------
        model : PolicyModel
            The model with the design applied.
        joined : ndarray of bool
            Members of a binding registry.

        Returns
        -------
        float
            USD m per period, finite and ≥ 0.
        """
        ...

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """What the instrument is worth to each actor per period if it files.

        Parameters
        ----------
        model : PolicyModel
            The model (not changed).

        Returns
        -------
        ndarray
            Shape ``(model.n_actors,)``, finite, USD m per period; negative for a cost.
        """
        ...

    def deadweight(self, model: PolicyModel, joined: np.ndarray) -> float:
        """Public spending not matched by value to the members who receive it.

        Parameters
        ----------
        model : PolicyModel
            The model with the design applied.
        joined : ndarray of bool
            Members of a binding registry.

        Returns
        -------
        float
            USD m per period, a real loss counted in welfare.
        """
        ...

    def insurer_cost(self, model: PolicyModel, joined: np.ndarray) -> float:
        """Cost borne by insurers beyond the fall in their expected claims.

        Parameters
        ----------
        model : PolicyModel
            The model with the design applied.
        joined : ndarray of bool
            Members of a binding registry.

        Returns
        -------
        float
            USD m per period.
        """
        ...

    def programme_cost(self, model: PolicyModel, joined: np.ndarray) -> float:
        """Real resources the programme itself uses, whoever pays.

        Parameters
        ----------
        model : PolicyModel
            The model with the design applied.
        joined : ndarray of bool
            Members of a binding registry.

        Returns
        -------
        float
            USD m per period.
        """
        ...

    def refund_cost(self, model: PolicyModel, filed: np.ndarray) -> float:
        """Public payments to filers when the registry does not bind.

        Parameters
        ----------
        model : PolicyModel
            The model with the design applied.
        filed : ndarray of bool
            The actors who filed.

        Returns
        -------
        float
            USD m per period.
        """
        ...

    def describe(self) -> str:
        """Short plain-language description (e.g. ``"a performance bond of 2 USD m per filer"``).

        Returns
        -------
        str
            Non-empty.
        """
        ...
