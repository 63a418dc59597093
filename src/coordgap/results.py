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
import re
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
    "format_number",
    "format_unit",
    "format_quantity",
    "format_range",
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


def _finite_or_text(value: Any, infinite: tuple[str, str]) -> float | str:
    """``value`` as a finite float, or the text written for it: ``"—"`` for NaN (or no
    number), ``infinite[0]`` for +inf and ``infinite[1]`` for −inf."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return infinite[0] if v > 0 else infinite[1]
    return v


def format_number(value: Any, digits: int = 3) -> str:
    """A number as readouts write it: ``digits`` significant digits, thousands separated.

    Parameters
    ----------
    value : float
        The number; anything that is not a number is written ``"—"``.
    digits : int
        Significant digits (default 3); whole numbers from 10**digits up are written in full.

    Returns
    -------
    str
        The text: ``"—"`` for NaN (or no number), ``"unbounded"`` for +inf and
        ``"unbounded below"`` for −inf.

    Examples
    --------
    >>> format_number(45.0), format_number(0.1), format_number(-922.13), format_number(12345.6)
    ('45', '0.1', '-922', '12,346')
    >>> format_number(999.93), format_number(0.00012345)
    ('1,000', '0.000123')
    >>> format_number(float("nan")), format_number(float("inf")), format_number(None)
    ('—', 'unbounded', '—')
    """
    v = _finite_or_text(value, ("unbounded", "unbounded below"))
    if isinstance(v, str):
        return v
    # Round first: 999.93 at three digits is 1,000 (written in full), not 1e+03.
    if abs(float(f"{v:.{digits}g}")) >= 10**digits:
        return f"{v:,.0f}"
    text = f"{v:.{digits}g}"
    if "e" in text:  # tiny numbers: keep them readable, not 1e-05
        text = f"{v:.{digits}e}" if v != 0 else "0"
    return "0" if text == "-0" else text


def format_unit(unit: str, value: Any = None) -> str:
    """A declared unit as text reads it: the model's period is one year, ``"1"`` is no unit.

    Parameters
    ----------
    unit : str
        A unit string as parameters declare it (``"USD m per period"``, ``"1"``, ``"actors"``).
    value : float, optional
        The number written before the unit, for the singular (``1 actor``).

    Returns
    -------
    str
        The unit to print, ``""`` for a dimensionless one.

    Examples
    --------
    >>> format_unit("USD m per period"), format_unit("1"), format_unit("actors", 1)
    ('USD m per year', '', 'actor')
    >>> format_unit("1 per period")
    'per year'
    """
    text = (unit or "").strip()
    if text in ("", "1"):
        return ""
    text = re.sub(r"\bperiod\b", "year", text)
    if text.startswith("1 per "):
        text = text[2:]
    if value is not None and _is_one(value):
        text = {"actors": "actor", "filers": "filer", "units": "unit"}.get(text, text)
        text = text.replace("capacity units", "capacity unit")
    return text


def _is_one(value: Any) -> bool:
    try:
        return float(value) == 1.0
    except (TypeError, ValueError):
        return False


def format_quantity(value: Any, unit: str = "1", digits: int = 3) -> str:
    """A number with its unit: ``"45 USD m per year"``, ``"10%"`` for a share (unit ``"%"``).

    Parameters
    ----------
    value : float
        The number.
    unit : str
        Its declared unit (``"1"``: none; ``"%"``: written as a percentage of a fraction).
    digits : int
        Significant digits.

    Returns
    -------
    str
        The number and its readable unit (:func:`format_unit`).

    Examples
    --------
    >>> format_quantity(1.0, "USD m per period"), format_quantity(0.466, "%")
    ('1 USD m per year', '46.6%')
    >>> format_quantity(12, "actors"), format_quantity(float("inf"), "USD m")
    ('12 actors', 'unbounded')
    """
    if unit == "%":
        try:
            v = float(value)
        except (TypeError, ValueError):
            return "—"
        text = format_number(100 * v, digits)
        return text if not math.isfinite(v) else f"{text}%"
    text = format_number(value, digits)
    shown = format_unit(unit, value)
    if text in ("—", "unbounded", "unbounded below") or not shown:
        return text
    return f"{text} {shown}"


def format_range(low: Any, high: Any, unit: str = "1", digits: int = 3) -> str:
    """A range over equilibria: ``"between 12 and 45 actors"``, or one value when they agree.

    Parameters
    ----------
    low, high : float
        The value under the worst and under the best equilibrium.
    unit : str
        Declared unit (see :func:`format_quantity`).
    digits : int
        Significant digits.

    Returns
    -------
    str
        ``"between A and B UNIT (worst to best equilibrium)"``, or ``"A UNIT"`` when the
        two values print alike.

    Examples
    --------
    >>> format_range(12, 45, "actors")
    'between 12 and 45 actors (worst to best equilibrium)'
    >>> format_range(0.5, 0.5, "%")
    '50%'
    """
    a, b = format_quantity(low, unit, digits), format_quantity(high, unit, digits)
    if a == b:
        return a
    if unit == "%":
        num_a, num_b, tail = a, b, ""
    else:
        num_a, num_b = format_number(low, digits), format_number(high, digits)
        shown = format_unit(unit)
        tail = f" {shown}" if shown else ""
    return f"between {num_a} and {num_b}{tail} (worst to best equilibrium)"


def _frame_html(frame: pd.DataFrame) -> str:
    """HTML of a table that keeps meaningful row labels (design names, metrics, actors).

    A default 0..n−1 row index carries no information and is left out; any other index is
    shown, so tables indexed by design or metric keep their labels in a notebook.
    """
    index = frame.index
    plain = isinstance(index, _pandas().RangeIndex) and index.start == 0 and index.step == 1
    return frame.to_html(index=not plain, na_rep="—", float_format=lambda v: format_number(v, 6))


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
        return f"<strong>{title}</strong>" + _frame_html(self.to_frame())


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


def _player_names(game: Any, n: int) -> list[str]:
    """The players' names from the game (its ``names``), or ``"0"``, ``"1"``, ... ."""
    names = getattr(game, "names", None)
    try:
        names = [str(v) for v in names] if names is not None else []
    except TypeError:
        names = []
    if len(names) != n or len(set(names)) != n:
        return [str(i) for i in range(n)]
    return names


def _tidy_row(equilibrium: Any, game: Any = None) -> dict[str, Any]:
    """One equilibrium as a flat row: scalar fields, then one column per player and field.

    An array field with one entry per player (``investment``, ``payoffs``, ``joined``) becomes
    the columns ``"<field>[<player>]"`` instead of one cell holding the whole array.
    """
    row = dict(equilibrium.summary())
    for name, value in equilibrium._fields():
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.size:
            players = _player_names(game, value.size)
            for player, v in zip(players, value.tolist()):
                row[f"{name}[{player}]"] = v
    return row


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
        """Equilibrium with the largest order key (the last of those that tie on it).

        Solvers list equilibria in increasing order with ties broken within that order, so
        the last is the greatest whether or not the records between were listed.
        """
        if not self.equilibria:
            return None
        return max(reversed(self.equilibria), key=lambda e: e.order_key)

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
        """One row per equilibrium: scalar fields, then one column per player and action.

        Returns
        -------
        pandas.DataFrame
            One row per listed equilibrium; one column per scalar field, and for each array
            with one entry per player (investment, payoffs, who joins) one column per player,
            named ``"<field>[<player>]"`` with the players' names from the game.

        Examples
        --------
        >>> import coordgap as cg
        >>> game = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0,
        ...                            efficacy=0.5, names=("lab", "cloud"))
        >>> [c for c in cg.solve(game).to_frame().columns if c.startswith("investment")]
        ['investment[lab]', 'investment[cloud]']
        """
        return _pandas().DataFrame([_tidy_row(e, self.game) for e in self.equilibria])

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
        return f"<pre>{head}</pre>" + _frame_html(self.to_frame())


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

    def _repr_html_(self) -> str:
        actors = self.actors_frame().set_index("actor")
        return (
            "<strong>GapReport</strong>"
            + _frame_html(self.to_frame())
            + "<details><summary>Actors: benefit share, cost share (worst equilibrium), "
            f"free rider ({len(self.free_riders)} of {len(self.names)})</summary>"
            + _frame_html(actors)
            + "</details>"
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
