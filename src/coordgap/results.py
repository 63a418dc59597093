"""Typed, frozen result records.

Every result says what it is and how sure it is: ``success``, ``status`` and ``message`` (as in
:class:`scipy.optimize.OptimizeResult`), the ``method`` that produced it, and for equilibria the
max regret certificate and whether the list is ``complete``. Results convert to plain data with
``to_dict()`` and to tables with ``to_frame()``; they print as readable text and render as HTML
in notebooks.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def _pandas():
    """pandas, imported on first use: tables are optional, and pandas takes ~0.5 s to load."""
    import pandas

    return pandas


__all__ = [
    "Result",
    "PreparednessEquilibrium",
    "EquilibriumSet",
    "SocialOptimum",
    "GapReport",
    "to_plain",
]


def to_plain(value: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and nested results to JSON-ready Python objects.

    Parameters
    ----------
    value : object
        A result, array, numpy scalar, float, dict, list or tuple (nested freely); other
        objects pass through unchanged.

    Returns
    -------
    object
        Plain Python data: results become dicts, arrays and tuples lists, numpy scalars
        Python numbers; NaN becomes None and infinities the strings ``"inf"``/``"-inf"``.
    """
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()] if value.dtype == object else value.tolist()
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else (None if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=6, separator=", ")
        head = ", ".join(f"{v:.6g}" for v in value[:3])
        return f"array([{head}, ...], n={value.size})"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple) and len(value) > 6:
        return f"({', '.join(map(repr, value[:3]))}, ...) n={len(value)}"
    if isinstance(value, Result):
        return f"<{type(value).__name__}>"
    return repr(value)


class Result:
    """Mixin for frozen result dataclasses: ``to_dict``, ``to_frame``, ``__repr__``, HTML."""

    __slots__ = ()
    _hidden: ClassVar[tuple[str, ...]] = ("game",)

    def _fields(self) -> Iterator[tuple[str, Any]]:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name not in self._hidden and f.repr:
                yield f.name, getattr(self, f.name)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable dictionary of the result (arrays become lists).

        Returns
        -------
        dict
            Field name -> plain value (see :func:`to_plain`), hidden fields left out.
        """
        return {name: to_plain(value) for name, value in self._fields()}

    def summary(self) -> dict[str, Any]:
        """Scalar fields only, for one row of a table.

        Returns
        -------
        dict
            Field name -> value, for the fields holding a number, string, bool or None.
        """
        return {
            k: v
            for k, v in self._fields()
            if isinstance(v, (int, float, str, bool, np.number, np.bool_)) or v is None
        }

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the scalar fields.

        Returns
        -------
        pandas.DataFrame
            One row, one column per entry of :meth:`summary`.
        """
        return _pandas().DataFrame([self.summary()])

    def __repr__(self) -> str:
        body = ",\n".join(f"    {k}={_short(v)}" for k, v in self._fields())
        return f"{type(self).__name__}(\n{body}\n)"

    def _repr_html_(self) -> str:
        title = html.escape(type(self).__name__)
        return f"<strong>{title}</strong>" + self.to_frame().to_html(index=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PreparednessEquilibrium(Result):
    """One Nash equilibrium of a :class:`~coordgap.PreparednessGame`.

    Attributes
    ----------
    investment : ndarray
        Preparedness investment x_i of every actor.
    robustness : float
        Aggregate robustness R = R0 + A(x).
    residual_harm : float
        Expected harm left, p·H·exp(−κR).
    welfare : float
        Social welfare B(R) − Σ c_i x_i^γ/γ (transfers net out).
    payoffs : ndarray
        Each actor's payoff u_i.
    max_regret : float
        Largest gain any actor could get by deviating alone, found by an independent bounded
        maximization of its own payoff (the certificate; see ``coordgap.solvers.certify``).
    kind : str
        ``"unique"``, ``"least"``, ``"greatest"``, ``"extreme"`` (vertex of a continuum) or
        ``"provider"`` (best shot: one actor provides).
    """

    investment: np.ndarray
    robustness: float
    residual_harm: float
    welfare: float
    payoffs: np.ndarray
    max_regret: float
    kind: str = "unique"

    @property
    def order_key(self) -> float:
        """Robustness R, by which equilibria are ordered (least, greatest)."""
        return self.robustness

    @property
    def n_investing(self) -> int:
        """Number of actors with positive investment."""
        return int(np.count_nonzero(self.investment > 0))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class EquilibriumSet(Result, Sequence):
    """The equilibria a solver found, with a statement of completeness.

    Attributes
    ----------
    equilibria : tuple
        Equilibrium records, each with its ``max_regret``.
    method : str
        Name of the algorithm, e.g. ``"aggregative-root"``.
    complete : bool
        True only when the method proves that the list is all equilibria — or, when
        ``continuum`` is True, all extreme points of the (convex) equilibrium set.
    continuum : bool
        Whether the equilibria form a continuum described by the listed extreme points.
    n_equilibria : int or None
        Total number of equilibria (extreme points, for a continuum) when known; may exceed
        ``len(equilibria)`` if the listing was truncated at ``limit``.
    success, status, message
        As in SciPy: ``status`` 0 is success, 1 means a numerical tolerance was not met.
    details : dict
        Method-specific facts, e.g. the actors who may invest.
    game : object, optional
        The game solved (kept for plots and reports; not part of ``to_dict``).
    """

    equilibria: tuple
    method: str
    complete: bool
    success: bool = True
    status: int = 0
    message: str = ""
    continuum: bool = False
    n_equilibria: int | None = None
    details: dict = field(default_factory=dict)
    game: Any = None

    def __getitem__(self, index):
        return self.equilibria[index]

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    @property
    def max_regret(self) -> float:
        """Largest certificate over the listed equilibria (0 for an empty list)."""
        return max((float(e.max_regret) for e in self.equilibria), default=0.0)

    @property
    def least(self):
        """Equilibrium with the smallest order key (robustness, participation, ...)."""
        return min(self.equilibria, key=lambda e: e.order_key) if self.equilibria else None

    @property
    def greatest(self):
        """Equilibrium with the largest order key."""
        return max(self.equilibria, key=lambda e: e.order_key) if self.equilibria else None

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serializable dictionary, with each equilibrium as a dictionary.

        Returns
        -------
        dict
            The fields of the set (see :func:`to_plain`), ``"equilibria"`` a list of the
            equilibria's :meth:`~Result.to_dict`.
        """
        out = {name: to_plain(value) for name, value in self._fields() if name != "equilibria"}
        out["equilibria"] = [e.to_dict() for e in self.equilibria]
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per equilibrium (scalar fields).

        Returns
        -------
        pandas.DataFrame
            One row per listed equilibrium, one column per scalar field.
        """
        return _pandas().DataFrame([e.summary() for e in self.equilibria])

    def __repr__(self) -> str:
        head = (
            f"EquilibriumSet(method={self.method!r}, n={len(self)}, complete={self.complete}, "
            f"continuum={self.continuum}, success={self.success}, "
            f"max_regret={self.max_regret:.3g})"
        )
        if self.message:
            head += f"\n  {self.message}"
        return head

    def _repr_html_(self) -> str:
        head = html.escape(repr(self)).replace("\n", "<br>")
        return f"<pre>{head}</pre>" + self.to_frame().to_html(index=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SocialOptimum(Result):
    """The planner's solution: full benefit B(R), cheapest provision.

    Attributes
    ----------
    investment : ndarray
        Optimal investment of every actor.
    robustness, residual_harm, welfare : float
        As for :class:`PreparednessEquilibrium`.
    method : str
        Algorithm used.
    success, status, message
        As in SciPy.
    """

    investment: np.ndarray
    robustness: float
    residual_harm: float
    welfare: float
    method: str
    success: bool = True
    status: int = 0
    message: str = ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class GapReport(Result):
    """The coordination gap: equilibrium preparedness against the social optimum.

    With several equilibria, ``worst`` and ``best`` refer to the equilibria with the lowest
    and highest welfare; with one they coincide.

    Attributes
    ----------
    robustness_opt, robustness_worst, robustness_best : float
        R at the optimum and at the worst/best equilibrium.
    robustness_ratio_worst, robustness_ratio_best : float
        R_nash / R_opt (1 when both are 0).
    residual_harm_opt, residual_harm_worst, residual_harm_best : float
        p·H·exp(−κR).
    residual_harm_ratio_worst, residual_harm_ratio_best : float
        Residual harm at equilibrium over residual harm at the optimum (≥ 1).
    welfare_opt, welfare_worst, welfare_best : float
        Social welfare.
    welfare_loss_worst, welfare_loss_best : float
        welfare_opt − welfare_nash (≥ 0).
    price_of_anarchy, price_of_stability : float
        welfare_opt / welfare_worst and welfare_opt / welfare_best (inf if the denominator is ≤ 0
        while the numerator is positive; 1 if both are 0).
    free_riders : tuple of str
        Actors who invest nothing in the worst equilibrium.
    cost_shares : ndarray
        Each actor's share of total preparedness cost in the worst equilibrium.
    benefit_shares : ndarray
        Each actor's internalized share s_i of the benefit (the rest, 1 − Σ s_i, is public).
    names : tuple of str
        Actor names.
    n_equilibria : int or None
        Number of equilibria compared, when known.
    success, status, message
        As in SciPy; ``success`` is True only when both the equilibria and the optimum
        succeeded.
    """

    robustness_opt: float
    robustness_worst: float
    robustness_best: float
    robustness_ratio_worst: float
    robustness_ratio_best: float
    residual_harm_opt: float
    residual_harm_worst: float
    residual_harm_best: float
    residual_harm_ratio_worst: float
    residual_harm_ratio_best: float
    welfare_opt: float
    welfare_worst: float
    welfare_best: float
    welfare_loss_worst: float
    welfare_loss_best: float
    price_of_anarchy: float
    price_of_stability: float
    free_riders: tuple
    cost_shares: np.ndarray
    benefit_shares: np.ndarray
    names: tuple
    n_equilibria: int | None = None
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """Metrics as rows, with columns ``optimum``, ``worst`` and ``best``.

        Returns
        -------
        pandas.DataFrame
            Rows robustness, its ratio to the optimum, residual expected harm, its ratio,
            welfare and welfare loss.
        """
        rows = {
            "robustness R": (self.robustness_opt, self.robustness_worst, self.robustness_best),
            "R / R_opt": (1.0, self.robustness_ratio_worst, self.robustness_ratio_best),
            "residual expected harm": (
                self.residual_harm_opt,
                self.residual_harm_worst,
                self.residual_harm_best,
            ),
            "residual harm / optimum": (
                1.0,
                self.residual_harm_ratio_worst,
                self.residual_harm_ratio_best,
            ),
            "welfare": (self.welfare_opt, self.welfare_worst, self.welfare_best),
            "welfare loss": (0.0, self.welfare_loss_worst, self.welfare_loss_best),
        }
        return _pandas().DataFrame.from_dict(
            rows, orient="index", columns=["optimum", "worst", "best"]
        )

    def actors_frame(self) -> pd.DataFrame:
        """Per-actor table: benefit share, cost share in the worst equilibrium, free rider.

        Returns
        -------
        pandas.DataFrame
            One row per actor, columns ``actor``, ``benefit_share``, ``cost_share`` and
            ``free_rider`` (bool).
        """
        riders = set(self.free_riders)
        return _pandas().DataFrame(
            {
                "actor": list(self.names),
                "benefit_share": self.benefit_shares,
                "cost_share": self.cost_shares,
                "free_rider": [n in riders for n in self.names],
            }
        )
